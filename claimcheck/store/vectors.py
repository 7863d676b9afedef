"""The store's FAISS index: a checkpoint of the claim vectors kept in the database.

The database is the record; the index file is a copy of its first `ntotal` vectors,
written atomically (temp file, fsync, rename) only after the rows it holds were
committed. So the file can lag behind the database (a killed add, or a checkpoint
deferred to keep small adds fast) but never run ahead of it. On open the lag is
caught up from the stored vectors, and a file that disagrees with the database is
rebuilt from them."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from claimcheck.store.records import vectors_from_blobs

# Exact search up to this many claims; HNSW beyond. An exact query over 200k claims
# takes ~10 ms on this machine's CPU, and the flat index holds nothing but the vectors,
# so below this size an approximate index buys nothing (bench/bench_store.py).
FLAT_LIMIT = 200_000
HNSW_LINKS = 32
HNSW_BUILD_DEPTH = 80
HNSW_SEARCH_DEPTH = 96
# A checkpoint is written once this share of the vectors is not in the file yet.
CHECKPOINT_LAG = 0.02


@dataclass
class IndexState:
    kind: str
    size: int
    checkpointed: int
    repaired: str | None = None


def index_kind(size: int) -> str:
    return "flat" if size < FLAT_LIMIT else "hnsw"


def new_index(kind: str, dim: int) -> faiss.Index:
    if kind == "flat":
        return faiss.IndexFlatIP(dim)
    index = faiss.IndexHNSWFlat(dim, HNSW_LINKS, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = HNSW_BUILD_DEPTH
    index.hnsw.efSearch = HNSW_SEARCH_DEPTH
    return index


def kind_of(index: faiss.Index) -> str:
    return "hnsw" if isinstance(index, faiss.IndexHNSW) else "flat"


def stored_vectors(db: sqlite3.Connection, dim: int, start: int, stop: int | None = None, chunk: int = 50_000):
    """Stored claim vectors for rows [start, stop), in chunks of at most `chunk` rows."""
    stop = stop if stop is not None else db.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    for first in range(start, stop, chunk):
        last = min(first + chunk, stop)
        blobs = [b for (b,) in db.execute("SELECT vector FROM claims WHERE row >= ? AND row < ? ORDER BY row", (first, last))]
        yield vectors_from_blobs(blobs, dim)


def build(db: sqlite3.Connection, dim: int, size: int) -> faiss.Index:
    index = new_index(index_kind(size), dim)
    for vectors in stored_vectors(db, dim, 0, size):
        index.add(vectors)
    return index


def load(path: Path, db: sqlite3.Connection, dim: int) -> tuple[faiss.Index, IndexState]:
    """The index matching the database's committed claims, repaired if it has to be."""
    size = db.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    repaired = None
    index = None
    if path.exists():
        try:
            index = faiss.read_index(str(path))
        except RuntimeError:
            repaired = "the index file could not be read"
    elif size:
        repaired = "the index file is missing"
    if index is not None:
        problem = _mismatch(index, db, dim, size)
        if problem:
            repaired, index = problem, None
    checkpointed = index.ntotal if index is not None else 0
    if index is None:
        index = build(db, dim, size)
    elif index.ntotal < size:
        if kind_of(index) != index_kind(size):
            index = build(db, dim, size)
        else:
            for vectors in stored_vectors(db, dim, index.ntotal, size):
                index.add(vectors)
    return index, IndexState(kind_of(index), index.ntotal, checkpointed, repaired)


def _mismatch(index: faiss.Index, db: sqlite3.Connection, dim: int, size: int) -> str | None:
    if index.d != dim:
        return f"the index has dimension {index.d}, the store {dim}"
    if index.ntotal > size:
        return f"the index holds {index.ntotal} vectors, the database {size}"
    if index.ntotal:
        # The last checkpointed vector must be the stored one: catches an index from another store.
        last = index.ntotal - 1
        stored = next(stored_vectors(db, dim, last, last + 1))[0]
        if float(index.reconstruct(last) @ stored) < 0.999:
            return "the index does not match the stored vectors"
    return None


def needs_checkpoint(index: faiss.Index, checkpointed: int) -> bool:
    lag = index.ntotal - checkpointed
    return lag > 0 and (checkpointed == 0 or lag >= CHECKPOINT_LAG * index.ntotal)


def write(index: faiss.Index, path: Path) -> None:
    """Replace the index file atomically: readers see the old file or the new, never half."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    faiss.write_index(index, str(temp))
    with open(temp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temp, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def recall_at(index: faiss.Index, db: sqlite3.Connection, dim: int, k: int = 10, samples: int = 100) -> float:
    """Share of the exact k nearest neighbours the index finds, for sampled stored claims."""
    if kind_of(index) == "flat" or index.ntotal == 0:
        return 1.0
    rows = np.random.default_rng(0).choice(index.ntotal, size=min(samples, index.ntotal), replace=False)
    queries = np.stack([index.reconstruct(int(r)) for r in rows])
    best = np.full((len(rows), k), -np.inf, np.float32)
    best_ids = np.full((len(rows), k), -1, np.int64)
    offset = 0
    for vectors in stored_vectors(db, dim, 0, index.ntotal):
        scores = queries @ vectors.T
        ids = np.broadcast_to(np.arange(offset, offset + len(vectors)), scores.shape)
        merged_scores = np.concatenate([best, scores], axis=1)
        merged_ids = np.concatenate([best_ids, ids], axis=1)
        top = np.argsort(-merged_scores, axis=1)[:, :k]
        best = np.take_along_axis(merged_scores, top, axis=1)
        best_ids = np.take_along_axis(merged_ids, top, axis=1)
        offset += len(vectors)
    _, found = index.search(queries, k)
    hits = sum(len(set(a) & set(b)) for a, b in zip(found.tolist(), best_ids.tolist()))
    return hits / (len(rows) * k)
