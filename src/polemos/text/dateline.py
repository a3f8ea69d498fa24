"""Wire-style headline and dateline of a plain-text article.

    Al-Shabaab attacks army base in Middle Shabelle
    MOGADISHU, 3 March 2024 (Horn Africa News Agency) — Al-Shabaab militants attacked …

gives the title (a short first line without final punctuation), the dateline place, the publication date
and the outlet. Nothing is guessed: a line that does not have the dateline shape gives nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DATE_FORMS = (
    re.compile(rf"(?P<day>\d{{1,2}})\s+{_MONTH},?\s+(?P<year>\d{{4}})"),  # 3 March 2024
    re.compile(rf"{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})"),  # July 9, 2024
    re.compile(r"(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})"),  # 2024-03-03
)
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z'’.\- ]{1,40}(?:,\s*[A-Z][A-Za-z.\- ]{1,30})?)\s*,\s*"
    r"(?P<date>[^()—–\n]{6,30}?)\s*"
    r"(?:\((?P<outlet>[^()\n]{2,60})\)\s*)?[—–-]{1,2}\s"
)
TITLE_MAX_CHARS = 200


@dataclass
class Dateline:
    place: str
    date: str | None  # ISO date, when the dateline holds a full date
    outlet: str | None
    span: tuple[int, int]  # the dateline's characters, e.g. "MOGADISHU, 3 March 2024 (Agency) — "


def parse_date(text: str) -> str | None:
    """A full calendar date written out ("3 March 2024", "July 9, 2024", "2024-03-03"), else None."""
    for form in _DATE_FORMS:
        match = form.search(text)
        if not match:
            continue
        parts = match.groupdict()
        month = int(parts["mon"]) if parts.get("mon") else MONTHS.get(parts["month"].lower())
        try:
            return date(int(parts["year"]), month or 0, int(parts["day"])).isoformat()
        except (TypeError, ValueError):
            return None
    return None


def find_dateline(text: str, search_lines: int = 3) -> Dateline | None:
    """The dateline at the start of one of the first lines of ``text``, if there is one."""
    offset = 0
    for line in text.split("\n")[:search_lines]:
        match = _DATELINE.match(line)
        if match:
            return Dateline(
                place=match["place"].strip(),
                date=parse_date(match["date"]),
                outlet=(match["outlet"] or "").strip() or None,
                span=(offset, offset + match.end()),
            )
        offset += len(line) + 1
    return None


def headline(text: str) -> str | None:
    """The first line as a title: short, followed by more text, not ending like a sentence."""
    first, _, rest = text.lstrip("\ufeff").partition("\n")
    first = first.strip()
    if not first or not rest.strip() or len(first) > TITLE_MAX_CHARS or first[-1] in ".!?:;,":
        return None
    if _DATELINE.match(first):
        return None
    return first
