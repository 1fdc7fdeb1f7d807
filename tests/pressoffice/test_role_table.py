"""The README's table of who opens which screen is what the code does: each role is sent to each
screen and its answer compared with the table's ✓ and —. A row whose screen the test does not
know, and a screen the table has lost, fail it too."""

import re
from pathlib import Path

from django.urls import reverse

import pytest

from tests.once import once
from tests.pressoffice.matrix import outcome
from tests.pressoffice.world import build_world

pytestmark = [pytest.mark.django_db, once]

README = Path(__file__).resolve().parents[2] / "README.md"
# The table's columns, as the world's roles.
COLUMNS = {
    "Редакторы": "editor",
    "Заведующий отделом": "head",
    "Подразделение": "department",
    "Кураторы": "curator",
    "Исполнители": "executor",
    "Аккредитация": "accreditation",
    "Администраторы": "administrator",
}
SCREENS = {
    "Аккаунты соцсетей": "wagtailsnippets_social_sync_socialaccount:list",
    "Очередь отправки": "social_sync:outbox",
    "Календарь публикаций": "social_sync:calendar",
    "Нормы публикаций": "social_sync:norms_report",
    "Комментарии под постами": "social_sync:comments",
    "Все обращения": "cases:index",
    "Импорт сообщений": "newsroom_case_import",
    "Анализ сообщений": "newsroom_monthly_report",
    "Профили регламентов": "wagtailsnippets_newsroom_regulationprofile:list",
    "Производственный календарь": "wagtailsnippets_newsroom_calendaroverride:list",
    "Вопросы к эфирам": "wagtailsnippets_newsroom_broadcastquestion:list",
    "Планы мероприятий": "wagtailsnippets_newsroom_monthlyplan:list",
    "Словарь стиля": "wagtailsnippets_newsroom_stylephrase:list",
    "Настройки организации": "wagtailsettings:edit",
    "Опубликовано без утверждения": "newsroom_urgent_report",
    "Заявки на аккредитацию": "accreditation:index",
    "Пользователи": "wagtailusers_users:index",
    "Блокировки входа": "newsroom_lockouts",
}


def readme_table():
    """{screen: {role: True/False}} from the rows between the table's markers."""
    text = README.read_text()
    block = text[text.index("<!-- role-table -->") : text.index("<!-- /role-table -->")]
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in block.splitlines()
        if line.startswith("|") and not re.fullmatch(r"[|\-\s]+", line)
    ]
    header, *body = rows
    roles = [COLUMNS[name] for name in header[1:]]
    return {
        row[0]: {role: mark == "✓" for role, mark in zip(roles, row[1:], strict=True)}
        for row in body
    }


def url_of(name):
    if name == "wagtailsettings:edit":
        return reverse(name, args=["newsroom", "organisationsettings"])
    return reverse(name)


def test_the_readme_table_names_every_screen_the_test_knows():
    table = readme_table()
    assert set(table) == set(SCREENS)
    assert all(set(marks) == set(COLUMNS.values()) for marks in table.values())


def test_every_role_opens_exactly_the_screens_the_readme_table_gives_it(client, site_tree):
    world = build_world(site_tree)
    disagreements = []
    for screen, marks in readme_table().items():
        url = url_of(SCREENS[screen])
        for role, allowed in marks.items():
            client.force_login(world.users[role])
            got = outcome(client.get(url))
            assert got != "error", (screen, role)
            if (got == "allowed") != allowed:
                disagreements.append(
                    f"{screen}: {role} {got}, the README says {'✓' if allowed else '—'}"
                )
    assert disagreements == []
