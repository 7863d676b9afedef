"""Labelled dev sets from ../shared/data, as (a, b, gold) rows.

Gold labels use the NLI vocabulary: entailment (a ⇒ b), neutral, contradiction; the
paraphrase sets use paraphrase / different. None of these rows is used in training."""

from __future__ import annotations

import json
from collections.abc import Iterator
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from claimcheck.relate.training.train_nli import RESEARCH_HOLDOUT, unit_hash


def mrpc_is_dev(record: dict) -> bool:
    """MRPC ships only a train file here: its dev set is the held-out fifth that the
    research model's recipe keeps out of training, minus the half used to calibrate."""
    key = record["id"]
    return unit_hash(key, "holdout") < RESEARCH_HOLDOUT["mrpc"] and unit_hash(key, "calib") >= 0.5


@dataclass(frozen=True)
class DevSet:
    name: str
    path: str  # relative to the data folder
    kind: str  # "nli" or "paraphrase"
    note: str = ""
    keep: Callable[[dict], bool] | None = None  # which rows of the file form the dev set


DEV_SETS = (
    DevSet("SICK trial", "sick/trial.jsonl", "nli"),
    DevSet("MultiNLI dev_mismatched", "mnli/dev_mismatched.jsonl", "nli"),
    DevSet("XNLI en dev", "xnli_en/dev.jsonl", "nli"),
    DevSet("ANLI R1 dev", "anli/r1_dev.jsonl", "nli", "adversarial, no target"),
    DevSet("ANLI R2 dev", "anli/r2_dev.jsonl", "nli", "adversarial, no target"),
    DevSet("RTE dev", "rte/dev.jsonl", "nli", "2-way: not_entailment counted as neutral"),
    DevSet("MRPC dev", "mrpc/train.jsonl", "paraphrase", "held-out fifth of train, never trained on", mrpc_is_dev),
)


def rows(data_dir: Path, dev_set: DevSet, limit: int | None) -> Iterator[tuple[str, str, str]]:
    with (data_dir / dev_set.path).open(encoding="utf-8") as handle:
        records = (json.loads(line) for line in handle)
        kept = (r for r in records if dev_set.keep is None or dev_set.keep(r))
        for number, record in enumerate(kept):
            if limit is not None and number >= limit:
                return
            if dev_set.kind == "nli":
                label = record["label"]
                yield record["premise"], record["hypothesis"], "neutral" if label == "not_entailment" else label
            else:
                yield record["sentence1"], record["sentence2"], "paraphrase" if record["label"] == 1 else "different"
