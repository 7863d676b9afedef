"""A persistent embedding cache keyed by sha256(model id, text), in SQLite.

SQLite gives atomic commits and safe concurrent readers for free, so an interrupted
run never leaves a half-written cache and parallel runs can share one."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import numpy as np

from claimcheck.embed.base import Embedder


def text_key(model_id: str, text: str) -> str:
    return hashlib.sha256(f"{model_id}\x00{text}".encode()).hexdigest()


class CachedEmbedder:
    """Wraps an embedder; only texts never seen before reach the model."""

    def __init__(self, inner: Embedder, cache_dir: Path):
        self.inner = inner
        self.model_id = inner.model_id
        cache_dir.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(cache_dir / "embeddings.sqlite3", timeout=30)
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
        self.hits = 0
        self.misses = 0

    def encode(self, texts: list[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        keys = [text_key(self.model_id, t) for t in texts]
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, blob in self._db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk):
                vector = np.frombuffer(blob, dtype=np.float32)
                if not self.dim or vector.shape[0] == self.dim:  # a remote model's size is learnt late
                    found[key] = vector
        todo = sorted({k: t for k, t in zip(keys, texts) if k not in found}.items())
        self.hits += len(texts) - len(todo)
        self.misses += len(todo)
        # Batches of similar length waste less padding; done in slices so progress can be shown.
        todo.sort(key=lambda item: len(item[1]))
        for start in range(0, len(todo), 256):
            batch = todo[start : start + 256]
            vectors = self.inner.encode([t for _, t in batch])
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                    [(k, v.astype(np.float32).tobytes()) for (k, _), v in zip(batch, vectors)],
                )
            found.update({k: v for (k, _), v in zip(batch, vectors)})
            if progress:
                progress(len(batch))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([found[k] for k in keys]).astype(np.float32)

    @property
    def dim(self) -> int:
        return self.inner.dim

    def close(self) -> None:
        self._db.close()
