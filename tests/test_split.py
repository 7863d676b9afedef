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
