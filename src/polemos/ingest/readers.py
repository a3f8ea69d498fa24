"""Read files, directories, JSONL and standard input into :class:`~polemos.model.Document` records.

Reading is lazy (one document at a time; JSONL line by line, web archives record by record) and never stops
on bad input: an empty, binary, undecodable, oversized or text-less input becomes a ``Document`` with
``text == ""`` and an ``errors`` message that names the input, and the run goes on. RSS/Atom feeds
(:mod:`polemos.ingest.feeds`) give a document per entry, WARC/ARC archives (:mod:`polemos.ingest.warc`) a
document per page.

The size limits are module constants, read at call time (patch ``polemos.ingest.readers.MAX_CHARS``).
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from polemos.ingest.decoding import DecodeError, decode_bytes, sniff_binary
from polemos.ingest.html import extract_html, parse_iso_date
from polemos.model import Document
from polemos.text.dateline import find_dateline, headline

log = logging.getLogger(__name__)

MAX_CHARS = 1_000_000  # longest document text, in characters
MAX_HTML_BYTES = 20_000_000  # longest HTML page (its text must still fit MAX_CHARS)
MAX_JSON_BYTES = 64_000_000  # longest .json file (read whole; use JSONL for more)
BYTES_PER_CHAR = 4  # UTF-8 upper bound: a file over MAX_CHARS * 4 bytes is too large unread

TEXT_EXTENSIONS = frozenset({".txt", ".text", ".md", ".markdown", ".rst"})
HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml", ".shtml"})
JSONL_EXTENSIONS = frozenset({".jsonl", ".ndjson"})
JSON_EXTENSIONS = frozenset({".json"})

_SNIFF_BYTES = 65_536
_HTML_START = re.compile(
    r"\s*(?:<!--.*?-->\s*)*(?:<\?xml[^>]*>\s*)?(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE | re.DOTALL
)
_HTML_TAG = re.compile(
    r"</?(?:p|div|body|head|article|section|span|br|a|h[1-6]|ul|ol|li|table|tr|td|meta|title|script|style|main"
    r"|header|footer|nav|img|strong|em|b|i|blockquote|figure)(?:\s[^<>]{0,500})?/?>",
    re.I,
)
_WORD = re.compile(r"[^\W\d_]{2,}")


# ---------------------------------------------------------------------------------------------- public API


def read_inputs(
    paths: list[str], default_date: str | None = None, stdin: BinaryIO | None = None
) -> Iterator[Document]:
    """Yield one Document per input document, lazily, in a stable order.

    ``paths``: files, directories (recursed in sorted order, hidden entries skipped) or ``"-"`` for
    standard input (``stdin``, default ``sys.stdin.buffer``). Ids are file stems relative to the path
    given (``sub/a``; ``sub/a.html`` when the stem is taken), the JSONL ``id`` field (else
    ``file.jsonl:LINE``), ``feed.xml#N`` for a feed's Nth entry, ``crawl.warc.gz#OFFSET`` for the page
    record at that byte offset of an archive, or ``stdin``; an id seen before in the run gets ``#2``, ``#3``…

    ``default_date`` (ISO ``YYYY-MM-DD``): the publication date of documents that state none (no JSONL
    ``date`` field, no date in HTML metadata). Raises ValueError when it is not a valid date; bad inputs
    never raise.
    """
    date = None
    if default_date is not None:
        date = parse_iso_date(default_date)
        if date is None or not re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", default_date):
            raise ValueError(f"date must be an ISO date (YYYY-MM-DD), got {default_date!r}")
    ids = _IdRegistry()
    for given in paths:
        if given == "-":
            stream = stdin or getattr(sys.stdin, "buffer", None)
            if stream is None:
                doc = _error_doc("stdin", "<stdin>", "no standard input to read", "text")
                yield from _registered([doc], ids)
            else:
                yield from _registered(_read_stdin(stream, date), ids)
            continue
        path = Path(given)
        if path.is_dir():
            for file in _walk(path):
                yield from _read_file(file, path, date, ids)
        elif path.exists():
            yield from _read_file(path, path.parent, date, ids)
        else:
            doc = _error_doc(path.stem or given, given, "no such file or directory", "text")
            yield from _registered([doc], ids)


def document_from_string(
    text_or_html: str,
    id: str = "doc",
    date: str | None = None,
    url: str | None = None,
    title: str | None = None,
) -> Document:
    """A Document from a string of plain text or HTML (sniffed), for the Python API."""
    return _from_text(text_or_html, id=id, origin=None, date=date, url=url, title=title, hint=None)


def document_from_bytes(
    raw: bytes,
    id: str,
    origin: str,
    date: str | None = None,
    url: str | None = None,
    title: str | None = None,
    hint: str | None = None,
    *,
    default_date: str | None = None,
) -> Document:
    """A Document from raw bytes: decoded (BOM, UTF-8, declared or detected charset), HTML sniffed.

    ``hint``: ``"text"`` or ``"html"`` when the caller knows (file extension), else None to sniff.
    ``date`` overrides a date from HTML metadata; ``default_date`` is used only when there is none.
    """
    if not raw.strip():
        return _error_doc(id, origin, "empty input", hint or "text")
    if hint is None:
        hint = _sniff_bytes(raw[:_SNIFF_BYTES])
    too_large = _bytes_too_large(len(raw), hint)
    if too_large:
        return _error_doc(id, origin, too_large, hint)
    try:
        text = decode_bytes(raw, declared_ok=hint != "text")
    except DecodeError as error:
        return _error_doc(id, origin, str(error), hint)
    return _from_text(
        text, id=id, origin=origin, date=date, url=url, title=title, hint=hint, default_date=default_date
    )


def sniff_kind(text: str) -> str:
    """``"html"`` when ``text`` looks like an HTML page or fragment, else ``"text"``."""
    head = text[:4096]
    if _HTML_START.match(head):
        return "html"
    tags = len(_HTML_TAG.findall(head))
    if (head.lstrip().startswith("<") and tags >= 2) or tags >= 8:
        return "html"
    return "text"


# ------------------------------------------------------------------------------------------- documents


def _from_text(
    text: str,
    *,
    id: str,
    origin: str | None,
    date: str | None,
    url: str | None,
    title: str | None,
    hint: str | None,
    author: str | None = None,
    site: str | None = None,
    text_format: str = "text",
    default_date: str | None = None,
    name: str | None = None,
) -> Document:
    """Document from decoded text; ``hint`` html/text or None (sniff); plain text gives headline and dateline.

    The date: ``date`` if given, else the date in HTML metadata, else ``default_date``. ``name``: how error
    messages name the input (default: ``origin``, else ``id``).
    """
    name = name or origin or id

    def failed(message: str, source_format: str) -> Document:
        return _error_doc(id, name, message, source_format, origin=origin or name)

    kind = hint or sniff_kind(text)
    if kind == "html":
        if len(text) > MAX_HTML_BYTES:
            message = f"too large ({len(text):,} characters of HTML > {MAX_HTML_BYTES:,})"
            return failed(message, kind)
        if not text.strip():
            return failed("empty HTML", kind)
        try:
            content = extract_html(text, url)
        except Exception as error:  # noqa: BLE001 - a parser failure on one page must not stop the run
            return failed(f"HTML could not be parsed ({type(error).__name__}: {error})", kind)
        if content is None or not _has_words(content.text):
            message = "no main text found in the HTML (empty, malformed or only navigation)"
            return failed(message, kind)
        text = content.text
        title = title or content.title
        url = url or content.url
        date = date or content.date
        author = author or content.author
        site = site or content.site
        source_format = "html"
    else:
        text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        source_format = text_format
        dateline = find_dateline(text)
        if dateline is not None:
            date = date or dateline.date
            site = site or dateline.outlet
        title = title or headline(text)
    if not text.strip():
        return failed("empty text", source_format)
    if len(text) > MAX_CHARS:
        return failed(f"too large ({len(text):,} characters > {MAX_CHARS:,})", source_format)
    return Document(
        id=id,
        text=text,
        title=title,
        url=url,
        date=date or default_date,
        author=author,
        site=site,
        source_format=source_format,
        origin=origin,
    )


def _has_words(text: str) -> bool:
    """Some line holds three words (or, in unspaced scripts, eight letters): not menu items or debris."""
    for line in text.splitlines():
        line = line.strip()
        if len(_WORD.findall(line)) >= 3 or (" " not in line and sum(char.isalpha() for char in line) >= 8):
            return True
    return False


def _error_doc(id: str, name: str, message: str, source_format: str, **fields: Any) -> Document:
    """A Document that failed: no text, one message that names the input; ``origin`` defaults to ``name``."""
    fields.setdefault("origin", name)
    return Document(id=id, text="", source_format=source_format, errors=[f"{name}: {message}"], **fields)


def _bytes_too_large(size: int, hint: str) -> str | None:
    if hint == "html":
        if size > MAX_HTML_BYTES:
            return f"too large ({size:,} bytes of HTML > {MAX_HTML_BYTES:,})"
    elif size > MAX_CHARS * BYTES_PER_CHAR:
        return f"too large ({size:,} bytes > {MAX_CHARS:,} characters)"
    return None


def _sniff_bytes(head: bytes) -> str:
    return sniff_kind(head.decode("utf-8", errors="ignore"))


# ----------------------------------------------------------------------------------------------- files


def _walk(root: Path) -> Iterator[Path]:
    """Files under ``root``: sorted, hidden files and folders skipped, a folder's files before its folders."""
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(folder, name)


def _read_file(path: Path, root: Path, date: str | None, ids: _IdRegistry) -> Iterator[Document]:
    # imported here, not at the top: these modules build their documents with this one's helpers
    from polemos.ingest import feeds, warc

    relative = path.relative_to(root).as_posix()
    stem = Path(relative).with_suffix("").as_posix() if path.suffix else relative
    origin = str(path)
    suffix = path.suffix.lower()
    if suffix in JSONL_EXTENSIONS:
        yield from _registered(_read_jsonl_file(path, relative, date), ids)
        return
    if suffix in JSON_EXTENSIONS:
        yield from _registered(_read_json_file(path, relative, stem, date), ids)
        return
    if warc.is_archive(path):
        yield from _registered(warc.read_archive(path, relative, date), ids)
        return
    if suffix in feeds.FEED_EXTENSIONS or (
        suffix not in TEXT_EXTENSIONS | HTML_EXTENSIONS and feeds.is_feed_file(path)
    ):
        yield from _registered(feeds.read_feed_file(path, relative, date), ids)
        return
    doc = _read_single(path, stem, origin, date, suffix)
    doc.id = ids.unique(stem, relative)
    yield doc


def _read_single(path: Path, id: str, origin: str, date: str | None, suffix: str) -> Document:
    hint = "html" if suffix in HTML_EXTENSIONS else "text" if suffix in TEXT_EXTENSIONS else None
    try:
        size = path.stat().st_size
        if size == 0:
            return _error_doc(id, origin, "empty file", hint or "text")
        with path.open("rb") as stream:
            head = stream.read(_SNIFF_BYTES)
            binary = sniff_binary(head)
            if binary:
                return _error_doc(id, origin, binary, hint or "text")
            if hint is None:
                hint = _sniff_bytes(head)
            too_large = _bytes_too_large(size, hint)
            if too_large:  # checked before reading the rest: a 50 MB file is never read whole
                return _error_doc(id, origin, too_large, hint)
            raw = head + stream.read()
    except OSError as error:
        return _error_doc(id, origin, f"cannot read ({error.strerror or error})", hint or "text")
    if not raw.strip():
        return _error_doc(id, origin, "empty file", hint)
    return document_from_bytes(raw, id=id, origin=origin, hint=hint, default_date=date)


def _read_jsonl_file(path: Path, name: str, date: str | None) -> Iterator[Document]:
    try:
        stream = path.open("rb")
    except OSError as error:
        yield _error_doc(name, str(path), f"cannot read ({error.strerror or error})", "jsonl")
        return
    with stream:
        yield from _read_jsonl(stream, name, str(path), date)


def _read_json_file(path: Path, name: str, stem: str, date: str | None) -> Iterator[Document]:
    """A ``.json`` file: one record (object), a list of records, or JSONL under the wrong extension."""
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_JSON_BYTES:
            message = f"too large ({size:,} bytes > {MAX_JSON_BYTES:,}); use JSONL"
            yield _error_doc(stem, origin, message, "jsonl")
            return
        raw = path.read_bytes()
    except OSError as error:
        yield _error_doc(stem, origin, f"cannot read ({error.strerror or error})", "jsonl")
        return
    if not raw.strip():
        yield _error_doc(stem, origin, "empty file", "jsonl")
        return
    try:
        data = json.loads(raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8"))
    except UnicodeDecodeError:
        yield _error_doc(stem, origin, "not valid UTF-8 (JSON must be UTF-8)", "jsonl")
        return
    except json.JSONDecodeError as error:
        if error.msg == "Extra data":  # one object a line: JSONL named .json
            yield from _read_jsonl(io.BytesIO(raw), name, origin, date)
        else:
            yield _error_doc(stem, origin, f"invalid JSON ({error.msg}, line {error.lineno})", "jsonl")
        return
    if isinstance(data, dict):
        yield _from_record(data, stem, origin, date)
    elif isinstance(data, list):
        for number, item in enumerate(data, 1):
            if isinstance(item, dict):
                yield _from_record(item, f"{name}:{number}", f"{origin}:{number}", date)
            else:
                yield _error_doc(f"{name}:{number}", f"{origin}:{number}", "expected a JSON object", "jsonl")
    else:
        yield _error_doc(stem, origin, "expected a JSON object or a list of objects", "jsonl")


# ----------------------------------------------------------------------------------------------- JSONL


def _read_jsonl(stream: BinaryIO, name: str, origin: str, date: str | None) -> Iterator[Document]:
    """One Document per non-blank line; a bad line gives an error Document and reading goes on."""
    limit = max(MAX_HTML_BYTES, MAX_CHARS * BYTES_PER_CHAR)
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        line_id, line_origin = f"{name}:{number}", f"{origin}:{number}"
        if len(line) > limit and not line.endswith(b"\n"):
            size = len(line) + _skip_line(stream)
            yield _error_doc(line_id, line_origin, f"line too large ({size:,} bytes > {limit:,})", "jsonl")
            continue
        if number == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        if not line.strip():
            continue
        try:
            record = json.loads(line.decode("utf-8"))
        except UnicodeDecodeError:
            yield _error_doc(line_id, line_origin, "not valid UTF-8 (JSONL must be UTF-8)", "jsonl")
            continue
        except json.JSONDecodeError as error:
            message = f"invalid JSON ({error.msg}, column {error.colno})"
            yield _error_doc(line_id, line_origin, message, "jsonl")
            continue
        if not isinstance(record, dict):
            yield _error_doc(line_id, line_origin, "expected a JSON object", "jsonl")
            continue
        yield _from_record(record, line_id, line_origin, date)


def _skip_line(stream: BinaryIO) -> int:
    """Read past the rest of an overlong line without keeping it; the bytes skipped."""
    skipped = 0
    while True:
        chunk = stream.readline(1 << 20)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return skipped


def _from_record(record: dict[str, Any], default_id: str, origin: str, default_date: str | None) -> Document:
    """A Document from a JSON record: ``id`` (or ``_id``), ``text`` or ``html``; optional ``date url title
    author site``.

    ``text`` wins when a record has both ``text`` and ``html``.
    """
    raw_id = record.get("id", record.get("_id"))
    id = str(raw_id).strip() if raw_id is not None and str(raw_id).strip() else default_id
    meta = {key: _string(record.get(key)) for key in ("url", "title", "author", "site")}
    date = None
    raw_date = record.get("date")
    if raw_date not in (None, ""):
        date = parse_iso_date(str(raw_date))
        if date is None:
            log.warning("%s: date %r is not an ISO date; ignored", origin, raw_date)
    text, html = record.get("text"), record.get("html")
    if text is not None and not isinstance(text, str):
        return _error_doc(id, origin, f"'text' must be a string, not {type(text).__name__}", "jsonl")
    if html is not None and not isinstance(html, str):
        return _error_doc(id, origin, f"'html' must be a string, not {type(html).__name__}", "jsonl")
    if text and text.strip():
        return _from_text(
            text,
            id=id,
            origin=origin,
            date=date,
            hint="text",
            text_format="jsonl",
            default_date=default_date,
            **meta,
        )
    if html and html.strip():
        return _from_text(
            html, id=id, origin=origin, date=date, hint="html", default_date=default_date, **meta
        )
    if text is None and html is None:
        return _error_doc(id, origin, "no 'text' or 'html' field", "jsonl")
    return _error_doc(id, origin, "empty text", "jsonl")


def _string(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


# ----------------------------------------------------------------------------------------------- stdin


def _read_stdin(stream: BinaryIO, date: str | None) -> Iterator[Document]:
    """Standard input: JSONL when it starts with ``{``, an RSS or Atom feed when it starts like one, else one
    text or HTML document with id ``stdin``."""
    from polemos.ingest import feeds

    head = stream.read(_SNIFF_BYTES) or b""
    if head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{"):
        yield from _read_jsonl(io.BufferedReader(_PrefixedStream(head, stream)), "stdin", "<stdin>", date)
        return
    if feeds.looks_like_feed(head):
        raw = head + (stream.read(feeds.MAX_FEED_BYTES + 1 - len(head)) if len(head) == _SNIFF_BYTES else b"")
        if len(raw) > feeds.MAX_FEED_BYTES:
            message = f"too large (more than {feeds.MAX_FEED_BYTES:,} bytes of feed)"
            yield _error_doc("stdin", "<stdin>", message, "html")
        else:
            yield from feeds.feed_documents(raw, "stdin", "<stdin>", date)
        return
    limit = max(MAX_HTML_BYTES, MAX_CHARS * BYTES_PER_CHAR)
    raw = head + (stream.read(limit + 1 - len(head)) if len(head) == _SNIFF_BYTES else b"")
    if len(raw) > limit:
        yield _error_doc("stdin", "<stdin>", f"too large (more than {limit:,} bytes)", "text")
        return
    yield document_from_bytes(raw, id="stdin", origin="<stdin>", default_date=date)


class _PrefixedStream(io.RawIOBase):
    """Bytes already read (``head``), then the rest of ``stream``: lets JSONL sniffing un-read its sample."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = head
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer)
        if self._head:
            size = min(len(view), len(self._head))
            view[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._stream.read(len(view)) or b""
        view[: len(data)] = data
        return len(data)


# ------------------------------------------------------------------------------------------------- ids


class _IdRegistry:
    """Keeps document ids unique within a run."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def unique(self, wanted: str, alternative: str | None = None) -> str:
        for candidate in (wanted, alternative):
            if candidate and candidate not in self._seen:
                self._seen.add(candidate)
                return candidate
        number = 2
        while f"{wanted}#{number}" in self._seen:
            number += 1
        unique = f"{wanted}#{number}"
        log.warning("document id %r is used twice; the later one is %r", wanted, unique)
        self._seen.add(unique)
        return unique


def _registered(docs: Any, ids: _IdRegistry) -> Iterator[Document]:
    for doc in docs:
        doc.id = ids.unique(doc.id)
        yield doc
