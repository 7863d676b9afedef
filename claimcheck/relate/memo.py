"""Remember a judge's verdicts by text pair, for the length of a batch job.

News copies repeat sentences (wire stories, updates of one report), so the same two
propositions meet again and again as a store grows; the model's verdict on a pair of
texts does not change, and the structured checks still run on every pair."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from claimcheck.relate.base import RelationJudge
from claimcheck.types import Judgement


class MemoJudge:
    def __init__(self, inner: RelationJudge, capacity: int = 200_000):
        self.inner = inner
        self.name = inner.name
        self.capacity = capacity
        self.hits = 0
        self._seen: OrderedDict[tuple[str, str], Judgement] = OrderedDict()

    def judge(self, a: Sequence[str], b: Sequence[str], similarity: Sequence[float]) -> list[Judgement]:
        keys = list(zip(a, b))
        first: dict[tuple[str, str], int] = {}
        for n, key in enumerate(keys):
            if key not in self._seen:
                first.setdefault(key, n)
        todo = list(first.values())
        self.hits += len(keys) - len(todo)
        if todo:
            fresh = self.inner.judge([a[n] for n in todo], [b[n] for n in todo], [similarity[n] for n in todo])
            for n, verdict in zip(todo, fresh):
                self._seen[keys[n]] = verdict
        out = []
        for key in keys:
            self._seen.move_to_end(key)
            out.append(self._seen[key])
        while len(self._seen) > self.capacity:
            self._seen.popitem(last=False)
        return out

