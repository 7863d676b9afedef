"""Calibrate the final verdict scores of an NLI judge: score -> P(verdict is right).

    python -m claimcheck.relate.training.calibrate_verdicts --variant default
    python -m claimcheck.relate.training.calibrate_verdicts --variant research

The model's temperature makes its three probabilities honest, but a verdict is built
from two directions and the structured checks, so its score is not yet a probability.
This fits one Platt map per verdict (agree, adds_detail, contradict, neutral) on the
calibration half of the held-out split (the rows the temperature was fitted on, never
trained on, never measured on) and stores it in the model's JSON, where NLIJudge reads it.
A verdict counts as right when its NLI reading (claimcheck.evaluation.run.as_nli)
matches the gold label, the same rule `claimcheck eval` uses.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np

from claimcheck.evaluation.metrics import expected_calibration_error
from claimcheck.evaluation.run import as_nli
from claimcheck.relate.training.train_nli import (
    LABELS,
    VARIANT_FILES,
    build_research_splits,
    build_splits,
    log,
)

# Fewer rows than this for a verdict: leave its raw score alone rather than fit noise.
MIN_ROWS = 40


def fit_platt(scores: np.ndarray, correct: np.ndarray, steps: int = 200) -> tuple[float, float]:
    """Logistic regression of correctness on logit(score), by Newton's method."""
    x = np.log(np.clip(scores, 1e-4, 1 - 1e-4) / (1 - np.clip(scores, 1e-4, 1 - 1e-4)))
    design = np.stack([x, np.ones_like(x)], axis=1)
    w = np.array([1.0, 0.0])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-design @ w))
        grad = design.T @ (p - correct)
        hess = design.T @ (design * (p * (1 - p))[:, None]) + 1e-6 * np.eye(2)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return float(w[0]), float(w[1])


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variant", choices=sorted(VARIANT_FILES), default="default")
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--models", default="models/")
    ap.add_argument("--target-pairs", type=int, default=64000, help="as given to train_nli")
    ap.add_argument("--seed", type=int, default=13, help="as given to train_nli")
    args = ap.parse_args(argv)

    from claimcheck.pipeline import judge_pairs
    from claimcheck.relate.nli import NLIJudge, platt

    build = build_research_splits if args.variant == "research" else build_splits
    calib = build(Path(args.data), args.target_pairs, args.seed).calib
    onnx_name, meta_name = VARIANT_FILES[args.variant]
    judge = NLIJudge(Path(args.models) / onnx_name, calibrate=False)
    log(f"judging {len(calib)} calibration pairs")
    verdicts = judge_pairs([p.premise for p in calib], [p.hypothesis for p in calib], judge)
    gold = [LABELS[p.label] for p in calib]
    correct = np.array([as_nli(v) == g for v, g in zip(verdicts, gold)], dtype=float)
    scores = np.array([v.score for v in verdicts])
    kinds = np.array([v.verdict for v in verdicts])

    fits = {}
    for kind, n in sorted(Counter(kinds).items()):
        if n < MIN_ROWS:
            log(f"{kind}: only {n} rows, left uncalibrated")
            continue
        rows = kinds == kind
        slope, intercept = fit_platt(scores[rows], correct[rows])
        fits[kind] = {"platt": [round(slope, 4), round(intercept, 4)], "rows": int(n),
                      "right": round(float(correct[rows].mean()), 4)}
    after = np.array([platt(s, *fits[k]["platt"]) if k in fits else s for s, k in zip(scores, kinds)])
    summary = {
        "method": "Platt map on logit(score), one per final verdict (model + structured checks)",
        "fit_on": f"calibration half of the held-out split ({len(calib)} pairs, by source: "
                  f"{dict(Counter(p.source for p in calib))})",
        "ece_before": expected_calibration_error(scores, correct),
        "ece_after_on_fit_set": expected_calibration_error(after, correct),
    }
    log(json.dumps(summary))
    meta_path = Path(args.models) / meta_name
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["verdict_calibration"] = fits
    meta["metrics"]["verdict_calibration"] = summary
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    log(f"wrote verdict_calibration into {meta_path}")


if __name__ == "__main__":
    main()
