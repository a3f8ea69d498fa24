"""Language of a document, with lingua restricted to the common languages of conflict news.

The detector is built once, lazily, in lingua's low-accuracy mode (trigram models only): peak RSS grows by
about 20 MB and the first call takes ~0.1 s, against ~260 MB and ~2.3 s for high-accuracy mode, whose gain
is on short snippets, not on the 3,000-character samples taken here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib.resources import files

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from polemos.text.boilerplate import Range, find_boilerplate, outside
from polemos.yamldata import load_yaml

SAMPLE_CHARS = 3_000  # detection reads this much text outside boilerplate
_SCAN_CHARS = 30_000  # boilerplate is looked for in this prefix when sampling
MIN_LETTERS = 20  # shorter text has no reliable language
MIN_LETTER_SHARE = 0.5  # of non-space characters; below it the text is numbers, symbols or code
MIN_LOWERCASE_SHARE = 0.25  # of cased words; below it: names, acronyms or title case, not prose
MIN_VOWEL_SHARE = 0.25  # of Latin letters; below it: random letters or keyboard mashing
MAX_CLUSTER_SHARE = 0.3  # of Latin words with 4+ consonants in a row (real prose: under 0.15); above: random
MIN_CONFIDENCE = 0.8  # check_language only reports a language detected at least this confidently
_WORD = re.compile(r"[^\W\d_]+")
_CONSONANT_CLUSTER = re.compile(r"[bcdfghjklmnpqrstvwxz]{4}")


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    languages = [getattr(Language, name) for name in _settings()["languages"]]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def detect_language(text: str, boilerplate: list[Range] | None = None) -> tuple[str | None, float]:
    """ISO 639-1 code and confidence (0–1) of ``text``; ``(None, 0.0)`` for very short or non-linguistic text.

    Reads the first :data:`SAMPLE_CHARS` characters outside boilerplate (``boilerplate``: the ranges of
    :func:`find_boilerplate`, when the caller has them already).
    """
    head = text[:_SCAN_CHARS]
    if boilerplate is None:
        ranges = find_boilerplate(head)
    else:
        ranges = [(start, min(end, len(head))) for start, end in boilerplate if start < len(head)]
    sample = outside(head, ranges, SAMPLE_CHARS)
    if not _looks_linguistic(sample):
        return None, 0.0
    values = _detector().compute_language_confidence_values(sample)
    if not values or values[0].value <= 0.0:
        return None, 0.0
    best = values[0]
    return best.language.iso_code_639_1.name.lower(), round(float(best.value), 4)


def check_language(
    text: str, boilerplate: list[Range] | None = None, detected: tuple[str | None, float] | None = None
) -> str | None:
    """An error message when ``text`` is confidently not English, else None (English, or unsure).

    ``detected``: the result of :func:`detect_language` when the caller has it already.
    A short text (a headline) is only rejected when few of its words are common English words: trigram
    models are unreliable on a few dozen letters."""
    language, confidence = detected if detected is not None else detect_language(text, boilerplate)
    if language is None or language == "en" or confidence < MIN_CONFIDENCE:
        return None
    settings = _settings()
    if (
        sum(char.isalpha() for char in text[: settings["short_text_letters"] * 2])
        < settings["short_text_letters"]
    ):
        words = _WORD.findall(text.lower())
        english = set(settings["english_words"])
        if words and sum(word in english for word in words) / len(words) >= settings["english_word_share"]:
            return None
    return f"language '{language}' is not supported yet (only English is coded)"


@lru_cache(maxsize=1)
def _settings() -> dict:
    return load_yaml((files("polemos.text") / "data" / "languages.yaml").read_text(encoding="utf-8"))


def _looks_linguistic(sample: str) -> bool:
    """Enough letters, mostly letters, some lower-case words; in Latin script, vowels and syllables."""
    letters = [char for char in sample if char.isalpha()]
    if len(letters) < MIN_LETTERS:
        return False
    non_space = sum(1 for char in sample if not char.isspace())
    if len(letters) / non_space < MIN_LETTER_SHARE:
        return False
    words = _WORD.findall(sample)
    cased = [word for word in words if word.lower() != word.upper()]
    if cased and sum(word.islower() for word in cased) / len(cased) < MIN_LOWERCASE_SHARE:
        return False
    latin = [_base_letter(char) for char in letters if _is_latin(char)]
    if len(latin) < len(letters) / 2:
        return True
    if sum(1 for char in latin if char in "aeiouy") / len(latin) < MIN_VOWEL_SHARE:
        return False
    latin_words = ["".join(map(_base_letter, word)) for word in words if _is_latin(word[0])]
    clusters = sum(1 for word in latin_words if _CONSONANT_CLUSTER.search(word))
    return not latin_words or clusters / len(latin_words) <= MAX_CLUSTER_SHARE


def _is_latin(char: str) -> bool:
    return char.isascii() or "LATIN" in unicodedata.name(char, "")


def _base_letter(char: str) -> str:
    """``é`` → ``e``: the lower-case letter without its diacritics."""
    return unicodedata.normalize("NFD", char.lower())[0]
