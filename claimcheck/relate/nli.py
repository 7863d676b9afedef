"""The trained relation model: a 3-way NLI cross-encoder run both ways round.

a ⇒ b and b ⇒ a is `agree`; one direction only is `adds_detail` from the side that
entails; a confident contradiction either way is `contradict`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from claimcheck.types import Judgement

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
DEFAULT_MODEL = MODELS_DIR / "relation-minilm-l6-nli-int8.onnx"


class NLIJudge:
    name = "nli"

    def __init__(self, model_path: str | Path = DEFAULT_MODEL, entail_at: float = 0.5, contradict_at: float = 0.5):
        from claimcheck.relate.nli_onnx import OnnxNLI

        self.model = OnnxNLI(model_path)
        self.entail_at = entail_at
        self.contradict_at = contradict_at

    def probabilities(self, a: Sequence[str], b: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(P(a⇒b), P(b⇒a)) rows of [entailment, neutral, contradiction]."""
        both = self.model.predict(list(a) + list(b), list(b) + list(a))
        return both[: len(a)], both[len(a) :]

    def judge(self, a: Sequence[str], b: Sequence[str], similarity: Sequence[float]) -> list[Judgement]:
        if not a:
            return []
        forward, backward = self.probabilities(a, b)
        return [self._one(f, r) for f, r in zip(forward, backward)]

    def _one(self, forward: np.ndarray, backward: np.ndarray) -> Judgement:
        ent_ab, ent_ba = float(forward[0]), float(backward[0])
        contra = max(float(forward[2]), float(backward[2]))
        note = f"model: a⇒b {ent_ab:.2f}, b⇒a {ent_ba:.2f}, contradiction {contra:.2f}"
        if contra >= self.contradict_at and contra > max(ent_ab, ent_ba):
            return Judgement("contradict", round(contra, 4), note)
        if ent_ab >= self.entail_at and ent_ba >= self.entail_at:
            return Judgement("agree", round(min(ent_ab, ent_ba), 4), note)
        if max(ent_ab, ent_ba) >= self.entail_at:
            side = "a" if ent_ab >= ent_ba else "b"
            return Judgement("adds_detail", round(max(ent_ab, ent_ba), 4), note, side)
        return Judgement("neutral", round(1 - max(ent_ab, ent_ba, contra), 4), note)
