import numpy as np

from claimcheck.embed import CachedEmbedder, get_embedder
from claimcheck.ingest import read_articles
from claimcheck.split import sentence_spans
from conftest import CORPUS


def test_onnx_matches_torch_on_the_corpus(cache_dir):
    sentences = [a.text[s:e] for a in read_articles([CORPUS]) for s, e in sentence_spans(a.text, a.body_start)]
    onnx = get_embedder("minilm", cache_dir=cache_dir)
    torch = get_embedder("minilm-torch")
    assert type(onnx).__name__ == "OnnxEmbedder" and onnx.model_id == torch.model_id
    cosine = (onnx.encode(sentences) * torch.encode(sentences)).sum(axis=1)
    assert cosine.min() >= 0.99999


class CountingEmbedder:
    model_id, dim = "counting", 2

    def __init__(self):
        self.seen = []

    def encode(self, texts):
        self.seen += texts
        return np.ones((len(texts), 2), np.float32) / np.sqrt(2)


def test_cache_only_embeds_new_text(tmp_path):
    inner = CountingEmbedder()
    cached = CachedEmbedder(inner, tmp_path)
    cached.encode(["a", "b"])
    vectors = cached.encode(["b", "c", "a"])
    assert inner.seen == ["a", "b", "c"] and vectors.shape == (3, 2)
    assert cached.hits == 2 and cached.misses == 3


def test_no_cache_still_uses_onnx_and_leaves_nothing(tmp_path, monkeypatch):
    import tempfile

    from claimcheck.embed.onnx import OnnxEmbedder

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    model = get_embedder("minilm", cache_dir=None)
    assert isinstance(model, OnnxEmbedder)
    assert model.encode(["The talks failed."]).shape == (1, 384)
    assert list(tmp_path.iterdir()) == []
