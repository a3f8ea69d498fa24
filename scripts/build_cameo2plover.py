"""Build ``src/polemos/events/data/cameo2plover.tsv`` from PLOVER's ``CAMEO2PLOVER-2021.txt``.

Usage: ``python scripts/build_cameo2plover.py PATH/TO/CAMEO2PLOVER-2021.txt``

The source file (Open Event Data Alliance, CC BY-SA 4.0; PLOVER manual draft 0.8, 2021) maps each CAMEO code
to a PLOVER event type, mode and context. A few of its values predate the 2021 manual's tables; they are
reconciled here to the 16 event types, their modes and the context list, and every changed row keeps the
original values in the ``raw`` column. The output is a derived work and stays under CC BY-SA 4.0.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parents[1] / "src" / "polemos" / "events" / "data" / "cameo2plover.tsv"

# Modes the 2021 manual no longer lists, or names it gives differently: (type, raw mode) -> mode.
MODE_FIXES: dict[tuple[str, str], str | None] = {
    ("ASSAULT", "assassinate"): "targeted",  # the manual's `targeted` covers assassinations
    ("ASSAULT", "massacre"): "targeted",  # ... and deliberate mass killings of defenseless actors
    ("ASSAULT", "cleansing"): None,  # commented out of the manual's ASSAULT modes
    ("ASSAULT", "seize"): "destroy",  # 1712 "Destroy property": intentional destruction
    ("ASSAULT", "pro_autocracy"): None,  # a context written in the mode column (175); moved to contexts
    ("THREATEN", "ban"): "restrict",  # THREATEN `restrict` includes banning parties or individuals
    ("THREATEN", "political"): "restrict",
    ("COERCE", "ban"): "restrict",  # COERCE `restrict` includes banning individuals/organisations
    ("RETREAT", "return"): None,  # `return` is commented out of the manual's RETREAT modes
    ("RETREAT", "ease"): None,  # the source itself notes "ease" is no longer a mode
}
# Row-level corrections where the manual's text contradicts the table: code -> (type, mode, contexts | None).
CODE_FIXES: dict[str, tuple[str, str | None, list[str] | None]] = {
    # The SANCTION section codes international sanctions as SANCTION `discontinue` (the table said COERCE).
    "163": ("SANCTION", "discontinue", None),
    # The manual has a separate `aerial` mode for manned aircraft.
    "195": ("ASSAULT", "aerial", None),
    # ACCUSE `allege` is "formally or informally accuse"; 112 is "Accuse".
    "112": ("ACCUSE", "allege", None),
    # REQUEST/REJECT `yield` covers releases, easing sanctions/curfews, ceasefires (table said `change`).
    "105": ("REQUEST", "yield", None),
    "124": ("REJECT", "yield", None),
    "1241": ("REJECT", "yield", None),
    "1242": ("REJECT", "yield", None),
    # Violent repression: the source put `pro_autocracy` in the mode column and `military` as context.
    "175": ("ASSAULT", None, ["repression", "pro_autocracy"]),
}
# Context names not in the manual's context table.
CONTEXT_FIXES = {"humanitarian": "human_security", "democracy": "pro_democracy"}

LINE = re.compile(r"^(?P<code>\d{2,4})\s*:\s*(?P<body>[^#]*)(?:#\s*(?P<desc>.*))?$")


def parse(text: str) -> tuple[list[tuple[str, str]], list[list[str]]]:
    roots: list[tuple[str, str]] = []
    rows: dict[str, list[str]] = {}
    for line in text.splitlines():
        match = LINE.match(line.strip())
        if not match:
            continue
        code, body, desc = match["code"], match["body"], (match["desc"] or "").strip()
        fields = [part.strip() for part in body.split(",")]
        if len(fields) == 1:  # "03: AGREE": a two-digit root heading
            roots.append((code, fields[0]))
            continue
        type_, mode, context = (fields + ["", ""])[:3]
        contexts = [c.strip() for c in context.split(";") if c.strip()]
        new_type, new_mode, new_contexts = type_, mode or None, contexts
        if (type_, mode) in MODE_FIXES:
            new_mode = MODE_FIXES[(type_, mode)]
        if code in CODE_FIXES:
            new_type, new_mode, fixed_contexts = CODE_FIXES[code]
            new_contexts = fixed_contexts if fixed_contexts is not None else new_contexts
        new_contexts = [CONTEXT_FIXES.get(c, c) for c in new_contexts]
        changed = (new_type, new_mode, new_contexts) != (type_, mode or None, contexts)
        raw = f"{type_}|{mode}|{';'.join(contexts)}" if changed else ""
        if code in rows:  # 175 is listed twice with the same values
            continue
        rows[code] = [code, new_type, new_mode or "", ";".join(new_contexts), desc, raw]
    return roots, list(rows.values())


def main(argv: list[str]) -> int:
    source = Path(argv[1])
    roots, rows = parse(source.read_text(encoding="utf-8"))
    header = [
        "# CAMEO code -> PLOVER (type, mode, contexts). Derived from CAMEO2PLOVER-2021.txt",
        "# (openeventdata/PLOVER, CC BY-SA 4.0, Open Event Data Alliance) by scripts/build_cameo2plover.py;",
        "# reconciled to the PLOVER 2021 manual's 16 types, modes and contexts.",
        "# `raw` holds the source's type|mode|contexts where they were changed.",
        "# Two-digit roots: " + ", ".join(f"{code}={type_}" for code, type_ in roots),
    ]
    lines = header + ["\t".join(["cameo", "type", "mode", "contexts", "description", "raw"])]
    lines += ["\t".join(row) for row in rows]
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} rows to {OUTPUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
