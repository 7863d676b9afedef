"""Turn paths into Articles. One reader per format; every failure names its file.

Bad input is expected (scrapers emit empty pages, PDFs named .txt, legacy encodings,
huge dumps): each problem is a coded ClaimcheckError, a warning while other inputs are
usable, and never a traceback. Memory stays bounded by a per-file size limit, and JSONL
is read line by line."""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from claimcheck.errors import ClaimcheckError, Code
from claimcheck.ingest.encoding import decode, decode_legacy, sniff_binary
from claimcheck.ingest.html import extract_html
from claimcheck.ingest.language import SAMPLE_CHARS, guess_english
from claimcheck.ingest.metadata import SIDECAR, parse_date, read_sidecar, strip_header
from claimcheck.types import Article, Diagnostics

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
# A news article is kilobytes; a file over this is a dump that would take hours to compare
# and gigabytes to hold. Raise it with --max-file-mb (Config.max_file_mb).
DEFAULT_MAX_FILE_MB = 50.0
_NON_SPACE = re.compile(r"\S")
_SPACE = re.compile(r"\s")


def _has_text(text: str, start: int = 0) -> bool:
    """Whether text[start:] holds anything but whitespace, without copying a large text."""
    return _NON_SPACE.search(text, start) is not None


@dataclass
class _Reading:
    """What one read_articles call needs everywhere: options, warnings, parsed sidecars."""

    diagnostics: Diagnostics
    strict: bool = False
    max_bytes: int = int(DEFAULT_MAX_FILE_MB * 1_000_000)
    check_language: bool = True
    sidecars: dict[Path, dict] = field(default_factory=dict)
    skipped: list[ClaimcheckError] = field(default_factory=list)

    def skip(self, problem: ClaimcheckError) -> None:
        """Part of a file is unusable: a warning, or the error itself under --strict."""
        if self.strict:
            raise problem
        self.skipped.append(problem)
        self.diagnostics.warn(problem.render())

    def note(self, problem: ClaimcheckError) -> None:
        """The input was read, but not as given (e.g. a legacy encoding): say so."""
        if self.strict:
            raise problem
        self.diagnostics.warn(problem.render().replace("error[", "warning[", 1))

    def sidecar(self, folder: Path) -> dict:
        # Parsed once per folder: 10,000 files beside one metadata.json must not parse it 10,000 times.
        if folder not in self.sidecars:
            self.sidecars[folder] = read_sidecar(folder)
        return self.sidecars[folder]


def _fingerprint(text: str, chunk: int = 1_000_000) -> str:
    """sha256 of the words joined by single spaces (same words, any spacing), a chunk at a
    time: splitting a 200 MB text at once makes 35 million word objects (3 GB peak)."""
    digest = hashlib.sha256()
    start, joiner = 0, b""
    while start < len(text):
        space = _SPACE.search(text, min(start + chunk, len(text)))  # never cut a word in two
        end = space.start() if space else len(text)
        words = text[start:end].split()
        if words:
            digest.update(joiner + " ".join(words).encode())
            joiner = b" "
        start = max(end, start + 1)
    return digest.hexdigest()


def _read_text(path: Path, raw: bytes, reading: _Reading) -> str:
    text, encoding = decode(raw, str(path))
    if encoding == "Windows-1252":
        reading.note(ClaimcheckError(Code.NOT_UTF8, "is not UTF-8; read as Windows-1252", str(path)))
    return text


def _english(article: Article, reading: _Reading) -> Article:
    if reading.check_language:
        guess = guess_english(article.text[article.body_start : article.body_start + SAMPLE_CHARS])
        if not guess.english:
            raise ClaimcheckError(Code.NOT_ENGLISH, f"does not look like English ({guess.reason}); skipped", article.path)
    return article


def _title_line(text: str, start: int) -> tuple[str | None, int]:
    """A short first line with no closing full stop is a headline, not body text."""
    end = text.find("\n", start, start + 1000)
    if end < 0:
        return None, start
    line = text[start:end].strip()
    if 0 < len(line) <= 150 and line[-1] not in ".!?:" and _has_text(text, end):
        body = end
        while body < len(text) and text[body].isspace():
            body += 1
        return line, body
    return None, start


def _text_article(path: Path, raw: bytes, meta: dict, reading: _Reading) -> Article:
    text = _read_text(path, raw, reading)
    if not _has_text(text):
        raise ClaimcheckError(Code.EMPTY_FILE, "is empty" if not text else "holds only whitespace", str(path))
    body_start, header = strip_header(text)
    title = header.get("title")
    if path.suffix.lower() in (".md", ".markdown") and text[body_start:].startswith("# "):
        line_end = text.find("\n", body_start)
        line_end = len(text) if line_end < 0 else line_end
        title = title or text[body_start + 2 : line_end].strip()
        body_start = line_end
    elif not title:
        title, body_start = _title_line(text, body_start)
    if not _has_text(text, body_start):
        raise ClaimcheckError(Code.EMPTY_FILE, "has a header but no body text", str(path))
    return Article(
        id=path.stem,
        text=text,
        source=meta.get("source") or header.get("source") or path.stem,
        title=meta.get("title") or title,
        published=parse_date(meta.get("published")) or parse_date(header.get("date") or header.get("published")),
        path=str(path),
        body_start=body_start,
    )


def _html_article(path: Path, raw: bytes, meta: dict, reading: _Reading) -> Article:
    text, title, published = extract_html(_read_text(path, raw, reading))
    if not _has_text(text):
        raise ClaimcheckError(Code.EMPTY_FILE, "has no main text", str(path))
    return Article(
        id=path.stem,
        text=text,
        source=meta.get("source") or path.stem,
        title=meta.get("title") or title,
        published=parse_date(meta.get("published")) or parse_date(published),
        path=str(path),
    )


def _jsonl_lines(path: Path, handle, reading: _Reading) -> Iterator[tuple[int, str]]:
    """(line number, text) of each line, streamed so a large file is never held whole."""
    head = handle.read(8192)
    sniff_binary(head, str(path))
    handle.seek(0)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # rare: decode whole
        text, _ = decode(handle.read(), str(path))
        yield from enumerate(text.split("\n"), start=1)
        return
    number, noted = 0, False
    for raw in handle:
        if number == 0 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        raw = raw.rstrip(b"\n")
        raw = raw[:-1] if raw.endswith(b"\r") else raw
        for piece in raw.split(b"\r"):  # JSON escapes CR inside strings, so a bare CR ends a line
            number += 1
            try:
                line = piece.decode("utf-8")
            except UnicodeDecodeError:
                line = decode_legacy(piece)
                if line is None:
                    reading.skip(ClaimcheckError(Code.BAD_JSONL, "line skipped: neither UTF-8 nor Windows-1252", f"{path}:{number}"))
                    continue
                if not noted:
                    reading.note(ClaimcheckError(Code.NOT_UTF8, f"is not UTF-8 from line {number}; read as Windows-1252", str(path)))
                    noted = True
            yield number, line


def _jsonl_record(line: str) -> tuple[dict, str]:
    """(record, text) of one JSONL line; ValueError says what is wrong with it."""
    try:
        record = json.loads(line)
    except RecursionError:  # "[[[[..." nested deeper than the parser's stack
        raise ValueError("nested too deeply") from None
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    text = record.get("text") or record.get("body")
    if not isinstance(text, str) or not text.strip():
        # A "path" field is deliberately not followed: an input file must not be able
        # to make claimcheck read other files on this machine.
        raise ValueError('no "text" field' + (' (a "path" field is not read; put the text inline)' if "path" in record else ""))
    return record, text


def _jsonl_articles(path: Path, reading: _Reading) -> Iterator[Article]:
    with path.open("rb") as handle:
        for number, line in _jsonl_lines(path, handle, reading):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record, text = _jsonl_record(line)
            except ValueError as exc:
                reading.skip(ClaimcheckError(Code.BAD_JSONL, f"line skipped: {exc}", where))
                continue
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            body_start, _ = strip_header(text)
            article = Article(
                id=str(record.get("id") or f"{path.stem}-{number}"),
                text=text,
                source=str(record.get("source") or path.stem),
                title=record.get("title") if isinstance(record.get("title"), str) else None,
                published=parse_date(record.get("published") or record.get("date")),
                path=where,
                body_start=body_start,
            )
            try:
                yield _english(article, reading)
            except ClaimcheckError as problem:
                reading.skip(problem)


def _walk(folder: Path) -> list[Path | ClaimcheckError]:
    """Article files under `folder` in sorted order, then the problems met on the way."""
    files: list[Path] = []
    problems: list[ClaimcheckError] = []

    def unreadable(exc: OSError) -> None:
        problems.append(ClaimcheckError(Code.UNREADABLE, f"folder cannot be read: {exc.strerror}", exc.filename))

    # followlinks=False: a link to a parent folder cannot send the walk round in circles.
    for root, _, names in os.walk(folder, onerror=unreadable):
        for name in names:
            path = Path(root, name)
            if path.suffix.lower() not in SUFFIXES or name == SIDECAR:
                continue
            if path.is_file():
                files.append(path)
            elif path.is_symlink():
                problems.append(ClaimcheckError(Code.BAD_LINK, "is a broken symbolic link or a link loop", str(path)))
    if not files and not problems:
        raise ClaimcheckError(Code.EMPTY_DIRECTORY, "holds no readable articles", str(folder))
    return [*sorted(files), *problems]


def _expand(given: str | os.PathLike) -> list[Path | ClaimcheckError]:
    path = Path(given)
    if path.is_dir():
        return _walk(path)
    if path.is_file():
        return [path]
    if path.is_symlink():
        raise ClaimcheckError(Code.BAD_LINK, "is a broken symbolic link or a link loop", str(path))
    raise ClaimcheckError(Code.MISSING_PATH, "does not exist", str(path))


def _check_size(path: Path, limit: int) -> None:
    size = path.stat().st_size
    if size > limit:
        raise ClaimcheckError(Code.TOO_LARGE, f"is {size / 1e6:,.1f} MB, over the {limit / 1e6:g} MB limit per file", str(path))


def _read_bytes(path: Path, limit: int) -> bytes:
    """The whole file, refused before reading when it is over the size limit."""
    _check_size(path, limit)
    with path.open("rb") as handle:
        raw = handle.read(limit + 1)  # the size can grow (or lie, for special files) after stat
    if len(raw) > limit:
        raise ClaimcheckError(Code.TOO_LARGE, f"is over the {limit / 1e6:g} MB limit per file", str(path))
    return raw


def _read_file(path: Path, reading: _Reading) -> list[Article]:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ClaimcheckError(Code.UNSUPPORTED, f"has an unsupported type '{suffix or 'none'}'", str(path))
    try:
        if suffix in JSONL_SUFFIXES:
            _check_size(path, reading.max_bytes)
            return list(_jsonl_articles(path, reading))
        raw = _read_bytes(path, reading.max_bytes)
    except OSError as exc:
        raise ClaimcheckError(Code.UNREADABLE, f"cannot be read: {exc.strerror or exc}", str(path)) from exc
    meta = reading.sidecar(path.parent).get(path.name, {})
    reader = _html_article if suffix in HTML_SUFFIXES else _text_article
    return [_english(reader(path, raw, meta, reading), reading)]


def _read_each(paths, reading: _Reading) -> Iterator[Article | ClaimcheckError]:
    """Articles in input order, with each unreadable input as its error in place."""
    for given in paths:
        try:
            files = _expand(given)
        except ClaimcheckError as problem:
            yield problem
            continue
        for path in files:
            if isinstance(path, ClaimcheckError):
                yield path
                continue
            try:
                yield from _read_file(path, reading)
            except ClaimcheckError as problem:
                yield problem


def read_articles(
    paths: Iterable[str | os.PathLike],
    diagnostics: Diagnostics | None = None,
    strict: bool = False,
    *,
    max_file_mb: float = DEFAULT_MAX_FILE_MB,
    check_language: bool = True,
) -> list[Article]:
    """Read every article under `paths`.

    A bad input becomes a warning while other inputs are usable (an error with
    `strict`); duplicate texts are read once; files over `max_file_mb` are refused;
    text that does not look like English is skipped unless `check_language` is off.
    Raises ClaimcheckError when nothing is left.
    """
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    reading = _Reading(diagnostics, strict, int(max_file_mb * 1_000_000), check_language)
    articles: list[Article] = []
    seen_text: dict[str, str] = {}
    seen_ids: set[str] = set()
    problems: list[ClaimcheckError] = []
    for item in _read_each(paths, reading):
        if isinstance(item, ClaimcheckError):
            if strict:
                raise item
            problems.append(item)
            diagnostics.warn(item.render())
            continue
        digest = _fingerprint(item.text)
        if digest in seen_text:
            diagnostics.warn(f"warning: {item.path}: same text as {seen_text[digest]}; read once")
            continue
        seen_text[digest] = item.path or item.id
        article_id, suffix = item.id, 2
        while article_id in seen_ids:
            article_id, suffix = f"{item.id}~{suffix}", suffix + 1
        seen_ids.add(article_id)
        articles.append(item if article_id == item.id else replace(item, id=article_id))
    if not articles:
        if len(problems) == 1 and not reading.skipped:
            raise problems[0]
        skipped = problems + reading.skipped
        if skipped:
            first = skipped[0]
            where = f"{first.path}: " if first.path else ""
            raise ClaimcheckError(Code.NO_ARTICLES, f"no usable article in the input; {len(skipped)} skipped, the first because {where}{first.message}", None)
        raise ClaimcheckError(Code.NO_ARTICLES, "no usable article in the input", None)
    return articles
