"""index: nearest-neighbour search over claim vectors with FAISS."""

from claimcheck.index.vectors import VectorIndex

__all__ = ["VectorIndex"]
