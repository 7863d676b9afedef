"""Relation judges built on 3-way NLI probabilities, asked both ways round.

a ⇒ b and b ⇒ a is `agree`; one direction only is `adds_detail` from the side that
entails; a confident contradiction either way is `contradict`. Subclasses only say how
they get P(entailment, neutral, contradiction) for (premise, hypothesis) pairs, or, for a
model that reads a pair once for both directions, both rows at once (`both_ways`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from claimcheck.errors import ClaimcheckError, Code
from claimcheck.relate.nli_onnx import mirrored
from claimcheck.relate.similarity import content_words
from claimcheck.types import Judgement

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
# One pass of 3 layers reads both directions, distilled from the two-pass teacher that
# only the training recipe loads (distil_one_pass --teacher): see models/RELATION_MODEL_CARD.md.
DEFAULT_MODEL = MODELS_DIR / "relation-minilm-l3-nli-onepass-int8.onnx"
RESEARCH_MODEL = MODELS_DIR / "relation-minilm-l6-nli-research-int8.onnx"
DEFAULT_HEAD = MODELS_DIR / "relation-embedding-head.npz"


class BidirectionalNLIJudge:
    name = "nli"
    entail_at = 0.5
    # A false contradiction costs more trust than a missed one, so the model alone needs
    # a clear majority to call one; structured checks (numbers, dates, denial) do not.
    contradict_at = 0.7
    # How verdict scores become P(verdict is right), as chosen and fitted on held-out pairs by
    # claimcheck.relate.training.calibrate_verdicts: {"slope": a} for every verdict, or
    # {"per_verdict": {verdict: [a, b]}}; empty leaves scores as they are.
    verdict_calibration: dict = {}

    def _calibrated(self, verdict: Judgement) -> Judgement:
        """The verdict with its score turned into the probability that it is right. Applied
        to the model's verdict, before the structured checks: the map is fitted on model
        verdicts, and a check's verdict rests on a reason a reader can verify."""
        fit = self.verdict_calibration
        if "slope" in fit:
            slope, intercept = fit["slope"], 0.0
        elif verdict.verdict in fit.get("per_verdict", {}):
            slope, intercept = fit["per_verdict"][verdict.verdict]
        else:
            return verdict
        return replace(verdict, score=round(platt(verdict.score, slope, intercept), 4))

    def probabilities(self, premises: Sequence[str], hypotheses: Sequence[str]) -> np.ndarray:
        """Rows of [entailment, neutral, contradiction] probabilities."""
        raise NotImplementedError

    def both_ways(self, a: list[str], b: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(a ⇒ b, b ⇒ a) probability rows; a model that reads both at once overrides this."""
        return mirrored(self.probabilities, a, b)

    def judge(self, a: Sequence[str], b: Sequence[str], similarity: Sequence[float]) -> list[Judgement]:
        if not a:
            return []
        forward, backward = self.both_ways(list(a), list(b))
        return [self._calibrated(self._one(f, r, x, y)) for f, r, x, y in zip(forward, backward, a, b)]

    def _one(self, forward: np.ndarray, backward: np.ndarray, a: str, b: str) -> Judgement:
        ent_ab, ent_ba = float(forward[0]), float(backward[0])
        contra = max(float(forward[2]), float(backward[2]))
        note = f"{self.name}: a⇒b {ent_ab:.2f}, b⇒a {ent_ba:.2f}, contradiction {contra:.2f}"
        if contra >= self.contradict_at and contra > max(ent_ab, ent_ba):
            return Judgement("contradict", round(contra, 4), note)
        if ent_ab >= self.entail_at and ent_ba >= self.entail_at:
            return Judgement("agree", round(min(ent_ab, ent_ba), 4), note)
        if max(ent_ab, ent_ba) >= self.entail_at:
            side = "a" if ent_ab >= ent_ba else "b"
            longer, shorter = (a, b) if side == "a" else (b, a)
            if len(content_words(longer)) < 1.2 * len(content_words(shorter)):
                # Entailment one way between statements of the same size is a paraphrase
                # the model is unsure of, not a statement that says more.
                return Judgement("agree", round(max(ent_ab, ent_ba), 4), note + "; same amount of detail")
            return Judgement("adds_detail", round(max(ent_ab, ent_ba), 4), note, side)
        return Judgement("neutral", round(1 - max(ent_ab, ent_ba, contra), 4), note)


def platt(score: float, slope: float, intercept: float = 0.0) -> float:
    """sigmoid(slope · logit(score) + intercept); with no intercept, a temperature."""
    score = min(max(score, 1e-4), 1 - 1e-4)
    return float(1 / (1 + np.exp(-(slope * np.log(score / (1 - score)) + intercept))))


def _default_embed():
    """The default embedder behind its cache, loaded once for this judge."""
    from claimcheck.config import Config
    from claimcheck.embed import get_embedder
    from claimcheck.pipeline import embed_texts

    config = Config()
    model = get_embedder(config.embedder, config.batch_size, config.cache_dir)
    return lambda texts: embed_texts(texts, config, model)


def _require(path: Path, what: str) -> Path:
    if not path.exists():
        raise ClaimcheckError(Code.MODEL_MISSING, f"{what} is not installed: it ships in models/ of a checkout "
                              "(`make install` installs from one), or rebuild it with `make train-relation`", str(path))
    return path


class NLIJudge(BidirectionalNLIJudge):
    """The shipped cross-encoder (ONNX int8), see models/RELATION_MODEL_CARD.md."""

    name = "nli"
    default_path = DEFAULT_MODEL

    def __init__(self, model_path: str | Path | None = None, calibrate: bool = True):
        from claimcheck.relate.nli_onnx import OnnxNLI

        self.model = OnnxNLI(_require(Path(model_path or self.default_path), "the relation model"))
        if calibrate:
            self.verdict_calibration = self.model.meta.get("verdict_calibration", {})

    def both_ways(self, a: list[str], b: list[str]) -> tuple[np.ndarray, np.ndarray]:
        return self.model.predict_both(a, b)


class ResearchNLIJudge(NLIJudge):
    """Opt-in: the same design also trained on SICK, MRPC and RTE, which are licensed
    for non-commercial use only; see models/RELATION_MODEL_CARD.md."""

    name = "nli-research"
    default_path = RESEARCH_MODEL


class EmbeddingHeadJudge(BidirectionalNLIJudge):
    """A small MLP over (u, v, |u−v|, u·v) of the claim embeddings: a cheap first pass."""

    name = "embedding-head"

    def __init__(self, path: str | Path = DEFAULT_HEAD, embed=None):
        weights = np.load(_require(Path(path), "the embedding head"))
        self.w1, self.b1 = weights["w1"].astype(np.float32), weights["b1"]
        self.w2, self.b2 = weights["w2"].astype(np.float32), weights["b2"]
        self.temperature = float(weights["temperature"])
        self.embed = embed or _default_embed()

    def probabilities(self, premises, hypotheses) -> np.ndarray:
        u, v = self.embed(list(premises)), self.embed(list(hypotheses))
        x = np.concatenate([u, v, np.abs(u - v), u * v], axis=1)
        logits = (np.maximum(x @ self.w1.T + self.b1, 0) @ self.w2.T + self.b2) / self.temperature
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)
