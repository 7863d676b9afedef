"""Group articles into stories: articles about the same events name the same people, places and numbers.

Topical closeness alone over-merges: two earthquakes, two rehab stays or two hijackings read
alike to a sentence embedder. What tells them apart is cheap to see in the text: who, where,
when and how many. So the similarity of two articles is mostly a TF-IDF cosine over their
names and numbers, with a smaller share of the cosine between their claim centroids, and
articles are grouped by average-linkage agglomeration (a story must be close on average, not
through one chain of near pairs, which is what made single-link union-find over-merge).
Measured by bench/bench_stories.py on ECB+ (see README).
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter

import numpy as np

from claimcheck.cluster.unionfind import UnionFind
from claimcheck.embed import normalise
from claimcheck.types import Article, Claim

# Share of the claim-centroid cosine in the story similarity; the rest is name/number overlap.
# From bench/bench_stories.py --sweep on ECB+ topics 1-24: names alone score a little higher
# there (V 0.968 at 0.25 vs 0.954 at 0.2/0.3), but split the bundled five-article corpus into
# three stories; the embedding share keeps related coverage of one event together and gives
# articles that name nobody something to be compared on.
EMBEDDING_WEIGHT = 0.2

_TOKEN = re.compile(r"[^\W\d_](?:[\w'’.-]*\w)?|\d(?:[\d,.]*\d)?")


def name_terms(texts: list[str]) -> list[Counter]:
    """Per text, the counts of its names and numbers.

    A capitalised word is a name when the corpus capitalises it more often than not, which
    drops sentence-initial common words ("The", "Another") without a stop list. Numbers are
    kept as written, commas removed ("1,200" = "1200"); years and death tolls are strong cues.
    """
    words = [_word_counts(text) for text in texts]
    lower: Counter = Counter()
    upper: Counter = Counter()
    for counts in words:
        for word, count in counts:
            if word[0].islower():
                lower[word] += count
            elif word[0].isupper():
                upper[word.lower()] += count
    terms = []
    for counts in words:
        found: Counter = Counter()
        for word, count in counts:
            if word[0].isdigit():
                found[word.replace(",", "")] += count
            elif word[0].isupper() and upper[word.lower()] > lower[word.lower()]:
                found[word.lower()] += count
        terms.append(found)
    return terms


@functools.lru_cache(maxsize=1024)
def _word_counts(text: str) -> tuple[tuple[str, int], ...]:
    # A store groups each new article with stored ones it is near, so the same article
    # texts come back batch after batch; they are read once. A tuple, so no caller can
    # change what the cache holds.
    return tuple(Counter(_TOKEN.findall(text)).items())


def tfidf_cosine(terms: list[Counter]) -> np.ndarray:
    """Pairwise cosine of sublinear-tf, smoothed-idf vectors (the usual TF-IDF weighting)."""
    from scipy.sparse import csr_matrix

    vocabulary: dict[str, int] = {}
    rows, columns, values = [], [], []
    for row, counts in enumerate(terms):
        for term, count in counts.items():
            rows.append(row)
            columns.append(vocabulary.setdefault(term, len(vocabulary)))
            values.append(1.0 + math.log(count))
    # Sparse: a large corpus has far more distinct names than any one article holds.
    matrix = csr_matrix((values, (rows, columns)), shape=(len(terms), max(len(vocabulary), 1)), dtype=np.float64)
    documents = np.bincount(columns, minlength=matrix.shape[1])
    matrix = matrix.multiply(np.log((1 + len(terms)) / (1 + documents)) + 1.0).tocsr()
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    matrix = csr_matrix(matrix.multiply(1.0 / np.maximum(norms, 1e-12)[:, None]))
    return (matrix @ matrix.T).toarray().astype(np.float32)


def article_centroids(articles: list[Article], claims: list[Claim], vectors: np.ndarray) -> np.ndarray:
    """Per article, the normalised mean of its claim vectors (zeros for an article without claims)."""
    order = {a.id: i for i, a in enumerate(articles)}
    rows: list[list[int]] = [[] for _ in articles]
    for row, claim in enumerate(claims):
        rows[order[claim.article_id]].append(row)
    dim = vectors.shape[1] if vectors.ndim == 2 and vectors.shape[1] else 1
    return normalise(np.stack([vectors[r].mean(axis=0) if r else np.zeros(dim, np.float32) for r in rows]))


def story_similarity(articles: list[Article], centroids: np.ndarray) -> np.ndarray:
    """n × n similarity between articles: names/numbers TF-IDF cosine blended with claim-centroid cosine."""
    texts = [" ".join(filter(None, [a.title, a.text[a.body_start :]])) for a in articles]
    names = tfidf_cosine(name_terms(texts))
    return EMBEDDING_WEIGHT * (centroids @ centroids.T) + (1 - EMBEDDING_WEIGHT) * names


def average_linkage(similarity: np.ndarray, threshold: float) -> list[list[int]]:
    """Groups whose members are, on average, at least `threshold` similar to each other's group.

    Average linkage can only join items that some chain of pairs >= threshold connects, so
    the connected components of that graph are clustered one by one: exact, and the
    quadratic work stays inside each component."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    size = len(similarity)
    links = UnionFind(size)
    for i, j in zip(*np.nonzero(np.triu(similarity >= threshold, k=1))):
        links.union(int(i), int(j))
    groups: list[list[int]] = []
    for members in links.components():
        if len(members) == 1:
            groups.append(members)
            continue
        distance = 1.0 - similarity[np.ix_(members, members)].astype(np.float64)
        distance = np.clip((distance + distance.T) / 2, 0.0, None)
        np.fill_diagonal(distance, 0.0)
        labels = fcluster(linkage(squareform(distance, checks=False), method="average"), 1.0 - threshold,
                          criterion="distance")
        by_label: dict[int, list[int]] = {}
        for member, label in zip(members, labels):
            by_label.setdefault(int(label), []).append(member)
        groups.extend(by_label.values())
    return sorted(groups, key=lambda members: members[0])


def group_stories(articles: list[Article], claims: list[Claim], vectors: np.ndarray, threshold: float) -> dict[str, str]:
    """article id → story id ("s1", "s2", ... in order of first article)."""
    return group_by_centroids(articles, article_centroids(articles, claims, vectors), threshold) if articles else {}


def group_by_centroids(articles: list[Article], centroids: np.ndarray, threshold: float) -> dict[str, str]:
    """`group_stories` for articles whose claim centroids are known (a store keeps them)."""
    if not articles:
        return {}
    groups = average_linkage(story_similarity(articles, centroids), threshold)
    return {articles[member].id: f"s{number}" for number, members in enumerate(groups, start=1) for member in members}
