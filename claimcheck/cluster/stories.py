"""Group articles into stories: articles about the same events share many close claims."""

from __future__ import annotations

import numpy as np

from claimcheck.cluster.unionfind import UnionFind
from claimcheck.embed import normalise
from claimcheck.types import Article, Claim


def group_stories(articles: list[Article], claims: list[Claim], vectors: np.ndarray, threshold: float) -> dict[str, str]:
    """article id → story id ("s1", "s2", ... in order of first article).

    Two articles join one story when their claim centroids are close, or when at least
    two of their claims are near-paraphrases (a short report inside a long one).
    """
    order = {a.id: i for i, a in enumerate(articles)}
    rows: dict[int, list[int]] = {i: [] for i in range(len(articles))}
    for row, claim in enumerate(claims):
        rows[order[claim.article_id]].append(row)
    dim = vectors.shape[1] if vectors.size else 1
    centroids = normalise(np.stack([vectors[r].mean(axis=0) if r else np.zeros(dim, np.float32) for r in rows.values()]))
    links = UnionFind(len(articles))
    for i in range(len(articles)):
        for j in range(i + 1, len(articles)):
            if not rows[i] or not rows[j]:
                continue
            close_pairs = int((vectors[rows[i]] @ vectors[rows[j]].T >= 0.8).sum())
            if float(centroids[i] @ centroids[j]) >= threshold or close_pairs >= 2:
                links.union(i, j)
    story_of: dict[str, str] = {}
    for number, members in enumerate(links.components(), start=1):
        for member in members:
            story_of[articles[member].id] = f"s{number}"
    return story_of
