from django.conf import settings

import pytest


@pytest.fixture
def visitor(client):
    """A visitor the page cache steps aside for, as for a signed-in user, without the queries
    of a real session: the key is too short to be looked up."""
    client.cookies[settings.SESSION_COOKIE_NAME] = "bench"
    return client
