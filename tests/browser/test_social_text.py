"""An editor writes the text for the networks, sees how VK, OK and Telegram will show it, sets OK
for the evening and publishes through the workflow; the content calendar shows the post as
published on VK and Telegram and scheduled on OK, and at the evening slot it goes out."""

import datetime
from unittest import mock

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from newsroom import roles
from social_sync import tasks
from social_sync.models import Network, OutboxItem, OutboxState
from tests import factories
from tests.browser.test_crosspost_panel import SOCIAL_TAB, SUBMIT, approve
from tests.browser.test_newsroom_publication import MORE_ACTIONS, log_in
from tests.browser.test_sign_off import open_sign_off_dialog, sign_off
from tests.social_sync.helpers import make_account

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "В парке Победы высадили сто лип"
SOCIAL_TEXT = "Сто лип в парке Победы: деревья посадили жители и школьники. Приходите погулять!"
BUREAUCRATIC = " В целях озеленения была проведена работа."


def test_editor_writes_the_social_text_schedules_ok_and_the_calendar_follows(
    site_tree, new_context, results_dir
):
    vk = make_account(network=Network.VK, owner_id="101", name="ВКонтакте администрации")
    ok = make_account(network=Network.OK, owner_id="202", name="Одноклассники администрации")
    tg = make_account(network=Network.TELEGRAM, owner_id="@adm_demo", name="Telegram-канал")
    news = factories.NewsPageFactory(
        parent=site_tree.news_index,
        live=False,
        title=TITLE,
        body=[("paragraph", "<p>В рамках мероприятий по озеленению осуществлена посадка.</p>")],
    )
    editor = factories.UserFactory(username="editor", groups=[roles.EDITORS])
    head_of_office = factories.UserFactory(username="head", groups=[roles.HEAD_OF_PRESS_OFFICE])
    zone = timezone.get_current_timezone()
    evening = (timezone.localtime(timezone.now(), zone) + datetime.timedelta(hours=3)).replace(
        second=0, microsecond=0
    )

    page = log_in(new_context(), editor)
    page.goto(f"/admin/pages/{news.pk}/edit/")
    page.get_by_role("tab", name=SOCIAL_TAB).click()
    tab = page.get_by_role("tabpanel", name=SOCIAL_TAB)
    previews = tab.locator("[data-social-preview-result]")
    # Before anything is written, the post is the title and the lead, not the article.
    expect(previews.locator('[data-social-post="vk"]')).to_contain_text(TITLE)
    expect(previews).not_to_contain_text("осуществлена посадка")

    tab.get_by_role("textbox", name="Текст для соцсетей").fill(SOCIAL_TEXT + BUREAUCRATIC)
    tab.get_by_role("textbox", name="Хештеги").fill("озеленение, парк Победы")
    for network in ("vk", "ok", "telegram"):
        post = previews.locator(f'[data-social-post="{network}"]')
        expect(post).to_contain_text(SOCIAL_TEXT)
        expect(post).to_contain_text("#озеленение")
    expect(previews.locator('[data-social-post="telegram"]')).to_contain_text("из 1024 знаков")
    expect(previews.locator("[data-style-finding]").first).to_be_visible()  # «в целях»
    tab.get_by_role("textbox", name="Текст для соцсетей").fill(SOCIAL_TEXT)
    expect(previews.locator("[data-style-clean]")).to_be_visible()

    ok_section = tab.get_by_role("region", name="Одноклассники", exact=True)
    ok_section.get_by_role("button", name="Переключить раздел").first.click()
    tab.get_by_role("textbox", name="Когда опубликовать в Одноклассниках").fill(
        evening.strftime("%d.%m.%Y %H:%M")
    )
    page.keyboard.press("Escape")  # close the date picker
    page.screenshot(path=str(results_dir / "social-text-editor.png"), full_page=True)

    page.get_by_role("button", name=MORE_ACTIONS).click()
    page.get_by_role("button", name=SUBMIT, exact=True).click()
    page.wait_for_url("**/admin/pages/**")
    approve(page)  # the editor's review
    # The head's sign-off publishes it; the article's own text («осуществлена посадка») is
    # press-release Russian, so the head approves through the dialog that lists it. The post's
    # text is plain: no tick needed.
    head_page = log_in(new_context(), head_of_office)
    dialog = open_sign_off_dialog(head_page, TITLE)
    expect(dialog).to_contain_text("Текст материала")
    expect(dialog).not_to_contain_text("Текст для соцсетей")
    sign_off(head_page, dialog)

    rows = {row.account_id: row for row in OutboxItem.objects.filter(page=news)}
    assert rows[vk.pk].state == rows[tg.pk].state == OutboxState.DONE
    assert rows[ok.pk].state == OutboxState.PENDING
    assert timezone.localtime(rows[ok.pk].next_attempt_at, zone) == evening

    monday = evening.date() - datetime.timedelta(days=evening.weekday())
    page.goto(f"/admin/social/calendar/?week={monday:%Y-%m-%d}")
    for account, kind in ((vk, "posted"), (tg, "posted"), (ok, "scheduled")):
        row = page.locator(f'[data-calendar-account="{account.pk}"]')
        entry = row.locator(f'[data-calendar-entry="{kind}"]').filter(has_text=TITLE)
        expect(entry).to_have_count(1)
    expect(page.locator(f'[data-calendar-account="{ok.pk}"]')).to_contain_text("запланирован")
    page.screenshot(path=str(results_dir / "social-calendar-before-slot.png"), full_page=True)

    # The clock reaches the evening slot: the minute sweep sends the OK post.
    with mock.patch(
        "django.utils.timezone.now", return_value=evening + datetime.timedelta(minutes=1)
    ):
        tasks.dispatch_due()
    assert OutboxItem.objects.get(pk=rows[ok.pk].pk).state == OutboxState.DONE

    page.reload()
    ok_row = page.locator(f'[data-calendar-account="{ok.pk}"]')
    expect(ok_row.locator('[data-calendar-entry="posted"]').filter(has_text=TITLE)).to_have_count(1)
    expect(ok_row.locator('[data-calendar-entry="scheduled"]')).to_have_count(0)
    page.screenshot(path=str(results_dir / "social-calendar-after-slot.png"), full_page=True)
