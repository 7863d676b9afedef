"""A FAISS inner-product index over normalised vectors (inner product = cosine)."""

from __future__ import annotations

import faiss
import numpy as np


class VectorIndex:
    """Exact search; exact is fast enough well past 100k claims on one CPU.

    Approximate indexes for millions of claims belong to the store (see README, limits).
    """

    def __init__(self, vectors: np.ndarray):
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.size, self.dim = vectors.shape
        self._index = faiss.IndexFlatIP(self.dim)
        if self.size:
            self._index.add(vectors)
        self._vectors = vectors

    def neighbours(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids) of each vector's k nearest others, best first; -1 pads."""
        if self.size == 0:
            return np.zeros((0, k), np.float32), np.zeros((0, k), np.int64)
        scores, ids = self._index.search(self._vectors, min(k + 1, self.size))
        keep_scores = np.full((self.size, k), -1.0, np.float32)
        keep_ids = np.full((self.size, k), -1, np.int64)
        for row in range(self.size):
            others = [(s, i) for s, i in zip(scores[row], ids[row]) if i != row and i >= 0][:k]
            for col, (s, i) in enumerate(others):
                keep_scores[row, col], keep_ids[row, col] = s, i
        return keep_scores, keep_ids

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        return self._index.search(np.ascontiguousarray(queries, dtype=np.float32), min(k, max(self.size, 1)))
