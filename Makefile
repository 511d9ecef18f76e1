# cfdetect — every target works on a fresh machine: it creates .venv and installs what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-fast test-spark test-lowest serve lint sample model model-check notebook clean bench bench-quick bench-full bench-readme

# constraints.txt pins every package to the versions the shipped model was trained and tested
# with: a fresh machine a year from now installs those, not whatever is newest that day
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

## demo: install, then run the main job on the shipped sample data
demo: $(STAMP)
	mkdir -p out
	$(BIN)/cfdetect score data/sample_listings.csv -o out/scored.csv --rejects out/rejects.csv --show 10
	@echo "scored listings: out/scored.csv"

## test: install, then run every test (slow ones included), lint, doctests and the notebook
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check cfdetect tests benchmarks
	$(BIN)/pytest -m "not spark" --doctest-modules --nbmake tests cfdetect notebooks/walkthrough.ipynb

## test-fast: the fast tests only
test-fast: $(STAMP)
	$(BIN)/pytest -m "not slow and not spark"

## test-spark: the Spark engine's tests in local[2] (installs the spark extra; needs Java 17+)
test-spark: $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,spark]'
	$(BIN)/pytest -m spark tests/test_engines_spark.py

## test-lowest: the fast tests in a separate venv (.venv-lowest) with every runtime dependency at
##              the floor pyproject.toml declares (not run by CI; run it before lowering a floor)
test-lowest:
	$(PYTHON) -m venv .venv-lowest
	.venv-lowest/bin/python -m pip install --quiet --upgrade pip packaging
	.venv-lowest/bin/python tests/floors.py pyproject.toml > .venv-lowest/floors.txt
	.venv-lowest/bin/python -m pip install --quiet -c .venv-lowest/floors.txt -e '.[serve,plot]' pytest hypothesis httpx
	.venv-lowest/bin/pytest -m "not slow and not spark"

## serve: the HTTP scoring service on 127.0.0.1:8000 with the shipped model (docs/serving.md)
serve: $(STAMP)
	$(BIN)/cfdetect serve

## sample: regenerate the shipped sample dump (5,000 simulated, labelled listings)
sample: $(STAMP)
	$(BIN)/cfdetect simulate -o data/sample_listings.csv --listings 5000 --seed 0

## model: retrain the shipped default model on a simulated year of 1,000,000 listings (~4 minutes;
##        the same model.joblib bytes every run; no stored monitor reference: the monitor simulates
##        fresh default-world listings for it, docs/operating.md)
MODEL_DATA  := $(BIN)/cfdetect simulate -o out/train_listings.parquet --listings 1000000 --seed 7
MODEL_TRAIN := train out/train_listings.parquet --no-text-model --seed 0 \
	--check-set data/field/listings.csv --monitor-reference-rows 0
model: $(STAMP)
	mkdir -p out
	$(MODEL_DATA)
	$(BIN)/cfdetect $(MODEL_TRAIN) -o models/default

## model-check: train the shipped model's recipe into out/model-check (~4 minutes) and check that
##              its model.joblib is the file models/default/card.json names (same sha256)
model-check: $(STAMP)
	mkdir -p out
	$(MODEL_DATA)
	$(BIN)/cfdetect -q $(MODEL_TRAIN) -o out/model-check
	$(BIN)/python benchmarks/model_check.py models/default out/model-check

## notebook: rebuild notebooks/walkthrough.ipynb from its paired .py and store its outputs
notebook: $(STAMP)
	$(BIN)/jupytext --to ipynb notebooks/walkthrough.py
	$(BIN)/pytest --nbmake --overwrite notebooks/walkthrough.ipynb

## bench: speed, memory and quality against the plain baseline, side by side, in a 15-minute budget
##        (2M-row runs that would not fit are skipped and listed); writes benchmarks/results.{json,md}
##        and the README's Benchmarks table
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

## bench-quick: the same steps on small simulated files, a smoke run (< 2 min)
bench-quick: $(STAMP)
	$(BIN)/python benchmarks/bench.py --quick

## bench-full: make bench without its time budget: every 2M-row run too (1-2 hours on 2 cores)
bench-full: $(STAMP)
	$(BIN)/python benchmarks/bench.py --budget-minutes 0

## bench-readme: render docs/benchmarks.md's table again from benchmarks/results.json
bench-readme: $(STAMP)
	$(BIN)/python benchmarks/render.py benchmarks/results.json --readme docs/benchmarks.md

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check cfdetect tests benchmarks

clean:
	rm -rf $(VENV) .venv-lowest out .pytest_cache .ruff_cache
