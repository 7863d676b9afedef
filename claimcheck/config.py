"""Every tunable of the pipeline, in one place. The similarity thresholds were set by
reading the bundled corpus's nearest-neighbour pairs; they are not fitted to any test set."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path


def default_cache_dir() -> Path | None:
    """Where embeddings are cached; CLAIMCHECK_CACHE_DIR="" turns caching off."""
    env = os.environ.get("CLAIMCHECK_CACHE_DIR")
    if env is not None:
        return Path(env) if env else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "claimcheck"


@dataclass(frozen=True)
class Config:
    # embed
    embedder: str = "minilm"
    batch_size: int = 64
    cache_dir: Path | None = field(default_factory=default_cache_dir)
    # cluster: articles form one story when their average similarity (names/numbers TF-IDF
    # blended with claim centroids, cluster/stories.py) is at least this; set on ECB+ topics
    # 1-24 with bench/bench_stories.py --sweep, inside the plateau that keeps corpus/ one story
    story_threshold: float = 0.3
    # cluster: claims from different articles state "the same fact" above this cosine
    cluster_threshold: float = 0.62
    neighbours: int = 12
    # relate: pairs below this cosine inside a cluster are not worth judging (0.6 judges
    # a third of the pairs 0.5 does on the corpus and loses one of 11 relations)
    pair_threshold: float = 0.6
    # relate (stores): a new claim is judged against at most this many of its nearest claims;
    # the cross-encoder costs several embedder passes per pair, and farther members of a
    # cluster are related through the nearer ones
    judged_neighbours: int = 2
    # relate: a model contradiction between claims less similar than this is dropped
    contradiction_similarity: float = 0.5
    # relate: a denial is contradicted by a report only if the judge is this sure the report
    # asserts what is denied (unless the report names the denied thing: cluster/anchors.py);
    # as with a model contradiction, a clear majority, since a false one costs most trust
    denial_entailment: float = 0.7
    judge: str = "auto"
    # split: "rules" (offline: spaCy parse + rules) or "llm" (CLAIMCHECK_LLM_* endpoint, offline fall-back)
    splitter: str = "rules"
    # report: verdicts whose score is below this are shown as uncertain
    confident: float = 0.7
    strict: bool = False
    # ingest: files over this many MB are refused (memory and run time stay bounded)
    max_file_mb: float = 50.0
    # ingest: skip text that does not look like English (the models are English-only)
    check_language: bool = True

    def with_options(self, **options) -> "Config":
        unknown = set(options) - set(self.__dataclass_fields__)
        if unknown:
            raise TypeError(f"unknown option(s): {', '.join(sorted(unknown))}")
        return replace(self, **options)
