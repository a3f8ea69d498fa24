"""Event coding: lexicons and mappings (PLOVER, CAMEO, ACLED)."""

from .lexicon import AcledRule, Lexicon, ModeCue, SpeechCue, Trigger, load_lexicon, load_lexicon_from

__all__ = ["AcledRule", "Lexicon", "ModeCue", "SpeechCue", "Trigger", "load_lexicon", "load_lexicon_from"]
