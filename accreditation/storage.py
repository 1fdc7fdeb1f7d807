"""Where applicants' files live: under PRIVATE_STORAGE_ROOT/accreditation, never under MEDIA_URL.

The storage has no URL at all (``url()`` raises): files reach a browser only through the
reviewers' admin views, which check the user first.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    # Read at each use, so that a changed setting (tests, a new deployment) is followed.
    @property
    def base_location(self):
        return str(Path(settings.PRIVATE_STORAGE_ROOT) / "accreditation")

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def directory_permissions_mode(self):
        return 0o700

    @property
    def file_permissions_mode(self):
        return 0o600

    def url(self, name):
        raise NotImplementedError("Файлы заявок на аккредитацию не имеют публичного адреса.")


_storage = PrivateStorage()


def private_storage():
    return _storage
