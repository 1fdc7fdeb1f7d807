"""«Срочная публикация»: an editor publishes an emergency item without the head's sign-off, with a
reason; the head is told at once and signs it off after the fact (``models/urgent.py``)."""
