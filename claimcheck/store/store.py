"""A persistent, incrementally updated comparison: `Store(path).add(paths)`.

Layout of a store directory:
    claims.sqlite3   articles, claims (with their vectors), clusters, relations (WAL mode)
    index.faiss      checkpoint of the claim vectors (see claimcheck.store.vectors)
    writer.lock      held by the one process allowed to write

Each batch of articles is one SQLite transaction, so a killed add leaves the store at
its last committed batch, and rerunning the same add skips what is already stored
(articles are recognised by a hash of their text)."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from pathlib import Path

import numpy as np
import polars as pl

from claimcheck.cluster import denial_anchors, group_by_centroids
from claimcheck.cluster.anchors import head_noun
from claimcheck.cluster.unionfind import UnionFind
from claimcheck.config import Config
from claimcheck.embed import Embedder, get_embedder, normalise
from claimcheck.errors import ClaimcheckError, Code
from claimcheck.pipeline import Progress, gather_articles, no_progress
from claimcheck.relate import RelationJudge, get_judge, judge_claims, relate
from claimcheck.relate.memo import MemoJudge
from claimcheck.report import Comparison
from claimcheck.split import claim_from_text
from claimcheck.store import schema, vectors
from claimcheck.store.lock import writer_lock
from claimcheck.store.prepare import Prepared, Stopwatch, get_executor
from claimcheck.store.records import (ARTICLE_COLUMNS, article_from_row, article_row, blob, claim_from_record,
                                      claim_record, vectors_from_blobs)
from claimcheck.types import Article, Claim, ClaimCluster, Diagnostics, Relation

DATABASE = "claims.sqlite3"
INDEX = "index.faiss"
# Articles a new article is compared with when it looks for its story.
STORY_CANDIDATES = 5


@dataclass
class AddResult:
    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    claims: int = 0
    relations: int = 0
    warnings: list[str] = field(default_factory=list)
    index: str = ""
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage

    def summary(self) -> str:
        return (f"added {len(self.added)} article(s), {self.claims} claim(s), {self.relations} relation(s); "
                f"skipped {len(self.duplicates)} already stored")


def text_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


class Store:
    """Open (or, with `create=True`, create) the store at `path`.

    `embedder` is a name or an Embedder; it defaults to the one the store was built
    with. A store never mixes vectors of two embedders."""

    def __init__(self, path: str | os.PathLike, *, create: bool = False, embedder: str | Embedder | None = None,
                 config: Config | None = None, **options):
        self.path = Path(path)
        self.config = (config or Config()).with_options(**options)
        database = self.path / DATABASE
        if not database.exists():
            if not create:
                what = "is not a claimcheck store" if self.path.exists() else "does not exist"
                raise ClaimcheckError(Code.NOT_A_STORE, f"{what}", str(self.path))
            try:
                self.path.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ClaimcheckError(Code.OUTPUT, f"cannot create the store: {exc.strerror}", str(self.path)) from None
        # Autocommit mode: every transaction below is explicit (see _transaction, _snapshot).
        self._db = sqlite3.connect(database, timeout=60, isolation_level=None)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise ClaimcheckError(Code.NOT_A_STORE, f"its database cannot be read ({exc})", str(self.path)) from None
        # NORMAL keeps every commit across a killed process; only a power cut may lose the last one.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._embedder_arg = embedder
        self._embedder: Embedder | None = None
        self._index = None
        self._index_state: vectors.IndexState | None = None
        self._story_cache: tuple[list[str], list[str], np.ndarray] | None = None
        self._judges: dict[str, RelationJudge] = {}
        meta = self._meta()
        if not meta:
            if not create:
                raise ClaimcheckError(Code.NOT_A_STORE, "is not a claimcheck store", str(self.path))
            model = self.embedder
            name = embedder if isinstance(embedder, str) else self.config.embedder
            schema.create(self._db, model.model_id, model.dim, name)
            meta = self._meta()
        if embedder is None or isinstance(embedder, str):
            # Workers (Ray) load the embedder by name: the one given, else the store's own.
            self.config = self.config.with_options(embedder=embedder or meta.get("embedder_name", self.config.embedder))
        version = int(meta.get("schema_version", "0"))
        if version > schema.SCHEMA_VERSION:
            raise ClaimcheckError(Code.STORE_VERSION, f"the store has schema version {version}; this claimcheck "
                                  f"reads up to {schema.SCHEMA_VERSION}", str(self.path))
        self.dim = int(meta["dim"])
        self.model_id = meta["embedder"]

    # ---- plumbing ------------------------------------------------------------
    def _meta(self) -> dict[str, str]:
        try:
            return schema.read_meta(self._db)
        except sqlite3.OperationalError:
            return {}
        except sqlite3.DatabaseError as exc:
            raise ClaimcheckError(Code.NOT_A_STORE, f"the database cannot be read ({exc})", str(self.path)) from None

    def _set_meta(self, **values: str) -> None:
        self._db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [(k, str(v)) for k, v in values.items()])

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """Reads inside see one committed state, even while a writer commits."""
        self._db.execute("BEGIN")
        try:
            yield
        finally:
            self._db.execute("COMMIT")

    @property
    def embedder(self) -> Embedder:
        """The embedder, loaded on first use and checked against the store's."""
        if self._embedder is None:
            arg = self._embedder_arg
            if arg is not None and not isinstance(arg, str):
                model = arg
            else:
                model = get_embedder(arg or self.config.embedder, self.config.batch_size, self.config.cache_dir)
            stored = self._meta().get("embedder")
            if stored and model.model_id != stored:
                raise ClaimcheckError(Code.STORE_EMBEDDER, f"the store holds vectors from {stored!r}, not "
                                      f"{model.model_id!r}; vectors of two embedders cannot be compared", str(self.path))
            self._embedder = model
        return self._embedder

    def _load_index(self) -> None:
        if self._index is None:
            with self._snapshot():
                self._index, self._index_state = vectors.load(self.path / INDEX, self._db, self.dim)

    def _catch_up_index(self) -> None:
        """Reload the index only if another writer committed claims since it was loaded:
        rows are append-only, so an equal count means the same rows."""
        if self._index is not None:
            stored = self._db.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
            if stored == self._index.ntotal:
                return
            self._index = None
        self._load_index()

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- adding ------------------------------------------------------------------
    def add(
        self,
        inputs: str | os.PathLike | Article | Iterable[str | os.PathLike | Article],
        *,
        judge: RelationJudge | str | None = None,
        executor: str = "local",
        address: str | None = None,
        batch_articles: int = 200,
        wait: float = 600,
        on_wait: Callable[[str], None] = lambda message: None,
        progress: Progress | None = None,
    ) -> AddResult:
        """Add articles; only what is new gets split, embedded, clustered and judged.

        `progress` is compare()'s progress hook, advanced by articles."""

        diagnostics = Diagnostics()
        self._stopwatch = stopwatch = Stopwatch()
        with stopwatch("read"):
            articles = gather_articles(inputs, diagnostics, self.config.strict, max_file_mb=self.config.max_file_mb,
                                       check_language=self.config.check_language)
        result = AddResult(warnings=diagnostics.warnings, timings=stopwatch)
        with stopwatch("load models"):
            judge = MemoJudge(self._judge(judge))
            prepare = get_executor(executor, self.config, self.embedder, stopwatch, address)
        with writer_lock(self.path, wait, on_wait):
            self._catch_up_index()
            fresh = self._fresh(articles, result)
            try:
                with (progress or no_progress)("Adding articles", len(fresh)) as advance, \
                        closing(prepare(_chunks(fresh, batch_articles))) as prepared:  # closing stops a split worker
                    for batch in prepared:
                        claims, relations = self._add_batch(batch, judge)
                        self._switch_index_if_outgrown()
                        result.added.extend(p.article.id for p in batch)
                        result.claims += claims
                        result.relations += relations
                        advance(len(batch))
            except BaseException:
                self._index = None  # the in-memory index may hold rows that were rolled back
                raise
            if vectors.needs_checkpoint(self._index, self._index_state.checkpointed):
                with stopwatch("checkpoint index"):
                    vectors.write(self._index, self.path / INDEX)
                self._index_state.checkpointed = self._index.ntotal
        result.index = self._index_state.kind
        return result

    def _switch_index_if_outgrown(self) -> None:
        """Past FLAT_LIMIT claims, exact search gives way to HNSW, built once from the stored vectors."""
        wanted = vectors.index_kind(self._index.ntotal)
        if vectors.kind_of(self._index) != wanted:
            with self._stopwatch(f"build {wanted} index"), self._snapshot():
                self._index = vectors.build(self._db, self.dim, self._index.ntotal)
            self._index_state = vectors.IndexState(wanted, self._index.ntotal, checkpointed=0)

    def _fresh(self, articles: list[Article], result: AddResult) -> list[Article]:
        """Articles not stored yet, with ids made unique against the store."""
        fresh, seen = [], set()
        for article in articles:
            digest = text_hash(article.text)
            if digest in seen or self._db.execute("SELECT 1 FROM articles WHERE text_hash = ?", (digest,)).fetchone():
                result.duplicates.append(article.path or article.id)
                continue
            seen.add(digest)
            fresh.append(article)
        taken: set[str] = set()
        out = []
        for article in fresh:
            new_id, suffix = article.id, 1
            while new_id in taken or self._db.execute("SELECT 1 FROM articles WHERE id = ?", (new_id,)).fetchone():
                suffix += 1
                new_id = f"{article.id}-{suffix}"
            taken.add(new_id)
            out.append(replace(article, id=new_id) if new_id != article.id else article)
        return out

    def _add_batch(self, batch: list[Prepared], judge: RelationJudge) -> tuple[int, int]:
        """Commit one batch of prepared articles: stories, claims, clusters, relations."""
        config = self.config
        start = self._index.ntotal
        claims = [c for p in batch for c in p.claims]
        new_vectors = np.concatenate([p.vectors for p in batch]) if claims else np.zeros((0, self.dim), np.float32)
        stopwatch = self._stopwatch
        with stopwatch("stories"):
            story_of, next_story = self._assign_stories(batch)
        with stopwatch("index"):
            self._index.add(np.ascontiguousarray(new_vectors, dtype=np.float32))
            # The neighbourhood of the new claims: old claims they might join or relate to.
            found_scores, found_rows = (self._index.search(new_vectors, config.neighbours + 1) if claims
                                        else (np.zeros((0, 0)), np.zeros((0, 0), np.int64)))
        with stopwatch("cluster"):
            found = {int(r) for r in found_rows.ravel() if 0 <= r < start}
            # Only claims of the new claims' stories can link to them; most neighbours found are
            # of other stories (nine in ten at 30k claims), and their records are not parsed.
            old = self._claims_at(sorted(found | self._anchor_rows(claims, story_of)), set(story_of.values()))
            old_rows = sorted(old)
            near = _Neighbourhood(
                rows=list(range(start, start + len(claims))) + old_rows,
                claims=claims + [old[r][0] for r in old_rows],
                stories=[story_of[c.article_id] for c in claims] + [old[r][2] for r in old_rows],
                clusters=[None] * len(claims) + [old[r][1] for r in old_rows],
                vectors=np.concatenate([new_vectors, self._vectors_at(old_rows)]),
                new=len(claims),
            )
            edges, anchors = near.edges(found_scores, found_rows, config.cluster_threshold)
            links = UnionFind(len(near.claims))
            for i, j in edges:
                links.union(i, j)
            meta = self._meta()
            cluster_of, merges, next_cluster = assign_clusters(links.components(), near.clusters,
                                                               int(meta["next_cluster"]))
            pairs = near.pairs(edges, anchors, config.pair_threshold, config.judged_neighbours)
        with stopwatch("relate"):
            published = self._published({c.article_id for c in near.claims}, batch)
            relations = relate(near.claims, pairs, judge, anchors, None, published) if pairs else []

        added = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with stopwatch("commit"), self._transaction():
            self._db.executemany(
                "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [article_row(p.article, text_hash(p.article.text), story_of[p.article.id], _centroid(p.vectors, self.dim), added)
                 for p in batch],
            )
            self._db.executemany(
                "INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(start + n, c.id, c.article_id, claim_record(c), blob(new_vectors[n]), cluster_of.get(n), c.stance)
                 for n, c in enumerate(claims)],
            )
            for merged_from, merged_into in merges.items():
                self._db.execute("UPDATE claims SET cluster = ? WHERE cluster = ?", (merged_into, merged_from))
            self._db.executemany("UPDATE claims SET cluster = ? WHERE row = ?",
                                 [(cluster_of[i], near.rows[i]) for i in range(near.new, len(near.claims))
                                  if cluster_of.get(i) is not None and near.clusters[i] is None])
            self._db.executemany(
                "INSERT OR REPLACE INTO relations VALUES (?, ?, ?, ?, ?, ?)",
                [(r.claim_a, r.claim_b, r.kind, r.score, r.reason, r.detail_from) for r in relations],
            )
            self._set_meta(next_cluster=next_cluster, next_story=next_story, judge=judge.name)
        return len(claims), len(relations)

    def _anchor_rows(self, claims: list[Claim], story_of: dict[str, str]) -> set[int]:
        """Stored claims a new claim may be anchored to though embeddings do not see them close:
        denials in the same story for a new report, reports naming the denied thing for a new denial."""
        stories = sorted({story_of[c.article_id] for c in claims})
        rows: set[int] = set()
        if not stories:
            return rows
        marks = ",".join("?" * len(stories))
        in_stories = f"SELECT c.row FROM claims c JOIN articles a ON a.id = c.article_id WHERE a.story IN ({marks})"
        rows.update(r for (r,) in self._db.execute(f"{in_stories} AND c.stance = 'denies'", stories))
        for claim in claims:
            head = head_noun(claim.proposition) if claim.stance == "denies" else None
            if head:
                rows.update(r for (r,) in self._db.execute(
                    f"{in_stories} AND c.stance != 'denies' AND c.record LIKE ?", (*stories, f"%{head}%")))
        return rows

    def _assign_stories(self, batch: list[Prepared]) -> tuple[dict[str, str], int]:
        """Story per new article: the story of the stored (or earlier new) articles it groups
        with, else a new one; and the next free story number."""
        next_story = int(self._meta()["next_story"])
        ids, stories, stored = self._centroids()
        known = dict(zip(ids, stories))
        story_of: dict[str, str] = {}
        pending: dict[str, Article] = {}
        added: list[np.ndarray] = []  # this batch's centroids, kept apart so the stored matrix is never copied
        for prepared in batch:
            article = prepared.article
            centroid = _centroid(prepared.vectors, self.dim)
            best: list[int] = []
            if ids and prepared.claims:
                scores = np.concatenate([stored @ centroid, np.array(added).reshape(-1, self.dim) @ centroid])
                best = [int(i) for i in np.argsort(-scores)[:STORY_CANDIDATES] if scores[i] > 0]
            candidates = [ids[i] for i in best]
            # Stored articles come with their centroids, so their claims need not be read back.
            centroids = np.stack([stored[i] if i < len(stored) else added[i - len(stored)] for i in best] + [centroid])
            grouped = group_by_centroids([self._article(c, pending) for c in candidates] + [article], centroids,
                                         self.config.story_threshold)
            joined = [known[c] for c in candidates if grouped[c] == grouped[article.id]]
            if joined:
                story = Counter(joined).most_common(1)[0][0]
            else:
                story = f"s{next_story}"
                next_story += 1
            story_of[article.id] = known[article.id] = story
            pending[article.id] = article
            ids.append(article.id)
            stories.append(story)
            added.append(centroid)
        self._story_cache = (ids, stories, np.vstack([stored, *added]) if added else stored)
        return story_of, next_story

    def _centroids(self) -> tuple[list[str], list[str], np.ndarray]:
        cache = self._story_cache
        count = self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        if cache is None or len(cache[0]) != count:
            rows = self._db.execute("SELECT id, story, centroid FROM articles ORDER BY rowid").fetchall()
            cache = ([r[0] for r in rows], [r[1] for r in rows], vectors_from_blobs([r[2] for r in rows], self.dim))
        return list(cache[0]), list(cache[1]), cache[2]

    def _article(self, article_id: str, pending: dict[str, Article]) -> Article:
        if article_id in pending:
            return pending[article_id]
        row = self._db.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        return article_from_row(row)

    def _claims_at(self, rows: list[int], stories: set[str] | None = None) -> dict[int, tuple[Claim, int | None, str]]:
        """row → (claim, cluster, story) for stored claims (only those in `stories`, if given)."""
        out = {}
        for chunk in _chunks(rows, 500):
            marks = ",".join("?" * len(chunk))
            for row, record, cluster, story in self._db.execute(
                f"SELECT c.row, c.record, c.cluster, a.story FROM claims c JOIN articles a ON a.id = c.article_id "
                f"WHERE c.row IN ({marks})", chunk):
                if stories is None or story in stories:
                    out[row] = (claim_from_record(record), cluster, story)
        return out

    def _vectors_at(self, rows: list[int]) -> np.ndarray:
        if not rows:
            return np.zeros((0, self.dim), np.float32)
        return np.stack([self._index.reconstruct(int(r)) for r in rows])

    def _published(self, article_ids: set[str], batch: list[Prepared]) -> dict[str, date]:
        out = {p.article.id: p.article.published for p in batch if p.article.published}
        missing = [a for a in article_ids if a not in out]
        for chunk in _chunks(missing, 500):
            marks = ",".join("?" * len(chunk))
            for id_, published in self._db.execute(f"SELECT id, published FROM articles WHERE id IN ({marks})", chunk):
                if published:
                    out[id_] = date.fromisoformat(published)
        return out

    # ---- reading -------------------------------------------------------------------
    def articles(self) -> list[Article]:
        with self._snapshot():
            return [article_from_row(r) for r in self._db.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY rowid")]

    def comparison(self, story: str | None = None, since: date | None = None) -> Comparison:
        """The stored comparison as compare() returns it, optionally one story or recent articles only."""
        where, args = [], []
        if story:
            where.append("story = ?")
            args.append(story)
        if since:
            where.append("published >= ?")
            args.append(since.isoformat())
        sql = f"SELECT {ARTICLE_COLUMNS}, story FROM articles"
        sql += (" WHERE " + " AND ".join(where)) if where else ""
        with self._snapshot():
            rows = self._db.execute(sql + " ORDER BY rowid", args).fetchall()
            if story and not rows:
                known = [s for (s,) in self._db.execute("SELECT DISTINCT story FROM articles ORDER BY story")]
                raise ClaimcheckError(Code.UNKNOWN_NAME, f"no story {story!r} in the store; it has {', '.join(known[:20])}",
                                      str(self.path))
            articles = [article_from_row(r[:-1]) for r in rows]
            story_of = {r[0]: r[-1] for r in rows}
            claims, cluster_of = [], {}
            for chunk in _chunks(list(story_of), 500):
                marks = ",".join("?" * len(chunk))
                for record, cluster in self._db.execute(
                        f"SELECT record, cluster FROM claims WHERE article_id IN ({marks}) ORDER BY row", chunk):
                    claims.append(claim_from_record(record))
                    cluster_of[claims[-1].id] = cluster
            order = {article_id: n for n, article_id in enumerate(story_of)}
            claims.sort(key=lambda c: order[c.article_id])  # stable: rows stay in order inside an article
            members: dict[int, list[Claim]] = {}
            for claim in claims:
                if cluster_of[claim.id] is not None:
                    members.setdefault(cluster_of[claim.id], []).append(claim)
            clusters = [ClaimCluster(f"k{number}", story_of[group[0].article_id], tuple(c.id for c in group))
                        for number, group in sorted(members.items()) if len(group) > 1]
            wanted = set(cluster_of)
            relations = [Relation(*r) for r in self._db.execute(
                "SELECT claim_a, claim_b, kind, score, reason, detail_from FROM relations ORDER BY claim_a, claim_b")
                if r[0] in wanted and r[1] in wanted]
            meta = self._meta()
        return Comparison(articles=articles, claims=claims, clusters=clusters, relations=relations, story_of=story_of,
                          judge=meta.get("judge", ""), embedder=meta["embedder"], confident=self.config.confident)

    def query(self, text: str, limit: int = 10, judge: RelationJudge | str | None = None) -> pl.DataFrame:
        """Stored claims that agree with, add detail to or contradict `text`, best first."""

        if not text.strip():
            raise ClaimcheckError(Code.BAD_PAIRS, "the query is empty", None)
        judge = self._judge(judge)
        self._load_index()
        asked = claim_from_text(text, "query")
        # Not through the embedding cache: writing a one-off query to it commits to disk (~30 ms
        # measured), several times the cost of embedding one sentence.
        vector = self.embedder.encode([asked.proposition])
        # Judged: the nearest claims above the pair threshold, as compare() judges them; a
        # bounded number keeps a query's cost flat however big the store is.
        scores, rows = self._index.search(vector, min(limit, max(self._index.ntotal, 1)))
        hits = [(float(s), int(r)) for s, r in zip(scores[0], rows[0]) if r >= 0 and s >= self.config.pair_threshold]
        found = self._claims_at([r for _, r in hits])
        hits = [(s, r) for s, r in hits if r in found]
        claims = [found[r][0] for _, r in hits]
        verdicts = judge_claims(judge, [asked] * len(claims), claims, [s for s, _ in hits]) if claims else []
        sources = self._sources({c.article_id for c in claims})
        records = []
        for (similarity, row), claim, verdict in zip(hits, claims, verdicts):
            if verdict.verdict == "neutral":
                continue
            source, published = sources[claim.article_id]
            detail = None if verdict.verdict != "adds_detail" else ("query" if verdict.detail_from == "a" else "stored")
            records.append({"claim_id": claim.id, "article_id": claim.article_id, "source": source, "published": published,
                            "story_id": found[row][2], "text": claim.text, "relation": verdict.verdict,
                            "detail_from": detail, "score": round(verdict.score, 4), "similarity": round(similarity, 4),
                            "reason": verdict.reason})
        records.sort(key=lambda r: -r["score"])
        return pl.DataFrame(records[:limit], schema=QUERY_SCHEMA)

    def _judge(self, judge: RelationJudge | str | None) -> RelationJudge:
        """A judge by name, loaded once per open store: loading it costs more than a query."""
        if hasattr(judge, "judge"):
            return judge
        name = judge or self.config.judge
        if name not in self._judges:
            self._judges[name] = get_judge(name)
        return self._judges[name]

    def _sources(self, article_ids: set[str]) -> dict[str, tuple[str, str | None]]:
        out = {}
        for chunk in _chunks(sorted(article_ids), 500):
            marks = ",".join("?" * len(chunk))
            for id_, source, published in self._db.execute(
                    f"SELECT id, source, published FROM articles WHERE id IN ({marks})", chunk):
                out[id_] = (source, published)
        return out

    def info(self, recall: bool = True) -> dict:
        """What the store holds, its index and how well the index finds neighbours."""
        self._load_index()
        count = lambda sql: self._db.execute(sql).fetchone()[0]  # noqa: E731
        kinds = dict(self._db.execute("SELECT kind, COUNT(*) FROM relations GROUP BY kind").fetchall())
        meta = self._meta()
        files = [self.path / DATABASE, self.path / f"{DATABASE}-wal", self.path / INDEX]
        return {
            "path": str(self.path),
            "schema_version": int(meta["schema_version"]),
            "embedder": meta["embedder"],
            "dimension": self.dim,
            "judge": meta.get("judge"),
            "articles": count("SELECT COUNT(*) FROM articles"),
            "stories": count("SELECT COUNT(DISTINCT story) FROM articles"),
            "claims": count("SELECT COUNT(*) FROM claims"),
            "clusters": count("SELECT COUNT(DISTINCT cluster) FROM claims WHERE cluster IS NOT NULL"),
            "relations": {k: kinds.get(k, 0) for k in ("agree", "adds_detail", "contradict")},
            "index": self._index_state.kind,
            "index_vectors": self._index.ntotal,
            "index_checkpointed": self._index_state.checkpointed,
            "index_repaired": self._index_state.repaired,
            "index_recall_at_10": round(vectors.recall_at(self._index, self._db, self.dim), 4) if recall else None,
            "disk_bytes": sum(f.stat().st_size for f in files if f.exists()),
        }


def assign_clusters(components: list[list[int]], existing: list[int | None],
                    next_id: int) -> tuple[dict[int, int], dict[int, int], int]:
    """Stored cluster id per linked claim, old clusters merged into their lowest id, and the
    next free id: (cluster of claim, merged id → surviving id, next id)."""
    cluster_of: dict[int, int] = {}
    merges: dict[int, int] = {}
    for members in components:
        if len(members) < 2:
            continue
        old_ids = sorted({existing[m] for m in members if existing[m] is not None})
        if old_ids:
            target = old_ids[0]
            merges.update({other: target for other in old_ids[1:]})
        else:
            target, next_id = next_id, next_id + 1
        cluster_of.update({m: target for m in members})
    return cluster_of, merges, next_id


@dataclass
class _Neighbourhood:
    """A batch's new claims (the first `new`) and the stored claims near them."""

    rows: list[int]
    claims: list[Claim]
    stories: list[str]
    clusters: list[int | None]
    vectors: np.ndarray
    new: int

    def linkable(self, i: int, j: int) -> bool:
        # Repeats inside one article are not corroboration; other stories are other events.
        return self.claims[i].article_id != self.claims[j].article_id and self.stories[i] == self.stories[j]

    def edges(self, scores: np.ndarray, rows: np.ndarray, threshold: float) -> tuple[dict[tuple[int, int], float], set]:
        """Links between claims stating the same fact (cosine ≥ threshold, or a denial anchor)."""
        position = {row: i for i, row in enumerate(self.rows)}
        edges: dict[tuple[int, int], float] = {}
        for n in range(self.new):
            for score, row in zip(scores[n], rows[n]):
                j = position.get(int(row))
                if j is not None and j != n and score >= threshold and self.linkable(n, j):
                    edges[(min(n, j), max(n, j))] = float(score)
        anchors = {(i, j) for i, j in denial_anchors(self.claims) if (i < self.new or j < self.new) and self.linkable(i, j)}
        for i, j in anchors:
            edges.setdefault((min(i, j), max(i, j)), float(self.vectors[i] @ self.vectors[j]))
        return edges, anchors

    def pairs(self, edges: dict[tuple[int, int], float], anchors: set, threshold: float,
              per_claim: int) -> list[tuple[int, int, float]]:
        """Pairs to judge: each new claim with its `per_claim` nearest linked claims above the
        threshold, and every anchored pair; the older claim first (as compare() orders pairs)."""
        nearest: dict[int, list[tuple[float, int, int]]] = {}
        for (i, j), s in edges.items():
            if s >= threshold:
                for new in {i, j}:
                    if new < self.new:
                        nearest.setdefault(new, []).append((s, i, j))
        chosen = {(i, j): s for (i, j), s in edges.items() if (i, j) in anchors or (j, i) in anchors}
        for found in nearest.values():
            for s, i, j in sorted(found, reverse=True)[:per_claim]:
                chosen[(i, j)] = s
        ordered = [(i, j, s) if self.rows[i] < self.rows[j] else (j, i, s) for (i, j), s in chosen.items()]
        return sorted(ordered, key=lambda pair: (self.rows[pair[0]], self.rows[pair[1]]))


QUERY_SCHEMA = {"claim_id": pl.String, "article_id": pl.String, "source": pl.String, "published": pl.String,
                "story_id": pl.String, "text": pl.String, "relation": pl.String, "detail_from": pl.String,
                "score": pl.Float64, "similarity": pl.Float64, "reason": pl.String}


def rebuild(path: str | os.PathLike, embedder: str, *, judge: RelationJudge | str | None = None,
            config: Config | None = None) -> AddResult:
    """Re-embed every stored article with `embedder`: build a new store beside this one, then swap it in.

    Until the swap the old store stays as it was, so an interrupted rebuild loses nothing."""
    path = Path(path)
    with Store(path, config=config) as old, writer_lock(path, wait=0):
        articles = old.articles()
    temp = path.with_name(f"{path.name}.rebuild")
    shutil.rmtree(temp, ignore_errors=True)
    with Store(temp, create=True, embedder=embedder, config=config) as new:
        result = new.add(articles, judge=judge, wait=0)
    with writer_lock(path, wait=0):
        backup = path.with_name(f"{path.name}.replaced")
        os.replace(path, backup)
        os.replace(temp, path)
    shutil.rmtree(backup)
    return result


def _centroid(vectors_: np.ndarray, dim: int) -> np.ndarray:
    if not len(vectors_):
        return np.zeros(dim, np.float32)
    return normalise(vectors_.mean(axis=0, keepdims=True))[0].astype(np.float32)


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]
