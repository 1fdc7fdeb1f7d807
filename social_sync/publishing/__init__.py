"""Publishers: each channel's side of delivering an outbox row, behind one interface (``base``).

A new channel is one module here with a ``Publisher`` subclass, named in ``PUBLISHERS``.
"""

from .base import Published, Publisher, Withdrawn
from .ok import OKPublisher
from .sandbox import SandboxPublisher
from .vk import VKPublisher

PUBLISHERS = {publisher.network: publisher for publisher in (VKPublisher, OKPublisher)}


def publisher_for(account):
    """The publisher of ``account``: the sandbox when it has no credentials."""
    if account.is_sandbox:
        return SandboxPublisher(account)
    return PUBLISHERS[account.network](account)


__all__ = ["PUBLISHERS", "Published", "Publisher", "Withdrawn", "publisher_for"]
