"""claimcheck: compare news articles claim by claim."""

from claimcheck.config import Config
from claimcheck.errors import ClaimcheckError
from claimcheck.pipeline import compare
from claimcheck.report import Comparison
from claimcheck.store import Store
from claimcheck.types import Article, Claim, ClaimCluster, Judgement, Relation

__version__ = "0.1.0"

__all__ = ["Article", "Claim", "ClaimCluster", "ClaimcheckError", "Comparison", "Config", "Judgement", "Relation", "Store", "compare"]
