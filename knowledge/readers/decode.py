"""Turn a file's bytes into text, or say clearly why they are not text."""

from __future__ import annotations

import codecs
import unicodedata

from knowledge.readers.errors import ReadError

_SNIFF = 8192
# Byte-order marks, longest first (UTF-32 LE starts with the UTF-16 LE mark).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\b\x1b")
# Typographic punctuation a cp1252 text plausibly contains.
_CP1252_PUNCT = frozenset("‘’‚“”„–—…•·«»°©®™§¶€£¥¢×÷±¿¡ªº²³¹¼½¾")


def decode_text(data: bytes, *, name: str) -> str:
    """Decode bytes as UTF-8 (BOM honoured), else plausible cp1252; raise ReadError if not text."""
    if not data.strip():
        raise ReadError(f"{name} is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ReadError(f"{name} is not valid {encoding.upper()} text") from exc
    if looks_binary(data):
        raise ReadError(f"{name} looks binary, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Old posts saved on Windows are often cp1252 (a superset of latin-1 in practice);
    # accept that only when the result reads like text, not like mojibake.
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = ""
    if text and plausible_text(text):
        return text
    raise ReadError(f"{name} is not valid UTF-8 text")


def looks_binary(data: bytes) -> bool:
    """True when the start of the data has NUL bytes or many control characters."""
    head = data[:_SNIFF]
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in _TEXT_CONTROLS)
    return controls > len(head) * 0.05


def plausible_text(text: str) -> bool:
    """True when a decoded text has few non-ASCII characters, and those are letters or quotes."""
    visible = [ch for ch in text if not ch.isspace()]
    if not visible:
        return False
    non_ascii = [ch for ch in visible if ord(ch) > 127]
    if len(non_ascii) > len(visible) * 0.3:
        return False
    odd = [
        ch
        for ch in non_ascii
        if (not ch.isalpha() and ch not in _CP1252_PUNCT)
        or unicodedata.category(ch).startswith("C")
    ]
    return len(odd) <= max(1, len(non_ascii) * 0.1)
