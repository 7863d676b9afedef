"""Compare the local embedders on speed, memory and the quality figures that depend on them.

    python bench/bench_embedders.py [--embedders minilm,minilm-torch,mpnet] [--out bench/embedders.json]

Each embedder runs in its own subprocess so that peak memory is its own. Figures:
- sentences/s on 600 news sentences from ECB+ (batch 64, 2 threads available);
- STS-B dev Spearman correlation between cosine and the gold 0-5 score;
- MRPC paraphrase recall at claimcheck's clustering threshold (cosine >= cluster_threshold),
  and the share of non-paraphrases above it (first 800 pairs);
- story grouping on ECB+ (all 772 documents, first 4 sentences each; gold stories are the
  topic + sub-topic pairs): V-measure and adjusted Rand index of claimcheck's story grouping.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def measure(name: str) -> dict:
    import numpy as np
    from scipy.stats import spearmanr
    from sklearn.metrics import adjusted_rand_score, v_measure_score

    from claimcheck.cluster import group_stories
    from claimcheck.config import Config
    from claimcheck.embed import get_embedder
    from claimcheck.types import Article, Claim

    config = Config()
    started = time.perf_counter()
    model = get_embedder(name, cache_dir=config.cache_dir)
    load_s = time.perf_counter() - started
    docs = _jsonl(DATA / "ecbplus" / "docs.jsonl")
    sentences = [s for d in docs for s in d["sentences"][:6]][:600]
    model.encode(sentences[:16])
    started = time.perf_counter()
    model.encode(sentences)
    speed = len(sentences) / (time.perf_counter() - started)

    sts = _jsonl(DATA / "stsb" / "dev.jsonl")
    a, b = model.encode([r["sentence1"] for r in sts]), model.encode([r["sentence2"] for r in sts])
    spearman = float(spearmanr((a * b).sum(1), [r["score"] for r in sts]).statistic)

    mrpc = _jsonl(DATA / "mrpc" / "train.jsonl")[:800]
    a, b = model.encode([r["sentence1"] for r in mrpc]), model.encode([r["sentence2"] for r in mrpc])
    cosine = (a * b).sum(1)
    gold = np.array([r["label"] for r in mrpc]) == 1
    above = cosine >= config.cluster_threshold

    articles, claims, texts = [], [], []
    for doc in docs:
        articles.append(Article(id=doc["doc_id"], text="", source=doc["doc_id"]))
        for n, sentence in enumerate(doc["sentences"][:4]):
            claims.append(Claim(id=f"{doc['doc_id']}:{n}", article_id=doc["doc_id"], text=sentence, spans=((0, 1),),
                                sentence=n, proposition=sentence))
            texts.append(sentence)
    story_of = group_stories(articles, claims, model.encode(texts), config.story_threshold)
    predicted = [story_of[d["doc_id"]] for d in docs]
    truth = [f"{d['topic']}-{d['subtopic']}" for d in docs]
    return {
        "embedder": name, "model_id": model.model_id, "load_s": round(load_s, 1),
        "sentences_per_s": round(speed, 1), "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "stsb_dev_spearman": round(spearman, 4),
        "mrpc_paraphrase_recall_at_threshold": round(float(above[gold].mean()), 4),
        "mrpc_nonparaphrase_above_threshold": round(float(above[~gold].mean()), 4),
        "ecb_story_v_measure": round(float(v_measure_score(truth, predicted)), 4),
        "ecb_story_ari": round(float(adjusted_rand_score(truth, predicted)), 4),
        "ecb_stories_found": len(set(predicted)), "ecb_stories_gold": len(set(truth)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--embedders", default="minilm,minilm-torch,mpnet")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "embedders.json")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    if not DATA.exists():
        sys.exit("../shared/data is absent: nothing to measure")
    rows = []
    for name in args.embedders.split(","):
        done = subprocess.run([sys.executable, __file__, "--one", name], capture_output=True, text=True)
        if done.returncode:
            print(f"{name}: failed\n{done.stderr[-2000:]}")
            continue
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]))
    args.out.write_text(json.dumps(rows, indent=2) + "\n")
    print("\n| embedder | sentences/s | peak RSS MB | STS-B dev Spearman | MRPC paraphrase recall @ threshold | "
          "MRPC non-paraphrases above | ECB+ story V-measure | ECB+ story ARI |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['embedder']} | {r['sentences_per_s']} | {r['peak_rss_mb']} | {r['stsb_dev_spearman']} | "
              f"{r['mrpc_paraphrase_recall_at_threshold']} | {r['mrpc_nonparaphrase_above_threshold']} | "
              f"{r['ecb_story_v_measure']} | {r['ecb_story_ari']} |")


if __name__ == "__main__":
    main()
