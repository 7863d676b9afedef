"""Build stores of growing size from news text and time the store's operations.

    python bench/bench_store.py [--sizes 10000,100000] [--judge auto] [--out bench/store.json]

Corpus: the ECB+ and FNC-1 article bodies in ../shared/data. Past the originals, each
article is reused with a random 80% of its sentences in a shuffled order and some of its
numbers changed, so no two stored articles are the same text and some copies contradict
their originals. Each size runs in its own process (so peak memory is its own), with
the embedding cache off, so every claim is embedded. Figures per size:
- add: claims/s end to end, next to the raw embedder's rate on the same machine in the
  same process (their ratio is the figure of merit). The raw rate is measured on the
  kind of text the add embeds, claim propositions, and is the best of a measurement
  before the add, one after it and the add's own embedding rate; time per stage;
- peak resident memory: the adding process's peak plus its split workers' (children.PeakMemory;
  an upper bound, since the peaks need not coincide); store size on disk; index type and its recall@10;
- adding one more article to the full store (model loaded); query latency p50/p95.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

from children import PeakMemory, run_child  # bench/ is on the path when a bench script runs

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CLAIMS_PER_SENTENCE = 2.0  # measured: the splitter gives about two claims per news sentence; only sizes the corpus


@functools.cache
def news_bodies() -> list[tuple[str, list[str]]]:
    bodies = []
    with (DATA / "ecbplus" / "docs.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            bodies.append((doc["doc_id"], doc["sentences"]))
    from claimcheck.split import sentence_spans

    with (DATA / "fnc1" / "train_bodies.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            text = doc["text"]
            bodies.append((f"fnc{doc['body_id']}", [text[s:e].strip() for s, e in sentence_spans(text, 0)]))
    return [(name, sentences) for name, sentences in bodies if len(sentences) >= 3]


def corpus(claims: int, seed: int = 0):
    """Articles until about `claims` claims: the originals first, then varied copies."""
    from claimcheck.types import Article

    rng = random.Random(seed)
    bodies = news_bodies()
    wanted = claims / CLAIMS_PER_SENTENCE
    total, copy = 0, 0
    while True:
        for name, sentences in bodies:
            if copy:
                kept = rng.sample(sentences, max(3, int(len(sentences) * 0.8)))
                kept = [re.sub(r"\b(\d+)\b", lambda m: str(int(m.group()) + rng.choice((0, 0, 1, 3))), s) for s in kept]
            else:
                kept = sentences
            total += len(kept)
            yield Article(id=f"{name}-v{copy}", text=" ".join(kept), source=f"outlet-{rng.randrange(40)}")
            if total >= wanted:
                return
        copy += 1


def claim_sample(articles: list) -> list[str]:
    """2,000 claim propositions of the first 100 articles: the raw embedder rate is measured on
    what an add embeds, which is shorter than whole sentences (sentences would flatter the ratio)."""
    from claimcheck.split import ClaimExtractor

    return [c.proposition for group in ClaimExtractor().extract_many(articles[:100]) for c in group][:2000]


def embedder_rate(model, sample: list[str]) -> float:
    """Claims/s of the bare embedder on `sample`."""
    started = time.perf_counter()
    model.encode(sample)
    return len(sample) / (time.perf_counter() - started)


def query_latencies(store, texts: list[str], judge: str) -> tuple[float, float]:
    """p50 and p95 of one query per text, in ms."""
    import numpy as np

    latencies = []
    for text in texts:
        started = time.perf_counter()
        store.query(text, judge=judge)
        latencies.append(time.perf_counter() - started)
    return round(float(np.percentile(latencies, 50)) * 1000, 1), round(float(np.percentile(latencies, 95)) * 1000, 1)


def measure(size: int, folder: Path, judge: str) -> dict:
    from claimcheck.config import default_cache_dir
    from claimcheck.embed import get_embedder
    from claimcheck.store import Store
    from claimcheck.store.split_worker import default_workers

    articles = list(corpus(size))
    extra = list(corpus(size + 2000))[-1]  # the next article the corpus would have given
    path = folder / f"store-{size}"
    started = time.perf_counter()
    # The default embedder (ONNX graph from the usual cache folder), but no embedding cache:
    # every claim is embedded, or repeated sentences in the varied copies would flatter the figures.
    model = get_embedder("minilm", cache_dir=default_cache_dir())
    store = Store(path, create=True, embedder=model, cache_dir=None)
    load_s = time.perf_counter() - started

    sample = claim_sample(articles)
    model.encode(sample[:64])
    raw = embedder_rate(model, sample)

    started = time.perf_counter()
    result = store.add(articles, batch_articles=100, judge=judge)
    add_s = time.perf_counter() - started

    started = time.perf_counter()
    store.add([extra], judge=judge)
    one_s = time.perf_counter() - started

    # The raw speed again after the add, and the add's own embedding rate: on a shared
    # machine the first measurement can land in a busy moment, and the fastest of the three
    # makes the ratio below conservative.
    raw = max(raw, embedder_rate(model, sample), result.claims / result.timings["embed"])

    texts = [a.text.split(". ")[0] for a in articles[:: max(1, len(articles) // 100)]][:100]
    store.query(texts[0], judge=judge)
    query_p50, query_p95 = query_latencies(store, texts, judge)
    info = store.info()
    split_workers = default_workers()
    store.close()
    return {
        "claims_target": size, "judge": judge, "articles": len(result.added), "claims": result.claims, "relations": result.relations,
        "embedder": type(model).__name__, "model_load_s": round(load_s, 1), "embedder_claims_per_s": round(raw, 1),
        "add_s": round(add_s, 1), "add_claims_per_s": round(result.claims / add_s, 1),
        "ratio_to_embedder": round(result.claims / add_s / raw, 3), "stage_s": {k: round(v, 1) for k, v in result.timings.items()},
        "split_workers": split_workers,
        "disk_mb": round(info["disk_bytes"] / 2**20, 1), "index": info["index"],
        "index_recall_at_10": info["index_recall_at_10"], "add_one_article_s": round(one_s, 2),
        "query_p50_ms": query_p50, "query_p95_ms": query_p95,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--judge", default="auto", help="relation judge for the adds and queries (auto, nli, nli-research, similarity)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "store.json")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        with PeakMemory() as memory:
            row = measure(args.one, args.folder, args.judge)
        print(json.dumps({**row, "peak_rss_mb": memory.total_mb, "peak_rss_self_mb": round(memory.self_mb)}))
        return
    if not DATA.exists():
        sys.exit("../shared/data is absent: nothing to measure")
    rows = []
    with tempfile.TemporaryDirectory(prefix="claimcheck-bench-") as folder:
        for size in [int(s) for s in args.sizes.split(",")]:
            row = run_child(__file__, "--one", str(size), "--folder", folder, "--judge", args.judge, label=str(size))
            if row:
                rows.append(row)
                args.out.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
