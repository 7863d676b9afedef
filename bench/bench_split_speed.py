"""Claim splitting throughput on news articles, with the spaCy pipeline already loaded.

    python bench/bench_split_speed.py [--claims 1200] [--repeats 3] [--out bench/split_speed.json]

Articles: the first ones bench_store.corpus gives (ECB+ news bodies), about `--claims`
claims; one more article is split first so loading is not timed. Two ways are timed,
each the best of `--repeats` passes: `extract` one article at a time, and `extract_many`
on all of them (one spaCy pipe, as `compare` and `claimcheck add` call it). The machine's
load average is recorded with the figures, since other jobs share its two cores."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))


def _best(run, repeats: int) -> tuple[int, float]:
    best, count = float("inf"), 0
    for _ in range(repeats):
        started = time.perf_counter()
        count = run()
        best = min(best, time.perf_counter() - started)
    return count, best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=1200)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "split_speed.json")
    args = parser.parse_args()

    from bench_store import corpus

    from claimcheck.split import ClaimExtractor, sentence_spans

    articles = list(corpus(args.claims))
    extractor = ClaimExtractor()
    extractor.extract(articles[0])  # loads the pipeline
    rest = articles[1:]
    sentences = sum(len(sentence_spans(a.text, a.body_start)) for a in rest)
    out = {"articles": len(rest), "sentences": sentences, "repeats": args.repeats,
           "load_average_before": round(os.getloadavg()[0], 2)}
    for name, run in (("extract", lambda: sum(len(extractor.extract(a)) for a in rest)),
                      ("extract_many", lambda: sum(len(g) for g in extractor.extract_many(rest)))):
        claims, seconds = _best(run, args.repeats)
        out[name] = {"claims": claims, "seconds": round(seconds, 2), "claims_per_second": round(claims / seconds, 1)}
    out["load_average_after"] = round(os.getloadavg()[0], 2)
    print(json.dumps(out, indent=2))
    args.out.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
