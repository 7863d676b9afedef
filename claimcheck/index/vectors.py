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
        # Drop each vector itself (not always first: ties) and the -1 padding, keeping the
        # others in faiss's order: a stable sort moves the kept columns to the front.
        kept = (ids != np.arange(self.size)[:, None]) & (ids >= 0)
        order = np.argsort(~kept, axis=1, kind="stable")[:, :k]
        kept = np.take_along_axis(kept, order, axis=1)
        keep_scores = np.full((self.size, k), -1.0, np.float32)
        keep_ids = np.full((self.size, k), -1, np.int64)
        width = order.shape[1]
        keep_scores[:, :width] = np.where(kept, np.take_along_axis(scores, order, axis=1), -1.0)
        keep_ids[:, :width] = np.where(kept, np.take_along_axis(ids, order, axis=1), -1)
        return keep_scores, keep_ids

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        return self._index.search(np.ascontiguousarray(queries, dtype=np.float32), min(k, max(self.size, 1)))
