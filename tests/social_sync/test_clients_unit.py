"""Unit tests of the social network clients: a canned requests transport, no network, no Django."""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from social_sync.clients import errors
from social_sync.clients.errors import (
    AuthError,
    HumanActionRequired,
    LongBackoff,
    NotFound,
    PermanentError,
    RateLimited,
    SocialError,
    TransientError,
    classify_ok,
    classify_vk,
)
from social_sync.clients.ok import OKClient, session_secret, signature
from social_sync.clients.vk import API_VERSION, VKClient
from social_sync.clients.vkid import RefreshError, TokenPair, refresh_tokens

# --- a canned transport ---------------------------------------------------------------------------


def reply(body: Any = None, status: int = 200, headers: dict[str, str] | None = None, raw=None):
    """A canned answer: JSON ``body`` (or ``raw`` bytes/str) with a status and headers."""
    return {"status": status, "body": body, "headers": headers or {}, "raw": raw}


class FakeAdapter(BaseAdapter):
    """Answers requests from a queue of canned replies or from a router function.

    Queue items are ``reply(...)`` dicts, plain JSON-able values (answered with 200), exceptions (raised
    as if the transport failed) or callables taking the request and returning one of those.
    """

    def __init__(
        self, *queue: Any, router: Callable[[requests.PreparedRequest], Any] | None = None
    ):
        super().__init__()
        self.queue = list(queue)
        self.router = router
        self.requests: list[requests.PreparedRequest] = []

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        self.requests.append(request)
        if self.router is not None:
            item = self.router(request)
        else:
            if not self.queue:
                raise AssertionError(f"unexpected request {request.method} {request.url}")
            item = self.queue.pop(0)
        if callable(item) and not isinstance(item, type):
            item = item(request)
        if isinstance(item, BaseException):
            raise item
        if not (isinstance(item, dict) and set(item) == {"status", "body", "headers", "raw"}):
            item = reply(item)
        response = requests.Response()
        response.status_code = item["status"]
        raw = item["raw"]
        if raw is None:
            raw = json.dumps(item["body"], ensure_ascii=False)
        response._content = raw.encode("utf-8") if isinstance(raw, str) else raw
        response.headers = CaseInsensitiveDict(item["headers"])
        response.encoding = "utf-8"
        response.url = request.url
        response.request = request
        return response

    def close(self):
        pass

    # Helpers for assertions ----------------------------------------------------------------------

    def paths(self) -> list[str]:
        return [urlsplit(r.url).path for r in self.requests]

    @staticmethod
    def form(request: requests.PreparedRequest) -> dict[str, str]:
        body = request.body or ""
        if isinstance(body, bytes):
            body = body.decode("utf-8")
        return dict(parse_qsl(body, keep_blank_values=True))


def session_with(adapter: FakeAdapter) -> requests.Session:
    session = requests.Session()
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


class RecordingSleep:
    def __init__(self):
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


class CountingLimiter:
    """Records the keys acquired and, for each restamp, how many requests had gone out by then."""

    def __init__(self, adapter: FakeAdapter | None = None):
        self.adapter = adapter
        self.keys: list[str] = []
        self.restamps: list[tuple[str, int, int]] = []

    def acquire(self, key: str, max_wait: float | None = None) -> int:
        self.keys.append(key)
        return len(self.keys)

    def restamp(self, key: str, stamp: int) -> None:
        sent = len(self.adapter.requests) if self.adapter is not None else -1
        self.restamps.append((key, stamp, sent))


# --- the domain layer stays free of Django --------------------------------------------------------


def test_clients_and_text_do_not_import_django():
    code = (
        "import sys\n"
        "import social_sync.clients.vk, social_sync.clients.vkid, social_sync.clients.ok\n"
        "import social_sync.clients.ratelimit, social_sync.text\n"
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)\n"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True, timeout=30)


# --- classification -------------------------------------------------------------------------------

VK_TABLE = [
    # code, class, ambiguous, retry_after
    (1, TransientError, True, None),
    (5, AuthError, False, None),
    (6, RateLimited, False, 1.0),
    (7, PermanentError, False, None),
    (8, PermanentError, False, None),
    (9, LongBackoff, False, 900.0),
    (10, TransientError, True, None),
    (14, HumanActionRequired, False, None),
    (15, PermanentError, False, None),
    (17, HumanActionRequired, False, None),
    (18, PermanentError, False, None),
    (27, PermanentError, False, None),
    (28, PermanentError, False, None),
    (29, LongBackoff, False, 3600.0),
    (100, PermanentError, False, None),
    (104, NotFound, False, None),
    (113, PermanentError, False, None),
    (118, PermanentError, False, None),
    (121, PermanentError, False, None),
    (203, PermanentError, False, None),
    (210, PermanentError, False, None),
    (211, PermanentError, False, None),
    (214, PermanentError, False, None),
    (219, PermanentError, False, None),
    (220, PermanentError, False, None),
    (222, PermanentError, False, None),
    (224, PermanentError, False, None),
    (225, PermanentError, False, None),
    (99999, PermanentError, False, None),
]


@pytest.mark.parametrize("code,cls,ambiguous,retry_after", VK_TABLE)
def test_classify_vk(code, cls, ambiguous, retry_after):
    error = classify_vk(code, "Some message", {"error_code": code})
    assert type(error) is cls
    assert error.network == "vk"
    assert error.code == code
    assert error.detail == "Some message"
    assert error.ambiguous is ambiguous
    assert error.retry_after == retry_after
    assert re.search("[а-яё]", error.explanation, re.I)


OK_TABLE = [
    (1, TransientError, None),
    (2, TransientError, None),
    (3, PermanentError, None),
    (4, PermanentError, None),
    (7, LongBackoff, 600.0),
    (8, RateLimited, 600.0),
    (9, PermanentError, None),
    (10, PermanentError, None),
    (11, LongBackoff, 3600.0),
    (50, PermanentError, None),
    (100, PermanentError, None),
    (101, PermanentError, None),
    (102, AuthError, None),
    (103, AuthError, None),
    (104, PermanentError, None),
    (160, PermanentError, None),
    (200, PermanentError, None),
    (300, NotFound, None),
    (453, AuthError, None),
    (454, PermanentError, None),
    (503, PermanentError, None),
    (505, PermanentError, None),
    (600, PermanentError, None),
    (607, PermanentError, None),
    (700, NotFound, None),
]


@pytest.mark.parametrize("code,cls,retry_after", OK_TABLE)
def test_classify_ok(code, cls, retry_after):
    error = classify_ok(code, "NAME : detail")
    assert type(error) is cls
    assert error.network == "ok"
    assert error.code == code
    # An OK error envelope is an answer: the call was not applied.
    assert error.ambiguous is False
    assert error.retry_after == retry_after
    assert re.search("[а-яё]", error.explanation, re.I)


def test_hierarchy():
    assert issubclass(RateLimited, TransientError)
    assert issubclass(LongBackoff, TransientError)
    for cls in (AuthError, HumanActionRequired, NotFound):
        assert issubclass(cls, PermanentError)
    assert issubclass(TransientError, SocialError)
    assert issubclass(PermanentError, SocialError)


def test_specific_russian_explanations():
    assert classify_vk(5, "User authorization failed", {}).explanation == (
        "Токен ВКонтакте недействителен или истёк: обновите доступ в настройках аккаунта."
    )
    assert classify_vk(14, "Captcha needed", {}).explanation == (
        "ВКонтакте требует ввести капчу: действие нужно выполнить вручную в сообществе."
    )
    assert classify_vk(214, "Access to adding post denied", {}).explanation.startswith(
        "Нет прав на публикацию в сообществе (ошибка 214): аккаунт должен быть администратором"
    )
    assert classify_vk(10, "Internal server error", {}).explanation == (
        "Временная ошибка ВКонтакте (код 10), повторим автоматически."
    )
    assert "15 мин" in classify_vk(9, "Flood control", {}).explanation
    assert "1 ч" in classify_vk(29, "Rate limit reached", {}).explanation
    assert "GROUP_CONTENT" in classify_ok(10, "PERMISSION_DENIED").explanation
    assert "10 мин" in classify_ok(8, "FLOOD_BLOCKED").explanation


def test_fallback_explanation_has_code_and_detail():
    vk = classify_vk(4321, "Something odd happened.", {})
    assert "4321" in vk.explanation and "Something odd happened" in vk.explanation
    assert ".." not in vk.explanation
    ok = classify_ok(999, "STRANGE : very strange")
    assert "999" in ok.explanation and "STRANGE : very strange" in ok.explanation
    assert "Одноклассник" in ok.explanation


def test_vk_100_explanation_shows_the_detail():
    error = classify_vk(
        100, "One of the parameters specified was missing or invalid: post_id is undefined", {}
    )
    assert "post_id is undefined" in error.explanation


def test_captcha_fields_are_kept_and_request_params_dropped():
    envelope = {
        "error_code": 14,
        "error_msg": "Captcha needed",
        "request_params": [{"key": "method", "value": "wall.post"}],
        "captcha_sid": "548152",
        "captcha_img": "https://api.vk.com/captcha.php?sid=548152",
        "redirect_uri": "https://id.vk.com/captcha?x=1",
    }
    error = classify_vk(14, "Captcha needed", envelope)
    assert isinstance(error, HumanActionRequired)
    assert error.captcha_sid == "548152"
    assert error.captcha_img == "https://api.vk.com/captcha.php?sid=548152"
    assert error.redirect_uri == "https://id.vk.com/captcha?x=1"
    assert "request_params" not in error.extra


def test_errors_survive_pickling():
    error = classify_vk(14, "Captcha needed", {"captcha_sid": "1"})
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is HumanActionRequired
    assert (copy.network, copy.code, copy.detail, copy.captcha_sid) == (
        "vk",
        14,
        "Captcha needed",
        "1",
    )
    limited = pickle.loads(pickle.dumps(classify_ok(8, "FLOOD_BLOCKED")))
    assert limited.retry_after == 600.0


def test_transport_errors():
    timeout = errors.transport_error("vk", requests.ReadTimeout("read timed out"))
    assert type(timeout) is TransientError and timeout.ambiguous and timeout.code == "timeout"
    connect = errors.transport_error("vk", requests.ConnectTimeout("connect timed out"))
    assert not connect.ambiguous
    reset = errors.transport_error("ok", requests.ConnectionError("reset"))
    assert reset.ambiguous and reset.code == "connection"
    assert "Одноклассник" in reset.explanation
    server = errors.http_status_error("vk", 502)
    assert type(server) is TransientError and server.ambiguous
    assert (
        server.explanation
        == "Сервер ВКонтакте временно недоступен (HTTP 502), повторим автоматически."
    )


# --- VK -------------------------------------------------------------------------------------------

TOKEN = "vk1.a.SECRET-TOKEN-VALUE"
BASE = "https://api.vk.test/method/"


def vk_ok(response: Any) -> dict:
    return reply({"response": response})


def vk_error(code: int, msg: str = "error", **extra: Any) -> dict:
    return reply({"error": {"error_code": code, "error_msg": msg, "request_params": [], **extra}})


def make_vk(adapter: FakeAdapter, **kwargs: Any) -> tuple[VKClient, RecordingSleep]:
    sleep = RecordingSleep()
    options = {"sleep": sleep, "rng": lambda: 1.0}
    options.update(kwargs)
    client = VKClient(base_url=BASE, access_token=TOKEN, session=session_with(adapter), **options)
    return client, sleep


def test_vk_call_sends_form_post_with_token_and_version():
    adapter = FakeAdapter(vk_ok({"post_id": 5}))
    client, _ = make_vk(adapter)
    assert client.call(
        "wall.post",
        owner_id=-7,
        from_group=True,
        attachments=["photo1_2", "https://x.ru/"],
        signed=False,
        skipped=None,
    ) == {"post_id": 5}
    request = adapter.requests[0]
    assert request.method == "POST"
    assert request.url == BASE + "wall.post"
    assert "SECRET" not in request.url
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert FakeAdapter.form(request) == {
        "owner_id": "-7",
        "from_group": "1",
        "attachments": "photo1_2,https://x.ru/",
        "signed": "0",
        "access_token": TOKEN,
        "v": API_VERSION,
    }
    assert API_VERSION == "5.199"
    assert TOKEN not in repr(client)


def test_vk_retries_transient_errors_with_bounded_backoff():
    adapter = FakeAdapter(
        vk_error(10, "Internal server error"),
        vk_error(1),
        reply(raw="<html>502</html>", status=502),
        vk_ok(1),
    )
    client, sleep = make_vk(adapter, backoff=0.5, max_backoff=8.0, rng=lambda: 1.0)
    assert client.call("wall.delete", owner_id=-1, post_id=2) == 1
    assert len(adapter.requests) == 4
    # rng=1.0 gives the top of each full-jitter interval: backoff * 2**attempt.
    assert sleep.calls == [0.5, 1.0, 2.0]


def test_vk_full_jitter_stays_under_the_cap():
    adapter = FakeAdapter(*[vk_error(10)] * 6, vk_ok(1))
    client, sleep = make_vk(adapter, retries=6, backoff=1.0, max_backoff=4.0, rng=lambda: 0.75)
    client.call("wall.delete", owner_id=-1, post_id=2)
    assert sleep.calls == [0.75, 1.5, 3.0, 3.0, 3.0, 3.0]


def test_vk_gives_up_after_retries_with_the_last_error():
    adapter = FakeAdapter(*[vk_error(10, "Internal server error")] * 5)
    client, sleep = make_vk(adapter, retries=3)
    with pytest.raises(TransientError) as info:
        client.call("wall.post", owner_id=-1, message="x", guid="g")
    assert info.value.code == 10 and info.value.ambiguous
    assert len(adapter.requests) == 4  # the first attempt and three retries
    assert len(sleep.calls) == 3
    assert len(adapter.queue) == 1


def test_vk_rate_limited_sleeps_at_least_a_second():
    adapter = FakeAdapter(vk_error(6, "Too many requests per second"), vk_ok({"items": []}))
    client, sleep = make_vk(adapter, rng=lambda: 0.0)
    client.call("wall.get", owner_id=-1)
    assert len(sleep.calls) == 1 and sleep.calls[0] >= 1.0


def test_vk_http_429_uses_retry_after():
    adapter = FakeAdapter(
        reply(raw="slow down", status=429, headers={"Retry-After": "2"}), vk_ok(1)
    )
    client, sleep = make_vk(adapter, rng=lambda: 0.0)
    client.call("wall.delete", owner_id=-1, post_id=1)
    assert sleep.calls == [2.0]


def test_a_longer_retry_after_is_handed_back_not_slept_in_the_call():
    adapter = FakeAdapter(
        reply(raw="slow down", status=429, headers={"Retry-After": "3"}), vk_ok(1)
    )
    client, sleep = make_vk(adapter, rng=lambda: 0.0)
    with pytest.raises(RateLimited) as caught:
        client.call("wall.delete", owner_id=-1, post_id=1)
    assert caught.value.retry_after == 3.0 and sleep.calls == []
    assert len(adapter.requests) == 1


@pytest.mark.parametrize(
    "code,cls",
    [
        (214, PermanentError),
        (5, AuthError),
        (14, HumanActionRequired),
        (17, HumanActionRequired),
        (100, PermanentError),
        (9, LongBackoff),
        (29, LongBackoff),
    ],
)
def test_vk_permanent_and_long_backoff_errors_are_not_retried(code, cls):
    adapter = FakeAdapter(vk_error(code, "nope"), vk_ok(1))
    client, sleep = make_vk(adapter)
    with pytest.raises(cls) as info:
        client.call("wall.post", owner_id=-1, message="x", guid="g")
    assert type(info.value) is cls
    assert len(adapter.requests) == 1
    assert sleep.calls == []


def test_vk_transport_failures_are_retried_and_ambiguous():
    adapter = FakeAdapter(
        requests.ReadTimeout("timed out"), requests.ConnectionError("reset"), reply(raw="not json")
    )
    client, sleep = make_vk(adapter, retries=2)
    with pytest.raises(TransientError) as info:
        client.call("wall.post", owner_id=-1, message="x", guid="g")
    assert info.value.code == "bad_response" and info.value.ambiguous
    assert len(sleep.calls) == 2
    assert TOKEN not in str(info.value)


def test_vk_limiter_is_acquired_before_every_api_request_including_retries():
    adapter = FakeAdapter(vk_error(10), vk_error(6), vk_ok(1))
    limiter = CountingLimiter(adapter)
    client, _ = make_vk(adapter, limiter=limiter, rate_key="abc123")
    client.call("wall.delete", owner_id=-1, post_id=1)
    assert limiter.keys == ["abc123"] * 3
    # Each call is counted again from its answer: restamped after its request went out.
    assert limiter.restamps == [("abc123", 1, 1), ("abc123", 2, 2), ("abc123", 3, 3)]


def test_vk_call_lost_on_the_way_is_restamped_too():
    adapter = FakeAdapter(requests.ConnectionError("reset"), vk_ok(1))
    limiter = CountingLimiter(adapter)
    client, _ = make_vk(adapter, limiter=limiter, rate_key="k")
    client.call("wall.delete", owner_id=-1, post_id=1)
    assert limiter.restamps == [("k", 1, 1), ("k", 2, 2)]


def upload_router(
    photo_field_ok: bool = True, save_errors: list[dict] | None = None, upload_body=None
):
    save_errors = list(save_errors or [])

    def route(request):
        path = urlsplit(request.url).path
        if path.endswith("photos.getWallUploadServer"):
            return vk_ok(
                {
                    "upload_url": "https://upload.vk.test/upload.php?act=do_add",
                    "album_id": -14,
                    "user_id": 1,
                }
            )
        if path == "/upload.php":
            assert b'name="photo"; filename="pic.jpg"' in request.body
            assert b"Content-Type: image/jpeg" in request.body
            return upload_body or reply(
                {"server": 123, "photo": '[{"photo":"abc","sizes":[]}]', "hash": "h4sh"}
            )
        if path.endswith("photos.saveWallPhoto"):
            if save_errors:
                return save_errors.pop(0)
            return vk_ok(
                [{"id": 457, "owner_id": -77, "album_id": -14, "date": 1, "access_key": "k3y"}]
            )
        raise AssertionError(request.url)

    return route


def test_vk_upload_wall_photo_flow():
    adapter = FakeAdapter(router=upload_router())
    limiter = CountingLimiter()
    client, _ = make_vk(adapter, limiter=limiter)
    attachment = client.upload_wall_photo(
        group_id=77, content=b"\xff\xd8jpeg", filename="pic.jpg", content_type="image/jpeg"
    )
    assert attachment == "photo-77_457_k3y"
    assert adapter.paths() == [
        "/method/photos.getWallUploadServer",
        "/upload.php",
        "/method/photos.saveWallPhoto",
    ]
    assert FakeAdapter.form(adapter.requests[0])["group_id"] == "77"
    assert (
        "access_token" not in adapter.requests[1].url
        and TOKEN.encode() not in adapter.requests[1].body
    )
    save = FakeAdapter.form(adapter.requests[2])
    assert save["photo"] == '[{"photo":"abc","sizes":[]}]'
    assert (save["server"], save["hash"], save["group_id"]) == ("123", "h4sh", "77")
    # The upload server is not an API method: only the two API calls pass the limiter.
    assert len(limiter.keys) == 2


def test_vk_upload_without_access_key():
    def route(request):
        if urlsplit(request.url).path.endswith("photos.saveWallPhoto"):
            return vk_ok([{"id": 9, "owner_id": -77}])
        return upload_router()(request)

    client, _ = make_vk(FakeAdapter(router=route))
    assert (
        client.upload_wall_photo(
            group_id=77, content=b"x", filename="pic.jpg", content_type="image/jpeg"
        )
        == "photo-77_9"
    )


def test_vk_upload_rejected_image_is_permanent():
    adapter = FakeAdapter(
        router=upload_router(upload_body=reply({"server": 1, "photo": "[]", "hash": "h"}))
    )
    client, sleep = make_vk(adapter)
    with pytest.raises(PermanentError) as info:
        client.upload_wall_photo(
            group_id=77, content=b"not an image", filename="pic.jpg", content_type="image/jpeg"
        )
    assert info.value.explanation.startswith("ВКонтакте не принял изображение")
    assert adapter.paths() == ["/method/photos.getWallUploadServer", "/upload.php"]
    assert sleep.calls == []


def test_vk_upload_restarts_from_the_first_step_after_invalid_hash():
    adapter = FakeAdapter(
        router=upload_router(save_errors=[vk_error(121, "Invalid hash"), vk_error(10)])
    )
    client, sleep = make_vk(adapter)
    assert (
        client.upload_wall_photo(
            group_id=77, content=b"x", filename="pic.jpg", content_type="image/jpeg"
        )
        == "photo-77_457_k3y"
    )
    assert adapter.paths().count("/method/photos.getWallUploadServer") == 3
    assert adapter.paths().count("/upload.php") == 3
    assert len(sleep.calls) == 2


def test_vk_upload_gives_up_after_retries():
    adapter = FakeAdapter(router=upload_router(save_errors=[vk_error(118, "Invalid server")] * 10))
    client, _ = make_vk(adapter, retries=2)
    with pytest.raises(PermanentError) as info:
        client.upload_wall_photo(
            group_id=77, content=b"x", filename="pic.jpg", content_type="image/jpeg"
        )
    assert info.value.code == 118
    assert adapter.paths().count("/method/photos.getWallUploadServer") == 3


def test_vk_upload_server_outage_is_retried():
    calls = {"n": 0}

    def route(request):
        if urlsplit(request.url).path == "/upload.php":
            calls["n"] += 1
            if calls["n"] == 1:
                return reply(raw="<html>Bad gateway</html>", status=502)
        return upload_router()(request)

    client, sleep = make_vk(FakeAdapter(router=route))
    assert client.upload_wall_photo(
        group_id=77, content=b"x", filename="pic.jpg", content_type="image/jpeg"
    ).startswith("photo-77_")
    assert len(sleep.calls) == 1


def test_vk_post_edit_delete():
    adapter = FakeAdapter(
        vk_ok({"post_id": 42}), vk_ok({"post_id": 42}), vk_error(104, "Not found"), vk_ok(1)
    )
    client, _ = make_vk(adapter)
    assert (
        client.post(
            owner_id=-77,
            message="Текст",
            attachments=["photo-77_1", "https://site.ru/n/1/"],
            guid="news-1-3",
            from_group=True,
        )
        == 42
    )
    form = FakeAdapter.form(adapter.requests[0])
    assert form == {
        "owner_id": "-77",
        "from_group": "1",
        "message": "Текст",
        "attachments": "photo-77_1,https://site.ru/n/1/",
        "guid": "news-1-3",
        "access_token": TOKEN,
        "v": "5.199",
    }
    assert client.edit(owner_id=-77, post_id=42, message="Новый", attachments=[]) == 42
    edit_form = FakeAdapter.form(adapter.requests[1])
    assert edit_form["post_id"] == "42" and "attachments" not in edit_form
    assert client.delete(owner_id=-77, post_id=42) is True  # 104: already gone
    assert client.delete(owner_id=-77, post_id=43) is True
    assert VKClient.post_url(-77, 42) == "https://vk.com/wall-77_42"


def test_vk_post_is_retried_with_the_same_guid():
    adapter = FakeAdapter(requests.ReadTimeout("lost"), vk_ok({"post_id": 42}))
    client, _ = make_vk(adapter)
    assert (
        client.post(owner_id=-77, message="Текст", attachments=[], guid="news-1-3", from_group=True)
        == 42
    )
    assert [FakeAdapter.form(r)["guid"] for r in adapter.requests] == ["news-1-3", "news-1-3"]


def test_vk_post_without_post_id_is_ambiguous():
    client, _ = make_vk(FakeAdapter(vk_ok({})))
    with pytest.raises(TransientError) as info:
        client.post(owner_id=-77, message="x", attachments=[], guid="g", from_group=True)
    assert info.value.ambiguous


def wall_post(post_id, date, text="", link=None, pinned=False):
    post = {
        "id": post_id,
        "owner_id": -77,
        "from_id": -77,
        "date": date,
        "text": text,
        "attachments": [],
    }
    if link:
        post["attachments"].append({"type": "link", "link": {"url": link, "title": "t"}})
    if pinned:
        post["is_pinned"] = 1
    return post


NOW = 1_750_000_000
URL = "https://site.ru/news/remont-dorog/"


def test_find_post_skips_an_old_pinned_post_and_pages():
    page1 = [wall_post(1, NOW - 10 * 86400, "Закреплённая старая запись", pinned=True)]
    page1 += [
        wall_post(1000 - i, NOW - i, f"Запись {i} https://site.ru/news/other-{i}/")
        for i in range(99)
    ]
    page2 = [wall_post(800, NOW - 200, "Ремонт дорог", link="https://site.ru/news/remont-dorog")]
    adapter = FakeAdapter(
        vk_ok({"count": 250, "items": page1}), vk_ok({"count": 250, "items": page2})
    )
    client, _ = make_vk(adapter)
    assert client.find_post(owner_id=-77, url=URL, since=NOW - 300) == 800
    forms = [FakeAdapter.form(r) for r in adapter.requests]
    assert [(f["offset"], f["count"], f["filter"], f["owner_id"]) for f in forms] == [
        ("0", "100", "owner", "-77"),
        ("100", "100", "owner", "-77"),
    ]


def test_find_post_stops_at_an_old_unpinned_post():
    items = [wall_post(5, NOW - 10, "Другое"), wall_post(4, NOW - 5000, "Старое")] + [
        wall_post(3 - i, NOW - 6000 - i, "x") for i in range(98)
    ]
    adapter = FakeAdapter(vk_ok({"count": 1000, "items": items}))
    client, _ = make_vk(adapter)
    assert client.find_post(owner_id=-77, url=URL, since=NOW - 60) is None
    assert len(adapter.requests) == 1


def test_find_post_matches_the_url_in_text_but_not_a_longer_url():
    items = [
        wall_post(7, NOW, "Подробнее: https://site.ru/news/remont-dorog-2/"),
        wall_post(6, NOW - 1, "Текст.\n\nПодробнее: https://site.ru/news/remont-dorog/"),
    ]
    client, _ = make_vk(FakeAdapter(vk_ok({"count": 2, "items": items})))
    assert client.find_post(owner_id=-77, url=URL, since=NOW - 60) == 6


def test_find_post_by_fingerprint_and_empty_wall():
    items = [wall_post(9, NOW, "Ремонт дорог начнётся в мае")]
    client, _ = make_vk(
        FakeAdapter(vk_ok({"count": 1, "items": items}), vk_ok({"count": 0, "items": []}))
    )
    assert (
        client.find_post(owner_id=-77, url=URL, since=NOW, guid_text="Ремонт дорог начнётся") == 9
    )
    assert client.find_post(owner_id=-77, url=URL, since=NOW) is None


# --- VK ID ----------------------------------------------------------------------------------------

TOKEN_URL = "https://id.vk.test/oauth2/auth"
REFRESH = "vk2.r.OLD-REFRESH-SECRET"


def echo_state(body: dict[str, Any], status: int = 200) -> Callable:
    def answer(request):
        form = FakeAdapter.form(request)
        return reply({**body, "state": form["state"]}, status=status)

    return answer


def refresh(adapter: FakeAdapter, **kwargs: Any) -> TokenPair:
    return refresh_tokens(
        token_url=TOKEN_URL,
        client_id="51234567",
        refresh_token=REFRESH,
        device_id="dev-1",
        session=session_with(adapter),
        **kwargs,
    )


def test_vkid_refresh_success():
    adapter = FakeAdapter(
        echo_state(
            {
                "access_token": "vk2.a.NEW",
                "refresh_token": "vk2.r.NEW",
                "id_token": "x",
                "token_type": "Bearer",
                "expires_in": 3600,
                "user_id": 1234,
                "scope": "wall photos groups",
            }
        )
    )
    pair = refresh(adapter)
    assert pair == TokenPair(
        access_token="vk2.a.NEW",
        refresh_token="vk2.r.NEW",
        expires_in=3600,
        user_id=1234,
        scope="wall photos groups",
    )
    assert "vk2.a.NEW" not in repr(pair)
    request = adapter.requests[0]
    assert request.url == TOKEN_URL and request.method == "POST"
    form = FakeAdapter.form(request)
    assert {k: form[k] for k in ("grant_type", "refresh_token", "client_id", "device_id")} == {
        "grant_type": "refresh_token",
        "refresh_token": REFRESH,
        "client_id": "51234567",
        "device_id": "dev-1",
    }
    assert re.fullmatch(r"[A-Za-z0-9_-]{32,}", form["state"])
    assert "client_secret" not in form


def test_vkid_state_is_fresh_each_time():
    states = set()
    for _ in range(3):
        adapter = FakeAdapter(
            echo_state({"access_token": "a", "refresh_token": "r", "expires_in": 3600})
        )
        refresh(adapter)
        states.add(FakeAdapter.form(adapter.requests[0])["state"])
    assert len(states) == 3


def test_vkid_state_mismatch():
    adapter = FakeAdapter(
        reply(
            {
                "access_token": "a",
                "refresh_token": "r",
                "expires_in": 3600,
                "state": "someone-elses-state-0123456789abcdef",
            }
        )
    )
    with pytest.raises(RefreshError) as info:
        refresh(adapter)
    assert info.value.kind == "other" and info.value.code == "state_mismatch"


def test_vkid_invalid_grant():
    adapter = FakeAdapter(
        reply(
            {"error": "invalid_grant", "error_description": "refresh token is invalid"}, status=400
        )
    )
    with pytest.raises(RefreshError) as info:
        refresh(adapter)
    error = info.value
    assert (error.kind, error.code, error.description) == (
        "invalid_grant",
        "invalid_grant",
        "refresh token is invalid",
    )
    assert "заново" in error.explanation
    assert REFRESH not in str(error) and REFRESH not in error.explanation


@pytest.mark.parametrize(
    "code", ["invalid_token", "invalid_client", "access_denied", "invalid_request"]
)
def test_vkid_other_permanent_errors(code):
    with pytest.raises(RefreshError) as info:
        refresh(FakeAdapter(reply({"error": code, "error_description": "no"}, status=400)))
    assert info.value.kind == "other" and info.value.code == code


@pytest.mark.parametrize(
    "answer",
    [
        reply({"error": "server_error", "error_description": "oops"}, status=500),
        reply({"error": "temporarily_unavailable"}, status=503),
        reply({"error": "slow_down"}, status=400),
        reply(raw="<html>Bad gateway</html>", status=502),
        requests.ReadTimeout("timed out"),
        requests.ConnectionError("refused"),
    ],
)
def test_vkid_transient_errors(answer):
    with pytest.raises(RefreshError) as info:
        refresh(FakeAdapter(answer))
    assert info.value.kind == "transient"
    assert "повторим" in info.value.explanation
    assert REFRESH not in str(info.value)


# --- OK -------------------------------------------------------------------------------------------


def test_ok_signature_worked_example_1():
    secret = session_secret(
        "-s-84W-s3egarWUsbkq-IWTucuedzTKT8VUXIA.s4Xx8IW7", "ABC123DEF456GHI789JKL123"
    )
    assert secret == "b1a2b89707a94624c43afae67d59274c"
    params = {"application_key": "ABCDEFGHIGKLMNOPK", "format": "json", "method": "events.get"}
    assert signature(params, secret) == "232c8eb921951c4dba9b72606f9ddb4c"
    # sig, access_token and session_key never take part in the signature.
    assert (
        signature({**params, "sig": "x", "access_token": "y", "session_key": "z"}, secret)
        == "232c8eb921951c4dba9b72606f9ddb4c"
    )


def test_ok_signature_worked_example_2():
    secret = session_secret("ok-token-admin", "FAKEAPPSECRET0123456789ABCDEF")
    assert secret == "64c8abecb5be6756720da31d32dac87b"
    params = {
        "application_key": "CFAKEAPPKEY0001",
        "attachment": '{"media":[{"type":"text","text":"Ремонт дорог"}]}',
        "format": "json",
        "gid": "70000000000001",
        "method": "mediatopic.post",
        "type": "GROUP_THEME",
    }
    assert signature(params, secret) == "94423f4c0568d70e7baa0c553a56c728"


OK_BASE = "https://api.ok.test/fb.do"


def make_ok(adapter: FakeAdapter, **kwargs: Any) -> tuple[OKClient, RecordingSleep]:
    sleep = RecordingSleep()
    options = {"sleep": sleep, "rng": lambda: 1.0}
    options.update(kwargs)
    client = OKClient(
        base_url=OK_BASE,
        application_key="CFAKEAPPKEY0001",
        application_secret="FAKEAPPSECRET0123456789ABCDEF",
        access_token="ok-token-admin",
        session=session_with(adapter),
        **options,
    )
    return client, sleep


def ok_error(code: int, name: str = "UNKNOWN", status: int = 200) -> dict:
    return reply(
        {"error_code": code, "error_msg": f"{name} : detail", "error_data": None},
        status=status,
        headers={"invocation-error": str(code)},
    )


def test_ok_post_topic_sends_the_worked_example_exactly():
    adapter = FakeAdapter(reply("155246537286"))
    client, _ = make_ok(adapter)
    assert (
        client.post_topic(gid="70000000000001", text="Ремонт дорог", link=None, photo_tokens=[])
        == "155246537286"
    )
    form = FakeAdapter.form(adapter.requests[0])
    assert adapter.requests[0].url == OK_BASE
    assert form == {
        "application_key": "CFAKEAPPKEY0001",
        "attachment": '{"media":[{"type":"text","text":"Ремонт дорог"}]}',
        "format": "json",
        "gid": "70000000000001",
        "method": "mediatopic.post",
        "type": "GROUP_THEME",
        "sig": "94423f4c0568d70e7baa0c553a56c728",
        "access_token": "ok-token-admin",
    }
    assert "ok-token-admin" not in repr(client)


def test_ok_post_topic_with_link_and_photos_on_a_personal_page():
    adapter = FakeAdapter(reply("900"))
    client, _ = make_ok(adapter)
    assert (
        client.post_topic(
            gid=None, text="Текст", link="https://site.ru/n/1/", photo_tokens=["t1", "t2"]
        )
        == "900"
    )
    form = FakeAdapter.form(adapter.requests[0])
    assert form["type"] == "USER" and "gid" not in form
    assert json.loads(form["attachment"]) == {
        "media": [
            {"type": "text", "text": "Текст"},
            {"type": "link", "url": "https://site.ru/n/1/"},
            {"type": "photo", "list": [{"id": "t1"}, {"id": "t2"}]},
        ]
    }
    secret = session_secret("ok-token-admin", "FAKEAPPSECRET0123456789ABCDEF")
    assert form["sig"] == signature(form, secret)
    assert OKClient.topic_url(None, "900", user_id="5") == "https://ok.ru/profile/5/statuses/900"
    assert (
        OKClient.topic_url("70000000000001", "900")
        == "https://ok.ru/group/70000000000001/topic/900"
    )
    with pytest.raises(ValueError):
        OKClient.topic_url(None, "900")


def test_ok_session_secret_key_is_used_when_given():
    adapter = FakeAdapter(reply({"ok": True}))
    client, _ = make_ok(adapter, session_secret_key="given-secret")
    client.call("users.getCurrentUser", {"fields": ["uid", "name"]})
    form = FakeAdapter.form(adapter.requests[0])
    assert form["fields"] == '["uid","name"]'
    assert form["sig"] == signature(form, "given-secret")


@pytest.mark.parametrize(
    "failure",
    [
        reply(raw="<html>Internal error</html>", status=500),
        reply(raw="<html>Bad gateway</html>", status=502),
        requests.ReadTimeout("timed out"),
        reply(raw="{broken", status=200),
    ],
)
def test_ok_non_idempotent_call_is_not_retried_on_ambiguous_failures(failure):
    adapter = FakeAdapter(failure, reply("1"))
    client, sleep = make_ok(adapter)
    with pytest.raises(TransientError) as info:
        client.post_topic(gid="70000000000001", text="Ремонт дорог", link=None, photo_tokens=[])
    assert info.value.ambiguous
    assert len(adapter.requests) == 1
    assert sleep.calls == []


def test_ok_non_idempotent_call_is_retried_after_an_error_envelope():
    adapter = FakeAdapter(ok_error(2, "SERVICE"), ok_error(1, "UNKNOWN"), reply("777"))
    client, sleep = make_ok(adapter)
    assert client.post_topic(gid="1", text="x", link=None, photo_tokens=[]) == "777"
    assert len(adapter.requests) == 3 and len(sleep.calls) == 2


def test_ok_idempotent_call_is_retried_on_500():
    adapter = FakeAdapter(reply(raw="oops", status=500), reply({"feeds": []}))
    client, sleep = make_ok(adapter)
    assert client.call("stream.get", {"gid": "1"}) == {"feeds": []}
    assert len(sleep.calls) == 1


def test_ok_errors_from_envelope_and_header():
    client, sleep = make_ok(
        FakeAdapter(
            ok_error(10, "PERMISSION_DENIED"), reply(raw="", headers={"invocation-error": "102"})
        )
    )
    with pytest.raises(PermanentError) as info:
        client.call("mediatopic.post", {"gid": "1"}, idempotent=False)
    assert info.value.code == 10 and info.value.detail == "PERMISSION_DENIED : detail"
    with pytest.raises(AuthError):
        client.call("stream.get", {"gid": "1"})
    assert sleep.calls == []


def test_ok_flood_blocked_is_not_slept_through_in_process():
    adapter = FakeAdapter(ok_error(8, "FLOOD_BLOCKED"), reply("1"))
    client, sleep = make_ok(adapter)
    with pytest.raises(RateLimited) as info:
        client.call("stream.get", {"gid": "1"})
    assert info.value.retry_after == 600.0
    assert sleep.calls == [] and len(adapter.requests) == 1


def test_ok_limit_reached_is_long_backoff():
    client, sleep = make_ok(FakeAdapter(ok_error(11, "LIMIT_REACHED")))
    with pytest.raises(LongBackoff):
        client.call("stream.get", {"gid": "1"})
    assert sleep.calls == []


def test_ok_gives_up_after_retries():
    adapter = FakeAdapter(*[ok_error(2, "SERVICE")] * 5)
    client, sleep = make_ok(adapter, retries=2)
    with pytest.raises(TransientError):
        client.call("stream.get", {"gid": "1"})
    assert len(adapter.requests) == 3 and len(sleep.calls) == 2


def test_ok_limiter_is_acquired_for_api_calls_only():
    limiter = CountingLimiter()

    def route(request):
        if urlsplit(request.url).path == "/upload":
            return reply({"photos": {"p2": {"token": "T2"}, "p1": {"token": "T1"}}})
        return reply(
            {
                "upload_url": "https://up.ok.test/upload?x=1",
                "photo_ids": ["p1", "p2"],
                "expires_ms": 1,
                "ttl_ms": 1,
            }
        )

    adapter = FakeAdapter(router=route)
    limiter.adapter = adapter
    client, _ = make_ok(adapter, limiter=limiter, rate_key="k")
    files = [("a.jpg", b"AAA", "image/jpeg"), ("b.png", b"BBB", "image/png")]
    assert client.upload_photos(gid="70000000000001", files=files) == ["T1", "T2"]
    assert limiter.keys == ["k"]
    assert limiter.restamps == [("k", 1, 1)]  # counted again once its answer came
    get_url = FakeAdapter.form(adapter.requests[0])
    assert (get_url["method"], get_url["gid"], get_url["count"]) == (
        "photosV2.getUploadUrl",
        "70000000000001",
        "2",
    )
    upload = adapter.requests[1].body
    assert b'name="pic1"; filename="a.jpg"' in upload and b'name="pic2"; filename="b.png"' in upload
    assert upload.index(b"AAA") < upload.index(b"BBB")
    assert client.upload_photos(gid=None, files=[]) == []


def test_ok_upload_error_envelope_and_restart():
    answers = {"upload": [ok_error(2, "SERVICE"), ok_error(503, "PHOTO_INVALID_FORMAT")]}

    def route(request):
        if urlsplit(request.url).path == "/upload":
            return answers["upload"].pop(0)
        return reply({"upload_url": "https://up.ok.test/upload", "photo_ids": ["p1"]})

    adapter = FakeAdapter(router=route)
    client, sleep = make_ok(adapter)
    with pytest.raises(PermanentError) as info:
        client.upload_photos(gid="1", files=[("a.jpg", b"x", "image/jpeg")])
    assert info.value.code == 503 and "формат" in info.value.explanation
    # The transient failure restarted the flow from getUploadUrl.
    assert [urlsplit(r.url).path for r in adapter.requests] == [
        "/fb.do",
        "/upload",
        "/fb.do",
        "/upload",
    ]
    assert len(sleep.calls) == 1


def feed(topic_id, date_ms):
    return {
        "pattern": "POST",
        "date_ms": date_ms,
        "owner_refs": ["group:1"],
        "target_refs": [f"media_topic:{topic_id}"],
    }


def topic(topic_id, date_ms, *blocks):
    return {"id": topic_id, "created_ms": date_ms, "owner_ref": "group:1", "media": list(blocks)}


def test_ok_find_topic_pages_with_anchor():
    now_ms = NOW * 1000
    page1 = {
        "feeds": [feed("1", now_ms - 30 * 86400_000), feed("50", now_ms - 1000)],
        "entities": {
            "media_topics": [
                topic("1", now_ms - 30 * 86400_000, {"type": "text", "text": "Закреп"}),
                topic("50", now_ms - 1000, {"type": "link", "url": "https://site.ru/other/"}),
            ]
        },
        "anchor": "A1",
        "has_more": True,
    }
    page2 = {
        "feeds": [feed("40", now_ms - 200_000)],
        "entities": {
            "media_topics": [
                topic(
                    "40",
                    now_ms - 200_000,
                    {"type": "text", "text": "Ремонт"},
                    {"type": "link", "url": "http://www.site.ru/news/remont-dorog"},
                )
            ]
        },
        "anchor": "A2",
        "has_more": True,
    }
    adapter = FakeAdapter(reply(page1), reply(page2))
    client, _ = make_ok(adapter)
    assert client.find_topic(gid="1", url=URL, since=NOW - 300) == "40"
    forms = [FakeAdapter.form(r) for r in adapter.requests]
    assert forms[0]["method"] == "stream.get" and "anchor" not in forms[0]
    assert (forms[0]["patterns"], forms[0]["fields"], forms[0]["count"], forms[0]["direction"]) == (
        "POST",
        "feed.*,media_topic.*",
        "50",
        "FORWARD",
    )
    assert forms[1]["anchor"] == "A1"


def test_ok_find_topic_stops_before_the_window_and_matches_text():
    now_ms = NOW * 1000
    old = {
        "feeds": [feed("3", now_ms - 5_000_000)],
        "entities": {
            "media_topics": [topic("3", now_ms - 5_000_000, {"type": "text", "text": "Другое"})]
        },
        "anchor": "B1",
        "has_more": True,
    }
    client, _ = make_ok(FakeAdapter(reply(old)))
    assert client.find_topic(gid="1", url=URL, since=NOW - 60) is None
    found = {
        "feeds": [feed("4", now_ms)],
        "entities": {
            "media_topics": [
                topic("4", now_ms, {"type": "text", "text": f"Текст\n\nПодробнее: {URL}"})
            ]
        },
    }
    client, _ = make_ok(FakeAdapter(reply(found)))
    assert client.find_topic(gid="1", url=URL, since=NOW - 60) == "4"
    client, _ = make_ok(FakeAdapter(reply({"feeds": [], "entities": {}})))
    assert client.find_topic(gid="1", url=URL, since=NOW) is None
