from django.conf import settings
from django.core.checks import Warning, register


@register("security", deploy=True)
def visitor_address_behind_a_proxy(app_configs, **kwargs):
    """Behind a TLS proxy every visitor has the proxy's address unless we are told to look past it."""
    if settings.SECURE_PROXY_SSL_HEADER and settings.TRUSTED_PROXY_COUNT == 0:
        return [
            Warning(
                "TRUSTED_PROXY_COUNT is 0 behind a proxy (SECURE_PROXY_SSL_HEADER is set): the "
                "accreditation form would limit and record every visitor as the proxy's address.",
                hint="Set TRUSTED_PROXY_COUNT to the number of your reverse proxies (nginx: 1) "
                "and have them pass X-Forwarded-For.",
                id="accreditation.W001",
            )
        ]
    return []
