"""A store's latencies at a size too large to build in a working session.

    python bench/bench_store_scale.py [--base 10000] [--sizes 1000000] [--judge auto]

A real store of about --base claims is built through `Store.add` from bench_store's
corpus (ECB+ and FNC-1 bodies in ../shared/data). Its article, claim and relation rows
are then copied in the database until it holds each --size claims: every copy gets new
ids and a story of its own, and each copied claim's vector is moved off the original's
(cosine about 0.8 to it), so the index does not hold exact duplicates. The index file
is deleted, so the store is opened as after a crash: its index (HNSW past FLAT_LIMIT)
is rebuilt from the stored vectors. Then, in a fresh process, as a user would meet it:
time to open it; the first add of a new article (which also writes the rebuilt index
file) and a second one (model loaded: the steady state); query latency p50/p95 over 100
first sentences of articles the store does not hold; peak resident memory; size on disk.

What this does not measure: building such a store through `add` (claims/s against the
embedder), which is bench_store.py's job. The copies share their text with the base
store, so they say nothing about relation quality."""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from bench_store import corpus, query_latencies  # bench/ is on the path when a bench script runs
from children import run_child

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
COPY_COSINE = 0.8


def build_base(path: Path, claims: int, judge: str) -> dict:
    from claimcheck.config import default_cache_dir
    from claimcheck.embed import get_embedder
    from claimcheck.store import Store

    model = get_embedder("minilm", cache_dir=default_cache_dir())
    started = time.perf_counter()
    with Store(path, create=True, embedder=model) as store:
        result = store.add(list(corpus(claims)), batch_articles=100, judge=judge)
    return {"base_claims": result.claims, "base_articles": len(result.added), "base_add_s": round(time.perf_counter() - started, 1)}


def replicate(path: Path, size: int, seed: int = 0) -> int:
    """Copy the base rows until the store holds at least `size` claims; the claim count."""
    import numpy as np

    from claimcheck.store.records import blob

    db = sqlite3.connect(path / "claims.sqlite3", isolation_level=None)
    dim = int(db.execute("SELECT value FROM meta WHERE key = 'dim'").fetchone()[0])
    base = db.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    clusters = db.execute("SELECT COALESCE(MAX(cluster), 0) + 1 FROM claims").fetchone()[0]
    rows = db.execute("SELECT row, id, article_id, record, vector, cluster, stance FROM claims ORDER BY row").fetchall()
    vectors = np.frombuffer(b"".join(r[4] for r in rows), dtype=np.float32).reshape(len(rows), dim)
    # Noise of this size per dimension puts a copy at cosine COPY_COSINE from its original.
    noise = np.sqrt((1 / COPY_COSINE**2 - 1) / dim)
    rng = np.random.default_rng(seed)
    copies = -(-size // base) - 1
    for k in range(1, copies + 1):
        tag = f"-r{k}"
        moved = vectors + rng.normal(0, noise, vectors.shape).astype(np.float32)
        moved /= np.linalg.norm(moved, axis=1, keepdims=True)
        db.execute("BEGIN")
        db.execute("INSERT INTO articles SELECT id || ?, text_hash || ?, source, title, published, path, body_start, text, "
                   "story || ?, centroid, added FROM articles WHERE id NOT LIKE '%-r%'", (tag, tag, tag))
        db.executemany("INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?)", (
            (row + k * base, id_ + tag, article + tag,
             record.replace(f'"id": "{id_}"', f'"id": "{id_}{tag}"').replace(f'"article_id": "{article}"', f'"article_id": "{article}{tag}"'),
             blob(moved[n]), None if cluster is None else cluster + k * clusters, stance)
            for n, (row, id_, article, record, _, cluster, stance) in enumerate(rows)))
        db.execute("INSERT INTO relations SELECT claim_a || ?, claim_b || ?, kind, score, reason, detail_from FROM relations "
                   "WHERE claim_a NOT LIKE '%-r%'", (tag, tag))
        db.execute("COMMIT")
    db.execute("UPDATE meta SET value = ? WHERE key = 'next_cluster'", (str((copies + 1) * clusters),))
    total = db.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    db.close()
    (path / "index.faiss").unlink(missing_ok=True)
    return total


def measure(path: Path, base_claims: int, judge: str) -> dict:
    from claimcheck.config import default_cache_dir
    from claimcheck.embed import get_embedder
    from claimcheck.split.parse import load_nlp
    from claimcheck.store import Store

    model = get_embedder("minilm", cache_dir=default_cache_dir())
    model.encode(["warm-up"])
    started = time.perf_counter()
    store = Store(path, embedder=model)
    store._load_index()  # what the first add or query would pay: the index rebuilt from the stored vectors
    open_s = time.perf_counter() - started
    store.query("warm-up", judge=judge)  # loads the judge
    load_nlp()  # and the parser the splitter uses: "after the model is loaded"
    # Articles the base store does not hold: two to add, and first sentences to ask about,
    # so no query is a stored sentence (whose copies would need no model to judge).
    stored = {a.id for a in corpus(base_claims)}
    unseen = [a for a in corpus(base_claims + 60_000) if a.id not in stored]
    texts = [re.split(r"(?<=[.!?]) ", a.text)[0] for a in unseen[:100]]
    typical = [a for a in unseen[100:] if len(a.text) >= 3000]  # 25-40 claims, like most news articles
    started = time.perf_counter()
    store.add([typical[0]], judge=judge)  # writes the rebuilt index file: the first add after a repair pays for it
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    added = store.add([typical[1]], judge=judge)
    one_s = time.perf_counter() - started
    query_p50, query_p95 = query_latencies(store, texts, judge)
    info = store.info()
    store.close()
    return {"claims": info["claims"], "articles": info["articles"], "index": info["index"],
            "index_recall_at_10": info["index_recall_at_10"], "open_s": round(open_s, 1),
            "first_add_after_open_s": round(first_s, 2), "add_one_article_s": round(one_s, 2),
            "add_one_article_claims": added.claims, "add_one_article_stages_s": {k: round(v, 3) for k, v in added.timings.items()},
            "query_p50_ms": query_p50, "query_p95_ms": query_p95,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "disk_mb": round(info["disk_bytes"] / 2**20, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", type=int, default=10000, help="claims in the store built through add")
    parser.add_argument("--sizes", default="1000000", help="claim counts to copy the store up to, ascending")
    parser.add_argument("--judge", default="auto")
    parser.add_argument("--folder", type=Path, help="where the stores go (default: a temporary folder)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "store_scale.json")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.base, args.judge)))
        return
    if not (ROOT.parent / "shared" / "data").exists():
        sys.exit("../shared/data is absent: nothing to measure")
    folder = args.folder or Path(tempfile.mkdtemp(prefix="claimcheck-scale-"))
    base = folder / "base"
    built = build_base(base, args.base, args.judge) if not base.exists() else {}
    print(json.dumps(built), flush=True)
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        path = folder / f"store-{size}"
        shutil.rmtree(path, ignore_errors=True)
        shutil.copytree(base, path)
        started = time.perf_counter()
        total = replicate(path, size)
        print(f"{size}: {total} claims after {time.perf_counter() - started:.0f} s of copying", flush=True)
        row = run_child(__file__, "--measure", str(path), "--base", str(args.base), "--judge", args.judge, label=str(size))
        if row:
            rows.append({**built, "size_asked": size, **row})
            args.out.write_text(json.dumps(rows, indent=2) + "\n")
        shutil.rmtree(path, ignore_errors=True)
    if not args.folder:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
