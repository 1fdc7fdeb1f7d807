"""Bearer tokens of the intake API: Wagtail's ``APIToken``, managed per user in the admin.

Only a digest of a token is stored; a presented token is looked up by its digests under the current
``SECRET_KEY`` and its fallbacks. Sessions and cookies play no part: the request is made on behalf
of the token's user and nobody else.
"""

from django.conf import settings
from django.utils import timezone

from wagtail.models import APIToken

# RFC 6750: the scheme and realm an API client is told to use.
REALM = 'Bearer realm="newsroom"'
# Writing ``last_used_at`` on every request would turn every read into a write.
DEFAULT_TOUCH_INTERVAL = 60


class AuthenticationFailed(Exception):
    """The request carries no usable token; the message is for the client, in Russian."""

    def __init__(self, message, *, invalid_token=True):
        super().__init__(message)
        self.message = message
        self.invalid_token = invalid_token

    @property
    def www_authenticate(self):
        if self.invalid_token:
            return f'{REALM}, error="invalid_token"'
        return REALM


def token_from_header(request):
    header = request.headers.get("Authorization", "").strip()
    if not header:
        raise AuthenticationFailed(
            "Нужен токен доступа: передайте его в заголовке «Authorization: Bearer <токен>».",
            invalid_token=False,
        )
    scheme, _space, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise AuthenticationFailed(
            "Заголовок Authorization должен иметь вид «Bearer <токен>»; другие способы входа API не принимает."
        )
    if not APIToken.validate_token_format(token):
        raise AuthenticationFailed(
            "Токен имеет неверный формат: проверьте, что он скопирован полностью."
        )
    return token


def authenticate(request):
    """The ``APIToken`` the request presents; raises ``AuthenticationFailed`` otherwise."""
    token = token_from_header(request)
    matches = list(
        APIToken.objects.select_related("user").filter(
            key_hash__in=APIToken.candidate_key_hashes(token)
        )
    )
    if not matches:
        raise AuthenticationFailed("Токен не найден: он недействителен или был удалён.")
    active = [match for match in matches if match.revoked_at is None]
    if not active:
        raise AuthenticationFailed("Токен отозван. Запросите новый у администратора сайта.")
    api_token = active[0]
    if not api_token.user.is_active:
        raise AuthenticationFailed("Учётная запись, которой выдан токен, отключена.")
    touch(api_token)
    return api_token


def touch(api_token, now=None):
    """Records when the token was used, at most once per interval (a minute by default)."""
    interval = getattr(settings, "WAGTAILAPI_TOKEN_LAST_USED_INTERVAL", DEFAULT_TOUCH_INTERVAL)
    if interval is None:
        return
    now = now or timezone.now()
    last = api_token.last_used_at
    if last is None or (now - last).total_seconds() >= interval:
        APIToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        api_token.last_used_at = now
