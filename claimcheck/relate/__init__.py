"""relate: judge claim pairs as agree / adds_detail / contradict, with reasons."""

from __future__ import annotations

from claimcheck.errors import ClaimcheckError, Code
from claimcheck.relate.base import RelationJudge
from claimcheck.relate.nli import DEFAULT_MODEL, EmbeddingHeadJudge, NLIJudge, ResearchNLIJudge
from claimcheck.relate.similarity import SimilarityJudge
from claimcheck.relate.stage import judge_claims, relate

JUDGES = {"similarity": SimilarityJudge, "nli": NLIJudge, "nli-research": ResearchNLIJudge, "embedding-head": EmbeddingHeadJudge}


def get_judge(name: str = "auto") -> RelationJudge:
    """"auto" is the trained model when its file is present, else the similarity judge."""
    if name == "auto":
        name = "nli" if DEFAULT_MODEL.exists() else "similarity"
    if name not in JUDGES:
        raise ClaimcheckError(Code.UNKNOWN_NAME, f"unknown judge {name!r}; choose from {', '.join(['auto', *JUDGES])}")
    return JUDGES[name]()


__all__ = ["JUDGES", "EmbeddingHeadJudge", "NLIJudge", "ResearchNLIJudge", "RelationJudge", "SimilarityJudge", "get_judge", "judge_claims", "relate"]
