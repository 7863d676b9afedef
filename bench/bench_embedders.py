"""Compare the local embedders on speed, memory and the quality figures that depend on them.

    python bench/bench_embedders.py [--embedders minilm,minilm-int8,minilm-torch,mpnet] [--out bench/embedders.json]

Each embedder runs in its own subprocess so that peak memory is its own, and embeds
everything itself (no embedding cache). Figures:
- sentences/s on 600 news sentences from ECB+ (batch 64, 2 threads available);
- STS-B dev Spearman correlation between cosine and the gold 0-5 score;
- MRPC paraphrase recall at claimcheck's clustering threshold (cosine >= cluster_threshold),
  and the share of non-paraphrases above it. MRPC ships no dev split here (GLUE's dev is a
  subset of train), so "dev" is the fifth of train.jsonl whose sha256(id) ends in 0-2 (hex),
  a fixed ~19% sample;
- story grouping on ECB+ dev (topics 1-35, gold story = topic + sub-topic): V-measure and
  adjusted Rand index of claimcheck's group_stories on claims that ClaimExtractor takes from
  the first 5 sentences of each article (whole articles would take mpnet about 40 minutes;
  bench/bench_stories.py measures whole articles for one embedder);
- agreement with minilm-torch (min / mean cosine on the 600 speed sentences) for the
  ONNX variants of the same model, computed by the parent from vectors the children save.

`minilm-int8` is built here (claimcheck.embed.minilm.minilm_int8) and is not a registered
embedder: it would become one only if it held the quality (see README).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from children import run_child  # bench/ is on the path when a bench script runs

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))
STORY_SENTENCES = 5


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def mrpc_dev() -> list[dict]:
    return [r for r in _jsonl(DATA / "mrpc" / "train.jsonl") if hashlib.sha256(r["id"].encode()).hexdigest()[-1] in "012"]


def load(name: str, cache_dir: Path):
    from claimcheck.embed import get_embedder
    from claimcheck.embed.minilm import minilm_int8

    if name == "minilm-int8":
        return minilm_int8(cache_dir=cache_dir)
    return get_embedder(name, cache_dir=cache_dir)


def measure(name: str, save: Path | None) -> dict:
    import numpy as np
    from scipy.stats import spearmanr
    from sklearn.metrics import adjusted_rand_score, v_measure_score

    from claimcheck.cluster import group_stories
    from claimcheck.config import Config
    from claimcheck.split import ClaimExtractor
    from claimcheck.types import Article

    config = Config()
    started = time.perf_counter()
    model = load(name, config.cache_dir)
    load_s = time.perf_counter() - started
    docs = _jsonl(DATA / "ecbplus" / "docs.jsonl")
    sentences = [s for d in docs for s in d["sentences"][:6]][:600]
    model.encode(sentences[:16])
    started = time.perf_counter()
    vectors = model.encode(sentences)
    speed = len(sentences) / (time.perf_counter() - started)
    if save:
        np.save(save, vectors)

    sts = _jsonl(DATA / "stsb" / "dev.jsonl")
    a, b = model.encode([r["sentence1"] for r in sts]), model.encode([r["sentence2"] for r in sts])
    spearman = float(spearmanr((a * b).sum(1), [r["score"] for r in sts]).statistic)

    mrpc = mrpc_dev()
    a, b = model.encode([r["sentence1"] for r in mrpc]), model.encode([r["sentence2"] for r in mrpc])
    cosine = (a * b).sum(1)
    gold = np.array([r["label"] for r in mrpc]) == 1
    above = cosine >= config.cluster_threshold

    extractor = ClaimExtractor()
    articles = [Article(id=d["doc_id"], text="\n".join(d["text"].split("\n")[:STORY_SENTENCES]), source=d["doc_id"])
                for d in docs]
    claims = [claim for article in articles for claim in extractor.extract(article)]
    story_of = group_stories(articles, claims, model.encode([c.proposition for c in claims]), config.story_threshold)
    predicted = [story_of[d["doc_id"]] for d in docs]
    truth = [f"{d['topic']}-{d['subtopic']}" for d in docs]
    return {
        "embedder": name, "model_id": model.model_id, "load_s": round(load_s, 1),
        "sentences_per_s": round(speed, 1), "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "stsb_dev_spearman": round(spearman, 4), "mrpc_dev_pairs": len(mrpc),
        "mrpc_paraphrase_recall_at_threshold": round(float(above[gold].mean()), 4),
        "mrpc_nonparaphrase_above_threshold": round(float(above[~gold].mean()), 4),
        "ecb_story_claims": len(claims),
        "ecb_story_v_measure": round(float(v_measure_score(truth, predicted)), 4),
        "ecb_story_ari": round(float(adjusted_rand_score(truth, predicted)), 4),
        "ecb_stories_found": len(set(predicted)), "ecb_stories_gold": len(set(truth)),
    }


def main() -> None:
    import numpy as np

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--embedders", default="minilm,minilm-int8,minilm-torch,mpnet")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "embedders.json")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--save", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.save)))
        return
    if not DATA.exists():
        sys.exit("../shared/data is absent: nothing to measure")
    rows, saved = [], {}
    with tempfile.TemporaryDirectory() as scratch:
        for name in args.embedders.split(","):
            saved[name] = Path(scratch) / f"{name}.npy"
            row = run_child(__file__, "--one", name, "--save", str(saved[name]), label=name)
            if row:
                rows.append(row)
        # ONNX vs torch on the same sentences: the tolerance the default is held to.
        if saved.get("minilm-torch") and saved["minilm-torch"].exists():
            reference = np.load(saved["minilm-torch"])
            for row in rows:
                if row["embedder"].startswith("minilm") and row["embedder"] != "minilm-torch":
                    cosine = (np.load(saved[row["embedder"]]) * reference).sum(1)
                    row["cosine_vs_torch_min"] = round(float(cosine.min()), 6)
                    row["cosine_vs_torch_mean"] = round(float(cosine.mean()), 6)
    args.out.write_text(json.dumps(rows, indent=2) + "\n")
    print("\n| embedder | load s | sentences/s | peak RSS MB | cosine vs torch (min / mean) | STS-B dev Spearman | "
          "MRPC dev paraphrases above the cluster threshold | MRPC dev non-paraphrases above it | "
          "ECB+ dev story V-measure / ARI |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        agreement = f"{r['cosine_vs_torch_min']} / {r['cosine_vs_torch_mean']}" if "cosine_vs_torch_min" in r else "-"
        print(f"| `{r['embedder']}` | {r['load_s']} | {r['sentences_per_s']} | {r['peak_rss_mb']} | {agreement} | "
              f"{r['stsb_dev_spearman']} | {r['mrpc_paraphrase_recall_at_threshold']} | "
              f"{r['mrpc_nonparaphrase_above_threshold']} | {r['ecb_story_v_measure']} / {r['ecb_story_ari']} |")


if __name__ == "__main__":
    main()
