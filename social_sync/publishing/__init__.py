"""Publishers: each channel's side of delivering an outbox row, behind one interface (``base``).

A new channel is one module here with a ``Publisher`` subclass, named in ``PUBLISHERS``.
"""

from .base import OutcomeUnknown, Published, Publisher, Withdrawn
from .max import MaxPublisher
from .ok import OKPublisher
from .sandbox import SandboxPublisher
from .telegram import TelegramPublisher
from .vk import VKPublisher

PUBLISHERS = {
    publisher.network: publisher
    for publisher in (VKPublisher, OKPublisher, TelegramPublisher, MaxPublisher)
}


def publisher_for(account):
    """The publisher of ``account``: the sandbox when it has no credentials."""
    if account.is_sandbox:
        return SandboxPublisher(account)
    return PUBLISHERS[account.network](account)


__all__ = [
    "PUBLISHERS",
    "OutcomeUnknown",
    "Published",
    "Publisher",
    "Withdrawn",
    "publisher_for",
]
