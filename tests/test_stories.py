"""Story grouping without a model: names and numbers separate two events of the same kind."""

import numpy as np

from claimcheck.cluster import group_stories
from claimcheck.cluster.stories import average_linkage, name_terms
from claimcheck.config import Config
from claimcheck.types import Article, Claim

TEXTS = {
    "quake-a1": "A magnitude 6.1 earthquake struck Lorca in Spain on Wednesday, killing 9 people. Lorca was hit hardest.",
    "quake-a2": "Nine people died when a 6.1 quake hit Lorca, Spain, on Wednesday. Rescuers searched Lorca overnight.",
    "quake-b1": "A magnitude 7.0 earthquake struck Haiti near Port-au-Prince on Tuesday; thousands are feared dead.",
    "quake-b2": "The 7.0 quake in Haiti levelled much of Port-au-Prince on Tuesday, officials in Haiti said.",
}


def _corpus():
    articles = [Article(id=key, text=text, source=key) for key, text in TEXTS.items()]
    claims = [Claim(id=f"{a.id}:0", article_id=a.id, text=a.text, spans=((0, len(a.text)),), sentence=0,
                    proposition=a.text) for a in articles]
    # The same vector for every claim: topically they are all "an earthquake killed people".
    vectors = np.ones((len(claims), 4), dtype=np.float32) / 2
    return articles, claims, vectors


def test_two_events_of_one_kind_are_two_stories():
    articles, claims, vectors = _corpus()
    story_of = group_stories(articles, claims, vectors, Config().story_threshold)
    assert story_of["quake-a1"] == story_of["quake-a2"] == "s1"
    assert story_of["quake-b1"] == story_of["quake-b2"] == "s2"


def test_sentence_initial_words_are_not_names():
    terms = name_terms(["The bridge in Lorca opened the road.", "the bridge closed", "The 1,200 workers left the site."])
    assert "the" not in terms[0] and "lorca" in terms[0]
    assert "1200" in terms[2]


def test_average_linkage_does_not_chain():
    # 0-1 and 1-2 are close, 0-2 is not: single link would join all three, average link does not.
    similarity = np.array([[1.0, 0.6, 0.0], [0.6, 1.0, 0.6], [0.0, 0.6, 1.0]])
    assert average_linkage(similarity, 0.5) == [[0, 1], [2]]
    assert average_linkage(similarity, 0.3) == [[0, 1, 2]]
