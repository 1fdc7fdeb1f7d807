"""Every admin and API URL of the resolver, requested as every role: each gets exactly what the
README's role table gives it, and nobody reads a title, a citizen's message or a journalist's
name that is not theirs to see — choosers, bulk actions, reports and redirects included.

A URL added to the project without a line in ``EXPECTED`` fails the test, and so does a URL
whose line no longer matches any route.
"""

import json
import re

from django.contrib.messages import get_messages
from django.db import transaction
from django.urls import reverse

import pytest

from tests.once import once
from tests.pressoffice.matrix import outcome, routes
from tests.pressoffice.world import (
    ROLES,
    SECRET_CASE_TEXT,
    SECRET_DRAFT_TITLE,
    SECRET_QUESTION,
    SECRET_QUESTION_AUTHOR,
    SECRET_TITLE,
    build_world,
    model_objects,
)

pytestmark = [pytest.mark.django_db, once]

# The roles of the README's table.
ANYONE = frozenset(ROLES)
STAFF = ANYONE - {"anonymous"}
PRESS = frozenset({"editor", "head", "administrator"})  # the press office and administrators
WRITERS = PRESS | {"department"}  # whoever writes pages somewhere in the tree
CASES = frozenset({"editor", "head", "curator", "administrator"})  # see every case
CASE_WORK = CASES | {"executor"}  # see their own cases at least
CURATORS = frozenset({"curator", "administrator"})  # regulation profiles and the calendar
SOCIAL = frozenset({"editor", "administrator"})  # social accounts and the outbox
HEAD = frozenset({"head", "administrator"})  # publishes and signs off
ACCREDITATION = frozenset({"accreditation"})  # reviewers only (and superusers)
ADMINS = frozenset({"administrator"})
NOBODY = frozenset()  # a session never opens it (the intake API takes tokens only)

# (route name as a regular expression, who is let in). First match wins. The object in the
# URL is the other department's draft, a case of another executor, a journalist's application.
EXPECTED = [
    # Signing in and out; public helpers of the admin.
    (
        r"wagtailadmin_(login|password_reset|password_reset_done|password_reset_complete|password_reset_confirm|sprite|javascript_catalog)",
        ANYONE,
    ),
    (r"wagtailadmin_logout", STAFF),  # a GET asks to confirm; the anonymous one goes to login
    (r"wagtailadmin_error_test", NOBODY),  # Wagtail's deliberate 500 page
    (r"wagtailadmin_(home|account|dismissibles|tag_autocomplete)", STAFF),
    (r"wagtailadmin_editing_sessions:release", STAFF),
    (r"wagtailadmin_editing_sessions:ping", PRESS),  # of the other department's draft
    (r"wagtailadmin_block_preview", NOBODY),  # needs a block in the query string
    (r"wagtailadmin_tag_model_autocomplete", NOBODY),  # needs a taggable model with a tag field
    # Choosers: open to every admin user, listing only what each may see (the leak check).
    (
        r"wagtailadmin_choose_page(_search|_external_link|_email_link|_phone_link|_anchor_link)?$",
        STAFF,
    ),
    (r"wagtailadmin_choose_page_(child|chosen_multiple)", PRESS),  # the secret draft itself
    (r"wagtailimages_chooser:(choose|choose_results|chosen_multiple)", STAFF),
    (
        r"wagtailimages_chooser:(chosen|select_format)",
        STAFF - {"curator", "executor", "accreditation"},
    ),
    (r"wagtailimages_chooser:create", WRITERS),
    (r"wagtaildocs_chooser:(choose|choose_results|chosen_multiple)", STAFF),
    (r"wagtaildocs_chooser:chosen", WRITERS),
    (r"wagtaildocs_chooser:create", WRITERS),
    (r"wagtailembeds:chooser", STAFF),
    (
        r"wagtailadmin_workflows:(task_chooser|task_chooser_results|task_chooser_create|task_chosen)",
        STAFF,
    ),
    (r"wagtailsnippetchoosers_newsroom_answer:(choose|choose_results|chosen_multiple)", STAFF),
    (r"wagtailsnippetchoosers_newsroom_answer:chosen", CASES),
    (r"wagtailsnippetchoosers_newsroom_answer:create", NOBODY),  # answers start on the case page
    (r"wagtailsnippetchoosers_newsroom_(calendaroverride|regulationprofile):create", CURATORS),
    (r"wagtailsnippetchoosers_newsroom_(department|stylephrase|monthlyplan):create", PRESS),
    (r"wagtailsnippetchoosers_newsroom_broadcastquestion:create", ADMINS),  # asked on the site
    # Citizens' questions and the plans: the chooser lists none to the others, and a chosen one
    # is not found.
    (r"wagtailsnippetchoosers_newsroom_(broadcastquestion|monthlyplan):chosen$", PRESS),
    (r"wagtailsnippetchoosers_newsroom_\w+:", STAFF),
    (r"wagtailsnippetchoosers_social_sync_socialaccount:", SOCIAL),
    (r"wagtail_bulk_action", STAFF),  # lists only what the user may act on (the leak check)
    # The page tree: explorer, search and reports show what each may explore.
    (r"wagtailadmin_explore(_root|_results)?$", WRITERS),
    (r"wagtailadmin_pages:(search|search_results)", WRITERS),
    (r"wagtailadmin_pages:choose_parent", STAFF),
    (
        r"wagtailadmin_pages:(add|add_subpage|preview_on_add|convert_alias)",
        NOBODY,
    ),  # under a news item; not an alias
    (r"wagtailadmin_pages:(unpublish|set_privacy|revisions_unschedule)", HEAD),
    (r"wagtailadmin_pages:set_page_position", HEAD),
    # In «Проверка редактором» the draft is locked for everyone but that task's group; nobody
    # has locked it by hand, so there is nothing to unlock.
    (r"wagtailadmin_pages:lock", frozenset({"editor"})),
    (r"wagtailadmin_pages:unlock", NOBODY),
    # The draft waits in «Проверка редактором»: only that task's group acts on it.
    (
        r"wagtailadmin_pages:(workflow_action|collect_workflow_action_data|workflow_preview)",
        frozenset({"editor"}),
    ),
    (r"wagtailadmin_pages:", PRESS),
    (r"wagtailadmin_reports:(locked_pages|page_types_usage)", PRESS),
    (r"wagtailadmin_reports:(aging_pages|workflow|workflow_tasks)", WRITERS),
    (r"wagtailadmin_reports:site_history", STAFF),
    (r"wagtailadmin_api:(pages|images|documents):find", NOBODY),  # needs a query
    (r"wagtailadmin_api:pages:action", NOBODY),  # POST with a body
    (r"wagtailadmin_api:pages:detail", PRESS),
    (r"wagtailadmin_api:", STAFF),
    # Images and documents.
    (r"wagtail(images|docs):(index|index_results|add|add_multiple)", WRITERS),
    (r"wagtailimages:url_generator", NOBODY),  # needs the dynamic image serve view, not installed
    # «Изменение» of images and documents includes deleting them (Wagtail's collection policy).
    (
        r"wagtail(images|docs):(edit|delete|image_usage|document_usage|preview|edit_multiple|delete_multiple)$",
        PRESS,
    ),
    (
        r"wagtail(images|docs):(create_multiple_from_uploaded_\w+|delete_upload_multiple)",
        NOBODY,
    ),  # no upload in progress
    # Forms (no form pages on this site), collections, redirects, sites, users, workflows.
    (r"wagtailforms:(index|index_results)", WRITERS),
    (r"wagtailforms:", NOBODY),
    (r"wagtailadmin_collections:", ADMINS),
    (r"wagtailredirects:", ADMINS),
    (r"wagtailsites:", ADMINS),
    (r"wagtailusers_(users|groups|api_tokens):", ADMINS),
    (r"wagtailadmin_workflows:", ADMINS),
    (r"wagtailsettings:preview_on_edit", NOBODY),  # the settings have no preview
    (r"wagtailsettings:", PRESS),
    # Snippets.
    (r"wagtailsnippets:index", NOBODY),  # every snippet has its own menu
    (r"wagtailsnippets_newsroom_answer:(add|copy)$", NOBODY),
    (r"wagtailsnippets_newsroom_answer:delete$", ADMINS),
    (r"wagtailsnippets_newsroom_answer:lock$", frozenset({"editor", "head"})),  # its reviewers
    (r"wagtailsnippets_newsroom_answer:unlock$", NOBODY),  # not locked by hand
    (r"wagtailsnippets_newsroom_answer:(list|list_results)$", CASE_WORK),
    # The answer waits for the press office's review: only that task's group acts on it.
    (
        r"wagtailsnippets_newsroom_answer:(workflow_action|collect_workflow_action_data)",
        frozenset({"editor", "head"}),
    ),
    (r"wagtailsnippets_newsroom_answer:", CASES),
    (r"wagtailsnippets_newsroom_regulationprofile:delete", ADMINS),
    (r"wagtailsnippets_newsroom_(calendaroverride|regulationprofile):", CURATORS),
    (r"wagtailsnippets_newsroom_department:delete", ADMINS),
    (r"wagtailsnippets_newsroom_(department|stylephrase):", PRESS),
    (r"wagtailsnippets_newsroom_monthlyplan:delete", ADMINS),
    (r"wagtailsnippets_newsroom_monthlyplan:(unpublish|revisions_unschedule)", HEAD),
    # The world's plan is in no workflow: the answer's workflow state is not found for it.
    (r"wagtailsnippets_newsroom_monthlyplan:workflow_history_detail", NOBODY),
    (r"wagtailsnippets_newsroom_monthlyplan:", PRESS),
    (r"newsroom_plan_(collect|download)", PRESS),
    (r"newsroom_speaker_sheet", PRESS),
    (r"wagtailsnippets_newsroom_broadcastquestion:(add|copy|delete)$", ADMINS),
    (r"wagtailsnippets_newsroom_broadcastquestion:", PRESS),
    (r"wagtailsnippets_social_sync_socialaccount:", SOCIAL),
    # Our own screens.
    (r"cases:|newsroom_case_import(_commit|_template)?$", CASES),
    (r"newsroom_case_import_job", frozenset({"curator"})),  # the job's own author
    (
        r"my_cases:",
        CASE_WORK | frozenset({"department", "accreditation"}),
    ),  # empty for those without cases
    (r"newsroom_api:", NOBODY),
    (r"newsroom_style_check", STAFF),
    (r"newsroom_lockouts|newsroom_unlock", ADMINS),
    (r"newsroom_urgent_publish", frozenset({"editor"})),
    (r"newsroom_urgent_report", PRESS),
    (r"newsroom_monthly_report", CASES),  # the monthly analysis: press office and curators
    (r"newsroom_urgent_sign_off", HEAD),
    (r"social_sync:preview", WRITERS),  # the posts' preview in the page editor
    (r"social_sync:comment", PRESS),  # the comment inbox: moderators
    (r"social_sync:case_reply_account", CURATORS),  # who answers on a foreign page
    (r"social_sync:(calendar|norms_report)$", PRESS),  # the head reads them too
    (r"social_sync:", SOCIAL),
    (r"accreditation:announce", PRESS),
    (r"accreditation:", ACCREDITATION),
]
UNNAMED = {
    "admin/^.*/$",
    "admin/test404/",
    "api/v1/^.*$",
    "api/v1/messages",
    "api/v1/messages/<int:case_id>",
}

# Who may read what the world hides.
SEES = {
    SECRET_TITLE: PRESS,
    SECRET_DRAFT_TITLE: PRESS,
    SECRET_QUESTION: PRESS,
    SECRET_QUESTION_AUTHOR: PRESS,
    SECRET_CASE_TEXT: CASES,
    "Проект ответа про котельную": CASES,
    "Комментарий под постом о котельной": PRESS,
}


def expected_for(name):
    for pattern, roles in EXPECTED:
        if re.match(pattern, name):
            return pattern, roles
    return None, None


def fill(route, world):
    """The route's keyword arguments, from the world's objects."""
    o = world.objects
    name = route.name
    special = {
        "wagtailadmin_pages:unpublish": {"page_id": o["live_news"].pk},
        "wagtailadmin_pages:revisions_unschedule": {
            "page_id": o["secret"].pk,
            "revision_id": o["page_revision"].pk,
        },
        "accreditation:announce": {"page_id": o["event"].pk},
        "accreditation:announce_retry": {"page_id": o["event"].pk},
        "accreditation:decide": {"pk": o["application"].pk, "action": "approve"},
        "accreditation:card_action": {"pk": o["accreditation"].pk, "action": "returned"},
        "accreditation:card_pdf": {"pk": o["accreditation"].pk},
        "accreditation:file": {"pk": o["journalist"].pk, "kind": "photo"},
        "accreditation:detail": {"pk": o["application"].pk},
        "cases:action": {"pk": o["case"].pk, "action": "route"},
        "newsroom_plan_download": {"pk": o["monthlyplan"].pk, "extension": "docx"},
        "newsroom_speaker_sheet": {"event_id": o["event"].pk},
        "social_sync:sandbox_post": {"pk": o["sandbox_post"].pk},
        "social_sync:comment_action": {"pk": o["comment"].pk, "action": "status"},
        "wagtailadmin_password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
        "wagtail_bulk_action": {
            "app_label": "wagtailcore",
            "model_name": "page",
            "action": "delete",
        },
        "wagtailsettings:edit": {"app_name": "newsroom", "model_name": "organisationsettings"},
        "wagtailsettings:preview_on_edit": {
            "app_name": "newsroom",
            "model_name": "organisationsettings",
            "pk": o["site"].pk,
        },
        "wagtailadmin_workflows:add_task": {
            "app_label": "wagtailcore",
            "model_name": "groupapprovaltask",
        },
        "wagtailadmin_workflows:remove": {
            "page_pk": o["secret"].pk,
            "workflow_pk": o["workflow"].pk,
        },
        "wagtailsnippets_newsroom_answer:workflow_action": {
            "pk": o["answer"].pk,
            "action_name": "approve",
            "task_state_id": o["answer_task_state"].pk,
        },
        "wagtailsnippets_newsroom_answer:collect_workflow_action_data": {
            "pk": o["answer"].pk,
            "action_name": "approve",
            "task_state_id": o["answer_task_state"].pk,
        },
        "wagtailsnippets_newsroom_answer:workflow_history_detail": {
            "pk": o["answer"].pk,
            "workflow_state_id": o["answer_workflow_state"].pk,
        },
        "wagtailsnippets_newsroom_answer:workflow_preview": {
            "pk": o["answer"].pk,
            "task_id": o["answer_task_state"].task_id,
        },
    }
    values = {}
    given = special.get(name, {})
    objects = model_objects(world)
    model = None
    for prefix in ("wagtailsnippets_", "wagtailsnippetchoosers_"):
        if name.startswith(prefix):
            model = objects[
                name[len(prefix) :]
                .split(":")[0]
                .replace("_", ".", 1)
                .replace("social.sync_", "social_sync.")
            ]
    for key in route.converters:
        if key in given:
            values[key] = given[key]
        elif key in ("page_id", "parent_page_id", "page_to_move_id", "page_pk", "object_id"):
            values[key] = o["secret"].pk
        elif key == "case_id":
            values[key] = o["case"].pk
        elif key == "destination_id":
            values[key] = world.site_tree.other_area.pk
        elif key == "task_state_id":
            values[key] = o["task_state"].pk
        elif key == "task_id":
            values[key] = o["task"].pk
        elif key == "workflow_state_id":
            values[key] = o["workflow_state"].pk
        elif key == "revision_id":
            values[key] = (model.latest_revision if model is not None else o["page_revision"]).pk
        elif key == "revision_id_a":
            values[key] = "earliest"
        elif key == "revision_id_b":
            values[key] = "latest"
        elif key == "image_id":
            values[key] = o["image"].pk
        elif key in ("document_id", "doc_id"):
            values[key] = o["document"].pk
        elif key == "collection_id":
            values[key] = o["collection"].pk
        elif key == "redirect_id":
            values[key] = o["redirect"].pk
        elif key in ("uploaded_file_id", "session_id"):
            values[key] = 1
        elif key == "action_name":
            values[key] = "approve"
        elif key == "filter_spec":
            values[key] = "original"
        elif key in ("app_label", "app_name", "content_type_app_name"):
            values[key] = "newsroom"
        elif key in ("model_name", "content_type_model_name"):
            values[key] = "newspage"
        elif key == "pk":
            values[key] = pk_for(name, world, model)
        else:
            raise AssertionError(f"{name}: no value for <{key}>; teach fill() about it")
    if name == "wagtailadmin_editing_sessions:ping":
        values.update(app_label="newsroom", model_name="newspage", object_id=str(o["secret"].pk))
    return values


PK_BY_PREFIX = {
    "wagtailadmin_collections:": "collection",
    "wagtailadmin_workflows:edit_task": "task",
    "wagtailadmin_workflows:disable_task": "task",
    "wagtailadmin_workflows:enable_task": "task",
    "wagtailadmin_workflows:": "workflow",
    "wagtailsites:": "site",
    "wagtailsettings:": "site",
    "wagtailusers_users:": "user",
    "wagtailusers_groups:": "group",
    "wagtailusers_api_tokens:": "api_token",
    "wagtailadmin_api:pages:": "secret",
    "wagtailadmin_api:images:": "image",
    "wagtailadmin_api:documents:": "document",
    "wagtailimages_chooser:": "image",
    "wagtaildocs_chooser:": "document",
    "wagtailadmin_pages:revisions_compare": "secret",
    "cases:": "case",
    "accreditation:": "journalist",
    "newsroom_case_import_job": "case_import",
    "newsroom_urgent_sign_off": "urgent",
    "newsroom_unlock": None,
    "social_sync:retry_account": "social_account",
    "social_sync:comment": "comment",
    "social_sync:case_reply_account": "case",
    "social_sync:": "outbox_item",
}


def pk_for(name, world, model):
    if model is not None:
        return model.pk
    for prefix, key in PK_BY_PREFIX.items():
        if name.startswith(prefix):
            return world.objects[key].pk if key else 1
    raise AssertionError(f"{name}: which object's pk? teach PK_BY_PREFIX")


def request_as(client, world, role, url):
    """One request, rolled back afterwards: what one role does (lock, delete, approve) does not
    change what the next one finds."""
    client.logout()
    if role != "anonymous":
        client.force_login(world.users[role])
    with transaction.atomic():
        response = client.get(url)
        if response.status_code == 405:  # a form's target: POST is what it takes
            response = client.post(url, {})
        transaction.set_rollback(True)
    return response


def shown_text(response):
    """What the user reads: the body (a JSON answer, as the browser decodes it: choosers answer
    with their HTML inside JSON, Cyrillic escaped), and any message the next page will show."""
    body = response.content.decode(errors="replace") if not response.streaming else ""
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            body = json.dumps(json.loads(body), ensure_ascii=False)
        except ValueError:
            pass
    notes = " ".join(str(message) for message in get_messages(response.wsgi_request))
    return body + " " + notes


@pytest.fixture
def world(site_tree, settings, tmp_path):
    settings.WAGTAILADMIN_BASE_URL = "http://testserver"
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return build_world(site_tree)


def admin_and_api_routes():
    for route in routes():
        if route.pattern.startswith(("admin/", "api/")):
            yield route


def test_every_url_is_classified():
    unclassified = [
        route.name
        for route in admin_and_api_routes()
        if route.name not in UNNAMED and expected_for(route.name)[0] is None
    ]
    assert unclassified == [], "URLs without a line in EXPECTED: %s" % unclassified
    names = [route.name for route in admin_and_api_routes()]
    unused = [
        pattern for pattern, _roles in EXPECTED if not any(re.match(pattern, n) for n in names)
    ]
    assert unused == [], "lines of EXPECTED that match no URL any more: %s" % unused


def test_every_role_gets_exactly_what_the_role_table_gives(client, world):
    client.raise_request_exception = False
    mismatches, leaks, errors = [], [], []
    for route in sorted(admin_and_api_routes(), key=lambda r: r.name):
        if route.name in UNNAMED:
            continue
        _pattern, allowed = expected_for(route.name)
        url = reverse(route.name, kwargs=fill(route, world))
        if route.name == "wagtail_bulk_action":
            url += f"?id={world.secret.pk}&id={world.live_news.pk}"
        if route.name == "wagtailadmin_choose_page_search":
            url += "?q=котельной"
        if route.name == "wagtailadmin_choose_page_chosen_multiple":
            url += f"?id={world.secret.pk}"
        if route.name.endswith("answer:chosen_multiple"):
            url += f"?id={world.answer.pk}"
        for role in ROLES:
            response = request_as(client, world, role, url)
            got = outcome(response)
            if got == "error":
                if route.name != "wagtailadmin_error_test":
                    errors.append(f"{route.name} {role}: {response.status_code} at {url}")
                continue
            if (got == "allowed") != (role in allowed):
                mismatches.append(f"{route.name}: {role} {got} ({response.status_code}) at {url}")
            text = shown_text(response)
            for secret, entitled in SEES.items():
                if secret in text and role not in entitled:
                    leaks.append(f"{route.name}: {role} reads «{secret}» at {url}")
    assert errors == [], "server errors:\n" + "\n".join(errors)
    assert leaks == [], "shown to roles that must not see it:\n" + "\n".join(leaks)
    assert mismatches == [], "not as the role table says:\n" + "\n".join(mismatches)


def probes(world):
    """URLs that name what the world hides in another way than the route loop does: the other
    department's live page with a draft title as the destination of a move, browsed and searched
    in the chooser, previewed in its workflow and reverted; citizens' questions searched and
    chosen in their chooser."""
    o = world.objects
    retitled, question = o["retitled"], o["broadcastquestion"]
    questions = "wagtailsnippetchoosers_newsroom_broadcastquestion"
    return [
        reverse("wagtailadmin_pages:move_confirm", args=[o["mine"].pk, retitled.pk]),
        reverse(
            "wagtailadmin_pages:move_confirm", args=[o["mine"].pk, world.site_tree.other_area.pk]
        ),
        reverse("wagtailadmin_choose_page_child", args=[world.site_tree.other_area.pk]),
        reverse("wagtailadmin_choose_page_child", args=[retitled.pk]),
        reverse("wagtailadmin_choose_page_search") + "?q=Снос",
        reverse("wagtailadmin_choose_page_chosen_multiple") + f"?id={retitled.pk}",
        reverse("wagtailadmin_pages:workflow_preview", args=[retitled.pk, o["task"].pk]),
        reverse(
            "wagtailadmin_pages:revisions_revert", args=[retitled.pk, o["retitled_revision"].pk]
        ),
        reverse("wagtailadmin_pages:revisions_view", args=[retitled.pk, o["retitled_revision"].pk]),
        reverse("wagtailadmin_pages:history", args=[retitled.pk]),
        reverse("wagtailadmin_pages:usage", args=[retitled.pk]),
        reverse("wagtailadmin_pages:copy", args=[retitled.pk]),
        reverse(f"{questions}:choose") + "?q=Тайнов",
        reverse(f"{questions}:choose_results") + "?q=котельную",
        reverse(f"{questions}:chosen", args=[question.pk]),
        reverse(f"{questions}:chosen_multiple") + f"?id={question.pk}",
        reverse("wagtailadmin_reports:site_history"),
    ]


def test_no_screen_names_a_draft_title_or_a_citizens_question_to_a_role_that_may_not_read_it(
    client, world
):
    client.raise_request_exception = False
    leaks, errors = [], []
    for url in probes(world):
        for role in ROLES:
            response = request_as(client, world, role, url)
            if outcome(response) == "error":
                errors.append(f"{role}: {response.status_code} at {url}")
                continue
            text = shown_text(response)
            for secret, entitled in SEES.items():
                if secret in text and role not in entitled:
                    leaks.append(f"{role} reads «{secret}» at {url}")
    assert errors == [], "server errors:\n" + "\n".join(errors)
    assert leaks == [], "shown to roles that must not see it:\n" + "\n".join(leaks)
    # The press office does read them where it works with them.
    client.force_login(world.users["editor"])
    chooser = client.get(reverse("wagtailsnippetchoosers_newsroom_broadcastquestion:choose"))
    assert SECRET_QUESTION in shown_text(chooser)
    browsed = client.get(
        reverse("wagtailadmin_choose_page_child", args=[world.site_tree.other_area.pk])
    )
    assert SECRET_DRAFT_TITLE in shown_text(browsed)
