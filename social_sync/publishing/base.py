"""The interface every channel's publisher offers to delivery.

A publisher does one account's side of an outbox row: post a page's content, find a post that an
interrupted attempt may have made, edit and delete. Delivery (``services/delivery.py``) claims
the row, calls the publisher and records the outcome; it never asks which network it is.
"""

from dataclasses import dataclass, field
from typing import Any

from social_sync.clients.errors import PermanentError

# Refusals that are about one image (its format, size, contents), not about the account: the
# post goes out without that image.
IMAGE_REFUSALS = {"photo_rejected", 100, 500, 501, 502, 503, 504, 505}


@dataclass
class Published:
    """A post as the network confirmed it."""

    remote_id: str
    url: str
    #: What a later edit needs (uploaded attachments), kept on the post's outbox row.
    meta: dict[str, Any] | None = field(default=None)


class Withdrawn(Exception):
    """Nothing to do any more; the row is cancelled with this explanation."""


class OutcomeUnknown(Exception):
    """An earlier attempt may have posted and the network gives no way to look: a person checks
    the channel and says which it is (the row waits, never re-sent blindly)."""


class Publisher:
    """One account's publisher. Subclasses set ``network`` and implement the methods below."""

    network = ""
    #: True when the outcome is written in our own database in the row's transaction (the
    #: sandbox): nothing can reach the network twice, and no token is needed.
    local = False
    #: True when the account's wall can be read back (``find``): after a lost answer the
    #: delivery looks at once, in the same attempt, instead of waiting for the next one.
    reads_back = True

    def __init__(self, account):
        self.account = account
        #: Images the network refused during ``prepare``: (image title, explanation).
        self.rejected_images: list[tuple[str, str]] = []

    def upload_each(self, images, upload_one):
        """Uploads the images one by one; an image the network refuses is left out and noted in
        ``rejected_images`` instead of sinking the whole post."""
        uploaded = []
        for image in images:
            try:
                uploaded.append(upload_one(image))
            except PermanentError as error:
                if error.code not in IMAGE_REFUSALS:
                    raise
                self.rejected_images.append((image.title or image.filename, error.explanation))
        return uploaded

    def resend_is_safe(self, write_started_at) -> bool:
        """After an attempt that may have reached the network (started at ``write_started_at``):
        may the post be sent again as it is, because the network de-duplicates it? If not, the
        account's wall is read back with ``find`` first."""
        return False

    def find(self, content, since: float) -> Published | None:
        """Our post of ``content`` on the account's wall, made after ``since`` (a timestamp);
        raises ``OutcomeUnknown`` where the network cannot be read back."""
        raise NotImplementedError

    def prepare(self, content) -> Any:
        """Uploads that must exist before the post (photos); safe to repeat."""
        return None

    def post(self, content, prepared, *, guid: str) -> Published:
        raise NotImplementedError

    def edit(self, post_row, page) -> dict[str, Any] | None:
        """Applies the page's current content to the post; returns new ``meta`` to keep, if any."""
        raise NotImplementedError

    def delete(self, post_row) -> None:
        """Deletes the post; a post that is already gone counts as deleted."""
        raise NotImplementedError

    def reply(self, target: dict, text: str, *, guid: str, images=()) -> Published:
        """Places ``text`` (with ``images``, where the network takes them) as a comment under the
        post (or the comment) of ``target``."""
        raise NotImplementedError

    def find_reply(self, target: dict, text: str) -> Published | None:
        """Our reply with ``text`` at ``target``, made by an attempt whose answer was lost."""
        raise NotImplementedError
