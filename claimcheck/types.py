"""The typed contract between pipeline stages: Article → Claim → ClaimCluster → Relation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

RelationKind = Literal["agree", "adds_detail", "contradict"]
Verdict = Literal["agree", "adds_detail", "contradict", "neutral"]
Stance = Literal["asserts", "denies"]

Span = tuple[int, int]


@dataclass(frozen=True)
class Article:
    """One input document. `text` is what character spans index into."""

    id: str
    text: str
    source: str
    title: str | None = None
    published: date | None = None
    path: str | None = None
    # Offset where the body starts, past metadata headers such as "date 2025-11-18".
    body_start: int = 0


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str | None
    text: str
    approximate: bool = False


@dataclass(frozen=True)
class DateMention:
    text: str
    day: date | None  # the calendar day, when the text and the publication date allow
    weekday: int | None  # 0 = Monday, when only a weekday is named


@dataclass(frozen=True)
class Claim:
    """One checkable statement taken from an article.

    `text` is the statement as reported (it may keep its attribution, "Lavrov said ...").
    `proposition` is the fact it is about, which is what gets embedded and compared;
    `stance` says whether the article asserts it or reports it being denied.
    """

    id: str
    article_id: str
    text: str
    spans: tuple[Span, ...]
    sentence: int
    proposition: str
    stance: Stance = "asserts"
    speaker: str | None = None
    negated: bool = False
    quantities: tuple[Quantity, ...] = ()
    dates: tuple[DateMention, ...] = ()
    # Named entities as (text, spaCy label), e.g. ("Mikhail Mishustin", "PERSON"); empty without the parser.
    entities: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ClaimCluster:
    id: str
    story_id: str
    claim_ids: tuple[str, ...]


@dataclass(frozen=True)
class Judgement:
    """A relation judge's verdict on an ordered pair (a, b)."""

    verdict: Verdict
    score: float
    reason: str
    detail_from: Literal["a", "b"] | None = None


@dataclass(frozen=True)
class Relation:
    claim_a: str
    claim_b: str
    kind: RelationKind
    score: float
    reason: str
    detail_from: str | None = None


@dataclass
class Diagnostics:
    """Problems with the input that did not stop the run."""

    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        self.warnings.append(message)
