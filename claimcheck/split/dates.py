"""Dates in a claim, resolved against the article's publication date where it has one.

News writes relative dates ("on Monday", "November 19", "last week"); a weekday or a
month-day without a year means the most recent such day on or before publication."""

from __future__ import annotations

import re
from datetime import date, timedelta

from claimcheck.types import DateMention

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"sept": 9}
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_PATTERN = re.compile(
    rf"\b(?:(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})|{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}))?"
    rf"|(?P<day2>\d{{1,2}})\s+{_MONTH.replace('month', 'month2')}(?:\s+(?P<year2>\d{{4}}))?"
    rf"|(?P<weekday>{'|'.join(WEEKDAYS)}))\b",
    re.I,
)


def _month(name: str) -> int:
    return _MONTH_ABBR[name.lower()[:4].rstrip(".")] if name.lower()[:4] == "sept" else _MONTH_ABBR[name.lower()[:3]]


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _shift(day: date, days: int) -> date | None:
    """day + days, or None past the calendar's ends (metadata can say 0001-01-01)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return None


def find_dates(text: str, published: date | None = None) -> tuple[DateMention, ...]:
    found = []
    for m in _PATTERN.finditer(text):
        day: date | None = None
        weekday: int | None = None
        if m.group("iso"):
            y, mo, d = (int(x) for x in m.group("iso").split("-"))
            day = _safe(y, mo, d)
        elif m.group("weekday"):
            weekday = WEEKDAYS.index(m.group("weekday").lower())
            if published:
                day = _shift(published, -((published.weekday() - weekday) % 7))
        else:
            month = _month(m.group("month") or m.group("month2"))
            number = int(m.group("day") or m.group("day2"))
            year = m.group("year") or m.group("year2")
            if year:
                day = _safe(int(year), month, number)
            elif published:
                day = _safe(published.year, month, number)
                if day and day > (_shift(published, 31) or date.max):
                    day = _safe(published.year - 1, month, number)
        found.append(DateMention(m.group(0), day, weekday))
    return tuple(found)


def dates_conflict(a: tuple[DateMention, ...], b: tuple[DateMention, ...]) -> tuple[DateMention, DateMention] | None:
    """The two dates when two single-date claims cannot be about the same day.

    Claims naming several dates are left alone: pairing their dates up is guesswork."""
    if len(a) != 1 or len(b) != 1:
        return None
    x, y = a[0], b[0]
    if x.day and y.day:
        return (x, y) if x.day != y.day else None
    weekday_x = x.day.weekday() if x.day else x.weekday
    weekday_y = y.day.weekday() if y.day else y.weekday
    if weekday_x is not None and weekday_y is not None and weekday_x != weekday_y:
        return x, y
    return None


def describe(mention: DateMention) -> str:
    return f"{mention.text} ({mention.day.isoformat()})" if mention.day and mention.text != mention.day.isoformat() else mention.text
