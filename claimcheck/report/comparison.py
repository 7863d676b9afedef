"""The result of compare(): typed records, polars frames, and a writer per format."""

from __future__ import annotations

import functools
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from claimcheck.errors import ClaimcheckError, Code
from claimcheck.split import sentence_spans
from claimcheck.types import Article, Claim, ClaimCluster, Relation

SCHEMA_VERSION = 1
FORMATS = ("terminal", "md", "html", "json")
SUFFIX_FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".json": "json", ".txt": "terminal"}


@dataclass
class Comparison:
    articles: list[Article]
    claims: list[Claim]
    clusters: list[ClaimCluster]
    relations: list[Relation]
    story_of: dict[str, str]
    warnings: list[str] = field(default_factory=list)
    judge: str = ""
    embedder: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    confident: float = 0.7

    # ---- lookups -------------------------------------------------------------
    @functools.cached_property
    def _article(self) -> dict[str, Article]:
        return {a.id: a for a in self.articles}

    @functools.cached_property
    def _claim(self) -> dict[str, Claim]:
        return {c.id: c for c in self.claims}

    def article_of(self, claim_id: str) -> Article:
        return self._article[self._claim[claim_id].article_id]

    def claim(self, claim_id: str) -> Claim:
        return self._claim[claim_id]

    def context(self, claim_id: str) -> tuple[str, str, str]:
        """(text before, claim text, text after) within the claim's source sentence."""
        claim = self._claim[claim_id]
        article = self._article[claim.article_id]
        start, end = claim.spans[0][0], claim.spans[-1][1]
        s_start, s_end = next(
            ((s, e) for s, e in self._sentences(article.id) if s <= start < e), (start, end)
        )
        return article.text[s_start:start], article.text[start:end], article.text[end:max(s_end, end)]

    def _sentences(self, article_id: str) -> list[tuple[int, int]]:
        if article_id not in self._sentence_cache:
            article = self._article[article_id]
            self._sentence_cache[article_id] = sentence_spans(article.text, article.body_start)
        return self._sentence_cache[article_id]

    @functools.cached_property
    def _sentence_cache(self) -> dict[str, list[tuple[int, int]]]:
        return {}

    # ---- frames --------------------------------------------------------------
    @functools.cached_property
    def articles_frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            {
                "id": [a.id for a in self.articles],
                "source": [a.source for a in self.articles],
                "title": [a.title for a in self.articles],
                "published": [a.published for a in self.articles],
                "path": [a.path for a in self.articles],
                "story_id": [self.story_of.get(a.id) for a in self.articles],
                "claims": [sum(c.article_id == a.id for c in self.claims) for a in self.articles],
            },
            schema={"id": pl.String, "source": pl.String, "title": pl.String, "published": pl.Date,
                    "path": pl.String, "story_id": pl.String, "claims": pl.Int64},
        )

    @functools.cached_property
    def claims_frame(self) -> pl.DataFrame:
        related = self._related_ids
        cluster_of = {cid: k.id for k in self.clusters for cid in k.claim_ids}
        return pl.DataFrame(
            {
                "id": [c.id for c in self.claims],
                "article_id": [c.article_id for c in self.claims],
                "source": [self._article[c.article_id].source for c in self.claims],
                "text": [c.text for c in self.claims],
                "proposition": [c.proposition for c in self.claims],
                "stance": [c.stance for c in self.claims],
                "speaker": [c.speaker for c in self.claims],
                "start": [c.spans[0][0] for c in self.claims],
                "end": [c.spans[-1][1] for c in self.claims],
                "cluster_id": [cluster_of.get(c.id) for c in self.claims],
                "unique": [c.id not in related for c in self.claims],
            },
            schema_overrides={"speaker": pl.String, "cluster_id": pl.String},
        )

    @functools.cached_property
    def clusters_frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            {
                "id": [k.id for k in self.clusters],
                "story_id": [k.story_id for k in self.clusters],
                "claim_ids": [list(k.claim_ids) for k in self.clusters],
                "size": [len(k.claim_ids) for k in self.clusters],
            },
            schema={"id": pl.String, "story_id": pl.String, "claim_ids": pl.List(pl.String), "size": pl.Int64},
        )

    @functools.cached_property
    def relations_frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            {
                "claim_a": [r.claim_a for r in self.relations],
                "claim_b": [r.claim_b for r in self.relations],
                "kind": [r.kind for r in self.relations],
                "score": [r.score for r in self.relations],
                "reason": [r.reason for r in self.relations],
                "detail_from": [r.detail_from for r in self.relations],
            },
            schema={"claim_a": pl.String, "claim_b": pl.String, "kind": pl.String, "score": pl.Float64,
                    "reason": pl.String, "detail_from": pl.String},
        )

    @property
    def frames(self) -> dict[str, pl.DataFrame]:
        return {"articles": self.articles_frame, "claims": self.claims_frame,
                "clusters": self.clusters_frame, "relations": self.relations_frame}

    @functools.cached_property
    def _related_ids(self) -> set[str]:
        return {r.claim_a for r in self.relations} | {r.claim_b for r in self.relations}

    def findings(self, kind: str | None = None, source: str | None = None) -> pl.DataFrame:
        """One row per relation with both sides' sources and texts, strongest first."""
        rows = []
        for r in self.relations:
            a, b = self._claim[r.claim_a], self._claim[r.claim_b]
            rows.append({
                "story_id": self.story_of[a.article_id], "kind": r.kind, "score": r.score,
                "confident": r.score >= self.confident, "reason": r.reason,
                "claim_a": a.id, "source_a": self._article[a.article_id].source, "text_a": a.text,
                "claim_b": b.id, "source_b": self._article[b.article_id].source, "text_b": b.text,
                "detail_from": r.detail_from,
            })
        frame = pl.DataFrame(rows, schema={
            "story_id": pl.String, "kind": pl.String, "score": pl.Float64, "confident": pl.Boolean,
            "reason": pl.String, "claim_a": pl.String, "source_a": pl.String, "text_a": pl.String,
            "claim_b": pl.String, "source_b": pl.String, "text_b": pl.String, "detail_from": pl.String,
        })
        if kind:
            frame = frame.filter(pl.col("kind") == kind)
        if source:
            frame = frame.filter((pl.col("source_a") == source) | (pl.col("source_b") == source))
        order = {"contradict": 0, "adds_detail": 1, "agree": 2}
        return frame.with_columns(pl.col("kind").replace_strict(order, default=3).alias("_o")).sort(
            ["story_id", "_o", "score", "claim_a", "claim_b"], descending=[False, False, True, False, False]
        ).drop("_o")

    def source_matrix(self) -> pl.DataFrame:
        """Source × source counts of agree, adds_detail and contradict relations (symmetric)."""
        sources = sorted({a.source for a in self.articles})
        counts = {(x, y): {"agree": 0, "adds_detail": 0, "contradict": 0} for x in sources for y in sources}
        for r in self.relations:
            x, y = self.article_of(r.claim_a).source, self.article_of(r.claim_b).source
            counts[(x, y)][r.kind] += 1
            if x != y:
                counts[(y, x)][r.kind] += 1
        return pl.DataFrame(
            [{"source_a": x, "source_b": y, **c} for (x, y), c in counts.items()],
            schema={"source_a": pl.String, "source_b": pl.String, "agree": pl.Int64, "adds_detail": pl.Int64,
                    "contradict": pl.Int64},
        )

    def timeline(self) -> pl.DataFrame:
        """Articles with a known publication date, in date order, with their claim counts."""
        return self.articles_frame.filter(pl.col("published").is_not_null()).sort(["published", "id"]).select(
            "published", "source", "id", "title", "story_id", "claims"
        )

    @property
    def story_ids(self) -> list[str]:
        """Story ids in order (s1, s2, ...)."""
        return sorted(set(self.story_of.values()), key=lambda s: int(s[1:]))

    def unique_claims(self, source: str | None = None, story: str | None = None) -> pl.DataFrame:
        """Claims no other source speaks to: what only one source says."""
        frame = self.claims_frame.filter(pl.col("unique"))
        if source:
            frame = frame.filter(pl.col("source") == source)
        if story:
            frame = frame.filter(pl.col("article_id").is_in([a for a, s in self.story_of.items() if s == story]))
        return frame

    def counts(self) -> dict[str, int]:
        kinds = [r.kind for r in self.relations]
        return {
            "articles": len(self.articles), "claims": len(self.claims), "clusters": len(self.clusters),
            "stories": len(set(self.story_of.values())), "agree": kinds.count("agree"),
            "adds_detail": kinds.count("adds_detail"), "contradict": kinds.count("contradict"),
            "unique": len(self.claims) - len(self._related_ids),
        }

    # ---- writers -------------------------------------------------------------
    def to_dict(self) -> dict:
        from claimcheck.report.json_report import to_dict

        return to_dict(self)

    def to_json(self) -> str:
        from claimcheck.report.json_report import to_json

        return to_json(self)

    def to_markdown(self) -> str:
        from claimcheck.report.markdown import to_markdown

        return to_markdown(self)

    def to_html(self) -> str:
        from claimcheck.report.html import to_html

        return to_html(self)

    def to_terminal(self, width: int = 100, color: bool = False) -> str:
        from claimcheck.report.terminal import render_text

        return render_text(self, width=width, color=color)

    def render(self, fmt: str) -> str:
        writers = {"json": self.to_json, "md": self.to_markdown, "html": self.to_html, "terminal": self.to_terminal}
        if fmt not in writers:
            raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
        return writers[fmt]()

    def write(self, path: str | os.PathLike, fmt: str | None = None) -> Path:
        """Write one report; the file appears whole or not at all."""
        path = Path(path)
        fmt = fmt or SUFFIX_FORMATS.get(path.suffix.lower(), "json")
        content = self.render(fmt)
        try:
            handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
            os.chmod(temp, 0o644)  # mkstemp makes 0600; a report is meant to be shared
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, path)
        except BaseException as exc:  # also Ctrl-C: no half-written temp file is left behind
            if "temp" in locals() and os.path.exists(temp):
                os.unlink(temp)
            if not isinstance(exc, OSError):
                raise
            raise ClaimcheckError(Code.OUTPUT, f"cannot write report: {exc.strerror or exc}", str(path)) from exc
        return path

    def write_parquet(self, folder: str | os.PathLike) -> list[Path]:
        """One Parquet file per frame (articles, claims, clusters, relations) in `folder`."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, frame in self.frames.items():
            frame.write_parquet(folder / f"{name}.parquet")
            written.append(folder / f"{name}.parquet")
        return written

    def _repr_html_(self) -> str:
        from claimcheck.report.html import summary_html

        return summary_html(self)

    def __repr__(self) -> str:
        c = self.counts()
        return (f"<Comparison {c['articles']} articles, {c['claims']} claims, {c['agree']} agree, "
                f"{c['adds_detail']} adds_detail, {c['contradict']} contradict, {c['unique']} unique>")
