"""Bytes to text, or a clear reason why not."""

from __future__ import annotations

import codecs

import pytest

from knowledge.readers.decode import decode_text
from knowledge.readers.errors import ReadError


def test_utf8_and_boms() -> None:
    assert decode_text("naïve café".encode(), name="f") == "naïve café"
    assert decode_text(codecs.BOM_UTF8 + b"bom text", name="f") == "bom text"
    assert decode_text("utf-16 text".encode("utf-16"), name="f") == "utf-16 text"


def test_plausible_cp1252_is_accepted() -> None:
    data = "The café is where naïve ideas meet “serious” critics – and survive.".encode("cp1252")
    assert decode_text(data, name="f") == (
        "The café is where naïve ideas meet “serious” critics – and survive."
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "notes.txt is empty"),
        (b" \n\t\n", "notes.txt is empty"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00\xff", "notes.txt looks binary, not text"),
        (b"ok\x01\x02\x03\x04\x05\x06\x07\x0e\x0f\x10\x11", "notes.txt looks binary, not text"),
        (bytes(range(0x80, 0x100)) * 3, "notes.txt is not valid UTF-8 text"),
    ],
)
def test_unreadable_bytes_give_specific_messages(data: bytes, message: str) -> None:
    with pytest.raises(ReadError) as caught:
        decode_text(data, name="notes.txt")
    assert str(caught.value) == message
