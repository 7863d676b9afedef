"""The relation-judge contract: ordered text pairs in, one Judgement per pair out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from claimcheck.types import Judgement


class RelationJudge(Protocol):
    name: str

    def judge(self, a: Sequence[str], b: Sequence[str], similarity: Sequence[float]) -> list[Judgement]:
        """Verdicts for pairs (a[i], b[i]); `similarity` is their embedding cosine."""
        ...

