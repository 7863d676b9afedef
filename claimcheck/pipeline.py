"""compare(): the whole pipeline, stage by stage, as a library call."""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager

import numpy as np

from claimcheck.cluster import cluster_claims, cluster_pairs, denial_anchors, group_stories
from claimcheck.config import Config
from claimcheck.embed import CachedEmbedder, Embedder, get_embedder
from claimcheck.errors import ClaimcheckError, Code
from claimcheck.index import VectorIndex
from claimcheck.ingest import read_articles
from claimcheck.relate import RelationJudge, get_judge, judge_claims, relate
from claimcheck.report import Comparison
from claimcheck.split import claim_from_text
from claimcheck.split.llm import SplitterFallback, get_splitter
from claimcheck.types import Article, Claim, Diagnostics, Judgement

# progress(stage description, total units) opens a context that yields advance(n).
Progress = Callable[[str, int | None], AbstractContextManager[Callable[[int], None]]]


@contextmanager
def no_progress(description: str, total: int | None) -> Iterator[Callable[[int], None]]:
    yield lambda n: None


def compare(
    inputs: str | os.PathLike | Article | Iterable[str | os.PathLike | Article],
    *,
    embedder: Embedder | None = None,
    judge: RelationJudge | str | None = None,
    progress: Progress = no_progress,
    config: Config | None = None,
    **options,
) -> Comparison:
    """Compare articles claim by claim.

    `inputs` are paths (files or folders) and/or Article objects. `judge` is a
    RelationJudge or a registered name ("auto", "nli", "similarity"). Options are
    Config fields, e.g. `compare("corpus/", cluster_threshold=0.7, strict=True)`.
    """
    config = (config or Config()).with_options(**options)
    timings: dict[str, float] = {}
    diagnostics = Diagnostics()

    @contextmanager
    def timed(name: str):
        started = time.perf_counter()
        yield
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - started

    with timed("ingest"):
        articles = gather_articles(inputs, diagnostics, config.strict, max_file_mb=config.max_file_mb,
                                   check_language=config.check_language)
    with timed("split"):
        extractor = get_splitter(config.splitter, config.cache_dir)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", SplitterFallback)
            claims = [claim for group in extractor.extract_many(articles) for claim in group]
        for warning in caught:  # the LLM splitter's fall-backs belong in the report; others pass on
            if issubclass(warning.category, SplitterFallback):
                diagnostics.warn(f"warning: {warning.message}")
            else:
                warnings.warn(warning.message, warning.category, stacklevel=1)
    if not claims:
        raise ClaimcheckError(Code.NO_ARTICLES, "the articles hold no checkable sentence", None)
    for article in articles:
        if not any(c.article_id == article.id for c in claims):
            diagnostics.warn(f"warning: {article.path or article.id}: no checkable sentence found")

    with timed("load models"):
        model = embedder or get_embedder(config.embedder, config.batch_size, config.cache_dir)
        judge = get_judge(judge or config.judge) if not hasattr(judge, "judge") else judge
    with timed("embed"):
        with progress("Embedding claims", len(claims)) as advance:
            vectors = embed_texts([c.proposition for c in claims], config, model, advance)
    with timed("index"):
        index = VectorIndex(vectors)
    with timed("cluster"):
        story_of = group_stories(articles, claims, vectors, config.story_threshold)
        anchors = set(denial_anchors(claims))
        clusters = cluster_claims(claims, index, story_of, config.cluster_threshold, config.neighbours, sorted(anchors))
        _, near = index.neighbours(config.neighbours)
        pairs = cluster_pairs(claims, clusters, vectors, config.pair_threshold, anchors, near)
    with timed("relate"):
        with progress("Judging claim pairs", len(pairs)) as advance:
            published = {a.id: a.published for a in articles if a.published}
            relations = relate(claims, pairs, judge, anchors, advance, published)
    return Comparison(
        articles=articles,
        claims=claims,
        clusters=clusters,
        relations=relations,
        story_of=story_of,
        warnings=diagnostics.warnings,
        judge=judge.name,
        embedder=model.model_id,
        timings=timings,
        confident=config.confident,
    )


def gather_articles(inputs, diagnostics: Diagnostics, strict: bool, **reading) -> list[Article]:
    """Articles from paths and Article objects; `reading` goes to read_articles (max_file_mb, check_language)."""
    if isinstance(inputs, (str, os.PathLike, Article)):
        inputs = [inputs]
    items = list(inputs)
    given = [item for item in items if isinstance(item, Article)]
    paths = [item for item in items if not isinstance(item, Article)]
    articles = read_articles(paths, diagnostics, strict, **reading) if paths else []
    seen = {a.id for a in articles}
    for article in given:
        if article.id in seen:
            raise ClaimcheckError(Code.NO_ARTICLES, f"two articles share the id {article.id!r}", None)
        seen.add(article.id)
        articles.append(article)
    if not articles:
        raise ClaimcheckError(Code.NO_ARTICLES, "no input given", None)
    return articles


def judge_pairs(
    a: list[str],
    b: list[str],
    judge: RelationJudge | str | None = None,
    config: Config | None = None,
    embedder: Embedder | None = None,
) -> list[Judgement]:
    """Verdicts on free-standing statement pairs, as `claimcheck judge` gives them."""
    if not a:
        return []
    config = config or Config()
    judge = get_judge(judge or config.judge) if not hasattr(judge, "judge") else judge
    return judge_claims(judge, *analyse_pairs(a, b, config, embedder))


def analyse_pairs(
    a: list[str], b: list[str], config: Config | None = None, embedder: Embedder | None = None
) -> tuple[list[Claim], list[Claim], list[float]]:
    """Free-standing statements as claims (stance, speaker, numbers), with the cosine of each pair."""
    claims_a = [claim_from_text(text, "a") for text in a]
    claims_b = [claim_from_text(text, "b") for text in b]
    vectors = embed_texts([c.proposition for c in claims_a + claims_b], config, embedder)
    return claims_a, claims_b, [float(x @ y) for x, y in zip(vectors[: len(a)], vectors[len(a) :])]


def embed_texts(
    texts: list[str],
    config: Config | None = None,
    embedder: Embedder | None = None,
    advance: Callable[[int], None] | None = None,
) -> np.ndarray:
    """Embeddings of `texts`, through the cache unless the config turns it off."""
    config = config or Config()
    model = embedder or get_embedder(config.embedder, config.batch_size, config.cache_dir)
    if not config.cache_dir:
        vectors = model.encode(texts)
        if advance:
            advance(len(texts))
        return vectors
    cached = CachedEmbedder(model, config.cache_dir)
    try:
        return cached.encode(texts, advance)
    finally:
        cached.close()
