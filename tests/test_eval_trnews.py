"""TR-News evaluation: offset repair, dltime reading, haversine, recognition and resolution scorers, loader,
and a smoke run on the first gold articles."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from polemos.eval.base import EvalResult
from polemos.eval.trnews import (
    GoldRecord,
    GoldToponym,
    Match,
    PredictedMention,
    context,
    distance_km,
    false_positives,
    load,
    match_toponyms,
    parse_dltime,
    realign,
    recognition_scores,
    resolution_scores,
    score,
)

# --- tiny hand-made places ----------------------------------------------------------------------------------

ALEPPO = dict(geonameid=170063, lat=36.20124, lon=37.16117, country="SYR")
DAMASCUS = dict(geonameid=170654, lat=33.5102, lon=36.29128, country="SYR")
LONDON_UK = dict(geonameid=2643743, lat=51.50853, lon=-0.12574, country="GBR")
LONDON_ON = dict(geonameid=6058560, lat=42.98339, lon=-81.23304, country="CAN")


def gold(phrase: str, start: int, feature_class: str = "P", **place) -> GoldToponym:
    return GoldToponym(
        phrase,
        start,
        start + len(phrase),
        name=phrase,
        feature_class=feature_class,
        feature_code="PPL",
        **place,
    )


def mention(start: int, end: int, name: str = "x", feature: str = "city", **place) -> PredictedMention:
    place = {"geonameid": None, "lat": None, "lon": None, "country": None, **place}
    return PredictedMention(start, end, name, feature=feature, **place)


# --- pure helpers -------------------------------------------------------------------------------------------


def test_distance_km_known_distances():
    assert distance_km(0.0, 0.0, 0.0, 1.0) == pytest.approx(111.19, abs=0.05)  # one degree on the equator
    # London → Paris is about 344 km
    assert distance_km(51.50853, -0.12574, 48.85341, 2.3488) == pytest.approx(344, abs=3)
    assert distance_km(10.0, 20.0, 10.0, 20.0) == 0.0
    assert distance_km(0.0, 0.0, 0.0, 180.0) == pytest.approx(math.pi * 6371.0088, rel=1e-6)
    assert distance_km(None, 0.0, 1.0, 1.0) is None


def test_realign_keeps_good_offsets_and_repairs_drifted_ones():
    text = "Shelling hit Aleppo and then Aleppo again."
    assert realign(text, "Aleppo", 13, 19) == (13, 19)
    assert realign(text, "Aleppo", 15, 21) == (13, 19)  # drifted by two: nearest occurrence
    assert realign(text, "Aleppo", 27, 33) == (29, 35)  # the second occurrence is nearer
    assert realign(text, "Aleppo", 13, 15) == (13, 19)  # a wrong end is repaired from the phrase
    assert realign(text, "ALEPPO", 13, 19) == (13, 19)  # any case as a last resort
    assert realign(text, "Homs", 13, 17) is None
    assert realign("x" * 200 + "Homs", "Homs", 0, 4, window=20) is None  # too far away


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2017-05-17", "2017-05-17"),
        ("11/28/2016", "2016-11-28"),
        ("Dec 17, 2016 8:46 AM ET", "2016-12-17"),
        ("9:55 AM ET, Sun January 4, 2015", "2015-01-04"),
        ("17 December 2016", "2016-12-17"),
        ("December 9th 2016", "2016-12-09"),
        ("DEC. 14, 2016, 2:54 AM EST", "2016-12-14"),
        ("Wed Nov 23, 2016 | 4:58pm EST", "2016-11-23"),
        ("", None),
        ("Foo 31, 2016", None),
        ("February 30, 2016", None),
    ],
)
def test_parse_dltime(value, expected):
    assert parse_dltime(value) == expected


def test_context_marks_the_span_within_its_line():
    text = "First line.\nRebels entered Aleppo today.\nLast line."
    start = text.index("Aleppo")
    assert context(text, (start, start + 6)) == "Rebels entered [[Aleppo]] today."


# --- scorers ------------------------------------------------------------------------------------------------


def test_match_takes_the_mention_overlapping_most_and_counts_false_positives():
    toponyms = [gold("New York", 0), gold("Aleppo", 20)]
    mentions = [mention(0, 3, "New"), mention(0, 8, "New York"), mention(40, 45, "Homs")]
    matches = match_toponyms("d", toponyms, mentions)
    assert [m.predicted.name if m.predicted else None for m in matches] == ["New York", None]
    assert false_positives(toponyms, mentions) == [mentions[2]]
    scores = recognition_scores(matches, predicted_total=3, false_positive_total=1)
    assert scores["precision"] == pytest.approx(2 / 3)
    assert scores["recall"] == pytest.approx(1 / 2)
    assert scores["f1"] == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))


def test_resolution_scores_on_known_answers():
    right = Match("d", gold("Aleppo", 0, **ALEPPO), mention(0, 6, "Aleppo", **ALEPPO))
    wrong_city = Match("d", gold("Aleppo", 10, **ALEPPO), mention(10, 16, "Damascus", **DAMASCUS))
    wrong_country = Match("d", gold("London", 20, **LONDON_ON), mention(20, 26, "London", **LONDON_UK))
    unresolved = Match("d", gold("Aleppo", 30, **ALEPPO), mention(30, 36, "Aleppo"))
    missed = Match("d", gold("Aleppo", 40, **ALEPPO), None)
    no_gold_entry = Match("d", GoldToponym("Main Street", 50, 61), mention(50, 61, "Main Street"))
    scores = resolution_scores([right, wrong_city, wrong_country, unresolved, missed, no_gold_entry])
    aleppo_damascus = distance_km(ALEPPO["lat"], ALEPPO["lon"], DAMASCUS["lat"], DAMASCUS["lon"])
    london_london = distance_km(LONDON_ON["lat"], LONDON_ON["lon"], LONDON_UK["lat"], LONDON_UK["lon"])
    assert aleppo_damascus > 161 and london_london > 5000
    assert scores["n"] == 4  # recognised, with a gold resolution
    assert scores["exact_id"] == pytest.approx(1 / 4)
    assert scores["acc_161km"] == pytest.approx(1 / 4)  # the unresolved one counts as wrong
    assert scores["country_acc"] == pytest.approx(2 / 4)  # Damascus is in the right country
    assert scores["mean_error_km"] == pytest.approx((0 + aleppo_damascus + london_london) / 3)
    assert scores["median_error_km"] == pytest.approx(aleppo_damascus)
    assert scores["unresolved"] == pytest.approx(1 / 4)


def test_same_geonameid_counts_as_zero_km_even_with_other_coordinates():
    usa_gold = GoldToponym(
        "U.S.", 0, 4, geonameid=6252001, feature_class="A", lat=39.76, lon=-98.5, country="USA"
    )
    usa_polemos = mention(
        0, 4, "United States", "country", geonameid=6252001, lat=44.0, lon=-103.0, country="USA"
    )
    match = Match("d", usa_gold, usa_polemos)
    assert match.error_km == 0.0
    assert resolution_scores([match])["acc_161km"] == 1.0


def test_score_builds_metrics_tables_and_errors():
    text = "Clashes in Aleppo and London. Turkish troops moved. Amber said."
    aleppo, london = text.index("Aleppo"), text.index("London")
    turkish, amber = text.index("Turkish"), text.index("Amber")
    record = GoldRecord(
        "1",
        "t",
        text,
        None,
        [
            gold("Aleppo", aleppo, **ALEPPO),
            gold("London", london, **LONDON_ON),
            GoldToponym(
                "Turkish",
                turkish,
                turkish + 7,
                geonameid=298795,
                feature_class="A",
                lat=39,
                lon=35,
                country="TUR",
            ),
        ],
    )
    predicted = [
        mention(aleppo, aleppo + 6, "Aleppo", **ALEPPO),
        mention(london, london + 6, "London", **LONDON_UK),
        mention(amber, amber + 5, "Ambert", country="FRA", lat=45.55, lon=3.74, geonameid=3037539),
    ]
    result = score([record], [predicted])
    assert result.metrics["recognition_precision"] == pytest.approx(2 / 3)
    assert result.metrics["recognition_recall"] == pytest.approx(2 / 3)
    assert result.metrics["exact_geonameid"] == pytest.approx(1 / 2)
    assert result.metrics["acc_161km"] == pytest.approx(1 / 2)
    assert result.metrics["country_accuracy"] == pytest.approx(1 / 2)
    assert result.metrics["median_error_km"] > 1000
    titles = [table.title for table in result.tables]
    assert any("P / A" in title for title in titles)
    by_class = {row[0].split()[0]: row for row in result.tables[0].rows}
    assert by_class["P"][1] == 2 and by_class["A"][1] == 0  # "Turkish" was not recognised
    recall = {row[0]: row for row in result.tables[2].rows}
    assert recall["demonyms (Turkish, Russian…)"][1:] == [1, 0, 0.0]
    kinds = [error.note.split(";")[0] for error in result.errors]
    assert any(kind.endswith("km off") for kind in kinds)
    assert "missed toponym" in kinds and "false positive" in kinds
    assert "[[London]]" in result.errors[0].text


def test_score_rejects_mismatched_lengths():
    with pytest.raises(ValueError):
        score([GoldRecord("1", "", "", None)], [])


# --- loader -------------------------------------------------------------------------------------------------

SAMPLE = """<?xml version="1.0" encoding="utf-8"?>
<articles>
    <article docid="42">
        <title>Clashes near Aleppo
        </title>
        <url>http://example.org/a</url>
        <domain>example.org</domain>
        <dltime>Dec 17, 2016 8:46 AM ET</dltime>
        <text><![CDATA[Syrian forces shelled Aleppo.
Residents fled along Church Street to London, Ont.]]></text>
        <toponyms>
            <toponym>
                <phrase>Syrian</phrase>
                <start>0</start>
                <end>6</end>
                <gaztag geonameid="163843">
                    <name>Syria</name>
                    <fclass>A</fclass>
                    <fcode>PCLI</fcode>
                    <lat>35</lat>
                    <lon>38</lon>
                    <country geonameid="163843">Syria</country>
                </gaztag>
            </toponym>
            <toponym>
                <phrase>Aleppo</phrase>
                <start>24</start>
                <end>30</end>
                <gaztag geonameid="170063">
                    <name>Aleppo</name>
                    <fclass>P</fclass>
                    <fcode>PPLA</fcode>
                    <lat>36.20124</lat>
                    <lon>37.16117</lon>
                    <country geonameid="163843">Syria</country>
                    <admin1 geonameid="170062">Aleppo Governorate</admin1>
                </gaztag>
            </toponym>
            <toponym>
                <phrase>Church Street</phrase>
                <start>51</start>
                <end>64</end>
            </toponym>
            <toponym>
                <phrase>Nowhere</phrase>
                <start>0</start>
                <end>7</end>
            </toponym>
        </toponyms>
    </article>
    <article docid="43">
        <title>Second</title>
        <dltime></dltime>
        <text><![CDATA[Nothing here.]]></text>
    </article>
</articles>
"""


def test_load_reads_the_real_format_and_repairs_offsets(tmp_path: Path):
    (tmp_path / "TR-News.xml").write_text(SAMPLE, encoding="utf-8")
    records = load(tmp_path)
    assert [r.id for r in records] == ["42", "43"]
    first = records[0]
    assert first.title == "Clashes near Aleppo"
    assert first.date == "2016-12-17"
    assert records[1].date is None and records[1].toponyms == []
    syria, aleppo, street = first.toponyms
    assert (syria.geonameid, syria.country, syria.feature_code, syria.lat) == (163843, "SYR", "PCLI", 35.0)
    assert first.text[aleppo.start : aleppo.end] == "Aleppo" and aleppo.realigned  # 24 → 22
    assert not syria.realigned
    assert (street.phrase, street.geonameid, street.lat) == ("Church Street", None, None)
    assert first.text[street.start : street.end] == "Church Street"
    assert first.unaligned == ["Nowhere"]
    assert [r.id for r in load(tmp_path / "TR-News.xml", limit=1)] == ["42"]


# --- smoke run on the gold set ------------------------------------------------------------------------------


def test_evaluate_smoke(shared: Path):
    from polemos.eval.trnews import evaluate

    seen: list[tuple[int, int]] = []
    result = evaluate(
        shared / "gold" / "tr-news", limit=20, progress=lambda done, total: seen.append((done, total))
    )
    assert isinstance(result, EvalResult)
    assert result.dataset == "tr-news" and result.records == 20
    assert seen[-1] == (20, 20)
    for name in ("recognition_precision", "recognition_recall", "recognition_f1", "exact_geonameid"):
        assert 0.0 <= result.metrics[name] <= 1.0
    for name in ("acc_161km", "country_accuracy"):
        assert 0.0 <= result.metrics[name] <= 1.0
    assert result.metrics["recognition_recall"] > 0  # polemos finds some of the places
    assert result.metrics["mean_error_km"] >= 0 and result.metrics["median_error_km"] >= 0
    assert result.tables and result.notes and 0 < len(result.errors) <= 20
