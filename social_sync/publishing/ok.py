"""OK (Одноклассники): topics in a group or on the Head's page through the OK REST API.

OK offers no documented edit or delete of a topic, and no idempotency key for posting: an
interrupted post is always looked for in the feed before it is sent again.
"""

from social_sync.clients.errors import PermanentError
from social_sync.models import AccountKind, Network
from social_sync.publishing.base import IMAGE_REFUSALS, Published, Publisher, Withdrawn
from social_sync.services import connections


class OKPublisher(Publisher):
    network = Network.OK

    def __init__(self, account):
        super().__init__(account)
        self.client = connections.ok_client(account)
        self.gid = account.owner_id if account.kind == AccountKind.COMMUNITY else None

    def _published(self, topic_id):
        if self.gid:
            return Published(topic_id, self.client.topic_url(self.gid, topic_id))
        return Published(
            topic_id, self.client.topic_url(None, topic_id, user_id=self.account.owner_id)
        )

    def find(self, content, since):
        found = self.client.find_topic(gid=self.gid, url=content.url, since=since)
        return self._published(found) if found else None

    def prepare(self, content):
        if not content.images:
            return []
        files = [(image.filename, image.read(), image.content_type) for image in content.images]
        try:
            return self.client.upload_photos(gid=self.gid, files=files)
        except PermanentError as error:
            if error.code not in IMAGE_REFUSALS:
                raise
        # One of them was refused: upload them one by one and leave that one out.
        return self.upload_each(
            content.images,
            lambda image: self.client.upload_photos(
                gid=self.gid, files=[(image.filename, image.read(), image.content_type)]
            )[0],
        )

    def post(self, content, prepared, *, guid):
        topic_id = self.client.post_topic(
            gid=self.gid, text=content.text_for(Network.OK), link=content.url, photo_tokens=prepared
        )
        return self._published(topic_id)

    def edit(self, post_row, page):
        raise Withdrawn(
            "Одноклассники не дают изменить опубликованную тему через API: "
            "при необходимости поправьте пост вручную."
        )

    def delete(self, post_row):
        raise Withdrawn(
            "Одноклассники не дают удалить тему через API: удалите пост вручную — "
            f"{post_row.remote_url}"
        )

    # Replies to citizens: the group's official comment (as_admin) under the topic.

    def reply(self, target, text, *, guid, images=()):
        # OK documents no attachment format for discussion comments: the text goes alone, and
        # the row says the photos were left out (see delivery._reply).
        comment_id = self.client.add_comment(
            topic_id=target["topic_id"], text=text, reply_to=target.get("comment_id")
        )
        return self._comment(target, comment_id)

    def find_reply(self, target, text):
        found = self.client.find_comment(
            topic_id=target["topic_id"], text=text, reply_to=target.get("comment_id")
        )
        return self._comment(target, found) if found else None

    def _comment(self, target, comment_id):
        url = self.client.topic_url(target["gid"], target["topic_id"])
        return Published(comment_id, f"{url}?commentId={comment_id}")
