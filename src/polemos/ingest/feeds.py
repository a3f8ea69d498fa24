"""RSS and Atom feed files → one :class:`~polemos.model.Document` per entry.

feedparser parses the local bytes, handed over as a stream: given a string or bytes it may fetch a URL or
open a file the string names, and a stream it only reads. External entities and DTDs are not fetched
(feedparser turns them off in its XML parser), and relative URIs in entry content are left as they are.

An entry's text is its ``content`` (HTML goes through the HTML path, so that offsets index the extracted
text as for HTML pages), else its ``summary``. Its date is the entry's published (else updated) date, as
the feed states it, not converted to UTC; else the run's default date. The feed's title is the ``site``.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
from lxml import etree
from lxml.html import fragment_fromstring

from polemos.ingest import readers
from polemos.ingest.html import parse_iso_date
from polemos.model import Document

log = logging.getLogger(__name__)

FEED_EXTENSIONS = frozenset({".rss", ".atom"})
MAX_FEED_BYTES = 64_000_000  # longest feed file (parsed whole)

# The root element of an RSS 2.0/0.9x, Atom or RSS 1.0 (RDF) document, after an XML declaration, comments,
# processing instructions (stylesheets) and a doctype.
_FEED_ROOT = re.compile(
    rb"\s*(?:<\?xml[^>]*>\s*)?(?:(?:<!--.*?-->|<\?[^>]*>|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)\s*)*"
    rb"<(?:rss[\s>]|(?:[\w.-]+:)?feed[\s>]|rdf:RDF[^>]*?purl\.org/rss/1\.0)",
    re.IGNORECASE | re.DOTALL,
)
_SNIFF_BYTES = 4096
_MARKUP = re.compile(r"<[a-zA-Z!/]|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]\w*);")


def looks_like_feed(head: bytes) -> bool:
    """Whether ``head`` (the first bytes of an input) starts an RSS or Atom feed."""
    return bool(_FEED_ROOT.match(head.removeprefix(b"\xef\xbb\xbf")[:_SNIFF_BYTES]))


def is_feed_file(path: Path) -> bool:
    """Whether the file at ``path`` starts like a feed (reads its first few KB; False when unreadable)."""
    try:
        with path.open("rb") as stream:
            return looks_like_feed(stream.read(_SNIFF_BYTES))
    except OSError:
        return False


def read_feed_file(path: Path, name: str, date: str | None) -> Iterator[Document]:
    """The entries of the feed file at ``path``; ``name`` (its path relative to the input given) starts
    the entries' ids (``feed.xml#3``); ``date``: the default publication date."""
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FEED_BYTES:
            yield readers._error_doc(name, origin, f"too large ({size:,} bytes > {MAX_FEED_BYTES:,})", "html")
            return
        raw = path.read_bytes()
    except OSError as error:
        yield readers._error_doc(name, origin, f"cannot read ({error.strerror or error})", "html")
        return
    yield from feed_documents(raw, name, origin, date)


def feed_documents(raw: bytes, name: str, origin: str, date: str | None) -> Iterator[Document]:
    """One Document per entry of the feed in ``raw``; one error Document when there are none."""
    if not raw.strip():
        yield readers._error_doc(name, origin, "empty file", "html")
        return
    parsed = feedparser.parse(io.BytesIO(raw), resolve_relative_uris=False)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not parsed.entries:
        if problem is not None:
            message = f"not a well-formed RSS or Atom feed ({_reason(problem)})"
        elif not parsed.get("version"):
            message = "not an RSS or Atom feed"
        else:
            message = "a feed without entries"
        yield readers._error_doc(name, origin, message, "html")
        return
    if problem is not None:
        log.warning("%s: feed read despite an error (%s)", origin, _reason(problem))
    site = _plain(parsed.feed.get("title_detail"))
    for number, entry in enumerate(parsed.entries, 1):
        yield _entry_document(entry, f"{name}#{number}", f"{origin}#{number}", site, date)


def _entry_document(
    entry: dict[str, Any], id: str, origin: str, site: str | None, default_date: str | None
) -> Document:
    title = _plain(entry.get("title_detail"))
    url = (entry.get("link") or "").strip() or None
    author = (entry.get("author_detail") or {}).get("name") or entry.get("author") or None
    body = _body(entry)
    if body is None:
        message = "a feed entry without text (no content or summary)"
        return readers._error_doc(id, origin, message, "html", title=title, url=url, site=site)
    text, is_html = body
    return readers._from_text(
        text,
        id=id,
        origin=origin,
        date=_entry_date(entry),
        url=url,
        title=title,
        hint="html" if is_html else "text",
        author=author,
        site=site,
        default_date=default_date,
    )


def _body(entry: dict[str, Any]) -> tuple[str, bool] | None:
    """The entry's text and whether it is HTML: its content (HTML preferred), else its summary."""
    contents = [item for item in entry.get("content") or [] if (item.get("value") or "").strip()]
    contents.sort(key=lambda item: "html" not in (item.get("type") or ""))
    details = [*contents, entry.get("summary_detail") or {"value": entry.get("summary"), "type": "text/html"}]
    for detail in details:
        value = detail.get("value") or ""
        if value.strip():
            return value, "html" in (detail.get("type") or "") and bool(_MARKUP.search(value))
    return None


def _entry_date(entry: dict[str, Any]) -> str | None:
    """The published (else updated) date as the feed writes it; feedparser's UTC reading as a fallback."""
    for key in ("published", "updated"):
        stated = entry.get(key)
        found = parse_iso_date(stated) if isinstance(stated, str) else None
        if found:
            return found
        parsed = entry.get(f"{key}_parsed")
        found = parse_iso_date("{:04d}-{:02d}-{:02d}".format(*parsed[:3])) if parsed else None
        if found:
            return found
    return None


def _plain(detail: dict[str, Any] | None) -> str | None:
    """A feed text construct (title) as plain text: markup removed when it is HTML, spaces normalised."""
    value = (detail or {}).get("value") or ""
    if "html" in ((detail or {}).get("type") or "") and _MARKUP.search(value):
        try:
            value = fragment_fromstring(value, create_parent="div").text_content()
        except (ValueError, etree.ParserError):
            pass  # not parseable as HTML: keep the text as written
    return " ".join(value.split()) or None


def _reason(problem: Exception) -> str:
    return str(problem) or type(problem).__name__
