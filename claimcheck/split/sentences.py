"""Sentence boundaries as character spans, via pysbd (rule-based, handles
abbreviations such as "U.S." and "Mr." that a regex splitter breaks on)."""

from __future__ import annotations

import functools

import pysbd

from claimcheck.types import Span

_CLOSERS = ".!?\"”’'…)"


@functools.lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_spans(text: str, start: int = 0) -> list[Span]:
    """Spans of the sentences in text[start:], paragraph by paragraph.

    Lines without closing punctuation are headings, datelines or text cut off by a
    scraper; they state nothing checkable, so they are left out.
    """
    spans: list[Span] = []
    position = start
    for paragraph in text[start:].split("\n"):
        para_start = position
        position += len(paragraph) + 1
        if not paragraph.strip():
            continue
        cursor = 0
        for piece in _segmenter().segment(paragraph):
            found = paragraph.find(piece, cursor)
            if found < 0:  # pysbd changed the text; fall back to its length
                found = cursor
            cursor = found + len(piece)
            s, e = _trim(text, para_start + found, para_start + min(cursor, len(paragraph)))
            if e - s < 3 or text[e - 1] not in _CLOSERS:
                continue
            spans.append((s, e))
    return spans
