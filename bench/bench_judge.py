"""Relation-judging throughput in claim pairs per second (both directions, checks included).

    python bench/bench_judge.py [--judges nli nli-research] [--out bench/judge_results.json]

Pairs: the candidate pairs `compare` judges on the bundled corpus/ (real claims), and
SICK trial when ../shared/data is present (short sentence pairs). Each judge is timed
three times on each set after a warm-up; the best run is reported, since the machine
has two cores and any other process only ever makes a run slower."""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
SICK = ROOT.parent / "shared" / "data" / "sick" / "trial.jsonl"


def corpus_pairs():
    """(claims a, claims b, similarities) of the pairs compare() sends to the judge on corpus/."""
    import claimcheck
    import claimcheck.pipeline as pipeline
    from claimcheck.relate import SimilarityJudge

    captured = {}

    original = pipeline.relate

    def spy(claims, pairs, judge, anchors=frozenset(), progress=None, published=None):
        captured["a"] = [claims[i] for i, _, _ in pairs]
        captured["b"] = [claims[j] for _, j, _ in pairs]
        captured["similarity"] = [s for _, _, s in pairs]
        return original(claims, pairs, judge, anchors, progress, published)

    pipeline.relate = spy
    try:
        claimcheck.compare(ROOT / "corpus", judge=SimilarityJudge())
    finally:
        pipeline.relate = original
    return captured["a"], captured["b"], captured["similarity"]


def sick_pairs():
    from claimcheck.split import claim_from_text

    if not SICK.exists():
        return None
    rows = [json.loads(line) for line in SICK.open(encoding="utf-8")]
    a = [claim_from_text(r["premise"], "a") for r in rows]
    b = [claim_from_text(r["hypothesis"], "b") for r in rows]
    return a, b, [0.8] * len(rows)


def time_judge(judge, a, b, similarity, repeats: int = 3) -> dict:
    from claimcheck.relate.stage import judge_claims

    judge_claims(judge, a[:32], b[:32], similarity[:32])  # warm-up
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        judge_claims(judge, a, b, similarity)
        runs.append(time.perf_counter() - started)
    return {"pairs": len(a), "best_s": round(min(runs), 3), "claim_pairs_per_s": round(len(a) / min(runs), 1),
            "runs_s": [round(r, 3) for r in runs]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--judges", nargs="+", default=["nli", "nli-research"])
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "judge_results.json")
    args = ap.parse_args()

    from claimcheck.relate import get_judge

    sets = {"corpus/ candidate pairs": corpus_pairs()}
    sick = sick_pairs()
    if sick:
        sets["SICK trial"] = sick
    results = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()}, "judges": {}}
    for name in args.judges:
        judge = get_judge(name)
        results["judges"][name] = {set_name: time_judge(judge, *pairs) for set_name, pairs in sets.items()}
        print(name, json.dumps(results["judges"][name]), flush=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
