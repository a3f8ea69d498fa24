"""Find the boilerplate that web extraction leaves in plain text: comment forms, share bars, cookie banners,
newsletter sign-ups, link lists, advertising and copyright lines.

The text is never changed (every later offset indexes into it): :func:`find_boilerplate` returns character
ranges, which later stages skip. Patterns are data (``data/boilerplate.yaml``), loaded once; they match
whole lines, so a news sentence that merely contains "share", "comment" or "see also" is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from polemos.yamldata import load_yaml

Range = tuple[int, int]

MAX_LINE_CHARS = 800  # longer lines are prose: never matched by line patterns
MAX_LIST_ITEM_CHARS = 160  # a link-list entry (a headline) is shorter than this
MAX_LIST_ITEMS = 15
PROSE_MIN_CHARS = 150  # a "long normal paragraph" that ends a comment block: at least this long,
PROSE_MIN_WORDS = 20  # ... this many words, and ending like a sentence
_SENTENCE_END = (".", "!", "?", '"', "”", "’", "»", ")")
_DATE_LINE = re.compile(
    r"(\d{1,2} )?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?( \d{1,2})?,? \d{4}$"
    r"|\d{4}-\d{2}-\d{2}$|\d{1,2}[./]\d{1,2}[./]\d{2,4}$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Patterns:
    block_starts: re.Pattern[str]
    list_heads: re.Pattern[str]
    lines: re.Pattern[str]
    inline: re.Pattern[str]


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    """The patterns of ``data/boilerplate.yaml``, each section compiled into one case-insensitive regex."""
    source = (files("polemos.text") / "data" / "boilerplate.yaml").read_text(encoding="utf-8")
    data = load_yaml(source)

    def compiled(section: str) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{entry['pattern']})" for entry in data[section]), re.IGNORECASE)

    return _Patterns(compiled("block_starts"), compiled("list_heads"), compiled("lines"), compiled("inline"))


@dataclass(frozen=True)
class _Line:
    start: int  # offset of the first non-space character
    end: int  # offset after the last non-space character
    content: str  # the line, stripped


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    position = 0
    for raw in text.split("\n"):
        content = raw.strip()
        start = position + (len(raw) - len(raw.lstrip()))
        lines.append(_Line(start, start + len(content), content))
        position += len(raw) + 1
    return lines


def find_boilerplate(text: str) -> list[Range]:
    """Sorted, non-overlapping ``(start, end)`` character ranges of boilerplate in ``text``.

    A comment block ("Leave a Reply", "Comments are closed", …) at a line start makes the rest of the text
    boilerplate, unless a long normal paragraph follows it somewhere: then only that heading is (many
    themes print "Leave a comment" above the article). Ranges separated only by white space merge.
    """
    patterns = _patterns()
    lines = _split_lines(text)
    ranges: list[Range] = []
    last_prose: int | None = None  # index of the last long normal paragraph, found when first needed
    index = 0
    while index < len(lines):
        line = lines[index]
        content = line.content
        if not content:
            index += 1
            continue
        short = len(content) <= MAX_LINE_CHARS
        if short and patterns.block_starts.match(content):
            if last_prose is None:
                last_prose = max((j for j, later in enumerate(lines) if _is_prose(later.content)), default=-1)
            if last_prose <= index:
                ranges.append((line.start, len(text)))
                break
            # Prose follows: this is a "Leave a comment" link above an article, or comments that are
            # real paragraphs. Only the heading goes; the lines after it are judged one by one.
            ranges.append((line.start, line.end))
            index += 1
            continue
        if short and patterns.list_heads.match(content):
            ranges.append((line.start, line.end))
            index = _link_list(lines, index + 1, ranges)
            continue
        if short and patterns.lines.match(content):
            ranges.append((line.start, line.end))
        else:
            ranges.extend(
                (line.start + m.start(), line.start + m.end()) for m in patterns.inline.finditer(content)
            )
        index += 1
    return _merge(text, ranges)


def _link_list(lines: list[_Line], index: int, ranges: list[Range]) -> int:
    """Add the entries of a link list that starts at ``lines[index]``; the index of the line after it."""
    items = blank_run = 0
    while index < len(lines) and items < MAX_LIST_ITEMS:
        content = lines[index].content
        if not content:
            blank_run += 1
            if blank_run > 2:
                break
            index += 1
            continue
        if not _is_list_item(content) or _starts_section(content):
            break
        ranges.append((lines[index].start, lines[index].end))
        items += 1
        blank_run = 0
        index += 1
    return index


def _starts_section(content: str) -> bool:
    """A comment block or another link list starts here: the main loop must see this line."""
    patterns = _patterns()
    return bool(patterns.block_starts.match(content) or patterns.list_heads.match(content))


def _is_list_item(content: str) -> bool:
    """A headline-like link title, a date, or a boilerplate line."""
    if _DATE_LINE.match(content) or _patterns().lines.match(content):
        return True
    ends_sentence = content.endswith((".", "!", "?")) and not content.endswith(("...", "…"))
    return len(content) <= MAX_LIST_ITEM_CHARS and not ends_sentence


def _is_prose(content: str) -> bool:
    """A long normal paragraph: long, many words, ends like a sentence, and no boilerplate in it."""
    if len(content) < PROSE_MIN_CHARS or len(content.split()) < PROSE_MIN_WORDS:
        return False
    if not content.endswith(_SENTENCE_END):
        return False
    patterns = _patterns()
    short = len(content) <= MAX_LINE_CHARS
    return not (short and patterns.lines.match(content)) and not patterns.inline.search(content)


def _merge(text: str, ranges: list[Range]) -> list[Range]:
    merged: list[Range] = []
    for start, end in sorted(ranges):
        if merged and (start <= merged[-1][1] or not text[merged[-1][1] : start].strip()):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def outside(text: str, ranges: list[Range], limit: int | None = None) -> str:
    """The text outside ``ranges``, pieces joined by newlines; at most ``limit`` characters."""
    pieces: list[str] = []
    size = 0
    position = 0
    for start, end in [*ranges, (len(text), len(text))]:
        piece = text[position:start].strip()
        position = max(position, end)
        if not piece:
            continue
        pieces.append(piece)
        size += len(piece) + 1
        if limit is not None and size >= limit:
            break
    joined = "\n".join(pieces)
    return joined if limit is None else joined[:limit]
