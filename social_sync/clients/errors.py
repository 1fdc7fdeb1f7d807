"""Errors of the social network clients, classified by what the caller should do next.

The hierarchy answers one question each:

* ``TransientError`` — try again later (with backoff); ``RateLimited`` and ``LongBackoff`` say how long.
* ``PermanentError`` — retrying the same request will not help; ``AuthError`` (refresh the token),
  ``HumanActionRequired`` (captcha, validation) and ``NotFound`` (already gone) are the special cases.

``ambiguous`` is orthogonal: it is True when the request may have been applied although no answer
arrived (timeouts, HTTP 5xx, a broken body, VK error 10), so a non-idempotent action must be reconciled
before it is sent again.

Every error carries ``explanation``: one Russian sentence for editors. Tokens never appear in any
message.
"""

from __future__ import annotations

from typing import Any

import requests

NETWORK_NAMES = {
    "vk": "ВКонтакте",
    "ok": "Одноклассники",
    "vkid": "VK ID",
    "telegram": "Telegram",
    "max": "MAX",
}
# The genitive, for "ошибка …", "токен …".
NETWORK_GENITIVE = {
    "vk": "ВКонтакте",
    "ok": "Одноклассников",
    "vkid": "VK ID",
    "telegram": "Telegram",
    "max": "MAX",
}

# How long to stay away after a long-backoff error, in seconds.
VK_FLOOD_BACKOFF = 15 * 60.0
VK_QUOTA_BACKOFF = 60 * 60.0
OK_BLOCKED_BACKOFF = 10 * 60.0
OK_LIMIT_BACKOFF = 60 * 60.0
VK_TOO_MANY_PER_SECOND_WAIT = 1.0
# After MAX's «attachment.not.ready»: the least pause before the same message is sent again.
MAX_NOT_READY_WAIT = 1.2


class SocialError(Exception):
    """A failed call to a social network: which network, its code, its message, and what it means."""

    default_explanation = "Ошибка {of_service} (код {code}): {detail}."

    def __init__(
        self,
        network: str,
        code: int | str | None = None,
        detail: str = "",
        *,
        ambiguous: bool = False,
        retry_after: float | None = None,
        extra: dict[str, Any] | None = None,
        explanation: str | None = None,
    ) -> None:
        self.network = network
        self.code = code
        self.detail = detail or ""
        self.ambiguous = ambiguous
        self.retry_after = retry_after
        self.extra = dict(extra or {})
        self._explanation = explanation
        super().__init__(self._message())

    def _message(self) -> str:
        text = f"{self.network} error {self.code}"
        if self.detail:
            text += f": {self.detail}"
        if self.ambiguous:
            text += " (the action may have been applied)"
        if self.retry_after is not None:
            text += f" (retry after {self.retry_after:g} s)"
        return text

    @property
    def service(self) -> str:
        return NETWORK_NAMES.get(self.network, self.network)

    @property
    def of_service(self) -> str:
        return NETWORK_GENITIVE.get(self.network, self.network)

    @property
    def explanation(self) -> str:
        """One Russian sentence for editors: what happened and what to do."""
        template = self._explanation
        if template is None:
            template = _EXPLANATIONS.get(self.network, {}).get(self.code)
        if template is None:
            template = self.default_explanation
        return _finish(
            template.format(
                service=self.service,
                of_service=self.of_service,
                code=self.code if self.code is not None else "—",
                detail=self.detail.strip().rstrip(".") or "нет описания",
                minutes=_minutes(self.retry_after),
            )
        )

    def __reduce__(self):  # keep the keyword arguments when pickled (multiprocessing, task queues)
        return (
            _rebuild,
            (
                type(self),
                self.network,
                self.code,
                self.detail,
                {
                    "ambiguous": self.ambiguous,
                    "retry_after": self.retry_after,
                    "extra": self.extra,
                    "explanation": self._explanation,
                },
            ),
        )


def _rebuild(cls, network, code, detail, kwargs):
    return cls(network, code, detail, **kwargs)


class TransientError(SocialError):
    """Retry later with backoff."""

    default_explanation = (
        "Временная ошибка {of_service} (код {code}): {detail}. Повторим автоматически."
    )


class RateLimited(TransientError):
    """Too many requests: wait at least ``retry_after`` seconds, then retry."""

    default_explanation = (
        "{service}: слишком частые запросы (код {code}), повторим автоматически чуть позже."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.retry_after is None:
            self.retry_after = VK_TOO_MANY_PER_SECOND_WAIT


class WindowClosed(RateLimited):
    """Our own rate window for the token is full for longer than a delivery may wait: nothing
    was sent; the work goes back to the outbox for the moment the window opens."""

    default_explanation = (
        "{service}: исчерпан лимит запросов аккаунта, отправка продолжится автоматически."
    )

    def __init__(self, network: str, wait: float) -> None:
        super().__init__(network, "rate_window", f"window opens in {wait:.1f} s", retry_after=wait)


class LongBackoff(TransientError):
    """Retryable, but only after minutes or hours (flood control, quotas): never in a hot loop."""

    default_explanation = (
        "{service}: действие временно ограничено (код {code}): {detail}. Повторим через {minutes}."
    )


class PermanentError(SocialError):
    """Retrying the same request will not help: configuration, permissions, content or a bug."""

    default_explanation = "{service}: запрос отклонён (код {code}): {detail}."


class AuthError(PermanentError):
    """The token is invalid, expired or revoked: refresh it once, otherwise alert the editors."""

    default_explanation = (
        "Токен {of_service} недействителен или истёк: обновите доступ в настройках аккаунта."
    )


class HumanActionRequired(PermanentError):
    """A person has to act (captcha, validation); the captcha fields are kept for them."""

    default_explanation = (
        "{service}: требуется действие человека (код {code}): выполните его вручную в сообществе."
    )

    @property
    def captcha_sid(self) -> str | None:
        return _str_or_none(self.extra.get("captcha_sid"))

    @property
    def captcha_img(self) -> str | None:
        return _str_or_none(self.extra.get("captcha_img"))

    @property
    def redirect_uri(self) -> str | None:
        return _str_or_none(self.extra.get("redirect_uri"))


class NotFound(PermanentError):
    """The object does not exist (any more); for deletes this means it is already gone."""

    default_explanation = "{service}: объект не найден (код {code}), вероятно, он уже удалён."


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _minutes(seconds: float | None) -> str:
    if not seconds:
        return "некоторое время"
    minutes = max(1, round(seconds / 60))
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} ч"
    return f"{minutes} мин"


def _finish(sentence: str) -> str:
    sentence = sentence.strip()
    # A service's detail may end with its own full stop: avoid "..".
    while sentence.endswith(".."):
        sentence = sentence[:-1]
    if sentence and sentence[-1] not in ".!?…":
        sentence += "."
    return sentence


# --- VK -------------------------------------------------------------------------------------------

_VK_TRANSIENT = {1, 10, 13, 36, 43}
_VK_AMBIGUOUS = {1, 10, 13, 36}  # the server failed while (possibly after) handling the request
_VK_AUTH = {5, 1114, 1116, 1117}
_VK_HUMAN = {14, 17, 24, 25, 3300, 3301, 3302, 3303, 3304}
_VK_NOT_FOUND = {104}
_VK_LONG = {
    9: VK_FLOOD_BACKOFF,
    29: VK_QUOTA_BACKOFF,
    601: VK_QUOTA_BACKOFF,
    1105: VK_FLOOD_BACKOFF,
}

_VK_EXPLANATIONS: dict[int | str | None, str] = {
    1: "Неизвестная ошибка ВКонтакте (код 1), повторим автоматически.",
    2: "Приложение ВКонтакте отключено (ошибка 2): включите его в настройках приложения VK.",
    3: "ВКонтакте не знает вызванный метод (ошибка 3): это ошибка программы, сообщите разработчикам.",
    5: "Токен ВКонтакте недействителен или истёк: обновите доступ в настройках аккаунта.",
    6: "Слишком много запросов к ВКонтакте в секунду (ошибка 6), повторим автоматически.",
    7: "Нет разрешения на это действие ВКонтакте (ошибка 7): при подключении аккаунта не выданы нужные права (стена, фотографии, сообщества) — подключите аккаунт заново.",
    8: "ВКонтакте отклонил запрос как некорректный (ошибка 8): {detail}. Это ошибка программы, сообщите разработчикам.",
    9: "ВКонтакте включил защиту от флуда (ошибка 9): слишком много одинаковых действий. Повторим через {minutes}; если повторяется, измените текст.",
    10: "Временная ошибка ВКонтакте (код 10), повторим автоматически.",
    13: "Временная ошибка ВКонтакте (код 13), повторим автоматически.",
    14: "ВКонтакте требует ввести капчу: действие нужно выполнить вручную в сообществе.",
    15: "Доступ запрещён ВКонтакте (ошибка 15): проверьте права аккаунта в сообществе и что объект не удалён и не заблокирован.",
    16: "ВКонтакте требует защищённое соединение (ошибка 16): проверьте адрес API в настройках.",
    17: "ВКонтакте требует подтвердить вход (ошибка 17): войдите в аккаунт ВКонтакте в браузере, пройдите проверку и подключите аккаунт заново.",
    18: "Пользователь ВКонтакте удалён или заблокирован (ошибка 18).",
    24: "ВКонтакте требует подтвердить действие (ошибка 24): выполните его вручную в сообществе.",
    25: "ВКонтакте требует подтвердить токен (ошибка 25): подключите аккаунт заново.",
    27: "Этот метод ВКонтакте нельзя вызывать ключом сообщества (ошибка 27): подключите аккаунт администратора (ключ пользователя).",
    28: "Этот метод ВКонтакте нельзя вызывать сервисным ключом (ошибка 28): подключите аккаунт администратора (ключ пользователя).",
    29: "Исчерпан лимит вызовов метода ВКонтакте (ошибка 29): повторим через {minutes}.",
    36: "ВКонтакте не успел выполнить запрос (ошибка 36), повторим автоматически.",
    43: "Раздел ВКонтакте временно недоступен (ошибка 43), повторим автоматически.",
    100: "ВКонтакте отклонил параметры запроса (ошибка 100): {detail}.",
    104: "Запись ВКонтакте не найдена (ошибка 104): вероятно, она уже удалена.",
    113: "Неверный идентификатор пользователя ВКонтакте (ошибка 113).",
    118: "ВКонтакте не принял загрузку изображения (ошибка 118, неверный сервер): загрузим заново.",
    121: "ВКонтакте не принял загрузку изображения (ошибка 121, неверный хеш): загрузим заново.",
    125: "Неверный идентификатор сообщества ВКонтакте (ошибка 125): проверьте его в настройках.",
    203: "Нет доступа к сообществу ВКонтакте (ошибка 203): аккаунт должен быть администратором сообщества.",
    210: "Нет доступа к записи на стене ВКонтакте (ошибка 210): аккаунт должен быть администратором сообщества.",
    211: "Нет доступа к комментарию ВКонтакте (ошибка 211): аккаунт должен быть администратором сообщества.",
    212: "Комментарии к записи ВКонтакте недоступны (ошибка 212).",
    213: "Комментарии к записи ВКонтакте закрыты (ошибка 213).",
    214: "Нет прав на публикацию в сообществе (ошибка 214): аккаунт должен быть администратором, а стена — открыта.",
    219: "ВКонтакте: рекламная запись недавно уже публиковалась (ошибка 219).",
    220: "ВКонтакте: слишком много получателей (ошибка 220).",
    222: "ВКонтакте запретил ссылки в этой записи (ошибка 222): уберите лишние ссылки из текста.",
    223: "ВКонтакте: слишком много ответов подряд (ошибка 223).",
    224: "ВКонтакте: превышен лимит рекламных записей (ошибка 224).",
    225: "ВКонтакте: VK Donut в сообществе отключён (ошибка 225).",
    601: "ВКонтакте: исчерпан дневной лимит действий (ошибка 601), повторим через {minutes}.",
    1105: "ВКонтакте: слишком много попыток входа (ошибка 1105), повторим через {minutes}.",
    1117: "Токен ВКонтакте истёк: обновите доступ в настройках аккаунта.",
    "timeout": "ВКонтакте не ответил вовремя, повторим автоматически.",
    "connection": "Не удалось связаться с ВКонтакте, повторим автоматически.",
    "bad_response": "ВКонтакте прислал непонятный ответ, повторим автоматически.",
    "photo_rejected": "ВКонтакте не принял изображение: проверьте формат (JPG, PNG или GIF), размер до 50 МБ и пропорции.",
}


def classify_vk(code: int, msg: str, extra: dict[str, Any] | None = None) -> SocialError:
    """The error for a VK ``{"error": {...}}`` envelope (``extra`` is the whole error object)."""
    extra = {k: v for k, v in (extra or {}).items() if k not in ("error_code", "error_msg")}
    # request_params echoes the call's parameters; it is never needed and may be large.
    extra.pop("request_params", None)
    try:
        code = int(code)
    except (TypeError, ValueError):
        return TransientError("vk", code, msg, ambiguous=True, extra=extra)
    if code == 6:
        return RateLimited("vk", code, msg, retry_after=VK_TOO_MANY_PER_SECOND_WAIT, extra=extra)
    if code in _VK_LONG:
        return LongBackoff("vk", code, msg, retry_after=_VK_LONG[code], extra=extra)
    if code in _VK_TRANSIENT:
        return TransientError("vk", code, msg, ambiguous=code in _VK_AMBIGUOUS, extra=extra)
    if code in _VK_AUTH:
        return AuthError("vk", code, msg, extra=extra)
    if code in _VK_HUMAN:
        return HumanActionRequired("vk", code, msg, extra=extra)
    if code in _VK_NOT_FOUND:
        return NotFound("vk", code, msg, extra=extra)
    return PermanentError("vk", code, msg, extra=extra)


# --- OK -------------------------------------------------------------------------------------------

_OK_TRANSIENT = {1, 2}
_OK_AUTH = {102, 103, 453}
_OK_NOT_FOUND = {300, 700}

_OK_EXPLANATIONS: dict[int | str | None, str] = {
    1: "Неизвестная ошибка Одноклассников (код 1), повторим автоматически.",
    2: "Сервис Одноклассников временно недоступен (код 2), повторим автоматически.",
    3: "Одноклассники не знают вызванный метод (ошибка 3): это ошибка программы, сообщите разработчикам.",
    4: "Одноклассники отклонили запрос как некорректный (ошибка 4): {detail}. Это ошибка программы, сообщите разработчикам.",
    7: "Одноклассники временно заблокировали действие для этого аккаунта (ошибка 7): повторим через {minutes}.",
    8: "Одноклассники ограничили частоту запросов (ошибка 8): повторим через {minutes}.",
    9: "Одноклассники заблокировали запросы с адреса сервера (ошибка 9): обратитесь в поддержку API Одноклассников.",
    10: "Нет разрешения на это действие в Одноклассниках (ошибка 10): приложению не выданы права (например, GROUP_CONTENT или PHOTO_CONTENT) — подключите аккаунт заново или запросите права у Одноклассников.",
    11: "Исчерпан лимит вызовов метода Одноклассников (ошибка 11): повторим через {minutes}.",
    21: "Одноклассники не приняли загрузку изображения (ошибка 21): это ошибка программы, сообщите разработчикам.",
    50: "Нет прав администратора группы в Одноклассниках (ошибка 50): аккаунт должен быть администратором группы.",
    100: "Одноклассники отклонили параметры запроса (ошибка 100): {detail}.",
    101: "Неверный ключ приложения Одноклассников (ошибка 101): проверьте application_key в настройках.",
    102: "Токен Одноклассников недействителен или истёк: обновите доступ в настройках аккаунта.",
    103: "Токен Одноклассников недействителен или истёк: обновите доступ в настройках аккаунта.",
    104: "Одноклассники отклонили подпись запроса (ошибка 104): проверьте секретный ключ приложения в настройках.",
    160: "Неверный идентификатор группы Одноклассников (ошибка 160): проверьте его в настройках.",
    200: "Приложению Одноклассников не разрешено это действие (ошибка 200): проверьте права приложения и авторизацию.",
    300: "Объект в Одноклассниках не найден (ошибка 300): вероятно, он уже удалён.",
    453: "Токен Одноклассников недействителен или истёк: обновите доступ в настройках аккаунта.",
    454: "Одноклассники отклонили текст (ошибка 454, цензура): измените текст публикации.",
    500: "Одноклассники не приняли изображение (ошибка 500): файл слишком большой.",
    501: "Одноклассники не приняли изображение (ошибка 501): изображение слишком маленькое.",
    502: "Одноклассники не приняли изображение (ошибка 502): изображение слишком большое.",
    503: "Одноклассники не приняли изображение (ошибка 503): неподдерживаемый формат.",
    504: "Одноклассники не приняли изображение (ошибка 504): файл повреждён.",
    505: "Одноклассники не приняли изображение (ошибка 505): в файле нет изображения.",
    600: "Одноклассники не приняли публикацию (ошибка 600): слишком много блоков.",
    601: "Одноклассники не приняли публикацию (ошибка 601): текст слишком длинный.",
    605: "Одноклассники не приняли публикацию (ошибка 605): неверный формат ссылки.",
    700: "Комментарий в Одноклассниках не найден (ошибка 700): вероятно, он уже удалён.",
    "timeout": "Одноклассники не ответили вовремя, повторим автоматически.",
    "connection": "Не удалось связаться с Одноклассниками, повторим автоматически.",
    "bad_response": "Одноклассники прислали непонятный ответ, повторим автоматически.",
    "photo_rejected": "Одноклассники не приняли изображение: проверьте формат и размер файла.",
}
for _code in range(600, 608):
    _OK_EXPLANATIONS.setdefault(
        _code, "Одноклассники не приняли публикацию (ошибка {code}): {detail}."
    )


def classify_ok(code: int, msg: str) -> SocialError:
    """The error for an OK ``{"error_code": N, "error_msg": ...}`` envelope."""
    try:
        code = int(code)
    except (TypeError, ValueError):
        return TransientError("ok", code, msg, ambiguous=True)
    if code in _OK_TRANSIENT:
        # An error envelope is an answer: the call was not applied.
        return TransientError("ok", code, msg)
    if code == 8:
        return RateLimited("ok", code, msg, retry_after=OK_BLOCKED_BACKOFF)
    if code == 7:
        return LongBackoff("ok", code, msg, retry_after=OK_BLOCKED_BACKOFF)
    if code == 11:
        return LongBackoff("ok", code, msg, retry_after=OK_LIMIT_BACKOFF)
    if code in _OK_AUTH:
        return AuthError("ok", code, msg)
    if code in _OK_NOT_FOUND:
        return NotFound("ok", code, msg)
    return PermanentError("ok", code, msg)


# --- Telegram Bot API ----------------------------------------------------------------------------
# Errors come as HTTP status + {"ok": false, "error_code", "description", "parameters"}; the
# description is the only finer key, so the client maps known descriptions to these codes.

_TELEGRAM_EXPLANATIONS: dict[int | str | None, str] = {
    "unauthorized": "Telegram не принял токен бота (401): выпустите новый токен у @BotFather и "
    "внесите его в настройки аккаунта.",
    "not_member": "Бот не может публиковать в канале Telegram: добавьте его администратором "
    "канала с правом публиковать сообщения, затем нажмите «Повторить».",
    "chat_not_found": "Канал Telegram не найден: проверьте идентификатор (@имя канала или "
    "число, начинающееся с -100) и что бот добавлен в канал.",
    "too_long": "Telegram не принял текст (400): он длиннее допустимого — сократите текст для "
    "Telegram.",
    "not_modified": "Пост в Telegram уже такой, менять нечего.",
    "cant_delete": "Telegram не даёт боту удалить это сообщение (например, оно старше 48 часов): "
    "удалите пост в канале вручную.",
    "message_gone": "Сообщение в Telegram не найдено: вероятно, его уже удалили.",
    "photo_rejected": "Telegram не принял изображение: проверьте формат (JPG или PNG) и размер.",
    "bad_request": "Telegram отклонил запрос (400): {detail}.",
    "timeout": "Telegram не ответил вовремя, повторим автоматически.",
    "connection": "Не удалось связаться с Telegram, повторим автоматически.",
    "bad_response": "Telegram прислал непонятный ответ, повторим автоматически.",
}

_TELEGRAM_DESCRIPTIONS = (
    ("message is not modified", "not_modified"),
    ("chat not found", "chat_not_found"),
    ("message is too long", "too_long"),
    ("caption is too long", "too_long"),
    ("message can't be deleted", "cant_delete"),
    ("message to delete not found", "message_gone"),
    ("message to edit not found", "message_gone"),
    ("image_process_failed", "photo_rejected"),
    ("photo_invalid_dimensions", "photo_rejected"),
    ("wrong file", "photo_rejected"),
)
TELEGRAM_LONG_WAIT = 60.0


def classify_telegram(status: int, description: str, parameters: dict | None) -> SocialError:
    """The error for a Bot API answer with ``ok: false``."""
    text = (description or "").lower()
    retry_after = parse_retry_after(str((parameters or {}).get("retry_after") or ""))
    if status == 429:
        cls = LongBackoff if (retry_after or 0) > TELEGRAM_LONG_WAIT else RateLimited
        return cls("telegram", 429, description, retry_after=retry_after or 1.0)
    if status == 401:
        return AuthError("telegram", "unauthorized", description)
    if status == 403:
        return PermanentError("telegram", "not_member", description)
    if status >= 500:
        return TransientError("telegram", f"http_{status}", description, ambiguous=True)
    for fragment, code in _TELEGRAM_DESCRIPTIONS:
        if fragment in text:
            if code == "message_gone":
                return NotFound("telegram", code, description)
            return PermanentError("telegram", code, description)
    return PermanentError("telegram", "bad_request", description)


# --- MAX Bot API ----------------------------------------------------------------------------------
# Errors come as an HTTP status and {"code": "<key>", "message": "..."}.

_MAX_EXPLANATIONS: dict[int | str | None, str] = {
    "verify.token": "MAX не принял токен бота: выпустите новый на business.max.ru и внесите его "
    "в настройки аккаунта.",
    "chat.denied": "Бот не может публиковать в канале MAX: добавьте его администратором канала "
    "с правом писать сообщения, затем нажмите «Повторить».",
    "chat.not.found": "Канал MAX не найден: проверьте идентификатор канала (chat_id) и что бот "
    "добавлен в канал.",
    "not.found": "Сообщение в MAX не найдено: вероятно, его уже удалили.",
    "attachment.not.ready": "MAX ещё обрабатывает изображение, повторим автоматически.",
    "too.many.requests": "MAX: слишком частые запросы, повторим автоматически чуть позже.",
    "proto.payload": "MAX отклонил запрос (400): {detail}.",
    "photo_rejected": "MAX не принял изображение: проверьте формат (JPG, PNG, GIF) и размер.",
    "timeout": "MAX не ответил вовремя, повторим автоматически.",
    "connection": "Не удалось связаться с MAX, повторим автоматически.",
    "bad_response": "MAX прислал непонятный ответ, повторим автоматически.",
}


def classify_max(status: int, code: str, message: str) -> SocialError:
    """The error for a MAX answer with an error status."""
    code = code or f"http_{status}"
    if status == 429:
        return RateLimited("max", "too.many.requests", message, retry_after=1.0)
    if code == "attachment.not.ready":
        # Refused, nothing sent: safe to repeat, once MAX has had time to process the upload.
        return TransientError("max", code, message, retry_after=MAX_NOT_READY_WAIT)
    if status == 401:
        return AuthError("max", "verify.token", message)
    if status == 403:
        return PermanentError("max", "chat.denied", message)
    if status == 404:
        return NotFound("max", code if code != f"http_{status}" else "not.found", message)
    if status >= 500:
        return TransientError("max", f"http_{status}", message, ambiguous=True)
    return PermanentError("max", code, message)


_EXPLANATIONS = {
    "vk": _VK_EXPLANATIONS,
    "ok": _OK_EXPLANATIONS,
    "telegram": _TELEGRAM_EXPLANATIONS,
    "max": _MAX_EXPLANATIONS,
}


# --- transport ------------------------------------------------------------------------------------


def http_status_error(network: str, status: int, detail: str = "", retry_after=None) -> SocialError:
    """The error for an HTTP status that carries no service error envelope."""
    code = f"http_{status}"
    service = NETWORK_NAMES.get(network, network)
    of_service = NETWORK_GENITIVE.get(network, network)
    if status == 429:
        return RateLimited(
            network,
            code,
            detail,
            retry_after=retry_after,
            explanation=f"{service}: слишком частые запросы (HTTP 429), повторим автоматически чуть позже.",
        )
    if status >= 500:
        return TransientError(
            network,
            code,
            detail,
            ambiguous=True,
            explanation=f"Сервер {of_service} временно недоступен (HTTP {status}), повторим автоматически.",
        )
    return PermanentError(
        network,
        code,
        detail,
        explanation=f"{service}: запрос отклонён (HTTP {status}): проверьте адрес API в настройках.",
    )


def parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def transport_error(network: str, exc: Exception) -> TransientError:
    """The error for a request that got no HTTP answer (``requests`` exceptions)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        # The connection was never made: the request certainly did not reach the service.
        return TransientError(network, "connection", "connect timeout")
    if isinstance(exc, requests.exceptions.Timeout):
        return TransientError(network, "timeout", "read timeout", ambiguous=True)
    if _never_connected(exc):
        # Refused, or the name did not resolve: no byte of the request left this host.
        return TransientError(network, "connection", "connection refused")
    # A connection reset or cut mid-request may have delivered it: the outcome is unknown.
    return TransientError(network, "connection", type(exc).__name__, ambiguous=True)


def _never_connected(exc: Exception) -> bool:
    """True when ``requests`` failed to open a connection at all (urllib3's
    ``NewConnectionError`` — refused, unreachable, the name unknown — somewhere in the cause)."""
    from urllib3.exceptions import NewConnectionError

    if not isinstance(exc, requests.exceptions.ConnectionError):
        return False
    seen: list[Any] = [exc]
    while seen:
        current = seen.pop()
        if isinstance(current, NewConnectionError | ConnectionRefusedError):
            return True
        if isinstance(current, BaseException):
            seen.extend(arg for arg in current.args if isinstance(arg, BaseException))
            reason = getattr(current, "reason", None)
            if isinstance(reason, BaseException):
                seen.append(reason)
    return False
