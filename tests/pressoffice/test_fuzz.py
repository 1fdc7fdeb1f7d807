"""Typed input as a careless user or an attacker sends it, on every way in that the permission
matrix does not already cover: 0 server errors, 0 rows written by a refused request.

* every query parameter of the public site (a test reads the public views' source for the
  parameters they take, so a new one without a line here fails);
* ``q`` and ``ordering`` on every admin screen without arguments in its URL (each listing);
* every date the page editor and the snippet forms accept (read from their forms, so a new date
  field without a line here fails), typed as people type and mistype dates;
* the style check and the social preview endpoints;
* the import's cell sizes, up to a cell far over the CSV reader's limit.

Hypothesis draws from ``tests.hostile``; each example is a whole request through Django. What
reaches the database differently on PostgreSQL — the dates, stored and read back — runs on both
databases; the rest (refused before any query, or read without one) once, on SQLite.
"""

import datetime
import json
import re
from pathlib import Path
from urllib.parse import quote

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Revision
from wagtail.snippets.models import get_snippet_models
from wagtail.test.utils.form_data import inline_formset, nested_form_data

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsroom import roles
from newsroom.casework.admin.forms import CaseCreateForm
from newsroom.date_range import EARLIEST, LATEST
from newsroom.models import CalendarOverride, Case, EventPage, MonthlyPlan, NewsPage
from social_sync.models import SocialAccount
from tests.factories import EventPageFactory, NewsPageFactory, UserFactory
from tests.hostile import PROPERTY_SETTINGS, hostile_strings, wrong_types
from tests.newsroom.forms import event_form_data, news_form_data
from tests.once import once
from tests.pressoffice.matrix import routes
from tests.social_sync.test_accounts_admin import form_data as account_form_data

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def raw_query(params):
    """A query string as an attacker writes it: any characters, broken UTF-8 included."""
    return "&".join(
        f"{quote(key)}={quote(value.encode('utf-8', 'surrogatepass'))}"
        for key, value in params.items()
    )


# --- The public site -------------------------------------------------------------------------

# The modules whose views answer anonymous visitors.
PUBLIC_MODULES = (
    "newsroom/models",
    "newsroom/views.py",
    "newsroom/feeds.py",
    "newsroom/broadcasts/views.py",
    "accreditation/models/pages.py",
    "accreditation/views/public.py",
)
# Where each public parameter is read, as a path of the test world.
PUBLIC_PARAMETERS = {
    "page": ("/news/", "area", "head", "/search/?q=новости"),
    "department": ("/news/",),
    "tag": ("/news/",),
    "month": ("/events/",),
    "q": ("/search/",),
    "section": ("/search/?q=новости",),
    "period": ("/search/?q=новости",),
    "question": ("event",),
    "journalists": ("accreditation",),
    "new": ("accreditation",),
    "resubmitted": ("accreditation",),
    "number": ("accreditation/verify/",),
}


def parameters_read_by_public_views():
    found = set()
    for module in PUBLIC_MODULES:
        paths = (ROOT / module).rglob("*.py") if (ROOT / module).is_dir() else [ROOT / module]
        for path in paths:
            found |= set(re.findall(r"GET\.get(?:list)?\(\s*\"(\w+)\"", path.read_text()))
    return found


@once
def test_the_fuzz_knows_every_parameter_the_public_views_read():
    read = parameters_read_by_public_views()
    assert "tag" in read and "month" in read  # the scan finds what it should
    assert read - set(PUBLIC_PARAMETERS) == set()


@pytest.fixture
def public_world(site_tree):
    from tests.accreditation.factories import AccreditationPageFactory

    NewsPageFactory(parent=site_tree.area, title="Новости района").save_revision().publish()
    event = EventPageFactory(parent=site_tree.event_index, title="Эфир с Главой", kind="broadcast")
    event.save_revision().publish()
    accreditation = AccreditationPageFactory(parent=site_tree.home)
    return {
        "area": site_tree.area.url,
        "head": site_tree.head.url,
        "event": event.url,
        "accreditation": accreditation.url,
        "accreditation/verify/": accreditation.url + "verify/",
    }


def public_url(world, where, name, value):
    base = world.get(where, where)
    joiner = "&" if "?" in base else "?"
    return base + joiner + raw_query({name: value})


@once
@given(data=st.data())
@PROPERTY_SETTINGS
def test_public_parameters_never_break_a_page(client, public_world, data):
    name = data.draw(st.sampled_from(sorted(PUBLIC_PARAMETERS)))
    where = data.draw(st.sampled_from(PUBLIC_PARAMETERS[name]))
    value = data.draw(
        st.one_of(
            hostile_strings,
            st.sampled_from(["0", "-1", "10" * 30, "0001-01", "9999-12", "2026-13", "%00", "1e9"]),
        )
    )
    response = client.get(public_url(public_world, where, name, value))
    assert response.status_code < 500, (name, where, value)


@once
def test_each_public_parameter_at_its_edges(client, public_world):
    edges = ["\x00", "0001-01", "9999-12", "0", "-5", "9" * 5000, "\ud800", "а" * 20_001]
    for name, places in PUBLIC_PARAMETERS.items():
        for where in places:
            for value in edges:
                response = client.get(public_url(public_world, where, name, value))
                assert response.status_code < 500, (name, where, value)


# --- Admin listings: q and ordering ----------------------------------------------------------

# Screens without URL arguments that take no GET at all or are Wagtail's deliberate error.
NOT_LISTINGS = {"wagtailadmin_error_test", "wagtailadmin_logout"}


def admin_screens():
    return sorted(
        route.name
        for route in routes()
        if route.pattern.startswith("admin/")
        and not route.converters
        and not route.name.startswith("admin/")
        and route.name not in NOT_LISTINGS
    )


ORDERINGS = ["-", "__class__", "-pk__gt", "title,-id", "nonexistent", "-" * 40, "?", "pk"]


@pytest.fixture
def superuser_client(site_tree):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(username="fuzz-root", is_superuser=True))
    return client


@once
def test_every_admin_screen_takes_any_q_and_ordering(superuser_client):
    screens = admin_screens()
    assert "cases:index" in screens and "wagtailsnippets_newsroom_department:list" in screens
    errors = []
    for name in screens:
        for q, ordering in (("' OR 1=1 --", "__class__"), ("𝕳" + "а" * 300, "-pk__gt")):
            url = reverse(name) + "?" + raw_query({"q": q, "ordering": ordering})
            if superuser_client.get(url).status_code >= 500:
                errors.append(url)
    assert errors == []


@once
@given(data=st.data())
@PROPERTY_SETTINGS
def test_admin_listings_take_hostile_q_and_ordering(superuser_client, data):
    name = data.draw(st.sampled_from(admin_screens()))
    q = data.draw(hostile_strings)
    ordering = data.draw(st.one_of(st.sampled_from(ORDERINGS), hostile_strings))
    url = reverse(name) + "?" + raw_query({"q": q, "ordering": ordering})
    assert superuser_client.get(url).status_code < 500, url


# --- Dates typed into the page editor and the snippet forms ---------------------------------

MISTYPED = [
    "01.01.0001 00:00",
    "31.12.9999 23:59",
    "0001-01-01 00:00",
    "9999-12-31 23:59",
    "00.00.0000 00:00",
    "29.02.2025 10:00",
    "31.11.2026 10:00",
    "07.12.2026 25:61",
    "1.1.1 1:1",
    "31.12.1899 23:59",
    "01.01.2101 00:00",
    "сегодня",
    "",
]


def date_texts(date_only=False):
    any_year = st.datetimes(
        min_value=datetime.datetime(1, 1, 2), max_value=datetime.datetime(9999, 12, 30)
    ).map(
        lambda moment: (
            f"{moment.day:02d}.{moment.month:02d}.{moment.year:04d}"
            + ("" if date_only else f" {moment.hour:02d}:{moment.minute:02d}")
        )
    )
    return st.one_of(st.sampled_from(MISTYPED), any_year, hostile_strings)


@pytest.fixture
def people(site_tree):
    return {
        "department": UserFactory(username="fz-dept", groups=[site_tree.department.group_name]),
        "editor": UserFactory(username="fz-editor", groups=[roles.EDITORS]),
        "curator": UserFactory(username="fz-curator", groups=[roles.CURATORS]),
    }


def news_target(site_tree, people):
    page = NewsPageFactory(parent=site_tree.area, title="Черновик для проверки дат", live=False)
    return {
        "user": people["department"],
        "url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
        "data": lambda: news_form_data(title=page.title, slug=page.slug),
        "rows": lambda: Revision.objects.count(),
        "saved": lambda: NewsPage.objects.get(pk=page.pk).get_latest_revision_as_object(),
    }


def event_target(site_tree, people):
    page = EventPageFactory(
        parent=site_tree.event_index, title="Совещание для проверки дат", live=False
    )
    return {
        "user": people["editor"],
        "url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
        "data": lambda: event_form_data(page),
        "rows": lambda: Revision.objects.count(),
        "saved": lambda: EventPage.objects.get(pk=page.pk).get_latest_revision_as_object(),
    }


def override_target(site_tree, people):
    return {
        "user": people["curator"],
        "url": reverse("wagtailsnippets_newsroom_calendaroverride:add"),
        "data": lambda: {"date": "30.12.2026", "kind": "day_off", "note": "перенос"},
        "rows": lambda: CalendarOverride.objects.count(),
        "saved": lambda: CalendarOverride.objects.order_by("-pk").first(),
    }


def case_target(site_tree, people):
    detected = timezone.localtime() - datetime.timedelta(hours=2)
    return {
        "user": people["curator"],
        "url": reverse("cases:add"),
        "data": lambda: {
            "network": "telegram",
            "url": "https://t.me/district/123",
            "author_name": "Ольга Иванова",
            "author_id": "olga_i",
            "text": "Нет освещения у остановки.",
            "published_at": "",
            "detected_at": detected.strftime("%d.%m.%Y %H:%M"),
            "received_at": "",
            "category": "Благоустройство",
            "kind": "incident",
        },
        "rows": lambda: Case.objects.count(),
        "saved": lambda: Case.objects.order_by("-pk").first(),
    }


def account_target(site_tree, people):
    return {
        "user": people["editor"],
        "url": reverse("wagtailsnippets_social_sync_socialaccount:add"),
        "data": lambda: account_form_data(),
        "rows": lambda: SocialAccount.objects.count(),
        "saved": lambda: SocialAccount.objects.order_by("-pk").first(),
    }


def plan_target(site_tree, people):
    from wagtail.models import Site

    plan = MonthlyPlan.objects.create(
        site=Site.objects.get(is_default_site=True), month=datetime.date(2026, 12, 1), live=False
    )
    plan.save_revision(user=people["editor"])
    return {
        "user": people["editor"],
        "url": reverse("wagtailsnippets_newsroom_monthlyplan:edit", args=[plan.pk]),
        "data": lambda: nested_form_data(
            {
                "site": plan.site_id,
                "month": "01.12.2026",
                "note": "",
                "items": inline_formset(
                    [
                        {
                            "start": "15.12.2026 10:00",
                            "end": "15.12.2026 12:00",
                            "title": "Сессия",
                            "place": "Зал",
                            "responsible": "",
                            "leadership": "",
                            "event": "",
                        }
                    ]
                ),
            }
        ),
        "rows": lambda: Revision.objects.count(),
        "saved": lambda: MonthlyPlan.objects.get(pk=plan.pk).get_latest_revision_as_object(),
    }


# form field (as posted) → (target, the model whose field it is, its name)
DATE_FIELDS = {
    ("news", "date"): (news_target, NewsPage, "date"),
    ("news", "go_live_at"): (news_target, NewsPage, "go_live_at"),
    ("news", "expire_at"): (news_target, NewsPage, "expire_at"),
    **{
        ("news", f"social_at_{n}"): (news_target, NewsPage, f"social_at_{n}")
        for n in ("vk", "ok", "telegram", "max")
    },
    ("event", "start"): (event_target, EventPage, "start"),
    ("event", "end"): (event_target, EventPage, "end"),
    ("event", "go_live_at"): (event_target, EventPage, "go_live_at"),
    ("event", "expire_at"): (event_target, EventPage, "expire_at"),
    **{
        ("event", f"social_at_{n}"): (event_target, EventPage, f"social_at_{n}")
        for n in ("vk", "ok", "telegram", "max")
    },
    ("override", "date"): (override_target, CalendarOverride, "date"),
    ("case", "published_at"): (case_target, Case, "published_at"),
    ("case", "detected_at"): (case_target, Case, "detected_at"),
    ("case", "received_at"): (case_target, Case, "received_at"),
    ("account", "token_expires_at"): (account_target, SocialAccount, "token_expires_at"),
    ("plan", "month"): (plan_target, MonthlyPlan, "month"),
    ("plan", "items-0-start"): (plan_target, MonthlyPlan, "items.start"),
    ("plan", "items-0-end"): (plan_target, MonthlyPlan, "items.end"),
}


def form_date_fields(form_class, prefix=""):
    names = {
        prefix + name
        for name, field in form_class.base_fields.items()
        if isinstance(field, django_date_fields())
    }
    for relation, formset in getattr(form_class, "formsets", {}).items():
        names |= form_date_fields(formset.form, f"{prefix}{relation}.")
    return names


def django_date_fields():
    from django import forms

    return (forms.DateField, forms.DateTimeField, forms.SplitDateTimeField)


def edit_form_class(model):
    viewset = getattr(model, "snippet_viewset", None)
    handler = viewset.get_edit_handler() if viewset else model.get_edit_handler()
    return handler.get_form_class()


@once
def test_the_fuzz_knows_every_date_the_editors_forms_accept():
    """The forms of the crossposted page types, of every snippet and of the manual case entry,
    read for their date fields (inline rows included): each is fuzzed below. Other page types share the publication
    schedule (``Page.go_live_at``, ``expire_at``), fuzzed through the news editor."""
    covered = {(model, name) for (_target, model, name) in DATE_FIELDS.values()}
    editors = [NewsPage, EventPage] + [
        model
        for model in get_snippet_models()
        if model._meta.app_label in ("newsroom", "social_sync", "accreditation")
    ]
    found = {
        (model, name) for model in editors for name in form_date_fields(edit_form_class(model))
    }
    # The cases' own screen: «Обращения → Новое сообщение».
    found |= {(Case, name) for name in form_date_fields(CaseCreateForm)}
    assert {(NewsPage, "go_live_at"), (MonthlyPlan, "items.start"), (Case, "detected_at")} <= found
    unknown = sorted(f"{model.__name__}.{name}" for model, name in found - covered)
    assert unknown == [], "date fields no fuzz types into: %s" % unknown


@pytest.fixture
def targets(site_tree, people):
    made = {}

    def target(maker):
        if maker not in made:
            made[maker] = maker(site_tree, people)
        return made[maker]

    return target


def within_range(value):
    if value is None:
        return True
    day = timezone.localtime(value).date() if isinstance(value, datetime.datetime) else value
    return EARLIEST <= day <= LATEST


def test_each_form_saves_a_good_date(targets):
    """The baseline: each target's form data, as given, is saved — so a refusal in the fuzz is the
    date's doing."""
    for maker in {target for (target, _m, _n) in DATE_FIELDS.values()}:
        target = targets(maker)
        client = Client()
        client.force_login(target["user"])
        response = client.post(target["url"], target["data"]())
        assert response.status_code == 302, (maker.__name__, response.content.decode()[:3000])


@given(data=st.data())
@PROPERTY_SETTINGS
def test_dates_typed_into_forms_are_saved_in_range_or_refused_with_nothing_written(targets, data):
    key = data.draw(st.sampled_from(sorted(DATE_FIELDS)))
    maker, _model, name = DATE_FIELDS[key]
    target = targets(maker)
    field = key[1]
    date_only = key in {("override", "date"), ("plan", "month")}
    text = data.draw(date_texts(date_only))
    client = Client(raise_request_exception=False)
    client.force_login(target["user"])
    form = dict(target["data"]())
    # A browser posts a lone surrogate as U+FFFD: a form cannot carry one.
    form[field] = text.encode("utf-8", "replace").decode()
    before = target["rows"]()
    response = client.post(target["url"], form)
    assert response.status_code < 500, (key, text)
    if response.status_code == 302:
        saved = target["saved"]()
        if "." in name:
            values = [getattr(item, name.split(".")[1]) for item in saved.items.all()]
        else:
            values = [getattr(saved, name)]
        assert all(within_range(value) for value in values), (key, text, values)
    else:
        assert target["rows"]() == before, (key, text)


# --- The style check and the social preview --------------------------------------------------

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), hostile_strings),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)


def deep(depth):
    return "[" * depth + "]" * depth


@once
@given(
    field=st.sampled_from(
        [
            "title",
            "lead",
            "body",
            "social_text",
            "social_text_ok",
            "slug",
            "start",
            "page_type",
            "page_id",
            "parent_id",
            "main_image",
            "social_images",
            "social_publish_anyway",
        ]
    ),
    value=st.one_of(json_values, wrong_types, hostile_strings),
)
@PROPERTY_SETTINGS
def test_the_style_check_and_the_preview_take_any_json(people, site_tree, field, value):
    client = Client(raise_request_exception=False)
    client.force_login(people["editor"])
    body = {
        "page_type": "newsroom.newspage",
        "parent_id": site_tree.area.pk,
        "title": "Заголовок",
        field: value,
    }
    raw = json.dumps(body, ensure_ascii=True)  # lone surrogates travel as \\ud800 escapes
    for url in (reverse("newsroom_style_check"), reverse("social_sync:preview")):
        response = client.post(url, raw, content_type="application/json")
        assert response.status_code < 500, (url, field, value)
        if response.status_code == 400:
            assert re.search(r"[а-яА-Я]", response.content.decode()), response.content


@once
def test_the_style_check_and_the_preview_refuse_what_cannot_be_read(people, site_tree):
    client = Client(raise_request_exception=False)
    client.force_login(people["editor"])
    bodies = [deep(100_000), '{"title": "\\ud800"}', '{"title": {"a": "b"}}', "[]", "", "{"]
    for url in (reverse("newsroom_style_check"), reverse("social_sync:preview")):
        for raw in bodies:
            response = client.post(url, raw, content_type="application/json")
            assert response.status_code in (200, 400, 403, 404), (
                url,
                raw[:20],
                response.status_code,
            )
    refused = client.post(
        reverse("newsroom_style_check"), '{"title": {"a": "b"}}', content_type="application/json"
    )
    assert refused.status_code == 400
    assert "ожидается текст" in refused.content.decode()


# --- The import's cell sizes -----------------------------------------------------------------


@once
@given(
    size=st.integers(min_value=0, max_value=400_000),
    column=st.sampled_from(["header", "text", "author"]),
)
@PROPERTY_SETTINGS
def test_an_import_with_a_cell_of_any_size_is_answered_and_writes_nothing(people, size, column):
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = "ж" * size
    header = ["Сеть", "Ссылка", "Автор сообщения", "Текст сообщения", "Дата выявления"]
    row = ["vk", "https://vk.com/wall-1_2", "Ирина", "Нет воды", "20.11.2026 16:00"]
    if column == "header":
        header[3] = big or header[3]
    elif column == "text":
        row[3] = big
    else:
        row[2] = big
    content = ("\n".join(";".join(line) for line in (header, row)) + "\n").encode()
    client = Client(raise_request_exception=False)
    client.force_login(people["curator"])
    before = Case.objects.count()
    response = client.post(
        reverse("newsroom_case_import"),
        {"file": SimpleUploadedFile("messages.csv", content), "source": "import"},
    )
    assert response.status_code < 500, (size, column)
    assert Case.objects.count() == before
