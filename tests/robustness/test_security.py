"""Hostile content: JSONL that tries to make claimcheck read other files, markup in
articles and metadata, pickled files, and API keys that must never be shown."""

import json
import re
from pathlib import Path

import pytest

import claimcheck
from claimcheck.embed.remote import RemoteEmbedder
from claimcheck.errors import ClaimcheckError
from claimcheck.ingest import read_articles
from claimcheck.types import Diagnostics
from robustness_helpers import ENGLISH, OTHER_ENGLISH, assert_clean_error, compare

ROOT = Path(__file__).resolve().parents[2]


def test_jsonl_rows_cannot_point_at_other_files(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET: the launch code is 0000.")
    rows = [
        {"id": "escape", "path": str(secret)},
        {"id": "relative", "path": "../" * 10 + "etc/passwd", "file": "/etc/passwd"},
        {"id": "ok", "text": ENGLISH, "path": str(secret)},
    ]
    (tmp_path / "feed").mkdir()
    feed = tmp_path / "feed" / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in rows))
    diagnostics = Diagnostics()
    [article] = read_articles([feed], diagnostics)
    assert article.id == "ok" and article.path == f"{feed}:3"  # the row's "path" is never used
    assert "SECRET" not in article.text
    assert sum('"path" field is not read' in w for w in diagnostics.warnings) == 2


def test_html_report_escapes_article_text(tmp_path, cache_dir):
    hostile = '<img src=x onerror="alert(1)">'
    (tmp_path / "metadata.json").write_text(json.dumps({"x.html": {"source": hostile, "title": "<script>alert('t')</script>"}}))
    # &lt;script&gt; in the page is the text "<script>" in the article: it must stay text.
    (tmp_path / "x.html").write_text(
        "<html><body><p>The mayor said &lt;script&gt;alert('x')&lt;/script&gt; the council approved the budget on Tuesday.</p>"
        "<p>The mayor said that the money would be spent on schools and roads.</p></body></html>"
    )
    (tmp_path / "y.txt").write_text(ENGLISH)
    (tmp_path / "z.txt").write_text(OTHER_ENGLISH)
    result = claimcheck.compare(tmp_path)
    assert any("<script>" in c.text for c in result.claims)
    body = result.to_html().split("<body", 1)[1]
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(" in body
    assert len(re.findall(r"<script\b", body)) == 1  # only the report's own filter script
    assert len(re.findall(r"<img\b", body)) == 0


_UNSAFE_LOADS = re.compile(r"\b(?:pickle|cPickle|dill|joblib|shelve|marshal)\b|torch\.load\(|allow_pickle\s*=\s*True")


def test_no_pickle_of_user_files():
    """Nothing that runs on user input unpickles. The training script reloads its own
    checkpoints with torch.load (files claimcheck wrote itself); that is the one exception."""
    allowed = {Path("claimcheck/relate/training/train_nli.py")}
    found = []
    for path in sorted((ROOT / "claimcheck").rglob("*.py")):
        relative = path.relative_to(ROOT)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if _UNSAFE_LOADS.search(line) and relative not in allowed:
                found.append(f"{relative}:{number}: {line.strip()}")
    assert found == []


def test_api_keys_never_in_errors_or_reports(monkeypatch):
    key = "sk-live-0123456789abcdef"
    embedder = RemoteEmbedder(f"http://user:{key}@127.0.0.1:9/v1?api_key={key}", "m", api_key=key, retries=0, backoff=0, timeout=2)
    assert key not in embedder.model_id  # model_id goes into reports and cache keys
    with pytest.raises(ClaimcheckError) as caught:
        embedder.encode(["The port reopened."])
    assert key not in caught.value.render() and "127.0.0.1" in caught.value.render()


def test_api_key_from_environment_never_printed(tmp_path, cache_dir, monkeypatch):
    key = "sk-live-fedcba9876543210"
    monkeypatch.setenv("CLAIMCHECK_EMBED_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("CLAIMCHECK_EMBED_MODEL", "m")
    monkeypatch.setenv("CLAIMCHECK_EMBED_API_KEY", key)
    monkeypatch.setenv("CLAIMCHECK_CACHE_DIR", "")  # straight to the endpoint
    import claimcheck.remote_http

    monkeypatch.setattr(claimcheck.remote_http.time, "sleep", lambda seconds: None)  # no retry back-off
    (tmp_path / "a.txt").write_text(ENGLISH)
    result = compare(tmp_path / "a.txt", "--embedder", "remote")
    assert_clean_error(result, "E303")
    assert key not in result.output
