from django.conf import settings
from django.core.checks import Error, Warning, register


@register("security", deploy=True)
def tokens_key_configured(app_configs, **kwargs):
    if settings.SOCIAL_TOKENS_KEYS:
        return []
    return [
        Warning(
            "SOCIAL_TOKENS_KEYS is not set: social network tokens are encrypted with a key "
            "derived from SECRET_KEY.",
            hint="Generate one with `python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'` and set SOCIAL_TOKENS_KEYS.",
            id="social_sync.W001",
        )
    ]


@register()
def tokens_keys_valid(app_configs, **kwargs):
    from cryptography.fernet import Fernet

    errors = []
    for position, key in enumerate(settings.SOCIAL_TOKENS_KEYS, start=1):
        try:
            Fernet(key.encode())
        except ValueError:
            errors.append(
                Error(
                    f"SOCIAL_TOKENS_KEYS: key #{position} is not a Fernet key "
                    "(32 url-safe base64-encoded bytes).",
                    id="social_sync.E001",
                )
            )
    return errors


@register()
def ca_bundle_readable(app_configs, **kwargs):
    """SOCIAL_CA_BUNDLE, when given, must be a readable PEM file: otherwise every request to
    the networks would fail with a TLS error long after start-up."""
    from pathlib import Path

    path = settings.SOCIAL_CA_BUNDLE
    if not path:
        return []
    bundle = Path(path)
    if bundle.is_file() and b"BEGIN CERTIFICATE" in bundle.read_bytes()[:1_000_000]:
        return []
    return [
        Error(
            f"SOCIAL_CA_BUNDLE: {path} is not a readable PEM file of certificates.",
            hint="Point it at the system bundle with the Russian trusted root added "
            "(/etc/ssl/certs/ca-certificates.crt after update-ca-certificates), or leave it empty.",
            id="social_sync.E002",
        )
    ]
