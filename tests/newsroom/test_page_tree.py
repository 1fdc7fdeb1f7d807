"""Editors cannot build a wrong tree: every page type lives only where it belongs."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

import pytest

from accreditation.models import AccreditationPage
from newsroom.models import (
    AppealsPage,
    DepartmentNewsIndexPage,
    EventIndexPage,
    EventPage,
    HeadSectionPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
)


class TestPageTreeRules(WagtailPageTestCase):
    def test_home_page_sits_at_the_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_home_page_children(self):
        self.assertAllowedSubpageTypes(
            HomePage,
            {NewsIndexPage, EventIndexPage, HeadSectionPage, AccreditationPage, AppealsPage},
        )

    def test_news_lives_in_the_news_feed_a_department_area_or_a_heads_section(self):
        self.assertAllowedParentPageTypes(
            NewsPage, {NewsIndexPage, DepartmentNewsIndexPage, HeadSectionPage}
        )
        self.assertCanNotCreateAt(EventIndexPage, NewsPage)
        self.assertCanNotCreateAt(HomePage, NewsPage)

    def test_news_and_events_have_no_children(self):
        self.assertAllowedSubpageTypes(NewsPage, set())
        self.assertAllowedSubpageTypes(EventPage, set())

    def test_department_areas_only_under_the_news_feed(self):
        self.assertAllowedParentPageTypes(DepartmentNewsIndexPage, {NewsIndexPage})
        self.assertAllowedSubpageTypes(DepartmentNewsIndexPage, {NewsPage})

    def test_events_only_in_the_calendar(self):
        self.assertAllowedParentPageTypes(EventPage, {EventIndexPage})
        self.assertCanNotCreateAt(NewsIndexPage, EventPage)


@pytest.mark.django_db
def test_only_one_news_feed_and_calendar_per_home(site_tree):
    assert not NewsIndexPage.can_create_at(site_tree.home)
    assert not EventIndexPage.can_create_at(site_tree.home)
    assert not HomePage.can_create_at(Page.get_first_root_node())


@pytest.mark.django_db
def test_a_news_item_in_a_department_area_carries_that_department(site_tree):
    from tests.factories import NewsPageFactory

    page = NewsPageFactory(parent=site_tree.area, department=site_tree.other_department)
    page.refresh_from_db()
    assert page.department == site_tree.department


@pytest.mark.django_db
def test_event_cannot_end_before_it_starts(site_tree):
    import datetime

    from django.core.exceptions import ValidationError

    from tests.factories import EventPageFactory

    event = EventPageFactory.build()
    event.end = event.start - datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as error:
        event.clean()
    assert "Окончание не может быть раньше начала." in str(error.value)
