"""Build a million-claim store through `Store.add`, in steps that can span sessions.

    python bench/bench_store_build.py [--target 1000000] [--steps 10] [--folder .cache/bench-build]

The corpus is bench_store's (ECB+ and FNC-1 bodies, then varied copies) sized for
--target claims, cut into --steps equal runs of articles. Each step is one `add` in a
process of its own, like a daily batch job, so each step's peak memory is its own and
includes its split workers. The store and a progress file live in --folder, so the build
can be stopped at any moment (kill -9 included) and resumed by running the same command:
finished steps are skipped, and the interrupted step's rerun skips the articles its first
run committed, which is the store's crash recovery doing its job at scale. A resumed step
is marked as such, and its rate counts only the claims that run added.

Figures per step: claims in the store before and after, claims/s end to end next to the
raw embedder rate measured in the same process (as in bench_store), time per stage, peak
resident memory, size on disk and the index type. After the last step, in a fresh process
as a user would meet the finished store: time to open it, the time to add one more
article (model loaded), query latency p50/p95 and the index's recall@10 (bench_store_scale.measure).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from bench_store import claim_sample, corpus, embedder_rate  # bench/ is on the path when a bench script runs
from bench_store_scale import measure as measure_store
from children import PeakMemory, run_child

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]


def step_articles(target: int, steps: int, step: int) -> list:
    articles = list(corpus(target))
    size = -(-len(articles) // steps)
    return articles[step * size:(step + 1) * size]


def run_step(folder: Path, target: int, steps: int, step: int, judge: str, resumed: bool) -> dict:
    with PeakMemory() as memory:
        row = _add_step(folder, target, steps, step, judge)
    return {**row, "resumed": resumed, "peak_rss_mb": memory.total_mb, "peak_rss_self_mb": round(memory.self_mb)}


def _add_step(folder: Path, target: int, steps: int, step: int, judge: str) -> dict:
    from claimcheck.config import default_cache_dir
    from claimcheck.embed import get_embedder
    from claimcheck.store import Store
    from claimcheck.store.split_worker import default_workers

    articles = step_articles(target, steps, step)
    model = get_embedder("minilm", cache_dir=default_cache_dir())
    path = folder / "store"
    # No embedding cache: every claim is embedded, or the varied copies' repeated sentences would flatter the rate.
    store = Store(path, create=not path.exists(), embedder=model, cache_dir=None)
    before = store.info(recall=False)
    sample = claim_sample(articles)
    model.encode(sample[:64])
    raw = embedder_rate(model, sample)
    started = time.perf_counter()
    result = store.add(articles, batch_articles=100, judge=judge)
    add_s = time.perf_counter() - started
    # The fastest of three measurements of the raw rate, as bench_store does: the ratio is conservative.
    raw = max(raw, embedder_rate(model, sample), result.claims / max(result.timings.get("embed", 0), 1e-9))
    after = store.info(recall=False)
    store.close()
    return {
        "step": step, "steps": steps, "target": target, "judge": judge,
        "articles_added": len(result.added), "articles_skipped": len(result.duplicates),
        "claims_before": before["claims"], "claims_after": after["claims"], "claims_added": result.claims,
        "relations_added": result.relations, "add_s": round(add_s, 1),
        "add_claims_per_s": round(result.claims / add_s, 1), "embedder_claims_per_s": round(raw, 1),
        "ratio_to_embedder": round(result.claims / add_s / raw, 3),
        "stage_s": {k: round(v, 1) for k, v in result.timings.items()},
        "split_workers": default_workers(),
        "disk_mb": round(after["disk_bytes"] / 2**20, 1), "index": after["index"],
        "finished_at": time.strftime("%Y-%m-%d %H:%M:%S"),
    }


def markdown(state: dict) -> str:
    """The progress so far as the README's table."""
    lines = ["| step | claims before → after | add s | claims/s | raw embedder /s | ratio | split / embed / stories / index / cluster / relate / commit s | peak RSS | on disk | index |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for row in state["rows"]:
        stages = " / ".join(f"{row['stage_s'].get(k, 0):.0f}" for k in ("split", "embed", "stories", "index", "cluster", "relate", "commit"))
        lines.append(f"| {row['step'] + 1}{' (resumed)' if row['resumed'] else ''} | {row['claims_before']:,} → {row['claims_after']:,} "
                     f"| {row['add_s']:,.0f} | {row['add_claims_per_s']} | {row['embedder_claims_per_s']} | {row['ratio_to_embedder']:.2f} "
                     f"| {stages} | {row['peak_rss_mb'] / 1024:.2f} GB | {row['disk_mb'] / 1024:.2f} GB | {row['index']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", type=int, default=1_000_000, help="claims the finished store should hold, about")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--judge", default="auto")
    parser.add_argument("--folder", type=Path, default=ROOT / ".cache" / "bench-build")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "store_build.json")
    parser.add_argument("--table", action="store_true", help="print the progress so far as a Markdown table and exit")
    parser.add_argument("--step", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--resumed", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--finished", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step is not None:
        print(json.dumps(run_step(args.folder, args.target, args.steps, args.step, args.judge, args.resumed)))
        return
    if args.finished:
        print(json.dumps(measure_store(args.folder / "store", args.target, args.judge)))
        return
    if not (ROOT.parent / "shared" / "data").exists():
        sys.exit("../shared/data is absent: nothing to measure")
    args.folder.mkdir(parents=True, exist_ok=True)
    progress = args.folder / "progress.json"
    state = json.loads(progress.read_text()) if progress.exists() else {"target": args.target, "steps": args.steps, "rows": []}
    if args.table:
        print(markdown(state))
        return
    if (state["target"], state["steps"]) != (args.target, args.steps):
        sys.exit(f"{args.folder} holds a build for --target {state['target']} --steps {state['steps']}: use those or another --folder")
    common = ["--folder", str(args.folder), "--target", str(args.target), "--steps", str(args.steps), "--judge", args.judge]
    for step in range(len(state["rows"]), args.steps):
        resumed = state.get("running") == step  # a run of this step was stopped part-way
        state["running"] = step
        progress.write_text(json.dumps(state, indent=2) + "\n")
        row = run_child(__file__, "--step", str(step), *common, *(["--resumed"] if resumed else []), label=f"step {step}")
        if not row:
            sys.exit(1)
        state["rows"].append(row)
        progress.write_text(json.dumps(state, indent=2) + "\n")
        args.out.write_text(json.dumps(state, indent=2) + "\n")
    if "finished" not in state:
        row = run_child(__file__, "--finished", *common, label="finished store")
        if not row:
            sys.exit(1)
        state["finished"] = row
        progress.write_text(json.dumps(state, indent=2) + "\n")
    args.out.write_text(json.dumps(state, indent=2) + "\n")


if __name__ == "__main__":
    main()
