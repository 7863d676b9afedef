"""Claims and articles to and from their stored form (JSON records, float32 blobs)."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import numpy as np

from claimcheck.types import Article, Claim, DateMention, Quantity


_CLAIM_FIELDS = tuple(f.name for f in dataclasses.fields(Claim))


def claim_record(claim: Claim) -> str:
    # dataclasses.asdict deep-copies every field, which made writing claims a tenth of a
    # large add's commit; only quantities and dates hold dataclasses.
    fields = {name: getattr(claim, name) for name in _CLAIM_FIELDS}
    fields["quantities"] = [vars(q) for q in claim.quantities]
    fields["dates"] = [vars(d) for d in claim.dates]
    return json.dumps(fields, default=_iso, ensure_ascii=False, sort_keys=True)


def claim_from_record(record: str) -> Claim:
    fields = json.loads(record)
    known = {f.name for f in dataclasses.fields(Claim)}
    fields = {k: v for k, v in fields.items() if k in known}  # records from an older field set still load
    fields["spans"] = tuple(tuple(s) for s in fields["spans"])
    fields["quantities"] = tuple(Quantity(**q) for q in fields.get("quantities", ()))
    fields["dates"] = tuple(
        DateMention(d["text"], date.fromisoformat(d["day"]) if d["day"] else None, d["weekday"])
        for d in fields.get("dates", ())
    )
    for name, value in fields.items():
        if isinstance(value, list):
            fields[name] = tuple(tuple(v) if isinstance(v, list) else v for v in value)
    return Claim(**fields)


def article_row(article: Article, text_hash: str, story: str, centroid: np.ndarray, added: str) -> tuple:
    return (article.id, text_hash, article.source, article.title,
            article.published.isoformat() if article.published else None, article.path, article.body_start,
            article.text, story, blob(centroid), added)


ARTICLE_COLUMNS = "id, source, title, published, path, body_start, text"


def article_from_row(row: tuple) -> Article:
    id_, source, title, published, path, body_start, text = row
    return Article(id=id_, text=text, source=source, title=title,
                   published=date.fromisoformat(published) if published else None, path=path, body_start=body_start)


def article_record(article: Article) -> dict:
    """An article as plain JSON values, to hand to another process."""
    return {"id": article.id, "text": article.text, "source": article.source, "title": article.title,
            "published": article.published.isoformat() if article.published else None, "path": article.path,
            "body_start": article.body_start}


def article_from_record(record: dict) -> Article:
    record = dict(record)
    published = record.pop("published")
    return Article(**record, published=date.fromisoformat(published) if published else None)


def blob(vector: np.ndarray) -> bytes:
    return np.ascontiguousarray(vector, dtype=np.float32).tobytes()


def vectors_from_blobs(blobs: list[bytes], dim: int) -> np.ndarray:
    if not blobs:
        return np.zeros((0, dim), np.float32)
    return np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(blobs), dim)


def _iso(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__}")
