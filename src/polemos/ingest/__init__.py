"""The ingest stage: files, directories, JSONL, HTML, feeds, web archives and stdin → ``Document`` records."""

from polemos.ingest.decoding import DecodeError, decode_bytes
from polemos.ingest.html import HtmlContent, extract_html, metadata_date, parse_iso_date
from polemos.ingest.readers import (
    MAX_CHARS,
    MAX_HTML_BYTES,
    document_from_bytes,
    document_from_string,
    read_inputs,
    sniff_kind,
)

__all__ = [
    "MAX_CHARS",
    "MAX_HTML_BYTES",
    "DecodeError",
    "HtmlContent",
    "decode_bytes",
    "document_from_bytes",
    "document_from_string",
    "extract_html",
    "metadata_date",
    "parse_iso_date",
    "read_inputs",
    "sniff_kind",
]
