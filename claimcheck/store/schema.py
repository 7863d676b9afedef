"""The store's tables. SCHEMA_VERSION goes up whenever a table changes shape; a store
written by a newer claimcheck is refused rather than misread."""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 1

# Split on ";" by create(): no semicolons inside comments.
TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    text_hash TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    title TEXT,
    published TEXT,
    path TEXT,
    body_start INTEGER NOT NULL,
    text TEXT NOT NULL,
    story TEXT NOT NULL,
    centroid BLOB NOT NULL,
    added TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_story ON articles (story);
CREATE INDEX IF NOT EXISTS articles_published ON articles (published);
-- row is the claim's position in the FAISS index: rows are dense, 0..n-1, in insertion order.
CREATE TABLE IF NOT EXISTS claims (
    row INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    article_id TEXT NOT NULL REFERENCES articles (id),
    record TEXT NOT NULL,
    vector BLOB NOT NULL,
    cluster INTEGER,
    -- "denies" claims are few, and a new report looks them up to pair with them (cluster/anchors.py)
    stance TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS claims_article ON claims (article_id);
CREATE INDEX IF NOT EXISTS claims_stance ON claims (stance);
CREATE INDEX IF NOT EXISTS claims_cluster ON claims (cluster);
CREATE TABLE IF NOT EXISTS relations (
    claim_a TEXT NOT NULL,
    claim_b TEXT NOT NULL,
    kind TEXT NOT NULL,
    score REAL NOT NULL,
    reason TEXT NOT NULL,
    detail_from TEXT,
    PRIMARY KEY (claim_a, claim_b)
);
CREATE INDEX IF NOT EXISTS relations_b ON relations (claim_b);
"""


def create(db: sqlite3.Connection, embedder: str, dim: int, embedder_name: str) -> None:
    """Tables and meta in one transaction (`db` is in autocommit mode)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        for statement in TABLES.split(";"):
            if statement.strip():
                db.execute(statement)
        db.executemany(
            "INSERT OR IGNORE INTO meta VALUES (?, ?)",
            [("schema_version", str(SCHEMA_VERSION)), ("embedder", embedder), ("embedder_name", embedder_name),
             ("dim", str(dim)), ("next_cluster", "1"), ("next_story", "1")],
        )
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def read_meta(db: sqlite3.Connection) -> dict[str, str]:
    return dict(db.execute("SELECT key, value FROM meta"))
