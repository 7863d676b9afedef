"""embed: claim texts → normalised vectors. Embedders are looked up by name."""

from __future__ import annotations

from collections.abc import Callable

from claimcheck.embed.base import Embedder, normalise
from claimcheck.embed.cache import CachedEmbedder
from claimcheck.embed.minilm import SentenceTransformerEmbedder, minilm

EMBEDDERS: dict[str, Callable[..., Embedder]] = {"minilm": minilm}


def get_embedder(name: str, batch_size: int = 64) -> Embedder:
    """A registered embedder by name, or any sentence-transformers folder by path."""
    if name in EMBEDDERS:
        return EMBEDDERS[name](batch_size=batch_size)
    return SentenceTransformerEmbedder(name, batch_size=batch_size)


__all__ = ["CachedEmbedder", "EMBEDDERS", "Embedder", "SentenceTransformerEmbedder", "get_embedder", "normalise"]
