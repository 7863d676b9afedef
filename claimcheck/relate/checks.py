"""Structured checks that overrule or explain a model verdict, each with a reason a
reader can verify: denial against assertion, different numbers, negation."""

from __future__ import annotations

from claimcheck.split.quantities import quantities_conflict
from claimcheck.types import Claim, Judgement


def _who(claim: Claim) -> str:
    return claim.speaker or claim.article_id


def check_pair(a: Claim, b: Claim, verdict: Judgement, similarity: float, anchored: bool = False) -> Judgement:
    """The final verdict on (a, b) given the judge's verdict on their propositions."""
    if a.stance != b.stance:
        denier, reporter = (a, b) if a.stance == "denies" else (b, a)
        same_event = anchored or verdict.verdict in ("agree", "adds_detail")
        if same_event:
            score = max(verdict.score if verdict.verdict != "neutral" else 0.0, 0.75 if anchored else 0.0)
            reason = f"denial: {_who(denier)} rejects that {denier.proposition}; {reporter.article_id} reports it"
            return Judgement("contradict", round(score, 4), reason)
        return Judgement("neutral", verdict.score, verdict.reason)
    if verdict.verdict == "neutral" and similarity < 0.75:
        return verdict
    conflict = quantities_conflict(a.quantities, b.quantities)
    if conflict:
        qa, qb = conflict
        return Judgement("contradict", max(verdict.score, 0.7), f"numbers differ: {qa.text} vs {qb.text}")
    if a.negated != b.negated and verdict.verdict == "agree":
        negated = a if a.negated else b
        return Judgement("contradict", verdict.score, f"negation: {negated.article_id} says the opposite ({verdict.reason})")
    if verdict.verdict == "contradict" and similarity < 0.5:
        # A small model calls loosely related sentences contradictory far too often.
        return Judgement("neutral", verdict.score, verdict.reason)
    speaker = a.speaker or b.speaker
    if speaker and verdict.verdict != "neutral":
        return Judgement(verdict.verdict, verdict.score, f"{verdict.reason}; attributed to {speaker}", verdict.detail_from)
    return verdict
