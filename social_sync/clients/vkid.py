"""VK ID: exchanging a refresh token for a new token pair (see "VK ID user tokens: refresh" in vk.md).

A refresh token is single use: the caller must run one refresher per account, store the new pair
before using it, and treat ``invalid_grant`` as "a person has to log in again". Tokens never appear
in exception messages.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

import requests

DEFAULT_EXPIRES_IN = 3600  # VK ID access tokens live one hour

TRANSIENT_CODES = frozenset({"server_error", "temporarily_unavailable", "slow_down"})
PERMANENT_CODES = frozenset({"invalid_grant", "invalid_token", "invalid_client", "access_denied"})


@dataclass
class TokenPair:
    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_in: int
    user_id: int | str | None
    scope: str


_EXPLANATIONS = {
    "invalid_grant": "Доступ к ВКонтакте (VK ID) больше не действует: войдите в аккаунт ВКонтакте заново в настройках аккаунта.",
    "transient": "VK ID временно не ответил при обновлении доступа, повторим автоматически.",
    "other": "Не удалось обновить доступ к ВКонтакте (VK ID): {detail}. Войдите в аккаунт ВКонтакте заново в настройках аккаунта.",
}


class RefreshError(Exception):
    """A failed refresh. ``kind``: ``invalid_grant`` (log in again), ``transient`` (retry later),
    ``other`` (stop and alert)."""

    def __init__(self, kind: str, code: str | int | None, description: str = "") -> None:
        self.kind = kind
        self.code = code
        self.description = description or ""
        super().__init__(f"VK ID refresh failed ({kind}): {code}: {self.description}".rstrip(": "))

    @property
    def explanation(self) -> str:
        detail = self.description.strip().rstrip(".") or str(self.code)
        return _EXPLANATIONS[self.kind].format(detail=detail)

    def __reduce__(self):
        return (type(self), (self.kind, self.code, self.description))


def new_state() -> str:
    """A fresh state: 43 characters of A–Z a–z 0–9 _ -."""
    return secrets.token_urlsafe(32)


def refresh_tokens(
    *,
    token_url: str,
    client_id: str,
    refresh_token: str,
    device_id: str,
    session: requests.Session | None = None,
    timeout: float | tuple[float, float] = (5, 20),
    state: str | None = None,
) -> TokenPair:
    """Exchange ``refresh_token`` for a new pair; raises RefreshError."""
    state = state or new_state()
    data = {
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        "client_id": client_id,
        "device_id": device_id,
        "state": state,
    }
    http = session or requests.Session()
    try:
        response = http.post(token_url, data=data, timeout=timeout)
    except requests.Timeout:
        raise RefreshError("transient", "timeout", "VK ID did not answer in time") from None
    except requests.RequestException as exc:
        raise RefreshError("transient", "connection", type(exc).__name__) from None
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    status = response.status_code

    if isinstance(body, dict) and body.get("error"):
        code = str(body["error"])
        description = str(body.get("error_description") or "")
        if code == "invalid_grant":
            raise RefreshError("invalid_grant", code, description)
        if code in TRANSIENT_CODES:
            raise RefreshError("transient", code, description)
        if code in PERMANENT_CODES or status < 500:
            raise RefreshError("other", code, description)
        raise RefreshError("transient", code, description)
    if status >= 500 or status == 429:
        raise RefreshError("transient", f"http_{status}", f"HTTP {status}")
    if not isinstance(body, dict):
        kind = "transient" if status < 400 else "other"
        raise RefreshError(kind, f"http_{status}", "the answer is not JSON")
    if status >= 400:
        raise RefreshError("other", f"http_{status}", f"HTTP {status} without an error code")
    if not body.get("access_token"):
        raise RefreshError("other", "no_access_token", "the answer has no access_token")
    if body.get("state") != state:
        raise RefreshError(
            "other", "state_mismatch", "the answer's state differs from the sent one"
        )
    try:
        expires_in = int(body.get("expires_in") or DEFAULT_EXPIRES_IN)
    except (TypeError, ValueError):
        expires_in = DEFAULT_EXPIRES_IN
    return TokenPair(
        access_token=str(body["access_token"]),
        refresh_token=str(body.get("refresh_token") or ""),
        expires_in=expires_in,
        user_id=body.get("user_id"),
        scope=str(body.get("scope") or ""),
    )
