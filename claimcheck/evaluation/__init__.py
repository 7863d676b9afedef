"""evaluation: measure the relation judge on labelled dev sets."""

from claimcheck.evaluation.run import as_nli, evaluate, table

__all__ = ["as_nli", "evaluate", "table"]
