"""Sentences → claims: clause splitting, attribution, denial and light decontextualisation.

Rules, not a parser. They split at boundaries that rarely join two halves of one fact
(";", ", while", ", where he", ", and praised", participle tails such as ", urging ...",
non-restrictive "X, who ..., did Y"), separate *who said it* from *what was said*
(speaker and proposition), turn "X rejected claims that P" into a claim that denies P,
and put a resolved name where a clause starts with "he" or lost its subject.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from claimcheck.split.dates import find_dates
from claimcheck.split.parse import decompose, load_nlp, one_blas_thread, own_subject, tidy, tokens_with_dep
from claimcheck.split.quantities import find_quantities
from claimcheck.split.sentences import sentence_spans
from claimcheck.types import Article, Claim, Span

_SAY = (
    r"said|says|stated|noted|added|affirmed|reaffirmed|stressed|emphasized|emphasised|reiterated|warned|"
    r"told|announced|argued|claimed|insisted|confirmed|explained|underlined|declared|concluded|stating|saying|"
    r"adding|noting|stressing|emphasizing|emphasising|affirming|insisting"
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
    r"\b(?:(?:reject(?:ed|ing|s)?|den(?:ied|ying|ies|y)|dismiss(?:ed|ing|es)?|refut(?:ed|ing|es)|"
    r"dispute(?:d|s)?|disputing)\s+(?:[\w-]+\s+){0,3}?(?:claims?|reports?|rumou?rs?|allegations?|suggestions?|"
    r"assertions?)\s+(?:suggesting\s+|saying\s+|that\s+|of\s+)?(?:that\s+)?"
    r"|den(?:ied|ying|ies|y)\s+that\s+)(?P<prop>.+)$",
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
# "X not only serves A but also B": once cut from its "but also" half, the first claim
# asserts that X serves A; left in, "not only" would read as a negation to the checks and the model.
_LIMITER = r"(?:only|just|merely|simply)\b"
_NEGATION = re.compile(rf"\b(?:not(?!\s+{_LIMITER})|no|never|neither|nor|none|cannot)\b|n[’']t\b", re.I)
_NOT_ONLY = re.compile(rf"\bnot\s+{_LIMITER}\s+", re.I)
_BUT = re.compile(r"\bbut\b", re.I)
_PRONOUN = re.compile(r"^(?:[Hh]e|[Ss]he)\b")
_NOT_NAMES = {"The", "It", "This", "That", "These", "Those", "Both", "Another", "Regional", "Such", "Of", "In", "On", "A", "An"}


def _settled(proposition: str) -> str:
    """The proposition as stated: stray quotes and full stop off, a cut correlative undone."""
    proposition = proposition.strip(" “”\"").rstrip(".")
    return proposition if _BUT.search(proposition) else _NOT_ONLY.sub("", proposition)


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
    """Claim extractor: a dependency parse cut into atomic units (claimcheck.split.parse)
    plus the rules above for attribution and denial. Without spaCy installed, or with
    parser=False, the clause rules alone split sentences. Swap it for any object with
    `extract(article)`."""

    name = "rules"

    def __init__(self, parser: bool = True):
        self.parser = parser

    def extract(self, article: Article) -> list[Claim]:
        return self.extract_many([article])[0]

    def extract_many(self, articles: Iterable[Article]) -> list[list[Claim]]:
        """The claims of each article, in order: the same as `extract` on each, but every
        sentence of every article goes through one `nlp.pipe`, which batches them."""
        articles = list(articles)
        nlp = load_nlp() if self.parser else None
        if nlp is None:
            return [self._extract_rules(article) for article in articles]
        parsed = [_ParsedArticle(article) for article in articles]
        spans = [article.sentence_spans() for article in parsed]
        texts = (p.article.text[s:e] for p, group in zip(parsed, spans) for s, e in group)
        with one_blas_thread():
            docs = nlp.pipe(texts, batch_size=_BATCH)
            return [p.claims(group, itertools.islice(docs, len(group))) for p, group in zip(parsed, spans)]

    def _extract_rules(self, article: Article) -> list[Claim]:
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
        proposition, speaker = _attribution(source_text)
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
        proposition = _settled(proposition)
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


def _attribution(clause: str) -> tuple[str, str | None]:
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

    The whole text stays one claim; its stance, speaker and numbers are read, and
    "A said that P" becomes P attributed to A, so the model compares what is claimed."""
    closed = text if text.rstrip()[-1:] in ".!?\"”’" else text.rstrip() + "."
    # The regex rules only: the text stays whole, and `judge` need not load the parser.
    parts = ClaimExtractor(parser=False).extract(Article(id=claim_id, text=closed, source=""))
    denial = next((c for c in parts if c.stance == "denies"), None)
    proposition, speaker = (denial.proposition, denial.speaker) if denial else _attribution(text)
    return Claim(
        id=claim_id, article_id=claim_id, text=text, spans=((0, len(text)),), sentence=0,
        proposition=proposition,
        stance="denies" if denial else "asserts",
        speaker=speaker,
        negated=bool(_NEGATION.search(proposition)),
        quantities=find_quantities(text),
        dates=find_dates(text),
    )


# Group phrases that stand for the last pair of people (or places) the article named.
_GROUPS = re.compile(r"^(?:the two|both)\s+(?P<what>sides|ministers|officials|leaders|men|countries|nations|states|governments)\b", re.I)
_PLACE_GROUPS = {"countries", "nations", "states", "governments"}
_RESOLVED_PRONOUNS = {"he", "she", "they", "it"}
# Sentences per batch through the spaCy pipeline: larger batches gave no further speed.
_BATCH = 256
_BOILERPLATE = re.compile(r"^(?:click here|read more|sign up|subscribe|follow us|share this|advertisement|related:)", re.I)


class _ParsedArticle:
    """One article's claims from parsed sentences, with what earlier sentences named."""

    def __init__(self, article: Article):
        self.article = article
        self.person: str | None = None  # last named person who was a subject ("he", "she")
        self.thing: str | None = None  # last named organisation or place that was a subject ("it")
        self.people: str | None = None  # last pair of people ("they", "both sides")
        self.places: str | None = None  # last pair of places ("the two countries")
        self.plural: str | None = None  # the last of the two pairs named

    def sentence_spans(self) -> list[Span]:
        """The sentences to parse: boilerplate and a repeated headline left out, datelines cut."""
        text = self.article.text
        return [(s + self._lead(text[s:e]), e) for s, e in sentence_spans(text, self.article.body_start)
                if not self._not_a_claim(text[s:e])]

    def claims(self, spans: list[Span], docs: Iterable) -> list[Claim]:
        """Claims from the parses (docs) of the sentences at spans, in order."""
        claims: list[Claim] = []
        for index, ((start, _), doc) in enumerate(zip(spans, docs)):
            skip = 0
            self._remember(doc, pairs=False)  # "Aref met X, where he praised Y": he is this sentence's Aref
            found = [self._claim(0, index, start, doc, unit, skip) for unit in decompose(doc)]
            for claim in sorted((c for c in found if c), key=lambda c: c.spans[0][0]):
                claims.append(replace(claim, id=f"{self.article.id}:c{len(claims) + 1:03d}"))
            self._remember(doc)
        return claims

    def _not_a_claim(self, sentence: str) -> bool:
        """Boilerplate, and a headline repeated as the body's first line."""
        title = (self.article.title or "").strip().rstrip(".")
        return bool(_BOILERPLATE.match(sentence)) or (bool(title) and sentence.strip().rstrip(".") == title)

    def _lead(self, sentence: str) -> int:
        """Characters of a "Source Name:" or "CITY –" dateline to leave out of the claims."""
        source = self.article.source
        if source and sentence.startswith(source + ":"):
            return len(source) + 1
        match = re.match(r"^[A-Z]{3,}(?:\s+[A-Z]{3,})*\s+[–-]\s+", sentence)
        return match.end() if match else 0

    def _claim(self, number: int, sentence_index: int, offset: int, doc, unit, skip: int) -> Claim | None:
        text = self.article.text
        shown: list[str] = []
        plain: list[str] = []
        runs: list[tuple[int, int]] = []
        tokens: list[int] = []
        first = True
        for kind, value in unit.pieces:
            if kind == "ins":
                shown.append(f"[{value}]")
                plain.append(str(value))
                continue
            kept = [i for i in tidy(doc, value, unit.bridged) if doc[i].idx >= skip]
            if not kept:
                continue
            tokens += kept
            for run in _runs(kept):
                start, end = doc[run[0]].idx, doc[run[-1]].idx + len(doc[run[-1]])
                piece = text[offset + start : offset + end]  # doc.text would rebuild the sentence from its tokens
                if first:
                    piece, clean = self._resolve_start(doc, run, piece)
                else:
                    clean = piece
                first = False
                runs.append((offset + start, offset + end))
                shown.append(piece)
                plain.append(clean)
        words = [doc[i] for i in tokens if not doc[i].is_punct]
        if len(words) < 2 or not any(t.pos_ in ("VERB", "AUX") for t in words) and unit.kind not in ("apposition", "title"):
            return None
        shown_text, plain_text = " ".join(shown), " ".join(plain)
        source_text = " ".join(text[s:e] for s, e in _merge(runs))
        if len(plain_text) < 8:
            return None
        dates = find_dates(source_text, self.article.published)
        shown_text = _with_dates(shown_text, dates)
        proposition, speaker = _attribution(plain_text)
        stance = "asserts"
        denial = _DENIAL.search(proposition)
        if denial:
            stance, proposition = "denies", denial.group("prop").strip(" .,")
            if not speaker:
                subject = next((t for t in doc if t.dep_ == "nsubj" and t.head.dep_ == "ROOT"), None)
                speaker = self._name_of(subject) if subject is not None else None
        if speaker and speaker.lower() in _RESOLVED_PRONOUNS:
            speaker = self.person if speaker.lower() in ("he", "she") else speaker
        proposition = _settled(proposition)
        unit_tokens = set(tokens)
        entities = tuple((e.text, e.label_) for e in doc.ents if unit_tokens.intersection(range(e.start, e.end))
                         and e.label_ not in ("CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"))
        return Claim(
            id=f"{self.article.id}:c{number + 1:03d}",
            article_id=self.article.id,
            text=shown_text,
            spans=tuple(_merge(runs)),
            sentence=sentence_index,
            proposition=proposition or plain_text,
            stance=stance,
            speaker=speaker,
            negated=bool(_NEGATION.search(proposition)),
            quantities=find_quantities(source_text),
            dates=dates,
            entities=entities,
        )

    def _resolve_start(self, doc, run: list[int], piece: str) -> tuple[str, str]:
        """Put the name in for a leading "he"/"they"/"it" or "the two sides": (shown, plain)."""
        head = doc[run[0]]
        word = head.lower_
        name = None
        if head.pos_ == "PRON" and word in _RESOLVED_PRONOUNS:
            name = {"he": self.person, "she": self.person, "it": self.thing, "they": self.plural}[word]
            if word in ("he", "she"):  # a person named earlier in the same sentence comes first
                earlier = [t for t in doc[: head.i] if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ == "PROPN"]
                name = (self._name_of(earlier[-1]) if earlier else None) or name
            cut = len(head.text)
        else:
            group = _GROUPS.match(piece)
            if group:
                name = self.places if group.group("what").lower() in _PLACE_GROUPS else (self.people or self.places)
                cut = group.end()
        if not name:
            return piece, piece
        return f"[{name}]{piece[cut:]}", f"{name}{piece[cut:]}"

    def _name_of(self, token) -> str | None:
        """The short name a subject token stands for: a person's surname, an organisation's full name."""
        if token is None:
            return None
        for ent in token.doc.ents:
            if ent.start <= token.i < ent.end:
                return ent[-1].text if ent.label_ == "PERSON" else ent.text
        if token.pos_ == "PROPN":
            return token.text
        return None

    def _remember(self, doc, pairs: bool = True) -> None:
        """Update who "he", "it", "they" and "both sides" can refer to after this sentence."""
        roots = tokens_with_dep(doc, "ROOT")
        subject = own_subject(roots[0]) if roots else None
        named = next((c for c in subject.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"), None) if subject is not None else None
        subject = named if named is not None else subject  # "The envoy, Aref, met ...": Aref
        if subject is not None and subject.pos_ != "PRON":
            label = next((e.label_ for e in doc.ents if e.start <= subject.i < e.end), "")
            name = self._name_of(subject)
            pair = [c for c in subject.children if c.dep_ == "conj"]
            if name and pair:
                other = self._name_of(pair[0])
                if other:
                    together = f"{name} and {other}"
                    if label in ("GPE", "LOC", "NORP"):
                        self.places = together
                    else:
                        self.people = together
                    self.plural = together
            elif name and (label == "PERSON" or subject.pos_ == "PROPN" and (not label or _acts_like_a_person(roots[0]))):
                self.person = name
                if label == "ORG":  # "The Kremlin said ...": could be either; keep it for "it" too
                    self.thing = name
            elif name and label in ("ORG", "GPE"):
                self.thing = name
        # Pairs named anywhere ("between Araghchi and Lavrov", "Iran and Russia") count too.
        for token in tokens_with_dep(doc, "conj") if pairs else ():
            if token.head.ent_type_ and token.ent_type_ == token.head.ent_type_:
                a, b = self._name_of(token.head), self._name_of(token)
                if a and b and a != b:
                    if token.ent_type_ == "PERSON":
                        self.people = f"{a} and {b}"
                    elif token.ent_type_ in ("GPE", "NORP"):
                        self.places = f"{a} and {b}"


def _acts_like_a_person(verb) -> bool:
    """The small model often tags a foreign surname as ORG; one that says or stresses things is a person."""
    return bool(re.match(rf"(?:{_SAY}|{_STANCE_VERBS}|met|arrived|visited|traveled|travelled)$", verb.text, re.I))


def _runs(indices: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for i in indices:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping spans (an apposition names its parts out of text order)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def _with_dates(shown: str, dates) -> str:
    """"on Monday" → "on Monday [2025-11-17]" when the publication date resolves it."""
    for mention in dates:
        if mention.day and mention.text != mention.day.isoformat() and mention.text in shown:
            at = shown.index(mention.text) + len(mention.text)
            shown = f"{shown[:at]} [{mention.day.isoformat()}]{shown[at:]}"
    return shown
