"""The web page: one HTML page with its scripts, styles, vendored libraries and offline basemap, served by
the API's process (``GET /`` and ``GET /static/...``). Everything the page needs is in ``static/``: it loads
nothing from the internet (a tile layer only when the user sets a tile URL)."""

from __future__ import annotations

from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"
INDEX_HTML = STATIC_DIR / "index.html"
