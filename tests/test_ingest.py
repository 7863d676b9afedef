import json
from datetime import date

import pytest

from claimcheck.errors import ClaimcheckError, Code
from claimcheck.ingest import read_articles
from claimcheck.types import Diagnostics
from conftest import CORPUS


def test_corpus_metadata_and_headers():
    articles = read_articles([CORPUS])
    assert [a.id for a in articles][:2] == ["000_e1bb8516b5aa0f7f", "001_14d15a553c2c56fc"]
    first, second = articles[0], articles[1]
    assert first.published == date(2025, 11, 18)
    assert first.text[first.body_start:].startswith("Aref, who traveled")
    assert second.title.startswith("Aref tells Russian PM")
    assert second.published is None  # the text gives no date; none is invented
    assert second.text[second.body_start:].startswith("TEHRAN")


def test_formats(tmp_path):
    (tmp_path / "a.md").write_text("---\ntitle: Front\ndate: 2024-05-01\n---\n# Heading\n\nThe mayor opened the bridge.\n")
    (tmp_path / "b.html").write_text(
        "<html><head><title>T</title><script>alert(1)</script></head><body><nav>Home</nav>"
        "<article><p>The council approved the budget.</p></article><footer>(c)</footer></body></html>"
    )
    (tmp_path / "c.jsonl").write_text(json.dumps({"id": "x", "text": "Rain fell.", "source": "Wire"}) + "\n")
    articles = {a.id: a for a in read_articles([tmp_path])}
    assert articles["a"].title == "Front" and articles["a"].published == date(2024, 5, 1)
    assert articles["b"].text == "The council approved the budget." and articles["b"].title == "T"
    assert articles["x"].source == "Wire"


@pytest.mark.parametrize(
    "name, content, code",
    [
        ("empty.txt", b"", Code.EMPTY_FILE),
        ("blank.txt", b"  \n\t\n", Code.EMPTY_FILE),
        ("binary.txt", b"%PDF-1.7\x00\x01\x02", Code.BINARY_FILE),
        ("undecodable.txt", b"Caf\x81 opened.", Code.NOT_UTF8),  # 0x81: neither UTF-8 nor cp1252
        ("bad.jsonl", b'{"title": "no text"}\n', Code.NO_ARTICLES),
    ],
)
def test_bad_files_name_the_file(tmp_path, name, content, code):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ClaimcheckError) as caught:
        read_articles([path])
    assert caught.value.code == code
    if code is not Code.NO_ARTICLES:
        assert name in str(caught.value)


def test_missing_path_and_empty_directory(tmp_path):
    with pytest.raises(ClaimcheckError, match="E101.*nope.txt"):
        read_articles([tmp_path / "nope.txt"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(ClaimcheckError, match="E105"):
        read_articles([tmp_path / "empty"])


def test_warnings_when_other_inputs_are_fine_and_strict(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("The port reopened on Friday.")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    lines = tmp_path / "more.jsonl"
    lines.write_text('{"text": "Ships docked."}\nnot json\n{"id": 3}\n')
    diagnostics = Diagnostics()
    articles = read_articles([good, bad, lines], diagnostics)
    assert len(articles) == 2
    assert any("bad.txt" in w for w in diagnostics.warnings)
    assert any("more.jsonl:2" in w for w in diagnostics.warnings)
    assert any("more.jsonl:3" in w for w in diagnostics.warnings)
    with pytest.raises(ClaimcheckError, match="bad.txt"):
        read_articles([good, bad], strict=True)


def test_duplicates_are_read_once(tmp_path):
    (tmp_path / "a.txt").write_text("Same story.\n")
    (tmp_path / "b.txt").write_text("Same   story.\r\n")
    diagnostics = Diagnostics()
    assert len(read_articles([tmp_path], diagnostics)) == 1
    assert "same text" in diagnostics.warnings[0]
