"""The relate stage: judge candidate pairs and keep the ones that are related."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from claimcheck.relate.base import RelationJudge
from claimcheck.relate.checks import check_pair
from claimcheck.types import Claim, Judgement, Relation


def judge_claims(
    judge: RelationJudge,
    a: list[Claim],
    b: list[Claim],
    similarity: list[float],
    anchored: list[bool] | None = None,
    progress: Callable[[int], None] | None = None,
    batch: int = 2048,
    published: dict[str, date] | None = None,
) -> list[Judgement]:
    """Final verdicts on claim pairs: the judge on their propositions, then the checks.

    `published` maps article ids to publication dates, for time-ordered updates. Pairs go
    to the judge `batch` at a time: the model sorts what it is given by length, and over
    2,048 pairs rather than 64 that padding waste fell enough to judge 1.8 times as many
    pairs a second (bench/bench_judge.py)."""
    anchored = anchored or [False] * len(a)
    published = published or {}
    out: list[Judgement] = []
    for start in range(0, len(a), batch):
        end = start + batch
        verdicts = model_verdicts(judge, a[start:end], b[start:end], similarity[start:end])
        out.extend(
            check_pair(x, y, v, s, anchor, (published.get(x.article_id), published.get(y.article_id)))
            for x, y, v, s, anchor in zip(a[start:end], b[start:end], verdicts, similarity[start:end], anchored[start:end])
        )
        if progress:
            progress(len(verdicts))
    return out


def model_verdicts(judge: RelationJudge, a: list[Claim], b: list[Claim], similarity: list[float]) -> list[Judgement]:
    """The judge's verdicts; a proposition worded exactly like its partner needs no model.

    Syndicated copies repeat whole sentences, so at scale this skips much of the work.
    The checks still run on such pairs: the same words can be asserted by one source and
    denied by another."""
    verdicts: list[Judgement | None] = [SAME_WORDS if _words(x.proposition) == _words(y.proposition) else None
                                        for x, y in zip(a, b)]
    todo = [n for n, v in enumerate(verdicts) if v is None]
    if todo:
        found = judge.judge([a[n].proposition for n in todo], [b[n].proposition for n in todo], [similarity[n] for n in todo])
        for n, verdict in zip(todo, found):
            verdicts[n] = verdict
    return verdicts


SAME_WORDS = Judgement("agree", 1.0, "same wording")


def _words(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip(".")


def relate(
    claims: list[Claim],
    pairs: list[tuple[int, int, float]],
    judge: RelationJudge,
    anchors: set[tuple[int, int]] = frozenset(),
    progress: Callable[[int], None] | None = None,
    published: dict[str, date] | None = None,
) -> list[Relation]:
    """Relations among `pairs` of claim rows, in a stable order."""
    a = [claims[i] for i, _, _ in pairs]
    b = [claims[j] for _, j, _ in pairs]
    anchored = [(i, j) in anchors or (j, i) in anchors for i, j, _ in pairs]
    verdicts = judge_claims(judge, a, b, [s for _, _, s in pairs], anchored, progress, published=published)
    relations = []
    for x, y, verdict in zip(a, b, verdicts):
        if verdict.verdict == "neutral":
            continue
        detail_from = None
        if verdict.verdict == "adds_detail":
            detail_from = x.id if verdict.detail_from == "a" else y.id
        relations.append(Relation(x.id, y.id, verdict.verdict, verdict.score, verdict.reason, detail_from))
    return sorted(relations, key=lambda r: (r.claim_a, r.claim_b))
