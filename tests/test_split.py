import re

from claimcheck.evaluation.claims import spans_valid
from claimcheck.split import ClaimExtractor, claim_from_text, sentence_spans
from claimcheck.split.quantities import find_quantities, quantities_conflict
from claimcheck.types import Article


def _claims(text):
    return ClaimExtractor().extract(Article(id="t", text=text, source="s"))


def test_sentence_spans_drop_headings_and_fragments():
    text = "Talks ended.\nPakistan reaffirms ties\nA meeting was held on relations with"
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["Talks ended."]


def test_spans_point_into_text_and_attribution_is_kept():
    text = "Lavrov said Moscow was ready. Araghchi praised the talks; he called them useful."
    claims = _claims(text)
    for claim in claims:
        for start, end in claim.spans:
            assert 0 <= start < end <= len(text)
            assert text[start:end].split(" ", 1)[-1] in claim.text  # a leading pronoun may be replaced
    assert claims[2].text.startswith("[Araghchi] called")
    assert claims[0].speaker == "Lavrov"
    assert len(claims) == 3


def test_denial_becomes_a_denied_proposition():
    claim = claim_from_text("Araghchi rejected Western claims that the snapback mechanism has been activated.")
    assert claim.stance == "denies"
    assert claim.proposition == "the snapback mechanism has been activated"


def test_quantities():
    found = find_quantities("a 20-year pact, twenty ships, about 500 troops and 3.5% growth in 2001")
    assert [(q.value, q.unit) for q in found] == [(20, "year"), (20, None), (500, "troop"), (3.5, "%"), (2001, "calendar-year")]
    assert found[2].approximate
    assert quantities_conflict(find_quantities("a 20-year treaty"), find_quantities("a 25-year treaty"))
    assert not quantities_conflict(find_quantities("about 500 troops"), find_quantities("512 troops"))
    assert not quantities_conflict(find_quantities("in 2001"), find_quantities("in 2020"))


# The bundled corpus, split by the default (parser) extractor.
def _corpus_claims():
    from claimcheck.ingest import read_articles
    from claimcheck.types import Diagnostics
    from conftest import CORPUS

    articles = read_articles([CORPUS], Diagnostics(), False)
    extractor = ClaimExtractor()
    return articles, {a.id: extractor.extract(a) for a in articles}


def test_corpus_claims_do_not_start_with_unresolved_pronouns():
    _, claims = _corpus_claims()
    starts = [c.text for found in claims.values() for c in found if re.match(r"(?:He|She|They|It)\b", c.text)]
    assert starts == []
    resolved = [c.text for found in claims.values() for c in found if c.text.startswith("[")]
    assert any(t.startswith("[Aref]") for t in resolved)


def test_corpus_truncated_fragment_gives_no_claim_and_spans_are_valid():
    articles, claims = _corpus_claims()
    texts = {a.id: a.text for a in articles}
    avash = next(i for i in claims if i.startswith("002_"))
    fragment = texts[avash].index("Pakistan reaffirms")
    assert all(end <= fragment for c in claims[avash] for _, end in c.spans)
    assert not any("Pakistan" in c.text for c in claims[avash])
    for article_id, found in claims.items():
        assert found
        for claim in found:
            assert spans_valid(claim, texts[article_id]), claim
            assert list(claim.spans) == sorted(claim.spans)


def test_decomposition_of_a_news_sentence():
    from datetime import date

    text = ("The Iranian envoy, Mohammad-Reza Aref, met Russian Prime Minister Mikhail Mishustin on Monday "
            "and praised Moscow's stance. He met lawmakers and students.")
    claims = ClaimExtractor().extract(Article(id="t", text=text, source="s", published=date(2025, 11, 18)))
    shown = [c.text for c in claims]
    assert "Mohammad-Reza Aref [is] The Iranian envoy" in shown
    assert "Mikhail Mishustin [is] Russian Prime Minister" in shown
    assert any(t.startswith("Mohammad-Reza Aref met Mikhail Mishustin on Monday [2025-11-17]") for t in shown)
    assert any(t.startswith("Mohammad-Reza Aref praised Moscow's stance") for t in shown)
    assert "[Aref] met lawmakers" in shown and "[Aref] met students" in shown
    met = next(c for c in claims if c.text.startswith("Mohammad-Reza Aref met"))
    assert ("Mikhail Mishustin", "PERSON") in met.entities and met.dates[0].day == date(2025, 11, 17)


def test_not_only_but_also_gives_two_assertions_and_no_negation():
    claims = _claims("He said the partnership not only serves both nations but also contributes to peace.")
    assert [(c.proposition, c.negated) for c in claims] == [
        ("the partnership serves both nations", False), ("the partnership contributes to peace", False)]
    assert not claim_from_text("The deal is not only about oil but also about gas.").negated
    assert claim_from_text("The deal is not about oil.").negated
