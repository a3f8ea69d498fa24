"""The ingest stage: files, directories, HTML, JSONL and stdin into Documents; bad input never stops a run."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest

import polemos.ingest.readers as readers
from polemos.ingest import document_from_bytes, document_from_string, read_inputs
from polemos.model import Document

NEWS_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Syrian troops reach Deir ez-Zor | Levant Monitor</title>
<meta property="og:site_name" content="Levant Monitor">
<meta name="author" content="Jane Smith">
{date_meta}
<link rel="canonical" href="https://levantmonitor.example/news/syria-deir-ez-zor">
</head>
<body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/politics">Politics</a></li></ul></nav></header>
<div class="cookie-banner">We use cookies to improve your experience.
<button>Accept all cookies</button></div>
<main><article>
<h1>Syrian troops reach Deir ez-Zor</h1>
<p class="byline">By Jane Smith. {byline_date}</p>
<p>Syrian government troops backed by Russian air strikes broke a three-year siege of the eastern city of
Deir ez-Zor on Tuesday, state media reported.</p>
<p>The Syrian Observatory for Human Rights said at least 12 civilians were killed in air strikes on the
eastern outskirts of the city. Russia said it would share intelligence with the coalition.</p>
<p>The US-backed Syrian Democratic Forces (SDF) announced a separate offensive east of the Euphrates river,
raising fears of a clash between the two sides.</p>
<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a>
<a href="#">Email</a></div>
</article></main>
<aside><h3>Related posts</h3><ul><li><a href="/a">Turkey shells Kurdish positions near Afrin</a></li>
<li><a href="/b">UN warns of humanitarian crisis in Raqqa</a></li></ul></aside>
<footer><p>&copy; 2017 Levant Monitor. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>
"""
DATE_META = '<meta property="article:published_time" content="2017-09-14T08:30:00+00:00">'


def news_page(date_meta: str = DATE_META, byline_date: str = "") -> str:
    return NEWS_PAGE.format(date_meta=date_meta, byline_date=byline_date)


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def read(*paths: Path | str, **kwargs: object) -> list[Document]:
    return list(read_inputs([str(path) for path in paths], **kwargs))  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------- text files


def test_text_file(tmp_path: Path) -> None:
    path = write(
        tmp_path / "report.txt", b"Troops shelled Idlib on Monday.\r\nFive civilians were killed.\r\n"
    )
    [doc] = read(path)
    assert doc.id == "report"
    assert doc.text == "Troops shelled Idlib on Monday.\nFive civilians were killed.\n"
    assert doc.source_format == "text"
    assert doc.origin == str(path)
    assert doc.errors == []
    assert doc.date is None


def test_default_date_fills_text_documents(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "Rebels attacked the base.")
    [doc] = read(path, default_date="2017-09-14")
    assert doc.date == "2017-09-14"
    with pytest.raises(ValueError, match="ISO date"):
        read(path, default_date="14/09/2017")


def test_latin1_file_is_decoded(tmp_path: Path) -> None:
    text = "Le président français a déclaré à Paris que les forces armées étaient prêtes, a-t-on appris."
    path = write(tmp_path / "fr.txt", text.encode("latin-1"))
    [doc] = read(path)
    assert doc.errors == []
    assert doc.text == text


def test_cp1252_quotes_are_decoded(tmp_path: Path) -> None:
    text = (
        "The minister said “we will respond” – and troops moved into the old town, officials said on Monday."
    )
    [doc] = read(write(tmp_path / "q.txt", text.encode("cp1252")))
    assert doc.text == text


def test_undecodable_file_is_an_error_not_replacement(tmp_path: Path) -> None:
    rng = random.Random(7)
    raw = b"The army said " + bytes(rng.randrange(0x80, 0x100) for _ in range(200)) + b" on Monday."
    path = write(tmp_path / "garbled.txt", raw)
    [doc] = read(path)
    assert doc.text == ""
    assert doc.errors == [
        f"{path}: not valid UTF-8, and the character encoding could not be detected with confidence"
    ]


def test_boms_are_handled() -> None:
    utf8 = document_from_bytes("\ufeffTroops advanced.".encode(), id="a", origin="a")
    utf16 = document_from_bytes("Troops advanced on Monday.".encode("utf-16"), id="b", origin="b")
    assert utf8.text == "Troops advanced."
    assert utf16.text == "Troops advanced on Monday."


# ------------------------------------------------------------------------------------------------- HTML


def test_html_file_main_text_and_metadata(tmp_path: Path) -> None:
    [doc] = read(write(tmp_path / "page.html", news_page()))
    assert doc.errors == []
    assert doc.source_format == "html"
    assert doc.id == "page"
    assert doc.title == "Syrian troops reach Deir ez-Zor"
    assert doc.site == "Levant Monitor"
    assert doc.author == "Jane Smith"
    assert doc.url == "https://levantmonitor.example/news/syria-deir-ez-zor"
    assert doc.date == "2017-09-14"
    assert "broke a three-year siege" in doc.text
    assert "Russia said it would share intelligence with the coalition." in doc.text
    for noise in (
        "Politics",
        "cookies",
        "Share on Facebook",
        "Related posts",
        "All rights reserved",
        "Afrin",
    ):
        assert noise not in doc.text
    paragraphs = [line for line in doc.text.splitlines() if line.strip()]
    assert any(line.startswith("The Syrian Observatory") for line in paragraphs)
    assert any(line.startswith("The US-backed Syrian Democratic Forces") for line in paragraphs)


def test_html_date_only_from_metadata(tmp_path: Path) -> None:
    page = news_page(date_meta="", byline_date="Posted 12 March 2016")
    [doc] = read(write(tmp_path / "page.html", page))
    assert doc.errors == []
    assert doc.date is None  # a date in the body text is not the publication date
    [doc] = read(write(tmp_path / "page.html", page), default_date="2017-09-20")
    assert doc.date == "2017-09-20"


def test_html_jsonld_date_wins_over_default_date(tmp_path: Path) -> None:
    jsonld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2017-09-13"}</script>'
    )
    path = write(tmp_path / "page.htm", news_page(date_meta=jsonld))
    assert read(path)[0].date == "2017-09-13"
    assert read(path, default_date="2017-09-20")[0].date == "2017-09-13"


def test_malformed_html_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.html", "<<<>>> <div <p </b>")
    [doc] = read(path)
    assert doc.text == ""
    assert doc.source_format == "html"
    assert doc.errors and doc.errors[0].startswith(f"{path}: no main text found in the HTML")


def test_document_from_string_sniffs_html() -> None:
    html = document_from_string("<p>Rebels shelled the town.</p><p>Two soldiers died.</p>", id="x")
    text = document_from_string("Rebels said <b> is not a tag here.", id="y", date="2017-01-02")
    assert html.source_format == "html"
    assert html.text.splitlines() == ["Rebels shelled the town.", "Two soldiers died."]
    assert text.source_format == "text"
    assert text.text == "Rebels said <b> is not a tag here."
    assert text.date == "2017-01-02"
    assert document_from_string("   \n").errors == ["doc: empty text"]


# ------------------------------------------------------------------------------------------------ JSONL


def test_jsonl_records(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "r1", "text": "Rebels attacked the base.", "date": "2017-09-14T10:00:00Z"}),
        json.dumps({"html": "<p>Government forces shelled Idlib, killing five.</p>", "title": "Idlib"}),
        "{not json",
        "",
        json.dumps([1, 2]),
        json.dumps({"id": "r6", "text": ""}),
        json.dumps({"id": "r7", "body": "no text field"}),
        json.dumps({"id": 8, "text": "Protesters gathered in Kabul.", "url": "https://x.example/a"}),
    ]
    path = write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    docs = read(path, default_date="2020-01-01")
    assert [doc.id for doc in docs] == ["r1", "feed.jsonl:2", "feed.jsonl:3", "feed.jsonl:5", "r6", "r7", "8"]
    by_id = {doc.id: doc for doc in docs}
    assert by_id["r1"].text == "Rebels attacked the base."
    assert by_id["r1"].date == "2017-09-14"  # the record's own date wins over the run's default
    assert by_id["r1"].source_format == "jsonl"
    assert by_id["r1"].origin == f"{path}:1"
    assert by_id["feed.jsonl:2"].source_format == "html"
    assert by_id["feed.jsonl:2"].text == "Government forces shelled Idlib, killing five."
    assert by_id["feed.jsonl:2"].title == "Idlib"
    assert by_id["feed.jsonl:2"].date == "2020-01-01"
    assert by_id["feed.jsonl:3"].errors[0].startswith(f"{path}:3: invalid JSON")
    assert by_id["feed.jsonl:5"].errors == [f"{path}:5: expected a JSON object"]
    assert by_id["r6"].errors == [f"{path}:6: empty text"]
    assert by_id["r7"].errors == [f"{path}:7: no 'text' or 'html' field"]
    assert by_id["8"].url == "https://x.example/a"
    assert all(doc.text == "" for doc in docs if doc.errors)


def test_duplicate_ids_are_made_unique(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "same", "text": f"Report number {n}."}) for n in range(3)]
    docs = read(write(tmp_path / "dups.jsonl", "\n".join(lines)))
    assert [doc.id for doc in docs] == ["same", "same#2", "same#3"]


def test_json_file_with_a_list(tmp_path: Path) -> None:
    records = [{"id": "a", "text": "Troops advanced."}, {"text": "Rebels retreated."}]
    docs = read(write(tmp_path / "batch.json", json.dumps(records)))
    assert [(doc.id, doc.text) for doc in docs] == [
        ("a", "Troops advanced."),
        ("batch.json:2", "Rebels retreated."),
    ]


# ------------------------------------------------------------------------------------------- directories


def test_directory_of_mixed_files(tmp_path: Path) -> None:
    root = tmp_path / "in"
    write(root / "b.txt", "Troops shelled the town.")
    write(root / "a.html", news_page())
    write(root / "a.txt", "Same stem as the HTML page.")
    write(root / "empty.txt", "")
    write(root / "blob.bin", bytes(range(256)) * 8)
    write(root / "scan.pdf", b"%PDF-1.4\n%binary\n")
    write(root / "notes", "A file without an extension is sniffed: plain text.")
    write(root / ".hidden.txt", "skipped")
    write(root / ".git" / "config.txt", "skipped")
    write(root / "sub" / "c.md", "Militants attacked a checkpoint.")
    docs = read(root)
    assert [doc.id for doc in docs] == ["a", "a.txt", "b", "blob", "empty", "notes", "scan", "sub/c"]
    errors = {doc.id: doc.errors for doc in docs if doc.errors}
    assert errors == {
        "blob": [f"{root / 'blob.bin'}: binary content, not text (NUL bytes)"],
        "empty": [f"{root / 'empty.txt'}: empty file"],
        "scan": [f"{root / 'scan.pdf'}: binary content, not text (a PDF document)"],
    }
    texts = {doc.id: doc.text for doc in docs}
    assert texts["sub/c"] == "Militants attacked a checkpoint."
    assert texts["notes"].startswith("A file without an extension")
    assert "three-year siege" in texts["a"]
    assert docs == read(root)  # stable order and content


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    docs = read(missing, tmp_path / "sub" / "nope.txt")
    assert [doc.id for doc in docs] == ["nope", "nope#2"]
    assert docs[0].errors == [f"{missing}: no such file or directory"]
    assert docs[0].text == ""


def test_reading_is_lazy(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "First report.")
    documents = read_inputs([str(tmp_path)])
    write(tmp_path / "b.txt", "Written after reading started, before it got there.")
    assert next(documents).id == "a"
    assert next(documents).text.startswith("Written after")


# ------------------------------------------------------------------------------------------------- limits


def test_huge_file_is_rejected_without_reading_it(tmp_path: Path, bytes_read: list[int]) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as stream:
        stream.write(b"Troops advanced. " * 5_000)  # text beyond the sniffed head
        stream.truncate(50 * 1024 * 1024)  # sparse: no 50 MB written to disk
    [doc] = read(path)
    assert doc.text == ""
    assert doc.errors == [f"{path}: too large (52,428,800 bytes > 1,000,000 characters)"]
    assert sum(bytes_read) <= 65_536


def test_text_over_max_chars(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_CHARS", 1_000)
    path = write(tmp_path / "long.txt", "word " * 300)
    [doc] = read(path)
    assert doc.errors == [f"{path}: too large (1,500 characters > 1,000)"]
    html = (
        "<html><body><article>"
        + "<p>Troops advanced on the town again.</p>" * 60
        + "</article></body></html>"
    )
    assert "too large" in document_from_string(html).errors[0]


def test_jsonl_line_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_CHARS", 100)
    monkeypatch.setattr(readers, "MAX_HTML_BYTES", 500)
    lines = [
        json.dumps({"id": "big", "text": "x " * 2_000}),
        json.dumps({"id": "ok", "text": "Troops advanced."}),
    ]
    docs = read(write(tmp_path / "f.jsonl", "\n".join(lines)))
    assert [doc.id for doc in docs] == ["f.jsonl:1", "ok"]
    assert "line too large" in docs[0].errors[0]
    assert docs[1].text == "Troops advanced."


# -------------------------------------------------------------------------------------------------- stdin


def test_stdin_text() -> None:
    [doc] = read("-", stdin=io.BytesIO(b"Police fired tear gas at protesters in Nairobi."))
    assert (doc.id, doc.origin, doc.text) == (
        "stdin",
        "<stdin>",
        "Police fired tear gas at protesters in Nairobi.",
    )


def test_stdin_html_and_jsonl() -> None:
    [html] = read("-", stdin=io.BytesIO(news_page().encode()))
    assert html.source_format == "html"
    assert html.date == "2017-09-14"
    lines = b'{"id": "s1", "text": "Rebels advanced."}\n{"text": "Army retreated."}\n'
    docs = read("-", stdin=io.BytesIO(lines))
    assert [(doc.id, doc.origin, doc.text) for doc in docs] == [
        ("s1", "<stdin>:1", "Rebels advanced."),
        ("stdin:2", "<stdin>:2", "Army retreated."),
    ]


def test_stdin_binary_and_empty() -> None:
    [binary] = read("-", stdin=io.BytesIO(b"\x00\x01\x02" * 100))
    [empty] = read("-", stdin=io.BytesIO(b""))
    assert binary.errors == ["<stdin>: binary content, not text (NUL bytes)"]
    assert empty.errors == ["<stdin>: empty input"]
