"""Story grouping on ECB+: V-measure and adjusted Rand index against the gold sub-topics.

    python bench/bench_stories.py [--embedder minilm] [--sweep]

Measured the way the pipeline runs: each ECB+ article's whole text goes through
ClaimExtractor, the claims are embedded (through the embedding cache) and
`group_stories` groups the articles with `Config().story_threshold`. A gold story is a
topic + sub-topic pair (the two sub-topics of a topic are two different events of the same
kind). ECB+ topics 36-45 are withheld from this machine, so topics 1-35 are split: the
threshold and the embedding weight were set on topics 1-24 ("tune", `--sweep` prints the
figures it was chosen from) and topics 25-35 ("held-out") were not looked at while choosing.
Each split is grouped on its own, as a corpus of its own; "dev" is all of topics 1-35 at once.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))

SPLITS = {"tune (topics 1-24)": range(1, 25), "held-out (topics 25-35)": range(25, 36), "dev (topics 1-35)": range(1, 36)}


def load_ecb() -> list[dict]:
    with (DATA / "ecbplus" / "docs.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def ecb_claims(docs: list[dict], embedder=None, config=None):
    """Articles, claims and claim vectors for ECB+ documents, as compare() would make them."""
    from claimcheck.config import Config
    from claimcheck.pipeline import embed_texts
    from claimcheck.split import ClaimExtractor
    from claimcheck.types import Article

    config = config or Config()
    articles = [Article(id=d["doc_id"], text=d["text"], source=d["doc_id"]) for d in docs]
    extractor = ClaimExtractor()
    claims = [claim for article in articles for claim in extractor.extract(article)]
    vectors = embed_texts([c.proposition for c in claims], config, embedder)
    return articles, claims, vectors


def score(docs, articles, claims, vectors, topics, threshold: float) -> dict:
    """Group the articles of the given topics on their own and compare with the gold stories."""
    from sklearn.metrics import adjusted_rand_score, v_measure_score

    from claimcheck.cluster import group_stories

    keep = {d["doc_id"] for d in docs if d["topic"] in topics}
    rows = [i for i, c in enumerate(claims) if c.article_id in keep]
    chosen = [a for a in articles if a.id in keep]
    story_of = group_stories(chosen, [claims[i] for i in rows], vectors[rows], threshold)
    gold = [f"{d['topic']}-{d['subtopic']}" for d in docs if d["doc_id"] in keep]
    found = [story_of[d["doc_id"]] for d in docs if d["doc_id"] in keep]
    return {"articles": len(found), "v_measure": round(float(v_measure_score(gold, found)), 4),
            "ari": round(float(adjusted_rand_score(gold, found)), 4),
            "stories_found": len(set(found)), "stories_gold": len(set(gold))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--embedder", default="minilm")
    parser.add_argument("--sweep", action="store_true", help="thresholds and embedding weights on the tuning topics only")
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit("../shared/data is absent: nothing to measure")
    from claimcheck.cluster import stories
    from claimcheck.config import Config

    config = Config().with_options(embedder=args.embedder)
    docs = load_ecb()
    started = time.perf_counter()
    articles, claims, vectors = ecb_claims(docs, config=config)
    print(f"{len(articles)} articles, {len(claims)} claims, split and embedded in {time.perf_counter() - started:.0f} s")
    if args.sweep:
        tune = SPLITS["tune (topics 1-24)"]
        print("| embedding weight | threshold | V-measure | ARI | stories found / gold |\n|---|---|---|---|---|")
        for weight in (0.0, 0.2, 0.4):
            stories.EMBEDDING_WEIGHT = weight
            for step in range(8):
                threshold = round(0.2 + 0.025 * step + weight * 0.25, 3)
                r = score(docs, articles, claims, vectors, tune, threshold)
                print(f"| {weight} | {threshold} | {r['v_measure']} | {r['ari']} | {r['stories_found']} / {r['stories_gold']} |")
        return
    print(f"\nstory threshold {config.story_threshold}, embedding weight {stories.EMBEDDING_WEIGHT}, embedder {args.embedder}")
    print("| ECB+ split | articles | V-measure | ARI | stories found / gold |\n|---|---|---|---|---|")
    for name, topics in SPLITS.items():
        started = time.perf_counter()
        r = score(docs, articles, claims, vectors, topics, config.story_threshold)
        print(f"| {name} | {r['articles']} | {r['v_measure']} | {r['ari']} | {r['stories_found']} / {r['stories_gold']} |"
              f"  ({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
