from .accounts import SECRET_FIELDS, AccountKind, Network, SocialAccount
from .comments import (
    AuthorBan,
    Comment,
    CommentStatus,
    ModerationEvent,
    RemoteState,
    WatchedPost,
)
from .outbox import (
    FINAL_STATES,
    STYLE_HOLD,
    UNKNOWN_OUTCOME,
    NormWarning,
    OutboxAction,
    OutboxItem,
    OutboxState,
    SandboxPost,
)
from .replies import ReplyAccountChoice

__all__ = [
    "AuthorBan",
    "Comment",
    "CommentStatus",
    "ModerationEvent",
    "RemoteState",
    "WatchedPost",
    "FINAL_STATES",
    "SECRET_FIELDS",
    "AccountKind",
    "Network",
    "NormWarning",
    "OutboxAction",
    "OutboxItem",
    "OutboxState",
    "ReplyAccountChoice",
    "SandboxPost",
    "SocialAccount",
    "STYLE_HOLD",
    "UNKNOWN_OUTCOME",
]
