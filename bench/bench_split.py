"""How long claim splitting takes next to the whole `compare`, in a fresh process.

    python bench/bench_split.py [--out bench/split_results.json]

Reports the spaCy pipeline's import + load time, the split stage's share of one
`compare` on corpus/ (its timing includes that load, as a user's first run does), and
the split of corpus/ again once the pipeline is loaded."""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "split_results.json")
    args = parser.parse_args()

    import claimcheck
    from claimcheck.ingest import read_articles
    from claimcheck.split import ClaimExtractor
    from claimcheck.types import Diagnostics

    started = time.perf_counter()
    result = claimcheck.compare(ROOT / "corpus")
    total = time.perf_counter() - started

    from claimcheck.split.parse import load_nlp

    load_nlp.cache_clear()
    started = time.perf_counter()
    load_nlp()
    load_seconds = time.perf_counter() - started

    articles = read_articles([ROOT / "corpus"], Diagnostics(), False)
    started = time.perf_counter()
    claims = [c for a in articles for c in ClaimExtractor().extract(a)]
    warm = time.perf_counter() - started

    split = result.timings["split"]
    out = {
        "corpus": "corpus/", "articles": len(articles), "claims": len(claims),
        "compare_seconds": round(total, 2), "split_seconds": round(split, 2),
        "split_share_of_compare": round(split / total, 3),
        "spacy_load_seconds_after_import": round(load_seconds, 2),
        "split_seconds_with_pipeline_loaded": round(warm, 2),
        "stages": {k: round(v, 2) for k, v in result.timings.items()},
    }
    print(json.dumps(out, indent=2))
    args.out.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
