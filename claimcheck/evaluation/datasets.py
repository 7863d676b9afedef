"""Labelled dev sets from ../shared/data, as (a, b, gold) rows.

Gold labels use the NLI vocabulary: entailment (a ⇒ b), neutral, contradiction; the
paraphrase sets use paraphrase / different. None of these rows is used in training."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DevSet:
    name: str
    path: str  # relative to the data folder
    kind: str  # "nli" or "paraphrase"
    note: str = ""


DEV_SETS = (
    DevSet("SICK trial", "sick/trial.jsonl", "nli"),
    DevSet("MultiNLI dev_mismatched", "mnli/dev_mismatched.jsonl", "nli"),
    DevSet("XNLI en dev", "xnli_en/dev.jsonl", "nli"),
    DevSet("ANLI R1 dev", "anli/r1_dev.jsonl", "nli", "adversarial, no target"),
    DevSet("ANLI R2 dev", "anli/r2_dev.jsonl", "nli", "adversarial, no target"),
    DevSet("RTE dev", "rte/dev.jsonl", "nli", "2-way: not_entailment counted as neutral"),
    DevSet("MRPC", "mrpc/train.jsonl", "paraphrase", "never trained on"),
)


def rows(data_dir: Path, dev_set: DevSet, limit: int | None) -> Iterator[tuple[str, str, str]]:
    with (data_dir / dev_set.path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if limit is not None and number >= limit:
                return
            record = json.loads(line)
            if dev_set.kind == "nli":
                label = record["label"]
                yield record["premise"], record["hypothesis"], "neutral" if label == "not_entailment" else label
            else:
                yield record["sentence1"], record["sentence2"], "paraphrase" if record["label"] == 1 else "different"
