"""Bytes → text: refuse binaries by name, accept UTF-8 (with or without a BOM), UTF-16
with a BOM, and fall back to Windows-1252 for the legacy Western text scrapers still emit.

No detector library is used: among legacy encodings only Windows-1252 (a superset of
Latin-1's printable range) is tried, and text it decodes into is then checked for being
English by the language check, so mojibake from other code pages is skipped, not compared."""

from __future__ import annotations

import codecs

from claimcheck.errors import ClaimcheckError, Code

# Magic numbers of files people rename to .txt by mistake, and what to call them.
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (a .docx, .epub or .zip?)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# C0 control characters other than tab, newlines and form feed never occur in prose.
_CONTROLS = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\r\f\v") | {"\x7f"}


def sniff_binary(head: bytes, path: str) -> None:
    """Raise when the first bytes say this is not a text file."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            raise ClaimcheckError(Code.BINARY_FILE, f"is {kind}, not text", path)
    if not head.startswith(_UTF16_BOMS) and b"\x00" in head:
        raise ClaimcheckError(Code.BINARY_FILE, "looks like a binary file, not text (it holds NUL bytes)", path)


def normalise_newlines(text: str) -> str:
    """Spans index into the returned text, so line endings are normalised once, here."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode(raw: bytes, path: str) -> tuple[str, str]:
    """(text with \\n line endings, encoding used). Raises ClaimcheckError for binaries
    and for bytes that are neither UTF-8 nor plausible Windows-1252."""
    sniff_binary(raw[:8192], path)
    if raw.startswith(_UTF16_BOMS):
        try:
            return normalise_newlines(raw.decode("utf-16")), "UTF-16"
        except UnicodeDecodeError as exc:
            raise ClaimcheckError(Code.NOT_UTF8, f"starts with a UTF-16 mark but is not UTF-16 ({exc.reason})", path) from exc
    try:
        return normalise_newlines(raw.decode("utf-8-sig")), "UTF-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    legacy = decode_legacy(raw)
    if legacy is None:
        raise ClaimcheckError(
            Code.NOT_UTF8,
            f"is neither UTF-8 nor Windows-1252 (byte 0x{raw[first_bad]:02x} at offset {first_bad})",
            path,
        )
    return normalise_newlines(legacy), "Windows-1252"


def decode_legacy(raw: bytes) -> str | None:
    """Windows-1252 text, or None when the bytes do not decode to plausible prose."""
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90 and 0x9d are unassigned in cp1252
        return None
    controls = sum(text.count(c) for c in _CONTROLS)
    return None if controls > len(text) / 1000 else text
