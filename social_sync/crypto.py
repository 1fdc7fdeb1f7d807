"""Encryption of account credentials at rest.

Tokens and application secrets are stored as Fernet tokens (AES-128-CBC with HMAC-SHA256) made
with the keys of ``SOCIAL_TOKENS_KEYS``: the first key encrypts, every key decrypts, so a key is
rotated by putting the new one first and running ``manage.py rotate_social_keys``. Without the
setting (development, tests) the key is derived from ``SECRET_KEY``; the deploy checks warn.
"""

import base64
import functools
import hashlib

from django.conf import settings


class CredentialsUnreadable(Exception):
    """The stored secret was encrypted with a key that is no longer configured."""


@functools.cache
def _fernet(keys, secret_key):
    from cryptography.fernet import Fernet, MultiFernet  # loaded when a secret is first used

    if keys:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    derived = hashlib.sha256(b"social-sync-credentials:" + secret_key.encode()).digest()
    return MultiFernet([Fernet(base64.urlsafe_b64encode(derived))])


def fernet():
    return _fernet(tuple(settings.SOCIAL_TOKENS_KEYS), settings.SECRET_KEY)


def encrypt(value):
    if not value:
        return ""
    return fernet().encrypt(value.encode()).decode()


def decrypt(token):
    if not token:
        return ""
    from cryptography.fernet import InvalidToken

    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise CredentialsUnreadable from exc


def rotate(token):
    """Re-encrypts ``token`` with the first configured key."""
    return fernet().rotate(token.encode()).decode() if token else ""
