"""The distillation recipe's news claim pairs, from a tiny ECB+-shaped folder."""

import json

from claimcheck.relate.training.distil_one_pass import NO_GOLD, news_pairs


def test_news_pairs_join_claims_of_other_articles_in_the_same_topic(tmp_path):
    docs = [
        {"doc_id": "1_1ecb", "topic": 1, "sentences": ["An earthquake of magnitude 6.1 hit the coast of Chile on Monday."]},
        {"doc_id": "1_2ecb", "topic": 1, "sentences": ["A magnitude 6.1 earthquake struck Chile's coast on Monday."]},
        {"doc_id": "2_1ecb", "topic": 2, "sentences": ["An earthquake of magnitude 6.1 hit the coast of Chile on Monday."]},
    ]
    (tmp_path / "ecbplus").mkdir()
    (tmp_path / "ecbplus" / "docs.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs))
    cache = tmp_path / "cache" / "news_pairs.jsonl"
    pairs = news_pairs(tmp_path, 100, seed=0, cache=cache)
    assert len(pairs) == 1  # topic 2's copy is another story; a claim is never paired with itself
    (pair,) = pairs
    assert pair.label == NO_GOLD and pair.source == "ecbplus_claims"
    assert {pair.id.split("|")[0].split(":")[0], pair.id.split("|")[1].split(":")[0]} == {"1_1ecb", "1_2ecb"}
    assert news_pairs(tmp_path, 100, seed=0, cache=cache) == pairs  # read back from the cache
