"""Plain-Python style check for Russian news: bureaucratese, press-release clichés, readability."""

from .checker import (
    Finding,
    Phrase,
    Report,
    StyleChecker,
    default_phrases,
    morph_analyzer,
    strip_html,
)
from .readability import Readability, readability

__all__ = [
    "Finding",
    "Phrase",
    "Readability",
    "Report",
    "StyleChecker",
    "default_phrases",
    "morph_analyzer",
    "readability",
    "strip_html",
]
