"""Telegram Bot API client: a channel's posts — text, a photo or an album with its caption —
edited and deleted (see docs/contracts/telegram.md).

Plain Python and ``requests``. Every method is ``<base_url>/bot<token>/<method>``; the token is
part of the URL, so no URL is ever put into an error or a log. The Bot API has no idempotency
key and a bot cannot read a channel's history: a send whose answer was lost cannot be looked
up, and the caller must not repeat it blindly (``ambiguous`` errors, see ``publishing.telegram``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from .base import Transport, json_body
from .errors import NotFound, TransientError, classify_telegram

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
MAX_ALBUM = 10


class TelegramClient(Transport):
    network = "telegram"

    def __init__(self, *, base_url: str, bot_token: str, **transport: Any) -> None:
        super().__init__(base_url=base_url, **transport)
        self._token = bot_token

    def _url(self, method: str) -> str:
        return f"{self.base_url.rstrip('/')}/bot{self._token}/{method}"

    def _call_once(
        self, method: str, *, payload=None, data=None, files=None, messages: int = 1
    ) -> Any:
        # Telegram limits messages per chat: an album of N photos is N messages.
        if files is not None:
            response = self.request(
                "POST", self._url(method), data=data, files=files, messages=messages
            )
        else:
            response = self.request("POST", self._url(method), json=payload or {})
        body = json_body(response)
        if not isinstance(body, dict) or "ok" not in body:
            if response.status_code >= 500 or response.status_code == 200:
                raise TransientError(
                    "telegram",
                    "bad_response",
                    f"{method}: HTTP {response.status_code}",
                    ambiguous=True,
                )
            raise classify_telegram(response.status_code, f"HTTP {response.status_code}", None)
        if not body["ok"]:
            status = int(body.get("error_code") or response.status_code)
            raise classify_telegram(
                status, str(body.get("description") or ""), body.get("parameters")
            )
        return body.get("result")

    def call(self, method: str, *, idempotent: bool = True, **options: Any) -> Any:
        return self.retrying(lambda: self._call_once(method, **options), idempotent=idempotent)

    # --- posting ---------------------------------------------------------------------------------

    def send_message(self, *, chat_id: str, text: str) -> list[dict]:
        message = self.call(
            "sendMessage", idempotent=False, payload={"chat_id": chat_id, "text": text}
        )
        return [message]

    def send_photos(self, *, chat_id: str, photos: list[tuple[str, bytes, str]], caption: str):
        """One photo (``sendPhoto``) or an album of 2–10 (``sendMediaGroup``), the caption on the
        first; returns the messages made."""
        if len(photos) == 1:
            filename, content, content_type = photos[0]
            message = self.call(
                "sendPhoto",
                idempotent=False,
                data={"chat_id": chat_id, "caption": caption},
                files={"photo": (filename, content, content_type)},
            )
            return [message]
        photos = photos[:MAX_ALBUM]
        media, files = [], {}
        for index, (filename, content, content_type) in enumerate(photos):
            name = f"photo{index}"
            item = {"type": "photo", "media": f"attach://{name}"}
            if index == 0 and caption:
                item["caption"] = caption
            media.append(item)
            files[name] = (filename, content, content_type)
        return self.call(
            "sendMediaGroup",
            idempotent=False,
            data={"chat_id": chat_id, "media": json.dumps(media, ensure_ascii=False)},
            files=files,
            messages=len(photos),
        )

    def edit_text(self, *, chat_id: str, message_id: int, text: str, caption: bool) -> None:
        """Puts ``text`` into the message (its caption when it is a photo); the same text again
        is not an error."""
        method, field = (
            ("editMessageCaption", "caption") if caption else ("editMessageText", "text")
        )
        try:
            self.call(method, payload={"chat_id": chat_id, "message_id": message_id, field: text})
        except Exception as error:
            if getattr(error, "code", None) != "not_modified":
                raise

    def delete(self, *, chat_id: str, message_ids: list[int]) -> None:
        """Deletes the post's messages (an album is several); those already gone count as deleted."""
        if len(message_ids) > 1:
            self.call("deleteMessages", payload={"chat_id": chat_id, "message_ids": message_ids})
            return
        try:
            self.call("deleteMessage", payload={"chat_id": chat_id, "message_id": message_ids[0]})
        except NotFound:
            pass

    @staticmethod
    def message_url(chat_id: str, message_id: int) -> str:
        """A public channel's post by its @name, a private one's by its number (t.me/c/…)."""
        chat = str(chat_id)
        if chat.startswith("@"):
            return f"https://t.me/{chat[1:]}/{message_id}"
        return f"https://t.me/c/{chat.removeprefix('-100')}/{message_id}"

    @staticmethod
    def message_id_from_url(url: str) -> int | None:
        """The message number of a t.me link to a channel's post, if it is one."""
        match = re.fullmatch(r"https?://t\.me/(?:c/)?[\w]+/(\d+)/?(?:\?.*)?", (url or "").strip())
        return int(match.group(1)) if match else None
