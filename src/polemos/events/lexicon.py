"""The event coder's lexicons and mappings, loaded and validated from ``events/data/``.

Data files (see each file's header and ``data/SOURCES.md``):

* ``plover.yaml`` + ``cameo2plover.tsv``: PLOVER 2021 types, modes, contexts and the CAMEO -> PLOVER table;
* ``triggers.yaml``: trigger words -> PLOVER type/mode, CAMEO code, default ACLED pair;
* ``speech.yaml``: speech, attribution and hedging cues -> claim status;
* ``modes.yaml``: mode cues (weapons, tactics) -> PLOVER mode;
* ``acled.yaml``: ACLED taxonomy, actor kinds and ordered PLOVER -> ACLED rules.

Everything is checked on load; a bad entry raises ``ValueError`` naming the file and the entry.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from polemos.yamldata import load_yaml

if TYPE_CHECKING:
    from spacy.tokens import Token

DATA_DIR = Path(__file__).resolve().parent / "data"

QUADS = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")
CLAIM_STATUSES = ("asserted", "alleged", "denied")
SPEECH_KINDS = ("verb", "phrase", "adverb")
SPEAKERS = ("subject", "prep_object", "outlet", "unnamed")
ACTOR_KINDS = ("state", "nonstate_armed", "civilians", "protesters")
# Spellings of actor kinds accepted by acled_for besides ACTOR_KINDS.
KIND_ALIASES = {
    "nonstate": "nonstate_armed",
    "non-state": "nonstate_armed",
    "non_state_armed": "nonstate_armed",
    "armed": "nonstate_armed",
    "civilian": "civilians",
    "protester": "protesters",
}
UPOS = frozenset("ADJ ADP ADV AUX CCONJ DET INTJ NOUN NUM PART PRON PROPN PUNCT SCONJ SYM VERB X".split())
PHRASE_WINDOW = 3  # max distance between consecutive tokens of a phrase (when not a syntactic child)
_PREP_DEPS = frozenset({"prep", "agent", "dative", "prt", "advmod"})


@dataclass(frozen=True)
class Trigger:
    """One trigger entry of ``triggers.yaml``."""

    lemmas: tuple[str, ...]
    pos: tuple[str, ...]
    type: str
    mode: str | None
    cameo: str
    acled: tuple[str, str] | None
    context: tuple[str, ...]
    weight: float
    needs: str | None
    prep: str | None
    context_words: tuple[str, ...]
    not_with: tuple[str, ...]
    territory: bool
    head: int  # index into lemmas of the head token
    cues: tuple[str, ...] = ()  # tags for acled.yaml rules (disrupted, bombing, loot, base, mob, grenade)
    order: int = 0  # position in the file (tie-breaker)
    objects: tuple[str, ...] = ()  # the head's object (see governs_object) must have one of these lemmas
    standalone: bool = False  # the event stands without actors ("two rifles were seized in Kano")

    @property
    def head_lemma(self) -> str:
        return self.lemmas[self.head]

    @property
    def text(self) -> str:
        return " ".join(self.lemmas)


@dataclass(frozen=True)
class SpeechCue:
    """One cue of ``speech.yaml``: a word or phrase that frames embedded events as claims."""

    lemmas: tuple[str, ...]
    pos: tuple[str, ...]
    status: str  # asserted | alleged | denied
    event_type: str | None
    event_mode: str | None
    cameo: str | None
    kind: str  # verb | phrase | adverb
    head: int = 0
    speaker: str = "subject"  # subject | prep_object | outlet | unnamed
    frame: str = ""
    perpetrator: bool = False  # the speaker says it did the framed acts ("X claimed responsibility for …")

    @property
    def head_lemma(self) -> str:
        return self.lemmas[self.head]


@dataclass(frozen=True)
class ModeCue:
    """One cue of ``modes.yaml``: a word that sets the PLOVER mode of events of ``applies_to`` types."""

    lemmas: tuple[str, ...]
    mode: str
    applies_to: tuple[str, ...]
    head: int = 0
    cue: str | None = None
    pos: tuple[str, ...] = ()

    @property
    def head_lemma(self) -> str:
        return self.lemmas[self.head]


@dataclass(frozen=True)
class AcledRule:
    """One ordered rule of ``acled.yaml``. ``None`` fields are wildcards; kind ``"none"`` = unknown actor."""

    type: str | None
    modes: tuple[str, ...]
    target_kind: str | None
    source_kind: str | None
    territory: bool | None
    acled: tuple[str, str] | None
    cue: str | None = None
    # `acled: trigger`: return the trigger's default; the rule is skipped when the trigger has none
    use_trigger: bool = False

    def matches(
        self,
        type: str,
        mode: str | None,
        target_kind: str | None,
        source_kind: str | None,
        territory: bool,
        cues: Iterable[str] = (),
    ) -> bool:
        if self.type is not None and self.type != type:
            return False
        if self.modes and mode not in self.modes:
            return False
        if not _kind_matches(self.target_kind, target_kind) or not _kind_matches(
            self.source_kind, source_kind
        ):
            return False
        if self.territory is not None and self.territory != bool(territory):
            return False
        return self.cue is None or self.cue in set(cues)


def _kind_matches(rule_kind: str | None, kind: str | None) -> bool:
    if rule_kind is None:
        return True
    if rule_kind == "none":
        return kind is None
    return rule_kind == kind


@dataclass(frozen=True)
class CrowdViolence:
    """Words that tell of violence by a crowd (``crowd_violence`` in modes.yaml)."""

    words: frozenset[str] = frozenset()
    throw_verbs: frozenset[str] = frozenset()
    thrown_things: frozenset[str] = frozenset()
    fire_verbs: frozenset[str] = frozenset()
    not_by_crowd: frozenset[str] = frozenset()


@dataclass
class Lexicon:
    """All lexicons and mappings, with lookup indexes by head lemma (lower case)."""

    triggers: list[Trigger]
    speech: list[SpeechCue]
    modes: list[ModeCue]
    acled_rules: list[AcledRule]
    plover_types: dict[str, dict]
    contexts: list[str]
    cameo_table: dict[str, tuple[str, str | None, tuple[str, ...]]]
    acled_taxonomy: dict[str, tuple[str, ...]] = field(default_factory=dict)
    mode_precedence: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sector_kinds: dict[str, str] = field(default_factory=dict)  # PLOVER sector -> actor kind
    kind_lemmas: dict[str, str] = field(default_factory=dict)  # head lemma of an actor's text -> actor kind
    needs: dict[str, dict[str, Any]] = field(default_factory=dict)  # constraint name -> {description, lemmas}
    cameo_descriptions: dict[str, str] = field(default_factory=dict)
    crowd_violence: CrowdViolence = field(default_factory=CrowdViolence)

    def __post_init__(self) -> None:
        self._triggers = _index(self.triggers, key=lambda t: (-len(t.lemmas), t.order))
        self._speech = _index(self.speech, key=lambda c: -len(c.lemmas))
        self._modes = _index(self.modes, key=lambda c: -len(c.lemmas))

    # ---- lookups
    def triggers_for(self, lemma: str) -> list[Trigger]:
        """Entries whose head lemma is ``lemma``: longest phrase first, then file order."""
        return list(self._triggers.get(lemma.lower(), ()))

    def speech_for(self, lemma: str) -> list[SpeechCue]:
        return list(self._speech.get(lemma.lower(), ()))

    def mode_cues_for(self, lemma: str) -> list[ModeCue]:
        return list(self._modes.get(lemma.lower(), ()))

    def acled_for(
        self,
        type: str,
        mode: str | None,
        target_kind: str | None,
        source_kind: str | None,
        territory: bool,
        *,
        cues: Iterable[str] = (),
        trigger_default: tuple[str, str] | None = None,
    ) -> tuple[str, str] | None:
        """ACLED (event type, sub-event type) for a PLOVER event, or None when ACLED does not code it.

        The first matching rule of ``acled.yaml`` wins; ``trigger_default`` is the trigger's own ``acled``
        (used by rules written ``acled: trigger``), ``cues`` the trigger's and mode cues' tags. Kinds are
        ACTOR_KINDS (or a KIND_ALIASES spelling); None = unknown; any other kind matches wildcards only.
        """
        cue_set = set(cues)
        target_kind = KIND_ALIASES.get(target_kind, target_kind) if target_kind else None
        source_kind = KIND_ALIASES.get(source_kind, source_kind) if source_kind else None
        for rule in self.acled_rules:
            if not rule.matches(type, mode, target_kind, source_kind, territory, cue_set):
                continue
            if rule.use_trigger:
                if trigger_default is None:
                    continue
                return tuple(trigger_default)  # type: ignore[return-value]
            return rule.acled
        return None

    def cameo_root(self, cameo: str) -> str:
        """The two-digit CAMEO root of a code ("1831" -> "18")."""
        return str(cameo)[:2]

    # ---- helpers for the coder
    def pick_mode(self, type: str, modes: Iterable[str]) -> str | None:
        """The mode that wins among candidate modes found for an event of ``type`` (modes.yaml precedence)."""
        candidates = [
            m for m in dict.fromkeys(modes) if m in self.plover_types.get(type, {}).get("modes", {})
        ]
        if not candidates:
            return None
        order = self.mode_precedence.get(type, ())
        return min(
            candidates, key=lambda m: (order.index(m) if m in order else len(order), candidates.index(m))
        )

    def actor_kind(self, sector: str | None, lemma: str | None = None) -> str | None:
        """Actor kind for acled_for: from the PLOVER sector, else from the head word of the actor's text.

        ``lemma`` may be a plain word ("protesters", "gunmen"): its singular forms are looked up too. A head
        word that names a kind (protesters, rioters, gunmen) wins over a civilian sector, which says only
        that the actor is not the state nor armed: ACLED tells protesters from other civilians.
        """
        sector_kind = self.sector_kinds.get(sector.upper()) if sector else None
        lemma_kind = next(
            (self.kind_lemmas[form] for form in singular_forms(lemma or "") if form in self.kind_lemmas), None
        )
        if sector_kind is None or (sector_kind == "civilians" and lemma_kind is not None):
            return lemma_kind or sector_kind
        return sector_kind

    def type_weight(self, type: str) -> float:
        return float(self.plover_types[type]["weight"])

    def quad(self, type: str) -> str:
        return str(self.plover_types[type]["quad"])

    def is_valid_acled(self, pair: Iterable[str] | None) -> bool:
        if pair is None:
            return True
        items = tuple(pair)
        return len(items) == 2 and items[1] in self.acled_taxonomy.get(items[0], ())

    def match_triggers(self, token: Token) -> list[tuple[Trigger, list[Token]]]:
        """Trigger entries whose head, POS, phrase and preposition match at ``token`` (in priority order).

        ``objects`` is checked here too. Sentence-level constraints (``needs``, ``context_words``,
        ``not_with``) are left to the caller; see ``context_allows``.
        """
        keys = dict.fromkeys([token.lemma_.lower(), token.lower_])
        found: list[tuple[Trigger, list[Token]]] = []
        seen: set[int] = set()
        for key in keys:
            for trigger in self.triggers_for(key):
                if trigger.order in seen or (trigger.pos and token.pos_ not in trigger.pos):
                    continue
                tokens = phrase_tokens(trigger.lemmas, trigger.head, token)
                if tokens is None or (trigger.prep and not governs_prep(token, trigger.prep)):
                    continue
                if trigger.objects and not governs_object(token, trigger.objects):
                    continue
                seen.add(trigger.order)
                found.append((trigger, tokens))
        found.sort(key=lambda pair: (-len(pair[0].lemmas), pair[0].order))
        return found


def singular_forms(word: str) -> list[str]:
    """``word`` in lower case, then its likely singulars: "gunmen" → gunman, "militias" → militia,
    "families" → family, "protesters" → protester. Empty for an empty word."""
    word = word.lower().strip()
    if not word:
        return []
    forms = [word]
    if word.endswith("men"):
        forms.append(word[:-3] + "man")
    if word.endswith("ies") and len(word) > 4:
        forms.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        forms.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss") and len(word) > 2:
        forms.append(word[:-1])
    return list(dict.fromkeys(forms))


def context_allows(trigger: Trigger, sentence_lemmas: Iterable[str]) -> bool:
    """True when the sentence's lemmas satisfy the entry's ``context_words`` and ``not_with``."""
    lemmas = {lemma.lower() for lemma in sentence_lemmas}
    if trigger.context_words and not lemmas.intersection(trigger.context_words):
        return False
    return not lemmas.intersection(trigger.not_with)


def _token_is(token: Token, lemma: str) -> bool:
    return token.lemma_.lower() == lemma or token.lower_ == lemma


def phrase_tokens(
    lemmas: tuple[str, ...], head: int, token: Token, window: int = PHRASE_WINDOW
) -> list[Token] | None:
    """The tokens of phrase ``lemmas`` anchored at head ``token``, or None when it does not occur.

    Non-head lemmas must appear in order on their side of the head, each within ``window`` tokens of the
    previous one (inside the sentence) or as a syntactic child of the head.
    """
    if not _token_is(token, lemmas[head]):
        return None
    doc, sent = token.doc, token.sent
    matched: dict[int, Token] = {head: token}
    children = list(token.children)
    position = token.i
    for k in range(head - 1, -1, -1):
        near = [doc[i] for i in range(position - 1, max(sent.start, position - window) - 1, -1)]
        far = [c for c in children if c.i < position]
        hit = next((t for t in near + far if _token_is(t, lemmas[k])), None)
        if hit is None:
            return None
        matched[k], position = hit, hit.i
    position = token.i
    for k in range(head + 1, len(lemmas)):
        near = [doc[i] for i in range(position + 1, min(sent.end, position + 1 + window))]
        far = [c for c in children if c.i > position]
        hit = next((t for t in near + far if _token_is(t, lemmas[k])), None)
        if hit is None:
            return None
        matched[k], position = hit, hit.i
    return [matched[k] for k in range(len(lemmas))]


def governs_prep(token: Token, prep: str) -> bool:
    """True when ``token`` governs preposition ``prep`` (a child, or the next token)."""
    if any(c.lemma_.lower() == prep and c.dep_ in _PREP_DEPS for c in token.children):
        return True
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return following is not None and following.lemma_.lower() == prep


def governs_object(token: Token, lemmas: Iterable[str]) -> bool:
    """True when the thing acted on at ``token`` has one of ``lemmas``, e.g. weapons for "seize".

    The thing acted on: the direct object or passive subject of a verb, the noun a participle modifies
    ("weapons seized in the raid"), the antecedent of a relative clause, or the ``of`` object of a noun
    ("seizure of weapons"); with their conjuncts, compound modifiers and ``of`` objects ("a cache of arms",
    "two rifles and a pistol", "an arms cache").
    """
    wanted = {lemma.lower() for lemma in lemmas}
    things = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass", "obj")]
    if token.dep_ in ("acl", "amod") and token.tag_ == "VBN":
        things.append(token.head)
    elif token.dep_ == "relcl" and not things:  # "the rifles troops seized", "the arms that were seized"
        things.append(token.head)
    things += _of_objects(token)
    if token.pos_ in ("NOUN", "PROPN"):  # "an arms haul", "weapons seizure"
        things += [c for c in token.children if c.dep_ == "compound"]
    things = [
        t.head if t.dep_ in ("nsubjpass", "dobj") and t.lower_ in ("that", "which") else t for t in things
    ]
    seen: set[int] = set()
    while things:
        thing = things.pop()
        if thing.i in seen:
            continue
        seen.add(thing.i)
        if thing.lemma_.lower() in wanted or thing.lower_ in wanted:
            return True
        things += [c for c in thing.children if c.dep_ in ("conj", "compound", "appos", "amod", "nmod")]
        things += _of_objects(thing)
    return False


def _of_objects(token: Token) -> list[Token]:
    return [
        g
        for c in token.children
        if c.dep_ == "prep" and c.lower_ == "of"
        for g in c.children
        if g.dep_ == "pobj"
    ]


def _index(entries: Iterable[Any], key: Any) -> dict[str, list[Any]]:
    index: dict[str, list[Any]] = {}
    for entry in entries:
        index.setdefault(entry.head_lemma, []).append(entry)
    for items in index.values():
        items.sort(key=key)
    return index


# ---------------------------------------------------------------------------------------------- loading


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The shipped lexicon (cached). Raises ValueError naming the file and entry of any invalid data."""
    return load_lexicon_from(DATA_DIR)


def load_lexicon_from(data_dir: Path | str) -> Lexicon:
    """Load and validate the five data files (and the CAMEO table) from ``data_dir``."""
    data_dir = Path(data_dir)
    plover_path = data_dir / "plover.yaml"
    plover = _read_yaml(plover_path)
    types, contexts = _parse_plover(plover, plover_path)
    table_path = data_dir / _require(plover, "cameo_table", plover_path, "top level")
    cameo_table, descriptions = _read_cameo_table(table_path, types, contexts)
    for i, ext in enumerate(plover.get("cameo_extensions") or []):
        where = f"cameo_extensions[{i}]"
        code = str(_require(ext, "cameo", plover_path, where))
        _check_cameo_syntax(code, plover_path, where)
        entry = _plover_entry(ext, plover_path, where, types, contexts)
        cameo_table[code] = entry
        descriptions[code] = str(ext.get("description", ""))
    checker = _Checker(types, contexts, cameo_table)

    acled_path = data_dir / "acled.yaml"
    acled = _read_yaml(acled_path)
    taxonomy, sector_kinds, kind_lemmas, rules = _parse_acled(acled, acled_path, checker)
    checker.taxonomy = taxonomy
    checker.cue_tags = {rule.cue for rule in rules if rule.cue}

    triggers_path = data_dir / "triggers.yaml"
    triggers_data = _read_yaml(triggers_path)
    needs = _parse_needs(triggers_data.get("needs") or {}, triggers_path)
    triggers = [
        _parse_trigger(raw, i, triggers_path, checker, needs)
        for i, raw in enumerate(_require(triggers_data, "triggers", triggers_path, "top level"))
    ]
    _check_duplicates(
        [(t.lemmas, t.pos, t.type, t.prep, t.context_words, t.needs, t.objects) for t in triggers],
        triggers_path,
    )

    speech_path = data_dir / "speech.yaml"
    speech = [
        _parse_speech(raw, i, speech_path, checker)
        for i, raw in enumerate(_require(_read_yaml(speech_path), "cues", speech_path, "top level"))
    ]
    modes_path = data_dir / "modes.yaml"
    modes_data = _read_yaml(modes_path)
    mode_cues = [
        _parse_mode_cue(raw, i, modes_path, checker)
        for i, raw in enumerate(_require(modes_data, "cues", modes_path, "top level"))
    ]
    _check_duplicates([(c.lemmas, c.mode, c.applies_to) for c in mode_cues], modes_path)
    precedence = _parse_precedence(modes_data.get("precedence") or {}, modes_path, checker)
    crowd = modes_data.get("crowd_violence") or {}
    crowd_violence = CrowdViolence(
        **{
            name: frozenset(_strings(crowd.get(name), modes_path, "crowd_violence", name))
            for name in ("words", "throw_verbs", "thrown_things", "fire_verbs", "not_by_crowd")
        }
    )

    return Lexicon(
        triggers=triggers,
        speech=speech,
        modes=mode_cues,
        acled_rules=rules,
        plover_types=types,
        contexts=contexts,
        cameo_table=cameo_table,
        acled_taxonomy=taxonomy,
        mode_precedence=precedence,
        sector_kinds=sector_kinds,
        kind_lemmas=kind_lemmas,
        needs=needs,
        cameo_descriptions=descriptions,
        crowd_violence=crowd_violence,
    )


def _fail(path: Path, where: str, message: str) -> ValueError:
    return ValueError(f"{path.name}: {where}: {message}")


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path.name}: cannot read: {exc}") from exc
    if not isinstance(data, dict):
        raise _fail(path, "top level", "expected a mapping")
    return data


def _require(mapping: Mapping[str, Any], key: str, path: Path, where: str) -> Any:
    if not isinstance(mapping, Mapping) or mapping.get(key) is None:
        raise _fail(path, where, f"missing '{key}'")
    return mapping[key]


def _strings(value: Any, path: Path, where: str, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(path, where, f"'{name}' must be a list of strings (quote on/off/yes/no): {value!r}")
    return tuple(v if name == "pos" else v.lower() for v in value)


def _parse_plover(data: dict[str, Any], path: Path) -> tuple[dict[str, dict], list[str]]:
    contexts = list(_strings(_require(data, "contexts", path, "top level"), path, "contexts", "contexts"))
    raw_types = _require(data, "types", path, "top level")
    types: dict[str, dict] = {}
    for name, spec in raw_types.items():
        where = f"type {name}"
        if not isinstance(spec, dict):
            raise _fail(path, where, "expected a mapping")
        quad = _require(spec, "quad", path, where)
        if quad not in QUADS:
            raise _fail(path, where, f"unknown quad class '{quad}'")
        roots = tuple(str(r) for r in spec.get("cameo_roots") or ())
        if not roots or not all(len(r) == 2 and r.isdigit() for r in roots):
            raise _fail(path, where, f"bad cameo_roots {list(roots)}")
        modes = spec.get("modes") or {}
        if not isinstance(modes, dict):
            raise _fail(path, where, "'modes' must be a mapping")
        types[str(name)] = {
            "quad": quad,
            "cameo_roots": roots,
            "requires_recipient": bool(spec.get("requires_recipient", False)),
            "score": spec.get("score"),
            "weight": float(spec.get("weight", 0.5)),
            "description": str(spec.get("description", "")),
            "modes": {str(m): dict(v or {}) for m, v in modes.items()},
        }
    return types, contexts


class _Checker:
    """Shared validation of PLOVER types/modes/contexts, CAMEO codes and ACLED pairs."""

    def __init__(self, types: dict[str, dict], contexts: list[str], cameo_table: dict) -> None:
        self.types, self.contexts, self.cameo_table = types, set(contexts), cameo_table
        self.taxonomy: dict[str, tuple[str, ...]] = {}
        self.cue_tags: set[str] = set()

    def type(self, value: Any, path: Path, where: str) -> str:
        if value not in self.types:
            raise _fail(path, where, f"unknown PLOVER type '{value}'")
        return str(value)

    def mode(self, type_: str, value: Any, path: Path, where: str) -> str | None:
        if value is None:
            return None
        if value not in self.types[type_]["modes"]:
            raise _fail(path, where, f"unknown mode '{value}' for PLOVER type {type_}")
        return str(value)

    def contexts_(self, values: tuple[str, ...], path: Path, where: str) -> tuple[str, ...]:
        for value in values:
            if value not in self.contexts:
                raise _fail(path, where, f"unknown PLOVER context '{value}'")
        return values

    def cameo(self, value: Any, type_: str, path: Path, where: str) -> str:
        if not isinstance(value, str):
            raise _fail(path, where, f"CAMEO code must be a quoted string, got {value!r}")
        _check_cameo_syntax(value, path, where)
        if value in self.cameo_table:
            table_type = self.cameo_table[value][0]
            if table_type != type_:
                raise _fail(
                    path, where, f"CAMEO {value} is {table_type} in the CAMEO->PLOVER table, not {type_}"
                )
        elif value[:2] not in self.types[type_]["cameo_roots"]:
            raise _fail(path, where, f"CAMEO root {value[:2]} of {value} does not map to {type_}")
        return value

    def acled(self, value: Any, path: Path, where: str) -> tuple[str, str] | None:
        if value is None:
            return None
        if not (isinstance(value, list) and len(value) == 2 and value[1] in self.taxonomy.get(value[0], ())):
            raise _fail(path, where, f"not a valid ACLED (event type, sub-event type) pair: {value!r}")
        return (str(value[0]), str(value[1]))

    def cues(self, values: tuple[str, ...], path: Path, where: str) -> tuple[str, ...]:
        for value in values:
            if value not in self.cue_tags:
                raise _fail(path, where, f"cue '{value}' is used by no acled.yaml rule")
        return values


def _check_cameo_syntax(code: str, path: Path, where: str) -> None:
    if not (code.isdigit() and 2 <= len(code) <= 4 and 1 <= int(code[:2]) <= 20):
        raise _fail(path, where, f"bad CAMEO code '{code}'")


def _plover_entry(
    raw: Mapping[str, Any], path: Path, where: str, types: dict[str, dict], contexts: list[str]
) -> tuple[str, str | None, tuple[str, ...]]:
    checker = _Checker(types, contexts, {})
    type_ = checker.type(raw.get("type"), path, where)
    mode = checker.mode(type_, raw.get("mode") or None, path, where)
    ctx = raw.get("contexts") or ()
    ctx = tuple(c for c in (ctx.split(";") if isinstance(ctx, str) else ctx) if c)
    return type_, mode, checker.contexts_(tuple(ctx), path, where)


def _read_cameo_table(
    path: Path, types: dict[str, dict], contexts: list[str]
) -> tuple[dict[str, tuple[str, str | None, tuple[str, ...]]], dict[str, str]]:
    try:
        lines = [
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")
        ]
    except OSError as exc:
        raise ValueError(f"{path.name}: cannot read: {exc}") from exc
    table: dict[str, tuple[str, str | None, tuple[str, ...]]] = {}
    descriptions: dict[str, str] = {}
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        code = row.get("cameo") or ""
        where = f"CAMEO {code}"
        _check_cameo_syntax(code, path, where)
        if code in table:
            raise _fail(path, where, "duplicate code")
        table[code] = _plover_entry(row, path, where, types, contexts)
        descriptions[code] = row.get("description") or ""
    if not table:
        raise _fail(path, "top level", "empty table")
    return table, descriptions


def _parse_acled(
    data: dict[str, Any], path: Path, checker: _Checker
) -> tuple[dict[str, tuple[str, ...]], dict[str, str], dict[str, str], list[AcledRule]]:
    taxonomy = {
        str(k): _strings_keep(v, path, f"taxonomy {k}")
        for k, v in _require(data, "taxonomy", path, "top level").items()
    }
    checker.taxonomy = taxonomy
    sector_kinds: dict[str, str] = {}
    for kind, sectors in (data.get("kinds") or {}).items():
        if kind not in ACTOR_KINDS:
            raise _fail(path, f"kinds {kind}", f"unknown actor kind (expected one of {ACTOR_KINDS})")
        for sector in sectors or ():
            sector_kinds[str(sector).upper()] = kind
    kind_lemmas: dict[str, str] = {}
    for kind, lemmas in (data.get("kind_lemmas") or {}).items():
        if kind not in ACTOR_KINDS:
            raise _fail(path, f"kind_lemmas {kind}", "unknown actor kind")
        for lemma in _strings(lemmas, path, f"kind_lemmas {kind}", "lemmas"):
            kind_lemmas[lemma] = kind
    rules: list[AcledRule] = []
    allowed = {"type", "modes", "target_kind", "source_kind", "territory", "cue", "acled"}
    for i, raw in enumerate(_require(data, "rules", path, "top level")):
        where = f"rule {i} {raw}"
        if not isinstance(raw, dict) or "acled" not in raw:
            raise _fail(path, where, "a rule must be a mapping with an 'acled' field")
        unknown = set(raw) - allowed
        if unknown:
            raise _fail(path, where, f"unknown field(s) {sorted(unknown)}")
        type_ = checker.type(raw["type"], path, where) if raw.get("type") is not None else None
        modes = _strings_keep(raw.get("modes"), path, where)
        for mode in modes:
            owners = [type_] if type_ else list(checker.types)
            if not any(mode in checker.types[t]["modes"] for t in owners):
                raise _fail(path, where, f"unknown mode '{mode}'")
        kinds = []
        for key in ("target_kind", "source_kind"):
            value = raw.get(key)
            if value is not None and value not in ACTOR_KINDS and value != "none":
                raise _fail(path, where, f"unknown {key} '{value}'")
            kinds.append(value)
        territory = raw.get("territory")
        if territory is not None and not isinstance(territory, bool):
            raise _fail(path, where, "'territory' must be true or false")
        use_trigger = raw["acled"] == "trigger"
        rules.append(
            AcledRule(
                type=type_,
                modes=modes,
                target_kind=kinds[0],
                source_kind=kinds[1],
                territory=territory,
                acled=None if use_trigger else checker.acled(raw["acled"], path, where),
                cue=str(raw["cue"]) if raw.get("cue") is not None else None,
                use_trigger=use_trigger,
            )
        )
    return taxonomy, sector_kinds, kind_lemmas, rules


def _strings_keep(value: Any, path: Path, where: str) -> tuple[str, ...]:
    """A list of strings, case kept (names, modes)."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(path, where, "expected a list of strings")
    return tuple(value)


def _parse_needs(data: dict[str, Any], path: Path) -> dict[str, dict[str, Any]]:
    needs: dict[str, dict[str, Any]] = {}
    for name, spec in data.items():
        spec = spec or {}
        needs[str(name)] = {
            "description": str(spec.get("description", "")),
            "lemmas": _strings(spec.get("lemmas"), path, f"needs {name}", "lemmas"),
        }
    return needs


_TRIGGER_FIELDS = {
    "lemmas", "pos", "type", "mode", "cameo", "acled", "context", "weight", "needs", "prep",
    "context_words", "not_with", "territory", "head", "cues", "objects", "standalone",
}  # fmt: skip


def _lemmas_and_head(raw: dict[str, Any], path: Path, where: str) -> tuple[tuple[str, ...], int]:
    lemmas = _strings(raw.get("lemmas"), path, where, "lemmas")
    if not lemmas or not all(lemma.strip() == lemma and lemma for lemma in lemmas):
        raise _fail(path, where, "'lemmas' must be a non-empty list of lemmas")
    head = raw.get("head", len(lemmas) - 1)
    if not isinstance(head, int) or not -len(lemmas) <= head < len(lemmas):
        raise _fail(path, where, f"bad head index {head!r}")
    return lemmas, head % len(lemmas)


def _pos(raw: dict[str, Any], path: Path, where: str, required: bool) -> tuple[str, ...]:
    pos = _strings(raw.get("pos"), path, where, "pos")
    if required and not pos:
        raise _fail(path, where, "missing 'pos'")
    bad = [p for p in pos if p not in UPOS]
    if bad:
        raise _fail(path, where, f"unknown POS tag(s) {bad}")
    return pos


def _parse_trigger(raw: Any, i: int, path: Path, checker: _Checker, needs: dict[str, dict]) -> Trigger:
    where = f"entry {i} {raw.get('lemmas') if isinstance(raw, dict) else raw!r}"
    if not isinstance(raw, dict):
        raise _fail(path, where, "expected a mapping")
    unknown = set(raw) - _TRIGGER_FIELDS
    if unknown:
        raise _fail(path, where, f"unknown field(s) {sorted(unknown)}")
    lemmas, head = _lemmas_and_head(raw, path, where)
    type_ = checker.type(raw.get("type"), path, where)
    weight = raw.get("weight", checker.types[type_]["weight"])
    if not isinstance(weight, int | float) or not 0 < weight <= 2:
        raise _fail(path, where, f"bad weight {weight!r}")
    need = raw.get("needs")
    if need is not None and need not in needs:
        raise _fail(path, where, f"unknown constraint needs: '{need}'")
    territory = raw.get("territory", False)
    if not isinstance(territory, bool):
        raise _fail(path, where, "'territory' must be true or false")
    prep = raw.get("prep")
    if prep is not None and (not isinstance(prep, str) or " " in prep):
        raise _fail(path, where, f"bad prep {prep!r}")
    standalone = raw.get("standalone", False)
    if not isinstance(standalone, bool):
        raise _fail(path, where, "'standalone' must be true or false")
    return Trigger(
        lemmas=lemmas,
        pos=_pos(raw, path, where, required=True),
        type=type_,
        mode=checker.mode(type_, raw.get("mode"), path, where),
        cameo=checker.cameo(raw.get("cameo"), type_, path, where),
        acled=checker.acled(raw.get("acled"), path, where),
        context=checker.contexts_(_strings(raw.get("context"), path, where, "context"), path, where),
        weight=float(weight),
        needs=need,
        prep=prep.lower() if prep else None,
        context_words=_strings(raw.get("context_words"), path, where, "context_words"),
        not_with=_strings(raw.get("not_with"), path, where, "not_with"),
        territory=territory,
        head=head,
        cues=checker.cues(_strings(raw.get("cues"), path, where, "cues"), path, where),
        order=i,
        objects=_strings(raw.get("objects"), path, where, "objects"),
        standalone=standalone,
    )


def _parse_speech(raw: Any, i: int, path: Path, checker: _Checker) -> SpeechCue:
    where = f"entry {i} {raw.get('lemmas') if isinstance(raw, dict) else raw!r}"
    if not isinstance(raw, dict):
        raise _fail(path, where, "expected a mapping")
    unknown = set(raw) - {
        "lemmas",
        "pos",
        "head",
        "kind",
        "status",
        "event",
        "speaker",
        "frame",
        "perpetrator",
    }
    if unknown:
        raise _fail(path, where, f"unknown field(s) {sorted(unknown)}")
    lemmas, head = _lemmas_and_head(raw, path, where)
    status, kind, speaker = raw.get("status"), raw.get("kind"), raw.get("speaker", "subject")
    if status not in CLAIM_STATUSES:
        raise _fail(path, where, f"unknown status '{status}'")
    if kind not in SPEECH_KINDS:
        raise _fail(path, where, f"unknown kind '{kind}'")
    if speaker not in SPEAKERS:
        raise _fail(path, where, f"unknown speaker '{speaker}'")
    event = raw.get("event")
    event_type = event_mode = cameo = None
    if event is not None:
        if not isinstance(event, dict):
            raise _fail(path, where, "'event' must be a mapping or null")
        event_type = checker.type(event.get("type"), path, where)
        event_mode = checker.mode(event_type, event.get("mode"), path, where)
        cameo = checker.cameo(event.get("cameo"), event_type, path, where)
    return SpeechCue(
        lemmas=lemmas,
        pos=_pos(raw, path, where, required=False),
        status=status,
        event_type=event_type,
        event_mode=event_mode,
        cameo=cameo,
        kind=kind,
        head=head,
        speaker=speaker,
        frame=str(raw.get("frame", "")),
        perpetrator=bool(raw.get("perpetrator", False)),
    )


def _parse_mode_cue(raw: Any, i: int, path: Path, checker: _Checker) -> ModeCue:
    where = f"entry {i} {raw.get('lemmas') if isinstance(raw, dict) else raw!r}"
    if not isinstance(raw, dict):
        raise _fail(path, where, "expected a mapping")
    unknown = set(raw) - {"lemmas", "head", "mode", "applies_to", "cue", "pos"}
    if unknown:
        raise _fail(path, where, f"unknown field(s) {sorted(unknown)}")
    lemmas, head = _lemmas_and_head(raw, path, where)
    applies_to = tuple(
        checker.type(t, path, where) for t in _strings_keep(raw.get("applies_to"), path, where)
    )
    if not applies_to:
        raise _fail(path, where, "missing 'applies_to'")
    mode = raw.get("mode")
    if mode is None:
        raise _fail(path, where, "missing 'mode'")
    for type_ in applies_to:
        checker.mode(type_, mode, path, where)
    cue = raw.get("cue")
    if cue is not None:
        checker.cues((str(cue),), path, where)
    return ModeCue(
        lemmas=lemmas,
        mode=str(mode),
        applies_to=applies_to,
        head=head,
        cue=str(cue) if cue is not None else None,
        pos=_pos(raw, path, where, required=False),
    )


def _parse_precedence(data: dict[str, Any], path: Path, checker: _Checker) -> dict[str, tuple[str, ...]]:
    precedence: dict[str, tuple[str, ...]] = {}
    for type_, modes in data.items():
        where = f"precedence {type_}"
        checker.type(type_, path, where)
        order = _strings_keep(modes, path, where)
        for mode in order:
            checker.mode(type_, mode, path, where)
        precedence[type_] = order
    return precedence


def _check_duplicates(keys: list[tuple], path: Path) -> None:
    seen: dict[tuple, int] = {}
    for i, key in enumerate(keys):
        if key in seen:
            raise _fail(path, f"entry {i} {list(key[0])}", f"duplicates entry {seen[key]}")
        seen[key] = i
