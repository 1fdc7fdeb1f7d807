#!/usr/bin/env python
"""Speed of the style check (newsroom.stylecheck) on a long text, no Django.

A text of ``--words`` words (5,000 by default) built from the press-release and plain sentences of
the style check's tests is checked ``--runs`` times after one warm-up; the script prints the
median and the slowest run, the number of hints and the words per second.

    .venv/bin/python bench/stylecheck.py
    .venv/bin/python bench/stylecheck.py --words 20000 --runs 5
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "newsroom"))

from test_stylecheck import BUREAUCRATIC_SENTENCES, PLAIN_SENTENCES  # noqa: E402

from newsroom.stylecheck import StyleChecker  # noqa: E402


def build_text(words: int) -> str:
    sentences = [text for text, _ in BUREAUCRATIC_SENTENCES] + PLAIN_SENTENCES
    vocabulary = " ".join(sentences).split()
    return " ".join(vocabulary[i % len(vocabulary)] for i in range(words))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    text = build_text(args.words)
    checker = StyleChecker()
    checker.check({"body": text})  # warm-up: compiles the patterns, fills the word-form cache
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        report = checker.check({"body": text})
        timings.append(time.perf_counter() - started)
    median = statistics.median(timings)
    print(f"words: {report.readability.words}, hints: {len(report.findings)}, runs: {args.runs}")
    print(
        f"median {median * 1000:.0f} ms, slowest {max(timings) * 1000:.0f} ms, "
        f"{report.readability.words / median:,.0f} words/s"
    )


if __name__ == "__main__":
    main()
