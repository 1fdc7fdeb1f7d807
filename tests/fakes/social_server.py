"""A local fake of the VK API, the VK ID token endpoint and the OK REST API.

It enforces the contracts written down in ``shared/contracts/vk.md`` and
``shared/contracts/ok.md`` (and the VK JSON-schema subset beside them), so the
test suite and the benchmarks can exercise the real HTTP clients without any
network: the server binds 127.0.0.1 on a free port and runs in a daemon thread.
Plain stdlib only; no Django imports here.

Usage::

    with FakeSocialServer(seed=1) as fake:
        fake.add_vk_token("vk-admin", user_id=10, admin_of=(200,))
        requests.post(fake.vk_api_url + "wall.post", data={...})
        assert fake.vk_posts[-200][0]["text"] == "..."

Choices the contracts leave open (marked [?] there) and what this fake does:

VK
- Check order: method name (3), JSON body (8), ``v`` (8), token (5), token type
  (27/28), schema parameters (100), then the method's own checks.  The rate limit
  (6) is decided at arrival, before everything else, and answers first.
- A JSON request body is refused with 8 "Invalid request: JSON body is not
  supported...".  ``v`` must look like ``5.199`` (digits.digits).
- Booleans must be ``0`` or ``1`` (``True``/``true`` gives 100 "<p> not boolean").
  An empty value counts as absent.  Unknown parameters are ignored, as VK does;
  ``fields`` values are not checked against their (long) enums.
- wall.post and wall.edit without both message and attachments: 100 "invalid
  message param".  wall.post on a community wall needs ``from_group=1`` and an
  admin token, else 214; on a person's page owner_id must be the token's user.
- wall.edit of a missing post: 100 "post_id is invalid"; of someone else's post:
  15.  wall.delete of a missing post: 104; of someone else's post: 210.
- Post and comment ids share one counter per wall (as on VK).  Deleted posts are
  removed; ``vk_deleted`` counts them per wall, ``vk_deleted_posts`` keeps them.
- A deferred post (``publish_date`` in the future) is ``post_type: "postpone"``,
  only listed by ``filter=postponed`` for an admin, and becomes a normal post
  (same id, date = publish_date) once its time has come (see ``advance_time``).
- Upload: the upload URL may be used several times; every upload is saveable once.
  Saving it again, a wrong hash, or another group/user than the one that asked
  for the upload server gives 121 "Invalid hash" (so a client redoes the upload);
  a wrong/missing server gives 118; ``photo="[]"`` or garbage gives 100
  "photos_list is invalid".  Uploads to a community need an admin token (203).
- Attachments: ``photo<owner>_<id>[_<access_key>]`` must name a saved photo (and
  the right key if one is given); any other media type, a malformed item, more
  than 10 media or more than one link gives 100 "attachments param is invalid".
- Error 14 (injected only) carries ``captcha_sid``/``captcha_img``.
- Comments: ``wall.restoreComment``, ``wall.editComment`` and ``groups.unban`` (beyond the
  schema subset; docs/contracts/vk-moderation.md) are served from ``VK_EXTRA_METHODS``.  A
  deleted comment can be restored for a day; an author banned in a community cannot comment
  there (15).  ``lost_answers`` counts the random lost answers per method.

VK ID (``/oauth2/auth``)
- Needs grant_type=refresh_token, refresh_token, client_id, device_id and state
  (query string or form body); a missing one is ``invalid_request``; another
  grant_type ``unsupported_grant_type``; an unknown, used or device-mismatched
  refresh token ``invalid_grant``; a client_id mismatch ``invalid_client``.  All
  errors are HTTP 400 JSON ``{"error", "error_description", "state"}``.

OK
- Check order: method (3, or 100 if absent), application_key (101), session
  (453 if absent; unknown or expired access_token 102; unknown session_key 103),
  sig (104), then the method.  The flood limit (8) answers first.
- A method reached as ``/api/<group>/<method>`` may be signed with or without
  ``method=<group.method>`` in the signed string; both are accepted.  ``sig`` is
  compared exactly (lower-case hex).  The fake's default app and token from
  ok.md's worked example 2 are registered at construction.
- mediatopic.post: GROUP_THEME/GROUP_THEME_PROMO/GROUP_SUGGESTED without gid: 160;
  with a gid the token's user does not administer: 50 (GROUP_SUGGESTED is
  allowed for anyone but never shows in the feed); USER* types with a gid: 100.
  A text block over 10000 characters: 601 MEDIA_TOPIC_TEXT_LIMIT (the 600-607
  MEDIA_TOPIC_* range of apiok.ru's error list; 601 is TEXT_LIMIT in SDK enums
  mirroring it).  A link block with a non-http(s) url: 607
  MEDIA_TOPIC_LINK_BAD_FORMAT.  A photo token that is unknown, used, or
  uploaded for another group/user: 121.  Unknown block types: 100.
  ``publishAt`` ("YYYY-MM-DD HH:MM:SS", read as Moscow time, UTC+3) makes a
  deferred topic: absent from stream.get until then, and given a new id when it
  is published (``ok_topics`` keeps ``republished_from``).
- stream.get returns ``entities.media_topics`` only when ``fields`` asks for
  ``media_topic.*`` (or a ``media_topic.`` field); count is capped at 100.  The
  anchor is opaque (base64 of the last item's position); FORWARD = older.
- mediatopic.getByIds with several ids needs media_limit 1..3 (100 otherwise).
- discussions.* are minimal: comment not found 700 COMMENT_NOT_FOUND, deleting
  or answering ``as_admin`` without admin rights 50 NOT_ADMIN.
- Uploads: not multipart 21; a part that is not JPG/PNG/GIF 503; an empty part
  or no file at all 505; an unknown or expired upload id 100.

Faults
- ``fail_next`` queues failures per target; ``transient_rate`` draws random ones
  (error 10 / error 1 for VK, 1 / 2 for OK, HTTP 500, lost reply; the lost share
  is ``lost_response_rate``, default 0.25).  For uploads and ``oauth2/auth`` an
  error-code failure becomes HTTP 500 (oauth: ``{"error": "server_error"}``);
  for ``oauth2/auth`` any other string is answered as that OAuth error code.
  A lost reply is HTTP 500 for ``lose_response``; ``broken_body`` applies the
  action and sends HTTP 200 with a truncated body; random lost replies pick one
  of the two.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import random
import re
import threading
import time
from collections import defaultdict, deque
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

__all__ = ["FakeSocialServer"]

VK_API_VERSION = "5.199"
OK_TEXT_LIMIT = 10000
OK_DEFAULT_APP_KEY = "CFAKEAPPKEY0001"
OK_DEFAULT_APP_SECRET = "FAKEAPPSECRET0123456789ABCDEF"
OK_DEFAULT_TOKEN = "ok-token-admin"
OK_DEFAULT_USER_ID = 570000000001
OK_DEFAULT_GID = 70000000000001
MSK = dt.timezone(dt.timedelta(hours=3))
# What discussions.getComments gives of a comment (ok.md): nothing tells an official answer of the
# group (as_admin) from anyone else's.
OK_COMMENT_FIELDS = ("id", "author_id", "text", "date", "reply_to_comment_id", "reply_to_id")

# Texts from the schema's errors.json (VKCOM/vk-api-schema 0efe478f).
VK_ERRORS = {
    1: "Unknown error occurred",
    3: "Unknown method passed",
    5: "User authorization failed",
    6: "Too many requests per second",
    7: "Permission to perform this action is denied",
    8: "Invalid request",
    9: "Flood control",
    10: "Internal server error",
    14: "Captcha needed",
    15: "Access denied",
    17: "Validation required",
    18: "User was deleted or banned",
    27: "Group authorization failed",
    28: "Application authorization failed",
    29: "Rate limit reached",
    100: "One of the parameters specified was missing or invalid",
    104: "Not found",
    113: "Invalid user id",
    118: "Invalid server",
    121: "Invalid hash",
    203: "Access to group denied",
    210: "Access to wall's post denied",
    211: "Access to wall's comment denied",
    212: "Access to post comments denied",
    213: "Access to status replies denied",
    214: "Access to adding post denied",
    219: "Advertisement post was recently added",
    220: "Too many recipients",
    222: "Hyperlinks are forbidden",
    224: "Too many ads posts",
    225: "Donut is disabled",
}

# apiok.ru/en/dev/errors (names as listed in ok.md).
OK_ERRORS = {
    1: "UNKNOWN",
    2: "SERVICE",
    3: "METHOD",
    4: "REQUEST",
    7: "ACTION_BLOCKED",
    8: "FLOOD_BLOCKED",
    9: "IP_BLOCKED",
    10: "PERMISSION_DENIED",
    11: "LIMIT_REACHED",
    21: "NOT_MULTIPART",
    50: "NOT_ADMIN",
    100: "PARAM",
    101: "PARAM_API_KEY",
    102: "PARAM_SESSION_EXPIRED",
    103: "PARAM_SESSION_KEY",
    104: "PARAM_SIGNATURE",
    105: "PARAM_RESIGNATURE",
    106: "PARAM_ENTITY_ID",
    121: "PARAM_PHOTO_ID",
    141: "PARAM_COMMENT_ID",
    160: "PARAM_GROUP_ID",
    200: "PARAM_PERMISSION",
    300: "NOT_FOUND",
    453: "SESSION_REQUIRED",
    454: "CENSOR_MATCH",
    500: "PHOTO_SIZE_LIMIT_EXCEEDED",
    501: "PHOTO_SIZE_TOO_SMALL",
    502: "PHOTO_SIZE_TOO_BIG",
    503: "PHOTO_INVALID_FORMAT",
    504: "PHOTO_IMAGE_CORRUPTED",
    505: "PHOTO_NO_IMAGE",
    600: "MEDIA_TOPIC_BLOCK_LIMIT",
    601: "MEDIA_TOPIC_TEXT_LIMIT",
    602: "MEDIA_TOPIC_POLL_QUESTION_TEXT_LIMIT",
    603: "MEDIA_TOPIC_POLL_ANSWERS_LIMIT",
    604: "MEDIA_TOPIC_POLL_ANSWER_TEXT_LIMIT",
    605: "MEDIA_TOPIC_WITH_FRIENDS_LIMIT",
    606: "MEDIA_TOPIC_WITH_FRIENDS_USER_LIMIT",
    607: "MEDIA_TOPIC_LINK_BAD_FORMAT",
    700: "COMMENT_NOT_FOUND",
}

# Parameters of each VK method, generated from shared/contracts/vk/methods-subset.json
# (type, required, minimum/maximum, enums incl. $ref'd ones such as wall_get_filter).
# tests/social_sync/test_fake_server.py checks this table against the schema file.
VK_METHODS = {
    "wall.post": {
        "access_token_type": ("user",),
        "params": {
            "owner_id": {"type": "integer"},
            "friends_only": {"type": "boolean"},
            "from_group": {"type": "boolean"},
            "message": {"type": "string"},
            "attachments": {"type": "array", "items": "string"},
            "services": {"type": "string"},
            "signed": {"type": "boolean"},
            "publish_date": {"type": "integer", "minimum": 0},
            "lat": {"type": "number"},
            "long": {"type": "number"},
            "place_id": {"type": "integer", "minimum": 0},
            "post_id": {"type": "integer", "minimum": 0},
            "guid": {"type": "string"},
            "mark_as_ads": {"type": "boolean"},
            "link_title": {"type": "string"},
            "link_photo_id": {"type": "string"},
            "close_comments": {"type": "boolean"},
            "donut_paid_duration": {"type": "integer"},
            "mute_notifications": {"type": "boolean"},
            "copyright": {"type": "string"},
        },
    },
    "wall.edit": {
        "access_token_type": ("user",),
        "params": {
            "owner_id": {"type": "integer"},
            "post_id": {"type": "integer", "required": True, "minimum": 0},
            "friends_only": {"type": "boolean"},
            "message": {"type": "string"},
            "attachments": {"type": "array", "items": "string"},
            "services": {"type": "string"},
            "signed": {"type": "boolean"},
            "publish_date": {"type": "integer", "minimum": 0},
            "lat": {"type": "number"},
            "long": {"type": "number"},
            "place_id": {"type": "integer", "minimum": 0},
            "mark_as_ads": {"type": "boolean"},
            "close_comments": {"type": "boolean"},
            "donut_paid_duration": {"type": "integer"},
            "poster_bkg_id": {"type": "integer", "minimum": 0},
            "poster_bkg_owner_id": {"type": "integer"},
            "poster_bkg_access_hash": {"type": "string"},
            "copyright": {"type": "string"},
            "topic_id": {
                "type": "integer",
                "minimum": 0,
                "enum": (0, 1, 7, 12, 16, 19, 21, 23, 25, 26, 32, 43),
            },
        },
    },
    "wall.delete": {
        "access_token_type": ("user",),
        "params": {"owner_id": {"type": "integer"}, "post_id": {"type": "integer", "minimum": 0}},
    },
    "wall.get": {
        "access_token_type": ("user", "service"),
        "params": {
            "domain": {"type": ("integer", "string")},
            "offset": {"type": "integer", "minimum": 0},
            "count": {"type": "integer", "minimum": 0},
            "filter": {
                "type": "string",
                "enum": ("owner", "others", "all", "postponed", "suggests", "archived", "donut"),
            },
            "extended": {"type": "boolean"},
            "fields": {"type": "array"},
        },
    },
    "wall.getById": {
        "access_token_type": ("user", "service"),
        "params": {
            "posts": {"type": "array", "required": True, "items": "string"},
            "extended": {"type": "boolean"},
            "copy_history_depth": {"type": "integer"},
            "fields": {"type": "array"},
        },
    },
    "wall.getComments": {
        "access_token_type": ("user", "service"),
        "params": {
            "owner_id": {"type": "integer"},
            "post_id": {"type": "integer", "minimum": 0},
            "need_likes": {"type": "boolean"},
            "start_comment_id": {"type": "integer", "minimum": 0},
            "offset": {"type": "integer"},
            "count": {"type": "integer", "minimum": 0},
            "sort": {"type": "string", "enum": ("asc", "desc", "smart")},
            "preview_length": {"type": "integer", "minimum": 0},
            "extended": {"type": "boolean"},
            "fields": {"type": "array"},
            "comment_id": {"type": "integer", "minimum": 0},
            "thread_items_count": {"type": "integer", "minimum": 0, "maximum": 10},
        },
    },
    "wall.createComment": {
        "access_token_type": ("user", "group"),
        "params": {
            "owner_id": {"type": "integer"},
            "post_id": {"type": "integer", "required": True, "minimum": 0},
            "from_group": {"type": "integer", "minimum": 0},
            "message": {"type": "string"},
            "reply_to_comment": {"type": "integer"},
            "attachments": {"type": "array", "items": "string"},
            "sticker_id": {"type": "integer", "minimum": 0},
            "guid": {"type": "string"},
        },
    },
    "wall.deleteComment": {
        "access_token_type": ("user",),
        "params": {
            "owner_id": {"type": "integer"},
            "post_id": {"type": "integer", "minimum": 0},
            "comment_id": {"type": "integer", "required": True, "minimum": 0},
        },
    },
    "photos.getWallUploadServer": {
        "access_token_type": ("user",),
        "params": {"group_id": {"type": "integer"}},
    },
    "photos.saveWallPhoto": {
        "access_token_type": ("user",),
        "params": {
            "user_id": {"type": "integer", "minimum": 0},
            "group_id": {"type": "integer", "minimum": 0},
            "photo": {"type": "string", "required": True},
            "server": {"type": "integer"},
            "hash": {"type": "string"},
            "latitude": {"type": "number"},
            "longitude": {"type": "number"},
            "caption": {"type": "string"},
        },
    },
    "groups.ban": {
        "access_token_type": ("user",),
        "params": {
            "group_id": {"type": "integer", "required": True, "minimum": 1},
            "owner_id": {"type": "integer"},
            "end_date": {"type": "integer", "minimum": 0},
            "reason": {"type": "integer", "minimum": 0},
            "comment": {"type": "string"},
            "comment_visible": {"type": "boolean"},
        },
    },
    "groups.getById": {
        "access_token_type": ("user", "group", "service"),
        "params": {
            "group_ids": {"type": "array", "items": ("integer", "string")},
            "group_id": {"type": ("integer", "string")},
            "fields": {"type": "array"},
        },
    },
    "users.get": {
        "access_token_type": ("user", "group", "service"),
        "params": {
            "user_ids": {"type": "array", "maxItems": 1000, "items": ("integer", "string")},
            "fields": {"type": "array"},
            "name_case": {"type": "string", "enum": ("Nom", "Gen", "Dat", "Acc", "Ins", "Abl")},
            "from_group_id": {"type": "integer"},
        },
    },
}

# Methods VK documents beyond the schema subset in shared/contracts/vk/, as written down in
# docs/contracts/vk-moderation.md: lifting a ban, restoring a deleted comment, editing a reply.
VK_EXTRA_METHODS = {
    "wall.restoreComment": {
        "access_token_type": ("user",),
        "params": {
            "owner_id": {"type": "integer"},
            "comment_id": {"type": "integer", "required": True, "minimum": 0},
        },
    },
    "wall.editComment": {
        "access_token_type": ("user",),
        "params": {
            "owner_id": {"type": "integer"},
            "comment_id": {"type": "integer", "required": True, "minimum": 0},
            "message": {"type": "string"},
            "attachments": {"type": "array", "items": "string"},
        },
    },
    "groups.unban": {
        "access_token_type": ("user",),
        "params": {
            "group_id": {"type": "integer", "required": True, "minimum": 1},
            "owner_id": {"type": "integer"},
        },
    },
}
# VK keeps a deleted comment restorable for a while (the site offers «Восстановить» until the page
# is left); the fake allows a day.
VK_RESTORE_WINDOW_S = 86400


# ---------------------------------------------------------------------------
# small helpers


class _VkError(Exception):
    def __init__(self, code: int, detail: str | None = None, **extra):
        super().__init__(code, detail)
        self.code = code
        base = VK_ERRORS.get(code, f"Error {code}")
        self.msg = f"{base}: {detail}" if detail else base
        self.extra = extra


def _vk_param_error(detail: str) -> _VkError:
    return _VkError(100, detail)


class _OkError(Exception):
    def __init__(self, code: int, detail: str | None = None):
        super().__init__(code, detail)
        self.code = code
        name = OK_ERRORS.get(code, "UNKNOWN")
        self.msg = f"{name} : {detail}" if detail else name


class _OAuthError(Exception):
    def __init__(self, error: str, description: str, status: int = 400):
        super().__init__(error, description)
        self.error = error
        self.description = description
        self.status = status


class _Reply:
    """What goes back on the wire."""

    def __init__(self, status=200, body=b"", content_type="application/json; charset=utf-8"):
        self.status = status
        self.body = body
        self.headers = {"Content-Type": content_type}
        self.truncate = False
        # The connection is closed with no answer at all (the action may have been applied).
        self.drop = False

    @classmethod
    def json(cls, obj, status=200):
        return cls(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"))

    @classmethod
    def http500(cls):
        return cls(500, b"Internal Server Error", "text/plain; charset=utf-8")


class _Request:
    def __init__(self, handler: BaseHTTPRequestHandler, verb: str, body: bytes):
        self.verb = verb
        parts = urlsplit(handler.path)
        self.path = parts.path
        self.query = dict(parse_qsl(parts.query, keep_blank_values=True))
        self.headers = handler.headers
        self.body = body
        self.content_type = (handler.headers.get("Content-Type") or "").strip()
        msg = Message()
        msg["Content-Type"] = self.content_type or "application/octet-stream"
        self.mime = msg.get_content_type()
        self.boundary = msg.get_param("boundary")
        self.form: dict[str, str] = {}
        self.files: list[tuple[str, str, bytes]] = []  # (field, filename, data)
        self.is_json = self.mime == "application/json" or self.mime.endswith("+json")
        self.is_multipart = self.mime == "multipart/form-data" and bool(self.boundary)
        self.malformed = False
        if self.is_multipart:
            try:
                self.form, self.files = _parse_multipart(body, str(self.boundary))
            except ValueError:
                self.malformed = True
        elif self.mime == "application/x-www-form-urlencoded" and body:
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                text = body.decode("latin-1")
                self.malformed = True
            self.form = dict(parse_qsl(text, keep_blank_values=True))

    def params(self) -> dict[str, str]:
        merged = dict(self.query)
        merged.update(self.form)
        return merged


def _parse_multipart(body: bytes, boundary: str):
    """A small multipart/form-data parser: returns ({field: text}, [(field, filename, bytes)])."""
    delimiter = b"--" + boundary.encode("latin-1")
    if not body.startswith(delimiter):
        body = b"\r\n" + body
        sep = b"\r\n" + delimiter
    else:
        sep = b"\r\n" + delimiter
        body = b"\r\n" + body
    chunks = body.split(sep)
    if len(chunks) < 2:
        raise ValueError("no multipart boundary")
    fields: dict[str, str] = {}
    files: list[tuple[str, str, bytes]] = []
    closed = False
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            closed = True
            break
        # the rest of the boundary line (transport padding), then CRLF
        line_end = chunk.find(b"\r\n")
        if line_end < 0:
            raise ValueError("broken part")
        chunk = chunk[line_end + 2 :]
        head, found, data = chunk.partition(b"\r\n\r\n")
        if not found:
            raise ValueError("part without headers")
        headers = Message()
        for line in head.decode("utf-8", "replace").split("\r\n"):
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip()] = value.strip()
        name = headers.get_param("name", header="content-disposition")
        if name is None:
            continue
        name = str(name)
        filename = headers.get_filename()
        if filename is not None:
            files.append((name, filename, data))
        else:
            charset = headers.get_content_charset() or "utf-8"
            fields[name] = data.decode(charset, "replace")
    if not closed:
        raise ValueError("multipart body not terminated")
    return fields, files


def _image_kind(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    return None


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def ok_signature(
    params: dict,
    *,
    app_secret: str,
    access_token: str | None = None,
    session_secret: str | None = None,
) -> str:
    """The OK signature exactly as ok.md describes it (also handy for tests)."""
    if session_secret:
        secret = session_secret
    elif access_token:
        secret = _md5(access_token + app_secret)
    else:
        secret = app_secret
    signed = "".join(
        f"{k}={params[k]}"
        for k in sorted(params)
        if k not in ("sig", "access_token", "session_key")
    )
    return _md5(signed + secret)


def _int_or_none(value) -> int | None:
    if value is None:
        return None
    value = str(value).strip()
    if re.fullmatch(r"-?\d+", value):
        return int(value)
    return None


_ATTACH_RE = re.compile(
    r"(photo|video|audio|doc|wall|page|note|poll|album|market|market_album|audio_playlist|podcast)"
    r"(-?\d+)_(\d+)(?:_([0-9A-Za-z]+))?"
)
_OK_TOPIC_TYPES = {
    "GROUP_THEME",
    "GROUP_THEME_PROMO",
    "GROUP_SUGGESTED",
    "USER",
    "USER_STATUS",
    "USER_NOTE",
}
_OK_GROUP_TYPES = {"GROUP_THEME", "GROUP_THEME_PROMO", "GROUP_SUGGESTED"}
_OK_METHODS = {
    "events.get",
    "users.getCurrentUser",
    "photosV2.getUploadUrl",
    "mediatopic.post",
    "mediatopic.getByIds",
    "stream.get",
    "discussions.getComments",
    "discussions.addDiscussionComment",
    "discussions.deleteDiscussionComment",
}
_OAUTH_TARGET = "oauth2/auth"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; without this, Nagle and delayed ACKs add
    # tens of milliseconds to a keep-alive exchange.
    disable_nagle_algorithm = True
    server_version = "FakeSocial/1.0"

    def log_message(self, format, *args):  # silence the default stderr log
        pass

    def do_GET(self):
        self.server.fake._serve(self, "GET")

    def do_POST(self):
        self.server.fake._serve(self, "POST")


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


# ---------------------------------------------------------------------------


class FakeSocialServer:
    """Fake VK + OK + VK ID server on 127.0.0.1 (see the module docstring)."""

    timeout_sleep_s = 3.0
    upload_ttl_s = 3600

    def __init__(
        self,
        *,
        vk_user_rate=3,
        vk_group_rate=20,
        ok_rate=None,
        rate_window_s=1.0,
        transient_rate=0.0,
        lost_response_rate=None,
        latency=(0.0, 0.0),
        seed=None,
        guid_window_s=3600,
        old_token_grace_s=0.0,
    ):
        self.vk_user_rate = vk_user_rate
        self.vk_group_rate = vk_group_rate
        self.ok_rate = ok_rate
        self.rate_window_s = rate_window_s
        self.transient_rate = transient_rate
        self.lost_response_rate = 0.25 if lost_response_rate is None else lost_response_rate
        self.latency = tuple(latency)
        self.guid_window_s = guid_window_s
        self.old_token_grace_s = old_token_grace_s
        self._rng = random.Random(seed)
        self._lock = threading.RLock()
        self._time_offset = 0.0
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.base_url = ""
        self.vk_api_url = ""
        self.ok_api_url = ""
        self.vk_id_token_url = ""
        self.port = 0
        # records
        self._calls: list[tuple] = []
        self._violations: list[dict] = []
        self._server_errors: list[str] = []
        self._rate: dict[tuple, deque] = defaultdict(deque)
        self._fail: dict[str, deque] = defaultdict(deque)
        self._lost_answers: dict[str, int] = defaultdict(int)  # random lost answers per method
        # VK state
        self._vk_tokens: dict[str, dict] = {}
        self._vk_refresh: dict[str, dict] = {}
        self._vk_walls: dict[int, dict[int, dict]] = defaultdict(dict)  # owner -> id -> post
        self._vk_wall_seq: dict[int, int] = defaultdict(int)
        self._vk_comments: dict[int, dict[int, dict]] = defaultdict(dict)  # owner -> id -> comment
        self._vk_deleted: dict[int, int] = defaultdict(int)
        self._vk_deleted_posts: dict[int, list[dict]] = defaultdict(list)
        self._vk_deleted_comments: list[dict] = []
        self._vk_guids: dict[tuple, tuple[int, float]] = {}
        self._vk_comment_guids: dict[tuple, tuple[int, float]] = {}
        self._vk_upload_servers: dict[str, dict] = {}
        self._vk_uploads: dict[str, dict] = {}
        self._vk_photos: dict[tuple[int, int], dict] = {}
        self._vk_photo_seq = 457239000
        self._vk_bans: list[dict] = []
        self._vk_pinned: dict[int, int] = {}
        # OK state
        self._ok_apps: dict[str, str] = {}
        self._ok_tokens: dict[str, dict] = {}
        self._ok_topics: dict[str, list[dict]] = defaultdict(list)
        self._ok_topic_seq = 155000000000000
        self._ok_upload_urls: dict[str, dict] = {}
        self._ok_photo_tokens: dict[str, dict] = {}
        self._ok_photo_seq = 930000000000000
        self._ok_comments: dict[str, list[dict]] = defaultdict(list)
        self._ok_comment_seq = 0
        self._ok_deleted_comments: list[dict] = []
        self._ok_bans: list[dict] = []
        self.add_ok_app(OK_DEFAULT_APP_KEY, OK_DEFAULT_APP_SECRET)
        self.add_ok_token(OK_DEFAULT_TOKEN, user_id=OK_DEFAULT_USER_ID, admin_of=(OK_DEFAULT_GID,))

    # ------------------------------------------------------------------ life cycle

    def start(self):
        if self._httpd is not None:
            return self
        httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        httpd.fake = self
        self._httpd = httpd
        self.port = httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.vk_api_url = self.base_url + "/method/"
        self.ok_api_url = self.base_url + "/fb.do"
        self.vk_id_token_url = self.base_url + "/oauth2/auth"
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
            name=f"FakeSocialServer:{self.port}",
        )
        self._thread.start()
        return self

    def stop(self):
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # ------------------------------------------------------------------ time

    def now(self) -> float:
        """Wall-clock time as the fake sees it (time.time() plus advance_time())."""
        return time.time() + self._time_offset

    def advance_time(self, seconds: float):
        """Move the fake's clock forward: guid windows, token expiry, deferred posts.

        The rate limiter keeps using the real monotonic clock.
        """
        with self._lock:
            self._time_offset += seconds

    # ------------------------------------------------------------------ set-up

    def add_vk_token(self, token, *, kind="user", user_id=1, admin_of=(), expires_in=None):
        if kind not in ("user", "group", "service"):
            raise ValueError(f"unknown VK token kind {kind!r}")
        admin = frozenset(abs(int(g)) for g in admin_of)
        if kind == "group" and len(admin) != 1:
            raise ValueError("a group token needs admin_of=(<its community id>,)")
        with self._lock:
            self._vk_tokens[token] = {
                "kind": kind,
                "user_id": int(user_id) if kind == "user" else None,
                "group_id": next(iter(admin)) if kind == "group" else None,
                "admin_of": admin if kind != "service" else frozenset(),
                "expires_at": None if expires_in is None else self.now() + expires_in,
            }

    def expire_vk_token(self, token):
        """Make a registered VK token expired (error 5 "... has expired.")."""
        with self._lock:
            self._vk_tokens[token]["expires_at"] = self.now() - 1

    def add_vk_refresh_token(
        self,
        refresh_token,
        *,
        client_id,
        device_id,
        user_id=1,
        admin_of=(),
        access_expires_in=3600,
        access_token=None,
    ):
        """Register a VK ID refresh token.

        ``access_token`` (optional) names the access token issued with it; it dies
        when this refresh token is used (after ``old_token_grace_s``).
        """
        with self._lock:
            self._vk_refresh[refresh_token] = {
                "client_id": str(client_id),
                "device_id": str(device_id),
                "user_id": int(user_id),
                "admin_of": tuple(abs(int(g)) for g in admin_of),
                "access_expires_in": access_expires_in,
                "access_token": access_token,
                "used": False,
            }

    def add_ok_app(self, application_key, application_secret):
        with self._lock:
            self._ok_apps[application_key] = application_secret

    def add_ok_token(
        self, access_token, *, user_id=1, admin_of=(), session_secret=None, expires_in=None
    ):
        with self._lock:
            self._ok_tokens[access_token] = {
                "user_id": int(user_id),
                "admin_of": frozenset(str(int(g)) for g in admin_of),
                "session_secret": session_secret,
                "expires_at": None if expires_in is None else self.now() + expires_in,
            }

    def fail_next(self, target, failure, times=1):
        """Queue ``times`` failures for ``target`` (a method name, "vk_upload",
        "ok_upload" or "oauth2/auth").  failure: int error code, "http500",
        "timeout", "lose_response", "broken_body", "drop" (applied, then the connection closed
        with no answer) or "drop_before" (closed before anything is applied) (or, for
        oauth2/auth, an OAuth error code string)."""
        if (
            not isinstance(failure, int)
            and failure
            not in ("http500", "timeout", "lose_response", "broken_body", "drop", "drop_before")
            and target != _OAUTH_TARGET
        ):
            raise ValueError(f"unknown failure {failure!r}")
        with self._lock:
            for _ in range(times):
                self._fail[target].append(failure)

    def seed_vk_post(
        self, owner_id, text="", *, from_id=None, date=None, attachments=(), guid=None
    ):
        """Put a post on a wall directly (e.g. someone else's post, or an old one)."""
        with self._lock:
            owner_id = int(owner_id)
            post = self._vk_new_post(
                owner_id,
                from_id=owner_id if from_id is None else int(from_id),
                created_by=from_id,
                text=text,
                attachments=list(attachments),
                guid=guid,
            )
            if date is not None:
                post["date"] = int(date)
            return dict(post)

    def seed_vk_comment(self, owner_id, post_id, text, *, from_id=5, reply_to_comment=None):
        """Add a reader's comment under a post; returns its id."""
        with self._lock:
            return self._vk_new_comment(
                int(owner_id), int(post_id), int(from_id), text, reply_to_comment
            )

    def pin_vk_post(self, owner_id, post_id):
        with self._lock:
            self._vk_pinned[int(owner_id)] = int(post_id)

    def seed_ok_topic(self, gid, media, *, created_ms=None):
        """Put a topic into a group's feed directly; returns its id."""
        with self._lock:
            topic = self._ok_new_topic(f"group:{int(gid)}", str(int(gid)), media, "GROUP_THEME")
            if created_ms is not None:
                topic["created_ms"] = int(created_ms)
            return topic["id"]

    def seed_ok_comment(self, topic_id, text, *, author_id=5, reply_to_comment_id=None):
        with self._lock:
            return self._ok_new_comment(str(topic_id), str(author_id), text, reply_to_comment_id)[
                "id"
            ]

    # ------------------------------------------------------------------ records

    @property
    def vk_posts(self) -> dict[int, list[dict]]:
        with self._lock:
            self._vk_publish_due()
            return {
                owner: [_copy(p) for _, p in sorted(posts.items())]
                for owner, posts in self._vk_walls.items()
                if posts
            }

    @property
    def vk_deleted(self) -> dict[int, int]:
        with self._lock:
            return dict(self._vk_deleted)

    @property
    def vk_deleted_posts(self) -> dict[int, list[dict]]:
        with self._lock:
            return {k: [_copy(p) for p in v] for k, v in self._vk_deleted_posts.items()}

    @property
    def vk_comments(self) -> dict[int, list[dict]]:
        with self._lock:
            return {
                owner: [_copy(c) for _, c in sorted(cs.items())]
                for owner, cs in self._vk_comments.items()
                if cs
            }

    @property
    def vk_deleted_comments(self) -> list[dict]:
        with self._lock:
            return [_copy(c) for c in self._vk_deleted_comments]

    @property
    def vk_photos(self) -> list[dict]:
        with self._lock:
            return [_copy(p) for p in self._vk_photos.values()]

    @property
    def vk_bans(self) -> list[dict]:
        with self._lock:
            return [dict(b) for b in self._vk_bans]

    @property
    def ok_topics(self) -> dict[str, list[dict]]:
        with self._lock:
            self._ok_publish_due()
            return {k: [_copy(t) for t in v] for k, v in self._ok_topics.items() if v}

    @property
    def ok_comments(self) -> dict[str, list[dict]]:
        with self._lock:
            return {k: [_copy(c) for c in v] for k, v in self._ok_comments.items() if v}

    @property
    def ok_deleted_comments(self) -> list[dict]:
        with self._lock:
            return [_copy(c) for c in self._ok_deleted_comments]

    @property
    def ok_bans(self) -> list[dict]:
        with self._lock:
            return [dict(b) for b in self._ok_bans]

    @property
    def lost_answers(self) -> dict[str, int]:
        """How many answers of each method the fault injection lost (applied or not)."""
        with self._lock:
            return dict(self._lost_answers)

    @property
    def violations(self) -> list[dict]:
        with self._lock:
            return [dict(v) for v in self._violations]

    @property
    def calls(self) -> list[tuple]:
        with self._lock:
            return list(self._calls)

    @property
    def server_errors(self) -> list[str]:
        """Tracebacks of bugs inside the fake itself (answered as HTTP 500)."""
        with self._lock:
            return list(self._server_errors)

    def posts_with_link(self, url) -> dict:
        """How many live VK posts and OK topics carry ``url`` (link attachment/block or text)."""
        with self._lock:
            vk = 0
            for posts in self._vk_walls.values():
                for post in posts.values():
                    links = [a["link"]["url"] for a in post["attachments"] if a["type"] == "link"]
                    if url in links or url in (post.get("text") or ""):
                        vk += 1
            ok = 0
            for topics in self._ok_topics.values():
                for topic in topics:
                    for block in topic["media"]:
                        if block.get("type") == "link" and block.get("url") == url:
                            ok += 1
                            break
                        if block.get("type") == "text" and url in str(block.get("text", "")):
                            ok += 1
                            break
            return {"vk": vk, "ok": ok}

    # ------------------------------------------------------------------ HTTP plumbing

    def _serve(self, handler: BaseHTTPRequestHandler, verb: str):
        try:
            body = _read_body(handler)
        except (OSError, ValueError):
            handler.close_connection = True
            return
        try:
            req = _Request(handler, verb, body)
            reply = self._route(req)
        except Exception:  # a bug in the fake: make it visible
            import traceback

            with self._lock:
                self._server_errors.append(traceback.format_exc())
            reply = _Reply.http500()
        _write_reply(handler, reply)

    def _route(self, req: _Request) -> _Reply:
        path = req.path
        if path.startswith("/method/"):
            return self._vk_entry(req, path[len("/method/") :])
        if path == "/fb.do" or path.startswith("/api/"):
            return self._ok_entry(req)
        if path.rstrip("/") == "/oauth2/auth":
            return self._oauth_entry(req)
        if path.startswith("/upload/vk/"):
            return self._upload_entry(req, "vk", path[len("/upload/vk/") :])
        if path.startswith("/upload/ok/"):
            return self._upload_entry(req, "ok", path[len("/upload/ok/") :])
        return _Reply(404, b"Not Found", "text/plain; charset=utf-8")

    def _sleep_latency(self):
        lo, hi = self.latency
        if hi <= 0 and lo <= 0:
            return
        with self._lock:
            delay = self._rng.uniform(lo, hi)
        if delay > 0:
            time.sleep(delay)

    def _take_fault(self, target: str, network: str):
        """Next queued failure for ``target``, else maybe a random transient one."""
        with self._lock:
            queue = self._fail.get(target)
            if queue:
                return queue.popleft()
            if self.transient_rate > 0 and self._rng.random() < self.transient_rate:
                if self._rng.random() < self.lost_response_rate:
                    self._lost_answers[target] += 1
                    return self._rng.choice(("lose_response", "broken_body", "drop"))
                if network == "vk":
                    return self._rng.choice((10, 1, "http500", "drop_before"))
                if network == "ok":
                    return self._rng.choice((1, 2, "http500", "drop_before"))
                return self._rng.choice(("http500", "drop_before"))
        return None

    def _rate_hit(self, network: str, token: str | None, method: str, limit) -> bool:
        """Count a request at arrival; True when it goes over the limit (a violation)."""
        if not limit or token is None:
            return False
        now = time.monotonic()
        window = self._rate[(network, token)]
        window.append(now)
        while window and window[0] <= now - self.rate_window_s:
            window.popleft()
        if len(window) > limit:
            self._violations.append(
                {
                    "network": network,
                    "token": token,
                    "method": method,
                    "time": self.now(),
                    "monotonic": now,
                    "count": len(window),
                    "limit": limit,
                }
            )
            return True
        return False

    def _run_with_fault(self, fault, action, error_reply):
        """Apply a failure around ``action`` (a callable producing the normal reply)."""
        if fault is None:
            return action()
        if fault == "timeout":
            time.sleep(self.timeout_sleep_s)
            return _Reply.http500()
        if fault == "http500":
            return _Reply.http500()
        if fault == "drop_before":
            reply = _Reply.http500()
            reply.drop = True
            return reply
        if fault == "drop":
            reply = action()
            reply.drop = True
            return reply
        if fault in ("lose_response", "broken_body"):
            reply = action()
            if fault == "lose_response":
                return _Reply.http500()
            reply.status = 200
            reply.truncate = True
            if len(reply.body) < 2:
                reply.body = reply.body + b"  "
            return reply
        return error_reply(fault)

    # ================================================================== VK API

    def _vk_entry(self, req: _Request, name: str) -> _Reply:
        params = req.params()
        token = params.get("access_token") or None
        auth = req.headers.get("Authorization") or ""
        if token is None and auth.lower().startswith("bearer "):
            token = auth[7:].strip() or None
        with self._lock:
            self._calls.append(("vk", name, token))
            info = self._vk_tokens.get(token) if token else None
            limit = self.vk_group_rate if info and info["kind"] == "group" else self.vk_user_rate
            violated = self._rate_hit("vk", token, name, limit)
        self._sleep_latency()

        def envelope(err: _VkError) -> _Reply:
            shown = [{"key": "method", "value": name}, {"key": "oauth", "value": "1"}]
            shown += [
                {"key": k, "value": v}
                for k, v in params.items()
                if k not in ("access_token", "method")
            ]
            error = {"error_code": err.code, "error_msg": err.msg, "request_params": shown}
            error.update(err.extra)
            return _Reply.json({"error": error})

        if violated:
            return envelope(_VkError(6))

        def injected(code):
            extra = {}
            if code == 14:
                extra = {"captcha_sid": "1234567890", "captcha_img": self.base_url + "/captcha.jpg"}
            return envelope(_VkError(int(code), **extra))

        def action():
            try:
                return _Reply.json({"response": self._vk_call(req, name, params, token)})
            except _VkError as err:
                return envelope(err)

        return self._run_with_fault(self._take_fault(name, "vk"), action, injected)

    def _vk_call(self, req: _Request, name: str, params: dict, token: str | None):
        spec = VK_METHODS.get(name) or VK_EXTRA_METHODS.get(name)
        if spec is None:
            raise _VkError(3)
        if req.is_json:
            raise _VkError(
                8,
                "JSON body is not supported, use application/x-www-form-urlencoded or multipart/form-data",
            )
        if req.malformed:
            raise _VkError(8, "malformed request body")
        v = params.get("v", "")
        if not v:
            raise _VkError(8, "v is required")
        if not re.fullmatch(r"\d+\.\d+", v):
            raise _VkError(8, "v (version) is invalid")
        with self._lock:
            if not token:
                raise _VkError(5, "no access_token passed.")
            info = self._vk_tokens.get(token)
            if info is None:
                raise _VkError(5, "invalid access_token (4).")
            if info["expires_at"] is not None and self.now() >= info["expires_at"]:
                raise _VkError(5, "access_token has expired.")
            if info["kind"] not in spec["access_token_type"]:
                if info["kind"] == "group":
                    raise _VkError(27, "method is unavailable with group auth.")
                if info["kind"] == "service":
                    raise _VkError(28, "method is unavailable with service token.")
                raise _VkError(15, "method is unavailable with user token.")
            tok = dict(info, token=token)
            args = _vk_check_params(name, spec["params"], params)
            handler = getattr(self, "_vk_" + name.replace(".", "_"))
            return handler(tok, args, params)

    # --- posts

    def _vk_new_post(
        self, owner_id, *, from_id, created_by, text, attachments, guid, post_type="post", date=None
    ):
        self._vk_wall_seq[owner_id] += 1
        post_id = self._vk_wall_seq[owner_id]
        post = {
            "id": post_id,
            "owner_id": owner_id,
            "from_id": from_id,
            "created_by": created_by,
            "date": int(self.now()) if date is None else int(date),
            "text": text,
            "attachments": attachments,
            "guid": guid,
            "post_type": post_type,
        }
        self._vk_walls[owner_id][post_id] = post
        return post

    def _vk_publish_due(self):
        now = self.now()
        for posts in self._vk_walls.values():
            for post in posts.values():
                if post["post_type"] == "postpone" and post["date"] <= now:
                    post["post_type"] = "post"

    def _vk_is_admin(self, tok, owner_id) -> bool:
        if owner_id < 0:
            return -owner_id in tok["admin_of"]
        return tok["user_id"] is not None and owner_id == tok["user_id"]

    def _vk_parse_attachments(self, items: list[str], link_title: str | None) -> list[dict]:
        result, media, links = [], 0, 0
        for item in items:
            item = item.strip()
            if not item:
                continue
            if re.match(r"(?i)https?://", item):
                links += 1
                if links > 1:
                    raise _vk_param_error("attachments param is invalid: only one link is allowed")
                host = urlsplit(item).hostname or ""
                result.append(
                    {
                        "type": "link",
                        "link": {
                            "url": item,
                            "title": link_title or "",
                            "caption": host,
                            "description": "",
                        },
                    }
                )
                continue
            m = _ATTACH_RE.fullmatch(item)
            if not m:
                raise _vk_param_error(f"attachments param is invalid: {item}")
            kind, owner, media_id, key = m.group(1), int(m.group(2)), int(m.group(3)), m.group(4)
            photo = self._vk_photos.get((owner, media_id)) if kind == "photo" else None
            if photo is None or (key is not None and key != photo["access_key"]):
                raise _vk_param_error(f"attachments param is invalid: {item} not found")
            media += 1
            if media > 10:
                raise _vk_param_error("attachments param is invalid: too many attachments")
            result.append({"type": "photo", "photo": _copy(photo)})
        return result

    def _vk_wall_post(self, tok, args, raw):
        now = self.now()
        owner_id = args.get("owner_id", tok["user_id"])
        from_group = args.get("from_group", False)
        if owner_id < 0:
            if -owner_id not in tok["admin_of"] or not from_group:
                raise _VkError(214)
        elif owner_id != tok["user_id"]:
            raise _VkError(214)
        self._vk_publish_due()
        if "post_id" in args:  # publish a deferred post now
            post = self._vk_walls[owner_id].get(args["post_id"])
            if post is None or post["post_type"] != "postpone":
                raise _vk_param_error("post_id is invalid")
            post["post_type"] = "post"
            post["date"] = int(now)
            return {"post_id": post["id"]}
        message = args.get("message", "")
        items = args.get("attachments", [])
        if not message and not items:
            raise _vk_param_error("invalid message param")
        attachments = self._vk_parse_attachments(items, args.get("link_title"))
        guid = args.get("guid")
        if guid is not None:
            seen = self._vk_guids.get((owner_id, guid))
            if seen and now - seen[1] < self.guid_window_s:
                return {"post_id": seen[0]}
        publish_date = args.get("publish_date")
        deferred = publish_date is not None and publish_date > now
        post = self._vk_new_post(
            owner_id,
            from_id=owner_id if owner_id < 0 else tok["user_id"],
            created_by=tok["user_id"],
            text=message,
            attachments=attachments,
            guid=guid,
            post_type="postpone" if deferred else "post",
            date=publish_date if deferred else None,
        )
        if guid is not None:
            self._vk_guids[(owner_id, guid)] = (post["id"], now)
        return {"post_id": post["id"]}

    def _vk_wall_edit(self, tok, args, raw):
        owner_id = args.get("owner_id", tok["user_id"])
        message = args.get("message", "")
        items = args.get("attachments", [])
        if not message and not items:
            raise _vk_param_error("invalid message param")
        post = self._vk_walls.get(owner_id, {}).get(args["post_id"])
        if post is None:
            raise _vk_param_error("post_id is invalid")
        if not self._vk_is_admin(tok, owner_id) and post.get("created_by") != tok["user_id"]:
            raise _VkError(15, "no access to edit this post")
        attachments = self._vk_parse_attachments(items, args.get("link_title"))
        post["text"] = message
        post["attachments"] = attachments
        post["edited"] = int(self.now())
        return {"post_id": post["id"]}

    def _vk_wall_delete(self, tok, args, raw):
        owner_id = args.get("owner_id", tok["user_id"])
        if "post_id" not in args:
            raise _vk_param_error("post_id is undefined")
        post = self._vk_walls.get(owner_id, {}).get(args["post_id"])
        if post is None:
            raise _VkError(104)
        if not self._vk_is_admin(tok, owner_id) and post.get("created_by") != tok["user_id"]:
            raise _VkError(210)
        del self._vk_walls[owner_id][args["post_id"]]
        self._vk_deleted[owner_id] += 1
        self._vk_deleted_posts[owner_id].append(post)
        if self._vk_pinned.get(owner_id) == post["id"]:
            del self._vk_pinned[owner_id]
        return 1

    def _vk_post_view(self, post) -> dict:
        view = _copy(post)
        view.pop("guid", None)
        comments = [
            c
            for c in self._vk_comments.get(post["owner_id"], {}).values()
            if c["post_id"] == post["id"]
        ]
        view["comments"] = {"count": len(comments), "can_post": 1}
        view["marked_as_ads"] = 0
        if self._vk_pinned.get(post["owner_id"]) == post["id"]:
            view["is_pinned"] = 1
        return view

    def _vk_extended(self, result: dict, posts) -> dict:
        owners = {p["owner_id"] for p in posts} | {p["from_id"] for p in posts}
        result["profiles"] = [_vk_user_obj(o) for o in sorted(owners) if o > 0]
        result["groups"] = [_vk_group_obj(-o, None) for o in sorted(owners) if o < 0]
        return result

    def _vk_wall_get(self, tok, args, raw):
        owner_raw = raw.get("owner_id", "")
        if owner_raw:
            owner_id = _int_or_none(owner_raw)
            if owner_id is None:
                raise _vk_param_error("owner_id not integer")
        elif raw.get("domain"):
            owner_id = _vk_resolve_screen_name(raw["domain"])
            if owner_id is None:
                raise _vk_param_error("domain is invalid")
        elif tok["user_id"] is not None:
            owner_id = tok["user_id"]
        else:
            raise _vk_param_error("owner_id is undefined")
        count = args.get("count", 20)
        if count > 100:
            raise _vk_param_error("count should be less or equal to 100")
        offset = args.get("offset", 0)
        flt = args.get("filter", "all")
        self._vk_publish_due()
        posts = list(self._vk_walls.get(owner_id, {}).values())
        if flt == "postponed":
            posts = (
                [p for p in posts if p["post_type"] == "postpone"]
                if self._vk_is_admin(tok, owner_id)
                else []
            )
        elif flt in ("all", "owner", "others"):
            posts = [p for p in posts if p["post_type"] == "post"]
            if flt == "owner":
                posts = [p for p in posts if p["from_id"] == owner_id]
            elif flt == "others":
                posts = [p for p in posts if p["from_id"] != owner_id]
        else:  # suggests, archived, donut: none in this fake
            posts = []
        pinned = self._vk_pinned.get(owner_id)
        posts.sort(
            key=lambda p: (p["id"] == pinned and flt != "postponed", p["date"], p["id"]),
            reverse=True,
        )
        page = posts[offset : offset + count]
        result = {"count": len(posts), "items": [self._vk_post_view(p) for p in page]}
        if args.get("extended"):
            self._vk_extended(result, page)
        return result

    def _vk_wall_getById(self, tok, args, raw):
        self._vk_publish_due()
        found = []
        for ref in args["posts"]:
            m = re.fullmatch(r"(-?\d+)_(\d+)", ref.strip())
            if not m:
                raise _vk_param_error("posts is invalid")
            owner_id, post_id = int(m.group(1)), int(m.group(2))
            post = self._vk_walls.get(owner_id, {}).get(post_id)
            if post is None:
                continue
            if post["post_type"] == "postpone" and not self._vk_is_admin(tok, owner_id):
                continue
            found.append(post)
        result = {"items": [self._vk_post_view(p) for p in found]}
        if args.get("extended"):
            self._vk_extended(result, found)
        return result

    # --- comments

    def _vk_is_banned(self, owner_id, from_id) -> bool:
        if owner_id >= 0 or from_id < 0:
            return False
        now = self.now()
        return any(
            b["group_id"] == -owner_id
            and b["owner_id"] == from_id
            and (b["end_date"] is None or b["end_date"] > now)
            for b in self._vk_bans
        )

    def _vk_new_comment(self, owner_id, post_id, from_id, text, reply_to_comment, attachments=()):
        post = self._vk_walls.get(owner_id, {}).get(post_id)
        if post is None:
            raise _vk_param_error("post_id is invalid")
        if self._vk_is_banned(owner_id, from_id):
            raise _VkError(15, "you are in the community's blacklist")
        parents: list[int] = []
        reply_to_user = None
        if reply_to_comment:
            parent = self._vk_comments[owner_id].get(int(reply_to_comment))
            if parent is None or parent["post_id"] != post_id:
                raise _vk_param_error("reply_to_comment is invalid")
            # VK threads are two levels deep: a reply to a reply stays in the root's thread.
            parents = parent["parents_stack"][:1] or [parent["id"]]
            reply_to_user = parent["from_id"]
        self._vk_wall_seq[owner_id] += 1
        comment = {
            "id": self._vk_wall_seq[owner_id],
            "from_id": from_id,
            "date": int(self.now()),
            "text": text,
            "post_id": post_id,
            "owner_id": owner_id,
            "parents_stack": parents,
            "attachments": list(attachments),
        }
        if reply_to_comment:
            comment["reply_to_comment"] = int(reply_to_comment)
            comment["reply_to_user"] = reply_to_user
        self._vk_comments[owner_id][comment["id"]] = comment
        return comment["id"]

    def _vk_wall_createComment(self, tok, args, raw):
        default_owner = -tok["group_id"] if tok["kind"] == "group" else tok["user_id"]
        owner_id = args.get("owner_id", default_owner)
        message = args.get("message", "")
        items = args.get("attachments", [])
        if not message and not items and "sticker_id" not in args:
            raise _vk_param_error("message is empty")
        if tok["kind"] == "group":
            if owner_id != -tok["group_id"]:
                raise _VkError(15, "group can comment only on its own wall")
            from_id = -tok["group_id"]
        elif args.get("from_group"):
            if args["from_group"] not in tok["admin_of"]:
                raise _VkError(15, "not an admin of from_group")
            from_id = -args["from_group"]
        else:
            from_id = tok["user_id"]
        attachments = self._vk_parse_attachments(items, None)
        guid = args.get("guid")
        now = self.now()
        key = (owner_id, args["post_id"], from_id, guid)
        if guid is not None:
            seen = self._vk_comment_guids.get(key)
            if seen and now - seen[1] < self.guid_window_s:
                comment = self._vk_comments[owner_id].get(seen[0])
                return {
                    "comment_id": seen[0],
                    "parents_stack": comment["parents_stack"] if comment else [],
                }
        cid = self._vk_new_comment(
            owner_id, args["post_id"], from_id, message, args.get("reply_to_comment"), attachments
        )
        if guid is not None:
            self._vk_comment_guids[key] = (cid, now)
        return {
            "comment_id": cid,
            "parents_stack": list(self._vk_comments[owner_id][cid]["parents_stack"]),
        }

    def _vk_wall_getComments(self, tok, args, raw):
        owner_id = args.get("owner_id", tok["user_id"] or 0)
        if "post_id" not in args:
            raise _vk_param_error("post_id is undefined")
        if args["post_id"] not in self._vk_walls.get(owner_id, {}):
            raise _vk_param_error("post_id is invalid")
        count = args.get("count", 10)
        if count > 100:
            raise _vk_param_error("count should be less or equal to 100")
        all_comments = [
            c
            for c in self._vk_comments.get(owner_id, {}).values()
            if c["post_id"] == args["post_id"]
        ]
        root = args.get("comment_id")
        if root:
            level = [c for c in all_comments if c["parents_stack"][:1] == [root]]
        else:
            level = [c for c in all_comments if not c["parents_stack"]]
        level.sort(key=lambda c: c["id"], reverse=args.get("sort") == "desc")
        start = args.get("start_comment_id")
        if start:
            if args.get("sort") == "desc":
                level = [c for c in level if c["id"] <= start]
            else:
                level = [c for c in level if c["id"] >= start]
        offset = args.get("offset", 0)
        page = level[offset : offset + count]
        inline = args.get("thread_items_count", 0)
        preview = args.get("preview_length", 0)
        items = []
        for c in page:
            view = _copy(c)
            if preview:
                view["text"] = view["text"][:preview]
            replies = sorted(
                (r for r in all_comments if r["parents_stack"][:1] == [c["id"]]),
                key=lambda r: r["id"],
            )
            view["thread"] = {
                "count": len(replies),
                "items": [_copy(r) for r in replies[:inline]],
                "can_post": True,
                "show_reply_button": True,
                "groups_can_post": True,
            }
            items.append(view)
        result = {
            "count": len(level),
            "current_level_count": len(level),
            "can_post": True,
            "groups_can_post": True,
            "show_reply_button": True,
            "items": items,
        }
        if args.get("extended"):
            ids = {c["from_id"] for c in page}
            result["profiles"] = [_vk_user_obj(i) for i in sorted(ids) if i > 0]
            result["groups"] = [_vk_group_obj(-i, None) for i in sorted(ids) if i < 0]
        return result

    def _vk_wall_deleteComment(self, tok, args, raw):
        owner_id = args.get("owner_id", tok["user_id"])
        comment = self._vk_comments.get(owner_id, {}).get(args["comment_id"])
        if comment is None:
            raise _VkError(104)
        if not self._vk_is_admin(tok, owner_id) and comment["from_id"] != tok["user_id"]:
            raise _VkError(211)
        del self._vk_comments[owner_id][args["comment_id"]]
        self._vk_deleted_comments.append(dict(comment, deleted_at=self.now()))
        return 1

    def _vk_wall_restoreComment(self, tok, args, raw):
        owner_id = args.get("owner_id", tok["user_id"])
        gone = next(
            (
                c
                for c in reversed(self._vk_deleted_comments)
                if c["owner_id"] == owner_id and c["id"] == args["comment_id"]
            ),
            None,
        )
        if gone is None:
            if args["comment_id"] in self._vk_comments.get(owner_id, {}):
                raise _vk_param_error("comment is not deleted")
            raise _VkError(104)
        if not self._vk_is_admin(tok, owner_id):
            raise _VkError(211)
        if self.now() - gone["deleted_at"] > VK_RESTORE_WINDOW_S:
            raise _VkError(104, "comment can not be restored any more")
        self._vk_deleted_comments.remove(gone)
        comment = {k: v for k, v in gone.items() if k != "deleted_at"}
        self._vk_comments[owner_id][comment["id"]] = comment
        return 1

    def _vk_wall_editComment(self, tok, args, raw):
        owner_id = args.get("owner_id", tok["user_id"])
        comment = self._vk_comments.get(owner_id, {}).get(args["comment_id"])
        if comment is None:
            raise _VkError(104)
        author = comment["from_id"]
        own = author == tok["user_id"] or (author < 0 and -author in tok["admin_of"])
        if not own:
            raise _VkError(15, "only the author can edit a comment")
        message = args.get("message", "")
        items = args.get("attachments", [])
        if not message and not items:
            raise _vk_param_error("message is empty")
        comment["text"] = message
        comment["attachments"] = self._vk_parse_attachments(items, None)
        return 1

    def _vk_groups_unban(self, tok, args, raw):
        group_id = args["group_id"]
        if group_id not in tok["admin_of"]:
            raise _VkError(15, "you are not an admin of this community")
        if "owner_id" not in args:
            raise _vk_param_error("owner_id is undefined")
        self._vk_bans = [
            b
            for b in self._vk_bans
            if not (b["group_id"] == group_id and b["owner_id"] == args["owner_id"])
        ]
        return 1

    def _vk_groups_ban(self, tok, args, raw):
        group_id = args["group_id"]
        if group_id not in tok["admin_of"]:
            raise _VkError(15, "you are not an admin of this community")
        if "owner_id" not in args:
            raise _vk_param_error("owner_id is undefined")
        reason = args.get("reason", 0)
        if reason not in (0, 1, 2, 3, 4):
            raise _vk_param_error("reason is invalid")
        end_date = args.get("end_date")
        if end_date is not None and end_date > self.now() + 366 * 86400:
            raise _vk_param_error("end_date is invalid")
        self._vk_bans.append(
            {
                "group_id": group_id,
                "owner_id": args["owner_id"],
                "end_date": end_date,
                "reason": reason,
                "comment": args.get("comment", ""),
                "comment_visible": bool(args.get("comment_visible")),
                "by": tok["user_id"],
            }
        )
        return 1

    def _vk_users_get(self, tok, args, raw):
        ids = args.get("user_ids") or ([str(tok["user_id"])] if tok["user_id"] else [])
        users = []
        for ref in ids:
            uid = _int_or_none(ref)
            if uid is None:
                m = re.fullmatch(r"id(\d+)", ref.strip())
                if not m:
                    raise _VkError(113)
                uid = int(m.group(1))
            users.append(_vk_user_obj(uid))
        return users

    def _vk_groups_getById(self, tok, args, raw):
        refs = list(args.get("group_ids", []))
        if args.get("group_id"):
            refs.append(args["group_id"])
        if not refs and tok["group_id"]:
            refs = [str(tok["group_id"])]
        if not refs:
            raise _vk_param_error("group_ids is undefined")
        groups = []
        for ref in refs:
            gid = _int_or_none(ref)
            if gid is None:
                owner = _vk_resolve_screen_name(ref)
                if owner is None or owner >= 0:
                    raise _vk_param_error("group_ids is invalid")
                gid = -owner
            groups.append(_vk_group_obj(abs(gid), tok))
        return {"groups": groups, "profiles": []}

    # --- photo upload

    def _vk_photos_getWallUploadServer(self, tok, args, raw):
        group_id = args.get("group_id")
        if group_id is not None:
            group_id = abs(group_id)
            if group_id not in tok["admin_of"]:
                raise _VkError(203)
        upload_id = f"{self._rng.getrandbits(64):016x}"
        self._vk_upload_servers[upload_id] = {
            "owner_id": -group_id if group_id else tok["user_id"],
            "group_id": group_id,
            "user_id": tok["user_id"],
            "created": self.now(),
        }
        query = f"?act=do_add&mid={tok['user_id']}&aid=-14" + (
            f"&gid={group_id}" if group_id else ""
        )
        return {
            "upload_url": f"{self.base_url}/upload/vk/{upload_id}{query}",
            "album_id": -14,
            "user_id": tok["user_id"],
        }

    def _vk_upload(self, upload_id: str, req: _Request) -> _Reply:
        with self._lock:
            server = self._vk_upload_servers.get(upload_id)
            if server is None or self.now() - server["created"] > self.upload_ttl_s:
                return _Reply.json({"error": "ERR_UPLOAD_BAD_URL: unknown or expired upload url"})
            server_no = 100000 + self._rng.randrange(900000)
            photo_file = next((f for f in req.files if f[0] == "photo"), None)
            if not req.is_multipart or photo_file is None or _image_kind(photo_file[2]) is None:
                photo = "[]"
            else:
                key = f"{self._rng.getrandbits(96):024x}"
                photo = json.dumps(
                    [
                        {
                            "markers_restarted": True,
                            "photo": f"{key}:x",
                            "sizes": [],
                            "latitude": 0,
                            "longitude": 0,
                            "kid": _md5(key)[:32],
                        }
                    ],
                    separators=(",", ":"),
                )
                self._vk_uploads[key] = {
                    "server": server_no,
                    "upload_server": upload_id,
                    "owner_id": server["owner_id"],
                    "group_id": server["group_id"],
                    "user_id": server["user_id"],
                    "filename": photo_file[1],
                    "kind": _image_kind(photo_file[2]),
                    "size": len(photo_file[2]),
                    "saved": False,
                }
            upload_hash = _md5(f"{photo}|{server_no}|fake-secret")
            if photo != "[]":
                self._vk_uploads[key]["hash"] = upload_hash
            return _Reply.json({"server": server_no, "photo": photo, "hash": upload_hash})

    def _vk_photos_saveWallPhoto(self, tok, args, raw):
        try:
            parsed = json.loads(args["photo"])
            key = parsed[0]["photo"].split(":")[0]
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            raise _vk_param_error("photos_list is invalid") from None
        upload = self._vk_uploads.get(key)
        if upload is None:
            raise _vk_param_error("photos_list is invalid")
        if args.get("server") != upload["server"]:
            raise _VkError(118)
        if args.get("hash") != upload["hash"] or upload["saved"]:
            raise _VkError(121)
        group_id = args.get("group_id") or None
        if group_id != upload["group_id"] or tok["user_id"] != upload["user_id"]:
            raise _VkError(121)
        upload["saved"] = True
        self._vk_photo_seq += 1
        photo = {
            "id": self._vk_photo_seq,
            "owner_id": upload["owner_id"],
            "album_id": -14,
            "date": int(self.now()),
            "access_key": f"{self._rng.getrandbits(72):018x}",
            "sizes": [],
            "text": args.get("caption", ""),
            "user_id": 100 if group_id else tok["user_id"],
            "has_tags": False,
        }
        self._vk_photos[(photo["owner_id"], photo["id"])] = photo
        return [_copy(photo)]

    # ================================================================== VK ID

    def _oauth_entry(self, req: _Request) -> _Reply:
        params = req.params()
        with self._lock:
            self._calls.append(("vk_id", _OAUTH_TARGET, params.get("refresh_token")))
        self._sleep_latency()
        state = params.get("state")

        def error_reply(error, description, status=400):
            body = {"error": error, "error_description": description}
            if state is not None:
                body["state"] = state
            return _Reply.json(body, status=status)

        def injected(failure):
            if isinstance(failure, int):
                return error_reply("server_error", "internal server error", 500)
            return error_reply(str(failure), f"injected {failure}")

        def action():
            try:
                return _Reply.json(self._oauth_refresh(req, params))
            except _OAuthError as err:
                return error_reply(err.error, err.description, err.status)

        return self._run_with_fault(self._take_fault(_OAUTH_TARGET, "vk_id"), action, injected)

    def _oauth_refresh(self, req: _Request, params: dict) -> dict:
        if req.verb != "POST":
            raise _OAuthError("invalid_request", "POST is required")
        if req.is_json:
            raise _OAuthError("invalid_request", "JSON body is not supported")
        grant_type = params.get("grant_type")
        if not grant_type:
            raise _OAuthError("invalid_request", "grant_type is required")
        if grant_type != "refresh_token":
            raise _OAuthError("unsupported_grant_type", f"grant_type {grant_type} is not supported")
        for field in ("refresh_token", "client_id", "device_id", "state"):
            if not params.get(field):
                raise _OAuthError("invalid_request", f"{field} is required")
        with self._lock:
            record = self._vk_refresh.get(params["refresh_token"])
            if record is None or record["used"]:
                raise _OAuthError(
                    "invalid_grant", "refresh token is invalid, expired or already used"
                )
            if record["client_id"] != params["client_id"]:
                raise _OAuthError("invalid_client", "client_id does not match the refresh token")
            if record["device_id"] != params["device_id"]:
                raise _OAuthError("invalid_grant", "device_id does not match the refresh token")
            record["used"] = True
            now = self.now()
            old = record["access_token"]
            if old and old in self._vk_tokens:
                old_info = self._vk_tokens[old]
                dies = now + self.old_token_grace_s if self.old_token_grace_s > 0 else now - 1e-6
                if old_info["expires_at"] is None or old_info["expires_at"] > dies:
                    old_info["expires_at"] = dies
            access = "vk2.a." + f"{self._rng.getrandbits(192):048x}"
            refresh = "vk2.r." + f"{self._rng.getrandbits(192):048x}"
            expires_in = record["access_expires_in"]
            self._vk_tokens[access] = {
                "kind": "user",
                "user_id": record["user_id"],
                "group_id": None,
                "admin_of": frozenset(record["admin_of"]),
                "expires_at": None if expires_in is None else now + expires_in,
            }
            self._vk_refresh[refresh] = dict(record, used=False, access_token=access)
            scope = params.get("scope") or "vkid.personal_info wall photos groups"
            return {
                "access_token": access,
                "refresh_token": refresh,
                "id_token": "eyJhbGciOiJub25lIn0."
                + base64.urlsafe_b64encode(json.dumps({"sub": record["user_id"]}).encode())
                .decode()
                .rstrip("=")
                + ".",
                "token_type": "Bearer",
                "expires_in": expires_in,
                "user_id": record["user_id"],
                "state": params["state"],
                "scope": scope,
            }

    # ================================================================== uploads (both)

    def _upload_entry(self, req: _Request, network: str, upload_id: str) -> _Reply:
        target = f"{network}_upload"
        with self._lock:
            self._calls.append((network, target, None))
        self._sleep_latency()

        def action():
            if network == "vk":
                return self._vk_upload(upload_id, req)
            return self._ok_upload(upload_id, req)

        return self._run_with_fault(
            self._take_fault(target, network), action, lambda _code: _Reply.http500()
        )

    # ================================================================== OK API

    def _ok_entry(self, req: _Request) -> _Reply:
        params = req.params()
        path_method = None
        if req.path.startswith("/api/"):
            bits = [b for b in req.path[len("/api/") :].split("/") if b]
            if len(bits) == 2:
                path_method = f"{bits[0]}.{bits[1]}"
        method = path_method or params.get("method") or ""
        token = params.get("access_token") or params.get("session_key") or None
        with self._lock:
            self._calls.append(("ok", method, token))
            violated = self._rate_hit(
                "ok", token or params.get("application_key"), method, self.ok_rate
            )
        self._sleep_latency()

        def envelope(err: _OkError) -> _Reply:
            reply = _Reply.json({"error_code": err.code, "error_msg": err.msg, "error_data": None})
            reply.headers["invocation-error"] = str(err.code)
            return reply

        if violated:
            return envelope(_OkError(8, "Too many requests"))

        def action():
            try:
                return _Reply.json(self._ok_call(req, params, method, path_method))
            except _OkError as err:
                return envelope(err)

        return self._run_with_fault(
            self._take_fault(method, "ok"),
            action,
            lambda code: envelope(_OkError(int(code), "injected failure")),
        )

    def _ok_call(self, req: _Request, params: dict, method: str, path_method: str | None):
        if req.is_json:
            raise _OkError(4, "JSON body is not supported")
        if req.malformed:
            raise _OkError(4, "malformed request body")
        if not method:
            raise _OkError(100, "Missing required parameter method")
        if method not in _OK_METHODS:
            raise _OkError(3, f"Method {method} does not exist")
        with self._lock:
            app_key = params.get("application_key")
            if not app_key or app_key not in self._ok_apps:
                raise _OkError(101, "Application key is missing or invalid")
            app_secret = self._ok_apps[app_key]
            access_token = params.get("access_token")
            session_key = params.get("session_key")
            if not access_token and not session_key:
                raise _OkError(453, f"Session is required for method {method}")
            info = self._ok_tokens.get(access_token or session_key)
            if info is None:
                if access_token:
                    raise _OkError(102, "Session expired")
                raise _OkError(103, "Invalid session key")
            if info["expires_at"] is not None and self.now() >= info["expires_at"]:
                raise _OkError(102, "Session expired")
            sig = params.get("sig")
            if not sig:
                raise _OkError(104, "No signature specified")
            kwargs = {
                "app_secret": app_secret,
                "access_token": access_token or session_key,
                "session_secret": info["session_secret"],
            }
            candidates = [ok_signature(params, **kwargs)]
            if path_method and "method" not in params:
                candidates.append(ok_signature(dict(params, method=path_method), **kwargs))
            if sig not in candidates:
                raise _OkError(104, f"Invalid signature {sig}")
            tok = dict(info, token=access_token or session_key)
            self._ok_publish_due()
            handler = getattr(self, "_ok_" + method.replace(".", "_"))
            return handler(tok, params)

    # --- small ones

    def _ok_events_get(self, tok, params):
        return []

    def _ok_users_getCurrentUser(self, tok, params):
        uid = str(tok["user_id"])
        return {"uid": uid, "first_name": "User", "last_name": uid, "name": f"User {uid}"}

    # --- photo upload

    def _ok_gid(self, params, required=False) -> str | None:
        gid = params.get("gid")
        if not gid:
            if required:
                raise _OkError(160, "gid is missing")
            return None
        if not re.fullmatch(r"\d+", gid):
            raise _OkError(160, f"Invalid group id {gid}")
        return str(int(gid))

    def _ok_photosV2_getUploadUrl(self, tok, params):
        gid = self._ok_gid(params)
        if gid is not None and gid not in tok["admin_of"]:
            raise _OkError(50, f"User is not an admin of group {gid}")
        count_raw = params.get("count", "1") or "1"
        count = _int_or_none(count_raw)
        if count is None or not 1 <= count <= 100:
            raise _OkError(100, "count must be between 1 and 100")
        upload_id = f"{self._rng.getrandbits(64):016x}"
        photo_ids = []
        for _ in range(count):
            self._ok_photo_seq += 1
            photo_ids.append(f"{self._ok_photo_seq}")
        now_ms = int(self.now() * 1000)
        ttl_ms = int(self.upload_ttl_s * 1000)
        self._ok_upload_urls[upload_id] = {
            "gid": gid,
            "user_id": tok["user_id"],
            "photo_ids": photo_ids,
            "expires_ms": now_ms + ttl_ms,
            "uploaded": set(),
        }
        return {
            "upload_url": f"{self.base_url}/upload/ok/{upload_id}?photoIds={','.join(photo_ids)}",
            "photo_ids": photo_ids,
            "expires_ms": now_ms + ttl_ms,
            "ttl_ms": ttl_ms,
        }

    def _ok_upload(self, upload_id: str, req: _Request) -> _Reply:
        def err(code, detail):
            reply = _Reply.json(
                {"error_code": code, "error_msg": _OkError(code, detail).msg, "error_data": None}
            )
            reply.headers["invocation-error"] = str(code)
            return reply

        with self._lock:
            upload = self._ok_upload_urls.get(upload_id)
            if upload is None or int(self.now() * 1000) > upload["expires_ms"]:
                return err(100, "upload url is unknown or expired")
            if not req.is_multipart or req.malformed:
                return err(21, "Request is not multipart")
            if not req.files:
                return err(505, "No image in the request")
            wanted = req.query.get("photoIds")
            ids = [i for i in wanted.split(",") if i] if wanted else list(upload["photo_ids"])
            if any(i not in upload["photo_ids"] for i in ids):
                return err(100, "photoIds do not belong to this upload url")
            if len(req.files) > len(ids):
                return err(100, "more files than photo ids")
            for _field, _filename, data in req.files:
                if not data:
                    return err(505, "Empty file")
                if _image_kind(data) is None:
                    return err(503, "Invalid photo format")
            photos = {}
            for photo_id, (_field, filename, data) in zip(ids, req.files, strict=False):
                token = f"{self._rng.getrandbits(160):040x}"
                self._ok_photo_tokens[token] = {
                    "photo_id": photo_id,
                    "gid": upload["gid"],
                    "user_id": upload["user_id"],
                    "filename": filename,
                    "size": len(data),
                    "used": False,
                }
                upload["uploaded"].add(photo_id)
                photos[photo_id] = {"token": token}
            return _Reply.json({"photos": photos})

    # --- topics

    def _ok_new_topic(
        self,
        owner_ref: str,
        gid: str | None,
        media: list,
        topic_type: str,
        author_uid=None,
        publish_at_ms=None,
        suggested=False,
    ) -> dict:
        self._ok_topic_seq += 1
        topic = {
            "id": str(self._ok_topic_seq),
            "created_ms": int(self.now() * 1000),
            "owner_ref": owner_ref,
            "author_ref": owner_ref if gid and not suggested else f"user:{author_uid}",
            "type": topic_type,
            "gid": gid,
            "media": media,
            "publish_at_ms": publish_at_ms,
            "suggested": suggested,
        }
        key = gid if gid else owner_ref
        self._ok_topics[key].append(topic)
        return topic

    def _ok_publish_due(self):
        now_ms = int(self.now() * 1000)
        for topics in self._ok_topics.values():
            for topic in topics:
                if topic["publish_at_ms"] is not None and topic["publish_at_ms"] <= now_ms:
                    self._ok_topic_seq += 1
                    topic["republished_from"] = topic["id"]
                    topic["id"] = str(self._ok_topic_seq)
                    topic["created_ms"] = topic["publish_at_ms"]
                    topic["publish_at_ms"] = None

    def _ok_mediatopic_post(self, tok, params):
        topic_type = params.get("type")
        if not topic_type:
            raise _OkError(100, "Missing required parameter type")
        if topic_type not in _OK_TOPIC_TYPES:
            raise _OkError(100, f"Invalid type {topic_type}")
        raw = params.get("attachment")
        if not raw:
            raise _OkError(100, "Missing required parameter attachment")
        try:
            attachment = json.loads(raw)
        except ValueError:
            raise _OkError(100, "attachment is not valid JSON") from None
        if (
            not isinstance(attachment, dict)
            or not isinstance(attachment.get("media"), list)
            or not attachment["media"]
        ):
            raise _OkError(100, 'attachment must be {"media": [...]} with at least one block')
        if topic_type in _OK_GROUP_TYPES:
            gid = self._ok_gid(params, required=True)
            if topic_type != "GROUP_SUGGESTED" and gid not in tok["admin_of"]:
                raise _OkError(50, f"User is not an admin of group {gid}")
        else:
            if params.get("gid"):
                raise _OkError(100, f"gid is not allowed with type {topic_type}")
            gid = None
        publish_at_ms = None
        if attachment.get("publishAt"):
            try:
                when = dt.datetime.strptime(
                    str(attachment["publishAt"]), "%Y-%m-%d %H:%M:%S"
                ).replace(tzinfo=MSK)
            except ValueError:
                raise _OkError(100, "publishAt must be YYYY-MM-DD HH:MM:SS") from None
            publish_at_ms = int(when.timestamp() * 1000)
            if publish_at_ms <= int(self.now() * 1000):
                publish_at_ms = None
        tokens_used = []
        for block in attachment["media"]:
            if not isinstance(block, dict):
                raise _OkError(100, "media block must be an object")
            kind = block.get("type")
            if kind == "text":
                text = block.get("text")
                if not isinstance(text, str):
                    raise _OkError(100, "text block needs text")
                if len(text) > OK_TEXT_LIMIT:
                    raise _OkError(601, f"Text is longer than {OK_TEXT_LIMIT} characters")
            elif kind == "link":
                url = block.get("url")
                if not isinstance(url, str) or not re.match(r"(?i)https?://[^\s/]+", url):
                    raise _OkError(607, f"Bad link {url!r}")
            elif kind == "photo":
                items = block.get("list")
                if not isinstance(items, list) or not items:
                    raise _OkError(100, "photo block needs a list")
                for item in items:
                    photo_token = item.get("id") if isinstance(item, dict) else None
                    record = (
                        self._ok_photo_tokens.get(photo_token)
                        if isinstance(photo_token, str)
                        else None
                    )
                    if (
                        record is None
                        or record["used"]
                        or photo_token in tokens_used
                        or record["gid"] != gid
                        or (gid is None and record["user_id"] != tok["user_id"])
                    ):
                        raise _OkError(121, f"Invalid photo id {photo_token}")
                    tokens_used.append(photo_token)
            elif kind == "poll":
                if not block.get("question") or not isinstance(block.get("answers"), list):
                    raise _OkError(100, "poll block needs question and answers")
            else:
                raise _OkError(100, f"Unsupported media type {kind!r}")
        for photo_token in tokens_used:
            self._ok_photo_tokens[photo_token]["used"] = True
        owner_ref = f"group:{gid}" if gid else f"user:{tok['user_id']}"
        topic = self._ok_new_topic(
            owner_ref,
            gid,
            attachment["media"],
            topic_type,
            author_uid=tok["user_id"],
            publish_at_ms=publish_at_ms,
            suggested=topic_type == "GROUP_SUGGESTED",
        )
        return topic["id"]

    def _ok_topic_entity(self, topic, media_limit=None) -> dict:
        media = []
        for block in topic["media"]:
            block = _copy(block)
            if block.get("type") == "photo":
                refs = []
                for item in block.get("list", []):
                    record = self._ok_photo_tokens.get(item.get("id"))
                    if record:
                        prefix = "group_photo" if record["gid"] else "user_photo"
                        refs.append(f"{prefix}:{record['photo_id']}")
                block["photo_refs"] = refs
            media.append(block)
        has_more = False
        if media_limit is not None and len(media) > media_limit:
            media, has_more = media[:media_limit], True
        return {
            "id": topic["id"],
            "ref": f"media_topic:{topic['id']}",
            "created_ms": topic["created_ms"],
            "author_ref": topic["author_ref"],
            "owner_ref": topic["owner_ref"],
            "media": media,
            "has_more": has_more,
        }

    def _ok_find_topic(self, topic_id: str):
        for topics in self._ok_topics.values():
            for topic in topics:
                if topic["id"] == topic_id:
                    return topic
        return None

    def _ok_stream_get(self, tok, params):
        gid = self._ok_gid(params)
        key = gid if gid else f"user:{tok['user_id']}"
        patterns = [
            p.strip().upper() for p in (params.get("patterns") or "POST").split(",") if p.strip()
        ]
        fields = [f.strip() for f in (params.get("fields") or "").split(",") if f.strip()]
        want_topics = any(f == "media_topic.*" or f.startswith("media_topic.") for f in fields)
        count = _int_or_none(params.get("count") or "20")
        if count is None or count < 1:
            raise _OkError(100, "count is invalid")
        count = min(count, 100)
        direction = (params.get("direction") or "FORWARD").upper()
        if direction not in ("FORWARD", "BACKWARD", "AROUND"):
            raise _OkError(100, "direction is invalid")
        topics = (
            [
                t
                for t in self._ok_topics.get(key, [])
                if t["publish_at_ms"] is None and not t["suggested"]
            ]
            if "POST" in patterns
            else []
        )
        topics.sort(key=lambda t: (t["created_ms"], int(t["id"])), reverse=True)
        anchor = params.get("anchor")
        if anchor:
            try:
                pos = json.loads(base64.urlsafe_b64decode(anchor.encode() + b"==").decode())
                mark = (int(pos["ms"]), int(pos["id"]))
            except (ValueError, KeyError, TypeError):
                raise _OkError(100, "anchor is invalid") from None
            if direction == "BACKWARD":
                newer = [t for t in topics if (t["created_ms"], int(t["id"])) > mark]
                page = newer[-count:]
            else:
                page = [t for t in topics if (t["created_ms"], int(t["id"])) < mark][:count]
        else:
            page = topics[:count]
        if page:
            last = page[-1] if direction != "BACKWARD" else page[0]
            new_anchor = (
                base64.urlsafe_b64encode(
                    json.dumps({"ms": last["created_ms"], "id": last["id"]}).encode()
                )
                .decode()
                .rstrip("=")
            )
        else:
            new_anchor = anchor or ""
        if direction == "BACKWARD":
            has_more = bool(page) and (page[0] is not topics[0])
        else:
            has_more = bool(page) and page[-1] is not topics[-1]
        feeds = []
        for t in page:
            feeds.append(
                {
                    "pattern": "POST",
                    "date": dt.datetime.fromtimestamp(t["created_ms"] / 1000, MSK).strftime(
                        "%Y-%m-%d %H:%M:%S"
                    ),
                    "date_ms": t["created_ms"],
                    "target_refs": [f"media_topic:{t['id']}"],
                    "owner_refs": [t["owner_ref"]],
                    "author_refs": [t["author_ref"]],
                }
            )
        entities: dict = {}
        if want_topics:
            entities["media_topics"] = [self._ok_topic_entity(t) for t in page]
        if gid:
            entities["groups"] = [{"uid": gid, "name": f"Group {gid}", "ref": f"group:{gid}"}]
        return {"feeds": feeds, "entities": entities, "anchor": new_anchor, "has_more": has_more}

    def _ok_mediatopic_getByIds(self, tok, params):
        ids = [i.strip() for i in (params.get("topic_ids") or "").split(",") if i.strip()]
        if not ids:
            raise _OkError(100, "Missing required parameter topic_ids")
        limit_raw = params.get("media_limit")
        media_limit = None
        if limit_raw:
            media_limit = _int_or_none(limit_raw)
            if media_limit is None or not 1 <= media_limit <= 3:
                raise _OkError(100, "media_limit must be between 1 and 3")
        elif len(ids) > 1:
            raise _OkError(100, "media_limit is required when asking for several topic_ids")
        found = []
        for topic_id in ids:
            topic = self._ok_find_topic(topic_id)
            if topic is not None:
                found.append(self._ok_topic_entity(topic, media_limit))
        return {"media_topics": found}

    # --- discussions

    def _ok_new_comment(self, topic_id, author_id, text, reply_to_comment_id=None, as_admin=False):
        topic = self._ok_find_topic(topic_id)
        if topic is not None and any(
            b["gid"] == topic["gid"] and b["user_id"] == author_id for b in self._ok_bans
        ):
            raise _OkError(50, "User is in the group's black list")
        self._ok_comment_seq += 1
        reply_to_id = None
        if reply_to_comment_id:
            parent = next(
                (c for c in self._ok_comments[topic_id] if c["id"] == str(reply_to_comment_id)),
                None,
            )
            if parent is None:
                raise _OkError(700, f"Comment {reply_to_comment_id} not found")
            reply_to_id = parent["author_id"]
        comment = {
            "id": f"c{self._ok_comment_seq:012d}",
            "author_id": author_id,
            "text": text,
            "date": dt.datetime.fromtimestamp(self.now(), MSK).strftime("%Y-%m-%d %H:%M:%S"),
            "date_ms": int(self.now() * 1000),
            "reply_to_comment_id": str(reply_to_comment_id) if reply_to_comment_id else None,
            "reply_to_id": reply_to_id,
            "as_admin": as_admin,
        }
        self._ok_comments[topic_id].append(comment)
        return comment

    def _ok_discussion_topic(self, params, id_field, type_field):
        topic_id = params.get(id_field)
        dtype = params.get(type_field)
        if not topic_id:
            raise _OkError(100, f"Missing required parameter {id_field}")
        if not dtype:
            raise _OkError(100, f"Missing required parameter {type_field}")
        if dtype != "GROUP_TOPIC":
            raise _OkError(106, f"Unsupported discussion type {dtype}")
        topic = self._ok_find_topic(topic_id)
        if topic is None:
            raise _OkError(106, f"Invalid discussion id {topic_id}")
        return topic

    def _ok_discussions_getComments(self, tok, params):
        """Pages by an opaque anchor that names a comment (not a position), so deletions between
        two calls neither skip nor repeat comments; FORWARD lists comments after the anchor's,
        BACKWARD those before it."""
        topic = self._ok_discussion_topic(params, "discussionId", "discussionType")
        comments = list(self._ok_comments.get(topic["id"], []))
        count = min(_int_or_none(params.get("count") or "20") or 20, 100)
        anchor = params.get("anchor") or "FIRST"
        direction = (params.get("direction") or "FORWARD").upper()
        ids = [c["id"] for c in comments]

        def encode(comment_id):
            return base64.urlsafe_b64encode(comment_id.encode()).decode().rstrip("=")

        if anchor in ("FIRST", "UNREAD"):
            page = comments[:count]
            has_more = len(comments) > count
        elif anchor == "LAST":
            page = comments[-count:] if direction == "BACKWARD" else []
            has_more = len(comments) > count if direction == "BACKWARD" else False
        else:
            try:
                mark = base64.urlsafe_b64decode(anchor.encode() + b"==").decode()
            except ValueError:
                raise _OkError(100, "anchor is invalid") from None
            if not mark.startswith("c"):
                raise _OkError(100, "anchor is invalid")
            if direction == "BACKWARD":
                before = [c for c, i in zip(comments, ids, strict=True) if i < mark]
                page = before[-count:]
                has_more = len(before) > count
            else:
                after = [c for c, i in zip(comments, ids, strict=True) if i > mark]
                page = after[:count]
                has_more = len(after) > count
        if page:
            edge = page[0]["id"] if direction == "BACKWARD" else page[-1]["id"]
            new_anchor = encode(edge)
        elif anchor in ("FIRST", "UNREAD", "LAST"):
            new_anchor = ""
        else:
            new_anchor = anchor
        return {
            "comments": [
                {k: c[k] for k in OK_COMMENT_FIELDS if c.get(k) is not None} for c in page
            ],
            "anchor": new_anchor,
            "has_more": has_more,
        }

    def _ok_discussions_addDiscussionComment(self, tok, params):
        topic = self._ok_discussion_topic(params, "entityId", "entityType")
        text = params.get("comment")
        if not text:
            raise _OkError(100, "Missing required parameter comment")
        as_admin = (params.get("as_admin") or "").lower() in ("true", "1")
        if as_admin and topic["gid"] not in tok["admin_of"]:
            raise _OkError(50, "User is not an admin of the group")
        # ok.md does not say whose id an official comment carries: the admin's own, here, so that
        # nothing can tell our answer from a citizen's by its author.
        author = str(tok["user_id"])
        comment = self._ok_new_comment(
            topic["id"], author, text, params.get("reply_to_comment_id"), as_admin
        )
        return comment["id"]

    def _ok_discussions_deleteDiscussionComment(self, tok, params):
        topic = self._ok_discussion_topic(params, "discussionId", "discussionType")
        comment_id = params.get("comment_id")
        if not comment_id:
            raise _OkError(100, "Missing required parameter comment_id")
        comments = self._ok_comments.get(topic["id"], [])
        comment = next((c for c in comments if c["id"] == comment_id), None)
        if comment is None:
            raise _OkError(700, f"Comment {comment_id} not found")
        if topic["gid"] not in tok["admin_of"] and comment["author_id"] != str(tok["user_id"]):
            raise _OkError(50, "Only the owner of the discussed object can delete comments")
        comments.remove(comment)
        self._ok_deleted_comments.append(dict(comment, topic_id=topic["id"]))
        if (params.get("block_author") or "").lower() in ("true", "1"):
            self._ok_bans.append(
                {"gid": topic["gid"], "user_id": comment["author_id"], "by": tok["user_id"]}
            )
        return True


# ---------------------------------------------------------------------------
# module helpers


def _copy(obj):
    return json.loads(json.dumps(obj))


def _read_body(handler: BaseHTTPRequestHandler) -> bytes:
    if (handler.headers.get("Transfer-Encoding") or "").lower() == "chunked":
        chunks = []
        while True:
            size_line = handler.rfile.readline(65537)
            size = int(size_line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while handler.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                    pass
                break
            chunks.append(handler.rfile.read(size))
            handler.rfile.readline(65537)
        return b"".join(chunks)
    length = int(handler.headers.get("Content-Length") or 0)
    return handler.rfile.read(length) if length > 0 else b""


def _write_reply(handler: BaseHTTPRequestHandler, reply: _Reply):
    if reply.drop:
        handler.close_connection = True
        return
    try:
        handler.send_response(reply.status)
        for name, value in reply.headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(reply.body)))
        if reply.truncate or reply.status >= 500:
            handler.send_header("Connection", "close")
            handler.close_connection = True
        handler.end_headers()
        handler.wfile.write(reply.body[: len(reply.body) // 2] if reply.truncate else reply.body)
        handler.wfile.flush()
    except OSError:
        handler.close_connection = True


def _vk_resolve_screen_name(value: str) -> int | None:
    value = str(value).strip()
    number = _int_or_none(value)
    if number is not None:
        return number
    m = re.fullmatch(r"(?:club|public|event)(\d+)", value)
    if m:
        return -int(m.group(1))
    m = re.fullmatch(r"id(\d+)", value)
    if m:
        return int(m.group(1))
    return None


def _vk_user_obj(user_id: int) -> dict:
    return {
        "id": user_id,
        "first_name": "User",
        "last_name": str(user_id),
        "can_access_closed": True,
        "is_closed": False,
    }


def _vk_group_obj(group_id: int, tok) -> dict:
    group = {
        "id": group_id,
        "name": f"Group {group_id}",
        "screen_name": f"club{group_id}",
        "is_closed": 0,
        "type": "page",
    }
    if tok is not None and tok.get("kind") == "user":
        group["is_admin"] = 1 if group_id in tok["admin_of"] else 0
        if group["is_admin"]:
            group["admin_level"] = 3
    return group


def _vk_check_params(method: str, spec: dict, params: dict) -> dict:
    """Validate and convert ``params`` per the schema; raise error 100 on the first problem."""
    out = {}
    for name, ps in spec.items():
        raw = params.get(name)
        if raw is None or raw == "":
            if ps.get("required"):
                raise _vk_param_error(f"{name} is undefined")
            continue
        out[name] = _vk_convert(name, raw, ps)
    return out


def _vk_convert(name: str, raw: str, ps: dict):
    kind = ps["type"]
    if isinstance(kind, tuple):  # integer|string: anything goes
        value = raw
    elif kind == "integer":
        value = _int_or_none(raw)
        if value is None:
            raise _vk_param_error(f"{name} not integer")
    elif kind == "boolean":
        if raw not in ("0", "1"):
            raise _vk_param_error(f"{name} not boolean (0 or 1)")
        value = raw == "1"
    elif kind == "number":
        try:
            value = float(raw)
        except ValueError:
            raise _vk_param_error(f"{name} not number") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise _vk_param_error(f"{name} not number")
    elif kind == "array":
        value = [item.strip() for item in raw.split(",")]
        if "maxItems" in ps and len(value) > ps["maxItems"]:
            raise _vk_param_error(f"{name} has too many items (max {ps['maxItems']})")
        if ps.get("items") == "integer":
            converted = [_int_or_none(item) for item in value]
            if None in converted:
                raise _vk_param_error(f"{name} not integer")
            value = converted
        return value
    else:
        value = raw
    if isinstance(value, int) and not isinstance(value, bool):
        if "minimum" in ps and value < ps["minimum"]:
            raise _vk_param_error(
                f"{name} should be positive" if ps["minimum"] <= 1 else f"{name} is out of range"
            )
        if "maximum" in ps and value > ps["maximum"]:
            raise _vk_param_error(f"{name} should be less or equal to {ps['maximum']}")
    if "enum" in ps:
        allowed = ps["enum"]
        ok = value in allowed or (
            isinstance(value, str) and value.lower() in [str(a).lower() for a in allowed]
        )
        if not ok:
            raise _vk_param_error(f"{name} should be one of {', '.join(str(a) for a in allowed)}")
    return value
