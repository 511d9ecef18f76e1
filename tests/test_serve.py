"""``cfdetect serve``: the routes, the same scores as ``Scorer.score`` to the bit, limits, metrics,
reload by atomic swap, SIGHUP under traffic, and schemathesis against the app's own OpenAPI."""

from __future__ import annotations

import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

with warnings.catch_warnings():  # starlette's notice about its httpx-based test client
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

from cfdetect.scorer import Scorer
from cfdetect.serve import create_app

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample_listings.csv"


@pytest.fixture(scope="module")
def app() -> Any:
    return create_app(max_batch=50, max_body_bytes=200_000)


@pytest.fixture(scope="module")
def client(app: Any) -> TestClient:
    return TestClient(app)


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return Scorer.load()


@pytest.fixture(scope="module")
def listings() -> list[dict[str, Any]]:
    """Raw listings as a pipeline would send them: the sample file's strings, missing omitted."""
    raw = pd.read_csv(SAMPLE, nrows=40, dtype=str, keep_default_na=False)
    raw = raw.drop(columns=["is_counterfeit"], errors="ignore")
    return [{k: v for k, v in row.items() if v != ""} for row in raw.to_dict("records")]


def _reasons(reasons: tuple[Any, ...]) -> list[dict[str, Any]]:
    return [{"code": r.code, "text": r.text, "weight": r.weight} for r in reasons]


def test_import_cfdetect_does_not_import_fastapi() -> None:
    code = "import sys, cfdetect, cfdetect.serve, cfdetect.cli; print('fastapi' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.stdout.strip() == "False", out.stderr


def test_score_equals_scorer_score_to_the_bit(
    client: TestClient, scorer: Scorer, listings: list[dict[str, Any]]
) -> None:
    for listing in listings:
        expected = scorer.score(listing, explain="all")
        response = client.post("/v1/score", params={"explain": "all"}, json=listing)
        assert response.status_code == 200, response.text
        got = response.json()
        assert got["score"] == expected.score  # the same double: JSON floats round-trip
        assert got["decision"] == expected.decision
        assert got["reasons"] == _reasons(expected.reasons)
        assert got["in_favour"] == _reasons(expected.in_favour)
        assert got["model_sha256"] == scorer.card["model_sha256"]


def test_batch_equals_scorer_score_json_array_and_json_lines(
    client: TestClient, scorer: Scorer, listings: list[dict[str, Any]]
) -> None:
    expected = [scorer.score(x) for x in listings]
    body = client.post("/v1/score/batch", json=listings).json()
    assert body["scored"] == len(listings) and body["rejected"] == 0
    assert [r["score"] for r in body["results"]] == [e.score for e in expected]
    assert [r["decision"] for r in body["results"]] == [e.decision for e in expected]
    lines = "".join(json.dumps(x) + "\n" for x in listings)
    streamed = client.post(
        "/v1/score/batch", content=lines, headers={"content-type": "application/x-ndjson"}
    )
    assert streamed.headers["content-type"].startswith("application/x-ndjson")
    out = [json.loads(line) for line in streamed.text.splitlines()]
    assert [r["score"] for r in out] == [e.score for e in expected]


def test_score_equals_the_cli(tmp_path: Path, client: TestClient) -> None:
    """The CLI's ``score`` on a file and the service on its rows give the same scores."""
    from typer.testing import CliRunner

    from cfdetect.cli import app as cli

    raw = pd.read_csv(SAMPLE, nrows=25, dtype=str, keep_default_na=False)
    path = tmp_path / "in.csv"
    raw.to_csv(path, index=False)
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli, ["score", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    cli_scores = {
        (row := json.loads(line))["listing_id"]: row["score"]
        for line in out.read_text().splitlines()
    }
    rows = [{k: v for k, v in r.items() if v != ""} for r in raw.to_dict("records")]
    body = client.post("/v1/score/batch", json=rows).json()
    assert {r["listing_id"]: r["score"] for r in body["results"]} == cli_scores


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        ({"price": "free"}, "price", "not a number"),
        ({"ships_from": "ZZ"}, "ships_from", "ISO 3166"),
        ({"title": "   "}, "title", "empty"),
        ({"seller_rating": 9}, "seller_rating", ""),
    ],
)
def test_bad_listing_is_422_naming_field_and_reason(
    client: TestClient, listings: list[dict[str, Any]], change: dict[str, Any], field: str,
    fragment: str,
) -> None:  # fmt: skip
    response = client.post("/v1/score", json={**listings[0], **change})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == field and fragment in error["reason"]


def test_batch_rejects_are_items_not_failures(
    client: TestClient, listings: list[dict[str, Any]]
) -> None:
    body = client.post(
        "/v1/score/batch", json=[listings[0], {**listings[1], "price": "free"}, 7]
    ).json()
    assert (body["scored"], body["rejected"]) == (1, 2)
    assert body["results"][1]["error"]["field"] == "price" and body["results"][1]["index"] == 1
    assert body["results"][2]["error"]["field"] == "_row"


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/v1/score", b"not json", 422),
        ("/v1/score", b"[1, 2]", 422),
        ("/v1/score/batch", b'{"a": 1}', 422),
        ("/v1/score", b'{"title": "' + b"x" * 300_000 + b'"}', 413),
    ],
)
def test_bad_bodies(client: TestClient, path: str, body: bytes, status: int) -> None:
    response = client.post(path, content=body, headers={"content-type": "application/json"})
    assert response.status_code == status
    assert set(response.json()["error"]) == {"field", "reason"}


def test_batch_limit(client: TestClient, listings: list[dict[str, Any]]) -> None:
    many = [{**listings[0], "listing_id": str(i)} for i in range(51)]
    assert client.post("/v1/score/batch", json=many).status_code == 413
    lines = "".join(json.dumps(x) + "\n" for x in many)
    streamed = client.post(
        "/v1/score/batch", content=lines, headers={"content-type": "application/x-ndjson"}
    ).text.splitlines()
    assert len(streamed) == 51 and "over the limit" in streamed[-1]


def test_health_ready_model_metrics(client: TestClient, scorer: Scorer) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json()["model_sha256"] == scorer.card["model_sha256"]
    model = client.get("/v1/model").json()
    assert model["card"]["model_sha256"] == scorer.card["model_sha256"]
    assert model["thresholds"]["block"] == scorer.block_threshold
    text = client.get("/metrics").text
    assert "# TYPE cfdetect_request_duration_seconds histogram" in text
    for name in ("requests_total", "decisions_total", "rejects_total"):
        assert f"cfdetect_{name}{{" in text
    assert 'cfdetect_rejects_total{field="price"}' in text


def test_reload_swaps_atomically_in_flight_keeps_its_scorer(
    app: Any, client: TestClient, listings: list[dict[str, Any]]
) -> None:
    holder = app.state.holder
    before = holder.scorer  # what a request in flight holds
    fresh = holder.reload()
    assert holder.scorer is fresh and fresh is not before and holder.reloads >= 1
    assert before.score(listings[0]).score == fresh.score(listings[0]).score
    assert client.get("/readyz").json()["reloads"] == holder.reloads


def test_reload_failure_keeps_the_old_model(tmp_path: Path) -> None:
    import shutil

    from cfdetect.artifact import default_model_dir
    from cfdetect.errors import ModelError

    model = tmp_path / "m"
    shutil.copytree(default_model_dir(), model)
    app = create_app(model, trust=True)
    before = app.state.holder.scorer
    (model / "model.joblib").write_bytes(b"tampered")
    with pytest.raises(ModelError, match="sha256"):
        app.state.holder.reload()
    assert app.state.holder.scorer is before
    assert "sha256" in TestClient(app).get("/readyz").json()["last_reload_error"]


def test_untrusted_model_is_refused(tmp_path: Path) -> None:
    import shutil

    from cfdetect.artifact import default_model_dir
    from cfdetect.errors import ModelError

    shutil.copytree(default_model_dir(), tmp_path / "m")
    with pytest.raises(ModelError, match="trusted"):
        create_app(tmp_path / "m")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_sighup_reload_under_traffic_loses_no_request(
    listings: list[dict[str, Any]], scorer: Scorer, workers: int
) -> None:
    import httpx

    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "cfdetect.cli", "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--workers", str(workers), "--log-level", "warning"], env=env
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30) as http:
            deadline = time.monotonic() + 90
            while True:
                try:
                    if http.get("/readyz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline and server.poll() is None, "did not start"
                time.sleep(0.2)
            pids_before = {http.get("/v1/model").json()["pid"] for _ in range(12)}
            failures: list[str] = []
            scores: list[float] = []
            stop = threading.Event()

            def traffic() -> None:
                with httpx.Client(base_url=base, timeout=30) as mine:
                    i = 0
                    while not stop.is_set():
                        listing = listings[i % len(listings)]
                        i += 1
                        try:
                            r = mine.post("/v1/score", json=listing)
                        except httpx.HTTPError as exc:
                            failures.append(repr(exc))
                            continue
                        if r.status_code != 200:
                            failures.append(f"{r.status_code} {r.text[:200]}")
                        elif listing is listings[0]:
                            scores.append(r.json()["score"])

            threads = [threading.Thread(target=traffic) for _ in range(3)]
            for t in threads:
                t.start()
            time.sleep(1.0)
            server.send_signal(signal.SIGHUP)
            reloaded = False
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                time.sleep(0.5)
                answers = [http.get("/v1/model").json() for _ in range(12)]
                reloaded = all(a["reloads"] >= 1 for a in answers)  # every worker reloaded
                if reloaded:
                    break
            time.sleep(1.0)  # traffic on the new model too
            stop.set()
            for t in threads:
                t.join()
            assert reloaded
            assert {a["pid"] for a in answers} <= pids_before  # in place: the same processes
            assert server.poll() is None, "the server stopped on SIGHUP"
            assert failures == []
            assert scores and set(scores) == {scorer.score(listings[0]).score}
    finally:
        server.terminate()
        server.wait(timeout=60)


@pytest.mark.slow
def test_schemathesis_against_the_openapi_schema(app: Any) -> None:
    """Requests generated from the app's own OpenAPI schema, 30 per operation, valid and
    invalid: never a server
    error, and every response as the schema says (status codes, content types, bodies).

    Driven by hypothesis directly: schemathesis' pytest plugin does not run under pytest 9."""
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis.generation import GenerationMode
    from schemathesis.specs.openapi.checks import (
        negative_data_rejection,
        positive_data_acceptance,
    )

    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/v1/score", "/v1/score/batch", "/metrics"}

    for operation, mode in itertools.product(operations, list(GenerationMode)):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=30,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case: Any) -> None:
            # the schema gives JSON types; the parsers then check the values, so a schema-valid
            # listing may still be a 422 (price "free"), and a batch answers 200 with its bad
            # items as rejects: acceptance and rejection by the schema alone are not checked
            case.call_and_validate(
                excluded_checks=[positive_data_acceptance, negative_data_rejection]
            )

        try:
            check()
        except Unsatisfiable:  # a GET without parameters has nothing to send wrong
            assert mode == GenerationMode.NEGATIVE and operation.method.upper() == "GET"


def test_score_result_scores_are_finite(client: TestClient, listings: list[dict[str, Any]]) -> None:
    body = client.post("/v1/score/batch", json=listings[:5]).json()
    assert np.isfinite([r["score"] for r in body["results"]]).all()
