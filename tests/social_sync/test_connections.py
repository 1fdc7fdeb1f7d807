"""How the clients reach the networks: the CA bundle for MAX's host under the Russian trusted
root, checked at start-up."""

from social_sync import checks
from social_sync.services import connections
from tests.once import once

pytestmark = once


def test_no_bundle_is_nothing_to_check(settings):
    settings.SOCIAL_CA_BUNDLE = ""
    assert checks.ca_bundle_readable(None) == []


def test_a_missing_or_foreign_bundle_stops_start_up(settings, tmp_path):
    not_pem = tmp_path / "bundle.txt"
    not_pem.write_text("это не сертификаты")
    for path in (tmp_path / "absent.pem", not_pem):
        settings.SOCIAL_CA_BUNDLE = str(path)
        [error] = checks.ca_bundle_readable(None)
        assert error.id == "social_sync.E002" and str(path) in error.msg


def test_the_session_verifies_with_the_given_bundle(settings, tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
    settings.SOCIAL_CA_BUNDLE = str(bundle)
    connections.session.cache_clear()
    try:
        assert checks.ca_bundle_readable(None) == []
        assert connections.session().verify == str(bundle)
    finally:
        connections.session.cache_clear()
    settings.SOCIAL_CA_BUNDLE = ""
    assert connections.session().verify is True
    connections.session.cache_clear()
