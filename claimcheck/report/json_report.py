"""The JSON report: the versioned machine-readable contract (README, "JSON report")."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claimcheck.report.comparison import Comparison


def to_dict(comparison: "Comparison") -> dict:
    from claimcheck.report.comparison import SCHEMA_VERSION

    relations = []
    for r in comparison.relations:
        item = {"claim_a": r.claim_a, "claim_b": r.claim_b, "kind": r.kind, "score": round(r.score, 4), "reason": r.reason}
        if r.kind == "adds_detail":
            item["detail_from"] = r.detail_from
        relations.append(item)
    return {
        "schema_version": SCHEMA_VERSION,
        "judge": comparison.judge,
        "embedder": comparison.embedder,
        "articles": [
            {"id": a.id, "source": a.source, "title": a.title,
             "published": a.published.isoformat() if a.published else None, "path": a.path,
             "story_id": comparison.story_of.get(a.id)}
            for a in comparison.articles
        ],
        "claims": [
            {"id": c.id, "article_id": c.article_id, "text": c.text, "spans": [list(s) for s in c.spans],
             "stance": c.stance, "speaker": c.speaker}
            for c in comparison.claims
        ],
        "clusters": [{"id": k.id, "story_id": k.story_id, "claim_ids": list(k.claim_ids)} for k in comparison.clusters],
        "relations": relations,
        "counts": comparison.counts(),
    }


def to_json(comparison: "Comparison") -> str:
    return json.dumps(to_dict(comparison), ensure_ascii=False, indent=2) + "\n"
