"""Retrain the event-type head shipped in src/polemos/events/data/ (needs the ``train`` extra: scikit-learn).

python scripts/train_event_classifier.py ../shared/train/ngec-synthetic/gpt_synthetic_events_2023-10-19_19.csv
"""

from __future__ import annotations

import argparse
from pathlib import Path

from polemos.events.classifier import HEAD_FILE, PROVENANCE_FILE, THRESHOLD, train


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stories", type=Path, help="NGEC synthetic stories CSV (columns title, text, label)")
    parser.add_argument("--output", type=Path, default=HEAD_FILE)
    parser.add_argument("--provenance", type=Path, default=PROVENANCE_FILE)
    parser.add_argument("--limit", type=int, default=None, help="use only the first N stories")
    parser.add_argument(
        "--threshold", type=float, default=THRESHOLD, help="probability the pipeline requires"
    )
    args = parser.parse_args()
    record = train(args.stories, args.output, args.provenance, args.limit, args.threshold)
    print(f"{args.output}: {len(record['classes'])} classes, {record['training_data']['examples']} examples")


if __name__ == "__main__":
    main()
