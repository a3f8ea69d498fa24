"""The actor dictionary: states, institutions, armed groups, IGOs and NGOs, with dated affiliations.

The data lives in ``actors/data/`` (YAML, versioned, curated; the header of ``actors.yaml`` gives the code
and sector conventions). This module only loads and indexes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from polemos.yamldata import load_yaml

DATA_PACKAGE = "polemos.actors.data"

PLOVER_SECTORS = frozenset(
    ["COP", "GOV", "JUD", "LEG", "MIL", "PRM", "PTY", "REB", "SPY", "UAF", "UNK", "AGR", "BUS"]
    + ["CRM", "CVL", "EDU", "ELI", "JRN", "LAB", "MED", "REF", "OPP", "PRE", "REL", "SOC"]
)
SECTORS = PLOVER_SECTORS | {"IGO", "NGO"}
ACTOR_TYPES = frozenset({"state", "non-state", "igo", "ngo", "media", "other", "person"})
RELATIONS = frozenset({"backed_by", "allied_with", "part_of", "fighting"})


@dataclass(frozen=True)
class Affiliation:
    """A dated relation of a dictionary actor to another (``other`` is a dictionary code)."""

    relation: str  # backed_by | allied_with | part_of | fighting
    other: str
    start: str | None = None  # year or ISO date
    end: str | None = None  # None: ongoing

    def active_on(self, date: str | None) -> bool:
        """True when the relation holds on ``date`` (ISO date or year prefix); always True without a date."""
        if not date:
            return True
        day = date[:10]
        if self.start and _period_start(self.start) > day:
            return False
        return not (self.end and _period_end(self.end) < day)


@dataclass(frozen=True)
class ActorEntry:
    """One dictionary actor."""

    code: str
    name: str
    country: str | None
    sector: str
    type: str
    aliases: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()  # states: "Syrian" (composes with heads: "Syrian troops")
    demonyms: tuple[str, ...] = ()  # states: "Syrians" (collective actor)
    capitals: tuple[str, ...] = ()  # metonyms: "Damascus said"
    other_sectors: tuple[str, ...] = ()
    affiliations: tuple[Affiliation, ...] = ()
    ideology: str | None = None
    led_by: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class PersonRole:
    org: str  # actor code (dictionary or composed, e.g. "RUS-GOV-HOS")
    country: str | None
    sector: str
    start: str | None = None
    end: str | None = None

    def active_on(self, date: str | None) -> bool:
        return Affiliation("part_of", self.org, self.start, self.end).active_on(date)


@dataclass(frozen=True)
class PersonEntry:
    """A well-known person with dated roles (most recent first)."""

    code: str
    name: str
    aliases: tuple[str, ...]
    roles: tuple[PersonRole, ...]

    def role_on(self, date: str | None) -> PersonRole | None:
        """The role held on ``date``; without a date, the most recent one."""
        if not self.roles:
            return None
        if date:
            for role in self.roles:
                if role.active_on(date):
                    return role
        return self.roles[0]


@dataclass(frozen=True)
class HeadRule:
    """An organisation head ("troops", "Defense Ministry") and the sector it gives."""

    phrases: tuple[str, ...]
    sector: str
    unit: str | None = None
    standalone: bool = True
    counted: bool = True  # a non-standalone head counted ("500 workers") is an actor; "28 people" is no actor
    plural: bool = False  # standalone only in the plural ("allies", "parties"; not "a partner", "the party")


@dataclass(frozen=True)
class RoleRule:
    """A person title ("spokesman", "general"); ``sector`` None means: take the organisation's."""

    phrases: tuple[str, ...]
    sector: str | None = None
    honorific: bool = False  # "Mr", "Dr": a title before a name, never a person on its own


@dataclass
class Lexicon:
    """The compositional rules of ``org_heads.yaml`` and the non-actor names of ``non_actors.yaml``."""

    heads: list[HeadRule]
    qualifiers: dict[str, str]  # word -> unit ("Shiite" -> "SHIA")
    roles: list[RoleRule]
    backing_words: frozenset[str]
    leading_words: frozenset[str]
    allegiance_prefixes: frozenset[str]
    locative_prepositions: frozenset[str]
    place_nouns: frozenset[str]
    motion_verbs: frozenset[str]
    actor_dependencies: frozenset[str]
    actor_prepositions: frozenset[str]
    non_actors: frozenset[str]
    separation_verbs: frozenset[str] = frozenset()  # "withdraw X from <actor>"
    recipient_verbs: frozenset[str] = frozenset()  # "hand X over to <actor>"
    located_sectors: frozenset[str] = frozenset()  # sectors of groups that take the country they are "in"
    not_persons: frozenset[str] = frozenset()  # lowercase names never persons ("twitter")
    name_heads: frozenset[str] = frozenset()  # last words of capitalised organisation names ("Squadron")
    name_openers: frozenset[str] = frozenset()  # lowercase first words of Arabic group names ("jaish")
    person_nouns: frozenset[str] = frozenset()  # singular nouns naming one person ("man", "resident")
    topic_nouns: frozenset[str] = frozenset()  # "a conference on Syria": the country is the matter discussed
    vessel_prefixes: frozenset[str] = frozenset()  # ship prefixes ("USS", "HMS"): a ship's name is no person


@dataclass
class ActorDictionary:
    """The loaded dictionary. Use :meth:`load` (cached) rather than building one."""

    version: str
    entries: list[ActorEntry]
    persons: list[PersonEntry]
    lexicon: Lexicon
    header: dict[str, Any] = field(default_factory=dict)
    _by_code: dict[str, ActorEntry] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_code = {entry.code: entry for entry in self.entries}

    @classmethod
    def load(cls) -> ActorDictionary:
        """The packaged dictionary, loaded once per process."""
        return _load_packaged()

    def get(self, code: str) -> ActorEntry | None:
        return self._by_code.get(code)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def states(self) -> list[ActorEntry]:
        return [entry for entry in self.entries if entry.type == "state" and entry.code == entry.country]

    def affiliations_of(self, code: str, date: str | None = None) -> list[Affiliation]:
        """The dictionary affiliations of ``code`` active on ``date`` (all of them without a date).

        Composed codes ("USA-MIL-SOF") inherit nothing; a person's code gives its role's organisation
        as ``part_of``.
        """
        entry = self.get(code)
        if entry is not None:
            return [aff for aff in entry.affiliations if aff.active_on(date)]
        for person in self.persons:
            if person.code == code:
                role = person.role_on(date)
                return [Affiliation("part_of", role.org, role.start, role.end)] if role else []
        return []


def _period_start(value: str) -> str:
    value = str(value)
    return value if len(value) >= 10 else (value + "-01-01")[:10]


def _period_end(value: str) -> str:
    value = str(value)
    return value if len(value) >= 10 else (value + "-12-31")[:10]


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _strings(values: Any) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values or ():
        seen.setdefault(str(value), None)
    return tuple(seen)


def _read_yaml(name: str) -> Any:
    text = resources.files(DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    return load_yaml(text)


def _entry(raw: dict[str, Any]) -> ActorEntry:
    affiliations = tuple(
        Affiliation(
            relation=str(item["relation"]),
            other=str(item["other"]),
            start=_text(item.get("start")),
            end=_text(item.get("end")),
        )
        for item in raw.get("affiliations") or ()
    )
    return ActorEntry(
        code=str(raw["code"]),
        name=str(raw["name"]),
        country=_text(raw.get("country")),
        sector=str(raw["sector"]),
        type=str(raw["type"]),
        aliases=_strings(raw.get("aliases")),
        adjectives=_strings(raw.get("adjectives")),
        demonyms=_strings(raw.get("demonyms")),
        capitals=_strings(raw.get("capitals")),
        other_sectors=_strings(raw.get("other_sectors")),
        affiliations=affiliations,
        ideology=_text(raw.get("ideology")),
        led_by=_text(raw.get("led_by")),
        note=_text(raw.get("note")),
    )


def _person(raw: dict[str, Any]) -> PersonEntry:
    roles = tuple(
        PersonRole(
            org=str(role["org"]),
            country=_text(role.get("country")),
            sector=str(role["sector"]),
            start=_text(role.get("start")),
            end=_text(role.get("end")),
        )
        for role in raw.get("roles") or ()
    )
    return PersonEntry(
        code=str(raw["code"]), name=str(raw["name"]), aliases=_strings(raw.get("aliases")), roles=roles
    )


def _lexicon(raw: dict[str, Any], non_actors: dict[str, Any]) -> Lexicon:
    heads = [
        HeadRule(
            phrases=_strings(rule["phrases"]),
            sector=str(rule["sector"]),
            unit=_text(rule.get("unit")),
            standalone=bool(rule.get("standalone", True)),
            counted=bool(rule.get("counted", True)),
            plural=bool(rule.get("plural", False)),
        )
        for rule in raw["heads"]
    ]
    qualifiers = {str(word): str(rule["unit"]) for rule in raw["group_qualifiers"] for word in rule["words"]}
    roles = [
        RoleRule(
            phrases=_strings(rule["phrases"]),
            sector=_text(rule.get("sector")),
            honorific=bool(rule.get("honorific", False)),
        )
        for rule in raw["roles"]
    ]

    def words(key: str) -> frozenset[str]:
        return frozenset(str(word).lower() for word in raw.get(key) or ())

    return Lexicon(
        heads=heads,
        qualifiers=qualifiers,
        roles=roles,
        backing_words=words("backing_words"),
        leading_words=words("leading_words"),
        allegiance_prefixes=words("allegiance_prefixes"),
        locative_prepositions=words("locative_prepositions"),
        place_nouns=words("place_nouns"),
        motion_verbs=words("motion_verbs"),
        actor_dependencies=frozenset(str(dep) for dep in raw.get("actor_dependencies") or ()),
        actor_prepositions=words("actor_prepositions"),
        non_actors=frozenset(str(name).lower() for name in non_actors.get("names") or ()),
        separation_verbs=words("separation_verbs"),
        recipient_verbs=words("recipient_verbs"),
        located_sectors=frozenset(str(sector).upper() for sector in raw.get("located_sectors") or ()),
        not_persons=words("not_persons"),
        name_heads=frozenset(str(word) for word in raw.get("name_heads") or ()),
        name_openers=words("name_openers"),
        topic_nouns=words("topic_nouns"),
        person_nouns=words("person_nouns"),
        vessel_prefixes=frozenset(str(word) for word in raw.get("vessel_prefixes") or ()),
    )


@lru_cache(maxsize=1)
def _load_packaged() -> ActorDictionary:
    actors = _read_yaml("actors.yaml")
    persons = _read_yaml("persons.yaml") or []
    lexicon = _lexicon(_read_yaml("org_heads.yaml"), _read_yaml("non_actors.yaml") or {})
    header = {key: value for key, value in actors.items() if key != "entries"}
    return ActorDictionary(
        version=str(actors.get("version", "")),
        entries=[_entry(raw) for raw in actors["entries"]],
        persons=[_person(raw) for raw in persons],
        lexicon=lexicon,
        header=header,
    )
