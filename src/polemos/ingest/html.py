"""HTML → main text and metadata, with trafilatura.

trafilatura (``bare_extraction``) gives the main text without navigation, footers and comments, plus
title, author, site name and canonical URL. Its date comes from htmldate, which may *guess* a date from
the page body (a "Posted 12 March 2016" in a sidebar, a date in a related-article teaser). A wrong
publication date shifts every relative date in the text, so polemos only takes a date that the page
states as metadata: publication-date ``<meta>`` tags, JSON-LD ``datePublished``/``dateCreated``,
``<time itemprop="datePublished">``/``<time pubdate>``, or a full ``/YYYY/MM/DD/`` date in the page URL.
Modification dates are not used.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime
from typing import Any

import trafilatura
from lxml.html import HtmlElement
from trafilatura.utils import load_html

# <meta name|property|itemprop="..."> values that state a publication date (lower-cased).
_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article.published",
    "datepublished",
    "date_published",
    "publishdate",
    "publish-date",
    "publish_date",
    "published_time",
    "publication_date",
    "pubdate",
    "dc.date.issued",
    "dc.date",
    "dcterms.issued",
    "dcterms.date",
    "dcterms.created",
    "dc.date.created",
    "citation_publication_date",
    "citation_date",
    "parsely-pub-date",
    "sailthru.date",
    "originalpublicationdate",
    "article_date_original",
    "date",
)
_PAGE_TAG = re.compile(r"<(?:html|body)[\s>]", re.IGNORECASE)
_JSONLD_DATE_KEYS = ("datePublished", "dateCreated")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})(?:/|$|[-_])")
_ISO_DATE = re.compile(r"\s*((?:19|20)\d{2})[-/.]?(\d{2})[-/.]?(\d{2})(?:$|[T\s_]|[+-]\d\d:?\d\d$|Z)")


@dataclass
class HtmlContent:
    """What an HTML page gives: main text (paragraphs on their own lines) and metadata."""

    text: str
    title: str | None
    author: str | None
    site: str | None
    url: str | None
    date: str | None


def parse_iso_date(value: str) -> str | None:
    """``YYYY-MM-DD`` from an ISO 8601 / RFC 2822 date or timestamp; None when it is not a valid date."""
    value = value.strip()
    match = _ISO_DATE.match(value)
    if match:
        return _valid_date(*(int(group) for group in match.groups()))
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return _valid_date(parsed.year, parsed.month, parsed.day)


def _valid_date(year: int, month: int, day: int) -> str | None:
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    if not 1900 <= found.year <= date.today().year + 1:
        return None
    return found.isoformat()


def extract_html(html: str, url: str | None = None) -> HtmlContent | None:
    """Main text and metadata of ``html`` (a page or a fragment); None when it has no main text."""
    if not _PAGE_TAG.search(html):
        html = f"<html><body>{html}</body></html>"  # lxml reads a lone "<p>…</p>" as an element, not a page
    tree = load_html(html)
    if tree is None:
        return None
    result = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,  # reader comments are not the news
        include_tables=True,  # old sites lay articles out in tables
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if result is None or not (result.text or "").strip():
        return None
    page_url = url or result.url
    return HtmlContent(
        text=result.text,
        title=_clean(result.title),
        author=_clean(result.author),
        site=_clean(result.sitename) or _clean(result.hostname),
        url=page_url,
        date=metadata_date(tree, page_url),
    )


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def metadata_date(tree: HtmlElement, url: str | None = None) -> str | None:
    """The publication date the page states in its metadata (see the module docstring), or None."""
    by_name: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = meta.get("content")
        if key in _DATE_META and content and key not in by_name:
            by_name[key] = content
    for key in _DATE_META:
        found = parse_iso_date(by_name[key]) if key in by_name else None
        if found:
            return found
    found = _jsonld_date(tree)
    if found:
        return found
    for element in tree.iter("time"):
        if element.get("itemprop") == "datePublished" or element.get("pubdate") is not None:
            found = parse_iso_date(element.get("datetime") or element.text_content())
            if found:
                return found
    links = (link.get("href") for link in tree.iter("link") if link.get("rel") == "canonical")
    canonical = url or next(links, None)
    if canonical:
        match = _URL_DATE.search(canonical)
        if match:
            return _valid_date(*(int(group) for group in match.groups()))
    return None


def _jsonld_date(tree: HtmlElement) -> str | None:
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        for item in _jsonld_objects(data):
            for key in _JSONLD_DATE_KEYS:
                value = item.get(key)
                if isinstance(value, str):
                    found = parse_iso_date(value)
                    if found:
                        return found
    return None


def _jsonld_objects(data: Any, depth: int = 0) -> list[dict[str, Any]]:
    """JSON-LD objects, outer ones first (an article before the items it nests)."""
    if depth > 5:
        return []
    if isinstance(data, list):
        return [obj for item in data for obj in _jsonld_objects(item, depth + 1)]
    if not isinstance(data, dict):
        return []
    found = [data]
    for key in ("@graph", "mainEntity", "mainEntityOfPage"):
        if key in data:
            found.extend(_jsonld_objects(data[key], depth + 1))
    return found
