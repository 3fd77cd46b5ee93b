"""Bytes of a ``.txt``/``.md`` file -> text, the encoding used and warnings.

Order (never a statistical charset detector, which mis-detects cp1252 as cp1250 and UTF-8 with
one bad byte as mac_iceland):

1. an encoding given by the user wins, decoded strictly;
2. a BOM (UTF-32, UTF-16 LE/BE, UTF-8);
3. strict UTF-8;
4. UTF-8 with U+FFFD at each invalid byte, when there are only a few of them (a warning gives
   their byte offsets);
5. cp1252 (Windows "ANSI"), with U+FFFD for the five bytes cp1252 leaves undefined.

Binary input (a PNG/ZIP/PDF/GIF/JPEG signature, or NUL bytes without a UTF-16/32 BOM) is
refused as "not a text file". :func:`canonical_text` then turns CRLF and lone CR into LF and
NFC-normalises, which must happen before any offset is taken.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from qualcode.errors import IngestError

#: Signatures of common binary formats that end up renamed to ``.txt``.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"PK\x07\x08", "ZIP archive"),
    (b"%PDF-", "PDF document"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Word/Office document"),
)

#: BOMs other than UTF-8's, in test order (UTF-32 LE starts with the UTF-16 LE BOM).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: The name recorded for UTF-8 decoded with replacement characters.
UTF8_REPLACED = "utf-8 (with replacements)"

_ESCAPED = re.compile("[\udc80-\udcff]")
_MAX_LISTED_OFFSETS = 10


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from a file's bytes (BOM removed), the encoding used and any warnings."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def max_replacements(size: int) -> int:
    """How many invalid bytes a UTF-8 file may hold and still be read as UTF-8."""
    return max(3, size // 1000)


def decode_bytes(data: bytes, *, filename: str, encoding: str | None = None) -> Decoded:
    """Decode a text file's bytes; raise :class:`IngestError` naming ``filename`` if impossible."""
    _refuse_binary_signature(data, filename)
    if encoding is not None:
        decoded = _decode_forced(data, filename, encoding)
    else:
        decoded = _decode_detected(data, filename)
    if "\x00" in decoded.text:
        raise IngestError(f"{filename}: not a text file (it contains NUL characters)")
    return decoded


def canonical_text(text: str) -> str:
    """Turn CRLF and lone CR into LF, then NFC-normalise (before any offset is taken)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _refuse_binary_signature(data: bytes, filename: str) -> None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise IngestError(f"{filename}: not a text file (it looks like a {kind})")


def text_encoding(encoding: str) -> str:
    """Python's name for ``encoding`` (``latin-1`` -> ``iso8859-1``); IngestError when it is not a
    known encoding of text (``nonsense``; ``base64`` and ``rot13`` are codecs, not encodings)."""
    try:
        name = codecs.lookup(encoding).name
        b"a".decode(name)  # a bytes<->bytes or str<->str codec refuses here (not on b"")
    except LookupError:
        raise IngestError(f"unknown text encoding {encoding!r}") from None
    except UnicodeError:
        pass  # a text encoding all the same (UTF-16 wants two bytes)
    return name


def _decode_forced(data: bytes, filename: str, encoding: str) -> Decoded:
    try:
        name = text_encoding(encoding)
    except IngestError as error:
        raise IngestError(f"{filename}: {error.message}") from None
    try:
        text = data.decode(name)
    except UnicodeDecodeError as error:
        raise IngestError(
            f"{filename}: cannot be decoded as {encoding} (invalid byte at byte offset "
            f"{error.start})"
        ) from None
    return Decoded(text.removeprefix("\ufeff"), name)


def _decode_detected(data: bytes, filename: str) -> Decoded:
    if data.startswith(codecs.BOM_UTF8):
        body = data[len(codecs.BOM_UTF8) :]
        try:
            return Decoded(body.decode("utf-8"), "utf-8-sig")
        except UnicodeDecodeError:
            # A UTF-8 BOM settles the encoding: every bad byte is replaced, however many.
            with_bom = body.decode("utf-8", errors="surrogateescape")
            bad = _escaped_byte_offsets(with_bom, limit=len(body)) or []
            return _replaced(with_bom, bad, "utf-8-sig (with replacements)", len(codecs.BOM_UTF8))
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data, codec)
    if b"\x00" in data:
        raise IngestError(
            f"{filename}: not a text file (it contains NUL bytes; if it is UTF-16 without a "
            "byte order mark, give its encoding)"
        )
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    escaped = data.decode("utf-8", errors="surrogateescape")
    offsets = _escaped_byte_offsets(escaped, limit=max_replacements(len(data)))
    if offsets is None:
        return _decode_cp1252(data)
    return _replaced(escaped, offsets, UTF8_REPLACED)


def _replaced(escaped: str, offsets: list[int], encoding: str, base: int = 0) -> Decoded:
    """Escaped UTF-8 text with U+FFFD for each invalid byte, and a warning naming the offsets."""
    warning = (
        f"{_plural(len(offsets), 'invalid UTF-8 byte')} replaced with U+FFFD at byte "
        f"{_plural_word(len(offsets), 'offset')} {_list_offsets([base + o for o in offsets])}"
    )
    return Decoded(_ESCAPED.sub("\ufffd", escaped), encoding, (warning,))


def _decode_with_bom(data: bytes, codec: str) -> Decoded:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        text = data.decode(codec, errors="replace")
        warning = (
            f"invalid {codec.upper()} data replaced with U+FFFD (first at byte offset "
            f"{error.start})"
        )
        return Decoded(text.removeprefix("\ufeff"), codec, (warning,))
    return Decoded(text.removeprefix("\ufeff"), codec)


def _escaped_byte_offsets(escaped: str, *, limit: int) -> list[int] | None:
    """Byte offsets of the bytes ``surrogateescape`` escaped (None if more than ``limit``)."""
    offsets: list[int] = []
    char_pos = 0
    byte_pos = 0
    for match in _ESCAPED.finditer(escaped):
        byte_pos += len(escaped[char_pos : match.start()].encode("utf-8", "surrogateescape"))
        offsets.append(byte_pos)
        byte_pos += 1
        char_pos = match.end()
        if len(offsets) > limit:
            return None
    return offsets


def _decode_cp1252(data: bytes) -> Decoded:
    try:
        return Decoded(data.decode("cp1252"), "cp1252")
    except UnicodeDecodeError:
        pass
    undefined = [i for i, byte in enumerate(data) if byte in b"\x81\x8d\x8f\x90\x9d"]
    text = data.decode("cp1252", errors="replace")
    warning = (
        f"{_plural(len(undefined), 'byte')} undefined in cp1252 replaced with U+FFFD at byte "
        f"{_plural_word(len(undefined), 'offset')} {_list_offsets(undefined)}"
    )
    return Decoded(text, "cp1252", (warning,))


def _plural(count: int, word: str) -> str:
    return f"{count} {_plural_word(count, word)}"


def _plural_word(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


def _list_offsets(offsets: list[int]) -> str:
    shown = ", ".join(str(offset) for offset in offsets[:_MAX_LISTED_OFFSETS])
    more = len(offsets) - _MAX_LISTED_OFFSETS
    return shown + (f" and {more} more" if more > 0 else "")
