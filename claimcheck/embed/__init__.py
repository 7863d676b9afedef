"""embed: claim texts → normalised vectors. Embedders are looked up by name."""

from __future__ import annotations

from collections.abc import Callable

from claimcheck.embed.base import Embedder, normalise
from claimcheck.embed.cache import CachedEmbedder
from pathlib import Path

from claimcheck.embed.minilm import SentenceTransformerEmbedder, minilm, minilm_torch
from claimcheck.embed.mpnet import mpnet
from claimcheck.embed.remote import RemoteEmbedder, remote
from claimcheck.errors import ClaimcheckError, Code

EMBEDDERS: dict[str, Callable[..., Embedder]] = {"minilm": minilm, "minilm-torch": minilm_torch, "mpnet": mpnet,
                                                "remote": remote}


def get_embedder(name: str, batch_size: int = 64, cache_dir: Path | None = None) -> Embedder:
    """A registered embedder by name, or any sentence-transformers folder by path."""
    if name in EMBEDDERS:
        return EMBEDDERS[name](batch_size=batch_size, cache_dir=cache_dir)
    if not Path(name).is_dir():
        raise ClaimcheckError(Code.UNKNOWN_NAME, f"unknown embedder {name!r}; choose from {', '.join(EMBEDDERS)} "
                              "or give a sentence-transformers folder")
    return SentenceTransformerEmbedder(name, batch_size=batch_size)


__all__ = ["CachedEmbedder", "EMBEDDERS", "Embedder", "RemoteEmbedder", "SentenceTransformerEmbedder", "get_embedder", "normalise"]
