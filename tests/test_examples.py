"""The bundled example articles are well-formed demo input (independent of the extraction code)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from lingua import Language, LanguageDetectorBuilder

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
BAD = EXAMPLES / "bad"
MAX_BYTES = 20_000

GOOD_FILES = sorted(
    p for p in (EXAMPLES / "articles").iterdir() if p.is_file() and p.suffix in {".txt", ".html", ".jsonl"}
)
TEXT_FILES = [p for p in GOOD_FILES if p.suffix == ".txt"]
HTML_FILES = [p for p in GOOD_FILES if p.suffix == ".html"]
JSONL_FILES = [p for p in GOOD_FILES if p.suffix == ".jsonl"]

# "BEIRUT, 22 November 2023 (Levant Wire) —" or "NAIROBI, July 9, 2024 (East Africa Press Service) —"
DATELINE = re.compile(r"^[A-Z][A-Z .'/-]+, [^()]*\b(19|20)\d{2} \([^)]+\) [—–-] ")


class _PageParser(HTMLParser):
    """Collects <title>, <meta> and the visible text of a page, and counts unclosed tags."""

    VOID = {"meta", "link", "img", "input", "br", "hr", "source", "wbr", "area", "base", "col", "embed"}
    INVISIBLE = {"script", "style", "title", "noscript"}

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.meta: dict[str, str] = {}
        self.text: list[str] = []
        self.open_tags: list[str] = []
        self.unclosed = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            named = dict(attrs)
            key = named.get("property") or named.get("name")
            if key and named.get("content") is not None:
                self.meta[key] = named["content"] or ""
        elif tag not in self.VOID:
            self.open_tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open_tags:
            index = len(self.open_tags) - 1 - self.open_tags[::-1].index(tag)
            self.unclosed += len(self.open_tags) - index - 1
            del self.open_tags[index:]

    def handle_data(self, data: str) -> None:
        current = self.open_tags[-1] if self.open_tags else ""
        if current == "title":
            self.title += data
        elif current not in self.INVISIBLE:
            self.text.append(data)

    def close(self) -> None:
        super().close()
        self.unclosed += len(self.open_tags)


def _parse_page(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def _words(text: str) -> int:
    return len(text.split())


@pytest.fixture(scope="module")
def detector():
    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.GERMAN, Language.FRENCH).build()


def test_example_set_covers_every_input_format() -> None:
    assert len(TEXT_FILES) >= 4
    assert len(HTML_FILES) >= 4
    assert len(JSONL_FILES) >= 1
    assert (EXAMPLES / "README.md").is_file()


@pytest.mark.parametrize("path", GOOD_FILES, ids=lambda p: p.name)
def test_example_is_small_readable_utf8(path: Path) -> None:
    raw = path.read_bytes()
    assert 0 < len(raw) < MAX_BYTES
    assert b"\x00" not in raw
    raw.decode("utf-8")  # raises on invalid UTF-8


@pytest.mark.parametrize("path", TEXT_FILES, ids=lambda p: p.name)
def test_text_example_has_headline_dateline_and_news_length(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    headline, body = lines[0], "\n".join(lines[1:])
    assert 20 <= len(headline) <= 160 and not headline.endswith(".")
    assert DATELINE.match(lines[1]), lines[1]
    assert 200 <= _words(body) <= 700


@pytest.mark.parametrize("path", HTML_FILES, ids=lambda p: p.name)
def test_html_example_has_page_metadata_and_boilerplate(path: Path) -> None:
    page = _parse_page(path)
    assert page.title.strip()
    assert page.meta.get("og:site_name")
    assert page.meta.get("author")
    published = datetime.fromisoformat(page.meta["article:published_time"].replace("Z", "+00:00"))
    assert published.tzinfo is not None
    assert "fictional" in page.meta.get("polemos:note", "").lower()
    visible = " ".join(" ".join(page.text).split())
    for boilerplate in ("Leave a Reply", "You are commenting using your WordPress.com account"):
        assert boilerplate in visible
    assert "cookie" in visible.lower()
    assert page.unclosed == 0
    assert 200 <= _words(visible) <= 1500


def test_jsonl_documents_have_required_fields() -> None:
    ids: list[str] = []
    for path in JSONL_FILES:
        lines = path.read_text(encoding="utf-8").splitlines()
        assert 3 <= len(lines) <= 4
        for line in lines:
            record = json.loads(line)
            for field in ("id", "date", "url", "title"):
                assert isinstance(record.get(field), str) and record[field], field
            date.fromisoformat(record["date"])
            assert ("text" in record) != ("html" in record)
            assert _words(record.get("text") or record.get("html")) >= 150
            ids.append(record["id"])
    assert len(ids) == len(set(ids))
    assert any("html" in json.loads(line) for path in JSONL_FILES for line in path.read_text().splitlines())


def test_good_examples_are_english(detector) -> None:
    for path in TEXT_FILES:
        assert detector.detect_language_of(path.read_text(encoding="utf-8")) == Language.ENGLISH, path.name
    for path in HTML_FILES:
        assert detector.detect_language_of(" ".join(_parse_page(path).text)) == Language.ENGLISH, path.name


def test_bad_folder_holds_each_kind_of_bad_input(detector) -> None:
    files = {p.name: p for p in BAD.iterdir() if p.is_file()}
    assert set(files) >= {"empty.txt", "binary.txt", "latin1.txt", "german.txt", "malformed.html"}
    assert all(p.stat().st_size < MAX_BYTES for p in files.values())

    assert files["empty.txt"].stat().st_size == 0

    binary = files["binary.txt"].read_bytes()
    assert 100 <= len(binary) and b"\x00" in binary
    with pytest.raises(UnicodeDecodeError):
        binary.decode("utf-8")

    latin1 = files["latin1.txt"].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        latin1.decode("utf-8")
    assert b"\x00" not in latin1 and any(ch > "\x7f" for ch in latin1.decode("latin-1"))

    german = files["german.txt"].read_text(encoding="utf-8")
    assert detector.detect_language_of(german) == Language.GERMAN

    page = _parse_page(files["malformed.html"])
    assert page.unclosed > 0
    assert _words(" ".join(page.text)) < 30


def test_readme_declares_examples_fictional_and_lists_every_file() -> None:
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    assert "fictional" in readme.lower()
    for path in GOOD_FILES:
        assert f"`{path.name}`" in readme, path.name
    for path in BAD.iterdir():
        assert f"`{path.name}`" in readme, path.name
