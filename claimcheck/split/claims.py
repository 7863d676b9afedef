"""Sentences → claims: clause splitting, attribution, denial and light decontextualisation.

Rules, not a parser: they split at clause boundaries that rarely join two halves of one
fact (";", ", while", ", adding that", participle tails such as ", urging ..."), keep the
speaker of reported speech, and turn "X rejected claims that P" into a claim that *denies*
P so that the relation stage can set it against reports that P.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimcheck.split.quantities import find_quantities
from claimcheck.split.sentences import sentence_spans
from claimcheck.types import Article, Claim, Span

_SAY = (
    r"said|says|stated|noted|added|affirmed|reaffirmed|stressed|emphasized|emphasised|reiterated|warned|"
    r"told|announced|argued|claimed|insisted|confirmed|explained|highlighted|underlined|declared"
)
# Boundaries after which the clause has its own subject ...
_OWN_SUBJECT = r";\s+|,\s+while\s+(?!\w+ing\b)|,\s+after\s+"
# ... and participle tails that share the sentence's subject ("..., urging the IAEA to ...").
_SHARED_SUBJECT = (
    r"\s+while\s+(?=\w+ing\b)|,\s+(?:adding|saying|noting|stressing|emphasizing|emphasising|urging|calling|"
    r"warning|describing)\b(?:\s+that)?[\s,]*"
)
_BOUNDARIES = re.compile(rf"(?P<own>{_OWN_SUBJECT})|(?P<shared>{_SHARED_SUBJECT})")
_DENIAL = re.compile(
    r"\b(?:reject(?:ed|ing|s)?|den(?:ied|ying|ies|y)|dismiss(?:ed|ing|es)?|refut(?:ed|ing|es)|"
    r"dispute(?:d|s)?|disputing)\s+(?:[\w-]+\s+){0,3}?(?:claims?|reports?|rumou?rs?|allegations?|suggestions?|"
    r"assertions?)\s+(?:suggesting\s+|saying\s+|that\s+|of\s+)?(?:that\s+)?(?P<prop>.+)$",
    re.I,
)
_LEADING_SOURCE = re.compile(r"^(?:According to|As reported by)\s+(?P<who>[^,]{2,80}),\s+(?P<rest>.+)$")
_TRAILING_SOURCE = re.compile(
    rf"^(?P<rest>.+?),\s+(?:(?P<who>[A-Z][^,]{{1,80}}?)\s+(?:{_SAY})(?:\s+(?:on|in)\s+[^,]+)?|according to\s+(?P<who2>[^,]{{2,80}}))[.]?$"
)
_LEADING_SPEAKER = re.compile(rf"^(?P<who>(?:[A-Z][\w’'-]*\s*){{1,6}}?)\s+(?:also\s+)?(?:{_SAY})\s+(?:that\s+)?(?P<rest>.+)$")
_NEGATION = re.compile(r"\b(?:not|no|never|neither|nor|none|cannot)\b|n[’']t\b", re.I)
_PRONOUN_START = re.compile(r"^(?:He|She)\b")
_NAME = re.compile(r"^((?:(?:[A-Z][\w’'.-]*|of|the|for)\s+){0,5}[A-Z][\w’'.-]*)")


_INTRO = re.compile(
    r"^(?:(?:In|On|During|For|Since|Although|After|Before|Last|Later|Earlier|Currently|However|Furthermore|"
    r"Additionally|Similarly|Meanwhile|Moreover|Also|Separately|Still)\b[^,]{0,80},\s+|[A-Z]{3,}\s+[–-]\s+)"
)
_NOT_NAMES = {"The", "It", "This", "That", "These", "Those", "Both", "Another", "Regional", "Such"}


@dataclass
class _Clause:
    start: int
    end: int
    shares_subject: bool = False


def _clauses(text: str, start: int, end: int) -> list[_Clause]:
    """Split text[start:end] at clause boundaries; each part keeps its own span."""
    sentence = text[start:end]
    parts: list[_Clause] = []
    cursor = 0
    shares = False
    for match in _BOUNDARIES.finditer(sentence):
        if match.start() - cursor >= 12:
            parts.append(_Clause(start + cursor, start + match.start(), shares))
            cursor = match.end()
            shares = match.group("shared") is not None
    parts.append(_Clause(start + cursor, end, shares))
    return parts


def _strip_final(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " ,;:":
        start += 1
    while end > start and text[end - 1] in " .,;:":
        end -= 1
    return start, end


def _subject(sentence: str) -> str | None:
    """The named grammatical subject, past any introductory phrase ("On Monday, ...")."""
    intro = _INTRO.match(sentence)
    match = _NAME.match(sentence[intro.end() :] if intro else sentence)
    if not match:
        return None
    name = match.group(1).strip()
    return None if name.split()[0] in _NOT_NAMES else name


class ClaimExtractor:
    """Rule-based claim extractor; swappable through the `split` registry."""

    name = "rules"

    def extract(self, article: Article) -> list[Claim]:
        claims: list[Claim] = []
        last_subject: str | None = None
        text = article.text
        for index, (s_start, s_end) in enumerate(sentence_spans(text, article.body_start)):
            sentence = text[s_start:s_end]
            subject = _subject(sentence)
            if _PRONOUN_START.match(sentence) and last_subject:
                subject = last_subject
            elif subject and not subject.startswith(("Both", "The ")):
                last_subject = subject.split()[-1] if len(subject.split()) > 1 else subject
            speaker = self._speaker(sentence)
            for clause in _clauses(text, s_start, s_end):
                c_start, c_end = _strip_final(text, clause.start, clause.end)
                if c_end - c_start < 8:
                    continue
                carried = subject if clause.shares_subject else None
                claims.append(self._claim(article, len(claims), index, text, c_start, c_end, carried, speaker))
        return claims

    def _speaker(self, sentence: str) -> str | None:
        for pattern in (_LEADING_SOURCE, _TRAILING_SOURCE, _LEADING_SPEAKER):
            match = pattern.match(sentence)
            if match:
                who = match.groupdict().get("who") or match.groupdict().get("who2")
                if who and len(who.split()) <= 8:
                    return who.strip()
        return None

    def _claim(self, article, number, sentence_index, text, start, end, subject, speaker) -> Claim:
        clause = text[start:end]
        spans: tuple[Span, ...] = ((start, end),)
        stance = "asserts"
        proposition = clause
        denial = _DENIAL.search(clause)
        if denial:
            stance = "denies"
            proposition = denial.group("prop").strip(" .,")
        elif subject:
            # A participle tail cut from its sentence loses its subject; carry it over,
            # bracketed as an editor marks inserted words.
            proposition = f"{subject} {clause}"
        text_out = f"[{subject}] {clause}" if subject else clause
        return Claim(
            id=f"{article.id}:c{number + 1:03d}",
            article_id=article.id,
            text=text_out,
            spans=spans,
            sentence=sentence_index,
            proposition=proposition,
            stance=stance,
            speaker=speaker or (subject if stance == "denies" else None),
            negated=bool(_NEGATION.search(proposition)),
            quantities=find_quantities(clause),
        )


def claim_from_text(text: str, claim_id: str = "x") -> Claim:
    """Analyse a free-standing statement (for `claimcheck judge`) like an article claim."""
    article = Article(id=claim_id, text=text if text.rstrip()[-1:] in ".!?\"”’" else text.rstrip() + ".", source="")
    claims = ClaimExtractor().extract(article)
    denial = next((c for c in claims if c.stance == "denies"), None)
    base = Claim(
        id=claim_id, article_id=claim_id, text=text, spans=((0, len(text)),), sentence=0, proposition=text,
        negated=bool(_NEGATION.search(text)), quantities=find_quantities(text),
    )
    if denial is None:
        return base
    return Claim(**{**base.__dict__, "proposition": denial.proposition, "stance": "denies", "speaker": denial.speaker})
