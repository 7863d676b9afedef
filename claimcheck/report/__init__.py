"""report: the Comparison result and its writers (terminal, Markdown, HTML, JSON)."""

from claimcheck.report.comparison import FORMATS, SCHEMA_VERSION, Comparison

__all__ = ["FORMATS", "SCHEMA_VERSION", "Comparison"]
