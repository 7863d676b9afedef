"""Self-contained HTML report (no CDN, no network). jinja2 autoescapes every string,
so markup inside an article is shown as text, never run."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import jinja2

from claimcheck.report.markdown import verdict_label

if TYPE_CHECKING:
    from claimcheck.report.comparison import Comparison


@functools.lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("claimcheck.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["verdict"] = lambda row: verdict_label(row["kind"], row["confident"])
    return env


def _side(comparison: "Comparison", claim_id: str) -> dict:
    before, exact, after = comparison.context(claim_id)
    article = comparison.article_of(claim_id)
    return {"id": claim_id, "source": article.source, "published": article.published, "before": before,
            "exact": exact, "after": after, "text": comparison.claim(claim_id).text}


def _stories(comparison: "Comparison") -> list[dict]:
    findings = comparison.findings()
    stories = []
    for story in comparison.story_ids:
        members = [a for a in comparison.articles if comparison.story_of[a.id] == story]
        rows = findings.filter(findings["story_id"] == story).to_dicts()
        for row in rows:
            row["a"], row["b"] = _side(comparison, row["claim_a"]), _side(comparison, row["claim_b"])
        stories.append({
            "id": story,
            "dates": sorted({a.published for a in members if a.published}),
            "articles": members,
            "findings": rows,
            "counts": {k: sum(r["kind"] == k for r in rows) for k in ("agree", "adds_detail", "contradict")},
            "unique": comparison.unique_claims(story=story).to_dicts(),
        })
    return stories


def _matrix(comparison: "Comparison") -> dict:
    """Rows of heat-map cells: hue from red (sources contradict) to green (they agree),
    darker with more shared facts."""
    frame = comparison.source_matrix()
    sources = sorted({a.source for a in comparison.articles})
    cells = {(r["source_a"], r["source_b"]): r for r in frame.iter_rows(named=True)}
    rows = []
    for x in sources:
        row = []
        for y in sources:
            c = cells[(x, y)]
            supportive = c["agree"] + c["adds_detail"]
            total = supportive + c["contradict"]
            if x == y or total == 0:
                colour = "#f1f3f5"
            else:
                lightness = 90 - min(total, 10) * 3.5
                colour = f"hsl({round(120 * supportive / total)}, 60%, {lightness:.0f}%)"
            row.append({"same": x == y, "colour": colour, "supportive": supportive, "contradict": c["contradict"],
                        "label": f"{x} and {y}: {c['agree']} agree, {c['adds_detail']} adds detail, {c['contradict']} contradict"})
        rows.append({"source": x, "cells": row})
    return {"sources": sources, "rows": rows}


def to_html(comparison: "Comparison") -> str:
    return _env().get_template("report.html.j2").render(
        counts=comparison.counts(),
        stories=_stories(comparison),
        sources=sorted({a.source for a in comparison.articles}),
        matrix=_matrix(comparison),
        timeline=comparison.timeline().to_dicts(),
        undated=sum(a.published is None for a in comparison.articles),
        warnings=comparison.warnings,
        judge=comparison.judge,
        embedder=comparison.embedder,
    )


def summary_html(comparison: "Comparison") -> str:
    return _env().get_template("summary.html.j2").render(
        counts=comparison.counts(), findings=comparison.findings().head(10).to_dicts()
    )
