"""Tests of the seller history from raw logs (cfdetect.history, ``cfdetect seller-history``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from cfdetect.cli import app
from cfdetect.errors import InputError, UsageError
from cfdetect.history import (
    LOG_FORMATS,
    SELLER_FIELDS,
    SellerLogs,
    seller_fields,
    seller_history,
)
from cfdetect.registry import normalise_key
from cfdetect.simulate import SimulationConfig, write_simulation

T0 = pd.Timestamp("2025-03-01T12:00:00Z")
SECOND = pd.Timedelta(seconds=1)
DAY = pd.Timedelta(days=1)


ZERO = pd.Timedelta(0)


def stamp(offset: pd.Timedelta = ZERO) -> str:
    """ISO 8601 text of ``T0 + offset``."""
    return (T0 + offset).strftime("%Y-%m-%dT%H:%M:%SZ")


def listing_row(listing_id: str, offset: pd.Timedelta = ZERO, **overrides: Any) -> dict:
    """One listings-log row of seller ``s1`` at ``T0 + offset``."""
    row = {
        "listing_id": listing_id,
        "title": f"Item {listing_id}",
        "price": "10.00",
        "seller_id": "s1",
        "brand": "Rolex",
        "created_at": stamp(offset),
    }
    row.update(overrides)
    return row


@pytest.fixture
def logs_dir(tmp_path: Path) -> Callable[..., Path]:
    """Factory: ``logs_dir(listings=[...], takedowns=[...], ...)`` writes CSV logs, returns dir."""

    def make(**logs: list[dict]) -> Path:
        root = tmp_path / "logs"
        root.mkdir(exist_ok=True)
        for name, rows in logs.items():  # an empty log still has its header
            header = [c.name for c in LOG_FORMATS[name].columns]
            frame = pd.DataFrame(rows, columns=None if rows else header)
            frame.to_csv(root / f"{name}.csv", index=False)
        return root

    return make


def rebuild(root: Path, **options: Any) -> pd.DataFrame:
    """``seller_history`` of ``root/listings.csv`` with the logs in ``root``; the output."""
    out = root / "out.csv"
    seller_history(root / "listings.csv", out, root, **options)
    return pd.read_csv(out, dtype={"listing_id": str}).set_index("listing_id")


# --- no leakage: strictly before created_at ------------------------------------------------------

# (log, its time column, extra columns, field, value with one earlier event)
EVENTS = [
    ("takedowns", "removed_at", {}, "seller_n_takedowns", 1),
    ("ratings", "rated_at", {"stars": 4}, "seller_n_ratings", 1),
    ("ratings", "rated_at", {"stars": 4}, "seller_rating", 4.0),
    ("sales", "sold_at", {"amount": 25.5}, "seller_orders_90d", 1),
    ("sales", "sold_at", {"amount": 25.5}, "seller_gmv_90d", 25.5),
    ("returns", "returned_at", {}, "seller_returns_90d", 1),
]


@pytest.mark.parametrize(("log", "column", "extra", "field", "expected"), EVENTS)
def test_events_at_the_same_time_or_later_are_not_counted(
    logs_dir: Callable[..., Path], log: str, column: str, extra: dict, field: str, expected: float
) -> None:
    # events one second later, at the same second and one second earlier, written out of order
    events = [
        {"seller_id": "s1", column: stamp(SECOND), **extra},
        {"seller_id": "s1", column: stamp(), **extra},
        {"seller_id": "s1", column: stamp(-SECOND), **extra},
        {"seller_id": "other", column: stamp(-DAY), **extra},
    ]
    root = logs_dir(listings=[listing_row("a")], **{log: events})
    assert rebuild(root).loc["a", field] == expected


def test_takedowns_count_by_removal_time_not_listing_time(logs_dir: Callable[..., Path]) -> None:
    listings = [listing_row("old", -10 * DAY), listing_row("now"), listing_row("later", DAY)]
    # "old" was listed long before "now" but removed only after it
    takedowns = [{"listing_id": "old", "seller_id": "s1", "removed_at": stamp(2 * SECOND)}]
    out = rebuild(logs_dir(listings=listings, takedowns=takedowns))
    assert out["seller_n_takedowns"].to_dict() == {"old": 0, "now": 0, "later": 1}


def test_a_listing_removed_twice_counts_once(logs_dir: Callable[..., Path]) -> None:
    listings = [listing_row("a", -DAY), listing_row("b", DAY)]
    takedowns = [
        {"listing_id": "a", "seller_id": "s1", "removed_at": stamp(-SECOND)},
        {"listing_id": "a", "seller_id": "s1", "removed_at": stamp()},
    ]
    out = rebuild(logs_dir(listings=listings, takedowns=takedowns))
    assert out.loc["b", "seller_n_takedowns"] == 1


def test_listings_count_earlier_rows_in_time_then_file_order(logs_dir: Callable[..., Path]) -> None:
    # out of time order in the file; "b" and "c" share a second: the earlier row counts first
    listings = [
        listing_row("late", SECOND, brand="Gucci"),
        listing_row("b", brand="Omega"),
        listing_row("c", brand="omega "),
        listing_row("first", -SECOND, brand=""),
        listing_row("x", -DAY, seller_id="s2"),
    ]
    out = rebuild(logs_dir(listings=listings))
    assert out["seller_n_listings"].to_dict() == {"late": 3, "b": 1, "c": 2, "first": 0, "x": 0}
    # distinct declared brands, normalised; an empty brand is none
    assert out["seller_n_brands"].to_dict() == {"late": 1, "b": 0, "c": 1, "first": 0, "x": 0}


def test_brands_are_normalised_like_the_registry() -> None:
    assert normalise_key("  LOUIS  vuitton ") == normalise_key("Louis Vuitton")


@pytest.mark.parametrize(
    ("days_before", "counted"),
    [(0, 0), (1, 1), (89, 1), (90, 1), (90 + 1 / 86_400, 0), (200, 0)],
)
def test_the_90_day_window_is_half_open(
    logs_dir: Callable[..., Path], days_before: float, counted: int
) -> None:
    sold = stamp(-pd.Timedelta(days=days_before))
    sales = [{"seller_id": "s1", "sold_at": sold, "amount": 10}]
    returns = [{"seller_id": "s1", "returned_at": sold}]
    out = rebuild(logs_dir(listings=[listing_row("a")], sales=sales, returns=returns))
    assert out.loc["a", "seller_orders_90d"] == counted
    assert out.loc["a", "seller_returns_90d"] == counted
    assert out.loc["a", "seller_gmv_90d"] == 10 * counted


# --- sellers table -------------------------------------------------------------------------------


def test_age_from_join_date_else_first_listing(logs_dir: Callable[..., Path]) -> None:
    listings = [listing_row("a", -2 * DAY), listing_row("b"), listing_row("c", seller_id="s2")]
    sellers = [{"seller_id": "s2", "joined_at": stamp(-10 * DAY - 12 * pd.Timedelta(hours=1))}]
    out = rebuild(logs_dir(listings=listings, sellers=sellers))
    assert out["seller_age_days"].to_dict() == {"a": 0.0, "b": 2.0, "c": 10.5}


def test_opening_balance_adds_up_and_fades_over_90_days(logs_dir: Callable[..., Path]) -> None:
    listings = [listing_row("a", 45 * DAY), listing_row("b", 120 * DAY)]
    sellers = [
        {
            "seller_id": "s1", "joined_at": stamp(-400 * DAY), "as_of": stamp(),
            "prior_listings": 30, "prior_brands": 4, "prior_takedowns": 2, "prior_n_ratings": 10,
            "prior_rating": 4.5, "prior_gmv_90d": 1000.0, "prior_orders_90d": 10,
            "prior_returns_90d": 3,
        }
    ]  # fmt: skip
    ratings = [{"seller_id": "s1", "rated_at": stamp(DAY), "stars": 1}]
    root = logs_dir(listings=listings, sellers=sellers, takedowns=[], ratings=ratings,
                    sales=[], returns=[])  # fmt: skip
    out = rebuild(root)
    a = out.loc["a"]
    assert (a["seller_n_listings"], a["seller_n_brands"], a["seller_n_takedowns"]) == (30, 4, 2)
    assert (out.loc["b", "seller_n_listings"], out.loc["b", "seller_n_brands"]) == (31, 5)
    assert (a["seller_n_ratings"], a["seller_rating"]) == (11, round(46 / 11, 3))
    assert (a["seller_orders_90d"], a["seller_gmv_90d"], a["seller_returns_90d"]) == (5, 500, 2)
    assert out.loc["b", "seller_orders_90d"] == 0


def test_hidden_sellers_get_no_history(logs_dir: Callable[..., Path]) -> None:
    listings = [listing_row("a"), listing_row("b", seller_id="s2")]
    sellers = [{"seller_id": "s1", "hidden": "true"}, {"seller_id": "s2", "hidden": "no"}]
    out = rebuild(logs_dir(listings=listings, sellers=sellers))
    assert out.loc["a", list(SELLER_FIELDS)].isna().all()
    assert out.loc["b", "seller_n_listings"] == 0


def test_fields_without_their_log_stay_empty(logs_dir: Callable[..., Path]) -> None:
    out = rebuild(logs_dir(listings=[listing_row("a")]))
    given = ["seller_age_days", "seller_n_listings", "seller_n_brands"]
    assert out.loc["a", given].notna().all()
    assert out.loc["a", [f for f in SELLER_FIELDS if f not in given]].isna().all()


# --- scale: shards and spilling change nothing ---------------------------------------------------


def random_logs(root: Path, n: int, seed: int) -> None:
    """Random logs of ``n`` listings by 40 sellers over 200 days, many timestamps shared."""
    rng = np.random.default_rng(seed)
    seconds = rng.integers(0, 200 * 24, n) * 3_600  # whole hours: plenty of ties
    base = pd.Timestamp("2025-01-01T00:00:00Z")
    sellers = np.array([f"s{i}" for i in rng.integers(0, 40, n)])
    listings = pd.DataFrame(
        {
            "listing_id": [f"L{i}" for i in range(n)],
            "seller_id": sellers,
            "brand": rng.choice(["Rolex", "rolex", "Gucci", "", "Nike", "NIKE "], n),
            "created_at": (base + pd.to_timedelta(seconds, unit="s")).strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            ),
        }
    )
    listings.to_csv(root / "listings.csv", index=False)

    def events(name: str, column: str, k: int, **extra: Any) -> None:
        at = base + pd.to_timedelta(rng.integers(0, 200 * 24, k) * 3_600, unit="s")
        frame = pd.DataFrame(
            {"seller_id": rng.choice(sellers, k), column: at.strftime("%Y-%m-%dT%H:%M:%SZ")}
        )
        for key, values in extra.items():
            frame[key] = values
        frame.to_csv(root / f"{name}.csv", index=False)

    events("takedowns", "removed_at", n // 5)
    events("ratings", "rated_at", n, stars=rng.integers(1, 6, n))
    events("sales", "sold_at", n, amount=np.round(rng.uniform(1, 500, n), 2))
    events("returns", "returned_at", n // 4)


def test_shards_and_spilling_do_not_change_the_result(tmp_path: Path) -> None:
    random_logs(tmp_path, 3_000, seed=1)
    one = tmp_path / "one.csv"
    many = tmp_path / "many.csv"
    seller_history(tmp_path / "listings.csv", one, tmp_path, shards=1)
    report = seller_history(tmp_path / "listings.csv", many, tmp_path, shards=7,
                            memory_budget=10_000, chunk_size=500, tmp_dir=tmp_path)  # fmt: skip
    assert report.spilled_bytes > 0 and report.shards == 7
    assert one.read_bytes() == many.read_bytes()
    assert not list(tmp_path.glob("cfdetect-history-*"))  # the spill directory is removed


def test_rebuild_matches_a_plain_pandas_reference(tmp_path: Path) -> None:
    """Every count against a row-by-row reference of the rule (O(n^2), small n)."""
    random_logs(tmp_path, 400, seed=2)
    out = rebuild(tmp_path)
    listings = pd.read_csv(tmp_path / "listings.csv", keep_default_na=False)
    t = pd.to_datetime(listings["created_at"], utc=True)
    logs = {
        name: pd.read_csv(tmp_path / f"{name}.csv")
        for name in ("takedowns", "ratings", "sales", "returns")
    }
    when = {"takedowns": "removed_at", "ratings": "rated_at", "sales": "sold_at",
            "returns": "returned_at"}  # fmt: skip
    for name, frame in logs.items():
        frame["t"] = pd.to_datetime(frame[when[name]], utc=True)
    window = pd.Timedelta(days=90)
    for i in range(0, len(listings), 7):
        seller, now = listings.loc[i, "seller_id"], t[i]
        mine = listings[listings["seller_id"] == seller]
        earlier = mine[(t[mine.index] < now) | ((t[mine.index] == now) & (mine.index < i))]
        row = out.loc[listings.loc[i, "listing_id"]]
        assert row["seller_n_listings"] == len(earlier)
        brands = {normalise_key(b) for b in earlier["brand"] if b.strip()}
        assert row["seller_n_brands"] == len(brands)
        ev = {k: f[(f["seller_id"] == seller) & (f["t"] < now)] for k, f in logs.items()}
        assert row["seller_n_takedowns"] == len(ev["takedowns"])
        assert row["seller_n_ratings"] == len(ev["ratings"])
        if len(ev["ratings"]):
            assert row["seller_rating"] == round(ev["ratings"]["stars"].mean(), 3)
        sales = ev["sales"][ev["sales"]["t"] >= now - window]
        assert row["seller_orders_90d"] == len(sales)
        assert row["seller_gmv_90d"] == pytest.approx(sales["amount"].sum())
        assert row["seller_returns_90d"] == (ev["returns"]["t"] >= now - window).sum()
        assert row["seller_age_days"] == round(
            (now - t[mine.index].min()).total_seconds() / 86_400, 4
        )


# --- the simulator's logs rebuild the simulator's fields -----------------------------------------


def simulate_with_logs(root: Path, suffix: str, n: int = 6_000, seed: int = 5) -> Path:
    config = SimulationConfig(n_listings=n, seed=seed, days=120, chunk_size=2_500)
    output = root / f"snapshot.{suffix}"
    write_simulation(output, config, logs=root / "logs")
    return output


def compare(snapshot: pd.DataFrame, rebuilt: pd.DataFrame) -> dict[str, int]:
    """Rows whose field differs (NaN equals NaN), per seller_* field."""
    assert snapshot["listing_id"].tolist() == rebuilt["listing_id"].tolist()
    diffs = {}
    for name in SELLER_FIELDS:
        a = snapshot[name].to_numpy(dtype=float, na_value=np.nan)
        b = rebuilt[name].to_numpy(dtype=float, na_value=np.nan)
        diffs[name] = int((~((a == b) | (np.isnan(a) & np.isnan(b)))).sum())
    return diffs


def test_simulator_logs_rebuild_every_snapshot_field(tmp_path: Path) -> None:
    snapshot = simulate_with_logs(tmp_path, "csv")
    out = tmp_path / "rebuilt.csv"
    report = seller_history(tmp_path / "logs" / "listings.csv", out, tmp_path / "logs")
    assert report.answered == report.rows == 6_000
    diffs = compare(pd.read_csv(snapshot), pd.read_csv(out))
    assert diffs == dict.fromkeys(SELLER_FIELDS, 0)
    hidden = pd.read_csv(out)["seller_n_listings"].isna().mean()
    assert 0.02 < hidden < 0.3  # hidden sellers are in the test


def test_parquet_logs_rebuild_every_snapshot_field(tmp_path: Path) -> None:
    snapshot = simulate_with_logs(tmp_path, "parquet", n=3_000, seed=8)
    out = tmp_path / "rebuilt.parquet"
    seller_history(tmp_path / "logs" / "listings.parquet", out, tmp_path / "logs")
    diffs = compare(pd.read_parquet(snapshot), pd.read_parquet(out))
    assert diffs == dict.fromkeys(SELLER_FIELDS, 0)


def test_simulator_listings_are_the_same_with_or_without_logs(tmp_path: Path) -> None:
    config = SimulationConfig(n_listings=1_200, seed=2, days=40, chunk_size=500)
    write_simulation(tmp_path / "plain.csv", config)
    write_simulation(tmp_path / "logged.csv", config, logs=tmp_path / "logs")
    assert (tmp_path / "plain.csv").read_bytes() == (tmp_path / "logged.csv").read_bytes()
    end = pd.Timestamp(config.start) + pd.Timedelta(days=config.days)
    for name, column in (("takedowns", "removed_at"), ("sales", "sold_at"),
                         ("returns", "returned_at"), ("ratings", "rated_at")):  # fmt: skip
        times = pd.to_datetime(pd.read_csv(tmp_path / "logs" / f"{name}.csv")[column], utc=True)
        assert len(times) and (times < end.tz_localize("UTC")).all()  # exported at the end
    sellers = pd.read_csv(tmp_path / "logs" / "sellers.csv")
    assert {"seller_id", "joined_at", "hidden", "as_of"} <= set(sellers.columns)


# --- a separate listing history: train / evaluate ------------------------------------------------


def test_rows_matched_to_a_history_log_or_answered_from_it(logs_dir: Callable[..., Path]) -> None:
    history = [listing_row("a", -2 * DAY), listing_row("b", -DAY), listing_row("c", DAY)]
    root = logs_dir(listings=history)
    data = pd.DataFrame([listing_row("b", -DAY), listing_row("new"), listing_row("c", DAY)])
    with seller_fields(data, root) as fields:
        assert fields.report.from_log == 2
        frame = fields.frame(np.arange(3))
    assert frame["seller_n_listings"].tolist() == [1, 2, 2]  # "new" is not in the history


def test_train_and_evaluate_helpers_attach_the_same_fields(
    tmp_path: Path, logs_dir: Callable[..., Path]
) -> None:
    from cfdetect.training import read_training_frame, with_seller_logs

    simulate_with_logs(tmp_path, "csv", n=1_500, seed=3)
    logs = tmp_path / "logs"
    data = pd.read_csv(tmp_path / "snapshot.csv").drop(columns=list(SELLER_FIELDS))
    rows = read_training_frame(data)
    attached = with_seller_logs(data, rows, logs)
    out = tmp_path / "rebuilt.csv"
    seller_history(logs / "listings.csv", out, logs)
    expected = pd.read_csv(out)
    for name in SELLER_FIELDS:
        pd.testing.assert_series_equal(
            attached[name].astype(float), expected[name].astype(float), check_names=False
        )


@pytest.mark.slow
def test_cli_train_and_evaluate_accept_seller_logs(tmp_path: Path) -> None:
    simulate_with_logs(tmp_path, "csv", n=4_000, seed=4)
    data = pd.read_csv(tmp_path / "snapshot.csv").drop(columns=list(SELLER_FIELDS))
    data.to_csv(tmp_path / "bare.csv", index=False)
    runner = CliRunner()
    logs = str(tmp_path / "logs")
    trained = runner.invoke(app, ["train", str(tmp_path / "bare.csv"), "-o",
                                  str(tmp_path / "model"), "--seller-logs", logs,
                                  "--no-ablation", "--max-train-rows", "3000"])  # fmt: skip
    assert trained.exit_code == 0, trained.output
    model, out = str(tmp_path / "model"), str(tmp_path / "eval")
    args = ["evaluate", str(tmp_path / "bare.csv"), "--model", model, "--trust", str(tmp_path),
            "--seller-logs", logs, "--out", out]  # fmt: skip
    evaluated = runner.invoke(app, args)
    assert evaluated.exit_code == 0, evaluated.output


# --- errors --------------------------------------------------------------------------------------


def test_a_bad_timestamp_names_file_row_and_column(logs_dir: Callable[..., Path]) -> None:
    takedowns = [
        {"seller_id": "s1", "removed_at": stamp()},
        {"seller_id": "s1", "removed_at": "yesterday-ish"},
    ]
    root = logs_dir(listings=[listing_row("a")], takedowns=takedowns)
    with pytest.raises(InputError, match=r"takedowns\.csv: row 2: removed_at: 'yesterday-ish'"):
        rebuild(root)
    assert not (root / "out.csv").exists()


@pytest.mark.parametrize(
    ("logs", "message"),
    [
        ({"listings": [listing_row("a", created_at="")]}, r"row 1: created_at is empty"),
        ({"listings": [listing_row("a", seller_id=" ")]}, r"row 1: seller_id is empty"),
        ({"listings": [listing_row("a")], "ratings": [{"seller_id": "s1", "rated_at": stamp(),
                                                       "stars": 7}]}, r"stars: 7 is not a rating"),
        ({"listings": [listing_row("a")], "sales": [{"seller_id": "s1"}]},
         r"the sales log needs column\(s\) sold_at"),
        ({"listings": [listing_row("a")], "sellers": [{"seller_id": "s1",
                                                       "joined_at": stamp(DAY)}]},
         r"listings\.csv: row 1: created_at is before its seller's joined_at"),
        ({"listings": [listing_row("a")], "sellers": [{"seller_id": "s1", "prior_listings": 3}]},
         r"sellers\.csv: row 1: as_of is empty"),
        ({"listings": [listing_row("a"), listing_row("a", DAY)]},
         r"row 2: listing_id appears earlier \(row 1\)"),
        ({"listings": [listing_row("a")], "sellers": [{"seller_id": "s1"}, {"seller_id": "s1"}]},
         r"sellers\.csv: row 2: seller_id appears twice"),
    ],
)  # fmt: skip
def test_bad_logs_are_one_line_errors(
    logs_dir: Callable[..., Path], logs: dict[str, list[dict]], message: str
) -> None:
    with pytest.raises(InputError, match=message) as caught:
        rebuild(logs_dir(**logs))
    assert "\n" not in str(caught.value)


def test_usage_errors(tmp_path: Path, logs_dir: Callable[..., Path]) -> None:
    with pytest.raises(UsageError, match="no such directory"):
        SellerLogs.from_dir(tmp_path / "nope")
    root = logs_dir(listings=[listing_row("a")])
    with pytest.raises(UsageError, match="not stdin"):
        seller_fields("-", root, fmt="csv")
    (root / "takedowns.csv").write_text("seller_id,removed_at\n")
    (root / "takedowns.jsonl").write_text("")
    with pytest.raises(UsageError, match="several takedowns logs"):
        SellerLogs.from_dir(root)


# --- the command ---------------------------------------------------------------------------------


def test_cli_seller_history(tmp_path: Path, logs_dir: Callable[..., Path]) -> None:
    listings = [listing_row("a", -DAY), listing_row("b")]
    takedowns = [{"seller_id": "s1", "removed_at": stamp(-SECOND)}]
    root = logs_dir(listings=listings)
    pd.DataFrame(takedowns).to_csv(tmp_path / "td.csv", index=False)
    out = tmp_path / "out.jsonl"
    args = ["seller-history", str(root / "listings.csv"), "--takedowns", str(tmp_path / "td.csv"),
            "-o", str(out)]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "logs not given" in result.output
    rows = pd.read_json(out, lines=True)
    assert rows["seller_n_takedowns"].tolist() == [0, 1]
    assert rows["title"].tolist() == ["Item a", "Item b"]  # other columns carried through


@pytest.mark.parametrize(
    ("extra", "code"),
    [(["--logs", "missing-dir"], 2), (["--takedowns", "missing.csv"], 1)],
)
def test_cli_exit_codes(
    logs_dir: Callable[..., Path], tmp_path: Path, extra: list[str], code: int
) -> None:
    root = logs_dir(listings=[listing_row("a")])
    args = ["seller-history", str(root / "listings.csv"), "-o", str(tmp_path / "o.csv"), *extra]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == code
    assert "error:" in result.output


def test_cli_simulate_writes_logs(tmp_path: Path) -> None:
    args = ["simulate", "-o", str(tmp_path / "l.csv.gz"), "--listings", "300", "--days", "20",
            "--logs", str(tmp_path / "logs")]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "logs").iterdir()) == [
        f"{n}.csv.gz" for n in ("listings", "ratings", "returns", "sales", "sellers", "takedowns")
    ]
