"""Turn paths into Articles. One reader per format; every failure names its file."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import replace
from collections.abc import Iterable, Iterator
from pathlib import Path

from claimcheck.errors import ClaimcheckError, Code
from claimcheck.ingest.html import extract_html
from claimcheck.ingest.metadata import SIDECAR, parse_date, read_sidecar, strip_header
from claimcheck.types import Article, Diagnostics

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES


def decode(raw: bytes, path: str) -> str:
    """UTF-8 text from bytes, refusing binaries with a clear reason."""
    head = raw[:8192]
    if head.startswith(b"%PDF") or b"\x00" in head:
        raise ClaimcheckError(Code.BINARY_FILE, "looks like a binary file, not text", path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ClaimcheckError(Code.NOT_UTF8, f"is not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})", path) from exc
    # Spans index into this text, so normalise line endings once, here.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _title_line(text: str, start: int) -> tuple[str | None, int]:
    """A short first line with no closing full stop is a headline, not body text."""
    end = text.find("\n", start)
    if end < 0:
        return None, start
    line = text[start:end].strip()
    if 0 < len(line) <= 150 and line[-1] not in ".!?:" and text[end:].strip():
        body = end
        while body < len(text) and text[body].isspace():
            body += 1
        return line, body
    return None, start


def _text_article(path: Path, raw: bytes, meta: dict, article_id: str) -> Article:
    text = decode(raw, str(path))
    if not text.strip():
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
    if not text[body_start:].strip():
        raise ClaimcheckError(Code.EMPTY_FILE, "has a header but no body text", str(path))
    return Article(
        id=article_id,
        text=text,
        source=meta.get("source") or header.get("source") or path.stem,
        title=meta.get("title") or title,
        published=parse_date(meta.get("published")) or parse_date(header.get("date") or header.get("published")),
        path=str(path),
        body_start=body_start,
    )


def _html_article(path: Path, raw: bytes, meta: dict, article_id: str) -> Article:
    text, title, published = extract_html(decode(raw, str(path)))
    if not text.strip():
        raise ClaimcheckError(Code.EMPTY_FILE, "has no main text", str(path))
    return Article(
        id=article_id,
        text=text,
        source=meta.get("source") or path.stem,
        title=meta.get("title") or title,
        published=parse_date(meta.get("published")) or parse_date(published),
        path=str(path),
    )


def _jsonl_articles(path: Path, raw: bytes, diagnostics: Diagnostics, strict: bool) -> Iterator[Article]:
    for number, line in enumerate(decode(raw, str(path)).split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("not a JSON object")
            text = record.get("text") or record.get("body")
            if not isinstance(text, str) or not text.strip():
                raise ValueError('no "text" field')
        except ValueError as exc:
            problem = ClaimcheckError(Code.BAD_JSONL, f"line skipped: {exc}", where)
            if strict:
                raise problem from exc
            diagnostics.warn(problem.render())
            continue
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        body_start, _ = strip_header(text)
        yield Article(
            id=str(record.get("id") or f"{path.stem}-{number}"),
            text=text,
            source=str(record.get("source") or path.stem),
            title=record.get("title") if isinstance(record.get("title"), str) else None,
            published=parse_date(record.get("published") or record.get("date")),
            path=where,
            body_start=body_start,
        )


def _expand(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES and p.name != SIDECAR
            )
            if not files:
                raise ClaimcheckError(Code.EMPTY_DIRECTORY, "holds no readable articles", str(path))
            yield from files
        elif path.is_file():
            yield path
        else:
            raise ClaimcheckError(Code.MISSING_PATH, "does not exist", str(path))


def _read_file(path: Path, diagnostics: Diagnostics, strict: bool) -> list[Article]:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ClaimcheckError(Code.UNSUPPORTED, f"has an unsupported type '{suffix or 'none'}'", str(path))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ClaimcheckError(Code.UNREADABLE, f"cannot be read: {exc.strerror}", str(path)) from exc
    if suffix in JSONL_SUFFIXES:
        return list(_jsonl_articles(path, raw, diagnostics, strict))
    meta = read_sidecar(path.parent).get(path.name, {})
    reader = _html_article if suffix in HTML_SUFFIXES else _text_article
    return [reader(path, raw, meta, path.stem)]


def _read_each(paths, diagnostics: Diagnostics, strict: bool) -> Iterator[Article | ClaimcheckError]:
    """Articles in input order, with each unreadable input as its error in place."""
    for given in paths:
        try:
            files = list(_expand([given]))
        except ClaimcheckError as problem:
            yield problem
            continue
        for path in files:
            try:
                yield from _read_file(path, diagnostics, strict)
            except ClaimcheckError as problem:
                yield problem


def read_articles(paths: Iterable[str | os.PathLike], diagnostics: Diagnostics | None = None, strict: bool = False) -> list[Article]:
    """Read every article under `paths`.

    A bad input becomes a warning while other inputs are usable (an error with
    `strict`); duplicate texts are read once. Raises ClaimcheckError when nothing is left.
    """
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    articles: list[Article] = []
    seen_text: dict[str, str] = {}
    seen_ids: set[str] = set()
    problems: list[ClaimcheckError] = []
    for item in _read_each(paths, diagnostics, strict):
        if isinstance(item, ClaimcheckError):
            if strict:
                raise item
            problems.append(item)
            diagnostics.warn(item.render())
            continue
        digest = hashlib.sha256(" ".join(item.text.split()).encode()).hexdigest()
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
        if len(problems) == 1:
            raise problems[0]
        skipped = len(diagnostics.warnings)
        raise ClaimcheckError(Code.NO_ARTICLES, "no usable article in the input" + (f"; {skipped} skipped, see warnings" if skipped else ""), None)
    return articles
