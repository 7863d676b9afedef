"""The parallel part of an add: split articles into claims and embed them.

Everything after this (stories, clusters, relations, the commit) needs the whole
store and runs in the writing process. `local` does the work in this process;
`ray` (claimcheck.store.ray_executor) spreads it over Ray workers. Both return the
same `Prepared` records in the order of the articles given."""

from __future__ import annotations

from collections.abc import Callable
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


def local_executor(config: Config, embedder: Embedder) -> Executor:
    from claimcheck.pipeline import embed_texts

    extractor = ClaimExtractor()

    def prepare(articles: list[Article]) -> list[Prepared]:
        claims = [extractor.extract(article) for article in articles]
        vectors = embed_texts([c.proposition for group in claims for c in group], config, embedder)
        return _split_rows(articles, claims, vectors, embedder.dim)

    return prepare


def _split_rows(articles: list[Article], claims: list[list[Claim]], vectors: np.ndarray, dim: int) -> list[Prepared]:
    out, start = [], 0
    for article, group in zip(articles, claims):
        out.append(Prepared(article, group, vectors[start : start + len(group)].reshape(len(group), dim)))
        start += len(group)
    return out


def get_executor(name: str, config: Config, embedder: Embedder, address: str | None = None) -> Executor:
    if name == "local":
        return local_executor(config, embedder)
    if name == "ray":
        from claimcheck.store.ray_executor import ray_executor

        return ray_executor(config, embedder, address)
    raise ClaimcheckError(Code.UNKNOWN_NAME, f"unknown executor {name!r}; choose local or ray")
