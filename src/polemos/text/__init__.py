"""The text stage: boilerplate ranges and the document's language. The text itself is never changed."""

from polemos.text.boilerplate import find_boilerplate, outside
from polemos.text.language import check_language, detect_language

__all__ = ["check_language", "detect_language", "find_boilerplate", "outside"]
