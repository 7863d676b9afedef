"""`claimcheck eval`: the relation judge on labelled dev sets, as one comparable table."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from claimcheck.evaluation.datasets import DEV_SETS, rows
from claimcheck.evaluation.metrics import accuracy, expected_calibration_error, per_class
from claimcheck.types import Judgement

NLI_LABELS = ("entailment", "neutral", "contradiction")


def as_nli(verdict: Judgement) -> str:
    """Premise a entails b ⇔ agree, or adds_detail with the detail in a."""
    if verdict.verdict == "agree" or (verdict.verdict == "adds_detail" and verdict.detail_from == "a"):
        return "entailment"
    return "contradiction" if verdict.verdict == "contradict" else "neutral"


def evaluate(
    judge_pairs: Callable[[list[str], list[str]], list[Judgement]],
    data_dir: Path,
    limit: int | None = 1000,
    log: Callable[[str], None] = print,
) -> dict:
    results = {"limit": limit, "sets": {}, "skipped": []}
    for dev_set in DEV_SETS:
        if not (data_dir / dev_set.path).exists():
            results["skipped"].append(dev_set.name)
            log(f"skipping {dev_set.name}: {data_dir / dev_set.path} is absent")
            continue
        items = list(rows(data_dir, dev_set, limit))
        started = time.perf_counter()
        verdicts = judge_pairs([a for a, _, _ in items], [b for _, b, _ in items])
        seconds = time.perf_counter() - started
        gold = [g for _, _, g in items]
        entry = {"pairs": len(items), "pairs_per_s": round(len(items) / seconds, 1), "note": dev_set.note}
        if dev_set.kind == "nli":
            predicted = [as_nli(v) for v in verdicts]
            entry |= {"accuracy": accuracy(gold, predicted), "per_class": per_class(gold, predicted, NLI_LABELS)}
        else:
            predicted = ["paraphrase" if v.verdict == "agree" else "different" for v in verdicts]
            entry |= {"accuracy": accuracy(gold, predicted),
                      "paraphrase_f1": per_class(gold, predicted, ["paraphrase"])["paraphrase"]["f1"]}
        entry["ece"] = expected_calibration_error([v.score for v in verdicts], [g == p for g, p in zip(gold, predicted)])
        results["sets"][dev_set.name] = entry
        log(f"{dev_set.name}: {json.dumps({k: v for k, v in entry.items() if k != 'per_class'})}")
    return results


def table(results: dict) -> str:
    head = "| dev set | pairs | 3-way acc | F1 entail | F1 neutral | F1 contra | paraphrase F1 | ECE | pairs/s |"
    lines = [head, "|---|---|---|---|---|---|---|---|---|"]
    for name, e in results["sets"].items():
        pc = e.get("per_class", {})
        f1 = lambda label: f"{pc[label]['f1']:.3f}" if label in pc else ""  # noqa: E731
        acc = f"{e['accuracy']:.3f}" if "per_class" in e else ""
        para = f"{e['paraphrase_f1']:.3f}" if "paraphrase_f1" in e else ""
        lines.append(f"| {name} | {e['pairs']} | {acc} | {f1('entailment')} | {f1('neutral')} | {f1('contradiction')} | "
                     f"{para} | {e['ece']:.3f} | {e['pairs_per_s']} |")
    if results["skipped"]:
        lines.append(f"\nSkipped (absent): {', '.join(results['skipped'])}")
    return "\n".join(lines)
