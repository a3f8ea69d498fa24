"""The founding article must come out right (issue #2)."""

from __future__ import annotations

import pytest

import polemos

SEED_DATE = "2017-09-24"


@pytest.fixture(scope="module")
def seed(shared) -> tuple[str, dict]:
    path = shared / "seeds" / "000_4e53c2cea099c939.txt"
    text = path.read_text(encoding="utf-8")
    return text, polemos.extract(text, date=SEED_DATE, id="seed")


def actor(result: dict, actor_id: str) -> dict:
    return next(a for a in result["actors"] if a["id"] == actor_id)


def named(result: dict, fragment: str) -> list[dict]:
    return [
        a
        for a in result["actors"]
        if fragment.lower() in a["name"].lower()
        or any(fragment.lower() in alias.lower() for alias in a.get("aliases", []))
    ]


def test_actor_codes(seed):
    _, result = seed
    syrian_troops = [a for a in result["actors"] if a["country"] == "SYR" and a["sector"] == "MIL"]
    assert syrian_troops, "Syrian troops (SYR, MIL) missing"
    sdf = named(result, "SDF") or named(result, "Syrian Democratic Forces")
    assert sdf and sdf[0]["country"] == "SYR" and sdf[0]["type"] == "non-state"
    us_military = {
        a["name"].lower() for a in result["actors"] if a["country"] == "USA" and a["sector"] == "MIL"
    }
    assert any("pentagon" in name for name in us_military), us_military
    assert any(
        "special forces" in name
        or "special forces"
        in " ".join(
            alias.lower() for a in result["actors"] if a["country"] == "USA" for alias in a["aliases"]
        )
        for name in us_military
    )
    russia = [a for a in result["actors"] if a["country"] == "RUS"]
    assert any(a["sector"] == "MIL" and "defen" in a["name"].lower() for a in russia), russia
    konashenkov = [a for a in russia if a["type"] == "person"]
    assert konashenkov and konashenkov[0]["sector"] == "MIL"
    assert named(result, "Islamic State") or named(result, "IS")
    militia = [a for a in result["actors"] if "militia" in a["name"].lower()]
    assert militia, "Shiite militias missing"


def test_sdf_backed_by_usa(seed):
    _, result = seed
    sdf_ids = {a["id"] for a in named(result, "SDF") + named(result, "Syrian Democratic Forces")}
    backers = {
        actor(result, r["other"])["country"]
        for r in result["relations"]
        if r["actor"] in sdf_ids and r["relation"] == "backed_by"
    }
    assert "USA" in backers
    text_evidence = [
        r
        for r in result["relations"]
        if r["actor"] in sdf_ids and r["relation"] == "backed_by" and r["origin"] != "dictionary"
    ]
    assert text_evidence and all(r["span"] for r in text_evidence)


def test_militia_tied_to_iran(seed):
    _, result = seed
    militia_ids = {a["id"] for a in result["actors"] if "militia" in a["name"].lower()}
    tied = {actor(result, r["other"])["country"] for r in result["relations"] if r["actor"] in militia_ids}
    assert "IRN" in tied


def test_pentagon_accuses_russia_of_assault_on_sdf(seed):
    text, result = seed
    events = result["events"]
    accuse = [
        e
        for e in events
        if e["type"] == "ACCUSE"
        and any(s["country"] == "USA" for s in e["source"])
        and any(t["country"] == "RUS" for t in e["target"])
    ]
    assert accuse, "ACCUSE by USA against RUS missing"
    assault = [
        e for e in events if e["type"] == "ASSAULT" and any(s["country"] == "RUS" for s in e["source"])
    ]
    assert assault, "alleged Russian assault missing"
    attack = assault[0]
    assert any("SDF" in t["name"] or "Syrian Democratic" in t["name"] for t in attack["target"])
    assert attack["claim"]["status"] == "alleged"
    assert attack["claim"]["speaker"]["country"] == "USA"
    assert attack["claim"]["event"] == accuse[0]["id"]
    assert attack["location"]["geonameid"] == 170794
    assert attack["location"]["relation"] and "east" in attack["location"]["relation"]
    start, end = attack["span"]
    assert "Pentagon" in text[start:end]


def test_russian_mod_accusations(seed):
    _, result = seed
    events = result["events"]
    accuse = [e for e in events if e["type"] == "ACCUSE" and any(s["country"] == "RUS" for s in e["source"])]
    assert accuse, "ACCUSE by RUS missing"
    sdf_attacks = [
        e
        for e in events
        if e["type"] == "ASSAULT"
        and any("SDF" in s["text"] for s in e["source"])
        and any(t["country"] == "SYR" and t["sector"] == "MIL" for t in e["target"])
    ]
    assert sdf_attacks, "alleged SDF attacks on Syrian troops missing"
    claim = sdf_attacks[0]["claim"]
    assert claim["status"] == "alleged" and claim["speaker"]["country"] == "RUS"


def test_us_support_for_sdf(seed):
    _, result = seed
    support = [
        e
        for e in result["events"]
        if e["type"] == "AID"
        and any(s["country"] == "USA" for s in e["source"])
        and any("SDF" in t["text"] for t in e["target"])
    ]
    assert support, "AID of the USA to the SDF missing"
    supporters = " ".join(s["text"].lower() for e in support for s in e["source"])
    assert "special forces" in supporters and "aircraft" in supporters


def test_places(seed):
    _, result = seed
    deir = [p for p in result["places"] if p["geonameid"] == 170794]
    assert deir and abs(deir[0]["lat"] - 35.34) < 0.05 and abs(deir[0]["lon"] - 40.14) < 0.05
    assert len(deir[0]["mentions"]) >= 4  # both spellings, every mention
    tabqa = [p for p in result["places"] if "tabqa" in p["name"].lower() or "thawrah" in p["name"].lower()]
    assert tabqa and tabqa[0]["country"] == "SYR" and tabqa[0]["geonameid"]
    euphrates = [p for p in result["places"] if "euphrates" in p["name"].lower()]
    assert euphrates and euphrates[0]["feature"] == "river"
    assert not [a for a in result["actors"] if "euphrates" in a["name"].lower()]


def test_photograph_dates_are_one_range(seed):
    _, result = seed
    ranges = [d for d in result["dates"] if d["start"] == "2017-09-08" and d["end"] == "2017-09-12"]
    assert len(ranges) == 1 and "between 8 and 12 September" in ranges[0]["text"]


def test_nothing_from_comment_form(seed):
    text, result = seed
    cut = text.index("Leave a Reply")
    spans = [m for a in result["actors"] for m in a["mentions"]]
    spans += [m for p in result["places"] for m in p["mentions"]]
    spans += [e["span"] for e in result["events"]] + [r["span"] for r in result["relations"] if r["span"]]
    assert spans and all(start < cut for start, _ in spans)
    names = " ".join(a["name"].lower() for a in result["actors"])
    assert "google" not in names and "twitter" not in names and "facebook" not in names


def test_spans_index_the_text(seed):
    text, result = seed
    for a in result["actors"]:
        for start, end in a["mentions"]:
            assert 0 <= start < end <= len(text)
    for e in result["events"]:
        start, end = e["span"]
        assert e["sentence"] == text[start:end].strip()
