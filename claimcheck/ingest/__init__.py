"""ingest: paths → Articles."""

from claimcheck.ingest.readers import read_articles

__all__ = ["read_articles"]
