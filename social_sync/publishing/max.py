"""MAX: posts in a channel through the account's bot (MAX Bot API).

Sending has no idempotency key, but a bot can list its channel's messages: a post whose answer
was lost is looked for there (by its link back) before it is sent again.
"""

from social_sync.models import Network
from social_sync.publishing.base import Published, Publisher, Withdrawn
from social_sync.services import connections
from social_sync.services.content import build_content


class MaxPublisher(Publisher):
    network = Network.MAX

    def __init__(self, account):
        super().__init__(account)
        self.client = connections.max_client(account)
        self.chat_id = int(account.owner_id)

    def _published(self, message, meta=None):
        mid = str(message["body"]["mid"])
        return Published(mid, str(message.get("url") or ""), meta)

    def find(self, content, since):
        found = self.client.find_message(chat_id=self.chat_id, url=content.url, since=since)
        return self._published(found) if found else None

    def prepare(self, content):
        return self.upload_each(
            content.images,
            lambda image: self.client.upload_image(
                filename=image.filename, content=image.read(), content_type=image.content_type
            ),
        )

    def post(self, content, prepared, *, guid):
        message = self.client.send(
            chat_id=self.chat_id,
            text=content.text_for(Network.MAX, photos=len(prepared)),
            attachments=prepared,
        )
        return self._published(message, {"attachments": prepared, "images": content.image_key})

    def edit(self, post_row, page):
        content = build_content(page)
        meta = post_row.remote_meta or {}
        attachments = None  # unchanged images: MAX keeps the attachments
        if meta.get("images") != content.image_key:
            attachments = self.prepare(content)
        self.client.edit(
            message_id=post_row.remote_id,
            text=content.text_for(Network.MAX),
            attachments=attachments,
        )
        if attachments is None:
            return meta
        return {"attachments": attachments, "images": content.image_key}

    def delete(self, post_row):
        self.client.delete(message_id=post_row.remote_id)

    def reply(self, target, text, *, guid, images=()):
        raise Withdrawn(
            "Ответы гражданам в MAX бот не размещает: ответьте в комментариях канала вручную."
        )

    def find_reply(self, target, text):
        return None
