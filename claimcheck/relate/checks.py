"""Structured checks that overrule or explain a model verdict, each with a reason a
reader can verify: denial against assertion, different numbers or dates, negation."""

from __future__ import annotations

import re
from datetime import date

from claimcheck.config import Config
from claimcheck.split.dates import dates_conflict, describe
from claimcheck.split.claims import leading_name
from claimcheck.split.quantities import quantities_conflict
from claimcheck.relate.similarity import containment
from claimcheck.types import Claim, Judgement


CONTRADICTION_MIN_SIMILARITY = Config().contradiction_similarity
DENIAL_MIN_ENTAILMENT = Config().denial_entailment


def _who(claim: Claim) -> str:
    return claim.speaker or claim.article_id


def _different_actors(a: str, b: str) -> tuple[str, str] | None:
    """Both claims say the same thing of different named actors ("Lavrov said X" vs
    "Araghchi said X"). Names sharing a word ("Aref", "Mohammad-Reza Aref") are one actor."""
    name_a, name_b = leading_name(a), leading_name(b)
    if not name_a or not name_b or set(name_a.lower().split()) & set(name_b.lower().split()):
        return None
    rest_a, rest_b = a[len(name_a):], b[len(name_b):]
    if min(containment(rest_a, rest_b), containment(rest_b, rest_a)) >= 0.8 and len(rest_a.split()) >= 3:
        return name_a, name_b
    return None


_PLANNED = re.compile(r"\b(?:preparing|plan(?:s|ning)?|set|expected|scheduled|due|aim(?:s|ing)?|intend(?:s|ing)?)\s+to\s+(?P<verb>\w+)|\bwill\s+(?P<verb2>\w+)", re.I)


def _update(a: Claim, b: Claim, published: tuple[date | None, date | None]) -> Judgement | None:
    """A later report that what an earlier one announced has happened ("preparing to
    sign" → "signed") is an update, not a contradiction, when the dates say so."""
    for (early, p_early), (late, p_late), side in (((a, published[0]), (b, published[1]), "b"), ((b, published[1]), (a, published[0]), "a")):
        planned = _PLANNED.search(early.proposition)
        if not planned or not p_early or not p_late or p_late <= p_early:
            continue
        verb = (planned.group("verb") or planned.group("verb2")).lower()
        past = {verb + "ed", verb + "d", verb[:-1] + "ied" if verb.endswith("y") else verb + "ed"}
        if any(word.lower() in past for word in re.findall(r"\w+", late.proposition)):
            return Judgement("adds_detail", 0.7, f"update: {p_early} report said it was planned; {p_late} report says it happened", side)
    return None


def check_pair(a: Claim, b: Claim, verdict: Judgement, similarity: float, anchored: bool = False,
               published: tuple[date | None, date | None] = (None, None)) -> Judgement:
    """The final verdict on (a, b) given the judge's verdict on their propositions."""
    if verdict.verdict != "neutral" or similarity >= 0.75:
        update = _update(a, b, published)
        if update:
            return update
    if a.stance != b.stance:
        denier, reporter = (a, b) if a.stance == "denies" else (b, a)
        # The report contradicts the denial only if it asserts what is denied: the two agree,
        # or the report says more. A report saying less ("the issues concern the snapback
        # mechanism" against a denial that it was triggered) does not assert it.
        asserts_denied = verdict.score >= DENIAL_MIN_ENTAILMENT and (verdict.verdict == "agree" or (
            verdict.verdict == "adds_detail" and verdict.detail_from == ("a" if reporter is a else "b")))
        if anchored or asserts_denied:
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
    dates = dates_conflict(a.dates, b.dates)
    if dates:
        da, db = dates
        return Judgement("contradict", max(verdict.score, 0.7), f"dates differ: {describe(da)} vs {describe(db)}")
    names = _different_actors(a.proposition, b.proposition)
    if names:
        return Judgement("contradict", max(verdict.score, 0.7), f"different names in the same role: {names[0]} vs {names[1]}")
    if a.negated != b.negated and verdict.verdict == "agree":
        negated = a if a.negated else b
        return Judgement("contradict", verdict.score, f"negation: {negated.article_id} says the opposite ({verdict.reason})")
    if verdict.verdict == "contradict" and similarity < CONTRADICTION_MIN_SIMILARITY:
        # A small model calls loosely related sentences contradictory far too often. The
        # score stays a probability of the verdict given: what the model leaves outside
        # its contradiction.
        return Judgement("neutral", round(1 - verdict.score, 4), verdict.reason)
    if (a.speaker or b.speaker) and verdict.verdict != "neutral":
        return Judgement(verdict.verdict, verdict.score, f"{verdict.reason}; {_attributions(a, b)}", verdict.detail_from)
    return verdict


def _attributions(a: Claim, b: Claim) -> str:
    """Who is said to have claimed what: a report of speech is evidence of the speech."""
    if a.speaker == b.speaker:
        return f"both attributed to {a.speaker}"
    return "; ".join(f"{c.article_id} attributes it to {c.speaker}" for c in (a, b) if c.speaker)
