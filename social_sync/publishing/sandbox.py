"""The sandbox: an account without credentials "posts" into our own database.

The demo and a fresh install show the whole crossposting flow offline; the admin shows each
sandbox post at a path of its own.
"""

from django.urls import reverse
from django.utils import timezone

from social_sync.models import SandboxPost
from social_sync.publishing.base import Published, Publisher
from social_sync.services.content import build_content


class SandboxPublisher(Publisher):
    local = True

    def resend_is_safe(self, write_started_at):
        return True  # written in the row's own transaction: an interrupted attempt left nothing

    def post(self, content, prepared, *, guid):
        sandbox = SandboxPost.objects.create(
            account=self.account,
            text=content.text_for(self.account.network),
            link=content.url,
            images=[image.url for image in content.images],
        )
        # A path, not an address: the admin shows it on whatever host serves it.
        return Published(
            f"sandbox-{sandbox.pk}", reverse("social_sync:sandbox_post", args=[sandbox.pk])
        )

    def _sandbox_post(self, post_row):
        return SandboxPost.objects.filter(pk=post_row.remote_id.removeprefix("sandbox-")).first()

    def edit(self, post_row, page):
        sandbox = self._sandbox_post(post_row)
        if sandbox is not None:
            content = build_content(page)
            sandbox.text = content.text_for(self.account.network)
            sandbox.images = [image.url for image in content.images]
            sandbox.edited_at = timezone.now()
            sandbox.save()
        return None

    def delete(self, post_row):
        sandbox = self._sandbox_post(post_row)
        if sandbox is not None:
            sandbox.deleted_at = timezone.now()
            sandbox.save()

    def reply(self, target, text, *, guid, images=()):
        sandbox = SandboxPost.objects.create(
            account=self.account,
            text=text,
            link=target.get("url", ""),
            images=[image.url for image in images],
        )
        return Published(
            f"sandbox-{sandbox.pk}", reverse("social_sync:sandbox_post", args=[sandbox.pk])
        )

    def find_reply(self, target, text):
        return None  # written in the row's own transaction: nothing is ever half-placed
