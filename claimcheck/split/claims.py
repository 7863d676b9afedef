"""Sentences → claims: clause splitting, attribution, denial and light decontextualisation.

Rules, not a parser. They split at boundaries that rarely join two halves of one fact
(";", ", while", ", where he", ", and praised", participle tails such as ", urging ...",
non-restrictive "X, who ..., did Y"), separate *who said it* from *what was said*
(speaker and proposition), turn "X rejected claims that P" into a claim that denies P,
and put a resolved name where a clause starts with "he" or lost its subject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimcheck.split.dates import find_dates
from claimcheck.split.quantities import find_quantities
from claimcheck.split.sentences import sentence_spans
from claimcheck.types import Article, Claim, Span

_SAY = (
    r"said|says|stated|noted|added|affirmed|reaffirmed|stressed|emphasized|emphasised|reiterated|warned|"
    r"told|announced|argued|claimed|insisted|confirmed|explained|underlined|declared|concluded|stating|saying"
)
_STANCE_VERBS = (
    r"praised|expressed|emphasized|emphasised|stressed|called|signaled|signalled|criticized|criticised|highlighted|"
    r"welcomed|condemned|urged|pointed|addressed|described|reiterated|reaffirmed|noted|warned|accused"
)
# Boundaries after which the clause has its own subject ...
_OWN_SUBJECT = r";\s+|,\s+while\s+(?!\w+ing\b)|,\s+after\s+|,\s+where\s+(?=(?:he|she|they)\b)"
# ... and boundaries whose next clause shares the sentence's subject.
_SHARED_SUBJECT = (
    r"\s+while\s+(?=\w+ing\b)|,\s+(?:adding|saying|stating|noting|stressing|emphasizing|emphasising|urging|"
    r"calling|warning|describing)\b(?:\s+that)?[\s,]*|,?\s+and\s+(?:also\s+|specifically\s+|then\s+)?(?=(?:"
    + _STANCE_VERBS
    + r")\b)|,\s+(?=(?:" + _STANCE_VERBS + r")\s)"
)
_BOUNDARIES = re.compile(rf"(?P<own>{_OWN_SUBJECT})|(?P<shared>{_SHARED_SUBJECT})")
_DENIAL = re.compile(
    r"\b(?:reject(?:ed|ing|s)?|den(?:ied|ying|ies|y)|dismiss(?:ed|ing|es)?|refut(?:ed|ing|es)|"
    r"dispute(?:d|s)?|disputing)\s+(?:[\w-]+\s+){0,3}?(?:claims?|reports?|rumou?rs?|allegations?|suggestions?|"
    r"assertions?)\s+(?:suggesting\s+|saying\s+|that\s+|of\s+)?(?:that\s+)?(?P<prop>.+)$",
    re.I,
)
_NAME_WORD = r"(?:[A-Z][\w’'.-]*|of|the|for|al|bin)"
_NAME = re.compile(rf"^((?:{_NAME_WORD}\s+){{0,5}}[A-Z][\w’'.-]*)")
_SPEAKER = rf"(?P<who>(?:[Hh]e|[Ss]he|[Tt]hey|(?:{_NAME_WORD}\s+){{0,6}}[A-Z][\w’'.-]*))"
_ATTRIBUTIONS = [
    re.compile(rf"^(?:According to|As reported by)\s+(?P<who>[^,]{{2,80}}),\s+(?P<prop>.+)$"),
    re.compile(rf"^(?P<prop>.+?),\s+according to\s+(?P<who>[^,]{{2,80}})$"),
    re.compile(rf"^(?P<prop>.+?),\s+{_SPEAKER}\s+(?:{_SAY})(?:\s+(?:on|in)\s+[^,]+)?$"),
    re.compile(rf"^(?P<prop>[“\"].+[”\"]),?\s+{_SPEAKER}\s+(?:{_SAY})\b.*$"),
    re.compile(rf"^(?:[^“\"]*?,\s+)?{_SPEAKER}\s+(?:also\s+)?(?:{_SAY})(?:\s+that)?,?\s+(?P<prop>.+)$"),
]
_RELATIVE = re.compile(rf"^(?P<name>(?:{_NAME_WORD}\s+){{0,5}}[A-Z][\w’'.-]*),\s+who\s+(?P<rel>[^,]+?),\s+(?P<rest>[a-z].+)$")
_INTRO = re.compile(
    r"^(?:(?:In|On|During|For|Since|Although|After|Before|Last|Later|Earlier|Currently|However|Furthermore|"
    r"Additionally|Similarly|Meanwhile|Moreover|Also|Separately|Still|Pointing|Referring)\b[^,]{0,160},\s+|[A-Z]{3,}\s+[–-]\s+)"
)
_NEGATION = re.compile(r"\b(?:not|no|never|neither|nor|none|cannot)\b|n[’']t\b", re.I)
_PRONOUN = re.compile(r"^(?:[Hh]e|[Ss]he)\b")
_NOT_NAMES = {"The", "It", "This", "That", "These", "Those", "Both", "Another", "Regional", "Such", "Of", "In", "On", "A", "An"}


@dataclass
class _Clause:
    spans: list[Span]
    subject: str | None  # a subject to insert when the clause has lost its own


def _trim(text: str, start: int, end: int) -> Span:
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
    first = name.split()[0]
    return None if first in _NOT_NAMES or first.endswith("ing") else name


def leading_name(text: str) -> str | None:
    """The name a statement starts with, if it starts with one ("Lavrov said ...")."""
    match = _NAME.match(text)
    if not match or match.group(1).split()[0] in _NOT_NAMES or _INTRO.match(text):
        return None
    return match.group(1).strip()


def _short(name: str) -> str:
    """'Russian Prime Minister Mikhail Mishustin' → 'Mishustin', as articles refer back."""
    return name.split()[-1]


class ClaimExtractor:
    """Rule-based claim extractor; swap it for another object with `extract(article)`."""

    name = "rules"

    def extract(self, article: Article) -> list[Claim]:
        claims: list[Claim] = []
        last_name: str | None = None
        text = article.text
        for index, (s_start, s_end) in enumerate(sentence_spans(text, article.body_start)):
            sentence = text[s_start:s_end]
            subject = _subject(sentence)
            if _PRONOUN.match(sentence[_INTRO.match(sentence).end() :] if _INTRO.match(sentence) else sentence):
                subject = last_name
            elif subject:
                last_name = _short(subject)
            for clause in self._clauses(text, s_start, s_end, subject):
                claim = self._claim(article, len(claims), index, text, clause, last_name)
                if claim:
                    claims.append(claim)
        return claims

    def _clauses(self, text: str, start: int, end: int, subject: str | None) -> list[_Clause]:
        s, e = _trim(text, start, end)
        relative = _RELATIVE.match(text[s:e])
        if relative:
            # "Aref, who traveled to Moscow, met Mishustin" holds two facts about Aref.
            name = (s + relative.start("name"), s + relative.end("name"))
            rel = (s + relative.start("rel"), s + relative.end("rel"))
            parts = [_Clause([name, rel], None)]
            parts += [_Clause([name] + c.spans, None) if i == 0 else c
                      for i, c in enumerate(self._split(text, s + relative.start("rest"), e, subject))]
            return parts
        return self._split(text, s, e, subject)

    def _split(self, text: str, start: int, end: int, subject: str | None) -> list[_Clause]:
        sentence = text[start:end]
        parts: list[_Clause] = []
        cursor, carried = 0, None
        for match in _BOUNDARIES.finditer(sentence):
            if match.start() - cursor >= 12 and end - (start + match.end()) >= 12:
                parts.append(_Clause([_trim(text, start + cursor, start + match.start())], carried))
                cursor = match.end()
                carried = _short(subject) if match.group("shared") and subject else None
        parts.append(_Clause([_trim(text, start + cursor, end)], carried))
        return parts

    def _claim(self, article: Article, number: int, sentence: int, text: str, clause: _Clause, last_name: str | None) -> Claim | None:
        spans = tuple((s, e) for s, e in clause.spans if e > s)
        source_text = " ".join(text[s:e] for s, e in spans)
        if len(source_text) < 8:
            return None
        shown = f"[{clause.subject}] {source_text}" if clause.subject else source_text
        pronoun = _PRONOUN.match(shown)
        if pronoun and last_name:
            # Shown text stands alone too; the bracket marks the word we put in.
            shown = f"[{last_name}]{shown[pronoun.end():]}"
        proposition, speaker = self._attribution(source_text)
        if clause.subject and source_text.startswith(("“", '"')):
            # "..., adding, “Q”": the carried subject is the speaker of the quote.
            speaker, clause = clause.subject, _Clause(clause.spans, None)
        if speaker and _PRONOUN.match(speaker):
            speaker = last_name
        stance = "asserts"
        denial = _DENIAL.search(proposition)
        if denial:
            stance, proposition = "denies", denial.group("prop").strip(" .,")
            speaker = speaker or clause.subject or (_subject(source_text) and _short(_subject(source_text)))
        elif clause.subject:
            proposition = f"{clause.subject} {proposition}"
        if _PRONOUN.match(proposition) and last_name:
            proposition = _PRONOUN.sub(last_name, proposition, count=1)
        proposition = proposition.strip(" “”\"").rstrip(".")
        return Claim(
            id=f"{article.id}:c{number + 1:03d}",
            article_id=article.id,
            text=shown,
            spans=spans,
            sentence=sentence,
            proposition=proposition or source_text,
            stance=stance,
            speaker=speaker,
            negated=bool(_NEGATION.search(proposition)),
            quantities=find_quantities(source_text),
            dates=find_dates(source_text, article.published),
        )

    def _attribution(self, clause: str) -> tuple[str, str | None]:
        """(what was said, who said it) for reported speech; (clause, None) otherwise."""
        for pattern in _ATTRIBUTIONS:
            match = pattern.match(clause)
            if match and len(match.group("prop")) >= 12:
                who = match.groupdict().get("who")
                if who and len(who.split()) <= 8 and who.split()[0] not in _NOT_NAMES:
                    return match.group("prop").strip(), who.strip()
        return clause, None


def claim_from_text(text: str, claim_id: str = "x") -> Claim:
    """Analyse a free-standing statement (for `claimcheck judge`) like an article claim.

    The whole text stays one claim; only its stance, speaker and numbers are read."""
    closed = text if text.rstrip()[-1:] in ".!?\"”’" else text.rstrip() + "."
    parts = ClaimExtractor().extract(Article(id=claim_id, text=closed, source=""))
    denial = next((c for c in parts if c.stance == "denies"), None)
    return Claim(
        id=claim_id, article_id=claim_id, text=text, spans=((0, len(text)),), sentence=0,
        proposition=denial.proposition if denial else text,
        stance="denies" if denial else "asserts",
        speaker=denial.speaker if denial else None,
        negated=bool(_NEGATION.search(denial.proposition if denial else text)),
        quantities=find_quantities(text),
        dates=find_dates(text),
    )
