"""Recipe for the second relation design: a small head over sentence embeddings.

    python -m claimcheck.relate.training.train_embedding_head --data ../shared/data --out models/

The claims are embedded for clustering anyway, so a head over (u, v, |u−v|, u·v) costs
almost nothing at judging time. It uses the same redistributable training splits as the
cross-encoder (train_nli.build_splits) and is measured on the same held-out sets, so the
two designs can be compared on one table (models/RELATION_MODEL_CARD.md)."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from claimcheck.relate.training.train_nli import (
    LABELS, build_splits, classification_metrics, eval_sets, fit_temperature, labels_of, log,
)

HEAD_NAME = "relation-embedding-head.npz"


def features(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    return np.concatenate([u, v, np.abs(u - v), u * v], axis=1).astype(np.float32)


def embed_pairs(pairs, embed) -> tuple[np.ndarray, np.ndarray]:
    texts = sorted({p.premise for p in pairs} | {p.hypothesis for p in pairs})
    vectors = embed(texts)
    row = {t: i for i, t in enumerate(texts)}
    return (vectors[[row[p.premise] for p in pairs]], vectors[[row[p.hypothesis] for p in pairs]])


def train_head(x: np.ndarray, y: np.ndarray, hidden: int, epochs: int, seed: int):
    import torch

    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(x.shape[1], hidden), torch.nn.ReLU(), torch.nn.Dropout(0.1),
                                torch.nn.Linear(hidden, len(LABELS)))
    optimiser = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
    data, target = torch.from_numpy(x), torch.from_numpy(y.astype(np.int64))
    generator = torch.Generator().manual_seed(seed)
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(data), generator=generator)
        total = 0.0
        for start in range(0, len(data), 256):
            idx = order[start : start + 256]
            optimiser.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(data[idx]), target[idx])
            loss.backward()
            optimiser.step()
            total += float(loss) * len(idx)
        log(f"epoch {epoch + 1}/{epochs} loss {total / len(data):.4f}")
    model.eval()
    return model


def head_logits(weights: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    hidden = np.maximum(x @ weights["w1"].T.astype(np.float32) + weights["b1"], 0)
    return hidden @ weights["w2"].T.astype(np.float32) + weights["b2"]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--out", type=Path, default=Path("models"))
    ap.add_argument("--target-pairs", type=int, default=64000)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)

    from claimcheck.pipeline import embed_texts

    started = time.time()
    splits = build_splits(args.data, args.target_pairs, args.seed)
    log(f"train {len(splits.train)} pairs; embedding (cached in ~/.cache/claimcheck)")
    u, v = embed_pairs(splits.train, embed_texts)
    x, y = features(u, v), labels_of(splits.train)
    log(f"embedded in {time.time() - started:.0f}s")
    model = train_head(x, y, args.hidden, args.epochs, args.seed)
    weights = {
        "w1": model[0].weight.detach().numpy().astype(np.float16), "b1": model[0].bias.detach().numpy(),
        "w2": model[3].weight.detach().numpy().astype(np.float16), "b2": model[3].bias.detach().numpy(),
    }
    cu, cv = embed_pairs(splits.calib, embed_texts)
    temperature = fit_temperature(head_logits(weights, features(cu, cv)), labels_of(splits.calib))
    metrics = {}
    for name, pairs in eval_sets(args.data, splits).items():
        if not pairs:
            continue
        eu, ev = embed_pairs(pairs, embed_texts)
        metrics[name] = classification_metrics(head_logits(weights, features(eu, ev)), labels_of(pairs), temperature)
        log(f"{name}: {json.dumps(metrics[name])}")
    args.out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out / HEAD_NAME, **weights, temperature=np.float32(temperature),
                        labels=np.array(LABELS), embedder=np.array("all-MiniLM-L6-v2"))
    (args.out / "relation-embedding-head.json").write_text(json.dumps(
        {"labels": LABELS, "temperature": temperature, "train_pairs": len(splits.train), "hidden": args.hidden,
         "epochs": args.epochs, "minutes": round((time.time() - started) / 60, 1), "metrics": metrics}, indent=2) + "\n")
    log(f"wrote {args.out / HEAD_NAME}")


if __name__ == "__main__":
    main()
