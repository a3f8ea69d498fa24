"""The geo stage: gazetteer index, toponym detection, disambiguation and relative phrases."""

from __future__ import annotations

import json
import sqlite3
import time

import pytest

from polemos.geo import country_iso3, country_name, demonym_country, find_places, relative_phrase
from polemos.geo.gazetteer import Gazetteer, build_index, iter_json_object, normalize
from polemos.model import Place
from polemos.nlp import load_nlp


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    """The real index (built once into the user cache, or $POLEMOS_CACHE_DIR, on first use)."""
    return Gazetteer.open()


@pytest.fixture(scope="session")
def nlp():
    return load_nlp()


def places_of(nlp, gazetteer, text: str, exclude=()) -> list[Place]:
    return find_places(nlp(text), exclude=list(exclude))


def by_mention(places: list[Place], text: str, surface: str) -> Place:
    for place in places:
        if any(text[start:end] == surface for start, end in place.mentions):
            return place
    raise AssertionError(f"no place mentioned as {surface!r}: {[(p.name, p.mentions) for p in places]}")


# --- normalisation and index ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variant", "key"),
    [
        ("Deir-ez-Zor", "deir ez zor"),
        ("Deir ez-Zor", "deir ez zor"),
        ("Deir ez Zor", "deir ez zor"),
        ("Sana’a", "sanaa"),
        ("Ḩamāh", "hamah"),
        ("U.S.", "us"),
        ("Şanlıurfa", "sanliurfa"),
    ],
)
def test_normalize_unifies_spelling_variants(variant: str, key: str) -> None:
    assert normalize(variant) == key


def test_iter_json_object_streams_across_chunk_boundaries(tmp_path) -> None:
    data = {str(i): {"name": f"Place {i}", "alternatenames": ["a", "b"]} for i in range(50)}
    path = tmp_path / "data.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with open(path, encoding="utf-8") as stream:
        assert dict(iter_json_object(stream, chunk_size=7)) == data


def test_build_index_is_atomic_and_indexes_names_and_variants(tmp_path) -> None:
    source = tmp_path / "cities.json"
    records = {
        "172374": {
            "geonameid": 172374,
            "name": "Al-Tabqa",
            "latitude": 35.8,
            "longitude": 38.5,
            "countrycode": "SY",
            "population": 87880,
            "admin1code": "04",
            "alternatenames": ["Ath Thawrah", "DEZ", "الطبقة"],
        },
        "1": {
            "geonameid": 1,
            "name": "Al Town",
            "latitude": 1.0,
            "longitude": 2.0,
            "countrycode": "FR",
            "population": 10,
            "admin1code": "11",
            "alternatenames": [],
        },
    }
    source.write_text(json.dumps(records), encoding="utf-8")
    target = tmp_path / "sub" / "index.sqlite"
    assert build_index(target, source=source) == target
    assert [p.name for p in target.parent.iterdir() if p.suffix == ".tmp"] == []
    connection = sqlite3.connect(target)
    keys = dict(connection.execute("SELECT key, match FROM names WHERE geonameid = 172374").fetchall())
    assert keys == {
        "al tabqa": 0,
        "ath thawrah": 1,
        "tabqa": 2,
        "thawrah": 2,
    }  # no IATA code, no Arabic script
    assert (
        connection.execute("SELECT count(*) FROM names WHERE key = 'town'").fetchone()[0] == 0
    )  # FR: no variant
    row = connection.execute("SELECT country, admin1 FROM places WHERE geonameid = 172374").fetchone()
    assert row == ("SYR", "Raqqa Governorate")


def test_lookup_is_fast(gazetteer: Gazetteer) -> None:
    names = ["Aleppo", "Paris", "Donetsk", "Kandahar", "Maiduguri", "Springfield", "Nowhereville"] * 20
    started = time.perf_counter()
    for name in names:
        gazetteer._query_cities(normalize(name))  # uncached SQLite query
    assert (time.perf_counter() - started) / len(names) < 0.001


# --- countries --------------------------------------------------------------------------------------------


def test_country_helpers() -> None:
    assert country_iso3("SY") == "SYR"
    assert country_iso3("U.S.") == "USA"
    assert country_iso3("Ivory Coast") == "CIV"
    assert country_iso3("DRC") == "COD"
    assert country_iso3("Britain") == "GBR"
    assert country_iso3("Narnia") is None
    assert country_name("SYR") == "Syria"
    assert demonym_country("Syrian") == "SYR"
    assert demonym_country("Congolese") is None  # two Congos


# --- resolution -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["Deir-ez-Zor", "Deir ez-Zor", "Deir ez Zor"])
def test_deir_ez_zor_spellings_resolve_to_the_city(nlp, gazetteer, spelling: str) -> None:
    text = f"Syrian troops advanced on the city of {spelling} on Tuesday, the monitor said."
    place = by_mention(places_of(nlp, gazetteer, text), text, spelling)
    assert place.geonameid == 170794
    assert place.feature == "city" and place.country == "SYR"
    assert abs(place.lat - 35.34) < 0.05 and abs(place.lon - 40.14) < 0.05


def test_tabqa_resolves_to_the_syrian_city(nlp, gazetteer) -> None:
    text = (
        "The SDF took Tabqa from the Islamic State in 2017, Syrian state media said of the fighting in Syria."
    )
    place = by_mention(places_of(nlp, gazetteer, text), text, "Tabqa")
    assert place.country == "SYR" and place.feature == "city" and place.geonameid == 172374


def test_euphrates_is_a_river_with_a_side_qualifier(nlp, gazetteer) -> None:
    text = "SDF units are moving to the city of Deir ez-Zor on the left side of the Euphrates."
    places = places_of(nlp, gazetteer, text)
    river = by_mention(places, text, "Euphrates")
    assert river.feature == "river" and river.country == "SYR"
    assert [q["relation"] for q in river.qualifiers] == ["on the left side of"]


def test_direction_qualifier_and_relative_phrase(nlp, gazetteer) -> None:
    text = "Russian jets struck SDF units to the east of Deir-ez-Zor, the Pentagon said."
    doc = nlp(text)
    place = by_mention(find_places(doc), text, "Deir-ez-Zor")
    (qualifier,) = place.qualifiers
    assert qualifier["relation"] == "east of"
    assert text[qualifier["span"][0] : qualifier["span"][1]] == "to the east of"
    assert relative_phrase(doc, place.mentions[0]) == "east of"
    assert relative_phrase(doc, (0, 7)) is None


@pytest.mark.parametrize(
    ("text", "surface", "relation", "extra"),
    [
        (
            "Boko Haram attacked a village 20 km south of Maiduguri, Nigeria.",
            "Maiduguri",
            "south of",
            {"distance_km": 20.0},
        ),
        ("Clashes broke out in the Hama countryside on Friday.", "Hama", "countryside", {}),
        ("Shelling was reported in northern Aleppo overnight.", "Aleppo", "northern", {}),
        ("Militants were killed near Kandahar, Afghanistan.", "Kandahar", "near", {}),
        ("Troops massed outside Kherson, Ukraine.", "Kherson", "outside", {}),
    ],
)
def test_relative_phrases(nlp, gazetteer, text, surface, relation, extra) -> None:
    place = by_mention(places_of(nlp, gazetteer, text), text, surface)
    assert place.qualifiers, place
    assert place.qualifiers[0]["relation"] == relation
    for key, value in extra.items():
        assert place.qualifiers[0][key] == value


def test_tripoli_follows_the_document_country(nlp, gazetteer) -> None:
    lebanon = "Clashes erupted in Tripoli, Lebanon's second city, and the Lebanese army deployed near Beirut."
    libya = "Forces loyal to the Tripoli government repelled an assault launched from Benghazi, Libya."
    assert by_mention(places_of(nlp, gazetteer, lebanon), lebanon, "Tripoli").country == "LBN"
    assert by_mention(places_of(nlp, gazetteer, libya), libya, "Tripoli").country == "LBY"


def test_paris_follows_the_document_country(nlp, gazetteer) -> None:
    texas = "The mayor of Paris, Texas, said the courthouse would reopen. Dallas officials agreed."
    france = "Protesters gathered in Paris, France, on Saturday."
    assert by_mention(places_of(nlp, gazetteer, texas), texas, "Paris").country == "USA"
    assert by_mention(places_of(nlp, gazetteer, france), france, "Paris").geonameid == 2988507


def test_georgia_country_or_us_state_by_context(nlp, gazetteer) -> None:
    caucasus = "Georgia's president met Ukraine's leader in Tbilisi."
    american = "The governor of Georgia spoke in Atlanta about voting in the United States."
    assert by_mention(places_of(nlp, gazetteer, caucasus), caucasus, "Georgia").feature == "country"
    state = by_mention(places_of(nlp, gazetteer, american), american, "Georgia")
    assert (state.feature, state.country) == ("admin1", "USA")


def test_countries_are_places(nlp, gazetteer) -> None:
    text = "Russia accused the United States of prolonging the war in Syria."
    places = places_of(nlp, gazetteer, text)
    syria = by_mention(places, text, "Syria")
    assert (syria.country, syria.feature, syria.geonameid) == ("SYR", "country", 163843)
    assert by_mention(places, text, "Russia").country == "RUS"
    assert by_mention(places, text, "United States").country == "USA"


def test_admin1_with_type_word(nlp, gazetteer) -> None:
    text = "Fighting continued in Idlib province and in the Donetsk region, while Aleppo was calm."
    places = places_of(nlp, gazetteer, text)
    idlib = by_mention(places, text, "Idlib province")
    assert (idlib.feature, idlib.country, idlib.name) == ("admin1", "SYR", "Idlib Governorate")
    assert by_mention(places, text, "Donetsk region").name == "Donetsk Oblast"
    assert by_mention(places, text, "Aleppo").feature == "city"  # no type word: the city


def test_mislabelled_and_unlabelled_toponyms_are_found(nlp, gazetteer) -> None:
    text = (
        "Airstrikes hit Khan Younis in the Gaza Strip, and clashes spread in the vicinity of Manbij in Syria."
    )
    places = places_of(nlp, gazetteer, text)
    assert by_mention(places, text, "Khan Younis").country == "PSE"
    assert by_mention(places, text, "Gaza Strip").feature == "admin1"
    assert by_mention(places, text, "Manbij").qualifiers[0]["relation"] == "near"


def test_seas_straits_and_regions(nlp, gazetteer) -> None:
    text = "Houthi forces fired at ships in the Red Sea near the Strait of Hormuz and the Golan Heights."
    places = places_of(nlp, gazetteer, text)
    assert by_mention(places, text, "Red Sea").feature == "sea"
    assert by_mention(places, text, "Strait of Hormuz").feature == "strait"
    assert by_mention(places, text, "Golan Heights").feature == "region"


def test_unknown_toponym_is_kept(nlp, gazetteer) -> None:
    text = "Gunmen stormed Zorbatiyah village, north of Kut, Iraq."
    places = places_of(nlp, gazetteer, text)
    unknown = by_mention(places, text, "Zorbatiyah")
    assert (unknown.geonameid, unknown.feature, unknown.lat) == (None, "unknown", None)
    kut = by_mention(places, text, "Kut")
    assert kut.country == "IRQ" and kut.qualifiers[0]["relation"] == "north of"


def test_demonyms_are_not_places(nlp, gazetteer) -> None:
    text = "Two Syrian soldiers and an American contractor were wounded; Russians and Iranians denied it."
    assert places_of(nlp, gazetteer, text) == []


def test_boilerplate_is_excluded(nlp, gazetteer) -> None:
    article = "Iraqi forces entered Mosul on Monday."
    footer = "\n\nLeave a Reply\nShare this on Facebook. Our office in London, United Kingdom, is open."
    text = article + footer
    everything = places_of(nlp, gazetteer, text)
    assert any(start >= len(article) for place in everything for start, _ in place.mentions)
    kept = places_of(nlp, gazetteer, text, exclude=[(len(article), len(text))])
    assert [place.name for place in kept] == ["Mosul"]
    assert all(end <= len(article) for place in kept for _, end in place.mentions)


def test_places_merge_mentions_and_number_in_order(nlp, gazetteer) -> None:
    text = "Syria said Aleppo was shelled. Later, Aleppo and Syria's north saw more clashes."
    places = places_of(nlp, gazetteer, text)
    assert [p.id for p in places] == [f"p{i}" for i in range(1, len(places) + 1)]
    assert [p.name for p in places][:2] == ["Syria", "Aleppo"]
    assert [text[s:e] for s, e in places[1].mentions] == ["Aleppo", "Aleppo"]


def test_find_places_is_fast(nlp, gazetteer) -> None:
    paragraph = (
        "Syrian government forces backed by Russian jets shelled villages near Idlib and east of Aleppo on "
        "Monday, while the SDF advanced along the Euphrates towards Deir ez-Zor. In Iraq, militants attacked "
        "a checkpoint 30 km north of Baghdad and fled toward the Anbar desert. "
    )
    doc = nlp(paragraph * 25)  # about 1,000 words
    find_places(doc)
    started = time.perf_counter()
    places = find_places(doc)
    assert time.perf_counter() - started < 0.25
    assert {p.name for p in places} >= {"Aleppo", "Euphrates", "Deir ez-Zor", "Baghdad"}


def test_river_or_city_of_the_same_name(nlp, gazetteer) -> None:
    text = (
        "Ukrainian troops crossed the Dnipro south of Kherson. Sirens sounded in Dnipro, Ukraine, overnight."
    )
    places = places_of(nlp, gazetteer, text)
    (river,) = [p for p in places if any(s == text.index("Dnipro") for s, _ in p.mentions)]
    assert river.feature == "river"
    city_start = text.rindex("Dnipro")
    (city,) = [p for p in places if any(s == city_start for s, _ in p.mentions)]
    assert city.feature == "city" and city.country == "UKR"


# --- admin1 divisions, abbreviations, qualifiers ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "feature", "country"),
    [
        ("Voters in Missouri backed the measure on Tuesday.", "Missouri", "admin1", "USA"),  # not Bozeman
        ("Hurricane warnings were issued for Florida overnight.", "Florida", "admin1", "USA"),
        ("Lawmakers in Delaware passed the budget.", "Delaware", "admin1", "USA"),  # not Delaware, Ohio
        ("Airstrikes hit Raqqa overnight.", "Raqqa", "city", "SYR"),  # the city inside its governorate
        ("Russian drones struck Kiev, the Ukrainian capital.", "Kiev", "city", "UKR"),  # not Kyiv Oblast
        ("Fighting resumed near Hodeidah port.", "Hodeidah", "city", "YEM"),  # a spelling of Al Hudaydah
    ],
)
def test_division_or_city_of_the_same_name(nlp, gazetteer, text, surface, feature, country) -> None:
    place = by_mention(places_of(nlp, gazetteer, text), text, surface)
    assert (place.feature, place.country) == (feature, country)


def test_similar_names_are_spelling_variants_not_other_names() -> None:
    from polemos.geo.resolve import _similar_names

    assert _similar_names("hama", "Ḩamāh")
    assert _similar_names("hodeida", "Al Ḩudaydah")
    assert _similar_names("kiev", "Kyiv")
    assert not _similar_names("bahia", "Salvador")
    assert not _similar_names("oklahoma", "Oklahoma City")


def test_first_level_divisions_of_more_countries(nlp, gazetteer) -> None:
    expected = {
        "Wildfires spread across Alberta and British Columbia on Sunday.": {
            "Alberta": "CAN",
            "British Columbia": "CAN",
        },
        "Floods hit Queensland and Tasmania.": {"Queensland": "AUS", "Tasmania": "AUS"},
        "Sichuan and Bavaria reported heavy snow, and rain fell in Maharashtra.": {
            "Sichuan": "CHN",
            "Bavaria": "DEU",
            "Maharashtra": "IND",
        },
    }
    for text, divisions in expected.items():
        places = places_of(nlp, gazetteer, text)
        for surface, iso3 in divisions.items():
            place = by_mention(places, text, surface)
            assert (place.feature, place.country) == ("admin1", iso3)
            assert place.lat is not None and place.lon is not None


def test_curated_divisions_carry_their_geonames_ids(gazetteer) -> None:
    """Every curated first-level division has its GeoNames admin1 id, distinct per division."""
    ids = {
        c.country: c.geonameid
        for name in ("Alberta", "Idlib Governorate", "Sichuan", "Borno State", "England")
        for c in gazetteer.lookup(name)
        if c.feature == "admin1"
    }
    assert ids == {"CAN": 5883102, "SYR": 169387, "CHN": 1794299, "NGA": 2346794, "GBR": 6269131}
    divisions = {c.key: c for cs in gazetteer._curated.values() for c in cs if c.feature == "admin1"}
    with_id = [c for c in divisions.values() if c.geonameid is not None]
    assert len(with_id) >= 0.98 * len(divisions)
    assert len({c.geonameid for c in with_id}) == len(with_id)


def test_representative_point_is_central_not_where_people_live(gazetteer) -> None:
    from polemos.geo.gazetteer import representative_point

    corner = [(-27.5 + i * 0.01, 153.0) for i in range(50)]  # a crowded corner
    spread = [(-11.0, 142.5), (-19.0, 146.0), (-20.0, 145.0), (-23.5, 148.0), (-28.0, 138.0)]
    point = representative_point(corner + spread)
    assert point in spread and point[0] > -25.0
    queensland = next(c for c in gazetteer.lookup("Queensland") if c.feature == "admin1")
    assert (
        queensland.lat is not None and queensland.lat > -25.0
    )  # Brisbane, the most populous part, is at -27.5


def test_state_abbreviations_after_a_place_name(nlp, gazetteer) -> None:
    text = "The crash happened near Frankfort, Ky., and a second one in Calgary, Alta., on Monday."
    places = places_of(nlp, gazetteer, text)
    kentucky = by_mention(places, text, "Ky.")
    assert (kentucky.name, kentucky.feature, kentucky.country) == ("Kentucky", "admin1", "USA")
    assert by_mention(places, text, "Alta.").name == "Alberta"
    assert by_mention(places, text, "Frankfort").admin1 == "Kentucky"
    standalone = "In B.C., snow fell on the passes."
    assert by_mention(places_of(nlp, gazetteer, standalone), standalone, "B.C.").name == "British Columbia"
    assert places_of(nlp, gazetteer, "After he attended Mass. they ate.") == []


@pytest.mark.parametrize(
    ("text", "surface", "country", "admin1"),
    [
        ("Police in London, Ontario, said the suspect fled.", "London", "CAN", "Ontario"),
        ("The singer was born in Kingston, Jamaica, and moved abroad.", "Kingston", "JAM", None),
        ("Beau Dunn of London, Arkansas, was killed in the crash.", "London", "USA", "Arkansas"),
        ("PARIS, Mo. — The farmers moved here in 1999.", "PARIS", "USA", "Missouri"),
        ("She won the state title for Queensland, Australia, at seven.", "Queensland", "AUS", "Queensland"),
    ],
)
def test_explicit_qualifier_resolves_inside_it(nlp, gazetteer, text, surface, country, admin1) -> None:
    place = by_mention(places_of(nlp, gazetteer, text), text, surface)
    assert place.country == country
    if admin1:
        assert place.admin1 == admin1


def test_qualified_name_keeps_its_reading_and_lists_are_not_qualifiers(nlp, gazetteer) -> None:
    text = "Police in Atlanta, Georgia, said the suspect fled. Georgia troopers found him in London, Ontario."
    places = places_of(nlp, gazetteer, text)
    first, second = (start for start in range(len(text)) if text.startswith("Georgia", start))
    georgia = [p for p in places if any(s in (first, second) for s, _ in p.mentions)]
    assert len(georgia) == 1 and (georgia[0].feature, georgia[0].country) == ("admin1", "USA")
    listing = "Clashes in Raqqa, Deir ez-Zor and Hasakah killed ten."
    raqqa = by_mention(places_of(nlp, gazetteer, listing), listing, "Raqqa")
    assert raqqa.country == "SYR" and (raqqa.population or 0) > 100000


def test_part_of_a_known_place(nlp, gazetteer) -> None:
    from polemos.geo.resolve import _lookup

    assert [c.name for c in _lookup(gazetteer, "Far North Queensland")] == ["Queensland"]
    text = "Storms battered Southern California and North London."
    places = places_of(nlp, gazetteer, text)
    assert by_mention(places, text, "Southern California").name == "California"
    assert by_mention(places, text, "North London").country == "GBR"
    assert [c.feature for c in _lookup(gazetteer, "East Pacific")] == ["sea"]  # not Pacific, Missouri
    ocean = "Sailors crossed the South Pacific."
    assert by_mention(places_of(nlp, gazetteer, ocean), ocean, "South Pacific").feature == "sea"


def test_mentions_end_without_punctuation_or_line_breaks_but_abbreviations_keep_their_period() -> None:
    import polemos

    text = "Coalition forces struck targets in Iraq.\n\nStrikes in Syria\nA man from Nanaimo, B.C. was hurt."
    result = polemos.extract(text)
    spans = {text[start:end] for place in result["places"] for start, end in place["mentions"]}
    assert "Iraq" in spans and "Syria" in spans
    assert not any(
        span != span.strip() or span.endswith((".", ",")) and span not in ("B.C.",) for span in spans
    )


def test_dateline_in_capitals_is_a_place(nlp, gazetteer) -> None:
    text = "BRADFORD — A fire destroyed a warehouse on Sunday.\nUPDATE Officials said more."
    places = places_of(nlp, gazetteer, text)
    assert [(p.name, p.country) for p in places] == [("Bradford", "GBR")]
    assert places[0].mentions == [(0, 8)]
    # a run of capitals must name a place as a whole and be followed by a dash, comma or a sentence
    assert places_of(nlp, gazetteer, "READ MORE: Fire destroys a warehouse") == []


def test_organisation_label_on_a_city() -> None:
    from polemos.geo.resolve import _big_city_of, _minor_place

    gazetteer = Gazetteer.open()
    assert _big_city_of(gazetteer, "edmonton", {"CAN"})
    assert not _big_city_of(gazetteer, "edmonton", {"GBR"})  # the London district is no big city
    assert not _big_city_of(gazetteer, "moscow", {"RUS"})  # a capital as ORG is its government
    assert _minor_place(gazetteer, "Brunson") and not _minor_place(gazetteer, "Cairns")
    assert not _minor_place(gazetteer, "Kentucky")


def test_label_votes_count_place_against_person_and_organisation_labels(nlp) -> None:
    from polemos.geo.resolve import _label_votes, _Tokens

    doc = nlp("Smith met Jones in Paris. Jones said Paris was calm.")
    votes = _label_votes(doc, _Tokens.of(doc, doc.text))
    assert votes["paris"] > 0 and votes["jones"] < 0


def test_a_country_before_another_country_is_no_qualified_town(nlp, gazetteer) -> None:
    text = "He worked for years in Russia, U.S. officials said on Tuesday."
    russia = by_mention(places_of(nlp, gazetteer, text), text, "Russia")
    assert (russia.feature, russia.country) == ("country", "RUS")
    text = 'Users tagged photos with the location "Singapore, Singapore" last week.'
    assert by_mention(places_of(nlp, gazetteer, text), text, "Singapore").country == "SGP"


def test_us_counties_tell_the_country_and_follow_the_state_in_context(nlp, gazetteer) -> None:
    text = "A barn burned in Pulaski County on Monday, Missouri fire officials said."
    county = by_mention(places_of(nlp, gazetteer, text), text, "Pulaski County")
    assert (county.feature, county.country, county.admin1) == ("admin2", "USA", "Missouri")
    assert county.lat is not None and county.geonameid is None  # the state's point; no id offline
    text = "Two cars collided in Pulaski County, Ky., late on Friday."
    county = by_mention(places_of(nlp, gazetteer, text), text, "Pulaski County")
    assert county.admin1 == "Kentucky"


def test_a_place_listed_with_others_follows_their_country(nlp, gazetteer) -> None:
    text = (
        "Alberta and Ontario lead Canada in trade missions. Trade offices in Canada, Alberta and Ontario "
        "study how New South Wales, Victoria and Queensland court Asian buyers."
    )
    queensland = by_mention(places_of(nlp, gazetteer, text), text, "Queensland")
    assert (queensland.feature, queensland.country) == ("admin1", "AUS")


def test_unknown_entity_shrinks_to_the_place_it_starts_or_ends_with() -> None:
    from polemos.geo.resolve import _key, _Mention, _Resolution, _shrink_unresolved

    gazetteer = Gazetteer.open()
    fire = _Mention(10, 30, "Pulaski County Fire")
    street = _Mention(40, 55, "Dufferin Street")
    festival = _Mention(60, 80, "Harvest Days B.C.")
    mentions = [fire, street, festival]
    resolutions = {_key(m): _Resolution(None) for m in mentions}
    assert _shrink_unresolved(mentions, resolutions, gazetteer, {"CAN", "USA"})
    assert (fire.text, fire.start, fire.end) == ("Pulaski County", 10, 24)
    assert (festival.text, festival.start, festival.end) == ("B.C.", 73, 77)
    assert street.text == "Dufferin Street"  # a street is no town


def test_a_name_after_an_opening_near_is_a_place_even_unknown(nlp, gazetteer) -> None:
    # NER takes "Near Ar Rutbah" for a person; the Arabic article opens the name; an unknown name after
    # "near" is kept unresolved
    text = (
        "Coalition jets struck targets in Syria and Iraq on Monday. Iraq .\n"
        "Near Ar Rutbah, two strikes destroyed a checkpoint.\n"
        "Near Qurnat Zawiyah, one strike destroyed a tunnel."
    )
    places = places_of(nlp, gazetteer, text)
    rutbah = by_mention(places, text, "Ar Rutbah")
    assert (rutbah.feature, rutbah.country) == ("city", "IRQ")
    unknown = by_mention(places, text, "Qurnat Zawiyah")
    assert (unknown.feature, unknown.geonameid, unknown.lat) == ("unknown", None, None)


def test_a_village_without_population_is_taken_after_a_strong_cue(nlp, gazetteer) -> None:
    text = "Kurdish forces in Iraq said fighters had gathered outside Makhmur on Friday."
    makhmur = by_mention(places_of(nlp, gazetteer, text), text, "Makhmur")
    assert makhmur.country == "IRQ"


def test_weak_cues_keep_no_unknown_name(nlp, gazetteer) -> None:
    text = (
        "In Iraq, the gunman walked around Ambassador Petrov Valdenko before he fired into Mr Harlan's car."
    )
    surfaces = {text[s:e] for place in places_of(nlp, gazetteer, text) for s, e in place.mentions}
    assert not any("Ambassador" in surface or "Harlan" in surface for surface in surfaces)


def test_a_region_ending_an_organisation_name_is_no_place(nlp, gazetteer) -> None:
    text = "Jets pounded positions held by the Islamic State of Iraq and the Levant near Tikrit."
    places = places_of(nlp, gazetteer, text)
    assert not any(text[s:e] == "Levant" for place in places for s, e in place.mentions)
    assert by_mention(places, text, "Tikrit").country == "IRQ"


def test_a_region_as_a_portfolio_is_no_place(nlp, gazetteer) -> None:
    text = "The Minister for the Middle East visited Amman. Our Middle East correspondent reports from Cairo."
    names = {place.name for place in places_of(nlp, gazetteer, text)}
    assert "Middle East" not in names and {"Amman", "Cairo"} <= names


def test_an_unresolved_name_that_speaks_is_a_person(nlp) -> None:
    from polemos.geo.resolve import _not_names_of_others, _Tokens

    text = "Nadim told Faris the news in Qusayrat. Faris replied calmly."
    doc = nlp(text)

    def unknown(name: str) -> Place:
        spans = [(i, i + len(name)) for i in range(len(text)) if text.startswith(name, i)]
        return Place(name, name, None, None, None, None, None, "unknown", mentions=spans)

    kept = _not_names_of_others(doc, _Tokens.of(doc, text), [unknown("Faris"), unknown("Qusayrat")])
    assert [place.name for place in kept] == ["Qusayrat"]


@pytest.mark.parametrize(
    "text, surface",
    [
        ("Marines in Iraq stormed rebel-held Zawiyat Hamad on Monday.", "Zawiyat Hamad"),
        ("Shells fell in the vicinity of Khirbet Daleel in northern Syria.", "Khirbet Daleel"),
        ("Jets over Syria hit Tell Qusaybah, a village east of Homs.", "Tell Qusaybah"),
    ],
)
def test_syntax_makes_an_unknown_name_a_place(nlp, gazetteer, text: str, surface: str) -> None:
    place = by_mention(places_of(nlp, gazetteer, text), text, surface)
    assert place.lat is None or place.country == "SYR" or place.country == "IRQ"


def test_a_demonym_before_territory_names_the_country(nlp, gazetteer) -> None:
    text = "Drones strayed into Jordanian airspace before militants crossed onto Iraqi soil."
    places = places_of(nlp, gazetteer, text)
    assert by_mention(places, text, "Jordanian").country == "JOR"
    assert by_mention(places, text, "Iraqi").feature == "country"
    text = "Jordanian officials met Iraqi ministers."
    assert not places_of(nlp, gazetteer, text)  # a demonym before people names no place


def test_the_subject_of_a_passive_capture_verb_is_a_place(nlp, gazetteer) -> None:
    text = "Kurdish forces in Iraq advanced on Sunday. Bartella has been liberated after two years."
    assert by_mention(places_of(nlp, gazetteer, text), text, "Bartella").country == "IRQ"
