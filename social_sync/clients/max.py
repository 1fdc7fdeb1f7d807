"""MAX Bot API client: a channel's posts with photos, edited, deleted, and the channel's recent
messages read back (see docs/contracts/max.md).

Plain Python and ``requests``. The token goes in the ``Authorization`` header. Sending has no
idempotency key; unlike Telegram, a bot can list a channel's messages (``GET /messages``), so a
send whose answer was lost is looked up before it is sent again (``find_message``).
"""

from __future__ import annotations

from typing import Any

from .base import Transport, json_body
from .errors import NotFound, TransientError, classify_max
from .vk import normalize_url, text_mentions_url

TEXT_LIMIT = 4000
PAGE = 100
MAX_PAGES = 10


class MaxClient(Transport):
    network = "max"

    def __init__(self, *, base_url: str, access_token: str, **transport: Any) -> None:
        super().__init__(base_url=base_url, **transport)
        self._token = access_token

    def _call_once(self, verb: str, path: str, *, params=None, payload=None, chat=None) -> Any:
        response = self.request(
            verb,
            f"{self.base_url.rstrip('/')}/{path.lstrip('/')}",
            chat=chat,
            params=params,
            json=payload,
            headers={"Authorization": self._token},
        )
        body = json_body(response)
        if response.status_code >= 400:
            code = body.get("code") if isinstance(body, dict) else ""
            message = body.get("message") if isinstance(body, dict) else ""
            raise classify_max(response.status_code, str(code or ""), str(message or ""))
        if not isinstance(body, dict):
            raise TransientError("max", "bad_response", f"{verb} {path}: no JSON", ambiguous=True)
        return body

    def call(self, verb: str, path: str, *, idempotent: bool = True, **options: Any) -> Any:
        return self.retrying(
            lambda: self._call_once(verb, path, **options),
            idempotent=idempotent,
            restart_codes=("attachment.not.ready",),
        )

    # --- photos ----------------------------------------------------------------------------------

    def upload_image(self, *, filename: str, content: bytes, content_type: str) -> dict:
        """Uploads one image; returns the attachment to send (``{"type": "image", "payload"}``)."""

        def once():
            endpoint = self._call_once("POST", "/uploads", params={"type": "image"})
            url = endpoint.get("url")
            if not url:
                raise TransientError("max", "bad_response", "uploads: no url")
            response = self.send_files(url, {"data": (filename, content, content_type)})
            body = json_body(response)
            if response.status_code >= 400 or not isinstance(body, dict):
                code = body.get("code") if isinstance(body, dict) else ""
                if response.status_code == 400:
                    raise classify_max(400, "photo_rejected", str(code or ""))
                raise classify_max(response.status_code, str(code or ""), "upload")
            return {"type": "image", "payload": body}

        return self.retrying(once)

    # --- messages --------------------------------------------------------------------------------

    def send(self, *, chat_id: int, text: str, attachments: list[dict]) -> dict:
        """Sends the post; returns MAX's ``Message`` (``body.mid``, ``url``)."""
        answer = self.call(
            "POST",
            "/messages",
            idempotent=False,
            chat=chat_id,  # at most 2 messages a second per chat
            params={"chat_id": chat_id},
            payload={"text": text, "attachments": attachments or None, "notify": True},
        )
        message = answer.get("message") if isinstance(answer, dict) else None
        if not isinstance(message, dict) or not (message.get("body") or {}).get("mid"):
            raise TransientError("max", "bad_response", "messages: no mid", ambiguous=True)
        return message

    def edit(self, *, message_id: str, text: str, attachments: list[dict] | None) -> None:
        """Changes the text (and the attachments when given; ``None`` keeps them)."""
        payload: dict[str, Any] = {"text": text}
        if attachments is not None:
            payload["attachments"] = attachments
        self.call("PUT", "/messages", params={"message_id": message_id}, payload=payload)

    def delete(self, *, message_id: str) -> None:
        try:
            self.call("DELETE", "/messages", params={"message_id": message_id})
        except NotFound:
            pass  # already gone: what we wanted

    def recent(self, *, chat_id: int, since: float) -> list[dict]:
        """The channel's messages sent after ``since`` (a timestamp), newest first.

        ``GET /messages`` pages by time: newest first, ``from`` the later bound and ``to`` the
        earlier (ms); the next page ends just before the oldest message of the last one.
        """
        found: list[dict] = []
        seen: set[str] = set()
        earliest = int(since * 1000)
        later = None
        for _page in range(MAX_PAGES):
            params: dict[str, Any] = {"chat_id": chat_id, "count": PAGE, "to": earliest}
            if later is not None:
                params["from"] = later
            answer = self.call("GET", "/messages", params=params)
            messages = answer.get("messages") or []
            for message in messages:
                mid = str((message.get("body") or {}).get("mid") or "")
                if float(message.get("timestamp") or 0) / 1000 >= since and mid not in seen:
                    seen.add(mid)
                    found.append(message)
            if len(messages) < PAGE:
                break
            later = int(messages[-1].get("timestamp") or 0) - 1
            if later < earliest:
                break
        return found

    def find_message(self, *, chat_id: int, url: str, since: float) -> dict | None:
        """Our post of the page at ``url`` among the channel's messages since ``since``."""
        target = normalize_url(url)
        for message in self.recent(chat_id=chat_id, since=since):
            if text_mentions_url(str((message.get("body") or {}).get("text") or ""), target):
                return message
        return None
