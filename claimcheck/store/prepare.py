"""The parallel part of an add: split articles into claims and embed them.

Everything after this (stories, clusters, relations, the commit) needs the whole
store and runs in the writing process. `local` embeds in this process while child
processes split the following batches (claimcheck.store.split_worker); `ray`
(claimcheck.store.ray_executor) spreads both over Ray workers. Both yield the same
`Prepared` records, batch by batch, in the order of the articles given."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass

import numpy as np

from claimcheck.config import Config
from claimcheck.embed import Embedder
from claimcheck.errors import ClaimcheckError, Code
from claimcheck.store.split_worker import split_ahead
from claimcheck.types import Article, Claim


@dataclass
class Prepared:
    article: Article
    claims: list[Claim]
    vectors: np.ndarray  # one normalised row per claim


# Batches of articles in, the same batches prepared out, lazily: the writer commits one
# batch while the executor works on the next.
Executor = Callable[[Iterable[list[Article]]], Iterator[list[Prepared]]]


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

    def prepare(batches: Iterable[list[Article]]) -> Iterator[list[Prepared]]:
        with closing(split_ahead(batches)) as split:
            while True:
                with stopwatch("split"):  # with children splitting ahead, only the wait for them
                    found = next(split, None)
                if found is None:
                    return
                articles, claims = found
                with stopwatch("embed"):
                    vectors = embed_texts([c.proposition for group in claims for c in group], config, embedder)
                yield _split_rows(articles, claims, vectors, embedder.dim)

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

        def timed(batches: Iterable[list[Article]]) -> Iterator[list[Prepared]]:
            for articles in batches:
                with stopwatch("split+embed (ray)"):
                    prepared = prepare(articles)
                yield prepared

        return timed
    raise ClaimcheckError(Code.UNKNOWN_NAME, f"unknown executor {name!r}; choose local or ray")
