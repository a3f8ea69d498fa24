"""RSS/Atom feeds and WARC/ARC web archives as inputs: one Document per entry or page, bad input never
stops a run, archives are read as a stream."""

from __future__ import annotations

import io
import json
import re
import tracemalloc
from pathlib import Path

import feedparser
import pytest
from test_ingest import read, write  # the same helpers: write a file, read documents from paths
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import polemos.ingest.readers as readers
from polemos.cli import app
from polemos.ingest import read_inputs
from polemos.model import Document

KAFR_NABL = "Rebels shelled the town of Kafr Nabl on Monday, killing five civilians."
IDLIB = "Government forces retook two villages south of Idlib on Tuesday, a monitoring group said."

RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>Levant &amp; Gulf Wire</title>
<link>https://levantwire.example/</link>
<description>News from the Levant</description>
<item>
  <title>Shelling in Kafr Nabl</title>
  <link>https://levantwire.example/news/kafr-nabl</link>
  <pubDate>Mon, 11 Sep 2017 23:30:00 -0300</pubDate>
  <dc:creator>Jane Smith</dc:creator>
  <description>A short teaser that is not the article.</description>
  <content:encoded><![CDATA[<p>{KAFR_NABL}</p>
<p>The <b>Syrian Observatory</b> said the dead included two children.</p>]]></content:encoded>
</item>
<item>
  <title>Villages retaken</title>
  <link>https://levantwire.example/news/idlib</link>
  <description>{IDLIB}</description>
</item>
<item>
  <title>Photo gallery</title>
  <link>https://levantwire.example/gallery</link>
</item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title type="html">Sahel &lt;b&gt;Monitor&lt;/b&gt;</title>
<id>tag:sahel.example,2023:feed</id>
<updated>2023-03-20T12:00:00Z</updated>
<entry>
  <title>Convoy ambushed</title>
  <id>tag:sahel.example,2023:1</id>
  <link rel="alternate" href="https://sahel.example/convoy"/>
  <published>2023-03-14T23:30:00+01:00</published>
  <updated>2023-03-16T08:00:00Z</updated>
  <author><name>Amadou Diallo</name></author>
  <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">
    <p>Militants ambushed a military convoy near Gao on Tuesday.</p>
    <p>The army said three soldiers were wounded.</p>
  </div></content>
</entry>
<entry>
  <title>Talks resume</title>
  <id>tag:sahel.example,2023:2</id>
  <link href="https://sahel.example/talks"/>
  <updated>2023-03-17T09:00:00Z</updated>
  <summary>Mediators said talks between the government and the rebels would resume in Algiers.</summary>
</entry>
</feed>
"""

NEWS_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title>{meta}</head>
<body><article><p>{text}</p></article></body></html>
"""
CRAWL_DATE = "2024-05-06T07:08:09Z"

runner = CliRunner()


def page(text: str, title: str = "News", published: str | None = None, encoding: str = "utf-8") -> bytes:
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    html = NEWS_PAGE.format(title=title, meta=meta, text=text)
    return html.replace('<meta charset="utf-8">', "").encode(encoding)


class Archive:
    """A WARC (gzipped per record, or not) written with warcio, record by record."""

    def __init__(self, path: Path, gzip: bool = True) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._out = path.open("wb")
        self._writer = WARCWriter(self._out, gzip=gzip)

    def response(
        self, url: str, body: bytes, content_type: str = "text/html; charset=utf-8", status: str = "200 OK"
    ) -> None:
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        self._write(url, "response", body, http_headers=headers)

    def resource(self, url: str, body: bytes, content_type: str) -> None:
        self._write(url, "resource", body, warc_content_type=content_type)

    def request(self, url: str) -> None:
        headers = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
        self._write(url, "request", b"", http_headers=headers)

    def warcinfo(self) -> None:
        self._writer.write_record(self._writer.create_warcinfo_record(self.path.name, {"software": "test"}))

    def _write(self, url: str, kind: str, body: bytes, **kwargs: object) -> None:
        record = self._writer.create_warc_record(
            url,
            kind,
            payload=io.BytesIO(body),
            warc_headers_dict={"WARC-Date": CRAWL_DATE},
            **kwargs,  # type: ignore[arg-type]
        )
        self._writer.write_record(record)

    def close(self) -> Path:
        self._out.close()
        return self.path


def crawl(path: Path, gzip: bool = True) -> Path:
    """An archive of two pages among records that are not pages."""
    archive = Archive(path, gzip)
    archive.warcinfo()
    archive.request("https://levantwire.example/kafr-nabl")
    archive.response("https://levantwire.example/kafr-nabl", page(KAFR_NABL, "Kafr Nabl", "2017-09-11"))
    archive.response("https://levantwire.example/logo.png", b"\x89PNG\r\n" + bytes(200), "image/png")
    archive.response("https://levantwire.example/old", page(IDLIB), status="301 Moved Permanently")
    archive.response("https://levantwire.example/gone", page(IDLIB), status="404 Not Found")
    archive.response("https://levantwire.example/idlib", page(IDLIB, "Idlib"))
    archive.resource("https://levantwire.example/data.json", b'{"a": 1}', "application/json")
    return archive.close()


def offsets(docs: list[Document], name: str) -> list[int]:
    """The record offsets in ids ``name#OFFSET``, checking the form."""
    found = [re.fullmatch(re.escape(name) + r"#(\d+)", doc.id) for doc in docs]
    assert all(found), [doc.id for doc in docs]
    return [int(match.group(1)) for match in found if match]


# ------------------------------------------------------------------------------------------------- feeds


def test_rss_feed_gives_one_document_per_entry(tmp_path: Path) -> None:
    path = write(tmp_path / "wire.rss", RSS)
    docs = read(path, default_date="2017-09-20")
    assert [doc.id for doc in docs] == ["wire.rss#1", "wire.rss#2", "wire.rss#3"]
    assert [doc.origin for doc in docs] == [f"{path}#1", f"{path}#2", f"{path}#3"]
    first, second, empty = docs
    assert first.errors == []
    assert first.title == "Shelling in Kafr Nabl"
    assert first.url == "https://levantwire.example/news/kafr-nabl"
    assert first.date == "2017-09-11"  # the date as the feed states it, not converted to UTC (12 Sep)
    assert first.site == "Levant & Gulf Wire"
    assert first.author == "Jane Smith"
    assert first.source_format == "html"
    # the content, not the teaser in <description>; HTML reduced to its text, a paragraph a line
    assert first.text.splitlines() == [
        KAFR_NABL,
        "The Syrian Observatory said the dead included two children.",
    ]
    assert (second.text, second.source_format, second.title) == (IDLIB, "text", "Villages retaken")
    assert second.date == "2017-09-20"  # no date in the entry: the run's default date
    assert second.site == "Levant & Gulf Wire"
    assert empty.text == ""
    assert empty.errors == [f"{path}#3: a feed entry without text (no content or summary)"]
    assert (empty.title, empty.url) == ("Photo gallery", "https://levantwire.example/gallery")


def test_atom_feed(tmp_path: Path) -> None:
    path = write(tmp_path / "sahel.atom", ATOM)
    convoy, talks = read(path)
    assert convoy.errors == [] and talks.errors == []
    assert convoy.text.splitlines() == [
        "Militants ambushed a military convoy near Gao on Tuesday.",
        "The army said three soldiers were wounded.",
    ]
    assert convoy.date == "2023-03-14"  # published wins over updated
    assert (convoy.title, convoy.url, convoy.author) == (
        "Convoy ambushed",
        "https://sahel.example/convoy",
        "Amadou Diallo",
    )
    assert convoy.site == "Sahel Monitor"  # the feed's HTML title as text
    assert talks.date == "2023-03-17"  # no published date: the updated one
    assert talks.text.startswith("Mediators said talks")
    assert talks.url == "https://sahel.example/talks"


def test_feed_dates_fall_back_to_the_default_date(tmp_path: Path) -> None:
    undated = RSS.replace("<pubDate>Mon, 11 Sep 2017 23:30:00 -0300</pubDate>", "")
    path = write(tmp_path / "wire.rss", undated)
    assert [doc.date for doc in read(path)][:2] == [None, None]
    assert [doc.date for doc in read(path, default_date="2017-09-14")][:2] == ["2017-09-14", "2017-09-14"]


def test_feeds_are_sniffed_in_xml_and_unnamed_files(tmp_path: Path) -> None:
    write(tmp_path / "feed.xml", RSS)
    write(tmp_path / "download", ATOM)
    write(tmp_path / "note.xml", '<?xml version="1.0"?><note>Troops advanced on the town.</note>')
    docs = {doc.id: doc for doc in read(tmp_path)}
    assert sorted(docs) == ["download#1", "download#2", "feed.xml#1", "feed.xml#2", "feed.xml#3", "note"]
    assert docs["feed.xml#1"].title == "Shelling in Kafr Nabl"
    assert docs["download#1"].site == "Sahel Monitor"
    assert docs["note"].source_format == "text"  # XML that is not a feed is read as before


def test_malformed_feed_is_one_error_and_the_run_goes_on(tmp_path: Path) -> None:
    broken = write(tmp_path / "broken.rss", '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Cut')
    not_a_feed = write(tmp_path / "words.atom", "Just some words, not XML at all.")
    empty = write(tmp_path / "empty.rss", "")
    after = write(tmp_path / "after.txt", KAFR_NABL)
    docs = read(broken, not_a_feed, empty, after)
    assert [doc.id for doc in docs] == ["broken.rss", "words.atom", "empty.rss", "after"]
    assert docs[0].errors[0].startswith(f"{broken}: not a well-formed RSS or Atom feed (")
    assert docs[1].errors[0].startswith(f"{not_a_feed}: not a well-formed RSS or Atom feed (")
    assert docs[2].errors == [f"{empty}: empty file"]
    assert all(doc.text == "" for doc in docs[:3])
    assert (docs[3].text, docs[3].errors) == (KAFR_NABL, [])


def test_feedparser_reads_only_the_bytes_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fetching(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"feedparser tried to fetch {args[:1]}")

    monkeypatch.setattr(feedparser.api.http, "get", no_fetching)
    real = write(tmp_path / "real.rss", RSS)
    # given as a string or bytes, feedparser would fetch this URL, or open that file and parse it
    pointer = write(tmp_path / "pointer.rss", str(real))
    url = write(tmp_path / "url.rss", "https://levantwire.example/feed.rss")
    docs = read(pointer, url)
    assert [doc.id for doc in docs] == ["pointer.rss", "url.rss"]
    assert all(doc.errors and "not a well-formed RSS or Atom feed" in doc.errors[0] for doc in docs)


def test_feed_external_entities_are_not_read(tmp_path: Path) -> None:
    secret = write(tmp_path / "secret.txt", "SECRET")
    doctype = f'<!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>\n<rss version="2.0"'
    feed = RSS.replace('<rss version="2.0"', doctype, 1).replace("<title>Villages retaken", "<title>&x;", 1)
    docs = read(write(tmp_path / "entity.rss", feed))
    assert docs[0].text.startswith(KAFR_NABL)  # the feed is read
    assert all("SECRET" not in f"{doc.title} {doc.text}" for doc in docs)


def test_feed_on_standard_input() -> None:
    docs = read("-", stdin=io.BytesIO(ATOM.encode()))
    assert [(doc.id, doc.origin, doc.title) for doc in docs] == [
        ("stdin#1", "<stdin>#1", "Convoy ambushed"),
        ("stdin#2", "<stdin>#2", "Talks resume"),
    ]


# ----------------------------------------------------------------------------------------- web archives


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_warc_pages_and_skipped_records(tmp_path: Path, name: str) -> None:
    path = crawl(tmp_path / name, gzip=name.endswith(".gz"))
    docs = read(path, default_date="2017-09-20")
    kafr_nabl, idlib = docs
    assert [doc.errors for doc in docs] == [[], []]
    first, second = offsets(docs, name)
    assert 0 < first < second < path.stat().st_size
    assert kafr_nabl.origin == f"{path}#{first} (crawled {CRAWL_DATE})"
    assert (kafr_nabl.url, kafr_nabl.title, kafr_nabl.text) == (
        "https://levantwire.example/kafr-nabl",
        "Kafr Nabl",
        KAFR_NABL,
    )
    assert kafr_nabl.date == "2017-09-11"  # the page's own metadata date, not the crawl date
    assert kafr_nabl.source_format == "html"
    assert (idlib.url, idlib.text) == ("https://levantwire.example/idlib", IDLIB)
    assert idlib.date == "2017-09-20"  # no date in the page: the run's default, never the crawl date
    assert read(path)[1].date is None


def test_warc_record_offsets_locate_the_records(tmp_path: Path) -> None:
    from warcio.archiveiterator import ArchiveIterator

    path = crawl(tmp_path / "crawl.warc.gz")
    docs = read(path)
    with path.open("rb") as stream:
        for doc, offset in zip(docs, offsets(docs, "crawl.warc.gz"), strict=True):
            stream.seek(offset)
            record = next(iter(ArchiveIterator(stream)))
            assert record.rec_headers.get_header("WARC-Target-URI") == doc.url


def test_warc_plain_text_resource_and_http_charset(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "mixed.warc.gz")
    german = "Der Präsident sagte, die Truppen seien bereit."  # detection alone reads "Prèsident"
    archive.response(
        "https://presse.example/a", page(german, encoding="mac_roman"), "text/html; charset=macintosh"
    )
    dateline = "IDLIB, 14 March 2023 (Levant Wire) — "
    archive.response("https://wire.example/c", (dateline + KAFR_NABL).encode(), "text/plain")
    archive.resource("https://wire.example/d.txt", IDLIB.encode(), "text/plain")
    path = archive.close()
    mac, plain, resource = read(path)
    assert mac.text == german  # the HTTP charset decides
    assert plain.source_format == "text" and plain.text.endswith(KAFR_NABL)
    assert (plain.date, plain.site) == ("2023-03-14", "Levant Wire")  # a plain-text dateline
    assert (resource.url, resource.text) == ("https://wire.example/d.txt", IDLIB)


def test_oversized_record_is_an_error_naming_archive_and_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "MAX_HTML_BYTES", 2_000)
    archive = Archive(tmp_path / "big.warc.gz")
    archive.response("https://levantwire.example/long", page(IDLIB * 100))
    archive.response("https://levantwire.example/short", page(KAFR_NABL))
    path = archive.close()
    big, short = read(path)
    [offset, _] = offsets([big, short], "big.warc.gz")
    assert big.text == ""
    assert big.errors == [
        f"{path}#{offset} (https://levantwire.example/long): too large (more than 2,000 bytes of HTML)"
    ]
    assert big.url == "https://levantwire.example/long"
    assert (short.text, short.errors) == (KAFR_NABL, [])


def test_page_without_main_text_is_an_error_naming_the_url(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "nav.warc")
    archive.response(
        "https://levantwire.example/menu", b"<html><body><nav><a href='/'>Home</a></nav></body></html>"
    )
    path = archive.close()
    [doc] = read(path)
    assert re.fullmatch(
        re.escape(str(path)) + r"#0 \(https://levantwire\.example/menu\): no main text.*", doc.errors[0]
    )
    assert doc.origin == f"{path}#0 (crawled {CRAWL_DATE})"


@pytest.mark.parametrize("name", ["cut.warc.gz", "cut.warc"])
@pytest.mark.parametrize("where", ["content", "headers"])
def test_truncated_archive_keeps_what_was_read(tmp_path: Path, name: str, where: str) -> None:
    archive = Archive(tmp_path / "whole" / name, gzip=name.endswith(".gz"))
    archive.response("https://levantwire.example/kafr-nabl", page(KAFR_NABL))
    archive.response("https://levantwire.example/logo.png", b"\x89PNG\r\n" + bytes(200), "image/png")
    archive.response("https://levantwire.example/idlib", page(IDLIB))
    whole = archive.close()
    data = whole.read_bytes()
    last = offsets(read(whole), name)[-1]
    cut = len(data) - 40 if where == "content" else last + 15  # in the last page, or in its WARC headers
    path = write(tmp_path / name, data[:cut])
    after = write(tmp_path / "after.txt", IDLIB)
    docs = read(path, after)
    assert [doc.id for doc in docs][1:] == [name, "after"]
    assert docs[0].text == KAFR_NABL  # read before the damage, and kept
    assert docs[1].text == ""
    assert re.fullmatch(
        re.escape(f"{path}: truncated or corrupt archive (") + r".+\), after 1 page", docs[1].errors[0]
    )
    assert (docs[2].text, docs[2].errors) == (IDLIB, [])  # the run goes on


def test_corrupt_and_foreign_archives_are_errors(tmp_path: Path) -> None:
    whole = crawl(tmp_path / "whole.warc", gzip=False)
    data = bytearray(whole.read_bytes())
    second = offsets(read(whole), "whole.warc")[1]
    data[second : second + 10] = b"garbage!!\n"
    corrupt = write(tmp_path / "corrupt.warc", bytes(data))
    foreign = write(tmp_path / "notes.warc", "Not a web archive.\n")
    first, damaged, not_archive = read(corrupt, foreign)
    assert (first.text, first.errors) == (KAFR_NABL, [])
    assert damaged.id == "corrupt.warc"
    assert re.fullmatch(
        re.escape(f"{corrupt}: truncated or corrupt archive (") + r".+\), after 1 page", damaged.errors[0]
    )
    assert not_archive.id == "notes.warc"
    assert re.fullmatch(
        re.escape(f"{foreign}: truncated or corrupt archive (") + r".+\), after 0 pages",
        not_archive.errors[0],
    )


def test_arc_file(tmp_path: Path) -> None:
    body = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + page(KAFR_NABL)
    version = b"1 0 Internet Archive\nURL IP-address Archive-date Content-type Archive-length\n"
    arc = b"filedesc://old.arc 0.0.0.0 20080102030405 text/plain %d\n%s\n" % (
        len(version),
        version,
    ) + b"http://levantwire.example/old 192.0.2.1 20080102030405 text/html %d\n%s\n" % (len(body), body)
    [doc] = read(write(tmp_path / "old.arc", arc))
    assert (doc.url, doc.text, doc.errors) == ("http://levantwire.example/old", KAFR_NABL, [])
    assert doc.origin.endswith("(crawled 2008-01-02T03:04:05Z)")


def test_archive_is_read_as_a_stream(tmp_path: Path, bytes_read: list[int]) -> None:
    archive = Archive(tmp_path / "many.warc.gz")
    archive.response("https://levantwire.example/first", page(KAFR_NABL))
    for number in range(400):
        archive.response(f"https://levantwire.example/{number}.png", _noise(500, number), "image/png")
    archive.response("https://levantwire.example/last", page(IDLIB))
    path = archive.close()
    size = path.stat().st_size
    documents = read_inputs([str(path)])
    assert next(documents).text == KAFR_NABL
    assert 0 < sum(bytes_read) < size / 4  # the first page came out with most of the archive unread
    assert [doc.text for doc in documents] == [IDLIB]
    assert sum(bytes_read) == size


@pytest.mark.parametrize("gzip", [True, False])
def test_memory_stays_flat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gzip: bool) -> None:
    monkeypatch.setattr(readers, "MAX_HTML_BYTES", 100_000)
    images = 4
    archive = Archive(tmp_path / "large.warc", gzip=gzip)
    archive.response("https://levantwire.example/first", page(KAFR_NABL))
    for number in range(images):  # incompressible: a gzipped archive is as large as a plain one
        archive.response(f"https://levantwire.example/{number}.jpg", _noise(3_000_000, number), "image/jpeg")
    archive.response("https://levantwire.example/huge", page(_noise(1_000_000, 99).hex()))
    archive.response("https://levantwire.example/last", page(IDLIB))
    path = archive.close()
    assert path.stat().st_size > images * 3_000_000
    documents = read_inputs([str(path)])
    assert next(documents).text == KAFR_NABL  # loads the HTML extractor's data before measuring
    tracemalloc.start()
    try:
        rest = list(documents)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "too large" in rest[0].errors[0]
    assert rest[1].text == IDLIB
    assert peak < 1_500_000  # not one image record (3 MB), not the archive (12 MB)


def _noise(size: int, seed: int) -> bytes:
    import random

    return random.Random(seed).randbytes(size)


# ------------------------------------------------------------------------------------------- directories


def test_directory_walk_picks_up_feeds_and_archives(tmp_path: Path) -> None:
    root = tmp_path / "in"
    write(root / "a.rss", RSS)
    write(root / "b.atom", ATOM)
    crawl(root / "sub" / "c.warc.gz")
    write(root / "d.txt", KAFR_NABL)
    docs = read(root)
    ids = [doc.id for doc in docs]
    assert ids[:6] == ["a.rss#1", "a.rss#2", "a.rss#3", "b.atom#1", "b.atom#2", "d"]
    assert len(ids) == 8 and offsets(docs[6:], "sub/c.warc.gz")
    assert [doc.url for doc in docs[6:]] == [
        "https://levantwire.example/kafr-nabl",
        "https://levantwire.example/idlib",
    ]


# --------------------------------------------------------------------------------------------------- CLI


def test_extract_codes_events_from_a_feed_and_an_archive(tmp_path: Path) -> None:
    feed = write(tmp_path / "feed.xml", RSS)
    archive = crawl(tmp_path / "crawl.warc.gz")
    result = runner.invoke(app, ["extract", str(feed), str(archive), "--date", "2017-09-20"])
    assert result.exit_code == 0, result.output
    documents = {doc["id"]: doc for doc in map(json.loads, result.stdout.splitlines())}
    assert documents["feed.xml#3"]["errors"] == [
        f"{feed}#3: a feed entry without text (no content or summary)"
    ]
    for name in ("feed.xml#1", f"crawl.warc.gz#{offsets(read(archive), 'crawl.warc.gz')[0]}"):
        document = documents[name]
        assert document["errors"] == []
        assert document["date"] == "2017-09-11"
        [event] = [event for event in document["events"] if event["type"] == "ASSAULT"]
        assert event["fatalities"] == 5
        assert event["date"]["start"] == "2017-09-11"
        start, end = event["span"]
        assert document["text"][start:end].strip() == event["sentence"] == KAFR_NABL
