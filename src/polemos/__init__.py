"""polemos: conflict news in, structured, source-attributed event data out.

>>> import polemos
>>> result = polemos.extract("Rebels shelled the town of Kafr Nabl on Monday.", date="2023-03-15")
>>> result["events"][0]["type"]
'ASSAULT'
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "extract", "extract_documents", "open_store"]


def extract(
    text_or_html: str,
    date: str | None = None,
    *,
    id: str = "doc",
    url: str | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """Code one article (plain text or an HTML page): the same JSON object ``polemos extract`` prints."""
    from polemos.ingest import document_from_string

    document = document_from_string(text_or_html, id=id, date=date, url=url, title=title)
    return next(_pipeline().run([document])).to_dict()


def extract_documents(documents):
    """Code a stream of ``polemos.model.Document``; yields ``DocumentResult`` records in input order."""
    return _pipeline().run(documents)


def open_store(url=None):
    """The event store at ``url``: a path, ``sqlite:///path`` or ``postgresql://…`` (default polemos.db)."""
    from polemos.store import open_store as _open

    return _open(url)


def _pipeline():
    from polemos.pipeline import Pipeline

    global _PIPELINE
    if _PIPELINE is None:
        _PIPELINE = Pipeline()
    return _PIPELINE


_PIPELINE = None
