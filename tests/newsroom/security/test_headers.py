"""Content-Security-Policy and Permissions-Policy: strict on the public site, compatible with
Wagtail's admin."""

import pytest

from newsroom import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_the_public_site_allows_nothing_inline(client, site_tree):
    response = client.get("/")
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "<script>" not in response.content.decode()  # no inline script of ours
    assert "style=" not in response.content.decode()


def test_the_admin_gets_its_own_policy(client, site_tree):
    client.force_login(UserFactory(groups=[roles.EDITORS]))
    response = client.get("/admin/")
    policy = directives(response)
    assert "'unsafe-inline'" in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["default-src"] == ["'self'"]


def test_permissions_policy_switches_off_what_no_page_uses(client, site_tree):
    for url in ("/", "/admin/login/", "/news/"):
        value = client.get(url)["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
            assert feature in value


def test_the_error_page_needs_no_inline_style(client):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "<style" not in html and "style=" not in html
