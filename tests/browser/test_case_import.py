"""Importing a file of citizens' messages in a real browser: check, commit, watch the load.

The live server runs django-q2 in its synchronous mode, so the commit's task runs before the
redirect; the progress page's own refresh is shown with a load that is still running.
"""

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from newsroom import roles
from newsroom.models import Case, CaseImport
from tests.browser.test_newsroom_publication import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CSV = (
    "Номер;Сеть;Ссылка;Автор;Текст;Выявлено;Тематика\n"
    "C-1;ВКонтакте;https://vk.com/wall-1_1;Иван Петров;Яма на дороге у школы;05.11.2026 15:00;Дороги\n"
    "C-2;Одноклассники;;Мария Соколова;Не вывозят мусор;06.11.2026 09:05;ЖКХ\n"
    "C-3;Telegram;;;Когда откроют каток?;07.11.2026 11:20;Благоустройство\n"
).encode()


@pytest.fixture
def curator(site_tree):
    return UserFactory(username="import-curator", groups=[roles.CURATORS])


def test_a_curator_checks_and_loads_a_file_and_sees_the_outcome(new_context, curator, tmp_path):
    path = tmp_path / "soobshcheniya.csv"
    path.write_bytes(CSV)
    page = log_in(new_context(), curator)
    page.goto("/admin/cases/import/")
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_role("button", name="Проверить файл").click()
    expect(page.locator("[data-import-valid]")).to_have_text("3")

    page.get_by_role("button", name="Загрузить 3 сообщения").click()
    expect(page.locator("[data-import-result]")).to_contain_text("Загружено: 3, уже были: 0.")
    assert Case.objects.count() == 3

    page.get_by_role("link", name="К списку сообщений").click()
    expect(page.get_by_text("Не вывозят мусор")).to_be_visible()


def test_the_load_page_follows_a_running_load_by_itself(new_context, curator):
    job = CaseImport.objects.create(
        created_by=curator,
        filename="bolshoj.csv",
        source="import",
        token="t" * 32,
        total=4000,
        state="running",
        started_at=timezone.now(),
    )
    page = log_in(new_context(), curator)
    page.goto(f"/admin/cases/import/{job.pk}/")
    expect(page.locator("[data-import-progress]")).to_contain_text("обработано 0 из 4000")

    CaseImport.objects.filter(pk=job.pk).update(
        state="done", created_count=3990, existed_count=10, finished_at=timezone.now()
    )
    # No click: the page reloads itself (Refresh: 2) and shows the outcome.
    expect(page.locator("[data-import-result]")).to_contain_text(
        "Загружено: 3990, уже были: 10.", timeout=10_000
    )
