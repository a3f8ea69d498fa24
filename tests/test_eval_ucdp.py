"""UCDP GED sample evaluation: actor, place and date matching, loader, and a smoke run on the gold set."""

from __future__ import annotations

import csv

import pytest

from polemos.eval import ucdp
from polemos.eval.ucdp import ActorGuess, GedRecord, PlaceGuess, RecordScore

NAMES = ucdp.load_names()


def actor(name: str, country: str | None = None, sector: str | None = None, *aliases: str) -> ActorGuess:
    return ActorGuess([name, *aliases], country, sector)


def record(**fields) -> GedRecord:
    base = dict(
        id="1",
        headlines=[("h", "2017-01-02")],
        side_a="Government of Syria",
        side_b="Syrian insurgents",
        type_of_violence="1",
        country="Syria",
        adm_1="Idlib governorate",
        adm_2="Ariha district",
        where_name="Rami village",
        where_description="in the al-Rami village",
        where_prec=1,
        lat=35.763369,
        lon=36.558974,
        date_start="2017-01-01",
        date_end="2017-01-01",
    )
    base.update(fields)
    return GedRecord(**base)


# ------------------------------------------------------------------------------------------- actors


def test_normalise():
    assert ucdp.normalise("The Al-Shabaab") == "al shabaab"
    assert ucdp.normalise("Jama'atu Ahlis Sunna") == "jamaatu ahlis sunna"
    assert ucdp.normalise("Juárez Cartel") == "juarez cartel"


@pytest.mark.parametrize(
    ("side", "actors", "matched"),
    [
        ("Government of Syria", [actor("Syrian Arab Army", "SYR", "MIL")], True),
        ("Government of Syria", [actor("Russian Armed Forces", "RUS", "MIL")], False),
        ("Government of Syria", [actor("Regime forces", None, "MIL")], True),  # generic state actor
        ("Government of Syria", [actor("Syrian opposition", "SYR", "REB")], False),
        ("Government of Yemen (North Yemen)", [actor("Yemeni government", "YEM", "GOV")], True),
        ("Government of DR Congo (Zaire)", [actor("FARDC", "COD", "MIL")], True),
        ("Syrian insurgents", [actor("rebels", None, "REB")], True),
        ("Syrian insurgents", [actor("Iraqi militants", "IRQ", "REB")], False),
        ("Civilians", [actor("civilian", None, "CVL")], True),
        ("Civilians", [actor("soldiers", None, "MIL")], False),
        ("IS", [actor("Islamic State", None, "REB", "IS positions")], True),
        ("IS", [actor("Islamist militants", None, "REB")], False),
        ("Taleban", [actor("Taliban", "AFG", "REB")], True),
        ("Taleban", [actor("Pakistani Taliban", "PAK", "REB")], False),
        ("Hamas", [actor("Hamas militants", "PSE", "REB")], True),
        ("Sinaloa Cartel", [actor("gunmen of the Sinaloa Cartel", None, "CRM")], True),
        ("Ahrar al-Sham, Jabhat Fateh al-Sham, Southern Front", [actor("Nusra Front", None, "REB")], True),
        ("Los Zetas - Cártel del Noreste faction", [actor("Zetas", None, "CRM")], True),
        ("Hamas", [], False),
    ],
)
def test_side_matches(side, actors, matched):
    assert ucdp.side_matches(side, actors, NAMES) is matched


def test_side_matches_by_dictionary_code():
    assert ucdp.side_matches("HTS", [ActorGuess(["Hayat Tahrir al-Sham", "HTS"], "SYR", "REB")], NAMES)


# ------------------------------------------------------------------------------------------- places


def test_distance_km_one_degree_of_latitude():
    assert ucdp.distance_km(35.0, 36.0, 36.0, 36.0) == pytest.approx(111.19, abs=0.1)
    assert ucdp.distance_km(10.0, 20.0, 10.0, 20.0) == 0.0


def test_place_within_radius():
    gold = record()
    near = PlaceGuess("Ariha", 35.8126, 36.6087, "SYR", "Idlib Governorate")  # ~7 km away
    far = PlaceGuess("Aleppo", 36.2021, 37.1343, "SYR", "Aleppo Governorate")
    assert ucdp.place_within(gold, [near])
    assert not ucdp.place_within(gold, [far])
    assert not ucdp.place_within(record(lat=None, lon=None), [near])


def test_place_named_by_admin1_admin2_or_name():
    gold = record()
    assert ucdp.place_named(gold, [PlaceGuess("Saraqib", None, None, "SYR", "Idlib Governorate")], NAMES)
    assert ucdp.place_named(gold, [PlaceGuess("Idlib Governorate", None, None, "SYR", None)], NAMES)
    assert ucdp.place_named(gold, [PlaceGuess("Ariha District", None, None, "SYR", None)], NAMES)
    assert ucdp.place_named(gold, [PlaceGuess("Rami", None, None, "SYR", None)], NAMES)
    assert not ucdp.place_named(gold, [PlaceGuess("Aleppo", None, None, "SYR", "Aleppo Governorate")], NAMES)


def test_country_matches():
    gold = record(country="Yemen (North Yemen)")
    assert ucdp.country_matches(gold, [PlaceGuess("Hodeidah", None, None, "YEM", None)], NAMES)
    assert not ucdp.country_matches(gold, [PlaceGuess("Riyadh", None, None, "SAU", None)], NAMES)


# ------------------------------------------------------------------------------------------- dates


def test_date_overlaps_needs_a_bounded_overlapping_range():
    gold = record(date_start="2017-01-03", date_end="2017-01-05")
    assert ucdp.date_overlaps(gold, [("2017-01-05", "2017-01-05")])
    assert ucdp.date_overlaps(gold, [("2017-01", "2017-01")])  # month precision
    assert not ucdp.date_overlaps(gold, [("2017-01-06", "2017-01-06")])
    assert not ucdp.date_overlaps(gold, [(None, "2017-01-06")])  # open range: on or before publication
    assert not ucdp.date_overlaps(gold, [])


def test_split_headlines_pairs_dates_and_drops_blanks_and_repeats():
    assert ucdp.split_headlines("A;B; ;A", "2020-01-02;2020-01-03;2020-01-04;2020-01-05") == [
        ("A", "2020-01-02"),
        ("B", "2020-01-03"),
    ]
    # counts differ: the earliest date for all
    assert ucdp.split_headlines("A; B", "2020-01-09;2020-01-02;2020-01-03") == [
        ("A", "2020-01-02"),
        ("B", "2020-01-02"),
    ]
    assert ucdp.split_headlines("", "") == []


# ------------------------------------------------------------------------------------------- scoring


def test_score_record_and_summarise():
    gold = record()
    prediction = ucdp.GedPrediction(
        actors=[actor("Syrian army", "SYR", "MIL")],
        places=[PlaceGuess("Idlib", 35.93, 36.63, "SYR", "Idlib Governorate")],
        dates=[("2017-01-01", "2017-01-01")],
    )
    score = ucdp.score_record(gold, prediction, NAMES)
    # Idlib city lies about 20 km from al-Rami: within 25 km; 'Syrian insurgents' has no actor
    assert (score.side_a, score.side_b, score.place_name, score.place_km, score.country, score.date) == (
        True, False, True, True, True, True
    )  # fmt: skip
    far = ucdp.GedPrediction(
        places=[PlaceGuess("Idlib", 35.93, 36.63, "SYR", None)], dates=[(None, "2017-01-09")]
    )
    elsewhere = record(lat=36.5, lon=37.5, adm_1="Aleppo governorate", adm_2="", where_name="Tal Rifaat")
    far_score = ucdp.score_record(elsewhere, far, NAMES)
    assert (far_score.place_km, far_score.place_name, far_score.date) == (False, False, False)
    scores = [
        RecordScore(True, True, True, False, True, False),
        RecordScore(True, False, False, False, False, True),
        RecordScore(False, False, False, True, True, False),
        RecordScore(False, False, False, False, False, False),
    ]
    metrics = ucdp.summarise(scores)
    assert metrics["side_a_match"] == pytest.approx(0.5)
    assert metrics["side_b_match"] == pytest.approx(0.25)
    assert metrics["both_sides_match"] == pytest.approx(0.25)
    assert metrics["place_match"] == pytest.approx(0.5)
    assert metrics["place_within_25km"] == pytest.approx(0.25)
    assert metrics["country_match"] == pytest.approx(0.5)
    assert metrics["date_match"] == pytest.approx(0.25)


# ------------------------------------------------------------------------------------------- loader


COLUMNS = [
    "id", "side_a", "side_b", "type_of_violence", "source_date", "source_headline", "where_prec",
    "where_coordinates", "where_description", "adm_1", "adm_2", "latitude", "longitude", "country",
    "date_start", "date_end",
]  # fmt: skip


def test_load_keeps_records_with_a_headline(tmp_path):
    place = {"where_prec": "1", "where_description": "x", "adm_2": ""}
    rows = [
        {"id": "11", "side_a": "Government of Syria", "side_b": "IS", "type_of_violence": "1",
         "source_date": "2017-03-02;2017-03-03", "source_headline": "Army retakes Palmyra;Palmyra falls",
         "where_coordinates": "Tadmur town", "adm_1": "Homs governorate", "latitude": "34.56",
         "longitude": "38.28", "country": "Syria", "date_start": "2017-03-01T00:00:00",
         "date_end": "2017-03-02T00:00:00", **place},
        {"id": "12", "side_a": "Taleban", "side_b": "Civilians", "type_of_violence": "3", "source_date": "",
         "source_headline": "", "where_coordinates": "x", "adm_1": "Kabul province", "latitude": "",
         "longitude": "", "country": "Afghanistan", "date_start": "2018-01-01T00:00:00",
         "date_end": "2018-01-01T00:00:00", **place},
        {"id": "13", "side_a": "Government of Ukraine", "side_b": "Government of Russia (Soviet Union)",
         "type_of_violence": "1", "source_date": "2022-06-17",
         "source_headline": 'Shelling near "Zolote", Luhansk', "where_coordinates": "Zolote",
         "adm_1": "Luhansk oblast", "latitude": "48.7", "longitude": "38.5", "country": "Ukraine",
         "date_start": "2022-06-15T00:00:00", "date_end": "2022-06-17T00:00:00", **place},
    ]  # fmt: skip
    file = tmp_path / "ucdpged_sample_ged231.csv"
    with file.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    records = ucdp.load(tmp_path)
    assert [r.id for r in records] == ["11", "13"]
    first = records[0]
    assert first.headlines == [("Army retakes Palmyra", "2017-03-02"), ("Palmyra falls", "2017-03-03")]
    assert (first.date_start, first.date_end) == ("2017-03-01", "2017-03-02")
    assert (first.lat, first.lon, first.where_prec) == (34.56, 38.28, 1)
    assert records[1].headlines == [('Shelling near "Zolote", Luhansk', "2022-06-17")]
    assert [r.id for r in ucdp.load(tmp_path, limit=1)] == ["11"]


# ------------------------------------------------------------------------------------------- smoke


def test_evaluate_on_the_gold_set(shared):
    result = ucdp.evaluate(shared / "gold" / "ucdp-ged-sample", limit=20)
    assert result.records == 20
    assert result.dataset == "ucdp-ged-sample"
    assert set(result.metrics) >= {"side_a_match", "side_b_match", "place_match", "date_match"}
    assert all(0.0 <= value <= 1.0 for value in result.metrics.values())
    assert len(result.errors) <= 20
    assert result.tables and result.notes
