"""The time stage: date expressions in the text, resolved to ISO days with an honest precision.

Candidates are what a small English grammar finds in the text (``between 8 and 12 September``,
``a week ago``, ``shortly thereafter``, ``last Tuesday``, ``mid-2016`` …) plus the spaCy DATE/TIME
entities it does not cover. The grammar resolves what it matches; dateparser is the fallback for the
remaining DATE entities that name a month, a weekday or a number, and its answer is checked against the
words of the text, so that it never fills in a missing part from the clock.

Conventions (``start``/``end`` are ISO days, both inclusive):

* A calendar period gives its bounds: ``in September`` → 09-01..09-30 (``month``), ``last year`` →
  the previous calendar year (``year``), ``last week`` → the previous Monday–Sunday week (``week``).
* A point with a fuzzy size gives ``start == end`` and the size as precision, as ACLED's time
  precision does: ``a week ago`` → document date − 7 days, precision ``week``; ``three months ago`` →
  document date − 3 months, precision ``month``.
* A window that is not a calendar period is a ``range``: ``between 8 and 12 September``,
  ``early September`` (days 1–10; mid 11–20, late 21–end), ``mid-2016`` (May–August), ``overnight``
  (the day before publication and the day of it), ``in the past 24 hours``, ``since 2014``.
* Weekdays are the most recent such day on or before the document date (``last Monday``: strictly
  before), or the next one after it in a future-tense clause or after ``next``/``coming``.
* A day or month without a year takes the year of an explicit date earlier in the same sentence, else
  the document date's year, moved back a year when that lands more than 30 days after the document date
  (forward a year when a future-tense clause would put it before the document date).
* Discourse phrases count from the previous resolved expression in the text (``anchor="previous"``):
  ``the day before`` → its start − 1 day; ``the next day`` → its end + 1 day; ``shortly thereafter`` →
  its end .. its end + 7 days (precision ``week``), cut at the document date when the window would run
  past it. With no previous expression they stay unknown.
* Numeric dates (``12/09/2017``) are read day-month-year, unless only month-day-year is a valid date or
  only it falls on or before the document date.
* Unknown stays unknown: without a document date every relative or year-less expression is kept with
  ``start = end = None`` and precision ``unknown``.
* Durations (``for three years``, ``24 hours``, ``decades``) and ages (``a 25-year-old``) are not points
  in time and are dropped; a bare time of day (``at 3 pm``) takes the day of a day-precise expression
  earlier in the same sentence, else is dropped.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.tokens import Doc

from polemos.model import DateRange
from polemos.nlp import inside_any, sentence_index, sentence_starts
from polemos.yamldata import load_yaml

Span = tuple[int, int]

PRECISIONS = ("day", "week", "month", "year", "range", "unknown")
FUTURE_AUXILIARIES = {"will", "shall", "'ll", "wo"}
FUTURE_VERBS = {"plan", "schedule", "expect", "due"}
YEAR_INFERENCE_SLACK_DAYS = 30


@dataclass
class TimeExpression:
    """One date expression of the text and the days it stands for."""

    text: str
    span: Span  # character offsets into doc.text
    sentence: int  # index in list(doc.sents)
    start: str | None  # ISO date YYYY-MM-DD, None when unknown
    end: str | None
    precision: str  # day | week | month | year | range | unknown
    relative: bool  # its meaning depends on an anchor (the document date or the previous expression)
    anchor: str | None  # "document" | "previous" | None (absolute, or relative but unresolved)


# --------------------------------------------------------------------------------------------- lexicon


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    path = resources.files("polemos").joinpath("data/time_lexicon.yaml")
    return load_yaml(path.read_text(encoding="utf-8"))


def _alternation(words: list[str]) -> str:
    """A regex alternation of ``words``, longest first, spaces matching any whitespace."""
    escaped = [re.escape(word).replace(r"\ ", r"\s+").replace("'", "['’]") for word in words]
    return "|".join(sorted(escaped, key=len, reverse=True))


def _ci(words: str) -> str:
    """A case-insensitive group."""
    return f"(?i:{words})"


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().lower()


# --------------------------------------------------------------------------------------- date helpers


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, _last_day(year, month + 1)))


def _shift(day: date, count: int, unit: str) -> date:
    """``day`` moved by ``count`` units (day, week, month, year, decade; hours count as days)."""
    if unit == "hour":
        days = -(-abs(count) // 24)  # 24 hours → 1 day, 36 hours → 2 days
        return day + timedelta(days=days if count >= 0 else -days)
    if unit == "day":
        return day + timedelta(days=count)
    if unit == "week":
        return day + timedelta(days=7 * count)
    if unit == "month":
        return _add_months(day, count)
    if unit == "year":
        return _add_months(day, 12 * count)
    if unit == "decade":
        return _add_months(day, 120 * count)
    raise ValueError(unit)


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


# ------------------------------------------------------------------------------------------- windows


@dataclass(frozen=True)
class _Window:
    """A resolved (or knowingly unresolved) expression."""

    start: date | None
    end: date | None
    precision: str
    relative: bool = False
    anchor: str | None = None
    explicit_year: bool = False  # the text names the year: a hint for year-less dates nearby

    @property
    def resolved(self) -> bool:
        return self.start is not None or self.end is not None


_SKIP = _Window(None, None, "skip")  # not a point in time (duration, age, lone time of day)


def _unknown(relative: bool = True) -> _Window:
    return _Window(None, None, "unknown", relative=relative)


def _day(day: date, **kw: Any) -> _Window:
    return _Window(day, day, "day", **kw)


def _month(year: int, month: int, **kw: Any) -> _Window:
    return _Window(date(year, month, 1), date(year, month, _last_day(year, month)), "month", **kw)


def _year(year: int, **kw: Any) -> _Window:
    return _Window(date(year, 1, 1), date(year, 12, 31), "year", **kw)


@dataclass
class _Context:
    document_date: date | None
    previous: _Window | None = None  # the last resolved expression in the text
    year_hint: int | None = None  # an explicit year earlier in the same sentence
    future: bool = False  # the expression sits in a future-tense clause


# ------------------------------------------------------------------------------------------- grammar

Handler = Callable[[re.Match[str], _Context], _Window]
Guard = Callable[[re.Match[str], str, bool], bool]


@dataclass
class _Rule:
    name: str
    pattern: re.Pattern[str]
    handler: Handler
    guard: Guard | None = None  # (match, text, inside_a_spacy_entity) -> accept


class _Resolver:
    """The grammar of date expressions and the logic that turns a match into a window."""

    def __init__(self) -> None:
        lex = _lexicon()
        self.lex = lex
        self.months: dict[str, int] = {k.lower(): v for k, v in lex["months"].items()}
        self.weekdays: dict[str, int] = {k.lower(): v for k, v in lex["weekdays"].items()}
        self.numbers: dict[str, int] = {k: v for k, v in lex["numbers"].items()}
        self.vague: dict[str, list[int]] = dict(lex["vague_numbers"])
        self.parts: dict[str, dict[str, list[int]]] = lex["period_parts"]
        self.part_synonyms: dict[str, str] = lex["part_synonyms"]
        self.seasons: dict[str, list[int]] = lex["seasons"]
        self.holidays: dict[str, list[int]] = {_normal(k): v for k, v in lex["holidays"].items()}
        self.document_relative: dict[str, list[Any]] = {
            _normal(k): v for k, v in lex["document_relative"].items()
        }
        self.discourse: dict[str, dict[str, Any]] = {_normal(k): v for k, v in lex["discourse"].items()}
        self.later_words = set(lex["later_words"])
        self.recent: dict[str, int] = lex["recent"]
        self.rules = self._build_rules()
        units = "|".join(lex["units"] + lex["duration_units"])
        count = self._count_pattern(named=False)
        prefix = _ci(
            r"for|over|about|around|nearly|almost|more\s+than|less\s+than|at\s+least|some|up\s+to|another|"
            r"an\s+additional|the|past|next|last|first|coming|following|full|entire|whole|long|few"
        )
        self.duration = re.compile(
            rf"(?:{prefix}\s+)*(?:(?:{count})[\s-]+)?(?:{_ci('and a half')}\s+)?{_ci(units)}s?"
            rf"(?:[\s-]+{_ci('long|old|and a half|or so|or more')})?",
        )
        self.age = re.compile(r"(?i:\d+[\s-]+years?[\s-]+old|aged\s+\d+|years?[\s-]+old)")
        self.frequency = re.compile(
            r"(?i:(?:annual(?:ly)?|daily|weekly|monthly|yearly|nightly|"
            r"(?:every|each|per|a)\s+(?:day|week|month|year|night)))"
        )
        self.time_words = re.compile(
            _ci("|".join(lex["times_of_day"]) + r"|\d{1,2}(?:[:.]\d\d)?\s*[ap]\.?m\b")
        )
        self.month_or_weekday = re.compile(
            rf"(?<![A-Za-z])(?:{_alternation(list(lex['months']))}|{_alternation(list(lex['weekdays']))})(?![a-z])"
        )

    # ---------------------------------------------------------------------------------- pattern bits

    def _month(self, n: int, full_only: bool = False) -> str:
        names = list(self.lex["months"])
        abbreviations = [a for a in names if any(b != a and b.startswith(a) for b in names)]
        full = [a for a in names if a not in abbreviations]
        if full_only:
            return rf"(?P<m{n}>{_alternation(full)})(?![A-Za-z])"
        return rf"(?P<m{n}>{_alternation(full)}|(?:{_alternation(abbreviations)})\.?)(?![A-Za-z])"

    @staticmethod
    def _day_number(n: int) -> str:
        return rf"(?P<d{n}>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"

    @staticmethod
    def _year_number(n: int) -> str:
        return rf"(?P<y{n}>(?:1[6-9]|20)\d\d)(?!\d|,\d)"

    def _weekday(self, n: int) -> str:
        return rf"(?P<w{n}>{_alternation(list(self.lex['weekdays']))})(?![a-z])"

    def _count_pattern(self, named: bool = True) -> str:
        numbers = _ci(_alternation(list(self.numbers)))
        vague = _ci(_alternation(list(self.vague)))
        if not named:
            return rf"\d{{1,3}}(?:-?plus|\+)?|{numbers}|{vague}"
        return rf"(?P<n>\d{{1,3}})(?:-?plus|\+)?|(?P<nw>{numbers})|(?P<v>{vague})"

    def _build_rules(self) -> list[_Rule]:
        month1, month2, full_month1 = self._month(1), self._month(2), self._month(1, full_only=True)
        day1, day2 = self._day_number(1), self._day_number(2)
        year1, year2 = self._year_number(1), self._year_number(2)
        weekday0, weekday1 = self._weekday(0), self._weekday(1)
        between = rf"(?:{_ci('between|from')}\s+)?"
        the = rf"(?:{_ci('the')}\s+)?"
        of = rf"(?:\s+{_ci('of')})?"
        sep = rf"\s*(?:[-–—]|{_ci('and|to|until|till|through|thru')})\s*"
        on_weekday = rf"(?:{weekday0},?\s+)?"
        part_words = _alternation(list(self.parts) + list(self.part_synonyms))
        part = rf"(?P<part>{_ci(part_words)})"
        count = self._count_pattern()
        unit = rf"(?P<u>{_ci('day|week|month|year|decade')})s?(?![a-z])"
        seasons = _ci(_alternation(list(self.seasons)))
        holidays = _alternation(list(self.lex["holidays"]))
        later_earlier = _ci(_alternation(self.lex["later_words"] + self.lex["earlier_words"]))

        specs: list[tuple[str, str, Handler, Guard | None]] = [
            (
                "cross_range_dmy",
                rf"{between}{the}{day1}{of}\s+{month1}(?:,?\s+{year1})?{sep}{the}{day2}{of}\s+{month2}"
                rf"(?:,?\s+{year2})?",
                self._cross_range,
                None,
            ),
            (
                "cross_range_mdy",
                rf"{between}{month1}\s+{day1}(?:,?\s+{year1})?{sep}{month2}\s+{day2}(?:,?\s+{year2})?",
                self._cross_range,
                None,
            ),
            (
                "day_range_dmy",
                rf"{between}{the}{day1}{sep}{the}{day2}{of}\s+{month1}(?:,?\s+{year1})?",
                self._day_range,
                None,
            ),
            (
                "day_range_mdy",
                rf"{between}{month1}\s+{day1}{sep}{day2}(?:,?\s+{year1})?",
                self._day_range,
                None,
            ),
            (
                "month_range",
                rf"{between}{month1}(?:,?\s+{year1})?{sep}{month2}(?:,?\s+{year2})?",
                self._month_range,
                _month_range_guard,
            ),
            (
                "year_range",
                rf"{between}{year1}\s*(?:[-–—]|{_ci('and|to|until|till|through')})\s*(?:{year2}|(?P<ys>\d\d)(?!\d))",
                self._year_range,
                _year_range_guard,
            ),
            ("full_dmy", rf"{on_weekday}{the}{day1}{of}\s+{month1},?\s+{year1}", self._full_date, None),
            ("full_mdy", rf"{on_weekday}{month1}\s+{day1},?\s+{year1}", self._full_date, None),
            (
                "iso",
                rf"{year1}-(?P<mo>0[1-9]|1[0-2])-(?P<da>0[1-9]|[12]\d|3[01])(?!\d)",
                self._iso,
                None,
            ),
            (
                "numeric",
                r"(?P<a>[0-3]?\d)(?P<sl>[/.])(?P<b>[01]?\d)(?P=sl)(?P<yn>(?:19|20)\d\d)(?!\d)",
                self._numeric,
                None,
            ),
            ("day_month", rf"{on_weekday}{the}{day1}{of}\s+{month1}", self._day_month, None),
            (
                "month_day",
                rf"{on_weekday}{month1}(?:\s+|(?<=\.)){the}{day1}",
                self._day_month,
                _month_day_guard,
            ),
            (
                "part_month",
                rf"{part}[\s-]*(?:(?P<rel>{_ci('last|this|next')})\s+)?{month1}(?:,?\s+{year1})?",
                self._part_month,
                None,
            ),
            ("part_year", rf"{part}[\s-]*{year1}", self._part_year, None),
            (
                "part_relative",
                rf"{part}[\s-]*(?P<rel>{_ci('last|this|next|the')})\s+(?P<u>{_ci('week|month|year')})(?![a-z])",
                self._part_relative,
                None,
            ),
            ("month_year", rf"{month1}(?:,|\s+{_ci('of')})?\s+{year1}", self._month_year, None),
            (
                "month",
                rf"(?:(?P<rel>{_ci('this past|this coming|last|this|next|past')})\s+)?{full_month1}",
                self._bare_month,
                _bare_month_guard,
            ),
            ("year", year1, self._bare_year, _bare_year_guard),
            (
                "decade",
                rf"(?:{part}[\s-]*)?{the}(?P<dec>(?:1[6-9]|20)\d0)['’]?s(?![a-z])",
                self._decade,
                None,
            ),
            (
                "season",
                rf"(?:(?P<rel>{_ci('last|this|next|past')})\s+)?{the}(?P<season>{seasons})(?![a-z])"
                rf"(?:\s+(?:{_ci('of')}\s+)?{year1})?",
                self._season,
                _season_guard,
            ),
            (
                "holiday",
                rf"(?:(?P<rel>{_ci('last|this|next')})\s+)?(?P<hol>{holidays})(?:,?\s+{year1})?",
                self._holiday,
                None,
            ),
            (
                "weekday",
                rf"(?:(?P<rel>{_ci('this past|this coming|last|this|next|past|coming')})\s+)?"
                rf"(?:(?P<part>{_ci('early|late')})\s+)?{weekday1}"
                rf"(?:\s+(?P<dp>{_ci('morning|afternoon|evening|night')})(?![a-z]))?",
                self._weekday_window,
                None,
            ),
            (
                "relative_unit",
                rf"(?:(?P<mod>{_ci('earlier|later')})\s+)?(?P<rel>{_ci('last|this|next|coming')})\s+"
                rf"(?P<u>{_ci('weekend|week|month|year')})(?![a-z])",
                self._relative_unit,
                None,
            ),
            (
                "past_n",
                rf"(?:{_ci('in|over|during|for|within|throughout')}\s+)?(?P<x>{_ci('the')}\s+"
                rf"(?P<rel>{_ci('past|last|preceding')})\s+(?:(?:{count})[\s-]+)?"
                rf"(?P<u>{_ci('hour|day|week|month|year|decade')})s?(?![a-z]))",
                self._past_n,
                None,
            ),
            (
                "recent",
                rf"(?:{_ci('in|over|during')}\s+)?(?P<x>{_ci('recent')}\s+(?P<u>{_ci('days|weeks|months|years')}))",
                self._recent,
                None,
            ),
            ("ago", rf"(?:(?:{count})[\s-]+)?{unit}\s+{_ci('ago')}", self._ago, None),
            (
                "count_anchor",
                rf"(?:{count})[\s-]+(?P<u>{_ci('hour|day|week|month|year')})s?\s+(?P<dir>{later_earlier})(?![a-z])",
                self._count_anchor,
                _clause_final_guard("dir"),
            ),
            (
                "discourse",
                rf"(?P<phrase>{_ci(_alternation(list(self.lex['discourse'])))})(?![a-z])",
                self._discourse,
                _clause_final_guard("phrase"),
            ),
            (
                "document_relative",
                rf"(?P<phrase>{_ci(_alternation(list(self.lex['document_relative'])))})(?![a-z])",
                self._document_relative,
                None,
            ),
        ]
        rules = []
        for name, body, handler, guard in specs:
            pattern = re.compile(rf"(?<![\w/-]){body}(?![\w/])")
            rules.append(_Rule(name, pattern, handler, guard))
        return rules

    # --------------------------------------------------------------------------------------- matching

    def matches(
        self, text: str, start: int, end: int, in_entity: bool
    ) -> tuple[list[tuple[Span, int, re.Match[str]]], bool]:
        """Every accepted grammar match in ``text[start:end]`` as (span, rule index, match), and whether
        a guard turned some match down (the words were read, and found not to be a date)."""
        found = []
        rejected = False
        for index, rule in enumerate(self.rules):
            for match in rule.pattern.finditer(text, start, end):
                if rule.guard is not None and not rule.guard(match, text, in_entity):
                    rejected = True
                    continue
                span = match.span("x") if "x" in rule.pattern.groupindex else match.span()
                found.append((span, index, match))
        return found, rejected

    # ------------------------------------------------------------------------------------ resolution

    def _month_number(self, name: str | None) -> int:
        assert name is not None
        return self.months[name.rstrip(".").lower()]

    def _count(self, match: re.Match[str]) -> tuple[int, int] | None:
        """The count of a match as a window [low, high]; None when the match has none."""
        if match.groupdict().get("n"):
            value = int(match.group("n"))
            return value, value
        if match.groupdict().get("nw"):
            value = self.numbers[_normal(match.group("nw"))]
            return value, value
        if match.groupdict().get("v"):
            low, high = self.vague[_normal(match.group("v"))]
            return low, high
        return None

    def infer_year(self, month: int, day: int | None, ctx: _Context) -> tuple[int, str] | None:
        """The year of a year-less day or month, and what it was read against; None without an anchor."""
        if ctx.year_hint is not None:
            return ctx.year_hint, "previous"
        if ctx.document_date is None:
            return None
        anchor = ctx.document_date
        year = anchor.year
        first = date(year, month, min(day or 1, _last_day(year, month)))
        last = date(year, month, min(day or 31, _last_day(year, month)))
        if ctx.future:
            if last < anchor:
                year += 1
        elif first > anchor + timedelta(days=YEAR_INFERENCE_SLACK_DAYS):
            year -= 1
        return year, "document"

    def _day_range(self, m: re.Match[str], ctx: _Context) -> _Window:
        month = self._month_number(m.group("m1"))
        return self._range(
            int(m.group("d1")), month, m.group("y1"), int(m.group("d2")), month, m.group("y1"), ctx
        )

    def _cross_range(self, m: re.Match[str], ctx: _Context) -> _Window:
        return self._range(
            int(m.group("d1")),
            self._month_number(m.group("m1")),
            m.group("y1"),
            int(m.group("d2")),
            self._month_number(m.group("m2")),
            m.group("y2"),
            ctx,
        )

    def _range(
        self, d1: int, m1: int, y1_text: str | None, d2: int, m2: int, y2_text: str | None, ctx: _Context
    ) -> _Window:
        years = self._range_years(y1_text, y2_text, (m2, d2) < (m1, d1), m1, d1, ctx)  # "28 Dec to 3 Jan"
        if years is None:
            return _unknown()
        y1, y2, anchor = years
        try:
            start, end = date(y1, m1, d1), date(y2, m2, d2)
        except ValueError:
            return _unknown(relative=False)
        if end < start:
            return _unknown(relative=False)
        explicit = anchor is None
        return _Window(start, end, "range", relative=not explicit, anchor=anchor, explicit_year=explicit)

    def _range_years(
        self,
        y1_text: str | None,
        y2_text: str | None,
        wraps: bool,
        month: int,
        day: int | None,
        ctx: _Context,
    ) -> tuple[int, int, str | None] | None:
        """Both years of a range whose ends may lack one; ``wraps``: it crosses a new year. With no year at
        all, the start's year is inferred from the context (then anchored); None when it cannot be."""
        y1 = int(y1_text) if y1_text else None
        y2 = int(y2_text) if y2_text else None
        anchor = None
        if y1 is None and y2 is None:
            inferred = self.infer_year(month, day, ctx)
            if inferred is None:
                return None
            y1, anchor = inferred
        if y1 is None:
            assert y2 is not None
            y1 = y2 - 1 if wraps else y2
        if y2 is None:
            y2 = y1 + 1 if wraps else y1
        return y1, y2, anchor

    def _month_range(self, m: re.Match[str], ctx: _Context) -> _Window:
        m1, m2 = self._month_number(m.group("m1")), self._month_number(m.group("m2"))
        years = self._range_years(m.group("y1"), m.group("y2"), m2 < m1, m1, None, ctx)
        if years is None:
            return _unknown()
        y1, y2, anchor = years
        start, end = date(y1, m1, 1), date(y2, m2, _last_day(y2, m2))
        if end < start:
            return _unknown(relative=False)
        explicit = anchor is None
        return _Window(start, end, "range", relative=not explicit, anchor=anchor, explicit_year=explicit)

    def _year_range(self, m: re.Match[str], ctx: _Context) -> _Window:
        y1, y2 = _range_years(m)
        return _Window(date(y1, 1, 1), date(y2, 12, 31), "range", explicit_year=True)

    def _full_date(self, m: re.Match[str], ctx: _Context) -> _Window:
        try:
            day = date(int(m.group("y1")), self._month_number(m.group("m1")), int(m.group("d1")))
        except ValueError:
            return _unknown(relative=False)
        return _day(day, explicit_year=True)

    def _iso(self, m: re.Match[str], ctx: _Context) -> _Window:
        try:
            return _day(date(int(m.group("y1")), int(m.group("mo")), int(m.group("da"))), explicit_year=True)
        except ValueError:
            return _unknown(relative=False)

    def _numeric(self, m: re.Match[str], ctx: _Context) -> _Window:
        """``12/09/2017``: day-month unless the first number cannot be a day of that month order;
        when both orders are valid, the one nearest the document date (not after it) wins, else day-month."""
        a, b, year = int(m.group("a")), int(m.group("b")), int(m.group("yn"))
        options = []
        for day, month in ((a, b), (b, a)):
            try:
                options.append(date(year, month, day))
            except ValueError:
                continue
        if not options:
            return _SKIP
        chosen = options[0]
        if len(options) == 2 and ctx.document_date is not None:
            past = [d for d in options if d <= ctx.document_date]
            if past:
                chosen = max(past)
        return _day(chosen, explicit_year=True)

    def _day_month(self, m: re.Match[str], ctx: _Context) -> _Window:
        month, day_number = self._month_number(m.group("m1")), int(m.group("d1"))
        inferred = self.infer_year(month, day_number, ctx)
        if inferred is None:
            return _unknown()
        year, anchor = inferred
        try:
            return _day(date(year, month, day_number), relative=True, anchor=anchor)
        except ValueError:
            return _unknown()

    def _month_in(self, month: int, rel: str | None, ctx: _Context) -> tuple[int, str] | None:
        """The year of a month named alone, after last/this/next or none."""
        rel = _normal(rel) if rel else ""
        anchor = ctx.document_date
        if rel and anchor is None:
            return None
        if rel in ("last", "past", "this past"):
            assert anchor is not None
            return (anchor.year if month < anchor.month else anchor.year - 1), "document"
        if rel in ("next", "this coming"):
            assert anchor is not None
            return (anchor.year if month > anchor.month else anchor.year + 1), "document"
        if rel == "this":
            assert anchor is not None
            return anchor.year, "document"
        return self.infer_year(month, None, ctx)

    def _bare_month(self, m: re.Match[str], ctx: _Context) -> _Window:
        month = self._month_number(m.group("m1"))
        inferred = self._month_in(month, m.group("rel"), ctx)
        if inferred is None:
            return _unknown()
        year, anchor = inferred
        return _month(year, month, relative=True, anchor=anchor)

    def _month_year(self, m: re.Match[str], ctx: _Context) -> _Window:
        return _month(int(m.group("y1")), self._month_number(m.group("m1")), explicit_year=True)

    def _bare_year(self, m: re.Match[str], ctx: _Context) -> _Window:
        return _year(int(m.group("y1")), explicit_year=True)

    def _part(self, m: re.Match[str], period: str) -> tuple[int, int]:
        word = _normal(m.group("part"))
        return tuple(self.parts[self.part_synonyms.get(word, word)][period])  # type: ignore[return-value]

    def _part_month(self, m: re.Match[str], ctx: _Context) -> _Window:
        month = self._month_number(m.group("m1"))
        if m.group("y1"):
            year, anchor = int(m.group("y1")), None
        else:
            inferred = self._month_in(month, m.group("rel"), ctx)
            if inferred is None:
                return _unknown()
            year, anchor = inferred
        low, high = self._part(m, "month")
        last = _last_day(year, month)
        start, end = date(year, month, min(low, last)), date(year, month, min(high, last))
        return _Window(
            start, end, "range", relative=anchor is not None, anchor=anchor, explicit_year=anchor is None
        )

    def _part_year(self, m: re.Match[str], ctx: _Context) -> _Window:
        year = int(m.group("y1"))
        low, high = self._part(m, "year")
        return _Window(
            date(year, low, 1), date(year, high, _last_day(year, high)), "range", explicit_year=True
        )

    def _part_relative(self, m: re.Match[str], ctx: _Context) -> _Window:
        if ctx.document_date is None:
            return _unknown()
        unit = _normal(m.group("u"))
        base = self._calendar_period(_normal(m.group("rel")), unit, ctx.document_date)
        assert base.start is not None and base.end is not None
        low, high = self._part(m, unit)
        if unit == "week":
            start, end = base.start + timedelta(days=low), base.start + timedelta(days=high)
        elif unit == "month":
            last = base.end.day
            start, end = base.start.replace(day=min(low, last)), base.start.replace(day=min(high, last))
        else:
            year = base.start.year
            start, end = date(year, low, 1), date(year, high, _last_day(year, high))
        return _Window(start, end, "range", relative=True, anchor="document")

    def _decade(self, m: re.Match[str], ctx: _Context) -> _Window:
        first = int(m.group("dec"))
        low, high = self._part(m, "decade") if m.group("part") else (0, 9)
        return _Window(date(first + low, 1, 1), date(first + high, 12, 31), "range", explicit_year=True)

    def _season_window(self, season: str, year: int) -> tuple[date, date]:
        first, last = self.seasons[season]
        end_year = year + 1 if last < first else year
        return date(year, first, 1), date(end_year, last, _last_day(end_year, last))

    def _season(self, m: re.Match[str], ctx: _Context) -> _Window:
        season = _normal(m.group("season"))
        if m.group("y1"):
            start, end = self._season_window(season, int(m.group("y1")))
            return _Window(start, end, "range", explicit_year=True)
        anchor = ctx.document_date
        if anchor is None:
            return _unknown()
        rel = _normal(m.group("rel") or "")
        years = range(anchor.year - 2, anchor.year + 2)
        windows = [self._season_window(season, year) for year in years]
        if rel in ("last", "past"):
            start, end = max(w for w in windows if w[1] < anchor)
        elif rel == "next":
            start, end = min(w for w in windows if w[0] > anchor)
        elif rel == "this":
            start, end = max(w for w in windows if w[0].year == anchor.year or w[1] >= anchor >= w[0])
        elif ctx.future:
            start, end = min(w for w in windows if w[1] >= anchor)
        else:
            start, end = max(w for w in windows if w[0] <= anchor)
        return _Window(start, end, "range", relative=True, anchor="document")

    def _holiday(self, m: re.Match[str], ctx: _Context) -> _Window:
        month, day_number = self.holidays[_normal(m.group("hol"))]
        if m.group("y1"):
            return _day(date(int(m.group("y1")), month, day_number), explicit_year=True)
        rel = _normal(m.group("rel") or "")
        anchor = ctx.document_date
        if anchor is None:
            return _unknown()
        if rel == "last":
            year = anchor.year if (month, day_number) < (anchor.month, anchor.day) else anchor.year - 1
        elif rel == "next":
            year = anchor.year if (month, day_number) > (anchor.month, anchor.day) else anchor.year + 1
        elif rel == "this":
            year = anchor.year
        else:
            inferred = self.infer_year(month, day_number, ctx)
            assert inferred is not None
            year = inferred[0]
        return _day(date(year, month, day_number), relative=True, anchor="document")

    def _weekday_window(self, m: re.Match[str], ctx: _Context) -> _Window:
        anchor = ctx.document_date
        if anchor is None:
            return _unknown()
        weekday = self.weekdays[m.group("w1").lower()]
        rel = _normal(m.group("rel") or "")
        if rel in ("next", "coming", "this coming") or (not rel and ctx.future):
            ahead = (weekday - anchor.weekday()) % 7 or 7
            return _day(anchor + timedelta(days=ahead), relative=True, anchor="document")
        back = (anchor.weekday() - weekday) % 7
        if rel in ("last", "past", "this past") and back == 0:
            back = 7
        return _day(anchor - timedelta(days=back), relative=True, anchor="document")

    @staticmethod
    def _calendar_period(rel: str, unit: str, anchor: date) -> _Window:
        """The week/weekend/month/year that ``last``/``this``/``next`` names, as seen from ``anchor``."""
        step = {"last": -1, "this": 0, "the": 0, "next": 1, "coming": 1}[rel]
        if unit in ("week", "weekend"):
            monday = _week_start(anchor) + timedelta(days=7 * step)
            if unit == "weekend":
                return _Window(monday + timedelta(days=5), monday + timedelta(days=6), "range")
            return _Window(monday, monday + timedelta(days=6), "week")
        if unit == "month":
            first = _add_months(anchor.replace(day=1), step)
            return _month(first.year, first.month)
        return _year(anchor.year + step)

    def _relative_unit(self, m: re.Match[str], ctx: _Context) -> _Window:
        anchor = ctx.document_date
        if anchor is None:
            return _unknown()
        rel, unit = _normal(m.group("rel")), _normal(m.group("u"))
        window = self._calendar_period(rel, unit, anchor)
        assert window.start is not None and window.end is not None
        start, end, precision = window.start, window.end, window.precision
        mod = _normal(m.group("mod") or "")
        if mod == "earlier" and rel == "this":
            start, end, precision = start, max(start, anchor - timedelta(days=1)), "range"
        elif mod == "later" and rel == "this":
            start, end, precision = min(end, anchor + timedelta(days=1)), end, "range"
        return _Window(start, end, precision, relative=True, anchor="document")

    def _past_n(self, m: re.Match[str], ctx: _Context) -> _Window:
        anchor = ctx.document_date
        if anchor is None:
            return _unknown()
        count = self._count(m)
        high = count[1] if count else 1
        start = _shift(anchor, -high, _normal(m.group("u")))
        return _Window(start, anchor, "range", relative=True, anchor="document")

    def _recent(self, m: re.Match[str], ctx: _Context) -> _Window:
        anchor = ctx.document_date
        if anchor is None:
            return _unknown()
        days = self.recent[_normal(m.group("u"))]
        return _Window(anchor - timedelta(days=days), anchor, "range", relative=True, anchor="document")

    def _ago(self, m: re.Match[str], ctx: _Context) -> _Window:
        anchor = ctx.document_date
        if anchor is None:
            return _unknown()
        unit = _normal(m.group("u"))
        count = self._count(m)
        if count is None:  # "days ago", "years ago"
            if unit in ("year", "decade"):
                return _Window(None, _shift(anchor, -2, unit), "range", relative=True, anchor="document")
            count = tuple(self.vague["few"])  # type: ignore[assignment]
            assert count is not None
        low, high = count
        if low == high:
            point = _shift(anchor, -low, unit)
            precision = "year" if unit == "decade" else unit
            return _Window(point, point, precision, relative=True, anchor="document")
        start, end = _shift(anchor, -high, unit), _shift(anchor, -low, unit)
        return _Window(start, end, "range", relative=True, anchor="document")

    def _from_previous(self, ctx: _Context, base: str, low: int, high: int, precision: str) -> _Window:
        previous = ctx.previous
        if previous is None or not previous.resolved:
            return _unknown()
        point = previous.end if base == "end" else previous.start
        point = point or previous.start or previous.end
        assert point is not None
        start, end = point + timedelta(days=low), point + timedelta(days=high)
        if high > low and ctx.document_date is not None and start <= ctx.document_date < end:
            end = ctx.document_date  # news reports the past: a window is cut at publication
        return _Window(start, end, precision, relative=True, anchor="previous")

    def _count_anchor(self, m: re.Match[str], ctx: _Context) -> _Window:
        count = self._count(m)
        assert count is not None
        unit = _normal(m.group("u"))
        later = _normal(m.group("dir")) in self.later_words
        if ctx.previous is None or not ctx.previous.resolved:
            return _unknown()
        if unit in ("hour", "day", "week"):
            if unit == "hour":  # whole days passed, and one more when over half a day may cross midnight
                days = (count[0] // 24, (count[1] + 12) // 24)
            else:
                size = 7 if unit == "week" else 1
                days = (count[0] * size, count[1] * size)
            low, high = days if later else (-days[1], -days[0])
            precision = "day" if unit == "hour" else unit
            if low != high or count[0] != count[1]:
                precision = "range"
            return self._from_previous(ctx, "end" if later else "start", low, high, precision)
        base = ctx.previous.end if later else ctx.previous.start
        base = base or ctx.previous.start or ctx.previous.end
        assert base is not None
        sign = 1 if later else -1
        first, second = _shift(base, sign * count[0], unit), _shift(base, sign * count[1], unit)
        start, end = min(first, second), max(first, second)
        precision = unit if count[0] == count[1] else "range"
        return _Window(start, end, precision, relative=True, anchor="previous")

    def _discourse(self, m: re.Match[str], ctx: _Context) -> _Window:
        entry = self.discourse[_normal(m.group("phrase"))]
        low, high = entry["window"]
        return self._from_previous(ctx, entry["from"], low, high, entry["precision"])

    def _document_relative(self, m: re.Match[str], ctx: _Context) -> _Window:
        anchor = ctx.document_date
        if anchor is None:
            return _unknown()
        low, high, precision = self.document_relative[_normal(m.group("phrase"))]
        start, end = anchor + timedelta(days=low), anchor + timedelta(days=high)
        return _Window(start, end, precision, relative=True, anchor="document")

    # ------------------------------------------------------------------------------ entity leftovers

    def is_not_a_date(self, text: str) -> bool:
        """Durations, ages and frequencies: not points in time."""
        text = text.strip()
        return bool(self.duration.fullmatch(text) or self.age.search(text) or self.frequency.fullmatch(text))

    def names_a_date(self, text: str) -> bool:
        """Whether ``text`` holds something a date can be read from (a month, a weekday or a number)."""
        return bool(self.month_or_weekday.search(text) or re.search(r"\d", text))


# ------------------------------------------------------------------------------------------- guards


def _preceding_word(text: str, position: int) -> str:
    match = re.search(r"([A-Za-z]+)\W*$", text[max(0, position - 30) : position])
    return match.group(1).lower() if match else ""


MONTH_CONTEXT = {
    "in",
    "since",
    "during",
    "until",
    "till",
    "by",
    "of",
    "before",
    "after",
    "through",
    "throughout",
    "from",
    "early",
    "late",
    "mid",
    "on",
}


QUANTITY_WORDS = {"between", "than", "about", "around", "nearly", "almost", "some", "over", "to", "and", "or"}


def _month_range_guard(m: re.Match[str], text: str, in_entity: bool) -> bool:
    both_full = all(len(m.group(g).rstrip(".")) > 3 for g in ("m1", "m2"))
    return in_entity or bool(m.group("y1") or m.group("y2")) or both_full


def _range_years(m: re.Match[str]) -> tuple[int, int]:
    y1 = int(m.group("y1"))
    y2 = int(m.group("y2")) if m.group("y2") else (y1 // 100) * 100 + int(m.group("ys"))
    return y1, y2


def _year_range_guard(m: re.Match[str], text: str, in_entity: bool) -> bool:
    y1, y2 = _range_years(m)
    return 0 < y2 - y1 <= 60


def _month_day_guard(m: re.Match[str], text: str, in_entity: bool) -> bool:
    """``May 5`` at the start of a sentence may be a modal verb and a number; the rest is a date."""
    if m.group("m1") != "May" or in_entity:
        return True
    return _preceding_word(text, m.start()) in MONTH_CONTEXT


def _bare_month_guard(m: re.Match[str], text: str, in_entity: bool) -> bool:
    """A month named alone needs a preposition before it ("in March"); inside a spaCy DATE entity
    only March and May, which are also verbs, still do."""
    if m.group("rel") or _preceding_word(text, m.start()) in MONTH_CONTEXT:
        return True
    return in_entity and m.group("m1") not in ("March", "May")


def _bare_year_guard(m: re.Match[str], text: str, in_entity: bool) -> bool:
    """A year alone needs a preposition before it ("in 2016"), or a spaCy DATE entity that is not a
    count in disguise ("2000 fighters", "between 1800 and 2000 people")."""
    before = _preceding_word(text, m.start())
    if before in MONTH_CONTEXT - {"from"} | {"year", "summer", "spring", "winter", "autumn"}:
        return True
    if not in_entity or before in QUANTITY_WORDS:
        return False
    return not re.match(r"\s*(?:[a-z]+s\b|(?:and|or|to|-|–)\s*\d)", text[m.end() :])


def _season_guard(m: re.Match[str], text: str, in_entity: bool) -> bool:
    if m.group("y1") or m.group("rel"):
        return True
    return in_entity and _normal(m.group("season")) != "fall"


def _clause_final_guard(group: str) -> Guard:
    """Phrases that end in ``after``/``before`` count from the previous date only when they end a
    clause ("the day before, …"); "the day before the vote" counts from something else."""

    def guard(m: re.Match[str], text: str, in_entity: bool) -> bool:
        if not re.search(r"(?i:\b(?:after|before))$", m.group(group)):
            return True
        return bool(re.match(r"\s*(?:[,.;:!?)\]\"”]|$)", text[m.end() :]))

    return guard


# --------------------------------------------------------------------------------------- dateparser


@lru_cache(maxsize=8)
def _date_parser(base: str) -> Any:
    from dateparser.date import DateDataParser  # slow import: only when a fallback is needed

    settings = {
        "RELATIVE_BASE": datetime.fromisoformat(base),
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DAY_OF_MONTH": "first",
        "PARSERS": ["absolute-time"],
    }
    return DateDataParser(languages=["en"], settings=settings)


SENTINEL_BASE = "1111-01-01"  # never a year in the news: a result in it leaked from the base


@lru_cache(maxsize=4096)
def _dateparser_parse(text: str, base: str) -> tuple[str, str] | None:
    """(ISO day, period) as dateparser reads ``text`` against ``base``, or None."""
    data = _date_parser(base).get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    return data.date_obj.date().isoformat(), data.period or "day"


def _dateparser_window(resolver: _Resolver, text: str, ctx: _Context) -> _Window | None:
    """dateparser's reading of a DATE entity, checked part by part against the words of ``text``."""
    base = ctx.document_date.isoformat() if ctx.document_date else SENTINEL_BASE
    parsed = _dateparser_parse(text, base)
    if parsed is None:
        return None
    day, period = date.fromisoformat(parsed[0]), parsed[1]
    years = [int(y) for y in re.findall(r"(?<!\d)((?:1[6-9]|20)\d\d)(?!\d)", text)]
    has_month = bool(re.search(_alternation(list(resolver.lex["months"])), text))
    has_day = bool(
        re.search(r"(?<!\d)(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)", re.sub(r"\d{4}", "", text))
    )
    if period not in ("day", "month", "year") or (period in ("day", "month") and not has_month):
        return None
    if period == "day" and not has_day:
        return None
    if years:
        if day.year not in years:
            return None
        anchor, relative = None, False
    elif period == "year" or ctx.document_date is None:
        return None
    else:
        inferred = resolver.infer_year(day.month, day.day if period == "day" else None, ctx)
        if inferred is None:
            return None
        year, anchor = inferred
        try:
            day = day.replace(year=year)
        except ValueError:
            return None
        relative = True
    explicit = bool(years)
    if period == "day":
        return _day(day, relative=relative, anchor=anchor, explicit_year=explicit)
    if period == "month":
        return _month(day.year, day.month, relative=relative, anchor=anchor, explicit_year=explicit)
    return _year(day.year, explicit_year=True)


# --------------------------------------------------------------------------------------- the stage


@lru_cache(maxsize=1)
def _resolver() -> _Resolver:
    return _Resolver()


@dataclass
class _Candidate:
    span: Span
    rule: int | None  # grammar rule index; None for a spaCy entity the grammar does not cover
    match: re.Match[str] | None
    label: str = "DATE"
    text: str = ""


def _select(found: list[tuple[Span, int, re.Match[str]]], taken: list[Span]) -> list[_Candidate]:
    """Longest matches first, earlier rules on ties; never two overlapping."""
    chosen = []
    for span, rule, match in sorted(found, key=lambda f: (-(f[0][1] - f[0][0]), f[1], f[0][0])):
        if span[1] <= span[0] or inside_any(span, taken):
            continue
        taken.append(span)
        chosen.append(_Candidate(span, rule, match))
    return chosen


def _candidates(doc: Doc, text: str, exclude: list[Span]) -> list[_Candidate]:
    resolver = _resolver()
    taken = list(exclude)
    chosen = _select(resolver.matches(text, 0, len(text), in_entity=False)[0], taken)
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        span = (ent.start_char, ent.end_char)
        if inside_any(span, taken):
            continue
        found, rejected = resolver.matches(text, ent.start_char, ent.end_char, in_entity=True)
        inner = _select(found, taken)
        if inner or rejected:  # what the grammar turned down, dateparser is not asked about
            chosen.extend(inner)
            continue
        taken.append(span)
        chosen.append(_Candidate(span, None, None, label=ent.label_, text=ent.text))
    return sorted(chosen, key=lambda c: c.span)


def _future_clause(doc: Doc, span: Span) -> bool:
    """Whether the clause governing ``span`` is in the future tense ("will meet on Monday")."""
    tokens = doc.char_span(span[0], span[1], alignment_mode="expand")
    if tokens is None or len(tokens) == 0:
        return False
    token = tokens.root
    for _ in range(4):
        if token.pos_ in ("VERB", "AUX") or token.head is token:
            break
        token = token.head
    for candidate in (token, token.head):
        if candidate.lemma_.lower() in FUTURE_VERBS:
            return True
        for child in candidate.children:
            if child.dep_ in ("aux", "auxpass") and child.lower_ in FUTURE_AUXILIARIES:
                return True
    return False


def _since(text: str, span: Span) -> Span | None:
    """The span widened to a ``since`` right before it, if any."""
    window_start = max(0, span[0] - 12)
    match = re.search(r"(?i:\bsince)\s+$", text[window_start : span[0]])
    return None if match is None else (window_start + match.start(), span[1])


def _parse_document_date(document_date: str | None) -> date | None:
    """The publication day of an ISO date or timestamp; None when absent or unreadable."""
    try:
        return date.fromisoformat(document_date[:10]) if document_date else None
    except ValueError:
        return None


def find_dates(
    doc: Doc, document_date: str | None, exclude: list[Span] | None = None
) -> list[TimeExpression]:
    """The date expressions of ``doc``, in text order, each resolved against ``document_date``
    (ISO publication date) and the expressions before it. Spans overlapping ``exclude`` are skipped.
    See the module docstring for the conventions."""
    resolver = _resolver()
    text = doc.text  # built anew on every access: read it once
    anchor = _parse_document_date(document_date)
    starts = sentence_starts(doc)
    ctx = _Context(document_date=anchor)
    expressions: list[TimeExpression] = []
    windows: list[_Window] = []
    current_sentence = -1
    for candidate in _candidates(doc, text, list(exclude or [])):
        span = candidate.span
        sentence = sentence_index(starts, span[0])
        if sentence != current_sentence:
            current_sentence, ctx.year_hint = sentence, None
        ctx.future = _future_clause(doc, span)
        if candidate.rule is not None:
            assert candidate.match is not None
            window = resolver.rules[candidate.rule].handler(candidate.match, ctx)
        else:
            window = _leftover(resolver, doc, candidate, ctx, expressions, windows, sentence)
        if window is None or window.precision == "skip":
            continue
        since = _since(text, span)
        if since is not None and window.start is not None:
            end = anchor if anchor is not None and anchor >= window.start else None
            window = _Window(window.start, end, "range", relative=True, anchor="document" if end else None)
            span = since
        expressions.append(
            TimeExpression(
                text=text[span[0] : span[1]],
                span=span,
                sentence=sentence,
                start=window.start.isoformat() if window.start else None,
                end=window.end.isoformat() if window.end else None,
                precision=window.precision,
                relative=window.relative,
                anchor=window.anchor if window.resolved else None,
            )
        )
        windows.append(window)
        ctx.previous = window  # an unresolved expression leaves what counts from it unresolved too
        if window.explicit_year and window.start is not None:
            ctx.year_hint = window.start.year
    return expressions


def _leftover(
    resolver: _Resolver,
    doc: Doc,
    candidate: _Candidate,
    ctx: _Context,
    expressions: list[TimeExpression],
    windows: list[_Window],
    sentence: int,
) -> _Window | None:
    """A spaCy entity the grammar does not read: a duration, a time of day, or a dateparser date."""
    text = candidate.text
    if resolver.is_not_a_date(text):
        return None
    if candidate.label == "TIME" or (resolver.time_words.search(text) and not resolver.names_a_date(text)):
        if re.search(r"(?i:\b(?:hours?|minutes?|seconds?)\b)", text):
            return None
        for expression, window in zip(reversed(expressions), reversed(windows), strict=True):
            if expression.sentence != sentence:
                break
            if window.precision == "day":
                return _Window(window.start, window.end, "day", relative=True, anchor="previous")
        return None
    if not resolver.names_a_date(text):
        return None
    window = _dateparser_window(resolver, text, ctx)
    if window is not None:
        return window
    if resolver.month_or_weekday.search(text) or re.search(r"(?<!\d)(?:1[6-9]|20)\d\d(?!\d)", text):
        return _unknown(relative=False)  # a date, but not one this stage can read
    return None  # a bare number ("70", "Resolution 2328") that spaCy took for a date


def _expression_range(expression: TimeExpression) -> DateRange:
    return DateRange(expression.start, expression.end, expression.precision, expression.text)


def date_for_sentence(
    expressions: list[TimeExpression],
    sentence: int,
    document_date: str | None,
    position: int | None = None,
) -> DateRange:
    """The date of an event told in sentence ``sentence``.

    The first resolved expression of that sentence (with ``position``, a character offset such as the
    event trigger's: the resolved expression nearest to it). A sentence whose only expressions are
    unresolved gets ``DateRange(None, document_date, "unknown", text)``; a sentence without any gets
    ``DateRange(None, document_date, "unknown")``: the event happened on or before publication. Without
    a document date either, ``DateRange(None, None, "unknown")``.
    """
    inside = [e for e in expressions if e.sentence == sentence]
    resolved = [e for e in inside if e.start is not None or e.end is not None]
    if resolved:
        if position is None:
            return _expression_range(resolved[0])
        nearest = min(resolved, key=lambda e: (_distance(e.span, position), e.span[0]))
        return _expression_range(nearest)
    end = document_date[:10] if document_date else None
    return DateRange(None, end, "unknown", inside[0].text if inside else None)


def _distance(span: Span, position: int) -> int:
    if span[0] <= position < span[1]:
        return 0
    return min(abs(span[0] - position), abs(span[1] - position))


__all__ = ["PRECISIONS", "TimeExpression", "date_for_sentence", "find_dates"]
