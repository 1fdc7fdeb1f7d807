from .accounts import SECRET_FIELDS, AccountKind, Network, SocialAccount
from .outbox import FINAL_STATES, OutboxAction, OutboxItem, OutboxState, SandboxPost

__all__ = [
    "FINAL_STATES",
    "SECRET_FIELDS",
    "AccountKind",
    "Network",
    "OutboxAction",
    "OutboxItem",
    "OutboxState",
    "SandboxPost",
    "SocialAccount",
]
