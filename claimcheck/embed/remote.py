"""Embeddings from any OpenAI-compatible `/v1/embeddings` endpoint.

Configured from the environment so that keys never reach command lines, logs or reports:
CLAIMCHECK_EMBED_URL (e.g. http://localhost:8000/v1), CLAIMCHECK_EMBED_MODEL and
CLAIMCHECK_EMBED_API_KEY (optional for endpoints without auth). Batched, retried with
exponential backoff on 429, 5xx and timeouts (honouring Retry-After), and cached like any
other embedder by claimcheck's embedding cache."""

from __future__ import annotations

import json
import os
from urllib.parse import urlparse

import numpy as np

from claimcheck.embed.base import normalise
from claimcheck.errors import ClaimcheckError, Code
from claimcheck.remote_http import Endpoint


class RemoteEmbedder:
    def __init__(self, url: str, model: str, api_key: str | None = None, batch_size: int = 64,
                 timeout: float = 30.0, retries: int = 5, backoff: float = 1.0):
        self.endpoint = Endpoint(url.rstrip("/") + "/embeddings", api_key, timeout, retries, backoff)
        self.model = model
        self.batch_size = batch_size
        self.model_id = f"remote:{model}@{urlparse(self.endpoint.public_url).netloc}"
        self.dim = 0  # known after the first answer

    def encode(self, texts: list[str]) -> np.ndarray:
        rows = []
        for start in range(0, len(texts), self.batch_size):
            rows.extend(self._batch(texts[start : start + self.batch_size]))
        if not rows:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = np.asarray(rows, dtype=np.float32)
        self.dim = vectors.shape[1]
        return normalise(vectors)

    def _batch(self, texts: list[str]) -> list[list[float]]:
        raw = self.endpoint.post({"model": self.model, "input": texts}, self._error)
        return self._parse(raw, len(texts))

    def _parse(self, raw: bytes, expected: int) -> list[list[float]]:
        try:
            data = json.loads(raw)
            items = sorted(data["data"], key=lambda item: item["index"])
            vectors = [item["embedding"] for item in items]
        except (ValueError, KeyError, TypeError) as exc:
            raise self._error(f"the endpoint's answer is not an embeddings response ({type(exc).__name__})") from None
        if len(vectors) != expected or len({len(v) for v in vectors}) != 1:
            raise self._error(f"expected {expected} vectors of one size, got {len(vectors)}")
        return vectors

    def _error(self, message: str) -> ClaimcheckError:
        # The URL is named, the key never is.
        return ClaimcheckError(Code.REMOTE, message, self.endpoint.public_url)


def remote(batch_size: int = 64, cache_dir=None) -> RemoteEmbedder:
    url, model = os.environ.get("CLAIMCHECK_EMBED_URL"), os.environ.get("CLAIMCHECK_EMBED_MODEL")
    if not url or not model:
        raise ClaimcheckError(Code.REMOTE, "set CLAIMCHECK_EMBED_URL and CLAIMCHECK_EMBED_MODEL to use the remote embedder")
    return RemoteEmbedder(url, model, os.environ.get("CLAIMCHECK_EMBED_API_KEY"), batch_size)
