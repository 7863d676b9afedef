"""Lexical anchors: pairs that embeddings miss but that plainly concern one event.

A denial ("rejected claims that the snapback mechanism has been activated") and a report
("European powers triggered a mechanism to reimpose UN sanctions") name the same thing
with the same kind of event, in words a small embedder does not see as close. We pair a
denied proposition with claims that share its head noun and an event verb of the same
class, so the relation stage can judge them."""

from __future__ import annotations

import re

from claimcheck.types import Claim

# Verbs news text uses interchangeably for one kind of event.
EVENT_CLASSES: dict[str, frozenset[str]] = {
    "start": frozenset({"activate", "trigger", "invoke", "launch", "initiate", "start", "begin", "reimpose", "impose"}),
    "stop": frozenset({"suspend", "halt", "stop", "end", "cancel", "terminate", "withdraw", "lift"}),
    "sign": frozenset({"sign", "conclude", "ink", "finalize", "finalise", "seal"}),
    "reduce": frozenset({"reduce", "cut", "lower", "decrease", "scale", "shrink", "withdraw"}),
    "increase": frozenset({"increase", "raise", "expand", "boost", "grow"}),
    "use": frozenset({"use", "utilize", "employ", "exploit"}),
    "supply": frozenset({"supply", "provide", "deliver", "ship", "send", "transfer", "transport"}),
    "leave": frozenset({"leave", "exit", "abandon", "withdraw", "quit", "depart"}),
}
_WORD = re.compile(r"[A-Za-z]+")
_AUX = {"has", "have", "had", "was", "were", "is", "are", "be", "been", "being", "will", "would", "to"}


def _stem(word: str) -> str:
    word = word.lower()
    for suffix, replacement in (("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + replacement
    return word


def _classes(words: list[str]) -> set[str]:
    stems = {_stem(w) for w in words}
    stems |= {s + "e" for s in stems}  # "activat" + e, "trigger" stays
    return {name for name, verbs in EVENT_CLASSES.items() if stems & verbs}


def head_noun(proposition: str) -> str | None:
    """The common noun right before the first auxiliary or event verb: the thing the
    event happens to ("the snapback *mechanism* has been activated"). Names are too
    frequent in one story to anchor anything, so a capitalised head gives None."""
    words = _WORD.findall(proposition)
    for position, word in enumerate(words):
        if position and (word.lower() in _AUX or _classes([word])):
            head = words[position - 1]
            return _stem(head) if head.islower() and len(head) > 3 else None
    return None


def denial_anchors(claims: list[Claim]) -> list[tuple[int, int]]:
    """(denying claim row, asserting claim row) pairs from different articles."""
    pairs = []
    for i, denial in enumerate(claims):
        if denial.stance != "denies":
            continue
        head = head_noun(denial.proposition)
        events = _classes(_WORD.findall(denial.proposition))
        if not head or not events:
            continue
        for j, other in enumerate(claims):
            if other.article_id == denial.article_id or other.stance == "denies":
                continue
            words = _WORD.findall(other.proposition)
            if head in {_stem(w) for w in words} and events & _classes(words):
                pairs.append((i, j))
    return pairs
