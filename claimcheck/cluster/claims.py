"""Cluster claims that state the same fact: a k-nearest-neighbour graph over claim
vectors, cut at a similarity threshold, whose connected components are the clusters."""

from __future__ import annotations

import numpy as np

from claimcheck.cluster.unionfind import UnionFind
from claimcheck.index import VectorIndex
from claimcheck.types import Claim, ClaimCluster


def cluster_claims(
    claims: list[Claim],
    index: VectorIndex,
    story_of: dict[str, str],
    threshold: float,
    neighbours: int,
    extra_edges: list[tuple[int, int]] = (),
) -> list[ClaimCluster]:
    """Clusters of two or more claims; claims left alone are stated by one source only.

    Only claims of different articles in one story are linked: repeats inside an
    article are not corroboration.
    """
    links = UnionFind(len(claims))
    scores, ids = index.neighbours(neighbours)
    for row in range(len(claims)):
        for score, other in zip(scores[row], ids[row]):
            if other < 0 or score < threshold:
                continue
            a, b = claims[row], claims[int(other)]
            if a.article_id != b.article_id and story_of[a.article_id] == story_of[b.article_id]:
                links.union(row, int(other))
    for a, b in extra_edges:
        if story_of[claims[a].article_id] == story_of[claims[b].article_id]:
            links.union(a, b)
    clusters = []
    for members in links.components():
        if len(members) < 2:
            continue
        first = claims[members[0]]
        clusters.append(
            ClaimCluster(
                id=f"k{len(clusters) + 1}",
                story_id=story_of[first.article_id],
                claim_ids=tuple(claims[m].id for m in members),
            )
        )
    return clusters


def cluster_pairs(claims: list[Claim], clusters: list[ClaimCluster], vectors: np.ndarray, min_similarity: float,
                  always: set[tuple[int, int]] = frozenset(), near: np.ndarray | None = None) -> list[tuple[int, int, float]]:
    """Cross-article pairs inside clusters worth judging: (row a, row b, cosine).

    With `near` (each row's nearest neighbours, as VectorIndex.neighbours gives them) only
    neighbouring pairs are judged: a cluster chained through many articles would otherwise
    cost the square of its size, and its distant members are related through the chain."""
    row_of = {c.id: i for i, c in enumerate(claims)}
    neighbours = None if near is None else [set(int(j) for j in row if j >= 0) for row in near]
    pairs = []
    for cluster in clusters:
        rows = [row_of[cid] for cid in cluster.claim_ids]
        for x, i in enumerate(rows):
            for j in rows[x + 1 :]:
                if claims[i].article_id == claims[j].article_id:
                    continue
                anchored = (i, j) in always or (j, i) in always
                if neighbours is not None and not anchored and j not in neighbours[i] and i not in neighbours[j]:
                    continue
                similarity = float(vectors[i] @ vectors[j])
                if similarity >= min_similarity or anchored:
                    pairs.append((i, j, similarity))
    return pairs
