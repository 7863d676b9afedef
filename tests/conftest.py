import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory):
    """One embedding cache for the test session, never the user's own."""
    path = tmp_path_factory.mktemp("cache")
    os.environ["CLAIMCHECK_CACHE_DIR"] = str(path)
    return path


@pytest.fixture(scope="session")
def corpus_comparison(cache_dir):
    import claimcheck

    return claimcheck.compare(CORPUS)
