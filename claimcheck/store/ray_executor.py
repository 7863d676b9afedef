"""The Ray executor: split and embed on Ray workers, one model load per worker.

Articles go to Ray Data as plain records; each worker is an actor that builds the
claim extractor and the embedder once and then maps batches of articles to claim
records and vectors. Stories, clusters and relations stay in the writing process,
which is what keeps the result identical to the local executor's."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable

import numpy as np

from claimcheck.config import Config
from claimcheck.embed import Embedder
from claimcheck.errors import ClaimcheckError, Code
from claimcheck.store.prepare import Prepared
from claimcheck.store.records import article_from_record, article_record, claim_from_record, claim_record
from claimcheck.types import Article

ARTICLES_PER_BATCH = 32


class _PrepareWorker:
    """Runs inside a Ray actor: loads the models once, then prepares batches."""

    def __init__(self, config: Config):
        from claimcheck.embed import get_embedder
        from claimcheck.split import ClaimExtractor

        self.config = config
        self.extractor = ClaimExtractor()
        self.embedder = get_embedder(config.embedder, config.batch_size, config.cache_dir)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        from claimcheck.pipeline import embed_texts

        articles = [article_from_record(json.loads(record)) for record in batch["article"]]
        claims = self.extractor.extract_many(articles)
        vectors = embed_texts([c.proposition for group in claims for c in group], self.config, self.embedder)
        out_claims, out_vectors, start = [], [], 0
        for group in claims:
            out_claims.append(json.dumps([claim_record(c) for c in group]))
            out_vectors.append(vectors[start : start + len(group)].astype(np.float32).tobytes())
            start += len(group)
        return {"article": batch["article"], "claims": np.array(out_claims, dtype=object),
                "vectors": np.array(out_vectors, dtype=object)}


def ray_executor(config: Config, embedder: Embedder, address: str | None = None,
                 workers: int | None = None) -> Callable[[list[Article]], list[Prepared]]:
    """Prepare one batch of articles on the Ray workers (get_executor feeds it batch by batch)."""
    try:
        import ray
        import ray.data
    except ImportError:
        raise ClaimcheckError(Code.STORE_EXECUTOR, "the ray executor needs Ray, which is not installed") from None
    if not ray.is_initialized():
        logging.getLogger("ray").setLevel(logging.WARNING)
        os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")  # its C++ core logs to stderr otherwise
        try:
            ray.init(address=address, include_dashboard=False, log_to_driver=False, configure_logging=False,
                     num_cpus=None if address else (workers or os.cpu_count() or 1))
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise ClaimcheckError(Code.STORE_EXECUTOR, f"cannot reach Ray at {address or 'a new local instance'}: {exc}") from None
    workers = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False

    def prepare(articles: list[Article]) -> list[Prepared]:
        if not articles:
            return []
        records = [{"article": json.dumps(article_record(a))} for a in articles]
        dataset = ray.data.from_items(records).map_batches(
            _PrepareWorker, fn_constructor_args=(config,), batch_size=ARTICLES_PER_BATCH, batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=min(workers, max(1, len(articles) // ARTICLES_PER_BATCH or 1))),
            num_cpus=1,
        )
        out = []
        for row, article in zip(dataset.take_all(), articles):
            claims = [claim_from_record(r) for r in json.loads(row["claims"])]
            vectors = np.frombuffer(row["vectors"], dtype=np.float32).reshape(len(claims), embedder.dim)
            out.append(Prepared(article, claims, vectors))
        return out

    return prepare

