"""The visitor's address behind our own reverse proxies, and the deploy check that asks for it."""

import pytest

from accreditation.checks import visitor_address_behind_a_proxy
from newsroom.http import client_address


@pytest.mark.parametrize(
    ("remote", "forwarded", "proxies", "expected"),
    [
        ("203.0.113.5", None, 0, "203.0.113.5"),  # no proxy
        ("203.0.113.5", "198.51.100.1", 0, "203.0.113.5"),  # a header nobody asked to trust
        ("127.0.0.1", "203.0.113.5", 1, "203.0.113.5"),  # nginx
        ("127.0.0.1", "6.6.6.6, 203.0.113.5", 1, "203.0.113.5"),  # the visitor's own entry
        ("10.0.0.2", "203.0.113.5, 10.0.0.1", 2, "203.0.113.5"),  # balancer + nginx
        ("127.0.0.1", " 2001:db8::1 ", 1, "2001:db8::1"),
        ("127.0.0.1", "", 1, "127.0.0.1"),  # did not pass the proxy
        ("10.0.0.2", "203.0.113.5", 2, "10.0.0.2"),  # passed one proxy of two
        ("127.0.0.1", "unknown", 1, "127.0.0.1"),  # not an address
        (None, None, 0, None),
    ],
)
def test_client_address(remote, forwarded, proxies, expected):
    assert client_address(remote, forwarded, proxies) == expected


def test_deploy_check_asks_for_the_proxy_count_behind_a_tls_proxy(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXY_COUNT = 0
    assert [w.id for w in visitor_address_behind_a_proxy(None)] == ["accreditation.W001"]
    settings.TRUSTED_PROXY_COUNT = 1
    assert visitor_address_behind_a_proxy(None) == []
    settings.SECURE_PROXY_SSL_HEADER = None
    settings.TRUSTED_PROXY_COUNT = 0
    assert visitor_address_behind_a_proxy(None) == []
