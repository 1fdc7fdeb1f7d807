"""Field validators for text typed into forms or sent to the API (see ``newsroom.characters``)."""

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

from newsroom import characters


@deconstructible
class PlainCharacters:
    """Refuses broken Unicode, control characters and direction overrides in a text.

    ``multiline`` allows tabs and line breaks. The message is in Russian and starts with a capital
    letter, as Django shows field errors.
    """

    code = "hidden_characters"

    def __init__(self, *, multiline=False):
        self.multiline = multiline

    def __call__(self, value):
        if not isinstance(value, str):
            return
        found = characters.problem(value, multiline=self.multiline)
        if found:
            raise ValidationError(found[:1].upper() + found[1:], code=self.code)

    def __eq__(self, other):
        return isinstance(other, PlainCharacters) and other.multiline == self.multiline


plain_line = PlainCharacters()
plain_text = PlainCharacters(multiline=True)
