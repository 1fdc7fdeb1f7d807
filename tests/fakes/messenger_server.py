"""A local fake of the Telegram Bot API and the MAX Bot API, as strict as their contracts
(``docs/contracts/telegram.md`` and ``docs/contracts/max.md``).

It binds 127.0.0.1 on a free port and runs in a daemon thread; plain stdlib, no Django.

Usage::

    with FakeMessengerServer(seed=1) as fake:
        fake.add_telegram_bot("123:ABC", channels=("@adm_rajona",))
        fake.add_max_bot("max-token", channels=(-7200001,))
        # settings.TELEGRAM_API_URL = fake.telegram_api_url; settings.MAX_API_URL = fake.max_api_url

Telegram (``/bot<token>/<method>``)
- An unknown token: 401 "Unauthorized"; an unknown method: 404 "Not Found". Parameters come as
  a query string, a form, JSON or multipart, as the Bot API takes them.
- ``chat_id``: ``@username`` or the number; an unknown chat: 400 "chat not found"; a chat where
  the bot is not an administrator: 403 "bot is not a member of the channel chat".
- sendMessage: text 1..4096 characters (400 "message text is empty" / "message is too long").
- sendPhoto: one image file (JPG/PNG/GIF) in ``photo``, caption up to 1024 (400 "message caption
  is too long"); not an image: 400 "IMAGE_PROCESS_FAILED".
- sendMediaGroup: ``media`` a JSON array of 2..10 ``InputMediaPhoto`` whose ``media`` is
  ``attach://<part>`` of an uploaded part; each caption up to 1024; the messages share a
  ``media_group_id``; otherwise 400.
- editMessageText / editMessageCaption: the bot's own message in that chat (400 "message to
  edit not found"); a text message has no caption and a photo no text (400 "there is no
  text/caption in the message to edit"); the same content again: 400 "message is not modified".
- deleteMessage: 400 "message to delete not found"; older than 48 hours: 400 "message can't be
  deleted". deleteMessages: 1..100 ids, deletes those it can, answers true.
- Limits: 20 messages a minute per chat — an album counts one message per photo — and 30
  requests a second per bot: over either, 429 "Too Many Requests: retry after N" with
  ``parameters.retry_after`` (counted as a violation). After a 429, the chat stays closed until
  its ``retry_after`` has passed: a send before that is refused again (another violation).
- The bot cannot read the channel: there is no method for it, as in the real API.

MAX (``/me``, ``/uploads``, ``/messages``; token in the ``Authorization`` header)
- No or an unknown token (a token in the query string is not accepted): 401 ``verify.token``.
- 30 requests a second per token, and at most 2 messages a second per chat (POST /messages):
  over either, 429 ``too.many.requests`` (a violation).
- POST /uploads?type=image → ``{"url"}``; another type than image/video/audio/file, or the old
  ``photo``: 400 ``proto.payload``. The upload URL takes one multipart part ``data`` holding an
  image and answers ``{"photos": {"<id>": {"token"}}}``; not an image: 400.
- POST /messages?chat_id=: ``NewMessageBody`` JSON; text up to 4000 (400 ``proto.payload``);
  an unknown chat 404 ``chat.not.found``; the bot not an administrator 403 ``chat.denied``;
  ``notify: false`` in a channel 400; an image attachment must carry an uploaded token (400
  ``attachment.invalid``); a fresh upload is refused with 400 ``attachment.not.ready`` on its
  first ``not_ready_first`` uses and until ``not_ready_seconds`` after the upload; each such
  refusal sooner than 1 s after the previous one for the same upload is a violation.
  Answers ``{"message": Message}``.
- PUT /messages?message_id=: the bot's message (404 ``not.found``), ``attachments: null`` keeps
  them, ``[]`` removes them. DELETE /messages?message_id=: 404 when already gone.
- GET /messages?chat_id=&count=1..100[&from=&to=]: newest first; ``from`` is the later bound
  and ``to`` the earlier (ms, inclusive; ``to`` > ``from`` is 400); other paging parameters
  (``before``, ``after``, ``marker``) are not in the contract: 400 ``proto.payload``.

Faults (both): ``fail_next(target, fault)`` queues one; ``transient_rate`` draws random ones —
HTTP 500/502, a connection closed before the action, or a lost answer (the action is applied,
then HTTP 500, a cut body or the connection closed with no answer), the lost share being
``lost_response_rate``. ``inconclusive_sends`` lists the Telegram sends that got no conclusive
answer (a 5xx, a closed connection, a lost answer), with the links in their text. ``posts(chat)`` lists what is in a channel; ``violations``
the limit breaches; ``sent`` counts each page link's posts per chat (a double post shows as 2).
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from collections import defaultdict, deque

from tests.fakes.social_server import _Handler as _SocialHandler
from tests.fakes.social_server import (
    _HTTPServer,
    _image_kind,
    _read_body,
    _Reply,
    _Request,
    _write_reply,
)

__all__ = ["FakeMessengerServer"]

TG_TEXT_LIMIT = 4096
TG_CAPTION_LIMIT = 1024
MAX_TEXT_LIMIT = 4000
URL_RE = re.compile(r"https?://\S+")


def _messages_in(method, params):
    """How many messages a send makes, as Telegram counts them: an album, one per photo."""
    if method != "sendMediaGroup":
        return 1
    try:
        media = json.loads(params.get("media") or "")
    except ValueError:
        return 1
    return len(media) if isinstance(media, list) and media else 1


class _Handler(_SocialHandler):
    """The fake social server's handler, with the verbs MAX uses besides GET and POST."""

    server_version = "FakeMessenger/1.0"

    def do_PUT(self):
        self.server.fake._serve(self, "PUT")

    def do_DELETE(self):
        self.server.fake._serve(self, "DELETE")


class _Refusal(Exception):
    def __init__(self, status, description, code="", retry_after=None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.code = code
        self.retry_after = retry_after


class FakeMessengerServer:
    def __init__(
        self,
        *,
        seed=None,
        transient_rate=0.0,
        lost_response_rate=0.25,
        tg_chat_per_minute=20,
        tg_per_second=30,
        max_per_second=30,
        not_ready_first=0,
        not_ready_seconds=0.0,
        max_chat_per_second=2,
        latency=(0.0, 0.0),
    ):
        self.transient_rate = transient_rate
        self.lost_response_rate = lost_response_rate
        self.tg_chat_per_minute = tg_chat_per_minute
        self.tg_per_second = tg_per_second
        self.max_per_second = max_per_second
        self.not_ready_first = not_ready_first
        self.not_ready_seconds = not_ready_seconds
        self.max_chat_per_second = max_chat_per_second
        self._closed_until: dict[tuple, float] = {}
        self.latency = tuple(latency)
        self._rng = random.Random(seed)
        self._lock = threading.RLock()
        self._httpd = None
        self._thread = None
        self.base_url = self.telegram_api_url = self.max_api_url = ""
        self._time_offset = 0.0
        self.calls: list[tuple] = []
        self.violations: list[dict] = []
        self.server_errors: list[str] = []
        self.lost_answers = 0
        # Telegram sends that got no conclusive answer: (method, the links in their text).
        self.inconclusive_sends: list[tuple[str, list[str]]] = []
        self._fail: dict[str, deque] = defaultdict(deque)
        self._windows: dict[tuple, deque] = defaultdict(deque)
        # Telegram
        self._tg_bots: dict[str, dict] = {}
        self._tg_chats: dict[int, dict] = {}
        self._tg_messages: dict[int, dict[int, dict]] = defaultdict(dict)
        self._tg_seq: dict[int, int] = defaultdict(int)
        self._tg_group_seq = 0
        # MAX
        self._max_bots: dict[str, dict] = {}
        self._max_chats: dict[int, dict] = {}
        self._max_messages: dict[int, list[dict]] = defaultdict(list)
        self._max_uploads: dict[str, dict] = {}
        self._max_tokens: dict[str, dict] = {}
        self._max_seq = 0

    # --- life cycle ------------------------------------------------------------------------------

    def start(self):
        httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        httpd.fake = self
        self._httpd = httpd
        port = httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{port}"
        self.telegram_api_url = self.base_url + "/tg"
        self.max_api_url = self.base_url + "/max"
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self):
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()
            self._thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def now(self):
        return time.time() + self._time_offset

    def advance_time(self, seconds):
        with self._lock:
            self._time_offset += seconds

    # --- set-up and inspection -------------------------------------------------------------------

    def add_telegram_bot(self, token, *, bot_id=None, channels=()):
        """A bot that administers ``channels`` (``@name`` strings; each gets a -100… id)."""
        with self._lock:
            bot_id = bot_id or 7000000 + len(self._tg_bots)
            self._tg_bots[token] = {"id": bot_id, "admin_of": set()}
            for channel in channels:
                chat = self.add_telegram_channel(channel)
                self._tg_bots[token]["admin_of"].add(chat["id"])

    def add_telegram_channel(self, username):
        with self._lock:
            for chat in self._tg_chats.values():
                if chat["username"] == username.lstrip("@"):
                    return chat
            chat_id = -1001000000000 - len(self._tg_chats)
            chat = {"id": chat_id, "username": username.lstrip("@"), "type": "channel"}
            self._tg_chats[chat_id] = chat
            return chat

    def telegram_chat_id(self, username):
        return self._tg_resolve(username)["id"]

    def add_max_bot(self, token, *, channels=()):
        with self._lock:
            self._max_bots[token] = {"user_id": 9000000 + len(self._max_bots), "admin_of": set()}
            for chat_id in channels:
                self._max_chats.setdefault(int(chat_id), {"chat_id": int(chat_id)})
                self._max_bots[token]["admin_of"].add(int(chat_id))

    def add_max_channel(self, chat_id):
        with self._lock:
            self._max_chats.setdefault(int(chat_id), {"chat_id": int(chat_id)})

    def seed_max_message(self, chat_id, text, *, timestamp_ms=None):
        """A message put into a MAX channel by hand (not by the bot)."""
        with self._lock:
            return self._max_new(int(chat_id), text, [], None, timestamp_ms)

    def posts(self, chat):
        """The messages now in a Telegram (``@name`` or id) or MAX (int) channel, oldest first."""
        with self._lock:
            if isinstance(chat, str):
                chat_id = self._tg_resolve(chat)["id"]
                return sorted(self._tg_messages[chat_id].values(), key=lambda m: m["message_id"])
            return list(self._max_messages[int(chat)])

    def sent(self, chat):
        """How many posts in the channel carry each link (a page posted twice shows 2); an album
        counts once."""
        counts: dict[str, int] = defaultdict(int)
        seen_groups = set()
        for message in self.posts(chat):
            group = message.get("media_group_id")
            if group:
                if group in seen_groups:
                    continue
                seen_groups.add(group)
            text = message.get("text") or message.get("caption") or ""
            if isinstance(chat, int):
                text = (message.get("body") or {}).get("text") or ""
            for url in URL_RE.findall(text):
                counts[url.rstrip(".,)")] += 1
        return dict(counts)

    def fail_next(self, target, fault):
        """``target``: a Telegram method or "max:<VERB> <path>"; ``fault``: "http500", "http502",
        "lose_response", "broken_body", "drop" (applied, the connection closed with no answer),
        "drop_before" (closed, nothing applied), ("refuse", status, description-or-code) or
        ("refuse", status, description, retry_after)."""
        with self._lock:
            self._fail[target].append(fault)

    # --- plumbing --------------------------------------------------------------------------------

    def _serve(self, handler, verb):
        try:
            body = _read_body(handler)
        except (OSError, ValueError):
            handler.close_connection = True
            return
        lo, hi = self.latency
        if hi > 0:
            with self._lock:
                delay = self._rng.uniform(lo, hi)
            time.sleep(delay)
        try:
            request = _Request(handler, verb, body)
            reply = self._route(request)
        except Exception:
            import traceback

            with self._lock:
                self.server_errors.append(traceback.format_exc())
            reply = _Reply.http500()
        _write_reply(handler, reply)

    def _route(self, request):
        path = request.path
        if path.startswith("/tg/bot"):
            token, _slash, method = path[len("/tg/bot") :].partition("/")
            return self._telegram(request, token, method)
        if path.startswith("/max/"):
            return self._max(request, path[len("/max") :])
        if path.startswith("/max-upload/"):
            return self._max_upload(request, path[len("/max-upload/") :])
        return _Reply(404, b"Not Found", "text/plain; charset=utf-8")

    def _window_hit(self, key, limit, seconds, where, count=1):
        """Counts ``count`` messages arriving now; the wait to ask for when over the limit. A
        key that was told to wait is refused until the wait is over."""
        now = time.monotonic()
        closed = self._closed_until.get(key, 0.0)
        if now < closed:
            self.violations.append({"where": where, "count": 0, "limit": limit, "early": True})
            return max(1, int(closed - now) + 1)
        window = self._windows[key]
        window.extend([now] * count)
        while window and window[0] <= now - seconds:
            window.popleft()
        if len(window) > limit:
            self.violations.append({"where": where, "count": len(window), "limit": limit})
            wait = max(1, int(seconds - (now - window[0])) + 1)
            if key[0] == "tg":  # Telegram's retry_after is a promise it keeps
                self._closed_until[key] = now + wait
            return wait
        return 0

    def _fault(self, target):
        with self._lock:
            queue = self._fail.get(target)
            if queue:
                return queue.popleft()
            if self.transient_rate > 0 and self._rng.random() < self.transient_rate:
                if self._rng.random() < self.lost_response_rate:
                    self.lost_answers += 1
                    return self._rng.choice(("lose_response", "broken_body", "drop"))
                return self._rng.choice(("http500", "http502", "drop_before"))
        return None

    @staticmethod
    def _with_fault(fault, action):
        if fault in ("http500", "http502"):
            return _Reply(int(fault[4:]), b"Bad Gateway", "text/plain; charset=utf-8")
        if fault == "drop_before":
            reply = _Reply.http500()
            reply.drop = True
            return reply
        reply = action()
        if fault == "drop":
            reply.drop = True
            return reply
        if fault == "lose_response":
            return _Reply.http500()
        if fault == "broken_body":
            reply.status = 200
            reply.truncate = True
        return reply

    # --- Telegram --------------------------------------------------------------------------------

    def _tg_reply(self, result=None, refusal=None):
        if refusal is None:
            return _Reply.json({"ok": True, "result": result})
        body = {"ok": False, "error_code": refusal.status, "description": refusal.description}
        if refusal.retry_after is not None:
            body["parameters"] = {"retry_after": refusal.retry_after}
        return _Reply.json(body, status=refusal.status)

    def _tg_params(self, request):
        params = dict(request.query)
        if request.is_json and request.body:
            try:
                loaded = json.loads(request.body)
            except ValueError:
                raise _Refusal(400, "Bad Request: can't parse JSON") from None
            params.update({k: v for k, v in loaded.items()})
        else:
            params.update(request.form)
        return params

    def _tg_resolve(self, chat_id):
        value = str(chat_id).strip()
        for chat in self._tg_chats.values():
            if value == f"@{chat['username']}" or value == str(chat["id"]):
                return chat
        raise _Refusal(400, "Bad Request: chat not found")

    def _telegram(self, request, token, method):
        with self._lock:
            self.calls.append(("telegram", method))
            bot = self._tg_bots.get(token)
        if bot is None:
            return self._tg_reply(refusal=_Refusal(401, "Unauthorized"))
        handlers = {
            "getMe": self._tg_get_me,
            "sendMessage": self._tg_send_message,
            "sendPhoto": self._tg_send_photo,
            "sendMediaGroup": self._tg_send_media_group,
            "editMessageText": self._tg_edit_text,
            "editMessageCaption": self._tg_edit_caption,
            "deleteMessage": self._tg_delete,
            "deleteMessages": self._tg_delete_many,
        }
        handler = handlers.get(method)
        if handler is None:
            return self._tg_reply(refusal=_Refusal(404, "Not Found"))
        try:
            params = self._tg_params(request)
            with self._lock:
                wait = self._window_hit(("tg", token), self.tg_per_second, 1.0, f"tg:{method}")
                chat = None
                if "chat_id" in params:
                    chat = self._tg_resolve(params["chat_id"])
                    if method.startswith("send"):
                        wait = wait or self._window_hit(
                            ("tg", token, chat["id"]),
                            self.tg_chat_per_minute,
                            60.0,
                            method,
                            count=_messages_in(method, params),
                        )
            if wait:
                raise _Refusal(429, f"Too Many Requests: retry after {wait}", retry_after=wait)
            if chat is not None and chat["id"] not in bot["admin_of"]:
                raise _Refusal(403, "Forbidden: bot is not a member of the channel chat")
            fault = self._fault(method)
            if method.startswith("send") and fault is not None and not isinstance(fault, tuple):
                text = str(params.get("text") or params.get("caption") or params.get("media"))
                with self._lock:
                    self.inconclusive_sends.append((method, URL_RE.findall(text)))
            if isinstance(fault, tuple):
                retry_after = fault[3] if len(fault) > 3 else None
                if retry_after is not None and chat is not None:
                    with self._lock:
                        self._closed_until[("tg", token, chat["id"])] = (
                            time.monotonic() + retry_after
                        )
                raise _Refusal(fault[1], fault[2], retry_after=retry_after)
            return self._with_fault(
                fault, lambda: self._tg_reply(handler(bot, chat, params, request))
            )
        except _Refusal as refusal:
            return self._tg_reply(refusal=refusal)

    def _tg_get_me(self, bot, chat, params, request):
        return {"id": bot["id"], "is_bot": True, "first_name": "Бот пресс-службы"}

    def _tg_need_chat(self, chat):
        if chat is None:
            raise _Refusal(400, "Bad Request: chat_id is empty")
        return chat

    def _tg_new(self, chat, bot, **content):
        with self._lock:
            self._tg_seq[chat["id"]] += 1
            message = {
                "message_id": self._tg_seq[chat["id"]],
                "chat": dict(chat),
                "date": int(self.now()),
                "sender_bot": bot["id"],
                **content,
            }
            self._tg_messages[chat["id"]][message["message_id"]] = message
            return dict(message)

    def _tg_send_message(self, bot, chat, params, request):
        chat = self._tg_need_chat(chat)
        text = str(params.get("text") or "")
        if not text.strip():
            raise _Refusal(400, "Bad Request: message text is empty")
        if len(text) > TG_TEXT_LIMIT:
            raise _Refusal(400, "Bad Request: message is too long")
        return self._tg_new(chat, bot, text=text)

    @staticmethod
    def _tg_photo(data):
        if not data or _image_kind(data) is None:
            raise _Refusal(400, "Bad Request: IMAGE_PROCESS_FAILED")
        return [{"file_id": f"photo-{abs(hash(data)) % 10**12}", "width": 1280, "height": 853}]

    def _tg_check_caption(self, caption):
        if len(caption or "") > TG_CAPTION_LIMIT:
            raise _Refusal(400, "Bad Request: message caption is too long")

    def _tg_send_photo(self, bot, chat, params, request):
        chat = self._tg_need_chat(chat)
        files = [data for field, _name, data in request.files if field == "photo"]
        if len(files) != 1:
            raise _Refusal(400, "Bad Request: there is no photo in the request")
        caption = str(params.get("caption") or "")
        self._tg_check_caption(caption)
        return self._tg_new(chat, bot, photo=self._tg_photo(files[0]), caption=caption)

    def _tg_send_media_group(self, bot, chat, params, request):
        chat = self._tg_need_chat(chat)
        try:
            media = json.loads(params.get("media") or "")
        except ValueError:
            raise _Refusal(400, "Bad Request: can't parse media JSON object") from None
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise _Refusal(400, "Bad Request: wrong number of messages in the media group")
        parts = {field: data for field, _name, data in request.files}
        photos = []
        for item in media:
            if not isinstance(item, dict) or item.get("type") != "photo":
                raise _Refusal(400, "Bad Request: wrong media type in the group")
            ref = str(item.get("media") or "")
            if not ref.startswith("attach://") or ref[len("attach://") :] not in parts:
                raise _Refusal(400, "Bad Request: wrong file identifier/HTTP URL specified")
            self._tg_check_caption(item.get("caption"))
            photos.append((self._tg_photo(parts[ref[len("attach://") :]]), item.get("caption")))
        with self._lock:
            self._tg_group_seq += 1
            group = str(1300000000 + self._tg_group_seq)
            return [
                self._tg_new(chat, bot, photo=photo, caption=caption or "", media_group_id=group)
                for photo, caption in photos
            ]

    def _tg_own(self, bot, chat, params, missing):
        chat = self._tg_need_chat(chat)
        try:
            message_id = int(params.get("message_id"))
        except (TypeError, ValueError):
            raise _Refusal(400, "Bad Request: message identifier is not specified") from None
        message = self._tg_messages[chat["id"]].get(message_id)
        if message is None or message.get("sender_bot") != bot["id"]:
            raise _Refusal(400, f"Bad Request: {missing}")
        return message

    def _tg_edit_text(self, bot, chat, params, request):
        with self._lock:
            message = self._tg_own(bot, chat, params, "message to edit not found")
            if "text" not in message:
                raise _Refusal(400, "Bad Request: there is no text in the message to edit")
            text = str(params.get("text") or "")
            if not text.strip():
                raise _Refusal(400, "Bad Request: message text is empty")
            if len(text) > TG_TEXT_LIMIT:
                raise _Refusal(400, "Bad Request: message is too long")
            if text == message["text"]:
                raise _Refusal(
                    400,
                    "Bad Request: message is not modified: specified new "
                    "message content and reply markup are exactly the same as a "
                    "current content and reply markup of the message",
                )
            message["text"] = text
            message["edit_date"] = int(self.now())
            return dict(message)

    def _tg_edit_caption(self, bot, chat, params, request):
        with self._lock:
            message = self._tg_own(bot, chat, params, "message to edit not found")
            if "photo" not in message:
                raise _Refusal(400, "Bad Request: there is no caption in the message to edit")
            caption = str(params.get("caption") or "")
            self._tg_check_caption(caption)
            if caption == message.get("caption"):
                raise _Refusal(400, "Bad Request: message is not modified")
            message["caption"] = caption
            message["edit_date"] = int(self.now())
            return dict(message)

    def _tg_delete(self, bot, chat, params, request):
        with self._lock:
            message = self._tg_own(bot, chat, params, "message to delete not found")
            if self.now() - message["date"] > 48 * 3600:
                raise _Refusal(400, "Bad Request: message can't be deleted")
            del self._tg_messages[chat["id"]][message["message_id"]]
            return True

    def _tg_delete_many(self, bot, chat, params, request):
        chat = self._tg_need_chat(chat)
        ids = params.get("message_ids")
        if isinstance(ids, str):
            try:
                ids = json.loads(ids)
            except ValueError:
                ids = None
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise _Refusal(400, "Bad Request: message_ids must be 1-100 identifiers")
        with self._lock:
            for message_id in ids:
                message = self._tg_messages[chat["id"]].get(int(message_id))
                if message and message.get("sender_bot") == bot["id"]:
                    if self.now() - message["date"] <= 48 * 3600:
                        del self._tg_messages[chat["id"]][int(message_id)]
            return True

    # --- MAX -------------------------------------------------------------------------------------

    @staticmethod
    def _max_error(status, code, message):
        return _Reply.json({"code": code, "message": message}, status=status)

    def _max(self, request, path):
        token = (request.headers.get("Authorization") or "").strip()
        target = f"max:{request.verb} {path}"
        with self._lock:
            self.calls.append(("max", request.verb, path))
            bot = self._max_bots.get(token)
            if bot is None:
                return self._max_error(401, "verify.token", "Invalid access_token")
            if self._window_hit(("max", token), self.max_per_second, 1.0, target):
                return self._max_error(429, "too.many.requests", "Too many requests")
            chat = request.query.get("chat_id")
            if (request.verb, path) == ("POST", "/messages") and chat:
                key = ("max-chat", str(chat))
                if self._window_hit(key, self.max_chat_per_second, 1.0, target):
                    return self._max_error(429, "too.many.requests", "Too many requests")
        routes = {
            ("GET", "/me"): self._max_me,
            ("POST", "/uploads"): self._max_upload_url,
            ("POST", "/messages"): self._max_send,
            ("PUT", "/messages"): self._max_edit,
            ("DELETE", "/messages"): self._max_delete,
            ("GET", "/messages"): self._max_list,
        }
        route = routes.get((request.verb, path))
        if route is None:
            return self._max_error(404, "not.found", f"Path {path} is not recognized")
        fault = self._fault(target)
        if isinstance(fault, tuple):
            return self._max_error(fault[1], fault[2], "refused")
        try:
            return self._with_fault(fault, lambda: route(bot, request))
        except _Refusal as refusal:
            return self._max_error(refusal.status, refusal.code, refusal.description)

    def _max_me(self, bot, request):
        return _Reply.json({"user_id": bot["user_id"], "first_name": "Бот", "is_bot": True})

    def _max_upload_url(self, bot, request):
        kind = request.query.get("type")
        if kind not in ("image", "video", "audio", "file"):
            raise _Refusal(400, "Invalid upload type", "proto.payload")
        with self._lock:
            upload_id = f"u{len(self._max_uploads) + 1}"
            self._max_uploads[upload_id] = {"type": kind, "used": False}
        return _Reply.json({"url": f"{self.base_url}/max-upload/{upload_id}"})

    def _max_upload(self, request, upload_id):
        with self._lock:
            upload = self._max_uploads.get(upload_id)
            if upload is None or upload["used"]:
                return self._max_error(400, "upload.invalid", "Unknown upload")
            if not request.is_multipart or request.malformed:
                return self._max_error(400, "upload.invalid", "multipart/form-data expected")
            files = [data for field, _name, data in request.files if field == "data"]
            if len(files) != 1:
                return self._max_error(400, "upload.invalid", "Exactly one file in data")
            if upload["type"] == "image" and _image_kind(files[0]) is None:
                return self._max_error(400, "upload.invalid", "Not an image")
            upload["used"] = True
            token = f"img{upload_id}x{len(self._max_tokens) + 1}"
            self._max_tokens[token] = {
                "uses": 0,
                "ready_at": time.monotonic() + self.not_ready_seconds,
            }
            return _Reply.json({"photos": {upload_id: {"token": token}}})

    def _max_body(self, request):
        if not request.is_json:
            raise _Refusal(400, "JSON body expected", "proto.payload")
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            raise _Refusal(400, "Invalid JSON", "proto.payload") from None
        if not isinstance(body, dict):
            raise _Refusal(400, "Invalid body", "proto.payload")
        text = body.get("text")
        if text is not None and len(str(text)) > MAX_TEXT_LIMIT:
            raise _Refusal(400, "text: size must be between 0 and 4000", "proto.payload")
        return body

    def _max_attachments(self, attachments):
        if attachments is None:
            return None
        if not isinstance(attachments, list):
            raise _Refusal(400, "attachments must be a list", "proto.payload")
        kept = []
        for item in attachments:
            payload = item.get("payload") if isinstance(item, dict) else None
            if not isinstance(item, dict) or item.get("type") != "image" or not payload:
                raise _Refusal(400, "Unsupported attachment", "attachment.invalid")
            tokens = [p.get("token") for p in (payload.get("photos") or {}).values()]
            tokens += [payload["token"]] if payload.get("token") else []
            if not tokens or any(t not in self._max_tokens for t in tokens):
                raise _Refusal(400, "Unknown attachment token", "attachment.invalid")
            for token in tokens:
                info = self._max_tokens[token]
                info["uses"] += 1
                now = time.monotonic()
                if info["uses"] <= self.not_ready_first or now < info["ready_at"]:
                    if now - info.get("refused_at", -1e9) < 1.0:
                        self.violations.append({"where": "attachment.not.ready", "count": 0})
                    info["refused_at"] = now
                    raise _Refusal(400, "Attachment is not ready", "attachment.not.ready")
            kept.append(
                {"type": "image", "payload": {"token": tokens[0], "url": "https://i.max/x"}}
            )
        return kept

    def _max_chat(self, bot, request):
        try:
            chat_id = int(request.query.get("chat_id"))
        except (TypeError, ValueError):
            raise _Refusal(400, "chat_id is required", "proto.payload") from None
        if chat_id not in self._max_chats:
            raise _Refusal(404, "Chat not found", "chat.not.found")
        if chat_id not in bot["admin_of"]:
            raise _Refusal(403, "Bot has no access to the channel", "chat.denied")
        return chat_id

    def _max_new(self, chat_id, text, attachments, bot, timestamp_ms=None):
        self._max_seq += 1
        mid = f"mid.{chat_id & 0xFFFFFF:06x}{self._max_seq:010d}"
        message = {
            "sender": None,
            "recipient": {"chat_id": chat_id, "chat_type": "channel"},
            "timestamp": int(timestamp_ms if timestamp_ms is not None else self.now() * 1000),
            "body": {"mid": mid, "seq": self._max_seq, "text": text, "attachments": attachments},
            "url": f"https://max.ru/c/{chat_id}/{mid}",
            "by_bot": bot["user_id"] if bot else None,
        }
        self._max_messages[chat_id].append(message)
        return message

    def _max_send(self, bot, request):
        with self._lock:
            chat_id = self._max_chat(bot, request)
            body = self._max_body(request)
            if body.get("notify") is False:
                raise _Refusal(400, "notify=false is not allowed in channels", "proto.payload")
            attachments = self._max_attachments(body.get("attachments")) or []
            if not (body.get("text") or attachments):
                raise _Refusal(400, "Empty message", "proto.payload")
            message = self._max_new(chat_id, str(body.get("text") or ""), attachments, bot)
            shown = {k: v for k, v in message.items() if k != "by_bot"}
            return _Reply.json({"message": shown})

    def _max_find(self, bot, request):
        mid = request.query.get("message_id")
        for messages in self._max_messages.values():
            for message in messages:
                if message["body"]["mid"] == mid and message["by_bot"] == bot["user_id"]:
                    return message
        raise _Refusal(404, "Message not found", "not.found")

    def _max_edit(self, bot, request):
        with self._lock:
            message = self._max_find(bot, request)
            body = self._max_body(request)
            if "text" in body:
                message["body"]["text"] = str(body.get("text") or "")
            attachments = self._max_attachments(body.get("attachments"))
            if attachments is not None:
                message["body"]["attachments"] = attachments
            return _Reply.json({"success": True})

    def _max_delete(self, bot, request):
        with self._lock:
            message = self._max_find(bot, request)
            chat_id = message["recipient"]["chat_id"]
            self._max_messages[chat_id].remove(message)
            return _Reply.json({"success": True})

    def _max_list(self, bot, request):
        with self._lock:
            chat_id = self._max_chat(bot, request)
            try:
                count = int(request.query.get("count", 50))
            except ValueError:
                count = 0
            if not 1 <= count <= 100:
                raise _Refusal(400, "count must be between 1 and 100", "proto.payload")
            unknown = {"before", "after", "marker"} & set(request.query)
            if unknown:
                raise _Refusal(400, f"Unknown parameter: {sorted(unknown)[0]}", "proto.payload")
            try:
                later = int(request.query["from"]) if "from" in request.query else None
                earlier = int(request.query["to"]) if "to" in request.query else None
            except ValueError:
                raise _Refusal(400, "from/to must be timestamps", "proto.payload") from None
            if later is not None and earlier is not None and earlier > later:
                raise _Refusal(400, "to must be less than from", "proto.payload")
            found = sorted(self._max_messages[chat_id], key=lambda m: -m["timestamp"])
            if later is not None:
                found = [m for m in found if m["timestamp"] <= later]
            if earlier is not None:
                found = [m for m in found if m["timestamp"] >= earlier]
            shown = [{k: v for k, v in m.items() if k != "by_bot"} for m in found[:count]]
            return _Reply.json({"messages": shown})
