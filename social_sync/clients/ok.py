"""OK (ok.ru) REST API client: photo upload, group or personal topics, reconciling.

Plain Python and ``requests``; see /work/shared/contracts/ok.md. Every call is a form-encoded POST to
``base_url`` with ``method``, ``application_key``, ``format=json``, the method's parameters, ``sig``
and ``access_token``. Each value is serialised once and the same string is signed and sent.

``mediatopic.post`` has no idempotency key, so it is called as non-idempotent: an ambiguous failure
(timeout, HTTP 5xx, broken body) is raised at once for the caller to reconcile with ``find_topic``.
OK offers no documented edit or delete for topics, so there is none here.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from typing import Any

import requests

from .base import Transport, json_body
from .errors import (
    PermanentError,
    TransientError,
    classify_ok,
    http_status_error,
    parse_retry_after,
)
from .vk import normalize_url, text_mentions_url

RECONCILE_MARGIN = 600.0
STREAM_PAGE = 50
MAX_STREAM_PAGES = 40
UNSIGNED = frozenset({"sig", "access_token", "session_key"})


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest().lower()


def session_secret(access_token: str, application_secret: str) -> str:
    """The secret for calls with a session: ``lower(md5(access_token + application_secret))``."""
    return _md5(access_token + application_secret)


def signature(params: dict[str, str], secret: str) -> str:
    """``lower(md5(sorted name=value of all params but sig/access_token/session_key + secret))``."""
    signed = "".join(f"{name}={params[name]}" for name in sorted(params) if name not in UNSIGNED)
    return _md5(signed + secret)


def serialise(value: Any) -> str:
    """The one string form of a parameter: JSON for structures, ``true``/``false`` for booleans."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


class OKClient(Transport):
    network = "ok"

    def __init__(
        self,
        *,
        base_url: str,
        application_key: str,
        application_secret: str,
        access_token: str,
        session_secret_key: str | None = None,
        **transport: Any,
    ) -> None:
        super().__init__(base_url=base_url, **transport)
        self.application_key = application_key
        self.access_token = access_token
        self._secret = session_secret_key or session_secret(access_token, application_secret)

    def signed_params(self, method: str, params: dict[str, Any]) -> dict[str, str]:
        """The complete form of a call: serialised parameters, ``sig`` and ``access_token``."""
        data = {name: serialise(value) for name, value in params.items() if value is not None}
        data.update(method=method, application_key=self.application_key, format="json")
        data["sig"] = signature(data, self._secret)
        data["access_token"] = self.access_token
        return data

    def _call_once(self, method: str, params: dict[str, Any]) -> Any:
        return self._result(self.send(self.base_url, self.signed_params(method, params)), method)

    @staticmethod
    def _result(response: requests.Response, what: str) -> Any:
        body = json_body(response)
        if isinstance(body, dict) and "error_code" in body:
            raise classify_ok(body.get("error_code"), str(body.get("error_msg") or ""))
        header = response.headers.get("invocation-error")
        if header:
            raise classify_ok(header, "")
        if response.status_code >= 400:
            raise http_status_error(
                "ok",
                response.status_code,
                f"{what}: HTTP {response.status_code}",
                retry_after=parse_retry_after(response.headers.get("Retry-After")),
            )
        if body is None:
            # OK answers JSON for every result, even a bare string or true; this is a broken body.
            raise TransientError(
                "ok", "bad_response", f"{what}: the answer is not JSON", ambiguous=True
            )
        return body

    def call(self, method: str, params: dict[str, Any], *, idempotent: bool = True) -> Any:
        """Call a method and return its JSON result.

        A non-idempotent call is retried only after errors that certainly did not apply it (an
        error envelope such as OK 1/2, or a short rate limit); an ambiguous failure is raised at once.
        """
        return self.retrying(lambda: self._call_once(method, params), idempotent=idempotent)

    # --- photos -----------------------------------------------------------------------------------

    def upload_photos(self, *, gid: str | None, files: list[tuple[str, bytes, str]]) -> list[str]:
        """Upload images (``(filename, content, content_type)``) and return their tokens in order."""
        if not files:
            return []
        return self.retrying(lambda: self._upload_once(gid, files))

    def _upload_once(self, gid: str | None, files: list[tuple[str, bytes, str]]) -> list[str]:
        answer = self._call_once("photosV2.getUploadUrl", {"gid": gid, "count": len(files)})
        upload_url = answer.get("upload_url") if isinstance(answer, dict) else None
        photo_ids = answer.get("photo_ids") if isinstance(answer, dict) else None
        if not upload_url or not isinstance(photo_ids, list) or len(photo_ids) != len(files):
            raise TransientError(
                "ok", "bad_response", "getUploadUrl gave no upload_url or photo_ids"
            )
        multipart = [
            (f"pic{number}", (name, content, content_type))
            for number, (name, content, content_type) in enumerate(files, start=1)
        ]
        body = self._result(self.send_files(upload_url, multipart), "photo upload")
        photos = body.get("photos") if isinstance(body, dict) else None
        if not isinstance(photos, dict):
            raise PermanentError("ok", "photo_rejected", "the upload server returned no photos")
        tokens = []
        for photo_id in photo_ids:
            entry = photos.get(str(photo_id))
            token = entry.get("token") if isinstance(entry, dict) else None
            if not token:
                raise PermanentError("ok", "photo_rejected", f"no token for photo {photo_id}")
            tokens.append(str(token))
        return tokens

    # --- topics -----------------------------------------------------------------------------------

    def post_topic(
        self, *, gid: str | None, text: str, link: str | None, photo_tokens: list[str]
    ) -> str:
        """Publish a topic in a group (``gid``) or on the token owner's page; return its id."""
        media: list[dict[str, Any]] = []
        if text:
            media.append({"type": "text", "text": text})
        if link:
            media.append({"type": "link", "url": link})
        if photo_tokens:
            media.append({"type": "photo", "list": [{"id": token} for token in photo_tokens]})
        params: dict[str, Any] = {"attachment": {"media": media}}
        if gid:
            params.update(type="GROUP_THEME", gid=gid)
        else:
            params["type"] = "USER"
        result = self.call("mediatopic.post", params, idempotent=False)
        if isinstance(result, str | int) and not isinstance(result, bool) and str(result):
            return str(result)
        raise TransientError(
            "ok", "bad_response", "mediatopic.post returned no topic id", ambiguous=True
        )

    def find_topic(self, *, gid: str | None, url: str, since: float) -> str | None:
        """Look for our topic in the group's feed (after an ambiguous failure): its id, or None.

        Pages ``stream.get`` from the newest item back to ``since`` minus ten minutes, matching the
        URL in a topic's link or text blocks.
        """
        cutoff_ms = (since - RECONCILE_MARGIN) * 1000
        target = normalize_url(url)
        anchor = None
        for _page in range(MAX_STREAM_PAGES):
            params: dict[str, Any] = {
                "gid": gid,
                "patterns": "POST",
                "fields": "feed.*,media_topic.*",
                "count": STREAM_PAGE,
                "direction": "FORWARD",
                "anchor": anchor,
            }
            answer = self.call("stream.get", params)
            if not isinstance(answer, dict):
                return None
            topics = (answer.get("entities") or {}).get("media_topics") or []
            for topic in topics:
                if isinstance(topic, dict) and _topic_matches(topic, target):
                    return str(topic["id"])
            feeds = answer.get("feeds") or []
            new_anchor = answer.get("anchor")
            if (
                not feeds
                or not new_anchor
                or new_anchor == anchor
                or answer.get("has_more") is False
            ):
                return None
            # Newest first, a pinned topic possibly on top: the page's last item says how far back
            # the scan has come.
            oldest = _feed_time_ms(feeds[-1])
            if oldest is not None and oldest < cutoff_ms:
                return None
            anchor = new_anchor
        return None

    # --- comments on a group topic ------------------------------------------------------------

    def add_comment(self, *, topic_id: str, text: str, reply_to: str | None) -> str:
        """An official comment of the group (``as_admin``) under a topic, in reply to a comment.
        OK has no idempotency key: an ambiguous failure is raised at once, never resent blind."""
        params: dict[str, Any] = {
            "entityId": topic_id,
            "entityType": "GROUP_TOPIC",
            "comment": text,
            "as_admin": True,
            "reply_to_comment_id": reply_to,
        }
        result = self.call("discussions.addDiscussionComment", params, idempotent=False)
        if isinstance(result, str | int) and not isinstance(result, bool) and str(result):
            return str(result)
        raise TransientError(
            "ok", "bad_response", "addDiscussionComment returned no comment id", ambiguous=True
        )

    def find_comment(self, *, topic_id: str, text: str, reply_to: str | None) -> str | None:
        """Our official comment with this text under the topic (after an attempt whose answer
        was lost): its id, or None. Reads the newest comments, up to a few pages back.

        ``discussions.getComments`` gives a comment's id, author, text, date and the comment it
        answers (ok.md) — nothing that marks an official answer of the group, and no author id
        that is surely the group's. So our answer is the comment in reply to the same citizen's
        comment with exactly our text: an official answer is written for that one comment, and
        nobody else posts it word for word under it."""
        anchor = "LAST"
        for _page in range(MAX_STREAM_PAGES):
            answer = self.call(
                "discussions.getComments",
                {
                    "discussionId": topic_id,
                    "discussionType": "GROUP_TOPIC",
                    "count": 100,
                    "anchor": anchor,
                    "direction": "BACKWARD",
                },
            )
            comments = answer.get("comments") if isinstance(answer, dict) else None
            for comment in comments or ():
                if (
                    isinstance(comment, dict)
                    and (comment.get("text") or "") == text
                    and (
                        reply_to is None or str(comment.get("reply_to_comment_id")) == str(reply_to)
                    )
                ):
                    return str(comment["id"])
            new_anchor = answer.get("anchor") if isinstance(answer, dict) else None
            if not comments or not answer.get("has_more") or not new_anchor or new_anchor == anchor:
                return None
            anchor = new_anchor
        return None

    def recent_topics(self, *, gid: str, since: float) -> list[dict[str, Any]]:
        """The group's topics published after ``since``, newest first: ``{id, created_ms, text}``."""
        found: list[dict[str, Any]] = []
        anchor = None
        for _page in range(MAX_STREAM_PAGES):
            answer = self.call(
                "stream.get",
                {
                    "gid": gid,
                    "patterns": "POST",
                    "fields": "feed.*,media_topic.*",
                    "count": STREAM_PAGE,
                    "direction": "FORWARD",
                    "anchor": anchor,
                },
            )
            if not isinstance(answer, dict):
                break
            older = False
            for topic in (answer.get("entities") or {}).get("media_topics") or []:
                created = float(topic.get("created_ms") or 0) / 1000
                if created >= since:
                    text = " ".join(
                        str(block.get("text") or "")
                        for block in topic.get("media") or ()
                        if isinstance(block, dict) and block.get("type") == "text"
                    )
                    found.append({"id": str(topic["id"]), "created": created, "text": text})
                else:
                    older = True
            new_anchor = answer.get("anchor")
            if older or not answer.get("has_more") or not new_anchor or new_anchor == anchor:
                break
            anchor = new_anchor
        return found

    def comments(self, *, topic_id: str, anchor: str | None) -> dict[str, Any]:
        """The next page of a topic's comments after ``anchor`` (from the first when None)."""
        answer = self.call(
            "discussions.getComments",
            {
                "discussionId": topic_id,
                "discussionType": "GROUP_TOPIC",
                "count": 100,
                "anchor": anchor or "FIRST",
                "direction": "FORWARD",
            },
        )
        if not isinstance(answer, dict):
            raise TransientError("ok", "bad_response", "discussions.getComments: no object")
        return answer

    def delete_comment(self, *, topic_id: str, comment_id: str, block_author: bool) -> None:
        """Deletes a comment under the group's topic; ``block_author`` also blacklists its author
        in the group (OK's only ban lever)."""
        self.call(
            "discussions.deleteDiscussionComment",
            {
                "discussionId": topic_id,
                "discussionType": "GROUP_TOPIC",
                "comment_id": comment_id,
                "block_author": block_author,
            },
        )

    @staticmethod
    def topic_url(gid: str | None, topic_id: str, user_id: str | None = None) -> str:
        if gid:
            return f"https://ok.ru/group/{gid}/topic/{topic_id}"
        if user_id:
            return f"https://ok.ru/profile/{user_id}/statuses/{topic_id}"
        raise ValueError("a topic URL needs the group id or the user id")


def _feed_time_ms(feed: Any) -> float | None:
    if not isinstance(feed, dict):
        return None
    for name in ("date_ms", "created_ms"):
        value = feed.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return None


def _topic_matches(topic: dict[str, Any], target: str) -> bool:
    blocks: Iterable[Any] = topic.get("media") or ()
    for block in blocks:
        if not isinstance(block, dict):
            continue
        if block.get("type") == "link" and block.get("url"):
            if normalize_url(str(block["url"])) == target:
                return True
        if block.get("type") == "text" and text_mentions_url(str(block.get("text") or ""), target):
            return True
    return False


TOPIC_ADDRESS = re.compile(r"ok\.ru/group/(\d+)/topic/(\d+)")
COMMENT_PARAM = re.compile(r"[?&]commentId=([\w-]+)")


def reply_target(url: str) -> dict[str, str] | None:
    """Where a citizen's message is on OK: ``{"gid", "topic_id", "comment_id"?}`` from a link
    like ``https://ok.ru/group/70000001/topic/123`` (``?commentId=…`` names a comment)."""
    match = TOPIC_ADDRESS.search(url or "")
    if not match:
        return None
    target = {"gid": match.group(1), "topic_id": match.group(2)}
    comment = COMMENT_PARAM.search(url)
    if comment:
        target["comment_id"] = comment.group(1)
    return target
