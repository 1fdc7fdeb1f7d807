"""VK API client: posting a community's news, editing, deleting, uploading wall photos, reconciling.

Plain Python and ``requests``; see /work/shared/contracts/vk.md for the API this relies on.
Every API request is form-encoded POST to ``<base_url><method>`` with ``access_token`` and ``v`` in
the body (so the token never appears in a URL or a log line) and passes the rate limiter first.
"""

from __future__ import annotations

import re
from typing import Any

from .base import Transport, json_body
from .errors import (
    NotFound,
    PermanentError,
    TransientError,
    classify_vk,
    http_status_error,
    parse_retry_after,
)

API_VERSION = "5.199"
# The contract's reconcile margin: look this far before the first attempt.
RECONCILE_MARGIN = 600.0
WALL_PAGE = 100
MAX_WALL_PAGES = 50
# saveWallPhoto codes after which the whole upload starts again from getWallUploadServer.
UPLOAD_RESTART_CODES = (118, 121)


def encode_param(value: Any) -> str:
    """VK's form encoding: booleans as 1/0, lists comma-joined."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list | tuple):
        return ",".join(encode_param(v) for v in value)
    return str(value)


class VKClient(Transport):
    network = "vk"

    def __init__(self, *, base_url: str, access_token: str, **transport: Any) -> None:
        super().__init__(
            base_url=base_url if base_url.endswith("/") else base_url + "/", **transport
        )
        self.access_token = access_token

    def _call_once(self, method: str, params: dict[str, Any]) -> Any:
        data = {name: encode_param(value) for name, value in params.items() if value is not None}
        data["access_token"] = self.access_token
        data["v"] = API_VERSION
        response = self.send(self.base_url + method, data)
        body = json_body(response)
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            error = body["error"]
            raise classify_vk(error.get("error_code"), str(error.get("error_msg") or ""), error)
        if response.status_code >= 400:
            raise http_status_error(
                "vk",
                response.status_code,
                f"{method}: HTTP {response.status_code}",
                retry_after=parse_retry_after(response.headers.get("Retry-After")),
            )
        if isinstance(body, dict) and "response" in body:
            return body["response"]
        raise TransientError(
            "vk", "bad_response", f"{method}: the answer is not a VK envelope", ambiguous=True
        )

    # Methods that create something: retried with the same ``guid``, but watched as writes.
    WRITES = frozenset({"wall.post", "wall.createComment"})

    def call(self, method: str, **params: Any) -> Any:
        """Call an API method and return its ``response``; see the module's error classes."""
        return self.retrying(lambda: self._call_once(method, params), write=method in self.WRITES)

    # --- photos -----------------------------------------------------------------------------------

    def upload_wall_photo(
        self, *, group_id: int | None, content: bytes, filename: str, content_type: str
    ) -> str:
        """Upload one image for a wall post and return its attachment, ``photo<owner>_<id>[_key]``."""
        return self.retrying(
            lambda: self._upload_once(group_id, content, filename, content_type),
            restart_codes=UPLOAD_RESTART_CODES,
        )

    def _upload_once(
        self, group_id: int | None, content: bytes, filename: str, content_type: str
    ) -> str:
        group = abs(group_id) if group_id is not None else None
        server = self._call_once("photos.getWallUploadServer", {"group_id": group})
        upload_url = server.get("upload_url") if isinstance(server, dict) else None
        if not upload_url:
            raise TransientError("vk", "bad_response", "getWallUploadServer gave no upload_url")
        # Not an API method: VK's per-token request limit does not count it.
        response = self.send_files(upload_url, {"photo": (filename, content, content_type)})
        body = json_body(response)
        if response.status_code >= 400:
            raise http_status_error("vk", response.status_code, "photo upload")
        if not isinstance(body, dict):
            raise TransientError("vk", "bad_response", "the upload server's answer is not JSON")
        if isinstance(body.get("error"), dict):
            error = body["error"]
            raise classify_vk(error.get("error_code"), str(error.get("error_msg") or ""), error)
        photo = body.get("photo")
        if body.get("error") or not photo or photo == "[]":
            raise PermanentError(
                "vk",
                "photo_rejected",
                str(body.get("error") or "the upload server returned photo=[]"),
            )
        saved = self._call_once(
            "photos.saveWallPhoto",
            {
                "group_id": group,
                "photo": photo,
                "server": body.get("server"),
                "hash": body.get("hash"),
            },
        )
        if not isinstance(saved, list) or not saved or not isinstance(saved[0], dict):
            raise TransientError("vk", "bad_response", "saveWallPhoto returned no photo")
        item = saved[0]
        attachment = f"photo{item['owner_id']}_{item['id']}"
        if item.get("access_key"):
            attachment += f"_{item['access_key']}"
        return attachment

    # --- wall -------------------------------------------------------------------------------------

    def post(
        self, *, owner_id: int, message: str, attachments: list[str], guid: str, from_group: bool
    ) -> int:
        """Publish on a wall; ``guid`` makes retries within VK's one-hour window safe."""
        response = self.call(
            "wall.post",
            owner_id=owner_id,
            from_group=from_group,
            message=message,
            attachments=list(attachments) or None,
            guid=guid,
        )
        return _post_id(response, "wall.post")

    def edit(self, *, owner_id: int, post_id: int, message: str, attachments: list[str]) -> int:
        """Replace a post's text and attachments (an empty list removes them)."""
        response = self.call(
            "wall.edit",
            owner_id=owner_id,
            post_id=post_id,
            message=message,
            attachments=list(attachments) or None,
        )
        if response == 1:  # older API versions answered 1
            return post_id
        return _post_id(response, "wall.edit")

    def delete(self, *, owner_id: int, post_id: int) -> bool:
        """Delete a post; a post that is already gone counts as deleted."""
        try:
            self.call("wall.delete", owner_id=owner_id, post_id=post_id)
        except NotFound:
            return True
        return True

    def find_post(
        self, *, owner_id: int, url: str, since: float, guid_text: str | None = None
    ) -> int | None:
        """Look for our post on the wall (after an ambiguous failure): its id, or None.

        Reads ``wall.get(filter=owner)`` newest first, 100 at a time, back to ``since`` minus ten
        minutes. A pinned post may be old and still come first, so it never ends the scan.
        """
        cutoff = since - RECONCILE_MARGIN
        target = normalize_url(url)
        offset = 0
        for _page in range(MAX_WALL_PAGES):
            response = self.call(
                "wall.get", owner_id=owner_id, filter="owner", count=WALL_PAGE, offset=offset
            )
            items = response.get("items") if isinstance(response, dict) else None
            if not items:
                return None
            for post in items:
                if _post_matches(post, target, guid_text):
                    return int(post["id"])
                if not post.get("is_pinned") and float(post.get("date") or 0) < cutoff:
                    return None
            offset += len(items)
            total = response.get("count")
            if (isinstance(total, int) and offset >= total) or len(items) < WALL_PAGE:
                return None
        return None

    @staticmethod
    def post_url(owner_id: int, post_id: int) -> str:
        return f"https://vk.com/wall{owner_id}_{post_id}"

    # --- comments -----------------------------------------------------------------------------

    def create_comment(
        self,
        *,
        owner_id: int,
        post_id: int,
        message: str,
        guid: str,
        reply_to_comment: int | None = None,
        from_group: int | None = None,
        attachments: list[str] | None = None,
    ) -> int:
        """A comment under a post (a reply in a thread with ``reply_to_comment``); ``guid``
        makes a retry within VK's window return the same comment."""
        response = self.call(
            "wall.createComment",
            owner_id=owner_id,
            post_id=post_id,
            message=message,
            reply_to_comment=reply_to_comment,
            from_group=from_group,
            attachments=list(attachments or ()) or None,
            guid=guid,
        )
        try:
            return int(response["comment_id"])
        except (KeyError, TypeError, ValueError):
            raise TransientError(
                "vk", "bad_response", "wall.createComment returned no comment_id", ambiguous=True
            ) from None

    def find_comment(
        self, *, owner_id: int, post_id: int, from_id: int, text: str, reply_to: int | None
    ) -> int | None:
        """Our comment with this text under the post (or in the thread of ``reply_to``), after an
        attempt whose answer was lost: its id, or None. Reads the newest 100 of that level."""
        params = {"owner_id": owner_id, "post_id": post_id, "count": 100, "sort": "desc"}
        if reply_to:
            params["comment_id"] = reply_to
        response = self.call("wall.getComments", **params)
        items = response.get("items") if isinstance(response, dict) else None
        for comment in items or ():
            if comment.get("from_id") == from_id and (comment.get("text") or "") == text:
                return int(comment["id"])
        return None

    def recent_posts(self, *, owner_id: int, since: float) -> list[dict[str, Any]]:
        """The wall's posts (ours and by hand) published after ``since``, newest first: each with
        ``id``, ``date``, ``text`` and ``comments.count``."""
        found: list[dict[str, Any]] = []
        offset = 0
        for _page in range(MAX_WALL_PAGES):
            response = self.call(
                "wall.get", owner_id=owner_id, filter="owner", count=WALL_PAGE, offset=offset
            )
            items = response.get("items") if isinstance(response, dict) else None
            if not items:
                break
            older = False
            for post in items:
                if float(post.get("date") or 0) >= since:
                    found.append(post)
                elif not post.get("is_pinned"):
                    older = True
            offset += len(items)
            if older or len(items) < WALL_PAGE:
                break
        return found

    def comments(
        self,
        *,
        owner_id: int,
        post_id: int,
        offset: int = 0,
        thread_of: int | None = None,
        start_comment_id: int | None = None,
    ) -> dict[str, Any]:
        """One page (100) of a post's comments, oldest first, the authors' names included: the
        top level with up to 10 replies of each thread inline, or one thread (``thread_of``)."""
        params: dict[str, Any] = {
            "owner_id": owner_id,
            "post_id": post_id,
            "count": 100,
            "offset": offset,
            "sort": "asc",
            "preview_length": 0,
            "extended": True,
            "fields": ["first_name", "last_name", "name"],
        }
        if thread_of:
            params["comment_id"] = thread_of
            params["start_comment_id"] = start_comment_id
        else:
            params["thread_items_count"] = 10
        response = self.call("wall.getComments", **params)
        if not isinstance(response, dict):
            raise TransientError("vk", "bad_response", "wall.getComments: no object")
        return response

    def delete_comment(self, *, owner_id: int, comment_id: int) -> None:
        """Removes a comment (a community admin's user token); one already gone counts as
        removed."""
        try:
            self.call("wall.deleteComment", owner_id=owner_id, comment_id=comment_id)
        except NotFound:
            return

    def restore_comment(self, *, owner_id: int, comment_id: int) -> None:
        self.call("wall.restoreComment", owner_id=owner_id, comment_id=comment_id)

    def ban(
        self, *, group_id: int, user_id: int, end_date: int | None, reason: int, comment: str
    ) -> None:
        """Blacklists an author in the community; ``end_date`` None is for ever."""
        self.call(
            "groups.ban",
            group_id=group_id,
            owner_id=user_id,
            end_date=end_date,
            reason=reason,
            comment=comment or None,
            comment_visible=bool(comment),
        )

    def unban(self, *, group_id: int, user_id: int) -> None:
        self.call("groups.unban", group_id=group_id, owner_id=user_id)

    @staticmethod
    def comment_url(owner_id: int, post_id: int, comment_id: int) -> str:
        return f"https://vk.com/wall{owner_id}_{post_id}?reply={comment_id}"


WALL_ADDRESS = re.compile(r"wall(-?\d+)_(\d+)(?:_r(\d+))?")
REPLY_PARAM = re.compile(r"[?&](?:reply|comment)=(\d+)")


def reply_target(url: str) -> dict[str, int] | None:
    """Where a citizen's message is, from its link: ``{"owner_id", "post_id", "comment_id"?}``.

    ``https://vk.com/wall-123_45`` is a post, ``…?reply=678`` (or ``wall-123_45_r678``) a comment
    under it; ``https://vk.com/club1?w=wall-123_45`` works too. Anything else is None: the
    answer is then placed by hand.
    """
    match = WALL_ADDRESS.search(url or "")
    if not match:
        return None
    target = {"owner_id": int(match.group(1)), "post_id": int(match.group(2))}
    comment = match.group(3) or (REPLY_PARAM.search(url) or [None, None])[1]
    if comment:
        target["comment_id"] = int(comment)
    return target


def _post_id(response: Any, method: str) -> int:
    try:
        return int(response["post_id"])
    except (TypeError, KeyError, ValueError):
        # The call went through but the answer is unusable: whether it applied is unknown.
        raise TransientError(
            "vk", "bad_response", f"{method} returned no post_id", ambiguous=True
        ) from None


_URL_PUNCTUATION = "()[]{}<>«»\"'“”„.,;:!?"


def normalize_url(url: str) -> str:
    """A URL for comparison: no scheme, no ``www.``, lower-case host, no trailing slash."""
    url = url.strip().strip(_URL_PUNCTUATION)
    lowered = url.lower()
    for scheme in ("https://", "http://"):
        if lowered.startswith(scheme):
            url = url[len(scheme) :]
            break
    host, slash, rest = url.partition("/")
    host = host.lower()
    if host.startswith("www."):
        host = host[4:]
    return (host + slash + rest).rstrip("/")


def text_mentions_url(text: str, target: str) -> bool:
    """Whether ``text`` contains the (normalised) URL as a whole word, not as a prefix of another."""
    if not text or not target:
        return False
    return any(normalize_url(word) == target for word in text.split() if "/" in word)


def _post_matches(post: dict[str, Any], target: str, guid_text: str | None) -> bool:
    for attachment in post.get("attachments") or ():
        if isinstance(attachment, dict) and attachment.get("type") == "link":
            link = attachment.get("link") or {}
            if link.get("url") and normalize_url(str(link["url"])) == target:
                return True
    text = str(post.get("text") or "")
    if text_mentions_url(text, target):
        return True
    return bool(guid_text) and guid_text in text
