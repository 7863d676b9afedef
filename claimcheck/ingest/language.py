"""A cheap "is this English?" check, so that other languages are skipped with a warning
instead of being embedded by an English model and silently mis-compared.

It counts English function words that are rarely words in other languages written in
Latin letters ("a", "in", "on", "was" and "will" are left out for that reason). Texts in
other scripts fail on their letters alone. Short texts are not judged: a headline has too
few words to tell."""

from __future__ import annotations

import re
from dataclasses import dataclass

_FUNCTION_WORDS = frozenset(
    "the of and to is were are be been that for with by at from it its this these those he she they "
    "his her their them we our you has have had would said not but or which who after over about than "
    "into also more there what when could can should".split()
)
_WORD = re.compile(r"[^\W\d_]+")
MIN_WORDS = 25
# bench/bench_robustness.py measures this on ECB+ and FNC-1 article bodies: English prose
# stays well above it, French, German and Spanish come out near 0.
MIN_SHARE = 0.05
# Only this much of a text is looked at; the share settles long before.
SAMPLE_CHARS = 20_000


@dataclass(frozen=True)
class LanguageGuess:
    english: bool
    words: int
    share: float  # of words that are English function words (0 when not in Latin script)
    reason: str


def guess_english(text: str) -> LanguageGuess:
    sample = text[:SAMPLE_CHARS]
    words = _WORD.findall(sample.lower())
    if len(words) < MIN_WORDS:
        return LanguageGuess(True, len(words), 0.0, "too short to judge")
    letters = "".join(words)
    latin = sum(c.isascii() or "\u00c0" <= c <= "\u024f" for c in letters) / len(letters)
    if latin < 0.5:
        return LanguageGuess(False, len(words), 0.0, "it is mostly written in a non-Latin script")
    share = sum(w in _FUNCTION_WORDS for w in words) / len(words)
    if share < MIN_SHARE:
        return LanguageGuess(False, len(words), share, f"only {share:.0%} of its words are common English words")
    return LanguageGuess(True, len(words), share, "English function words are frequent")
