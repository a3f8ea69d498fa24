"""Time and peak memory of coding one very long document (run by hand).

    .venv/bin/python benchmarks/bench_long_document.py --chars 990000

The text is made by repeating the bundled example articles; the pipeline parses it in pieces
(``polemos.pipeline.PIECE_CHARS``) so that peak memory stays bounded whatever the length.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=990_000, help="length of the document")
    args = parser.parse_args()
    seed = "\n".join(p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt")))
    text = (seed * (args.chars // len(seed) + 1))[: args.chars]

    from polemos.model import Document
    from polemos.pipeline import Pipeline

    pipeline = Pipeline()
    next(pipeline.run([Document(id="warm", text=seed[:2000])]))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    result = next(pipeline.run([Document(id="long", text=text, date="2024-01-01")]))
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{len(text):,} characters: {elapsed:.1f} s ({len(text) / elapsed:,.0f} chars/s), "
        f"peak RSS {peak:,.0f} MB (after warm-up {before:,.0f} MB); "
        f"{len(result.events):,} events, {len(result.actors):,} actors, errors: {result.errors}"
    )


if __name__ == "__main__":
    main()
