"""Property-based tests (hypothesis) for the code that takes arbitrary text: ingest,
sentence splitting, claim spans, numbers and dates. Example counts are modest so the
suite stays fast; each property says what must hold for *any* input."""

import json
import math
import os
import re
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claimcheck.errors import ClaimcheckError
from claimcheck.ingest import read_articles
from claimcheck.ingest.encoding import decode, normalise_newlines
from claimcheck.ingest.html import extract_html
from claimcheck.split import ClaimExtractor, sentence_spans
from claimcheck.split.dates import MONTHS, WEEKDAYS, find_dates
from claimcheck.split.quantities import find_quantities
from claimcheck.split.sentences import MAX_SENTENCE
from claimcheck.types import Article

# The same examples on every run, so `make test` (and CI) cannot turn red by luck; twice a
# random run found a real bug here, so explore now and then with CLAIMCHECK_EXPLORE=1 and
# pin what it finds with @example.
_FIXED = not os.environ.get("CLAIMCHECK_EXPLORE")
FAST = settings(max_examples=60, deadline=None, derandomize=_FIXED, suppress_health_check=[HealthCheck.too_slow])
SLOWER = settings(max_examples=25, deadline=None, derandomize=_FIXED, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like news: names, pronouns, verbs of saying, numbers, dates, commas,
# quotes and newlines, so the claim rules actually fire; plus arbitrary unicode.
_WORDS = st.sampled_from(
    "The mayor Lavrov he she they said denied rejected claims that , ; and while who which met praised "
    "20 3.5% twenty-one million Monday November 19 2025-11-18 “ ” \" ( ) U.S. Mr. Smith troops about . ! ? \n \r\n"
    .split(" ")
)
_SENTENCE = st.builds(
    lambda words, end: " ".join(words) + end,
    st.lists(st.one_of(_WORDS, _WORDS, _WORDS, st.text(max_size=6)), min_size=3, max_size=18),
    st.sampled_from([".", ".", "!", "?", ".”", ""]),
)
news_text = st.builds(
    lambda sentences, joiner: joiner.join(sentences),
    st.lists(_SENTENCE, max_size=6),
    st.sampled_from([" ", " ", "\n", "\r\n", "  \n\n"]),
)


def _span_words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


@FAST
@given(st.binary(max_size=400))
@example(b"\xef\xbb\xbfA\r\nB\rC")
@example("\u00e9t\u00e9".encode("cp1252"))
@example(b"\xff\xfeA\x00")
def test_decode_gives_text_or_a_coded_error(raw):
    try:
        text, encoding = decode(raw, "x.txt")
    except ClaimcheckError as problem:
        assert problem.code.value in ("E103", "E104") and "x.txt" in problem.render()
        return
    assert "\r" not in text and not text.startswith("\ufeff")
    assert encoding in ("UTF-8", "UTF-16", "Windows-1252")


@SLOWER
@given(st.binary(max_size=300), st.sampled_from([".txt", ".md", ".html", ".jsonl"]))
def test_any_file_reads_or_fails_with_a_coded_error(raw, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(raw)
        try:
            articles = read_articles([path])
        except ClaimcheckError as problem:
            assert problem.render().startswith("error[E")
            return
        for article in articles:
            assert article.text.strip() and "\r" not in article.text
            assert 0 <= article.body_start <= len(article.text)


@SLOWER
@example(["\r0", '{"": null, "text": "0"}'])
@given(st.lists(st.one_of(st.text(max_size=40), st.dictionaries(st.sampled_from(["id", "text", "source", "published", "path"]),
                                                                st.one_of(st.text(max_size=30), st.integers(), st.none(), st.lists(st.integers(), max_size=2)),
                                                                max_size=5).map(json.dumps)), max_size=8))
def test_jsonl_lines_are_read_or_skipped_by_number(lines):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.jsonl"
        path.write_text("\n".join(lines), encoding="utf-8")
        try:
            articles = read_articles([path], check_language=False)
        except ClaimcheckError as problem:
            assert problem.code.value in ("E103", "E106", "E109")
            return
        for article in articles:
            number = int(article.path.rsplit(":", 1)[1])
            # Line numbers count a lone CR as a line break, as the reader does (normalise_newlines).
            assert 1 <= number <= len(normalise_newlines("\n".join(lines)).split("\n"))


@FAST
@given(st.text(max_size=200), st.text(alphabet=st.characters(codec="ascii"), max_size=50))
def test_html_never_shows_script_text(visible, script):
    sentinel = "QQSCRIPTQQ"
    markup = f"<html><body><p>{visible}</p><script>{script}{sentinel}</script><style>{sentinel}</style></body></html>"
    if "</script" in script.lower():
        return  # the script ends early by construction; not what this property is about
    text, _, _ = extract_html(markup)
    assert sentinel not in text


@FAST
@given(news_text, st.integers(min_value=0, max_value=20))
def test_sentence_spans_stay_inside_and_in_order(text, start):
    start = min(start, len(text))
    spans = sentence_spans(text, start)
    previous_end = start
    for s, e in spans:
        assert previous_end <= s < e <= len(text)
        sentence = text[s:e]
        assert sentence == sentence.strip() and "\n" not in sentence
        assert len(sentence) <= MAX_SENTENCE
        previous_end = e


@SLOWER
@given(news_text)
def test_claim_spans_lie_inside_their_article_and_round_trip(text):
    article = Article(id="a", text=text, source="s")
    sentences = sentence_spans(text)
    for claim in ClaimExtractor().extract(article):
        assert claim.spans and claim.article_id == "a"
        for s, e in claim.spans:
            assert 0 <= s < e <= len(text)
            assert any(a <= s and e <= b for a, b in sentences)  # inside one sentence
        # Every word shown outside [inserted brackets] comes from the article at its spans.
        source_words = set(_span_words(" ".join(text[s:e] for s, e in claim.spans)))
        shown = re.sub(r"\[[^\]]*\]", " ", claim.text)
        assert set(_span_words(shown)) <= source_words


@FAST
@given(st.text(max_size=300))
def test_quantities_never_fail_and_come_from_the_text(text):
    for q in find_quantities(text):
        assert q.text in text and math.isfinite(q.value) and q.value >= 0


@FAST
@given(st.integers(min_value=0, max_value=10**15), st.sampled_from(["", " people", "%", " percent", "-year", " troops"]))
def test_numbers_round_trip(value, unit):
    for written in (f"{value}", f"{value:,}"):
        found = find_quantities(f"They counted {written}{unit} on the day.")
        assert found and found[0].value == value


_ONES = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


@FAST
@given(st.integers(min_value=20, max_value=99), st.sampled_from(["-", " "]))
def test_number_words_round_trip(value, joiner):
    tens, ones = divmod(value, 10)
    written = _TENS[tens - 2] + (joiner + _ONES[ones - 1] if ones else "")
    assert [q.value for q in find_quantities(f"Officials said {written} ships left.")] == [value]


@FAST
@given(st.sampled_from(_ONES + _TENS + ["ten", "eleven", "twelve"]), st.text(alphabet="abcdefghijklmnopqrsuvwxyz", min_size=1, max_size=5))
@example("one", "nd")  # found by a CI-like run: "onend" was read as the ordinal 1
def test_number_words_inside_longer_words_are_not_numbers(number, tail):
    word = number + tail
    if word in _ONES + _TENS or re.fullmatch(r"(?:teen|ty)\w*", tail):
        return
    assert find_quantities(f"The {word} arrived.") == ()


@FAST
@given(st.text(max_size=200), st.one_of(st.none(), st.dates()))
@example("on Sunday, December 31", date(1, 1, 1))
@example("on Monday, January 1", date.max)
def test_dates_never_fail(text, published):
    for mention in find_dates(text, published):
        assert mention.text in text
        assert mention.weekday is None or 0 <= mention.weekday <= 6


@FAST
@given(st.dates(min_value=date(1000, 1, 1)))
def test_written_dates_round_trip(day):
    month = MONTHS[day.month - 1].capitalize()
    for written in (day.isoformat(), f"{month} {day.day}, {day.year}", f"{day.day} {month} {day.year}"):
        [mention] = find_dates(f"The talks ended on {written}.")
        assert mention.day == day, written


@FAST
@given(st.dates(min_value=date(2, 1, 1)), st.sampled_from(WEEKDAYS))
def test_weekdays_resolve_to_the_last_such_day(published, weekday):
    [mention] = find_dates(f"They met on {weekday.capitalize()}.", published)
    assert mention.day is not None and mention.day.weekday() == WEEKDAYS.index(weekday)
    assert 0 <= (published - mention.day).days <= 6
