"""The fake VK / OK / VK ID server enforces the contracts in shared/contracts/."""

import hashlib
import json
import time
from pathlib import Path

import pytest
import requests

from tests.fakes.social_server import (
    OK_DEFAULT_APP_KEY,
    OK_DEFAULT_APP_SECRET,
    OK_DEFAULT_GID,
    OK_DEFAULT_TOKEN,
    VK_METHODS,
    FakeSocialServer,
    ok_signature,
)

V = "5.199"
GROUP = 200
ADMIN = "vk-admin-token"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\r\n\x0a"
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\r\n\xff\xd9"
CONTRACTS = Path(__file__).resolve().parents[3] / "shared" / "contracts"


@pytest.fixture
def fake():
    with FakeSocialServer(seed=7) as server:
        server.add_vk_token(ADMIN, user_id=10, admin_of=(GROUP,))
        yield server
        assert server.server_errors == []


def vk(fake, method, token=ADMIN, timeout=5, **params):
    data = {"access_token": token, "v": V, **params}
    return requests.post(fake.vk_api_url + method, data=data, timeout=timeout).json()


def ok(
    fake,
    method,
    *,
    token=OK_DEFAULT_TOKEN,
    app_key=OK_DEFAULT_APP_KEY,
    secret=OK_DEFAULT_APP_SECRET,
    **params,
):
    data = {"application_key": app_key, "format": "json", "method": method, **params}
    data["sig"] = ok_signature(data, app_secret=secret, access_token=token)
    data["access_token"] = token
    return requests.post(fake.ok_api_url, data=data, timeout=5)


def post(fake, message="news", **params):
    return vk(fake, "wall.post", owner_id=-GROUP, from_group=1, message=message, **params)


# --------------------------------------------------------------------------- OK signature


def test_ok_worked_example_1_is_accepted(fake):
    app_key, app_secret = "ABCDEFGHIGKLMNOPK", "ABC123DEF456GHI789JKL123"
    token = "-s-84W-s3egarWUsbkq-IWTucuedzTKT8VUXIA.s4Xx8IW7"
    fake.add_ok_app(app_key, app_secret)
    fake.add_ok_token(token, user_id=42)
    params = {"application_key": app_key, "format": "json", "method": "events.get"}
    assert (
        ok_signature(params, app_secret=app_secret, access_token=token)
        == "232c8eb921951c4dba9b72606f9ddb4c"
    )

    query = {**params, "sig": "232c8eb921951c4dba9b72606f9ddb4c", "access_token": token}
    resp = requests.get(fake.ok_api_url, params=query, timeout=5)

    assert resp.status_code == 200
    assert "invocation-error" not in resp.headers
    assert resp.json() == []


def test_ok_worked_example_2_is_accepted_and_posts(fake):
    attachment = '{"media":[{"type":"text","text":"Ремонт дорог"}]}'
    data = {
        "application_key": "CFAKEAPPKEY0001",
        "attachment": attachment,
        "format": "json",
        "gid": "70000000000001",
        "method": "mediatopic.post",
        "type": "GROUP_THEME",
        "sig": "94423f4c0568d70e7baa0c553a56c728",
        "access_token": "ok-token-admin",
    }

    resp = requests.post(fake.ok_api_url, data=data, timeout=5)

    topic_id = resp.json()
    assert isinstance(topic_id, str) and topic_id.isdigit()
    [topic] = fake.ok_topics["70000000000001"]
    assert topic["id"] == topic_id
    assert topic["media"] == [{"type": "text", "text": "Ремонт дорог"}]


def _signed(params, secret):
    signed = "".join(f"{k}={params[k]}" for k in sorted(params))
    return hashlib.md5((signed + secret).encode()).hexdigest()


@pytest.mark.parametrize(
    "mistake",
    [
        "garbage",
        "raw_app_secret",
        "access_token_signed",
        "url_encoded",
        "reserialised_json",
        "upper_case",
    ],
)
def test_ok_wrong_signature_gets_104(fake, mistake):
    attachment = '{"media": [{"type": "text", "text": "Ремонт дорог & co"}]}'
    params = {
        "application_key": OK_DEFAULT_APP_KEY,
        "attachment": attachment,
        "format": "json",
        "gid": str(OK_DEFAULT_GID),
        "method": "mediatopic.post",
        "type": "GROUP_THEME",
    }
    right = ok_signature(params, app_secret=OK_DEFAULT_APP_SECRET, access_token=OK_DEFAULT_TOKEN)
    session_secret = hashlib.md5((OK_DEFAULT_TOKEN + OK_DEFAULT_APP_SECRET).encode()).hexdigest()
    sig = {
        "garbage": "0" * 32,
        "raw_app_secret": _signed(params, OK_DEFAULT_APP_SECRET),
        "access_token_signed": _signed(
            {**params, "access_token": OK_DEFAULT_TOKEN}, session_secret
        ),
        "url_encoded": _signed(
            {**params, "attachment": requests.utils.quote(attachment)}, session_secret
        ),
        "reserialised_json": _signed(
            {**params, "attachment": json.dumps(json.loads(attachment))}, session_secret
        ),
        "upper_case": right.upper(),
    }[mistake]
    assert sig != right

    resp = requests.post(
        fake.ok_api_url, data={**params, "sig": sig, "access_token": OK_DEFAULT_TOKEN}, timeout=5
    )

    assert resp.json()["error_code"] == 104
    assert resp.json()["error_msg"].startswith("PARAM_SIGNATURE : ")
    assert resp.json()["error_data"] is None
    assert resp.headers["invocation-error"] == "104"
    assert fake.ok_topics == {}


def test_ok_session_secret_and_rest_path(fake):
    fake.add_ok_token("tok-with-secret", user_id=5, admin_of=(77,), session_secret="s3cr3t")
    params = {"application_key": OK_DEFAULT_APP_KEY, "format": "json"}
    sig = ok_signature(params, app_secret="unused", session_secret="s3cr3t")

    resp = requests.get(
        fake.base_url + "/api/users/getCurrentUser",
        params={**params, "sig": sig, "access_token": "tok-with-secret"},
        timeout=5,
    )

    assert resp.json()["uid"] == "5"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"application_key": "nope"}, 101),
        ({"token": "unknown-token"}, 102),
        ({"method": "group.nonexistent"}, 3),
    ],
)
def test_ok_common_errors(fake, change, code):
    kwargs = {"token": change.get("token", OK_DEFAULT_TOKEN)}
    if "application_key" in change:
        kwargs["app_key"] = change["application_key"]
    resp = ok(fake, change.get("method", "users.getCurrentUser"), **kwargs)
    assert resp.json()["error_code"] == code
    assert resp.headers["invocation-error"] == str(code)


def test_ok_flood_limit_recorded(fake):
    fake.ok_rate = 2
    codes = [ok(fake, "events.get").json() for _ in range(3)]
    assert codes[:2] == [[], []]
    assert codes[2]["error_code"] == 8
    assert codes[2]["error_msg"].startswith("FLOOD_BLOCKED")
    [violation] = fake.violations
    assert violation["network"] == "ok" and violation["method"] == "events.get"


# --------------------------------------------------------------------------- VK transport


def test_vk_missing_v_gets_error_8(fake):
    resp = requests.post(
        fake.vk_api_url + "wall.get", data={"access_token": ADMIN, "owner_id": -GROUP}, timeout=5
    )
    assert resp.status_code == 200
    error = resp.json()["error"]
    assert error["error_code"] == 8
    assert error["error_msg"] == "Invalid request: v is required"
    assert {"key": "owner_id", "value": "-200"} in error["request_params"]
    assert all(p["key"] != "access_token" for p in error["request_params"])


def test_vk_json_body_refused(fake):
    resp = requests.post(
        fake.vk_api_url + "wall.get", json={"access_token": ADMIN, "v": V}, timeout=5
    )
    assert resp.json()["error"]["error_code"] == 8


def test_vk_bearer_header_and_token_errors(fake):
    fake.rate_window_s = 0
    fake.add_vk_token("grp", kind="group", admin_of=(GROUP,))
    fake.add_vk_token("svc", kind="service")
    fake.add_vk_token("old", user_id=10, admin_of=(GROUP,), expires_in=-1)
    resp = requests.post(
        fake.vk_api_url + "wall.get",
        data={"v": V, "owner_id": -GROUP},
        headers={"Authorization": f"Bearer {ADMIN}"},
        timeout=5,
    )
    assert resp.json()["response"] == {"count": 0, "items": []}

    bad = vk(fake, "wall.get", token="nope", owner_id=-GROUP)["error"]
    assert (bad["error_code"], bad["error_msg"]) == (
        5,
        "User authorization failed: invalid access_token (4).",
    )
    expired = vk(fake, "wall.get", token="old", owner_id=-GROUP)["error"]
    assert expired["error_msg"] == "User authorization failed: access_token has expired."
    assert post_as(fake, "grp")["error"]["error_code"] == 27
    assert post_as(fake, "svc")["error"]["error_code"] == 28
    assert vk(fake, "wall.get", token="svc", owner_id=-GROUP)["response"]["count"] == 0
    assert vk(fake, "wall.nothing")["error"]["error_code"] == 3


def post_as(fake, token):
    return vk(fake, "wall.post", token=token, owner_id=-GROUP, from_group=1, message="x")


def test_vk_missing_required_param_gets_100(fake):
    fake.rate_window_s = 0
    missing = vk(fake, "wall.edit", owner_id=-GROUP, message="x")["error"]
    assert missing["error_code"] == 100
    assert (
        missing["error_msg"]
        == "One of the parameters specified was missing or invalid: post_id is undefined"
    )

    wrong_type = vk(fake, "wall.edit", owner_id=-GROUP, post_id="abc", message="x")["error"]
    assert wrong_type["error_msg"].endswith("post_id not integer")
    not_bool = vk(fake, "wall.post", owner_id=-GROUP, from_group="True", message="x")["error"]
    assert not_bool["error_msg"].endswith("from_group not boolean (0 or 1)")
    bad_filter = vk(fake, "wall.get", owner_id=-GROUP, filter="mine")["error"]
    assert bad_filter["error_code"] == 100
    too_many = vk(fake, "wall.get", owner_id=-GROUP, count=101)["error"]
    assert too_many["error_code"] == 100
    empty = vk(fake, "wall.post", owner_id=-GROUP, from_group=1)["error"]
    assert empty["error_msg"].endswith("invalid message param")
    no_post_id = vk(fake, "wall.delete", owner_id=-GROUP)["error"]
    assert no_post_id["error_msg"].endswith("post_id is undefined")


def test_vk_rate_limit_violation_recorded_as_error_6(fake):
    answers = [vk(fake, "wall.get", owner_id=-GROUP) for _ in range(4)]

    assert all("response" in a for a in answers[:3])
    assert answers[3]["error"]["error_code"] == 6
    assert answers[3]["error"]["error_msg"] == "Too many requests per second"
    [violation] = fake.violations
    assert (violation["network"], violation["token"], violation["method"]) == (
        "vk",
        ADMIN,
        "wall.get",
    )
    assert fake.calls == [("vk", "wall.get", ADMIN)] * 4


def test_vk_rate_limit_is_per_token_and_window(fake):
    fake.rate_window_s = 0.2
    fake.add_vk_token("other", user_id=11)
    for _ in range(3):
        vk(fake, "wall.get", owner_id=-GROUP)
    assert "response" in vk(fake, "wall.get", token="other", owner_id=-GROUP)
    time.sleep(0.25)
    assert "response" in vk(fake, "wall.get", owner_id=-GROUP)
    assert fake.violations == []


# --------------------------------------------------------------------------- VK posting


def test_vk_guid_dedups_within_window(fake):
    first = post(fake, guid="news-1-1")["response"]["post_id"]
    again = post(fake, guid="news-1-1")["response"]["post_id"]
    other = post(fake, guid="news-2-1")["response"]["post_id"]

    assert again == first != other
    assert [p["guid"] for p in fake.vk_posts[-GROUP]] == ["news-1-1", "news-2-1"]

    fake.advance_time(fake.guid_window_s + 1)
    fake.rate_window_s = 0  # the burst above is not what this test is about
    later = post(fake, guid="news-1-1")["response"]["post_id"]
    assert later not in (first, other)
    assert len(fake.vk_posts[-GROUP]) == 3


def test_vk_wall_post_access_rules(fake):
    fake.rate_window_s = 0
    fake.add_vk_token("reader", user_id=11)
    assert (
        vk(fake, "wall.post", owner_id=-GROUP, message="x")["error"]["error_code"] == 214
    )  # no from_group
    assert post_as(fake, "reader")["error"]["error_code"] == 214
    assert vk(fake, "wall.post", owner_id=12, message="x")["error"]["error_code"] == 214
    assert vk(fake, "wall.post", owner_id=10, message="mine")["response"]["post_id"] == 1
    assert fake.vk_posts[10][0]["from_id"] == 10


def test_vk_wall_get_newest_first_with_link_attachment(fake):
    fake.rate_window_s = 0
    url = "https://press.example.org/news/2025/roads/"
    ids = [post(fake, f"news {i}")["response"]["post_id"] for i in range(3)]
    ids.append(post(fake, "with link", attachments=url)["response"]["post_id"])
    fake.seed_vk_post(-GROUP, "from a reader", from_id=55)

    page = vk(fake, "wall.get", owner_id=-GROUP, filter="owner", count=2)["response"]
    assert page["count"] == 4
    assert [item["id"] for item in page["items"]] == [ids[3], ids[2]]
    assert page["items"][0]["attachments"] == [
        {
            "type": "link",
            "link": {"url": url, "title": "", "caption": "press.example.org", "description": ""},
        }
    ]
    rest = vk(fake, "wall.get", domain=f"club{GROUP}", filter="owner", count=2, offset=2)[
        "response"
    ]
    assert [item["id"] for item in rest["items"]] == [ids[1], ids[0]]
    everyone = vk(fake, "wall.get", owner_id=-GROUP, count=100)["response"]
    assert everyone["count"] == 5
    assert fake.posts_with_link(url) == {"vk": 1, "ok": 0}

    by_id = vk(fake, "wall.getById", posts=f"-{GROUP}_{ids[3]},-{GROUP}_999")["response"]
    assert [item["id"] for item in by_id["items"]] == [ids[3]]


def test_vk_attachment_rules(fake):
    fake.rate_window_s = 0
    two_links = post(fake, attachments="https://a.example/,https://b.example/")["error"]
    assert two_links["error_code"] == 100
    unknown_photo = post(fake, attachments=f"photo-{GROUP}_123")["error"]
    assert unknown_photo["error_code"] == 100
    assert fake.vk_posts == {}


def test_vk_edit_and_delete(fake):
    fake.rate_window_s = 0
    post_id = post(fake, "first")["response"]["post_id"]
    assert vk(fake, "wall.edit", owner_id=-GROUP, post_id=post_id, message="second")[
        "response"
    ] == {"post_id": post_id}
    assert fake.vk_posts[-GROUP][0]["text"] == "second"
    assert vk(fake, "wall.edit", owner_id=-GROUP, post_id=post_id)["error"]["error_msg"].endswith(
        "invalid message param"
    )
    assert vk(fake, "wall.delete", owner_id=-GROUP, post_id=post_id)["response"] == 1
    assert vk(fake, "wall.delete", owner_id=-GROUP, post_id=post_id)["error"]["error_code"] == 104
    assert fake.vk_posts == {} and fake.vk_deleted == {-GROUP: 1}


def test_vk_comments_minimal(fake):
    fake.rate_window_s = 0
    fake.add_vk_token("grp", kind="group", admin_of=(GROUP,))
    post_id = post(fake)["response"]["post_id"]
    reader = fake.seed_vk_comment(-GROUP, post_id, "Когда починят?", from_id=55)
    reply = vk(
        fake,
        "wall.createComment",
        token="grp",
        owner_id=-GROUP,
        post_id=post_id,
        message="Завтра",
        reply_to_comment=reader,
    )
    assert reply["response"]["parents_stack"] == [reader]

    listing = vk(
        fake, "wall.getComments", owner_id=-GROUP, post_id=post_id, count=100, thread_items_count=10
    )["response"]
    assert [c["id"] for c in listing["items"]] == [reader]
    assert listing["items"][0]["thread"]["items"][0]["from_id"] == -GROUP
    assert vk(fake, "wall.deleteComment", owner_id=-GROUP, comment_id=reader)["response"] == 1
    assert (
        vk(fake, "wall.deleteComment", owner_id=-GROUP, comment_id=reader)["error"]["error_code"]
        == 104
    )
    assert vk(fake, "groups.ban", group_id=GROUP, owner_id=55, reason=1)["response"] == 1
    assert fake.vk_bans[0]["owner_id"] == 55


# --------------------------------------------------------------------------- uploads


def test_vk_upload_flow_end_to_end(fake):
    fake.rate_window_s = 0
    server = vk(fake, "photos.getWallUploadServer", group_id=GROUP)["response"]
    assert server["upload_url"].startswith(fake.base_url + "/upload/vk/")
    assert server["user_id"] == 10

    uploaded = requests.post(
        server["upload_url"], files={"photo": ("a.png", PNG, "image/png")}, timeout=5
    ).json()
    assert isinstance(uploaded["server"], int) and uploaded["photo"] != "[]" and uploaded["hash"]

    wrong_hash = vk(
        fake,
        "photos.saveWallPhoto",
        group_id=GROUP,
        photo=uploaded["photo"],
        server=uploaded["server"],
        hash="x" * 32,
    )
    assert wrong_hash["error"]["error_code"] == 121
    wrong_server = vk(
        fake,
        "photos.saveWallPhoto",
        group_id=GROUP,
        photo=uploaded["photo"],
        server=1,
        hash=uploaded["hash"],
    )
    assert wrong_server["error"]["error_code"] == 118

    [photo] = vk(fake, "photos.saveWallPhoto", group_id=GROUP, **uploaded)["response"]
    assert photo["owner_id"] == -GROUP
    assert {"id", "album_id", "date", "access_key", "sizes"} <= set(photo)
    assert (
        vk(fake, "photos.saveWallPhoto", group_id=GROUP, **uploaded)["error"]["error_code"] == 121
    )

    attach = f"photo{photo['owner_id']}_{photo['id']},https://press.example.org/n/1/"
    post_id = post(fake, "with photo", attachments=attach)["response"]["post_id"]
    [stored] = fake.vk_posts[-GROUP]
    assert stored["id"] == post_id
    assert [a["type"] for a in stored["attachments"]] == ["photo", "link"]
    assert stored["attachments"][0]["photo"]["id"] == photo["id"]


def test_vk_upload_rejects_non_images(fake):
    server = vk(fake, "photos.getWallUploadServer", group_id=GROUP)["response"]
    not_image = requests.post(
        server["upload_url"], files={"photo": ("a.txt", b"hello", "text/plain")}, timeout=5
    ).json()
    wrong_field = requests.post(
        server["upload_url"], files={"file": ("a.jpg", JPG, "image/jpeg")}, timeout=5
    ).json()
    assert not_image["photo"] == "[]" and wrong_field["photo"] == "[]"
    saved = vk(fake, "photos.saveWallPhoto", group_id=GROUP, **not_image)["error"]
    assert saved["error_code"] == 100


def test_ok_upload_flow_end_to_end(fake):
    gid = str(OK_DEFAULT_GID)
    upload = ok(fake, "photosV2.getUploadUrl", gid=gid, count=2).json()
    assert upload["upload_url"].startswith(fake.base_url + "/upload/ok/")
    assert len(upload["photo_ids"]) == 2 and upload["ttl_ms"] > 0

    not_multipart = requests.post(upload["upload_url"], data={"pic1": "x"}, timeout=5)
    assert not_multipart.json()["error_code"] == 21
    assert not_multipart.headers["invocation-error"] == "21"
    not_image = requests.post(
        upload["upload_url"], files={"pic1": ("a.txt", b"text", "text/plain")}, timeout=5
    )
    assert not_image.json()["error_code"] == 503

    files = {"pic1": ("a.png", PNG, "image/png"), "pic2": ("b.jpg", JPG, "image/jpeg")}
    photos = requests.post(upload["upload_url"], files=files, timeout=5).json()["photos"]
    assert set(photos) == set(upload["photo_ids"])
    tokens = [photos[pid]["token"] for pid in upload["photo_ids"]]

    url = "https://press.example.org/news/ok/1/"
    media = {
        "media": [
            {"type": "text", "text": "Дороги"},
            {"type": "photo", "list": [{"id": t} for t in tokens]},
            {"type": "link", "url": url},
        ]
    }
    attachment = json.dumps(media, ensure_ascii=False)
    topic_id = ok(
        fake, "mediatopic.post", type="GROUP_THEME", gid=gid, attachment=attachment
    ).json()
    assert fake.ok_topics[gid][0]["id"] == topic_id
    assert fake.posts_with_link(url) == {"vk": 0, "ok": 1}

    reused = ok(fake, "mediatopic.post", type="GROUP_THEME", gid=gid, attachment=attachment).json()
    assert reused["error_code"] == 121

    [entity] = ok(fake, "mediatopic.getByIds", topic_ids=topic_id).json()["media_topics"]
    assert entity["media"][1]["photo_refs"] == [f"group_photo:{pid}" for pid in upload["photo_ids"]]


def test_ok_mediatopic_rules(fake):
    gid = str(OK_DEFAULT_GID)
    text = json.dumps({"media": [{"type": "text", "text": "x"}]})
    assert (
        ok(fake, "mediatopic.post", type="GROUP_THEME", attachment=text).json()["error_code"] == 160
    )
    assert (
        ok(fake, "mediatopic.post", type="GROUP_THEME", gid="123", attachment=text).json()[
            "error_code"
        ]
        == 50
    )
    long_text = json.dumps({"media": [{"type": "text", "text": "я" * 10001}]})
    assert (
        ok(fake, "mediatopic.post", type="GROUP_THEME", gid=gid, attachment=long_text).json()[
            "error_code"
        ]
        == 601
    )
    bad_link = json.dumps({"media": [{"type": "link", "url": "ftp://x"}]})
    assert (
        ok(fake, "mediatopic.post", type="GROUP_THEME", gid=gid, attachment=bad_link).json()[
            "error_code"
        ]
        == 607
    )
    assert isinstance(ok(fake, "mediatopic.post", type="USER", attachment=text).json(), str)
    assert list(fake.ok_topics) == [f"user:{570000000001}"]
    # no idempotency: the same call twice makes two topics
    ok(fake, "mediatopic.post", type="GROUP_THEME", gid=gid, attachment=text)
    ok(fake, "mediatopic.post", type="GROUP_THEME", gid=gid, attachment=text)
    assert len(fake.ok_topics[gid]) == 2


def test_ok_stream_get_newest_first_with_anchor(fake):
    gid = str(OK_DEFAULT_GID)
    ids = [
        fake.seed_ok_topic(
            gid, [{"type": "text", "text": f"t{i}"}], created_ms=1_700_000_000_000 + i
        )
        for i in range(5)
    ]
    first = ok(
        fake, "stream.get", gid=gid, patterns="POST", fields="feed.*,media_topic.*", count=2
    ).json()
    assert [f["target_refs"] for f in first["feeds"]] == [
        [f"media_topic:{ids[4]}"],
        [f"media_topic:{ids[3]}"],
    ]
    assert first["feeds"][0]["owner_refs"] == [f"group:{gid}"]
    assert [t["id"] for t in first["entities"]["media_topics"]] == [ids[4], ids[3]]

    second = ok(
        fake,
        "stream.get",
        gid=gid,
        patterns="POST",
        fields="feed.*,media_topic.*",
        count=2,
        anchor=first["anchor"],
    ).json()
    assert [t["id"] for t in second["entities"]["media_topics"]] == [ids[2], ids[1]]
    no_fields = ok(fake, "stream.get", gid=gid, patterns="POST", count=2).json()
    assert "media_topics" not in no_fields["entities"]


# --------------------------------------------------------------------------- faults


def test_fail_next_lose_response_applies_the_post(fake):
    fake.rate_window_s = 0
    fake.fail_next("wall.post", "lose_response")

    resp = requests.post(
        fake.vk_api_url + "wall.post",
        data={
            "access_token": ADMIN,
            "v": V,
            "owner_id": -GROUP,
            "from_group": 1,
            "message": "x",
            "guid": "g-1",
        },
        timeout=5,
    )

    assert resp.status_code == 500
    [stored] = fake.vk_posts[-GROUP]
    assert post(fake, "x", guid="g-1")["response"]["post_id"] == stored["id"]
    assert len(fake.vk_posts[-GROUP]) == 1


def test_fail_next_error_http500_and_timeout_do_not_apply(fake):
    fake.rate_window_s = 0
    fake.timeout_sleep_s = 0.3
    fake.fail_next("wall.post", 10)
    fake.fail_next("wall.post", "http500")
    fake.fail_next("wall.post", "timeout")
    fake.fail_next("mediatopic.post", 2)

    assert post(fake)["error"]["error_code"] == 10
    assert requests.post(fake.vk_api_url + "wall.post", data={}, timeout=5).status_code == 500
    with pytest.raises(requests.exceptions.ReadTimeout):
        post(fake, timeout=0.1)
    text = json.dumps({"media": [{"type": "text", "text": "x"}]})
    resp = ok(fake, "mediatopic.post", type="GROUP_THEME", gid=str(OK_DEFAULT_GID), attachment=text)
    assert resp.json()["error_code"] == 2 and resp.headers["invocation-error"] == "2"
    time.sleep(0.3)
    assert fake.vk_posts == {} and fake.ok_topics == {}
    assert "response" in post(fake)


def test_broken_body_applies_and_breaks_the_reply(fake):
    fake.fail_next("wall.post", "broken_body")
    with pytest.raises(requests.exceptions.RequestException):
        post(fake)
    assert len(fake.vk_posts[-GROUP]) == 1


def test_transient_faults_are_seeded(fake):
    outcomes = []
    for seed in (1, 1):
        with FakeSocialServer(seed=seed, transient_rate=0.5, vk_user_rate=100) as server:
            server.add_vk_token(ADMIN, user_id=10, admin_of=(GROUP,))
            run = []
            for i in range(20):
                try:
                    r = requests.post(
                        server.vk_api_url + "wall.post",
                        data={
                            "access_token": ADMIN,
                            "v": V,
                            "owner_id": -GROUP,
                            "from_group": 1,
                            "message": str(i),
                        },
                        timeout=5,
                    )
                    body = r.json() if r.status_code == 200 else r.status_code
                except requests.exceptions.RequestException:
                    body = "broken"
                run.append(body if not isinstance(body, dict) else sorted(body))
            outcomes.append((run, sum(len(v) for v in server.vk_posts.values())))
            assert server.violations == []
    assert outcomes[0] == outcomes[1]
    run, stored = outcomes[0]
    assert any(r == ["response"] for r in run) and any(r != ["response"] for r in run)
    assert stored >= run.count(["response"])


# --------------------------------------------------------------------------- VK ID refresh


def test_refresh_token_rotation(fake):
    fake.add_vk_token("access-1", user_id=10, admin_of=(GROUP,), expires_in=3600)
    fake.add_vk_refresh_token(
        "refresh-1",
        client_id=51000,
        device_id="dev-1",
        user_id=10,
        admin_of=(GROUP,),
        access_token="access-1",
    )
    form = {
        "grant_type": "refresh_token",
        "refresh_token": "refresh-1",
        "client_id": "51000",
        "device_id": "dev-1",
        "state": "s" * 32,
    }

    resp = requests.post(fake.vk_id_token_url, data=form, timeout=5)

    assert resp.status_code == 200
    pair = resp.json()
    assert (
        pair["state"] == "s" * 32 and pair["token_type"] == "Bearer" and pair["expires_in"] == 3600
    )
    assert pair["refresh_token"] != "refresh-1" and pair["user_id"] == 10
    old = vk(fake, "wall.get", token="access-1", owner_id=-GROUP)["error"]
    assert old["error_msg"] == "User authorization failed: access_token has expired."
    assert "response" in post_as(fake, pair["access_token"])

    reuse = requests.post(fake.vk_id_token_url, data={**form, "state": "t" * 32}, timeout=5)
    assert reuse.status_code == 400
    assert reuse.json()["error"] == "invalid_grant" and reuse.json()["state"] == "t" * 32

    # the web SDK puts everything but the refresh token in the query string
    query = {k: v for k, v in form.items() if k != "refresh_token"}
    again = requests.post(
        fake.vk_id_token_url, params=query, data={"refresh_token": pair["refresh_token"]}, timeout=5
    )
    assert again.status_code == 200
    assert (
        vk(fake, "wall.get", token=pair["access_token"], owner_id=-GROUP)["error"]["error_code"]
        == 5
    )


def test_refresh_lost_response_then_retry_gets_invalid_grant(fake):
    fake.add_vk_refresh_token("refresh-1", client_id=1, device_id="d", user_id=10)
    fake.fail_next("oauth2/auth", "lose_response")
    form = {
        "grant_type": "refresh_token",
        "refresh_token": "refresh-1",
        "client_id": "1",
        "device_id": "d",
        "state": "x" * 32,
    }

    assert requests.post(fake.vk_id_token_url, data=form, timeout=5).status_code == 500
    retry = requests.post(fake.vk_id_token_url, data=form, timeout=5)
    assert (retry.status_code, retry.json()["error"]) == (400, "invalid_grant")
    missing = requests.post(fake.vk_id_token_url, data={**form, "device_id": ""}, timeout=5)
    assert missing.json()["error"] == "invalid_request"


def test_old_token_grace_period():
    with FakeSocialServer(old_token_grace_s=60) as fake:
        fake.add_vk_token("a1", user_id=10)
        fake.add_vk_refresh_token("r1", client_id=1, device_id="d", user_id=10, access_token="a1")
        form = {
            "grant_type": "refresh_token",
            "refresh_token": "r1",
            "client_id": "1",
            "device_id": "d",
            "state": "x" * 32,
        }
        assert requests.post(fake.vk_id_token_url, data=form, timeout=5).status_code == 200
        assert "response" in vk(fake, "wall.get", token="a1", owner_id=10)
        fake.advance_time(61)
        assert vk(fake, "wall.get", token="a1", owner_id=10)["error"]["error_code"] == 5


# --------------------------------------------------------------------------- the embedded schema


def test_embedded_vk_schema_matches_contract_files():
    path = CONTRACTS / "vk" / "methods-subset.json"
    if not path.exists():
        pytest.skip("shared/contracts not beside the repository")
    methods = {m["name"]: m for m in json.loads(path.read_text())["methods"]}
    assert set(methods) == set(VK_METHODS)
    for name, method in methods.items():
        spec = VK_METHODS[name]
        assert tuple(method["access_token_type"]) == spec["access_token_type"], name
        params = {p["name"]: p for p in method.get("parameters", [])}
        assert set(params) == set(spec["params"]), name
        for pname, p in params.items():
            mine = spec["params"][pname]
            kind = tuple(p["type"]) if isinstance(p["type"], list) else p["type"]
            assert mine["type"] == kind, (name, pname)
            assert mine.get("required", False) == p.get("required", False), (name, pname)
            assert mine.get("minimum") == p.get("minimum"), (name, pname)
            assert mine.get("maximum") == p.get("maximum"), (name, pname)
