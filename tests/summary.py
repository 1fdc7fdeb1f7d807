"""Figures a test wants seen in the run's summary (the style checker's precision and recall):
``report(config, line)`` keeps the line, the suite's conftest prints them at the end."""

import pytest

LINES = pytest.StashKey[list]()


def report(config, line: str) -> None:
    config.stash.setdefault(LINES, []).append(line)


def print_summary(terminalreporter, config) -> None:
    lines = config.stash.get(LINES, [])
    if lines:
        terminalreporter.section("замеры")
        for line in lines:
            terminalreporter.write_line(line)
