"""Where exact search stops paying: flat inner product against HNSW, by store size.

    python bench/bench_index.py [--sizes 50000,100000,200000,500000,1000000] [--real]

Vectors: random unit vectors gathered around centres (50 per centre on average), a
stand-in for claim embeddings that embedding a million real claims for every run of
this script would make too slow; HNSW recall on them is a pessimistic figure, real
claims being more clustered. With --real: the default embedder's vectors of the news
sentences in ../shared/data (ECB+ and FNC-1 bodies, about 50k distinct sentences;
embedded once, then read from the embedding cache), 500 of them held out as queries;
sizes above what there is are skipped. Figures per size: memory of the index, time
to add all vectors, one-query latency p50/p95, time to search a batch of 500 new
claims (what each add batch does), and HNSW recall@10 against exact search at several
search depths (efSearch; the store uses HNSW_SEARCH_DEPTH)."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import faiss
import numpy as np

from claimcheck.store import vectors as store_vectors

ROOT = Path(__file__).resolve().parents[1]


def sample_vectors(size: int, dim: int = 384, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((max(size // 50, 1), dim)).astype(np.float32)
    points = centres[rng.integers(0, len(centres), size)] + 0.6 * rng.standard_normal((size, dim)).astype(np.float32)
    return points / np.linalg.norm(points, axis=1, keepdims=True)


def real_vectors() -> np.ndarray:
    """Unit vectors of the distinct news sentences in ../shared/data, in a fixed shuffled order."""
    from bench_store import news_bodies  # bench/ is on the path when a bench script runs

    from claimcheck.pipeline import embed_texts

    sentences = sorted({s for _, body in news_bodies() for s in body if len(s.split()) >= 4})
    np.random.default_rng(0).shuffle(sentences)
    return embed_texts(sentences).astype(np.float32)  # the default embedder, through the embedding cache


SEARCH_DEPTHS = (store_vectors.HNSW_SEARCH_DEPTH, 256, 512)


def measure(size: int, pool: np.ndarray | None) -> dict:
    if pool is None:
        data, queries = sample_vectors(size), sample_vectors(500, seed=1)
    else:
        data, queries = pool[500:500 + size], pool[:500]
    row = {"size": len(data), "vectors": "synthetic" if pool is None else "news sentences"}
    exact = None
    for kind in ("flat", "hnsw"):
        index = store_vectors.new_index(kind, data.shape[1])
        started = time.perf_counter()
        index.add(data)
        row[f"{kind}_build_s"] = round(time.perf_counter() - started, 1)
        row[f"{kind}_mb"] = round(len(faiss.serialize_index(index)) / 2**20)
        for depth in SEARCH_DEPTHS if kind == "hnsw" else (None,):
            name = kind if depth in (None, store_vectors.HNSW_SEARCH_DEPTH) else f"{kind}{depth}"
            if depth:
                index.hnsw.efSearch = depth
            latencies = []
            for query in queries[:100]:
                started = time.perf_counter()
                index.search(query[None, :], 10)
                latencies.append(time.perf_counter() - started)
            row[f"{name}_query_p50_ms"] = round(float(np.percentile(latencies, 50)) * 1000, 2)
            row[f"{name}_query_p95_ms"] = round(float(np.percentile(latencies, 95)) * 1000, 2)
            started = time.perf_counter()
            _, found = index.search(queries, 13)
            row[f"{name}_batch500_s"] = round(time.perf_counter() - started, 2)
            if kind == "flat":
                exact = found[:, :10]
            else:
                row[f"{name}_recall_at_10"] = round(sum(len(set(a) & set(b)) for a, b in zip(found[:, :10].tolist(), exact.tolist())) / exact.size, 4)
        del index
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="50000,100000,200000,500000,1000000")
    parser.add_argument("--real", action="store_true", help="news sentence vectors instead of synthetic ones")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "index.json")
    args = parser.parse_args()
    pool = real_vectors() if args.real else None
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        if pool is not None and size > len(pool) - 500:
            print(f"{size}: skipped, only {len(pool) - 500} real vectors")
            continue
        rows.append(measure(size, pool))
        print(json.dumps(rows[-1]), flush=True)
        args.out.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
