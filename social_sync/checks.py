from django.conf import settings
from django.core.checks import Warning, register


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
