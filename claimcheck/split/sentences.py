"""Sentence boundaries as character spans, via pysbd (rule-based, handles
abbreviations such as "U.S." and "Mr." that a regex splitter breaks on)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

import pysbd

from claimcheck.types import Span

_CLOSERS = ".!?\"”’'…)"
# pysbd's time grows with the square of the paragraph (60,000 characters took 4 s, one
# 100,000-character sentence 16 s), so long paragraphs are first cut into pieces of at
# most this size after a likely sentence end, and pysbd sees one piece at a time.
_PIECE = 3_000
# A "sentence" longer than this is run-on scraper output (a table, a list flattened into
# one line), not a checkable statement; it is left out, like headings are.
MAX_SENTENCE = 2_000
_LIKELY_END = re.compile(r"[.!?][\"”’')]*\s+(?=[\"“‘(]?[A-Z0-9])")


@functools.lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def _segment(text: str) -> list[str]:
    """What `pysbd.Segmenter.segment(text)` returns, at less cost.

    pysbd finds each sentence back in the text with a regex built from that sentence;
    compiling one regex per sentence was a quarter of the splitter's own time and
    flushed Python's regex cache, so pysbd's other patterns were compiled again too.
    A plain `find` does the same search: the first place after the previous sentence
    where the sentence (plus the whitespace after it) ends."""
    if not text:
        return []
    segmenter = _segmenter()
    sentences = segmenter.processor(text).process()
    if not all(sentences):  # an empty "sentence" matches anywhere: leave that to pysbd
        segmenter.original_text = text
        return [span.sent for span in segmenter.sentences_with_char_spans(sentences)]
    out: list[str] = []
    done = 0  # where the previous sentence (with its whitespace) ended
    for sentence in sentences:
        position = 0
        while (found := text.find(sentence, position)) >= 0:
            end = found + len(sentence)
            while end < len(text) and text[end].isspace():
                end += 1
            if end > done:
                out.append(text[found:end])
                done = end
                break
            position = end
    return out


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
        for piece_start, piece_end in _pieces(paragraph):
            piece = paragraph[piece_start:piece_end]
            cursor = 0
            for sentence in _segment(piece):
                found = piece.find(sentence, cursor)
                if found < 0:  # pysbd changed the text; fall back to its length
                    found = cursor
                cursor = found + len(sentence)
                offset = para_start + piece_start
                s, e = _trim(text, offset + found, offset + min(cursor, len(piece)))
                if e - s < 3 or e - s > MAX_SENTENCE or text[e - 1] not in _CLOSERS:
                    continue
                spans.append((s, e))
    return spans


def _pieces(paragraph: str) -> Iterator[Span]:
    """Spans of at most _PIECE characters that end after a likely sentence end.

    A stretch with no likely end within _PIECE characters is one over-long sentence,
    so it is skipped up to the next likely end instead of being handed to pysbd."""
    start = 0
    while len(paragraph) - start > _PIECE:
        cut = None
        for match in _LIKELY_END.finditer(paragraph, start, start + _PIECE):
            cut = match.end()
        if cut is None:
            match = _LIKELY_END.search(paragraph, start + _PIECE)
            start = match.end() if match else len(paragraph)
            continue
        yield start, cut
        start = cut
    if start < len(paragraph):
        yield start, len(paragraph)
