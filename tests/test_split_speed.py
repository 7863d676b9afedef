"""The split's speed-ups must not change what it finds: the lookup attribute-ruler matcher,
pysbd's sentences found back without a regex per sentence, and batching many articles."""

from pathlib import Path

import pytest

from claimcheck.split import ClaimExtractor
from claimcheck.split.parse import load_nlp
from claimcheck.split.sentences import _segment, _segmenter
from claimcheck.types import Article

ROOT = Path(__file__).resolve().parents[1]
TRICKY = [
    "We're gonna do it, y'all. Ain't nothin' gonna stop 'em, c'mon.",
    "There is a cat.  It's   here. I gotta go. Let's go! You saw it and I told you.",
    "The U.S. Sen. Smith said so.\u00a0Yes.\u2003No. No. No.",
    "That is what he did, but he did not say that it was done; do it.",
]


def _corpus_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]


def test_segment_matches_pysbd():
    for text in TRICKY + ["", " ", "a. a. a."] + [p for t in _corpus_texts() for p in t.split("\n") if p]:
        assert _segment(text) == _segmenter().segment(text)


def test_lookup_ruler_gives_spacys_matches():
    nlp = load_nlp()
    if nlp is None:
        pytest.skip("spaCy pipeline not installed")
    from spacy.pipeline import AttributeRuler

    ruler = nlp.get_pipe("attribute_ruler")
    assert "match" in vars(ruler)  # the lookup matcher is installed
    before = nlp.pipe_names[: nlp.pipe_names.index("attribute_ruler")]
    texts = TRICKY + [s for t in _corpus_texts() for s in t.split(". ")]
    with nlp.select_pipes(enable=before):
        for doc in nlp.pipe(texts):
            assert ruler.match(doc) == AttributeRuler.match(ruler, doc), doc.text


def test_extract_many_equals_extract_one_by_one():
    articles = [Article(id=f"a{n}", text=text, source="s") for n, text in enumerate(_corpus_texts() + TRICKY)]
    extractor = ClaimExtractor()
    assert extractor.extract_many(articles) == [extractor.extract(a) for a in articles]
    assert extractor.extract_many([]) == []
