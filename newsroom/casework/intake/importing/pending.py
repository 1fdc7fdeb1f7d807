"""Checked import files between the preview and the commit, kept server-side.

A checked file is a JSON payload in a private folder under a random name (the token); the
token is kept in the user's session. Committing claims the file by renaming it, so a second
click (or tab) finds it gone; a failed load puts it back.
"""

import json
import os
import re
import secrets
import time
from pathlib import Path

from django.conf import settings

SESSION_KEY = "newsroom_case_import"
# A checked file nobody committed is forgotten after this many seconds.
KEEP_PENDING_FOR = 24 * 60 * 60
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


def pending_directory():
    """Outside the public media URL space, readable by the application's own user only."""
    private = Path(settings.PRIVATE_STORAGE_ROOT)
    directory = private / "case-imports"
    for path in (private, directory):
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def _forget_stale(directory):
    limit = time.time() - KEEP_PENDING_FOR
    for path in directory.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:
            pass


def save_pending(payload):
    directory = pending_directory()
    _forget_stale(directory)
    token = secrets.token_urlsafe(24)
    descriptor = os.open(directory / f"{token}.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(payload, file, ensure_ascii=False)
    return token


def pending_path(token):
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    return pending_directory() / f"{token}.json"


def load_pending(request, token):
    """The checked file behind ``token``, if it is this user's latest one and still there."""
    path = pending_path(token)
    if path is None or request.session.get(SESSION_KEY) != token:
        return None
    try:
        with open(path, encoding="utf-8") as file:
            payload = json.load(file)
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    if payload.get("user") != request.user.pk:
        return None
    return payload


def forget_pending(request):
    path = pending_path(request.session.pop(SESSION_KEY, None))
    if path is not None:
        path.unlink(missing_ok=True)


def claim_pending(token):
    """Takes the checked file for one commit: a second click (or tab) finds it gone."""
    path = pending_path(token)
    claimed = path.with_name(f"{token}.{secrets.token_hex(4)}.committing")
    try:
        path.rename(claimed)
    except FileNotFoundError:
        return None
    return claimed


def release(claimed, token):
    """Puts a claimed file back, so that its owner may commit it again."""
    path = pending_path(token)
    if path is not None:
        Path(claimed).rename(path)
