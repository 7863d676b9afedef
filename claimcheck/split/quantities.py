"""Numbers and quantities in a claim, including number words and "20-year" forms."""

from __future__ import annotations

import math
import re

from claimcheck.types import Quantity

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 1e12}
_APPROX = re.compile(r"\b(about|around|approximately|roughly|nearly|almost|some|over|more than|less than|up to|at least)\s+$", re.I)

_WORD = "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True))
_TENS_WORD = "|".join(_TENS)
_DIGIT_WORD = "|".join(w for w, v in _UNITS.items() if v < 10)
# A number word must end the word ("ten" is not a number in "tenant"; "sixth" is: only
# "th" makes an ordinal of a word, "st/nd/rd" only of digits, so "onend" is no number), and
# only "twenty-one" style pairs are one number ("five six" is two, not eleven).
_WORD_NUMBER = rf"(?:(?:{_TENS_WORD})[- ](?:{_DIGIT_WORD})|{_WORD})(?=(?:th)?\b)"
_NUMBER = re.compile(
    rf"(?<![\w.])(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|{_WORD_NUMBER})"
    rf"(?P<ord>st|nd|rd|th)?"
    rf"(?:\s*(?P<scale>hundred|thousand|million|billion|trillion)\b)?"
    rf"(?:(?:\s*|-)(?P<unit>%|(?:percent|per cent|year|month|week|day|hour|minute|km|kilometer|mile|people|dollar|"
    rf"euro|troop|soldier|ton|tonne)s?\b))?",
    re.I,
)


def _word_value(word: str) -> float | None:
    total = 0
    for part in re.split(r"[- ]", word.lower()):
        if part in _UNITS:
            total += _UNITS[part]
        elif part in _TENS:
            total += _TENS[part]
        else:
            return None
    return float(total)


def find_quantities(text: str) -> tuple[Quantity, ...]:
    found = []
    for match in _NUMBER.finditer(text):
        raw = match.group("num")
        value = float(raw.replace(",", "")) if raw[0].isdigit() else _word_value(raw)
        if value is None or not math.isfinite(value):  # 400 digits overflow a float
            continue
        if match.group("scale"):
            value *= _SCALES[match.group("scale").lower()]
        unit = (match.group("unit") or "").lower()
        unit = (unit[:-1] if unit.endswith("s") and unit != "people" else unit) or None
        if unit in ("percent", "per cent"):
            unit = "%"
        if match.group("ord"):
            unit = "ordinal"
        elif unit is None and raw.isdigit() and len(raw) == 4 and 1800 <= value <= 2100:
            unit = "calendar-year"
        approximate = bool(_APPROX.search(text[: match.start()]))
        found.append(Quantity(value=value, unit=unit, text=match.group(0).strip(), approximate=approximate))
    return tuple(found)


def quantities_conflict(a: tuple[Quantity, ...], b: tuple[Quantity, ...]) -> tuple[Quantity, Quantity] | None:
    """The first pair of quantities with the same unit and clearly different values.

    Only units both sides share are compared, and approximate values ("about 500")
    tolerate 10%, so "about 500" and "512" do not conflict.
    """
    for qa in a:
        same_unit = [qb for qb in b if qb.unit == qa.unit and qa.unit not in (None, "calendar-year", "ordinal")]
        if not same_unit or any(_close(qa, qb) for qb in same_unit):
            continue
        return qa, same_unit[0]
    return None


def _close(a: Quantity, b: Quantity) -> bool:
    tolerance = 0.1 if (a.approximate or b.approximate) else 1e-9
    return abs(a.value - b.value) <= tolerance * max(abs(a.value), abs(b.value), 1e-9)
