"""Characters a typed or imported text must not carry, in plain Python.

A text that arrives from an API, a file or a public form may hold what no person typed on purpose:
halves of UTF-16 pairs («непарные суррогаты», which cannot be stored or sent on), NUL and other
control characters (PostgreSQL refuses NUL outright), and the Unicode direction overrides that make
a name display differently from what it is («Иванов‮вонавИ»). ``problem`` names the first such
character in Russian; the callers turn it into a field error.
"""

from __future__ import annotations

import unicodedata

# Characters that reorder what follows them on screen: the embeddings, overrides and isolates.
DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Line breaks and tabs belong in a message's text, never in a name.
LAYOUT = frozenset("\t\n\r")


def problem(value: str, *, multiline: bool = False) -> str | None:
    """What is wrong with ``value``, in Russian, or None when it can be stored as it is.

    ``multiline`` allows tabs and line breaks (a message's text, an answer); a name or a title
    allows neither. Direction controls are refused everywhere: nothing we store needs them.
    """
    for position, char in enumerate(value, start=1):
        code = ord(char)
        if 0xD800 <= code <= 0xDFFF:
            return (
                "текст повреждён: в позиции %d половина символа Юникода (непарный суррогат). "
                "Проверьте кодировку источника." % position
            )
        if char == "\x00":
            return "в позиции %d нулевой символ (NUL): уберите его." % position
        if char in DIRECTION_CONTROLS:
            return (
                "в позиции %d невидимый символ, меняющий направление текста (U+%04X): "
                "уберите его." % (position, code)
            )
        if char in LAYOUT:
            if multiline:
                continue
            return "в позиции %d перевод строки или табуляция: здесь нужна одна строка." % position
        if unicodedata.category(char) == "Cc":
            return "в позиции %d управляющий символ (U+%04X): уберите его." % (position, code)
    return None
