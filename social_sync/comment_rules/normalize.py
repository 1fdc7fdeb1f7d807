"""Undoing the usual disguises of a word before it is checked.

People who write «xуй», «б.л.я», «с*ка», «п и з д а» or «хууууй» expect a word filter to miss
them. A comment is looked at twice: as written (split into words), and with the disguises undone —
Latin and digit look-alikes turned into Cyrillic letters, symbols inside a word dropped, single
letters separated by spaces or dots joined, runs of one letter shortened.
"""

import re

# Latin letters and digits that stand for Cyrillic ones in disguised words.
LOOKALIKES = str.maketrans(
    {
        "a": "а",
        "b": "в",
        "c": "с",
        "e": "е",
        "h": "н",
        "k": "к",
        "m": "м",
        "o": "о",
        "p": "р",
        "t": "т",
        "x": "х",
        "y": "у",
        "u": "и",
        "3": "з",
        "0": "о",
        "6": "б",
        "4": "ч",
        "@": "а",
        "$": "с",
        "ё": "е",
    }
)

CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
# Symbols people put inside a word to break it: «с*ка», «б.л.я», «х_у_й», «пи-зд».
INSIDE = re.compile(r"(?<=\w)[*._+'\"`~^|!#%]+(?=\w)")
LINKISH = re.compile(r"^(?:https?://|www\.)|\.[a-z]{2,6}(?:/|$)")
# Letters spelled one by one: «х у й», «б л я т ь» (three or more single letters).
SPELLED = re.compile(r"\b(?:\w[\s.,*_\-]+){2,}\w\b")
WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
REPEATS = re.compile(r"(\w)\1{2,}")


def _join_spelled(match: re.Match) -> str:
    parts = re.split(r"[\s.,*_\-]+", match.group(0))
    if all(len(p) == 1 for p in parts):
        return "".join(parts)
    return match.group(0)


def undisguise(text: str) -> str:
    """The text with look-alikes, inserted symbols, spelled-out letters and stretched letters
    undone, lower-cased. Words with no Cyrillic letter (a link, an English word) stay as they are.
    """
    text = text.lower()
    text = SPELLED.sub(_join_spelled, text)
    words = []
    for word in re.split(r"(\s+)", text):
        if LINKISH.search(word):  # a link or a domain stays as written
            words.append(word)
            continue
        word = INSIDE.sub("", word)
        if CYRILLIC.search(word) or _mostly_lookalikes(word):
            word = word.translate(LOOKALIKES)
        words.append(word)
    text = "".join(words)
    return REPEATS.sub(r"\1", text)


def _mostly_lookalikes(word: str) -> bool:
    """A word written in Latin look-alikes only («xyй» is caught above; «xуйня» too; «nahui» is not a
    look-alike spelling and is left alone)."""
    letters = [ch for ch in word if ch.isalpha()]
    return bool(letters) and len(letters) <= 12 and all(ch in "abcehkmoptxyu" for ch in letters)


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())
