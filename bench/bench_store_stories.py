"""Story grouping when articles arrive a batch at a time: ECB+ dev through a store.

    python bench/bench_store_stories.py [--batch 50] [--order shuffled|topic]

A store assigns each new article to the story of the stored articles it groups with (its
nearest articles by claim centroid, grouped by the same rule as `compare`), and never
regroups what is stored. This measures what that costs against grouping the whole corpus
at once (bench/bench_stories.py): ECB+ topics 1-35, gold story = topic + sub-topic, the
articles added in batches, in a fixed shuffled order by default. The judge is `similarity`
because stories do not depend on it; embeddings come through the usual cache.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_stories import load_ecb  # noqa: E402


def main() -> None:
    from sklearn.metrics import adjusted_rand_score, v_measure_score

    from claimcheck.store import Store
    from claimcheck.types import Article

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--order", choices=("shuffled", "topic"), default="shuffled")
    args = parser.parse_args()
    docs = [d for d in load_ecb() if d["topic"] <= 35]
    if args.order == "shuffled":
        random.Random(0).shuffle(docs)
    articles = [Article(id=d["doc_id"], text=d["text"], source=d["doc_id"]) for d in docs]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "ecb", create=True) as store:
        for start in range(0, len(articles), args.batch):
            store.add(articles[start : start + args.batch], judge="similarity")
        stored = store.comparison()
    predicted = [stored.story_of[d["doc_id"]] for d in docs]
    truth = [f"{d['topic']}-{d['subtopic']}" for d in docs]
    print(json.dumps({
        "articles": len(docs), "batch": args.batch, "order": args.order,
        "v_measure": round(float(v_measure_score(truth, predicted)), 4),
        "ari": round(float(adjusted_rand_score(truth, predicted)), 4),
        "stories_found": len(set(predicted)), "stories_gold": len(set(truth)),
        "seconds": round(time.perf_counter() - started, 1),
    }))


if __name__ == "__main__":
    main()
