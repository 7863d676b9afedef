"""Calibrate the verdict scores of an NLI judge: score -> P(verdict is right).

    python -m claimcheck.relate.training.calibrate_verdicts --variant teacher
    python -m claimcheck.relate.training.calibrate_verdicts --variant onepass
    python -m claimcheck.relate.training.calibrate_verdicts --variant research

The model's temperature makes its three probabilities honest for one direction, but a
verdict combines two directions. This fits one slope on the logit of every verdict score (a temperature for the verdict) and a two-parameter Platt map
per verdict on the calibration half of the held-out split (never trained on), measures
both and the raw scores on the other half source by source, and keeps whichever has the
lowest mean per-source ECE there (held-out rows of training sources only, no dev set).
Per-source, because the sources differ in difficulty and a map that is right only on
the pooled rows moves the error from one domain to another. The verdicts are the
model's, before the structured checks (that is where the judge applies the map: a check's
verdict rests on a stated reason, not on the model). A verdict counts as right when its
NLI reading (claimcheck.evaluation.run.as_nli) matches the gold label, as in `claimcheck eval`.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np

from claimcheck.evaluation.metrics import expected_calibration_error
from claimcheck.evaluation.run import as_nli
from claimcheck.relate.training.distil_one_pass import META_NAME as ONEPASS_META
from claimcheck.relate.training.distil_one_pass import ONNX_NAME as ONEPASS_ONNX
from claimcheck.relate.training.train_nli import (
    LABELS,
    VARIANT_FILES,
    build_research_splits,
    build_splits,
    log,
)

MODEL_FILES = {**VARIANT_FILES, "onepass": (ONEPASS_ONNX, ONEPASS_META)}
# Fewer rows than this for a verdict: no per-verdict map is measured for it.
MIN_ROWS = 40


def logit(scores: np.ndarray) -> np.ndarray:
    clipped = np.clip(scores, 1e-4, 1 - 1e-4)
    return np.log(clipped / (1 - clipped))


def fit_platt(scores: np.ndarray, correct: np.ndarray, intercept: bool = True, steps: int = 200) -> tuple[float, float]:
    """Logistic regression of correctness on logit(score) (with or without intercept), by Newton's method."""
    x = logit(scores)
    design = np.stack([x, np.ones_like(x)], axis=1) if intercept else x[:, None]
    w = np.array([1.0, 0.0]) if intercept else np.array([1.0])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-design @ w))
        grad = design.T @ (p - correct)
        hess = design.T @ (design * (p * (1 - p))[:, None]) + 1e-6 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return float(w[0]), float(w[1]) if intercept else 0.0


def per_source_ece(scores: np.ndarray, correct: np.ndarray, sources: np.ndarray) -> dict[str, float]:
    return {str(s): expected_calibration_error(scores[sources == s], correct[sources == s]) for s in sorted(set(sources))}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variant", choices=sorted(MODEL_FILES), default="onepass")
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--models", default="models/")
    ap.add_argument("--target-pairs", type=int, default=64000, help="as given to train_nli")
    ap.add_argument("--seed", type=int, default=13, help="as given to train_nli")
    args = ap.parse_args(argv)

    from claimcheck.pipeline import analyse_pairs
    from claimcheck.relate.nli import NLIJudge, platt
    from claimcheck.relate.stage import model_verdicts

    build = build_research_splits if args.variant == "research" else build_splits
    splits = build(Path(args.data), args.target_pairs, args.seed)
    onnx_name, meta_name = MODEL_FILES[args.variant]
    judge = NLIJudge(Path(args.models) / onnx_name, calibrate=False)

    def judged(pairs):
        log(f"judging {len(pairs)} pairs")
        # The model's verdicts as `claimcheck judge` analyses the pairs, before the checks:
        # that is where the judge applies the calibration.
        verdicts = model_verdicts(judge, *analyse_pairs([p.premise for p in pairs], [p.hypothesis for p in pairs]))
        correct = np.array([as_nli(v) == LABELS[p.label] for v, p in zip(verdicts, pairs)], dtype=float)
        return (np.array([v.score for v in verdicts]), correct, np.array([v.verdict for v in verdicts]),
                np.array([p.source for p in pairs]))

    scores, correct, kinds, _ = judged(splits.calib)
    slope, _ = fit_platt(scores, correct, intercept=False)
    per_verdict = {str(k): fit_platt(scores[kinds == k], correct[kinds == k])
                   for k in set(kinds) if (kinds == k).sum() >= MIN_ROWS}

    held_scores, held_correct, held_kinds, held_sources = judged(splits.heldout)
    per_verdict = {k: [round(a, 4), round(b, 4)] for k, (a, b) in per_verdict.items()}
    fits = {"raw": {}, "one slope": {"slope": round(slope, 4)}, "platt per verdict": {"per_verdict": per_verdict}}
    candidates = {
        "raw": held_scores,
        "one slope": np.array([platt(s, slope) for s in held_scores]),
        "platt per verdict": np.array([platt(s, *per_verdict[k]) if k in per_verdict else s
                                       for s, k in zip(held_scores, held_kinds)]),
    }
    comparison = {}
    for name, calibrated in candidates.items():
        by_source = per_source_ece(calibrated, held_correct, held_sources)
        comparison[name] = {"mean_per_source_ece": round(float(np.mean(list(by_source.values()))), 4),
                            "pooled_ece": expected_calibration_error(calibrated, held_correct), "by_source": by_source}
        log(f"{name}: {json.dumps(comparison[name])}")
    chosen = min(comparison, key=lambda name: comparison[name]["mean_per_source_ece"])
    log(f"chosen: {chosen}")
    summary = {
        "chosen": chosen,
        "rule": "lowest mean per-source ECE on the measurement half; fits by NLL on the calibration half",
        "fit_on": f"calibration half of the held-out split ({len(scores)} pairs, by source: "
                  f"{dict(Counter(p.source for p in splits.calib))})",
        "measured_on": f"measurement half of the held-out split ({len(held_scores)} pairs)",
        "fits": fits,
        "candidates": comparison,
    }
    meta_path = Path(args.models) / meta_name
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["verdict_calibration"] = fits[chosen]
    meta["metrics"]["verdict_calibration"] = summary
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    log(f"wrote verdict_calibration into {meta_path}")


if __name__ == "__main__":
    main()
