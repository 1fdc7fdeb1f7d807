"""VK: posts on a community's or the Head's wall through the VK API."""

from datetime import timedelta

from django.utils import timezone

from social_sync.clients.errors import NotFound
from social_sync.clients.vk import VKClient
from social_sync.models import AccountKind, Network
from social_sync.publishing.base import Published, Publisher
from social_sync.services import connections
from social_sync.services.content import build_content

# VK keeps a guid for about an hour; past this age of the first write, read the wall back.
VK_GUID_TRUST = timedelta(minutes=50)


class VKPublisher(Publisher):
    network = Network.VK

    def __init__(self, account):
        super().__init__(account)
        self.client = connections.vk_client(account)
        self.owner_id = account.vk_wall_owner_id

    def resend_is_safe(self, write_started_at):
        return timezone.now() - write_started_at <= VK_GUID_TRUST

    def find(self, content, since):
        found = self.client.find_post(owner_id=self.owner_id, url=content.url, since=since)
        return Published(found, VKClient.post_url(self.owner_id, found)) if found else None

    def prepare(self, content):
        return self.prepare_images(content.images)

    def prepare_images(self, images):
        account = self.account
        group_id = account.numeric_owner_id if account.kind == AccountKind.COMMUNITY else None
        return self.upload_each(
            images,
            lambda image: self.client.upload_wall_photo(
                group_id=group_id,
                content=image.read(),
                filename=image.filename,
                content_type=image.content_type,
            ),
        )

    def post(self, content, prepared, *, guid):
        post_id = self.client.post(
            owner_id=self.owner_id,
            message=content.text_for(Network.VK),
            attachments=[*prepared, content.url],
            guid=guid,
            from_group=self.account.kind == AccountKind.COMMUNITY,
        )
        meta = {"attachments": prepared, "images": content.image_key}
        return Published(post_id, VKClient.post_url(self.owner_id, post_id), meta)

    def edit(self, post_row, page):
        content = build_content(page)
        meta = post_row.remote_meta or {}
        attachments = meta.get("attachments")
        if attachments is None or meta.get("images") != content.image_key:
            attachments = self.prepare(content)
        self.client.edit(
            owner_id=self.owner_id,
            post_id=int(post_row.remote_id),
            message=content.text_for(Network.VK),
            attachments=[*attachments, content.url],
        )
        return {"attachments": attachments, "images": content.image_key}

    def delete(self, post_row):
        try:
            self.client.delete(owner_id=self.owner_id, post_id=int(post_row.remote_id))
        except NotFound:
            pass  # already gone: what we wanted

    # Replies to citizens: from the community itself where the account is one.

    def _reply_author(self):
        if self.account.kind == AccountKind.COMMUNITY:
            return self.account.numeric_owner_id, -self.account.numeric_owner_id
        return None, self.account.numeric_owner_id

    def reply(self, target, text, *, guid, images=()):
        from_group, _from_id = self._reply_author()
        comment_id = self.client.create_comment(
            owner_id=target["owner_id"],
            post_id=target["post_id"],
            message=text,
            reply_to_comment=target.get("comment_id"),
            from_group=from_group,
            guid=guid,
            attachments=self.prepare_images(images),
        )
        url = VKClient.comment_url(target["owner_id"], target["post_id"], comment_id)
        return Published(str(comment_id), url)

    def find_reply(self, target, text):
        _from_group, from_id = self._reply_author()
        found = self.client.find_comment(
            owner_id=target["owner_id"],
            post_id=target["post_id"],
            from_id=from_id,
            text=text,
            reply_to=target.get("comment_id"),
        )
        if found is None:
            return None
        url = VKClient.comment_url(target["owner_id"], target["post_id"], found)
        return Published(str(found), url)
