"""Web archives (``.warc``, ``.warc.gz``, ``.arc``, ``.arc.gz``) → one Document per archived page.

warcio reads the archive as a stream, one record at a time, and a page is read only up to the size limit
(``MAX_HTML_BYTES`` for HTML, ``MAX_CHARS`` for plain text): memory stays flat however large the archive
(one page, plus what one 16 KB block of a gzipped archive decompresses to).

A page is a ``response`` record with HTTP status 200, or a ``resource`` record, whose content type is HTML
or plain text. Other records (requests, metadata, revisits, images, redirects, errors) are skipped. The
page is decoded with the HTTP charset, else as any HTML or text input.

The publication date is the page's own (HTML metadata, a plain-text dateline), else the run's default date;
never the crawl date (``WARC-Date``), which the ``origin`` keeps: ``crawl.warc.gz#1234 (crawled
2017-09-14T10:00:00Z)``, 1234 being the record's byte offset (``warcio extract crawl.warc.gz 1234`` shows
the record). Error messages name the archive, the offset and the URL. A corrupt or truncated archive: the
pages before the damage are kept, then one error Document names the archive.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.limitreader import LimitReader

from polemos.ingest import readers
from polemos.ingest.decoding import DecodeError, decode_bytes
from polemos.model import Document

log = logging.getLogger(__name__)

ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
PAGE_TYPES = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text"}
_CHUNK_BYTES = 1 << 20
_REASON_CHARS = 120
_CHARSET = re.compile(r";\s*charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


class _DamagedArchive(Exception):
    """The archive ends inside a record, or a record cannot be read."""


@dataclass
class _Page:
    """A page record: how to read it, then what was read."""

    kind: str  # html | text
    charset: str | None  # from the HTTP Content-Type
    limit: int  # bytes read at most
    url: str | None = None
    crawled: str | None = None  # WARC-Date
    raw: bytes = b""  # up to limit + 1 bytes: more than limit means too large
    offset: int = 0  # of the record in the archive


def is_archive(path: Path) -> bool:
    """Whether ``path`` names a WARC or ARC file, compressed or not."""
    return path.name.lower().endswith(ARCHIVE_SUFFIXES)


def read_archive(path: Path, name: str, date: str | None) -> Iterator[Document]:
    """The pages in the archive at ``path``, lazily; ``name`` (its path relative to the input given) starts
    their ids (``crawl.warc.gz#1234``); ``date``: the default publication date."""
    archive = str(path)
    try:
        size = path.stat().st_size
        stream = path.open("rb")
    except OSError as error:
        yield readers._error_doc(name, archive, f"cannot read ({error.strerror or error})", "html")
        return
    with stream:
        if size == 0:
            yield readers._error_doc(name, archive, "empty file", "html")
            return
        pages = skipped = 0
        try:
            for page in _pages(stream, size):
                if page is None:
                    skipped += 1
                    continue
                pages += 1
                yield _page_document(page, archive, name, date)
        except _DamagedArchive as damage:
            message = f"truncated or corrupt archive ({damage}), after {pages:,} page{'s' * (pages != 1)}"
            yield readers._error_doc(name, archive, message, "html")
            return
        log.info("%s: %d pages, %d other records skipped", archive, pages, skipped)


def _pages(stream: BinaryIO, size: int) -> Iterator[_Page | None]:
    """Each record: a page, read up to its limit, or None for a record that is not a page. Raises
    ``_DamagedArchive`` where the archive is damaged."""
    records = ArchiveIterator(stream, arc2warc=True)
    iterator = iter(records)
    while True:
        try:
            record = next(iterator, None)
            if record is None:
                break
            page = _page_kind(record) if record.rec_type and record.length is not None else None
            if page is not None:
                page.raw = _read_at_most(record.content_stream(), page.limit)
                page.url = record.rec_headers.get_header("WARC-Target-URI")
                page.crawled = record.rec_headers.get_header("WARC-Date")
            offset = records.get_record_offset()  # reads the rest of the record
            if not record.rec_type or record.length is None:  # both are required in every record
                raise _DamagedArchive(f"the record at byte {offset:,} has no type or no length")
            if isinstance(record.raw_stream, LimitReader) and record.raw_stream.limit > 0:
                raise _DamagedArchive(f"the record at byte {offset:,} is cut short")
        except _DamagedArchive:
            raise
        except Exception as error:  # noqa: BLE001 - a damaged archive must not stop the run
            raise _DamagedArchive(_reason(error)) from error
        if page is not None:
            page.offset = offset
        yield page
    if records.offset < size:  # warcio stops quietly where a record's headers are cut
        raise _DamagedArchive(f"it ends inside the record at byte {records.offset:,}")


def _page_kind(record: Any) -> _Page | None:
    """How to read a page record (kind, charset, limit); None for other records."""
    if record.rec_type == "response":
        headers = record.http_headers
        if headers is None or headers.get_statuscode() != "200":
            return None
        content_type = headers.get_header("Content-Type")
    elif record.rec_type == "resource":
        content_type = record.rec_headers.get_header("Content-Type")
    else:
        return None
    media_type = (content_type or "").split(";")[0].strip().lower()
    kind = PAGE_TYPES.get(media_type)
    if kind is None:
        return None
    charset = _CHARSET.search(content_type or "")
    # module constants, read now: tests and callers may patch them
    limit = readers.MAX_HTML_BYTES if kind == "html" else readers.MAX_CHARS * readers.BYTES_PER_CHAR
    return _Page(kind=kind, charset=charset.group(1) if charset else None, limit=limit)


def _read_at_most(stream: Any, limit: int) -> bytes:
    """Up to ``limit + 1`` bytes of ``stream``: more than ``limit`` means too large."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = stream.read(min(_CHUNK_BYTES, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _page_document(page: _Page, archive: str, name: str, date: str | None) -> Document:
    id = f"{name}#{page.offset}"
    origin = f"{archive}#{page.offset}" + (f" (crawled {page.crawled})" if page.crawled else "")
    label = f"{archive}#{page.offset}" + (f" ({page.url})" if page.url else "")

    def failed(message: str) -> Document:
        return readers._error_doc(id, label, message, page.kind, origin=origin, url=page.url)

    if len(page.raw) > page.limit:
        of_html = " of HTML" if page.kind == "html" else ""
        return failed(f"too large (more than {page.limit:,} bytes{of_html})")
    if not page.raw.strip():
        return failed("empty page")
    try:
        text = decode_bytes(page.raw, declared_ok=page.kind == "html", charset=page.charset)
    except DecodeError as error:
        return failed(str(error))
    return readers._from_text(
        text,
        id=id,
        origin=origin,
        date=None,
        url=page.url,
        title=None,
        hint=page.kind,
        default_date=date,
        name=label,
    )


def _reason(error: Exception) -> str:
    """What went wrong, on one line and short (warcio quotes the damaged bytes)."""
    reason = " ".join(str(error).split()) or type(error).__name__
    return reason if len(reason) <= _REASON_CHARS else reason[: _REASON_CHARS - 1] + "…"
