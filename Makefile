# cfdetect — every target works on a fresh machine: it creates .venv and installs what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-fast lint sample model clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: install, then run the main job on the shipped sample data
demo: $(STAMP)
	mkdir -p out
	$(BIN)/cfdetect score data/sample_listings.csv -o out/scored.csv --rejects out/rejects.csv --show 10
	@echo "scored listings: out/scored.csv"

## test: install, then run every test (slow ones included), lint and doctests
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest -m "not spark"

## test-fast: the fast tests only
test-fast: $(STAMP)
	$(BIN)/pytest -m "not slow and not spark"

## sample: regenerate the shipped sample dump (5,000 simulated, labelled listings)
sample: $(STAMP)
	$(BIN)/cfdetect simulate -o data/sample_listings.csv --listings 5000 --seed 0

## model: retrain the shipped default model on simulated listings (a few minutes)
model: $(STAMP)
	mkdir -p out
	$(BIN)/cfdetect simulate -o out/train_listings.parquet --listings 120000 --seed 7
	$(BIN)/cfdetect train out/train_listings.parquet -o models/default --review-capacity 20 --seed 0

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check cfdetect tests

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache
