"""A transparent first judge from embedding similarity and word containment.

It never calls a contradiction on its own: contradictions need evidence a reader can
check (numbers, negation, denial), which the structured checks supply."""

from __future__ import annotations

import re
from collections.abc import Sequence

from claimcheck.types import Judgement

_STOP = frozenset(
    "a an the of to in on at for and or but with by from as is are was were be been has have had that this these "
    "those it its his her their our we they he she said says also which who whom will would".split()
)
_WORD = re.compile(r"[\w’'-]+")


def content_words(text: str) -> set[str]:
    return {w.lower().strip("’'") for w in _WORD.findall(text)} - _STOP


def containment(small: str, large: str) -> float:
    """Share of `small`'s content words that `large` also has."""
    words = content_words(small)
    return len(words & content_words(large)) / len(words) if words else 0.0


class SimilarityJudge:
    name = "similarity"

    def __init__(self, agree_at: float = 0.8, related_at: float = 0.6, contained_at: float = 0.8):
        self.agree_at = agree_at
        self.related_at = related_at
        self.contained_at = contained_at

    def judge(self, a: Sequence[str], b: Sequence[str], similarity: Sequence[float]) -> list[Judgement]:
        return [self._one(x, y, s) for x, y, s in zip(a, b, similarity)]

    def _one(self, a: str, b: str, similarity: float) -> Judgement:
        b_in_a, a_in_b = containment(b, a), containment(a, b)
        if similarity >= self.related_at and max(b_in_a, a_in_b) >= self.contained_at and abs(b_in_a - a_in_b) >= 0.25:
            detail_from = "a" if b_in_a > a_in_b else "b"
            return Judgement("adds_detail", round(similarity, 4), f"similarity {similarity:.2f}; one says more", detail_from)
        if similarity >= self.agree_at:
            return Judgement("agree", round(similarity, 4), f"similarity {similarity:.2f}")
        return Judgement("neutral", round(1 - similarity, 4), f"similarity {similarity:.2f}")
