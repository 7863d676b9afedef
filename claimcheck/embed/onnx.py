"""The default embedder through ONNX Runtime: same weights, no torch import at run time.

The ONNX graph is exported once from the installed sentence-transformers folder into the
cache directory (`claimcheck models --build`, or on first use) and reused afterwards.
Mean pooling and normalisation follow the model's own sentence-transformers config."""

from __future__ import annotations

import json
import os
import tempfile
import warnings
from pathlib import Path

import numpy as np

from claimcheck.embed.base import normalise


class OnnxEmbedder:
    def __init__(self, model_dir: Path, onnx_path: Path, model_id: str, batch_size: int = 64, threads: int | None = None):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        config = json.loads((model_dir / "sentence_bert_config.json").read_text())
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=int(config.get("max_seq_length", 256)))
        self.tokenizer.enable_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or min(os.cpu_count() or 1, 4)
        self.session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.model_id = model_id
        self.dim = int(self.session.get_outputs()[0].shape[-1])
        self.batch_size = batch_size

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            encodings = self.tokenizer.encode_batch([texts[i] for i in rows])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self.inputs:
                feed["token_type_ids"] = np.zeros_like(ids)
            tokens = self.session.run(None, feed)[0]
            weights = mask[..., None].astype(np.float32)
            out[rows] = (tokens * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return normalise(out)


def export(model_dir: Path, onnx_path: Path) -> Path:
    """Write the transformer of a sentence-transformers folder as ONNX (token embeddings out).

    Written to a temporary name and renamed, so a killed export never leaves a broken file."""
    import torch
    from transformers import AutoModel

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    class TokenEmbeddings(torch.nn.Module):
        # One plain tensor out: the last hidden state, pooled by OnnxEmbedder.
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    model = TokenEmbeddings(AutoModel.from_pretrained(str(model_dir)).eval())
    onnx_path.parent.mkdir(parents=True, exist_ok=True)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    dummy = (torch.ones(2, 8, dtype=torch.long), torch.ones(2, 8, dtype=torch.long), torch.zeros(2, 8, dtype=torch.long))
    axes = {name: {0: "batch", 1: "tokens"} for name in [*names, "token_embeddings"]}
    handle, temp = tempfile.mkstemp(suffix=".onnx", dir=onnx_path.parent)
    os.close(handle)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer notes about constant shapes; parity is tested instead
        # The TorchScript exporter handles dynamic axes without the onnxscript package.
        torch.onnx.export(model, dummy, temp, input_names=names, output_names=["token_embeddings"],
                          dynamic_axes=axes, opset_version=14, do_constant_folding=True, dynamo=False)
    os.replace(temp, onnx_path)
    return onnx_path


def quantize(onnx_path: Path, int8_path: Path) -> Path:
    """Write an int8 copy of an exported graph (dynamic quantisation, per-channel weights).

    Per-channel scales matter here: per-tensor int8 gave mean cosine 0.95 against torch in a
    one-off check, per-channel 0.991 (bench/bench_embedders.py). Temp name and rename, as in export."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    handle, temp = tempfile.mkstemp(suffix=".onnx", dir=int8_path.parent)
    os.close(handle)
    quantize_dynamic(str(onnx_path), temp, weight_type=QuantType.QInt8, per_channel=True)
    os.replace(temp, int8_path)
    return int8_path
