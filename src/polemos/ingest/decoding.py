"""Bytes → text: BOMs, UTF-8, declared or detected charsets, and refusing binary input.

Decoding never replaces bytes silently: input that is not UTF-8 is decoded only with a charset declared in
the HTML or one that ``charset_normalizer`` (a dependency of ``requests``, already installed) is sure of;
otherwise :class:`DecodeError` says why.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

# Leading bytes of common binary formats, so the error can say what the file is.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX/ODT)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\xd0\xcf\x11\xe0", "an MS Office (OLE) document"),
    (b"\x7fELF", "an executable"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0 control bytes other than tab, newline, vertical tab, form feed, carriage return; plus ESC-free DEL.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
MAX_CONTROL_RATIO = 0.02  # above this share of control characters, input is treated as binary
_SNIFF_BYTES = 65_536
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{2,40})""", re.I)
# Among equally good guesses, a Western single-byte charset is by far the likeliest for news input.
_WESTERN = ("cp1252", "latin_1", "iso8859_15")
_MAX_CHAOS = 0.1  # charset_normalizer "mess" above this: the guess is not trusted


class DecodeError(ValueError):
    """The input is not text, or its encoding cannot be established."""


def sniff_binary(head: bytes) -> str | None:
    """Why ``head`` (the first bytes of an input) is binary, or None when it may be text."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return f"binary content, not text ({what})"
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return None  # UTF-16/32 text legitimately holds NUL bytes
    if b"\x00" in head:
        return "binary content, not text (NUL bytes)"
    sample = head[:_SNIFF_BYTES]
    if sample and len(_CONTROL_BYTES.findall(sample)) / len(sample) > MAX_CONTROL_RATIO:
        return "binary content, not text (control characters)"
    return None


def decode_bytes(raw: bytes, declared_ok: bool = False, charset: str | None = None) -> str:
    """Decode ``raw`` to text, or raise :class:`DecodeError` with a message fit for a user.

    Order: a byte-order mark; strict UTF-8; ``charset`` (declared by the transport, e.g. the HTTP
    ``Content-Type``); (``declared_ok``: HTML) a ``<meta charset>`` declared in the page; a charset that
    ``charset_normalizer`` is sure of. The BOM is not part of the returned text.
    """
    reason = sniff_binary(raw[:_SNIFF_BYTES])
    if reason:
        raise DecodeError(reason)
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return _checked(raw[len(bom) :].decode(encoding), encoding)
            except UnicodeDecodeError as error:
                message = f"invalid {encoding.upper()} despite its byte-order mark ({error.reason})"
                raise DecodeError(message) from None
    try:
        return _checked(raw.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    declarations = [_known_charset(charset)] if charset else []
    if declared_ok:
        declarations.append(_declared_charset(raw))
    for declared in declarations:
        if declared:
            try:
                return _checked(raw.decode(declared), declared)
            except (UnicodeDecodeError, LookupError):  # LookupError: a codec that is not a text encoding
                pass  # a wrong declaration: try the next, then detection
    return _detected(raw)


def _declared_charset(raw: bytes) -> str | None:
    match = _DECLARED_CHARSET.search(raw[:4096])
    return _known_charset(match.group(1).decode("ascii")) if match else None


def _known_charset(name: str) -> str | None:
    """The codec for a declared charset name; None when Python knows no such codec."""
    name = name.strip().strip("\"'").lower()
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    # Browsers read a declared latin-1 as windows-1252 (WHATWG Encoding Standard); so do we.
    return "cp1252" if name in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii") else name


def _detected(raw: bytes) -> str:
    results = charset_normalizer.from_bytes(raw)
    best = results.best()
    if best is None or best.chaos > _MAX_CHAOS or best.coherence <= 0.0:
        raise DecodeError("not valid UTF-8, and the character encoding could not be detected with confidence")
    chosen = best
    for match in results:
        if match.encoding in _WESTERN and match.chaos <= best.chaos + 0.02:
            chosen = match
            break
    if chosen.encoding == "cp1250" and best is chosen:
        # cp1250 and cp1252 share most letters; prefer cp1252 when it reads the bytes the same way.
        try:
            if raw.decode("cp1252") == str(chosen):
                return _checked(str(chosen), "cp1252")
        except UnicodeDecodeError:
            pass
    return _checked(str(chosen), chosen.encoding)


def _checked(text: str, encoding: str) -> str:
    sample = text[:_SNIFF_BYTES]
    if sample and len(_CONTROL_CHARS.findall(sample)) / len(sample) > MAX_CONTROL_RATIO:
        raise DecodeError(f"binary content, not text (control characters after decoding as {encoding})")
    return text
