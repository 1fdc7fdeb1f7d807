"""Each network's side of comments: listing recent posts, reading their comments incrementally,
and the moderation calls. Intake and moderation (``comments.py``, ``moderation.py``) never ask
which network it is.

Comments are returned as plain dicts: ``remote_id, thread_root_id, reply_to_id, author_id,
author_name, text, published_at (aware datetime), url, is_ours``.
"""

import datetime as dt

from social_sync.clients.ok import OKClient
from social_sync.clients.vk import VKClient
from social_sync.models import AccountKind, Network
from social_sync.services import connections

MSK = dt.timezone(dt.timedelta(hours=3))
# groups.ban reasons (vk.md): 0 other, 1 spam, 2 harassment (insults, threats), 3 profanity.
VK_BAN_REASONS = {"other": 0, "spam": 1, "insult": 2, "threat": 2, "obscenity": 3, "stop_word": 4}


class Unsupported(Exception):
    """The network offers no way to do this through its API; the message says what to do."""


def _ts(value):
    return dt.datetime.fromtimestamp(float(value), dt.UTC)


class VKComments:
    network = Network.VK
    reads_comments = True

    def __init__(self, account):
        self.account = account
        self.client = connections.vk_client(account)  # moderation needs an admin's user token
        self.owner_id = account.vk_wall_owner_id
        self.calls = 0

    # --- reading ---------------------------------------------------------------------------

    def recent_posts(self, since):
        self.calls += 1  # at least one page
        posts = self.client.recent_posts(owner_id=self.owner_id, since=since.timestamp())
        return [
            {
                "remote_id": str(post["id"]),
                "published_at": _ts(post.get("date") or 0),
                "text": str(post.get("text") or ""),
                "url": VKClient.post_url(self.owner_id, int(post["id"])),
                "count": int((post.get("comments") or {}).get("count") or 0),
            }
            for post in posts
        ]

    def changed(self, post, info):
        return info is None or info["count"] != post.seen_count

    def _names(self, response):
        names = {}
        for profile in response.get("profiles") or ():
            first, last = profile.get("first_name") or "", profile.get("last_name") or ""
            names[str(profile.get("id"))] = f"{first} {last}".strip()
        for group in response.get("groups") or ():
            names[str(-int(group.get("id") or 0))] = str(group.get("name") or "")
        return names

    def _comment(self, item, names, post_id):
        from_id = int(item.get("from_id") or 0)
        parents = item.get("parents_stack") or []
        return {
            "remote_id": str(item["id"]),
            "thread_root_id": str(parents[0]) if parents else "",
            "reply_to_id": str(item.get("reply_to_comment") or ""),
            "author_id": str(from_id),
            "author_name": names.get(str(from_id), ""),
            "text": str(item.get("text") or ""),
            "published_at": _ts(item.get("date") or 0),
            "url": VKClient.comment_url(self.owner_id, post_id, int(item["id"])),
            "is_ours": from_id == self._our_id,
        }

    @property
    def _our_id(self):
        owner = self.account.numeric_owner_id
        return -owner if self.account.kind == AccountKind.COMMUNITY else owner

    def pull(self, post, info, known_threads):
        """New comments of ``post``: the top level with threads inline, threads longer than
        that read separately from the last reply we have. Returns (comments, cursor state)."""
        post_id = int(post.remote_id)
        found, offset = [], 0
        while True:
            self.calls += 1
            page = self.client.comments(owner_id=self.owner_id, post_id=post_id, offset=offset)
            names = self._names(page)
            items = page.get("items") or []
            for item in items:
                found.append(self._comment(item, names, post_id))
                thread = item.get("thread") or {}
                inline = thread.get("items") or []
                for reply in inline:
                    found.append(self._comment(reply, names, post_id))
                have, last = known_threads.get(str(item["id"]), (0, None))
                total = int(thread.get("count") or 0)
                if total > len(inline) and total > have:
                    found.extend(self._thread(post_id, int(item["id"]), last))
            offset += len(items)
            level = page.get("current_level_count", page.get("count"))
            if not items or len(items) < 100 or (isinstance(level, int) and offset >= level):
                break
        return found, {"seen_count": info["count"] if info else post.seen_count}

    def _thread(self, post_id, root, last_known):
        found, start = [], (int(last_known) + 1 if last_known else None)
        while True:
            self.calls += 1
            page = self.client.comments(
                owner_id=self.owner_id, post_id=post_id, thread_of=root, start_comment_id=start
            )
            names = self._names(page)
            items = page.get("items") or []
            found.extend(self._comment(item, names, post_id) for item in items)
            if len(items) < 100:
                return found
            start = int(items[-1]["id"]) + 1

    # --- moderation --------------------------------------------------------------------------

    def hide(self, comment):
        self.client.delete_comment(owner_id=self.owner_id, comment_id=int(comment.remote_id))

    def restore(self, comment):
        self.client.restore_comment(owner_id=self.owner_id, comment_id=int(comment.remote_id))

    def ban(self, comment, *, reason, until, note):
        if self.account.kind != AccountKind.COMMUNITY:
            raise Unsupported(
                "Заблокировать автора можно только в сообществе; на личной странице Главы "
                "добавьте его в чёрный список вручную."
            )
        self.client.ban(
            group_id=self.account.numeric_owner_id,
            user_id=int(comment.author_id),
            end_date=int(until.timestamp()) if until else None,
            reason=VK_BAN_REASONS.get(reason, 0),
            comment=note,
        )

    def unban(self, ban):
        self.client.unban(group_id=self.account.numeric_owner_id, user_id=int(ban.author_id))


class OKComments:
    network = Network.OK
    reads_comments = True

    def __init__(self, account):
        self.account = account
        self.client = connections.ok_client(account)
        self.gid = account.owner_id
        self.calls = 0

    def recent_posts(self, since):
        if self.account.kind != AccountKind.COMMUNITY:
            return []  # OK documents comment reading for group topics only
        self.calls += 1
        topics = self.client.recent_topics(gid=self.gid, since=since.timestamp())
        return [
            {
                "remote_id": topic["id"],
                "published_at": _ts(topic["created"]),
                "text": topic["text"],
                "url": OKClient.topic_url(self.gid, topic["id"]),
                "count": None,
            }
            for topic in topics
        ]

    def changed(self, post, info):
        return True  # OK gives no comment count in the feed: the anchor makes a quiet read cheap

    def _comment(self, item, topic_id):
        author = str(item.get("author_id") or "")
        if item.get("date_ms"):
            published = _ts(int(item["date_ms"]) / 1000)
        else:
            published = dt.datetime.strptime(str(item.get("date")), "%Y-%m-%d %H:%M:%S").replace(
                tzinfo=MSK
            )
        reply_to = str(item.get("reply_to_comment_id") or "")
        return {
            "remote_id": str(item["id"]),
            "thread_root_id": reply_to,
            "reply_to_id": reply_to,
            "author_id": author,
            "author_name": str(item.get("author_name") or ""),
            "text": str(item.get("text") or ""),
            "published_at": published,
            "url": f"{OKClient.topic_url(self.gid, topic_id)}?commentId={item['id']}",
            # Nothing in a comment marks the group's official answer (ok.md): ours are known by
            # the ids our reply rows got back (``comments.store``, ``delivery._reply_placed``).
            "is_ours": author in (self.gid, f"group:{self.gid}"),
        }

    def pull(self, post, info, known_threads):
        found, anchor = [], post.cursor or None
        while True:
            self.calls += 1
            page = self.client.comments(topic_id=post.remote_id, anchor=anchor)
            found.extend(self._comment(item, post.remote_id) for item in page.get("comments") or ())
            new_anchor = page.get("anchor") or anchor
            if not page.get("has_more") or not new_anchor or new_anchor == anchor:
                return found, {"cursor": new_anchor or ""}
            anchor = new_anchor

    def hide(self, comment):
        self._delete(comment, block_author=False)

    def _delete(self, comment, *, block_author):
        self.client.delete_comment(
            topic_id=comment.post_remote_id, comment_id=comment.remote_id, block_author=block_author
        )

    def restore(self, comment):
        raise Unsupported("Одноклассники не дают восстановить удалённый комментарий.")

    def ban(self, comment, *, reason, until, note):
        if until is not None:
            raise Unsupported(
                "В Одноклассниках автора можно заблокировать только бессрочно (вместе с удалением "
                "комментария); срок не задаётся."
            )
        self._delete(comment, block_author=True)

    def unban(self, ban):
        raise Unsupported(
            "Одноклассники не дают снять блокировку через API: уберите автора из чёрного списка "
            "группы вручную, затем отметьте это здесь."
        )


class MaxChannel:
    """A MAX channel read back for the posting norms (its comments are not taken in)."""

    network = Network.MAX
    reads_comments = False  # the wall alone, for the norms

    def __init__(self, account):
        self.account = account
        self.client = connections.max_client(account)
        self.chat_id = int(account.owner_id)
        self.calls = 0

    def recent_posts(self, since):
        self.calls += 1
        return [
            {
                "remote_id": str(message["body"]["mid"]),
                "published_at": _ts(float(message.get("timestamp") or 0) / 1000),
                "text": str((message.get("body") or {}).get("text") or ""),
                "url": str(message.get("url") or ""),
                "count": None,
            }
            for message in self.client.recent(chat_id=self.chat_id, since=since.timestamp())
        ]

    def changed(self, post, info):
        return False  # never read: a channel's posts take no comments (reads_comments)


SIDES = {Network.VK: VKComments, Network.OK: OKComments, Network.MAX: MaxChannel}
#: Networks whose walls can be read back (a Telegram bot cannot read its channel).
READABLE_NETWORKS = tuple(SIDES)


def comments_for(account):
    if account.network not in SIDES:
        raise ValueError(account.network)
    return SIDES[account.network](account)
