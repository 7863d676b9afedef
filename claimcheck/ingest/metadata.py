"""Publication metadata: inline headers, Markdown front matter and sidecar files."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from claimcheck.errors import ClaimcheckError, Code

SIDECAR = "metadata.json"

# A leading "date 2025-11-18" header, as some scrapers emit it (inline or on its own line).
_DATE_HEADER = re.compile(r"\A\s*date:?\s+(\d{4}-\d{2}-\d{2})\b[ \t]*\n?", re.IGNORECASE)
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)


def parse_date(value: object) -> date | None:
    """ISO date from a metadata value; anything unparseable is unknown, not guessed."""
    if not isinstance(value, str) or not value.strip():
        return None
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if not match:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def strip_header(text: str) -> tuple[int, dict]:
    """Return (offset where the body starts, metadata found in the header)."""
    meta: dict = {}
    offset = 0
    front = _FRONT_MATTER.match(text)
    if front:
        for line in front.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep:
                meta[key.strip().lower()] = value.strip().strip("\"'")
        offset = front.end()
    header = _DATE_HEADER.match(text, offset)
    if header:
        meta.setdefault("date", header.group(1))
        offset = header.end()
    while offset < len(text) and text[offset].isspace():
        offset += 1
    return offset, meta


def read_sidecar(folder: Path) -> dict[str, dict]:
    """metadata.json beside articles: {"file name": {"source", "title", "published"}}."""
    path = folder / SIDECAR
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ClaimcheckError(Code.BAD_METADATA, f"cannot read metadata: {exc}", str(path)) from exc
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise ClaimcheckError(Code.BAD_METADATA, "expected an object of objects", str(path))
    return data
