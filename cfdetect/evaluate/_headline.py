"""The headline block: statement-style figures, then the figures such statements leave out.

Marketplace statements ("98% of proactive takedowns were removed before a single sale could be
made", "97% of takedown requests were handled within 24 hours", "takedown requests declined 25%
year on year") use denominators that hide how much is missed. The headline states the same
figures in the statements' words, with their counts, and puts proactive recall and the
wrongly-blocked rate right after them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cfdetect._stats import Rate

if TYPE_CHECKING:
    from cfdetect.evaluate._result import EvaluationResult


def _pct(rate: Rate) -> str:
    return rate.percent()


def _ci(rate: Rate) -> str:
    text = rate.interval_text()
    return f" {text}" if text else ""


def _n(value: int | float | None) -> str:
    return "?" if value is None else f"{int(value):,}"


def headline(result: EvaluationResult) -> dict[str, list[str]]:
    """Return ``{"statement": [...], "omitted": [...]}``: sentences in the statements' words,
    then the ones they leave out (proactive recall, genuine listings wrongly blocked).
    """
    f = result.figures
    if result.status == "scores":
        counts = ", ".join(f"{v:,} {k}" for k, v in result.decision_counts.items())
        return {
            "statement": ["No labels: catch rates cannot be computed. Decisions: " + counts + "."],
            "omitted": [
                "Proactive recall and genuine listings wrongly blocked need the label column "
                "is_counterfeit."
            ],
        }
    statement: list[str] = []
    if result.status == "full":
        caught = f["removed_before_first_sale"]
        statement.append(
            f"{_pct(caught)} of proactive takedowns were removed before a single sale could be "
            f"made ({_n(caught.numerator)} of {_n(caught.denominator)} caught listings — "
            f"conditional on being caught){_ci(caught)}."
        )
        fast = f["notices_handled_24h"]
        statement.append(
            f"{_pct(fast)} of takedown notices were handled within 24 hours "
            f"({_n(fast.numerator)} of {_n(fast.denominator)} notices){_ci(fast)}."
        )
        statement.append(_change_sentence(f["notices_change"], result.config.get("baseline")))
        statement.append(_blocked_sentence(f["prepublication_catch_rate"]))
        share = f["proactive_share_of_takedowns"]
        statement.append(
            f"{_pct(share)} of takedowns were proactive, made before any rights-holder notice "
            f"({_n(share.numerator)} of {_n(share.denominator)} infringing listings taken down "
            f"in the period){_ci(share)}."
        )
    else:
        missing = ", ".join(result.config.get("replay_missing_columns", [])) or "?"
        statement.append(
            "Statement-style figures (removed before a single sale, notices handled within 24 "
            "hours, change in notices, share of takedowns that were proactive) need the timeline "
            "replay, which needs the columns created_at, first_sale_at and reported_at; this "
            f"data lacks {missing}."
        )
        statement.append(_blocked_sentence(f["prepublication_catch_rate"]))
    omitted = []
    if result.status == "full":
        recall = f["proactive_recall"]
        missed = (recall.denominator or 0) - (recall.numerator or 0)
        omitted.append(
            f"But: proactive recall is {_pct(recall)} — {_n(recall.numerator)} of ALL "
            f"{_n(recall.denominator)} infringing listings were taken down before any notice; "
            f"{missed:,} were not{_ci(recall)}."
        )
    else:
        flagged = f["flagged_recall"]
        omitted.append(
            f"But: at most {_pct(flagged)} of ALL infringing listings are caught — "
            f"{_n(flagged.numerator)} of {_n(flagged.denominator)} were blocked or sent to "
            f"review (with unlimited reviewers){_ci(flagged)}."
        )
    wrong = f["wrongly_blocked_rate"]
    sellers = f["genuine_sellers_affected"]
    if sellers.numerator is None:
        affected = "sellers affected: needs seller_id"
    else:
        plural = "" if sellers.numerator == 1 else "s"
        affected = f"{_n(sellers.numerator)} seller{plural} affected"
    omitted.append(
        f"Genuine listings wrongly blocked: {_pct(wrong)} ({_n(wrong.numerator)} of "
        f"{_n(wrong.denominator)} genuine listings; {affected}){_ci(wrong)}."
    )
    if result.status == "full":
        sold = f["infringing_sold"]
        omitted.append(
            f"Infringing listings that sold before removal: {_pct(sold)} ({_n(sold.numerator)} of "
            f"ALL {_n(sold.denominator)} infringing listings, caught or not){_ci(sold)}."
        )
    return {"statement": statement, "omitted": omitted}


def _blocked_sentence(blocked: Rate) -> str:
    return (
        f"{_pct(blocked)} of infringing listings were blocked before publication "
        f"({_n(blocked.numerator)} of ALL {_n(blocked.denominator)} infringing listings)"
        f"{_ci(blocked)}."
    )


BASELINE_NAMES = {"none": "none (no proactive screening)", "keywords": "keywords (title filter)"}


def _change_sentence(change: Rate, baseline: object) -> str:
    name = f"baseline {BASELINE_NAMES.get(str(baseline), baseline)}"
    counts = f"{_n(change.numerator)} with the model vs {_n(change.denominator)} with the baseline"
    if change.value is None:
        return f"Takedown notices: no change can be stated, the {name} had none ({counts})."
    verb = "declined" if change.value < 0 else "rose" if change.value > 0 else "did not change"
    size = "" if change.value == 0 else f" {abs(100 * change.value):.1f}%"
    return f"Takedown notices {verb}{size} against {name} ({counts}){_ci(change)}."
