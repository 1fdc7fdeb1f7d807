"""What counts as a word and a letter in a Russian news text (shared by the phrase checker and
readability)."""

import re

_WORD_CHARS = "0-9A-Za-zА-Яа-яЁё"
# Combining acute accent (stress marks) and soft hyphen may sit inside a word.
_WORD_RE = re.compile(
    rf"[{_WORD_CHARS}][{_WORD_CHARS}\u0301\u00ad]*"
    rf"(?:[-\u2010\u2011][{_WORD_CHARS}][{_WORD_CHARS}\u0301\u00ad]*)*"
)
_LETTER_RE = re.compile(r"[A-Za-zА-Яа-яЁё]")
