"""Importing citizens' messages in the admin: upload, preview with errors, all-or-nothing commit."""

import datetime
import io
import re
import zoneinfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.admin.menu import admin_menu
from wagtail.models import Site

import pytest
from openpyxl import Workbook

from newsroom import roles
from newsroom.casework.intake.importing import jobs, parsing, pending
from newsroom.casework.services import cases as case_services
from newsroom.models import Case, CaseEvent, CaseImport, OrganisationSettings
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = "newsroom_case_import"
BARNAUL = zoneinfo.ZoneInfo("Asia/Barnaul")

HEADER = "Номер;Сеть;Ссылка;Автор;ID автора;Текст;Выявлено;Тематика;Вид\n"
GOOD_ROWS = (
    "A-1;ВКонтакте;https://vk.com/wall-1_1;Иван Петров;id101;Яма на дороге у школы № 2;05.03.2025 15:00;Дороги;Инцидент повышенной важности\n"
    "A-2;Одноклассники;;Мария Соколова;;Не вывозят мусор на ул. Ленина;06.03.2025 09:05;ЖКХ;\n"
    "A-3;Telegram;t.me/klyuchi/15;;;Когда откроют детскую площадку в парке?;07.03.2025 11:20;Благоустройство;Инцидент\n"
)
BAD_ROWS = (
    "A-4;Фейсбук;;;;Текст про что-то;07.03.2025 12:00;;\n"  # row 5: unknown network
    "A-5;vk;;;;Ещё один текст;31.02.2025 10:00;;\n"  # row 6: no such date
)


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    """Checked files are kept in the private storage: each test starts with none."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture
def organisation(db):
    site = Site.objects.get(is_default_site=True)
    settings = OrganisationSettings.for_site(site)
    settings.time_zone = "Asia/Barnaul"
    settings.save()
    return settings


@pytest.fixture
def curator(organisation):
    return UserFactory(username="curator-import", groups=[roles.CURATORS])


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


def upload(client, content, name="messages.csv", source="import"):
    if isinstance(content, str):
        content = content.encode("utf-8")
    return client.post(
        reverse(IMPORT_URL),
        {"file": SimpleUploadedFile(name, content), "source": source},
    )


def upload_and_preview(client, content, **kwargs):
    response = upload(client, content, **kwargs)
    assert response.status_code == 302, response.content.decode()[:2000]
    token = re.search(r"\?preview=([\w-]+)$", response.url).group(1)
    preview = client.get(response.url)
    assert preview.status_code == 200
    return token, preview.content.decode()


def commit(client, token):
    return client.post(reverse("newsroom_case_import_commit"), {"token": token}, follow=True)


def pending_files():
    directory = pending.pending_directory()
    return sorted(path.name for path in directory.iterdir())


# The pages ---------------------------------------------------------------------------------


def test_upload_page(curator_client):
    response = curator_client.get(reverse(IMPORT_URL))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="file"' in html and 'name="source"' in html
    assert 'value="import"' in html  # the default source
    assert reverse("newsroom_case_import_template") in html
    assert "Проверить файл" in html


def test_sample_file_has_the_russian_headers_and_reads_back(curator_client):
    response = curator_client.get(reverse("newsroom_case_import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    header = response.content.decode("utf-8-sig").strip()
    assert (
        header
        == "Номер;Сеть;Ссылка;Автор;ID автора;Текст;Опубликовано;Выявлено;Получено;Тематика;Вид"
    )
    # The sample, filled in, is a valid file.
    filled = response.content + "1;vk;;;;Текст;05.03.2025 15:00;05.03.2025 15:00;;;\n".encode()
    assert set(parsing.read_table(filled, "sample.csv").headers) == set(parsing.FIELDS)


def test_menu_item_is_shown_to_curators_only(rf, curator):
    def labels(user):
        request = rf.get("/admin/")
        request.user = user
        return {str(item.label): item.url for item in admin_menu.menu_items_for_request(request)}

    assert labels(curator)["Импорт сообщений"] == reverse(IMPORT_URL)
    executor = UserFactory(username="executor-menu", groups=[roles.EXECUTORS])
    assert "Импорт сообщений" not in labels(executor)


# Preview -----------------------------------------------------------------------------------


def test_preview_lists_every_error_and_stores_nothing(curator_client):
    token, html = upload_and_preview(curator_client, HEADER + GOOD_ROWS + BAD_ROWS)
    assert Case.objects.count() == 0
    assert re.search(r"data-import-total>5<", html)
    assert re.search(r"data-import-valid>3<", html)
    assert re.search(r"data-import-errors>2<", html)
    errors = re.findall(
        r"<tr data-import-error>\s*<td>(\d+)</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>", html
    )
    assert [(row, column) for row, column, _ in errors] == [("5", "Сеть"), ("6", "Выявлено")]
    assert "неизвестная сеть «Фейсбук»" in errors[0][2]
    assert "«31.02.2025 10:00» — не дата и время" in errors[1][2]
    # The valid rows are shown, but there is no way to load them while errors remain.
    assert html.count("<tr data-import-row>") == 3
    assert "data-import-commit" not in html
    assert "Загрузить 3" not in html


def test_commit_is_refused_while_the_file_has_errors(curator_client):
    token, _ = upload_and_preview(curator_client, HEADER + GOOD_ROWS + BAD_ROWS)
    response = commit(curator_client, token)
    assert "В файле есть ошибки — ничего не загружено" in response.content.decode()
    assert Case.objects.count() == 0


def test_preview_shows_at_most_fifty_rows(curator_client):
    rows = "".join(f"N-{n};vk;;;;Сообщение {n};05.03.2025 15:00;;\n" for n in range(1, 61))
    token, html = upload_and_preview(curator_client, HEADER + rows)
    assert html.count("<tr data-import-row>") == 50
    assert "Первые 50 из 60 строк без ошибок" in html
    assert "Загрузить 60 сообщений" in html


# Commit ------------------------------------------------------------------------------------


def test_good_file_is_loaded_with_its_fields_and_source(curator_client, curator):
    token, html = upload_and_preview(curator_client, HEADER + GOOD_ROWS, source="press-export")
    assert "Загрузить 3 сообщения" in html
    assert "data-import-errors>0<" in html
    assert Case.objects.count() == 0

    response = commit(curator_client, token)
    page = response.content.decode()
    job = CaseImport.objects.get()
    assert response.redirect_chain[-1][0] == reverse("newsroom_case_import_job", args=[job.pk])
    assert "Загружено: 3, уже были: 0." in page
    assert (job.state, job.total, job.created_count, job.created_by) == ("done", 3, 3, curator)

    cases = {case.external_id: case for case in Case.objects.all()}
    assert set(cases) == {"A-1", "A-2", "A-3"}
    first = cases["A-1"]
    assert first.source == "press-export"
    assert first.network == "vk"
    assert first.url == "https://vk.com/wall-1_1"
    assert first.author_name == "Иван Петров"
    assert first.author_id == "id101"
    assert first.text == "Яма на дороге у школы № 2"
    assert first.category == "Дороги"
    assert first.kind == "high_importance"
    # Naive times in the file are the organisation's (Barnaul, UTC+7).
    assert first.detected_at == datetime.datetime(2025, 3, 5, 15, 0, tzinfo=BARNAUL)
    assert first.answer_due is not None  # registered through the service: the clock started
    assert cases["A-2"].network == "ok" and cases["A-2"].kind == "incident"
    assert cases["A-3"].url == "https://t.me/klyuchi/15"
    event = CaseEvent.objects.get(case=first, action="registered")
    assert event.actor == curator and event.data == {"source": "press-export"}
    assert pending_files() == []  # the checked file is gone once loaded


def test_the_same_file_again_registers_nothing_new(curator_client):
    token, _ = upload_and_preview(curator_client, HEADER + GOOD_ROWS)
    commit(curator_client, token)
    assert Case.objects.count() == 3

    token, html = upload_and_preview(curator_client, HEADER + GOOD_ROWS)
    assert "(будут пропущены): <strong>3</strong>" in html
    response = commit(curator_client, token)
    assert "Загружено: 0, уже были: 3" in response.content.decode()
    assert Case.objects.count() == 3


def test_same_numbers_from_another_source_are_new_cases(curator_client):
    token, _ = upload_and_preview(curator_client, HEADER + GOOD_ROWS)
    commit(curator_client, token)
    token, _ = upload_and_preview(curator_client, HEADER + GOOD_ROWS, source="other")
    assert "Загружено: 3, уже были: 0" in commit(curator_client, token).content.decode()
    assert Case.objects.filter(source="other").count() == 3


def test_xlsx_file_is_loaded(curator_client):
    workbook = Workbook()
    workbook.active.append(["ID", "Сеть", "Текст", "Выявлено"])
    workbook.active.append([501, "ВКонтакте", "Из Excel", datetime.datetime(2025, 3, 5, 15, 0)])
    workbook.active.append([502, "ok", "Тоже из Excel", 45721.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    token, html = upload_and_preview(curator_client, buffer.getvalue(), name="messages.xlsx")
    assert "Загрузить 2 сообщения" in html
    commit(curator_client, token)
    assert Case.objects.get(external_id="501").detected_at == datetime.datetime(
        2025, 3, 5, 15, 0, tzinfo=BARNAUL
    )
    assert Case.objects.get(external_id="502").detected_at == datetime.datetime(
        2025, 3, 5, 12, 0, tzinfo=BARNAUL
    )


def test_a_failure_in_the_middle_stores_nothing(curator_client, monkeypatch):
    token, _ = upload_and_preview(
        curator_client, HEADER + GOOD_ROWS + "A-4;vk;;;;Четвёртое;07.03.2025 12:00;;\n"
    )
    original = case_services.register_case
    calls = []

    def failing(data, **kwargs):
        calls.append(data["external_id"])
        if len(calls) == 3:
            raise RuntimeError("база недоступна")
        return original(data, **kwargs)

    monkeypatch.setattr(case_services, "register_case", failing)
    response = commit(curator_client, token)
    page = response.content.decode()
    assert calls == ["A-1", "A-2", "A-3"]  # the first two were registered, then rolled back
    assert "Строка 4 не загружена" in page
    assert "Ничего не сохранено" in page
    assert "Вернуться к проверке файла" in page
    assert CaseImport.objects.get().state == "failed"
    assert Case.objects.count() == 0
    assert CaseEvent.objects.count() == 0

    # The checked file is kept: once the trouble is over, the same preview loads.
    monkeypatch.setattr(case_services, "register_case", original)
    response = commit(curator_client, token)
    assert "Загружено: 4, уже были: 0" in response.content.decode()
    assert Case.objects.count() == 4


def test_a_second_click_loads_nothing_twice(curator_client):
    rows = "".join(f";vk;;;;Без номера {n};05.03.2025 15:00;;\n" for n in range(3))
    token, html = upload_and_preview(curator_client, HEADER + rows)
    assert "нет номера" in html  # warned: such rows would be registered again
    commit(curator_client, token)
    response = commit(curator_client, token)
    assert "Нечего загружать" in response.content.decode()
    assert Case.objects.count() == 3


def test_a_preview_belongs_to_its_user(client, curator_client, organisation):
    token, _ = upload_and_preview(curator_client, HEADER + GOOD_ROWS)
    other = UserFactory(username="curator-two", groups=[roles.CURATORS])
    client.logout()
    client.force_login(other)
    assert client.get(reverse(IMPORT_URL) + f"?preview={token}").status_code == 302
    response = commit(client, token)
    assert "Нечего загружать" in response.content.decode()
    assert Case.objects.count() == 0


def test_a_new_upload_replaces_the_previous_preview(curator_client):
    first, _ = upload_and_preview(curator_client, HEADER + GOOD_ROWS)
    second, _ = upload_and_preview(curator_client, HEADER + GOOD_ROWS)
    assert pending_files() == [f"{second}.json"]
    assert "Нечего загружать" in commit(curator_client, first).content.decode()


# Bad files ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.4\n%binary", "scan.pdf", "Загрузите файл CSV или XLSX."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.csv", "Это не текстовый файл"),
        (b"", "empty.csv", "пуст"),
        (
            "Сеть;Автор\nvk;Иван\n",
            "a.csv",
            "В файле нет обязательных столбцов: «Текст», «Выявлено»",
        ),
        ("Сеть;Текст;Выявлено\n", "a.csv", "В файле нет ни одной строки с данными"),
    ],
)
def test_bad_files_are_explained_on_the_form(curator_client, content, name, message):
    response = upload(curator_client, content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Case.objects.count() == 0
    assert pending_files() == []


def test_too_big_a_file(curator_client, monkeypatch):
    monkeypatch.setattr(parsing, "MAX_BYTES", 100)
    response = upload(curator_client, HEADER + GOOD_ROWS)
    assert response.status_code == 200
    assert "Файл больше" in response.content.decode()
    assert pending_files() == []


def test_bad_values_are_listed_per_row(curator_client):
    rows = (
        "B-1;vk;;;;;05.03.2025 15:00;;\n"  # row 2: empty text
        "B-2;vk;;;;Текст;5 марта;;\n"  # row 3: bad date
        "B-3;Инстаграм;;;;Текст;05.03.2025 15:00;;\n"  # row 4: unknown network
    )
    token, html = upload_and_preview(curator_client, HEADER + rows)
    errors = re.findall(r"<tr data-import-error>\s*<td>(\d+)</td>\s*<td>([^<]*)</td>", html)
    assert errors == [("2", "Текст"), ("3", "Выявлено"), ("4", "Сеть")]
    assert "не заполнено" in html
    assert Case.objects.count() == 0


# Permissions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url_name"),
    [
        ("get", IMPORT_URL),
        ("post", IMPORT_URL),
        ("post", "newsroom_case_import_commit"),
        ("get", "newsroom_case_import_template"),
    ],
)
def test_an_executor_cannot_import(client, organisation, method, url_name):
    executor = UserFactory(username="executor-import", groups=[roles.EXECUTORS])
    client.force_login(executor)
    data = {}
    if url_name == IMPORT_URL and method == "post":
        data = {"file": SimpleUploadedFile("a.csv", (HEADER + GOOD_ROWS).encode()), "source": "x"}
    response = getattr(client, method)(reverse(url_name), data)
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert Case.objects.count() == 0


@pytest.mark.parametrize("group", [roles.EDITORS, roles.HEAD_OF_PRESS_OFFICE])
def test_the_press_office_may_import(client, organisation, group):
    client.force_login(UserFactory(username="press-import", groups=[group]))
    assert client.get(reverse(IMPORT_URL)).status_code == 200


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse(IMPORT_URL))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response.url


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failed_notification_after_the_commit_is_not_a_failed_import(curator_client, monkeypatch):
    """The notifications run once the rows are stored; their failure must not say otherwise."""
    token, _ = upload_and_preview(curator_client, HEADER + GOOD_ROWS)

    def broken_notification(case_id):
        raise ConnectionRefusedError("SMTP недоступен")

    monkeypatch.setattr(case_services, "notify_registered", broken_notification)
    response = commit(curator_client, token)
    page = response.content.decode()
    assert "Загружено: 3, уже были: 0" in page
    assert "не все уведомления" in page
    assert "Ничего не сохранено" not in page
    assert Case.objects.count() == 3
    assert pending_files() == []  # not offered again: a second commit would find them all there


# The load in the worker ----------------------------------------------------------------------


def job_page(client, job):
    return client.get(reverse("newsroom_case_import_job", args=[job.pk]))


def make_job(user, **fields):
    return CaseImport.objects.create(
        created_by=user, filename="big.csv", source="import", token="t" * 32, total=200, **fields
    )


def test_a_running_load_shows_its_progress_and_refreshes_itself(curator_client, curator):
    from django.core.cache import cache
    from django.utils import timezone

    job = make_job(curator, state="running", started_at=timezone.now())
    cache.set(jobs.progress_key(job.pk), 50)
    response = job_page(curator_client, job)
    html = response.content.decode()
    assert "обработано 50 из 200 (25 %)" in html
    assert 'value="50"' in html
    assert response["Refresh"] == "2"
    assert "no-store" in response["Cache-Control"]

    queued = make_job(curator)
    assert "В очереди" in job_page(curator_client, queued).content.decode()


def test_a_load_whose_worker_died_says_so_and_stops_refreshing(curator_client, curator):
    from django.utils import timezone

    long_ago = timezone.now() - datetime.timedelta(seconds=jobs.TASK_TIMEOUT + 120)
    job = make_job(curator, state="running", started_at=long_ago)
    response = job_page(curator_client, job)
    assert "Загрузка прервалась" in response.content.decode()
    assert "Refresh" not in response


def test_a_load_is_seen_only_by_who_started_it(client, curator_client, curator):
    job = make_job(curator)
    other = UserFactory(username="curator-three", groups=[roles.CURATORS])
    client.force_login(other)
    assert job_page(client, job).status_code == 404
    client.force_login(UserFactory(username="executor-import", groups=[roles.EXECUTORS]))
    assert job_page(client, job).status_code in (302, 403)


def test_the_worker_reports_progress_as_it_goes_and_runs_a_job_once(curator_client, monkeypatch):
    from django.core.cache import cache

    monkeypatch.setattr(jobs, "PROGRESS_EVERY", 1)
    seen = []
    original = case_services.register_case

    def watching(data, **kwargs):
        job = CaseImport.objects.get()
        seen.append(cache.get(jobs.progress_key(job.pk), 0))
        return original(data, **kwargs)

    monkeypatch.setattr(case_services, "register_case", watching)
    token, _ = upload_and_preview(curator_client, HEADER + GOOD_ROWS)
    commit(curator_client, token)
    assert seen == [0, 1, 2]
    job = CaseImport.objects.get()
    assert job.state == "done" and job.started_at and job.finished_at
    assert jobs.run(job.pk) == "skipped"  # a second delivery of the task
    assert Case.objects.count() == 3
