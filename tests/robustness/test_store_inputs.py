"""Bad input given to `claimcheck add` on an existing store: a clean error, and the store
exactly as it was (database content and index file)."""

import hashlib
import sqlite3
from pathlib import Path

import pytest

from claimcheck.store import Store
from robustness_helpers import ENGLISH, OTHER_ENGLISH, assert_clean_error, runner

from claimcheck.cli import app
from claimcheck.types import Article


@pytest.fixture(scope="module")
def store(tmp_path_factory, cache_dir) -> Path:
    path = tmp_path_factory.mktemp("robust") / "store"
    with Store(path, create=True) as opened:
        opened.add([Article(id="council", text=ENGLISH, source="a"), Article(id="flood", text=OTHER_ENGLISH, source="b")])
    return path


def fingerprint(path: Path) -> str:
    """Everything a user could lose: every stored row and the index file's bytes."""
    digest = hashlib.sha256()
    db = sqlite3.connect(path / "claims.sqlite3")
    for line in db.iterdump():
        digest.update(line.encode())
    db.close()
    digest.update((path / "index.faiss").read_bytes())
    return digest.hexdigest()


def _bad_inputs(folder: Path) -> dict[str, tuple[Path, str, list[str]]]:
    folder.mkdir(exist_ok=True)
    empty = folder / "empty.txt"
    empty.write_text("")
    binary = folder / "image.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    jsonl = folder / "feed.jsonl"
    jsonl.write_text('{"text": "A fine line of news about the council."}\n{"text": broken\n')
    german = folder / "german.txt"
    german.write_text("Die Regierung hat am Montag neue Maßnahmen gegen die Inflation beschlossen. " * 4)
    return {
        "missing path": (folder / "nope.txt", "E101", []),
        "empty file": (empty, "E102", []),
        "binary file": (binary, "E103", []),
        "malformed JSONL line, --strict": (jsonl, "E106", ["--strict"]),
        "non-English text, --strict": (german, "E112", ["--strict"]),
    }


@pytest.mark.parametrize("case", ["missing path", "empty file", "binary file", "malformed JSONL line, --strict",
                                  "non-English text, --strict"])
def test_bad_input_leaves_the_store_unchanged(store, tmp_path, case):
    path, code, options = _bad_inputs(tmp_path)[case]
    before = fingerprint(store)
    result = runner.invoke(app, ["add", str(store), str(path), *options])
    assert_clean_error(result, code, path.name)
    assert fingerprint(store) == before


def test_a_damaged_store_is_an_error_not_a_traceback(tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "claims.sqlite3").write_bytes(b"this is not a database" * 100)
    result = runner.invoke(app, ["report", str(broken)])
    assert_clean_error(result, "E501", str(broken))


def test_a_folder_that_is_not_a_store(tmp_path):
    result = runner.invoke(app, ["query", str(tmp_path), "anything at all"])
    assert_clean_error(result, "E501", str(tmp_path))


def test_a_failed_first_add_leaves_no_store_behind(tmp_path):
    result = runner.invoke(app, ["add", str(tmp_path / "new"), str(tmp_path / "missing.txt")])
    assert_clean_error(result, "E101", "missing.txt")
    assert not (tmp_path / "new").exists()
