"""split: Article → sentences → Claims with character spans."""

from claimcheck.split.claims import ClaimExtractor, claim_from_text, leading_name
from claimcheck.split.sentences import sentence_spans

__all__ = ["ClaimExtractor", "claim_from_text", "leading_name", "sentence_spans"]
