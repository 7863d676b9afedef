"""The parallel part of an add: split articles into claims and embed them.

Everything after this (stories, clusters, relations, the commit) needs the whole
store and runs in the writing process. `local` does the work in this process;
`ray` (claimcheck.store.ray_executor) spreads it over Ray workers. Both return the
same `Prepared` records in the order of the articles given."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from claimcheck.config import Config
from claimcheck.embed import Embedder
from claimcheck.errors import ClaimcheckError, Code
from claimcheck.split import ClaimExtractor
from claimcheck.types import Article, Claim


@dataclass
class Prepared:
    article: Article
    claims: list[Claim]
    vectors: np.ndarray  # one normalised row per claim


Executor = Callable[[list[Article]], list[Prepared]]


class Stopwatch(dict):
    """Seconds spent per stage, summed over calls."""

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self[stage] = self.get(stage, 0.0) + time.perf_counter() - started


def local_executor(config: Config, embedder: Embedder, stopwatch: Stopwatch) -> Executor:
    from claimcheck.pipeline import embed_texts

    extractor = ClaimExtractor()

    def prepare(articles: list[Article]) -> list[Prepared]:
        with stopwatch("split"):
            claims = extractor.extract_many(articles)  # one spaCy pipe over all their sentences
        with stopwatch("embed"):
            vectors = embed_texts([c.proposition for group in claims for c in group], config, embedder)
        return _split_rows(articles, claims, vectors, embedder.dim)

    return prepare


def _split_rows(articles: list[Article], claims: list[list[Claim]], vectors: np.ndarray, dim: int) -> list[Prepared]:
    out, start = [], 0
    for article, group in zip(articles, claims):
        out.append(Prepared(article, group, vectors[start : start + len(group)].reshape(len(group), dim)))
        start += len(group)
    return out


def get_executor(name: str, config: Config, embedder: Embedder, stopwatch: Stopwatch, address: str | None = None) -> Executor:
    if name == "local":
        return local_executor(config, embedder, stopwatch)
    if name == "ray":
        from claimcheck.store.ray_executor import ray_executor

        with stopwatch("start ray"):
            prepare = ray_executor(config, embedder, address)

        def timed(articles: list[Article]) -> list[Prepared]:
            with stopwatch("split+embed (ray)"):
                return prepare(articles)

        return timed
    raise ClaimcheckError(Code.UNKNOWN_NAME, f"unknown executor {name!r}; choose local or ray")
