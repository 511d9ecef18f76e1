"""A model card shown as a rich table (``cfdetect train`` and ``cfdetect info``)."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from cfdetect._terminal import clean as _clean
from cfdetect.cli._common import _fmt


def _card_table(card: dict[str, object]) -> Table:
    table = Table(title=f"model {card.get('name')}", show_header=False)
    training = card.get("training", {})
    data = card.get("training_data", {})
    thresholds = card.get("thresholds", {})
    metrics = card.get("holdout_metrics", {})
    assert isinstance(training, dict) and isinstance(data, dict)
    assert isinstance(thresholds, dict) and isinstance(metrics, dict)
    table.add_row(
        "trained on",
        f"{training.get('trained_on')} ({data.get('labelled_rows', '?'):,} rows"
        f", positive rate {data.get('positive_rate', 0):.3f})",
    )
    if training.get("simulated"):
        table.add_row("data", "simulated listings (cfdetect simulate), not real marketplace data")
    table.add_row("command", str(training.get("command") or "not recorded (trained from Python)"))
    table.add_row("time span", " → ".join(data.get("time_span", ["?", "?"])))
    reference = card.get("monitor_reference")
    if isinstance(reference, dict):
        table.add_row(
            "monitor reference",
            f"{reference.get('rows', 0):,} hold-out listings ({reference.get('file')})",
        )
    if metrics.get("positives") == 0:
        table.add_row("hold-out", "holds no infringing listing: no ranking figures")
    for key in ("pr_auc", "recall_at_98_precision", "recall_at_95_precision", "brier", "ece"):
        table.add_row(f"hold-out {key}", _fmt(metrics.get(key)))
    for name in ("baseline", "baseline_tuned"):
        base = metrics.get(name)
        if isinstance(base, dict):
            table.add_row(
                name.replace("_", " "),
                f"PR-AUC {_fmt(base.get('pr_auc'))}, recall@98% precision "
                f"{_fmt(base.get('recall_at_98_precision'))}  ({base.get('pipeline')})",
            )
    table.add_row(
        "block threshold", f"{_fmt(thresholds.get('block'))}  ({thresholds.get('method')})"
    )
    table.add_row("review threshold", _fmt(thresholds.get("review")))
    _policy_rows(table, card.get("decision_policy"), metrics.get("decision_policy"))
    _calibration_rows(table, metrics, training.get("check_set"))
    config = card.get("config", {})
    if isinstance(config, dict) and "monotonic" in config:
        table.add_row(
            "monotonic constraints",
            "on (cfdetect.constraints.MONOTONIC)" if config["monotonic"] else "off",
        )
    for row in card.get("ablation", []) or []:  # type: ignore[union-attr]
        table.add_row(f"ablation {row['variant']}", f"PR-AUC {_fmt(row['pr_auc'])}")
    versions = card.get("versions", {})
    assert isinstance(versions, dict)
    table.add_row("versions", ", ".join(f"{k} {v}" for k, v in versions.items()))
    table.add_row("model sha256", str(card.get("model_sha256")))
    return table


def _curve_text(curve: object) -> str:
    """A calibration curve in one line: mean score -> observed rate (rows) per bin."""
    if not isinstance(curve, list) or not curve:
        return "-"
    return ", ".join(
        f"{row['mean_score']:.2f}→{row['observed']:.2f} ({row['rows']:,})" for row in curve
    )


def _calibration_rows(table: Table, metrics: dict[str, Any], check: object) -> None:
    """Calibration curves of the card: hold-out, its unfamiliar listings, the check set."""
    if "calibration_curve" in metrics:
        table.add_row("calibration, hold-out", _curve_text(metrics["calibration_curve"]))
        table.add_row(
            "calibration, unfamiliar", _curve_text(metrics.get("calibration_curve_unfamiliar"))
        )
    if isinstance(check, dict):
        table.add_row(
            "check set (never trained on)",
            f"{_clean(str(check.get('path'))).plain}: {check.get('rows', 0):,} listings, PR-AUC "
            f"{_fmt(check.get('pr_auc'))}, block precision {_fmt(check.get('block_precision'))}, "
            f"genuine blocked {check.get('genuine_blocked')} of {check.get('genuine')}",
        )
        table.add_row("calibration, check set", _curve_text(check.get("calibration_curve")))


def _policy_rows(table: Table, policy: object, moved: object) -> None:
    """The card's decision policy (issue 19): evidence codes, unfamiliar checks, hold-out moves."""
    if not isinstance(policy, dict):
        table.add_row("decision policy", "none: block on the threshold alone (older card)")
        return
    if policy.get("block_requires_evidence"):
        codes = dict.fromkeys(str(e.get("code")) for e in policy.get("evidence", []))
        table.add_row("block needs evidence", ", ".join(codes))
    if policy.get("unfamiliar_never_blocked"):
        checks = ", ".join(str(c.get("check")) for c in policy.get("unfamiliar", []))
        table.add_row("unfamiliar never blocked", checks)
    if isinstance(moved, dict):
        table.add_row(
            "policy on the hold-out",
            f"{moved.get('moved_to_review', 0):,} of {moved.get('over_block_threshold', 0):,} "
            f"listings over the block threshold moved to review "
            f"({moved.get('moved_no_evidence', 0):,} without evidence, "
            f"{moved.get('moved_unfamiliar', 0):,} unfamiliar); unfamiliar share "
            f"{_fmt(moved.get('unfamiliar_share'))}",
        )
