"""Telegram: posts in a channel through the account's bot (Bot API).

The Bot API has no idempotency key and a bot cannot read its channel back, so a post whose
answer was lost is never sent again on a guess: ``find`` raises ``OutcomeUnknown`` and the row
waits for an editor to look at the channel («Пост есть в канале» / «Поста нет — отправить»).
"""

from social_sync.clients.errors import PermanentError
from social_sync.clients.telegram import TelegramClient
from social_sync.models import Network
from social_sync.publishing.base import (
    IMAGE_REFUSALS,
    OutcomeUnknown,
    Published,
    Publisher,
    Withdrawn,
)
from social_sync.services import connections
from social_sync.services.content import build_content

UNKNOWN = (
    "Неизвестно, вышел ли пост в канале Telegram: ответ на отправку потерялся, а прочитать "
    "канал бот не может. Откройте канал и отметьте в очереди отправки: «Пост есть в канале» "
    "(вставьте ссылку) или «Поста нет — отправить»."
)


class TelegramPublisher(Publisher):
    network = Network.TELEGRAM
    reads_back = False

    def __init__(self, account):
        super().__init__(account)
        self.client = connections.telegram_client(account)
        self.chat_id = account.owner_id

    def find(self, content, since):
        raise OutcomeUnknown(UNKNOWN)

    def prepare(self, content):
        return [(image.filename, image.read(), image.content_type) for image in content.images]

    def _published(self, messages, caption):
        ids = [int(message["message_id"]) for message in messages]
        url = TelegramClient.message_url(self.chat_id, ids[0])
        return Published(str(ids[0]), url, {"message_ids": ids, "caption": caption})

    def post(self, content, prepared, *, guid):
        if prepared:
            try:
                messages = self.client.send_photos(
                    chat_id=self.chat_id,
                    photos=prepared,
                    caption=content.text_for(Network.TELEGRAM, photos=len(prepared)),
                )
                return self._published(messages, caption=True)
            except PermanentError as error:
                if error.code not in IMAGE_REFUSALS:
                    raise
                # An album is taken whole or not at all: nothing went out; the text goes alone.
                self.rejected_images.extend(
                    (image.title or image.filename, error.explanation) for image in content.images
                )
        messages = self.client.send_message(
            chat_id=self.chat_id, text=content.text_for(Network.TELEGRAM, photos=0)
        )
        return self._published(messages, caption=False)

    def edit(self, post_row, page):
        content = build_content(page)
        meta = post_row.remote_meta or {}
        caption = bool(meta.get("caption"))
        self.client.edit_text(
            chat_id=self.chat_id,
            message_id=int(post_row.remote_id),
            text=content.text_for(Network.TELEGRAM, photos=1 if caption else 0),
            caption=caption,
        )
        return meta

    def delete(self, post_row):
        meta = post_row.remote_meta or {}
        ids = meta.get("message_ids") or [int(post_row.remote_id)]
        self.client.delete(chat_id=self.chat_id, message_ids=[int(i) for i in ids])

    def reply(self, target, text, *, guid, images=()):
        raise Withdrawn(
            "Ответы гражданам в Telegram бот не размещает: ответьте в обсуждении канала вручную."
        )

    def find_reply(self, target, text):
        return None
