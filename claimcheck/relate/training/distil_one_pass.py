"""Recipe for the one-pass relation model: both directions of NLI from one forward pass.

    python -m claimcheck.relate.training.distil_one_pass --data ../shared/data --out models/

The judge needs P(a ⇒ b) and P(b ⇒ a) for every claim pair; the two-direction teacher
(`train_nli`, 6 layers) runs twice per pair. The student reads the pair once and emits six
logits: [entail, neutral, contradict] for a ⇒ b, then the same for b ⇒ a. It keeps three of
the teacher's six layers, so a claim pair costs a quarter of the teacher's compute.

Stages:
  1. label: the shipped int8 teacher scores the training pairs both ways (cached), and
     claim pairs as the product meets them: claims split from ECB+ news articles, each
     with its nearest claims from other articles of the same topic (no gold label; the
     student learns the teacher's behaviour on news claims, where NLI sets are thin)
  2. train: the student learns both heads from the teacher's soft labels plus the gold
     label where there is one; every pair is shown in a random order, so the gold label
     trains both heads
  3. export to int8 ONNX, fit a temperature, measure both heads on the held-out split

Same data, splits and licences as the teacher (redistributable sources only),
plus ECB+ article text (CC BY 3.0 annotation, uncopyrighted news text) for the news pairs.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from claimcheck.relate.training.train_nli import (
    BASE_MODEL,
    LABELS,
    MAX_LENGTH,
    Pair,
    VARIANT_FILES,
    Splits,
    add_training_options,
    build_splits,
    classification_metrics,
    collate,
    encode,
    export_onnx,
    fingerprint,
    fit_temperature,
    length_bucketed_batches,
    load_checkpoint,
    log,
    make_tokenizer,
    optimise,
    sha256_file,
)

ONNX_NAME = "relation-minilm-l3-nli-onepass-int8.onnx"
META_NAME = "relation-minilm-l3-nli-onepass.json"
# Bottom and top survive: the top layer feeds the classifier the student inherits.
KEPT_LAYERS = (0, 2, 5)
NO_GOLD = -100  # torch's ignore_index: a pair only the teacher has labelled
NEWS_NEIGHBOURS = 3
NEWS_MIN_COSINE = 0.5  # a little below the pair threshold, so the student sees the borderline pairs too


def news_pairs(data: Path, limit: int, seed: int, cache: Path) -> list[Pair]:
    """Claim pairs the way compare() meets them: ECB+ articles split into claims, each claim
    with its nearest claims (cosine ≥ NEWS_MIN_COSINE) from other articles of its topic."""
    if cache.exists():
        pairs = [Pair(**row) for row in map(json.loads, cache.read_text(encoding="utf-8").splitlines())]
        if len(pairs) >= limit:
            return pairs[:limit]
    from claimcheck.config import default_cache_dir
    from claimcheck.embed import get_embedder
    from claimcheck.split import ClaimExtractor
    from claimcheck.types import Article

    docs = [json.loads(line) for line in (data / "ecbplus" / "docs.jsonl").read_text(encoding="utf-8").splitlines()]
    articles = [Article(id=d["doc_id"], text=" ".join(d["sentences"]), source=d["doc_id"]) for d in docs]
    topic_of = {d["doc_id"]: d["topic"] for d in docs}
    log(f"news pairs: splitting {len(articles)} ECB+ articles")
    claims = [c for found in ClaimExtractor().extract_many(articles) for c in found]
    log(f"news pairs: embedding {len(claims)} claims")
    vectors = get_embedder("minilm", cache_dir=default_cache_dir()).encode([c.proposition for c in claims])
    rng = np.random.default_rng(seed)
    seen: set[tuple[int, int]] = set()
    pairs = []
    for topic in sorted(set(topic_of.values())):
        rows = np.array([n for n, c in enumerate(claims) if topic_of[c.article_id] == topic])
        scores = vectors[rows] @ vectors[rows].T
        for i, row in enumerate(rows):
            order = np.argsort(-scores[i])
            chosen = [j for j in order if scores[i, j] >= NEWS_MIN_COSINE
                      and claims[rows[j]].article_id != claims[row].article_id][:NEWS_NEIGHBOURS]
            for j in chosen:
                key = (min(row, rows[j]), max(row, rows[j]))
                if key not in seen and claims[key[0]].proposition != claims[key[1]].proposition:
                    seen.add(key)
                    a, b = (claims[k] for k in (key if rng.random() < 0.5 else key[::-1]))
                    pairs.append(Pair(a.proposition, b.proposition, NO_GOLD, "ecbplus_claims", f"{a.id}|{b.id}"))
    rng.shuffle(pairs)
    log(f"news pairs: {len(pairs)} from {len(claims)} claims")
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("".join(json.dumps(p.__dict__) + "\n" for p in pairs), encoding="utf-8")
    return pairs[:limit]


def teacher_logits(teacher_path: Path, pairs: list[Pair], cache: Path, threads: int) -> tuple[np.ndarray, np.ndarray]:
    """Raw teacher logits for premise ⇒ hypothesis and hypothesis ⇒ premise, cached by data fingerprint."""
    from claimcheck.relate.nli_onnx import OnnxNLI

    fp = fingerprint(pairs) + "-" + sha256_file(teacher_path)[:12]
    if cache.exists():
        saved = np.load(cache)
        if str(saved["fingerprint"]) == fp:
            return saved["forward"], saved["backward"]
    teacher = OnnxNLI(teacher_path, meta_path=None, threads=threads, temperature=1.0)
    premises, hypotheses = [p.premise for p in pairs], [p.hypothesis for p in pairs]
    parts_f, parts_b = [], []
    t0 = time.time()
    for start in range(0, len(pairs), 2048):
        end = start + 2048
        parts_f.append(teacher.logits(premises[start:end], hypotheses[start:end]))
        parts_b.append(teacher.logits(hypotheses[start:end], premises[start:end]))
        log(f"teacher: {min(end, len(pairs))}/{len(pairs)} pairs, {2 * min(end, len(pairs)) / (time.time() - t0):.0f} passes/s")
    forward, backward = np.concatenate(parts_f), np.concatenate(parts_b)
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.savez(cache, forward=forward, backward=backward, fingerprint=np.array(fp))
    return forward, backward


def student_from(teacher_dir: Path, init_from: str = ""):
    """The teacher's fine-tuned weights, cut to KEPT_LAYERS, with a six-logit head whose
    two halves both start as the teacher's three-way head; or an earlier student."""
    import torch
    from transformers import AutoModelForSequenceClassification

    if init_from:
        return AutoModelForSequenceClassification.from_pretrained(init_from)
    model = AutoModelForSequenceClassification.from_pretrained(str(teacher_dir))
    model.bert.encoder.layer = torch.nn.ModuleList(model.bert.encoder.layer[i] for i in KEPT_LAYERS)
    model.config.num_hidden_layers = len(KEPT_LAYERS)
    old = model.classifier
    head = torch.nn.Linear(old.in_features, 2 * old.out_features)
    with torch.no_grad():
        head.weight.copy_(torch.cat([old.weight, old.weight]))
        head.bias.copy_(torch.cat([old.bias, old.bias]))
    model.classifier = head
    model.config.num_labels = 2 * old.out_features
    model.config.id2label = {i: f"{d}:{name}" for i, (d, name) in enumerate((d, n) for d in ("ab", "ba") for n in LABELS)}
    model.config.label2id = {v: k for k, v in model.config.id2label.items()}
    return model


def train(args, pairs: list[Pair], forward: np.ndarray, backward: np.ndarray) -> Path:
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    ckpt_dir = Path(args.ckpt_dir)
    ckpt_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(args.seed)

    tok = make_tokenizer(MAX_LENGTH)
    pad_id = tok.token_to_id("[PAD]") or 0
    # Each pair appears in both orders across the epochs, in a random order within each.
    swapped = [Pair(p.hypothesis, p.premise, p.label, p.source, p.id) for p in pairs]
    encoded = encode(tok, pairs) + encode(tok, swapped)
    n = len(pairs)
    soft_ab = torch.softmax(torch.tensor(np.concatenate([forward, backward]) / args.teacher_temperature), dim=1)
    soft_ba = torch.softmax(torch.tensor(np.concatenate([backward, forward]) / args.teacher_temperature), dim=1)
    gold = torch.tensor([p.label for p in pairs] * 2)
    gold_is_ab = torch.tensor([True] * n + [False] * n)  # the gold label is about a ⇒ b of the shown order
    schedule = []
    for epoch in range(args.epochs):
        flip = rng.random(n) < 0.5
        shown = [i + n if f else i for i, f in enumerate(flip)]
        lengths = [len(encoded[i][0]) for i in shown]
        schedule.extend([[shown[j] for j in batch] for batch in length_bucketed_batches(lengths, args.batch_size, args.seed + epoch)])
    total = len(schedule)

    model = student_from(Path(args.teacher_dir), args.init_from)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    state = {"step": 0, "elapsed": 0.0, "loss_log": []}
    ckpt = ckpt_dir / "checkpoint.pt"
    if args.resume and ckpt.exists():
        saved = load_checkpoint(ckpt)
        model.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        state = saved["state"]
        log(f"resumed at step {state['step']}/{total}")

    def batch_loss(idx: list[int]):
        ids, mask, types = collate(encoded, idx, pad_id)
        logits = model(input_ids=ids, attention_mask=mask, token_type_ids=types).logits
        ab, ba = F.log_softmax(logits[:, :3], dim=1), F.log_softmax(logits[:, 3:], dim=1)
        distil = F.kl_div(ab, soft_ab[idx], reduction="batchmean") + F.kl_div(ba, soft_ba[idx], reduction="batchmean")
        on_gold = torch.where(gold_is_ab[idx][:, None], ab, ba)
        labelled = int((gold[idx] != NO_GOLD).sum())
        if not labelled:  # nll_loss averages over labelled rows only, and none is NaN
            return distil
        return distil + args.gold_weight * F.nll_loss(on_gold, gold[idx], ignore_index=NO_GOLD)

    state = optimise(args, model, optimizer, schedule, batch_loss, state, warmup_share=0.05)
    final_dir = ckpt_dir / "final"
    model.save_pretrained(str(final_dir))
    summary = {"steps_done": state["step"], "steps_planned": total, "pairs_seen": state["step"] * args.batch_size,
               "distinct_pairs": n, "news_pairs": sum(p.label == NO_GOLD for p in pairs), "init_from": args.init_from, "train_minutes": round(state["elapsed"] / 60, 1), "batch_size": args.batch_size,
               "lr": args.lr, "epochs": args.epochs, "gold_weight": args.gold_weight,
               "teacher_temperature": args.teacher_temperature, "kept_layers": list(KEPT_LAYERS),
               "loss_log": state["loss_log"]}
    (ckpt_dir / "train_summary.json").write_text(json.dumps(summary, indent=1))
    return final_dir


def export_and_measure(args, splits: Splits) -> dict:
    from transformers import AutoModelForSequenceClassification

    from claimcheck.relate.nli_onnx import OnnxNLI

    ckpt_dir, out_dir = Path(args.ckpt_dir), Path(args.out)
    model = AutoModelForSequenceClassification.from_pretrained(str(ckpt_dir / "final"))
    int8_path = out_dir / ONNX_NAME
    export_onnx(model, ckpt_dir / "student-fp32.onnx", int8_path)
    net = OnnxNLI(int8_path, meta_path=None, threads=args.threads, temperature=1.0)

    def both_heads(pairs: list[Pair]) -> tuple[np.ndarray, np.ndarray]:
        """Logits for the gold direction from each head: the a ⇒ b head on (premise,
        hypothesis) and the b ⇒ a head on the same pair shown the other way round."""
        shown = net.logits([p.premise for p in pairs], [p.hypothesis for p in pairs])
        flipped = net.logits([p.hypothesis for p in pairs], [p.premise for p in pairs])
        return shown[:, :3], flipped[:, 3:]

    cal_ab, cal_ba = both_heads(splits.calib)
    y_cal = np.array([p.label for p in splits.calib])
    temperature = fit_temperature(np.concatenate([cal_ab, cal_ba]), np.concatenate([y_cal, y_cal]))
    log(f"temperature {temperature:.4f}")
    ab_all, ba_all = both_heads(splits.heldout)
    y_all = np.array([p.label for p in splits.heldout])
    results = {}
    for source in sorted({p.source for p in splits.heldout}) + ["all"]:
        rows = np.array([source in ("all", p.source) for p in splits.heldout])
        results[f"heldout_{source}"] = {"a_to_b_head": classification_metrics(ab_all[rows], y_all[rows], temperature),
                                        "b_to_a_head": classification_metrics(ba_all[rows], y_all[rows], temperature)}
        log(f"held-out {source}: a⇒b head {results[f'heldout_{source}']['a_to_b_head']['accuracy']}, "
            f"b⇒a head {results[f'heldout_{source}']['b_to_a_head']['accuracy']}")
    summary_path = ckpt_dir / "train_summary.json"
    training = json.loads(summary_path.read_text()) if summary_path.exists() else {}
    training.pop("loss_log", None)
    training["data"] = splits.counts
    meta = {
        "labels": LABELS,
        "directions": 2,
        "temperature": round(temperature, 4),
        "max_length": MAX_LENGTH,
        "base_model": f"{BASE_MODEL}, layers {list(KEPT_LAYERS)} of the two-pass teacher relation-minilm-l6-nli, distilled",
        "onnx": ONNX_NAME,
        "variant": "onepass",
        "sha256": sha256_file(int8_path),
        "metrics": {"int8": results, "training": training, "onnx_size_bytes": int8_path.stat().st_size,
                    "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
    }
    (out_dir / META_NAME).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    log(f"wrote {out_dir / META_NAME}")
    return meta


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", default="models/")
    ap.add_argument("--teacher", default=f"models/{VARIANT_FILES['teacher'][0]}", help="the two-pass model that labels")
    ap.add_argument("--teacher-dir", default=".cache/relation-train/final",
                    help="its fine-tuned torch weights (from `make train-relation`), the student's starting point")
    ap.add_argument("--ckpt-dir", default=".cache/relation-distil")
    ap.add_argument("--pairs", type=int, default=48000, help="training pairs the teacher labels")
    ap.add_argument("--news-pairs", type=int, default=20000, help="ECB+ claim pairs the teacher labels (no gold)")
    ap.add_argument("--init-from", default="", help="continue from this student folder instead of cutting the teacher")
    ap.add_argument("--target-pairs", type=int, default=64000, help="as in train_nli, so the splits are the same")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--gold-weight", type=float, default=0.5)
    ap.add_argument("--teacher-temperature", type=float, default=1.0)
    add_training_options(ap, budget_min=40.0, batch_size=32, lr=8e-5)
    ap.add_argument("--label-only", action="store_true", help="stop after the teacher has labelled")
    ap.add_argument("--export-only", action="store_true")
    return ap.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    t0 = time.time()
    splits = build_splits(Path(args.data), args.target_pairs, args.seed)
    log(f"splits: {json.dumps(splits.counts)}")
    if not args.export_only:
        ckpt = Path(args.ckpt_dir)
        pairs = splits.train[: args.pairs]
        forward, backward = teacher_logits(Path(args.teacher), pairs, ckpt / "teacher.npz", args.threads)
        if args.news_pairs:
            news = news_pairs(Path(args.data), args.news_pairs, args.seed, ckpt / "news_pairs.jsonl")
            news_f, news_b = teacher_logits(Path(args.teacher), news, ckpt / "news_teacher.npz", args.threads)
            pairs, forward, backward = pairs + news, np.concatenate([forward, news_f]), np.concatenate([backward, news_b])
        if args.label_only:
            return
        if not Path(args.teacher_dir, "config.json").exists():
            sys.exit(f"{args.teacher_dir} holds no fine-tuned teacher; run `make train-relation` first")
        train(args, pairs, forward, backward)
    meta = export_and_measure(args, splits)
    log(f"done in {(time.time() - t0) / 60:.1f} min; T={meta['temperature']}")


if __name__ == "__main__":
    main()
