"""Reading polemos' YAML data files with PyYAML's C loader (about ten times faster than the pure-Python one;
it matters for the start-up time of ``polemos extract``)."""

from __future__ import annotations

from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


def load_yaml(text: str) -> Any:
    """The data of one YAML document, read as ``yaml.safe_load`` reads it."""
    return yaml.load(text, Loader=_Loader)
