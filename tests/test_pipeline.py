"""End to end on the bundled corpus (real embedder, shipped judge)."""

import json
import re

import polars as pl

import claimcheck
from conftest import CORPUS

AREF_TASS, AREF_TEHRAN, AVASH, SCO, BOGDANOV = (
    "000_e1bb8516b5aa0f7f", "001_14d15a553c2c56fc", "002_e26f71ae40373222", "003_fc2e2d37afac2326", "004_b1de832b828f2309",
)


def _between(comparison, kind, x, y):
    frame = comparison.findings(kind=kind)
    return frame.filter(
        (pl.col("claim_a").str.starts_with(x) & pl.col("claim_b").str.starts_with(y))
        | (pl.col("claim_a").str.starts_with(y) & pl.col("claim_b").str.starts_with(x))
    )


def test_every_span_points_into_its_article(corpus_comparison):
    texts = {a.id: a.text for a in corpus_comparison.articles}
    for claim in corpus_comparison.claims:
        assert claim.spans
        for start, end in claim.spans:
            assert 0 <= start < end <= len(texts[claim.article_id])
            assert texts[claim.article_id][start:end].strip()


def test_paraphrased_reports_agree_without_false_contradictions(corpus_comparison):
    agree = _between(corpus_comparison, "agree", AREF_TASS, AREF_TEHRAN)
    assert agree.height >= 5, agree
    assert _between(corpus_comparison, "contradict", AREF_TASS, AREF_TEHRAN).height == 0


def test_snapback_dispute_is_a_contradiction(corpus_comparison):
    found = _between(corpus_comparison, "contradict", AREF_TEHRAN, SCO)
    texts = " ".join(found["text_a"].to_list() + found["text_b"].to_list())
    assert "snapback" in texts and "reimpose UN sanctions" in texts


def test_single_source_facts_stay_with_their_source(corpus_comparison):
    unique = corpus_comparison.unique_claims(source=BOGDANOV)
    assert unique.filter(pl.col("text").str.contains("Shetab")).height == 1


def test_frames_and_formats_agree(corpus_comparison):
    c = corpus_comparison
    counts = c.counts()
    data = json.loads(c.to_json())
    assert data["schema_version"] == 1
    assert {k: len(data[k]) for k in ("articles", "claims", "clusters", "relations")} == {
        "articles": c.articles_frame.height, "claims": c.claims_frame.height,
        "clusters": c.clusters_frame.height, "relations": c.relations_frame.height,
    }
    assert data["counts"] == counts
    for rel in data["relations"]:
        assert rel["kind"] in ("agree", "adds_detail", "contradict")
        assert ("detail_from" in rel) == (rel["kind"] == "adds_detail")
    markdown, html = c.to_markdown(), c.to_html()
    assert f"{counts['contradict']} contradict" in markdown
    assert html.count('<article class="card') == len(c.relations)
    assert "<mark>" in html and "claimcheck" in c._repr_html_()
    terminal = c.to_terminal()
    assert f"{counts['agree']} agree" in terminal


def test_output_is_deterministic(corpus_comparison, cache_dir):
    again = claimcheck.compare(CORPUS)
    assert again.to_json() == corpus_comparison.to_json()


def test_articles_can_be_given_as_objects(cache_dir):
    a = claimcheck.Article(id="a", text="The bridge opened on Friday after two years of work.", source="A")
    b = claimcheck.Article(id="b", text="The bridge opened on Friday after two years of work.", source="B")
    result = claimcheck.compare([a, b])
    assert result.relations and result.relations[0].kind == "agree"


def test_html_escapes_article_text(tmp_path, cache_dir):
    (tmp_path / "x.txt").write_text('The mayor said <script>alert("x")</script> the bridge opened <img src=x onerror=alert(1)>.\n')
    (tmp_path / "y.txt").write_text("The mayor said the bridge opened.\n")
    html = claimcheck.compare(tmp_path).to_html()
    body = html.split("<body>", 1)[1]
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "&lt;script&gt;" in body
    assert len(re.findall(r"<script>", body)) == 1  # only the report's own filter script


def test_parquet_export_round_trips(corpus_comparison, tmp_path):
    written = corpus_comparison.write_parquet(tmp_path)
    assert {p.name for p in written} == {"articles.parquet", "claims.parquet", "clusters.parquet", "relations.parquet"}
    assert pl.read_parquet(tmp_path / "claims.parquet").height == len(corpus_comparison.claims)
