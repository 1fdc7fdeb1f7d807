"""One range of dates for the whole product: typed in the page editor (the date, «go live at»),
in a snippet form, sent through the API or an import — a year outside 1900–2100 is refused with a
message and nothing is written; a revision saved with such a date before still opens."""

import datetime

from django.apps import apps
from django.db import models
from django.urls import reverse

from wagtail.models import Page, Revision

import pytest

from newsroom import date_range
from newsroom.validators import PROJECT_APPS, within_date_range
from tests.factories import NewsPageFactory, UserFactory
from tests.newsroom.forms import news_form_data

MOSCOW = datetime.timezone(datetime.timedelta(hours=3))


@pytest.mark.parametrize(
    "value",
    [
        datetime.date(1, 1, 1),
        datetime.date(1899, 12, 31),
        datetime.date(2101, 1, 1),
        datetime.date(9999, 12, 31),
        datetime.datetime(1, 1, 1, tzinfo=MOSCOW),  # year 0 in UTC
        datetime.datetime(
            9999, 12, 31, 23, 59, tzinfo=datetime.timezone(-datetime.timedelta(hours=3))
        ),
        datetime.datetime(1, 1, 1),
    ],
)
def test_dates_outside_the_range_are_refused_with_a_russian_message(value):
    found = date_range.problem(value)
    assert found is not None and "вне допустимого диапазона" in found
    assert "01.01.1900" in found and "31.12.2100" in found


@pytest.mark.parametrize(
    "value",
    [
        datetime.date(1900, 1, 1),
        datetime.date(2100, 12, 31),
        datetime.datetime(2026, 12, 7, 10, 0, tzinfo=MOSCOW),
        datetime.datetime(1995, 5, 1, 12, 0),
    ],
)
def test_dates_inside_the_range_pass(value):
    assert date_range.problem(value) is None


def test_every_date_field_of_the_project_and_the_page_schedule_is_bounded():
    fields = [
        field
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
        for field in model._meta.concrete_fields
        if isinstance(field, models.DateField)
    ]
    fields += [Page._meta.get_field("go_live_at"), Page._meta.get_field("expire_at")]
    assert len(fields) > 40
    unbounded = [
        f"{f.model.__name__}.{f.name}" for f in fields if within_date_range not in f.validators
    ]
    assert unbounded == []


@pytest.fixture
def writer(site_tree):
    return UserFactory(username="dept-writer", groups=[site_tree.department.group_name])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field, typed",
    [
        ("go_live_at", "01.01.0001 00:00"),
        ("go_live_at", "31.12.9999 23:59"),
        ("date", "01.01.0001 00:00"),
        ("date", "9999-12-31 23:59"),
        ("expire_at", "31.12.2999 23:59"),
    ],
)
def test_the_page_editor_refuses_a_year_out_of_range_and_saves_nothing(
    client, site_tree, writer, field, typed
):
    page = NewsPageFactory(parent=site_tree.area, title="Черновик отдела", live=False)
    revisions = Revision.objects.count()
    client.force_login(writer)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.post(
        url, news_form_data(title="Черновик отдела", slug=page.slug, **{field: typed})
    )
    assert response.status_code == 200
    assert "вне допустимого диапазона" in response.content.decode()
    assert Revision.objects.count() == revisions
    page.refresh_from_db()
    assert page.go_live_at is None and page.date.year >= 1900


@pytest.mark.django_db
def test_a_page_whose_stored_dates_are_out_of_range_still_opens_for_everyone(
    client, site_tree, writer
):
    page = NewsPageFactory(parent=site_tree.area, title="Черновик с отравленной датой", live=False)
    revision = page.save_revision(user=writer)
    # As an earlier version let it be saved: the revision's date and «go live at» in year 1, the
    # page's own date column far in the past.
    revision.content.update(
        date="0001-01-01T00:00:00+03:00", go_live_at="0001-01-01T00:00:00+03:00"
    )
    Revision.objects.filter(pk=revision.pk).update(content=revision.content)
    type(page).objects.filter(pk=page.pk).update(
        date=datetime.datetime(1000, 1, 1, tzinfo=datetime.UTC)
    )
    administrator = UserFactory(username="root-admin", is_superuser=True)
    for user in (administrator, writer):
        client.force_login(user)
        for name in ("edit", "history", "delete", "revisions_index"):
            response = client.get(reverse(f"wagtailadmin_pages:{name}", args=[page.pk]))
            assert response.status_code in (200, 302), (user, name)
        response = client.get(reverse("wagtailadmin_reports:site_history"))
        assert response.status_code == 200
        response = client.get(
            reverse("wagtailadmin_pages:add", args=["newsroom", "newspage", site_tree.area.pk])
        )
        assert response.status_code == 200
    client.force_login(administrator)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "0001" not in edit
    # Saved again with a real date, the page is whole.
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        news_form_data(title="Черновик с отравленной датой", slug=page.slug),
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.get_latest_revision().as_object().date.year == datetime.date.today().year
