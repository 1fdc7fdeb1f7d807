import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import caches

from wagtail.models import Page, Site

import pytest

from newsroom import site_memory
from newsroom.models import OrganisationSettings
from tests import factories
from tests.summary import print_summary


def _forget_cached():
    for alias in settings.CACHES:
        caches[alias].clear()
    site_memory.forget()


@pytest.fixture(autouse=True)
def _clean_cache():
    _forget_cached()
    yield
    _forget_cached()


@pytest.fixture(autouse=True)
def _empty_rate_windows():
    """Each test starts with every token's rate window empty: a delivery no longer waits for a
    window an earlier test filled, it pauses the account (and the test would see «paused»)."""
    for path in Path(settings.SOCIAL_RATE_LIMIT_DIR).glob("*.ratelimit"):
        path.unlink(missing_ok=True)


@pytest.fixture(autouse=True, scope="session")
def _test_media_root():
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    shutil.rmtree(settings.SOCIAL_RATE_LIMIT_DIR, ignore_errors=True)


@dataclass
class SiteTree:
    home: object
    news_index: object
    event_index: object
    head: object
    department: object
    area: object
    other_department: object
    other_area: object


@pytest.fixture
def site_tree(db):
    """A site like the production one: home, news with two department areas, events, a Head."""
    root = Page.get_first_root_node()
    Page.objects.filter(depth=2).delete()
    home = factories.HomePageFactory(parent=root, slug="home")
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Тест"},
    )
    # The site's settings row exists in production; created here so no request has to make it.
    OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
    news_index = factories.NewsIndexPageFactory(parent=home)
    event_index = factories.EventIndexPageFactory(parent=home)
    head = factories.HeadSectionPageFactory(parent=home)
    department = factories.DepartmentFactory(
        name="Комитет по образованию (тест)", short_name="Образование-т", slug="edu-test"
    )
    other_department = factories.DepartmentFactory(
        name="Отдел ЖКХ (тест)", short_name="ЖКХ-т", slug="housing-test"
    )
    area = factories.DepartmentNewsIndexPageFactory(parent=news_index, department=department)
    other_area = factories.DepartmentNewsIndexPageFactory(
        parent=news_index, department=other_department
    )
    return SiteTree(
        home, news_index, event_index, head, department, area, other_department, other_area
    )


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    print_summary(terminalreporter, config)
