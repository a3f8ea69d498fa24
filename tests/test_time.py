"""The time stage: date expressions found, resolved against the document date, and never invented."""

from __future__ import annotations

from datetime import date

import pytest

from polemos.model import DateRange
from polemos.nlp import load_nlp
from polemos.time import (
    TimeExpression,
    _Context,
    _dateparser_window,
    _resolver,
    date_for_sentence,
    find_dates,
)

DOCUMENT_DATE = "2017-09-25"  # a Monday


def dates(text: str, document_date: str | None = DOCUMENT_DATE, **kw: object) -> list[TimeExpression]:
    return find_dates(load_nlp()(text), document_date, **kw)  # type: ignore[arg-type]


def only(text: str, document_date: str | None = DOCUMENT_DATE) -> TimeExpression:
    found = dates(text, document_date)
    assert len(found) == 1, found
    return found[0]


def test_a_week_ago_is_seven_days_before_the_document_date() -> None:
    expression = only("A week ago the Pentagon accused the Russians of attacking SDF units.")
    assert (expression.start, expression.end, expression.precision) == ("2017-09-18", "2017-09-18", "week")
    assert expression.relative and expression.anchor == "document"
    assert expression.text == "A week ago"


def test_shortly_thereafter_counts_from_the_previous_expression() -> None:
    found = dates("A week ago the Pentagon accused Russia. Shortly thereafter, the ministry complained.")
    assert [e.text for e in found] == ["A week ago", "Shortly thereafter"]
    later = found[1]
    assert later.anchor == "previous" and later.relative
    assert (later.start, later.end, later.precision) == ("2017-09-18", "2017-09-25", "week")
    assert later.sentence == 1


def test_shortly_thereafter_after_an_unknown_date_stays_unknown() -> None:
    found = dates(
        "A week ago the Pentagon accused Russia. Shortly thereafter, the ministry complained.", None
    )
    assert [(e.start, e.end, e.precision) for e in found] == [(None, None, "unknown")] * 2


def test_between_two_days_is_one_range() -> None:
    expression = only("The photographs were made between 8 and 12 September.")
    assert expression.text == "between 8 and 12 September"
    assert (expression.start, expression.end, expression.precision) == ("2017-09-08", "2017-09-12", "range")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Clashes on 8-12 September killed five.", "2017-09-08", "2017-09-12"),
        ("They met from 3 to 5 March 2022 in Geneva.", "2022-03-03", "2022-03-05"),
        ("The battle raged from 28 August to 3 September 2017.", "2017-08-28", "2017-09-03"),
        ("They fought between September 8 and 12.", "2017-09-08", "2017-09-12"),
    ],
)
def test_day_ranges(text: str, start: str, end: str) -> None:
    expression = only(text)
    assert (expression.start, expression.end, expression.precision) == (start, end, "range")


def test_month_with_year() -> None:
    expression = only("The group was formed in September 2016 near Raqqa.")
    assert expression.text == "September 2016"
    assert (expression.start, expression.end, expression.precision) == ("2016-09-01", "2016-09-30", "month")
    assert not expression.relative and expression.anchor is None


def test_month_alone_takes_the_document_year() -> None:
    expression = only("Talks failed in September.")
    assert (expression.start, expression.end, expression.precision) == ("2017-09-01", "2017-09-30", "month")


def test_last_year_is_the_previous_calendar_year() -> None:
    expression = only("Last year the group expanded into Iraq.")
    assert (expression.start, expression.end, expression.precision) == ("2016-01-01", "2016-12-31", "year")


def test_last_week_is_the_previous_calendar_week() -> None:
    expression = only("Last week the UN warned of famine.", "2017-09-27")
    assert (expression.start, expression.end, expression.precision) == ("2017-09-18", "2017-09-24", "week")


def test_on_monday_is_the_most_recent_monday() -> None:
    wednesday = "2017-09-27"
    expression = only("Rebels attacked the town on Monday.", wednesday)
    assert (expression.start, expression.end, expression.precision) == ("2017-09-25", "2017-09-25", "day")
    same_day = only("Rebels attacked the town on Monday.", DOCUMENT_DATE)
    assert same_day.start == DOCUMENT_DATE
    last = only("Rebels attacked the town last Monday.", DOCUMENT_DATE)
    assert last.start == "2017-09-18"


def test_weekday_in_a_future_clause_looks_forward() -> None:
    expression = only("The vote will take place on Sunday.")
    assert expression.start == "2017-10-01"


def test_durations_and_ages_are_not_dates() -> None:
    text = (
        "Who has instead merely feigned it for three years? A 25-year-old man was killed. "
        "The siege lasted 24 hours. Decades of war ruined the town."
    )
    assert dates(text) == []


def test_counts_that_look_like_years_are_not_dates() -> None:
    assert dates("The army moved when 2000 fighters crossed the river.") == []
    assert dates("Between 1800 and 2000 people fled.") == []


def test_without_document_date_relative_and_year_less_dates_stay_unknown() -> None:
    found = dates("On 8 September, a week ago, rebels attacked. On March 3, 2022, troops crossed.", None)
    by_text = {e.text: e for e in found}
    for text in ("8 September", "a week ago"):
        assert (by_text[text].start, by_text[text].end, by_text[text].precision) == (None, None, "unknown")
        assert by_text[text].anchor is None
    assert by_text["March 3, 2022"].start == "2022-03-03"


def test_year_less_dates_never_take_the_year_from_the_clock() -> None:
    assert [(e.start, e.precision) for e in dates("It happened on September the 8th.", None)] == [
        (None, "unknown")
    ]
    with_date = dates("It happened on September the 8th.", "2015-10-01")
    assert [(e.start, e.precision) for e in with_date] == [("2015-09-08", "day")]


def test_dateparser_fallback_is_checked_against_the_words() -> None:
    resolver = _resolver()
    without = _Context(document_date=None)
    assert _dateparser_window(resolver, "Sep 8 '17", without) is None  # a two-digit year is not read
    assert _dateparser_window(resolver, "three years", without) is None
    explicit = _dateparser_window(resolver, "8th September, 2016", without)
    assert explicit is not None and (explicit.start, explicit.precision) == (date(2016, 9, 8), "day")
    inferred = _dateparser_window(resolver, "Sep 8", _Context(document_date=date(2015, 10, 1)))
    assert inferred is not None and (inferred.start, inferred.anchor) == (date(2015, 9, 8), "document")


def test_year_rolls_back_across_new_year() -> None:
    expression = only("A car bomb exploded on 28 December.", "2018-01-03")
    assert (expression.start, expression.precision) == ("2017-12-28", "day")
    assert expression.anchor == "document"


def test_future_clause_keeps_a_later_date_in_the_document_year() -> None:
    assert only("Elections will be held on 28 October.").start == "2017-10-28"
    assert only("Elections were held on 28 October.").start == "2016-10-28"


def test_explicit_full_dates() -> None:
    for text in (
        "On March 3, 2022, forces crossed.",
        "On 3 March 2022 forces crossed.",
        "It was 2022-03-03.",
    ):
        expression = only(text)
        assert (expression.start, expression.end, expression.precision) == ("2022-03-03", "2022-03-03", "day")
        assert not expression.relative


def test_year_less_date_takes_the_year_of_an_earlier_date_in_the_sentence() -> None:
    found = dates("On 8 September 2016 rebels took the town, and on 10 September they lost it.")
    assert [e.start for e in found] == ["2016-09-08", "2016-09-10"]


def test_parts_of_periods() -> None:
    found = dates("Fighting resumed in early September, in mid-2016 and again late last year.")
    assert [(e.text, e.start, e.end) for e in found] == [
        ("early September", "2017-09-01", "2017-09-10"),
        ("mid-2016", "2016-05-01", "2016-08-31"),
        ("late last year", "2016-09-01", "2016-12-31"),
    ]


def test_windows_ending_at_the_document_date() -> None:
    past = only("Forty fighters were killed in the past 24 hours.")
    assert (past.text, past.start, past.end, past.precision) == (
        "the past 24 hours",
        "2017-09-24",
        "2017-09-25",
        "range",
    )
    since = only("Since 2014, the group has held the city.")
    assert (since.text, since.start, since.end, since.precision) == (
        "Since 2014",
        "2014-01-01",
        DOCUMENT_DATE,
        "range",
    )


def test_discourse_day_offsets() -> None:
    found = dates(
        "The truce was signed on 3 March 2017. The day before, a convoy was hit. A day later, it collapsed."
    )
    assert [(e.text, e.start) for e in found] == [
        ("3 March 2017", "2017-03-03"),
        ("The day before", "2017-03-02"),
        ("A day later", "2017-03-03"),
    ]


def test_the_day_before_an_event_is_not_read_from_the_previous_date() -> None:
    found = dates("The truce was signed on 3 March 2017. The day before the vote, police raided offices.")
    assert [e.text for e in found] == ["3 March 2017"]


def test_time_of_day_takes_the_day_of_the_sentence_or_is_dropped() -> None:
    found = dates("On Monday, at 3 pm, a bomb exploded.", "2017-09-27")
    assert [(e.start, e.precision) for e in found] == [("2017-09-25", "day"), ("2017-09-25", "day")]
    assert found[1].anchor == "previous"
    assert dates("At 3 pm, a bomb exploded.") == []


def test_document_relative_words() -> None:
    found = dates("Yesterday troops moved. Overnight, shelling hit the town. This morning police arrived.")
    assert [(e.start, e.end, e.precision) for e in found] == [
        ("2017-09-24", "2017-09-24", "day"),
        ("2017-09-24", "2017-09-25", "range"),
        ("2017-09-25", "2017-09-25", "day"),
    ]


def test_exclude_skips_overlapping_spans() -> None:
    text = "A week ago rebels attacked. Last year they lost the town."
    excluded = text.index("Last year")
    found = dates(text, exclude=[(excluded, excluded + 4)])
    assert [e.text for e in found] == ["A week ago"]


def test_spans_point_into_the_text() -> None:
    text = "Troops withdrew on 8 September. Talks resume next month."
    for expression in dates(text):
        assert text[expression.span[0] : expression.span[1]] == expression.text


def test_date_for_sentence_uses_the_sentence_expression() -> None:
    found = dates("The ministry spoke. The photographs were made between 8 and 12 September.")
    assert date_for_sentence(found, 1, DOCUMENT_DATE) == DateRange(
        "2017-09-08", "2017-09-12", "range", "between 8 and 12 September"
    )


def test_date_for_sentence_falls_back_to_on_or_before_publication() -> None:
    found = dates("The ministry spoke. The photographs were made between 8 and 12 September.")
    assert date_for_sentence(found, 0, DOCUMENT_DATE) == DateRange(None, DOCUMENT_DATE, "unknown", None)
    assert date_for_sentence(found, 0, None) == DateRange(None, None, "unknown", None)
    unknown = dates("Rebels attacked on 8 September.", None)
    assert date_for_sentence(unknown, 0, None) == DateRange(None, None, "unknown", "8 September")


def test_date_for_sentence_picks_the_expression_nearest_a_position() -> None:
    text = "On Monday officials said the town fell in 2016."
    found = dates(text, "2017-09-27")
    assert date_for_sentence(found, 0, "2017-09-27").start == "2017-09-25"
    near = date_for_sentence(found, 0, "2017-09-27", position=text.index("fell"))
    assert (near.start, near.precision) == ("2016-01-01", "year")


def test_every_resolved_expression_is_a_valid_ordered_window() -> None:
    text = (
        "A week ago rebels attacked. Shortly thereafter troops arrived. Between 8 and 12 September photos "
        "were taken. Last Tuesday, earlier this week and in recent days, shelling continued."
    )
    found = dates(text)
    assert len(found) >= 6
    for expression in found:
        assert expression.precision in {"day", "week", "month", "year", "range"}
        assert expression.start is not None and expression.end is not None
        assert date.fromisoformat(expression.start) <= date.fromisoformat(expression.end)


def test_counted_offsets_from_the_previous_expression() -> None:
    found = dates(
        "A raid came on 3 March 2017. Forty-eight hours later, another. Three weeks earlier, a third."
    )
    assert [(e.start, e.end, e.precision) for e in found[1:]] == [
        ("2017-03-05", "2017-03-05", "day"),
        ("2017-02-12", "2017-02-12", "week"),
    ]
