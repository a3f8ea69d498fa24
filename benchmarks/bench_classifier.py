"""Cost of the learned event-type fallback: model load time, sentences per second, memory.

Run by hand (never from the tests), from the repository root::

    .venv/bin/python benchmarks/bench_classifier.py [--n 500] [--stories PATH]

Sentences are the first sentences of the NGEC synthetic stories (../shared/train/ngec-synthetic) — the kind of
lead the pipeline classifies. Prints load time, encode+classify throughput (median of 3 passes) and the peak
resident memory of this process before and after loading the model.
"""

from __future__ import annotations

import argparse
import csv
import resource
import statistics
import time
from pathlib import Path

from polemos.events.classifier import FIRST_SENTENCE

STORIES = (
    Path(__file__).resolve().parents[2] / "shared/train/ngec-synthetic/gpt_synthetic_events_2023-10-19_19.csv"
)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--stories", type=Path, default=STORIES)
    args = parser.parse_args()
    with args.stories.open(encoding="utf-8", newline="") as file:
        leads = [FIRST_SENTENCE.split(row["text"].strip())[0] for row in csv.DictReader(file)][: args.n]
    before = peak_rss_mb()
    start = time.perf_counter()
    from polemos.events.classifier import load_classifier

    classifier = load_classifier()
    classifier.classify(["warm up"])
    load_s = time.perf_counter() - start
    passes = []
    for _ in range(3):
        start = time.perf_counter()
        classifier.classify(leads)
        passes.append(time.perf_counter() - start)
    one_by_one = time.perf_counter()
    for lead in leads[:100]:
        classifier.classify([lead])
    single_ms = (time.perf_counter() - one_by_one) / min(100, len(leads)) * 1000
    median = statistics.median(passes)
    print(f"sentences: {len(leads)} (mean {statistics.mean(len(s) for s in leads):.0f} chars)")
    print(f"model load + first call: {load_s:.2f} s")
    print(f"batched: {len(leads) / median:.0f} sentences/s (median of 3)")
    print(f"one at a time (as the pipeline calls it): {single_ms:.1f} ms a sentence")
    print(f"peak RSS: {before:.0f} MB before loading, {peak_rss_mb():.0f} MB after")


if __name__ == "__main__":
    main()
