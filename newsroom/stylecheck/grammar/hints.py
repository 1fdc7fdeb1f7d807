"""A grammar hint: what was found, where, how serious, and what to write instead."""

from __future__ import annotations

from dataclasses import dataclass

HIGH, MEDIUM = "high", "medium"


@dataclass(frozen=True)
class Hint:
    kind: str
    severity: str
    field: str
    start: int
    end: int
    matched: str
    suggestion: str

    @property
    def is_high(self) -> bool:
        return self.severity == HIGH


def span_hint(kind, severity, field, text, start, end, suggestion) -> Hint:
    """A hint for ``text[start:end]``."""
    return Hint(kind, severity, field, start, end, text[start:end], suggestion)
