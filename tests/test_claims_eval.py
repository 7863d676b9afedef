"""The claim-extraction measure: matching rule, span validity, and a few shared rows."""

import pytest

from claimcheck.evaluation.claims import SentenceBaseline, content_words, evaluate_claims, overlap_f1, spans_valid
from claimcheck.split import ClaimExtractor
from claimcheck.types import Article, Claim
from conftest import SHARED_DATA


def test_matching_is_content_word_f1():
    assert content_words("The talks ended in Moscow's suburbs.") == {"talk", "ended", "moscow", "suburb"}
    assert overlap_f1({"a", "b"}, {"a", "b"}) == 1.0
    assert overlap_f1({"a", "b"}, {"a", "c", "d", "e"}) == pytest.approx(2 / 6)


def test_span_validity_allows_only_bracketed_insertions():
    text = "Aref met Mishustin. He praised Moscow."
    ok = Claim(id="x", article_id="t", text="[Aref] praised Moscow", spans=((23, 38),), sentence=1, proposition="")
    invented = Claim(id="y", article_id="t", text="Aref praised Moscow", spans=((23, 38),), sentence=1, proposition="")
    outside = Claim(id="z", article_id="t", text="x", spans=((30, 99),), sentence=1, proposition="")
    assert spans_valid(ok, text) and not spans_valid(invented, text) and not spans_valid(outside, text)


def test_baseline_is_one_claim_per_sentence():
    claims = SentenceBaseline().extract(Article(id="t", text="One fact. Two facts here.", source="s"))
    assert [c.text for c in claims] == ["One fact.", "Two facts here."]


@pytest.mark.skipif(not SHARED_DATA.exists(), reason="../shared/data is absent")
def test_evaluate_claims_on_a_few_shared_rows():
    results = evaluate_claims({"ours": ClaimExtractor(), "base": SentenceBaseline()}, SHARED_DATA, limit=5, log=lambda m: None)
    for entry in results["sets"].values():
        assert entry["base"]["claims_per_sentence"] == 1.0
        assert 0 <= entry["ours"]["coverage"] <= 1 and entry["ours"]["valid_spans"] == 1.0
