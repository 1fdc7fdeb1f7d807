"""The head's sign-off cannot be skipped (statute, seed 000, 5.1), and the emergency path works:
in a real browser, an editor sees no «Опубликовать» on a department's item, publishes it through
«Срочная публикация…» with a reason, and the head finds it in her queue and signs it off."""

import pytest
from playwright.sync_api import expect

from newsroom.models import NewsPage, UrgentPublication
from tests.browser.test_newsroom_publication import (
    MORE_ACTIONS,
    Screenshots,
    log_in,
    people,  # noqa: F401  (fixture)
    submit_as_department,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PUBLISH = "Опубликовать"
URGENT = "Срочная публикация…"
REASON = "Штормовое предупреждение МЧС: ветер до 25 м/с, жителей нужно предупредить сейчас"
HEAD_QUEUE = "Срочные публикации ждут вашего утверждения"


def test_an_editor_publishes_only_through_the_urgent_path_and_the_head_signs_off(
    site_tree,
    people,  # noqa: F811
    new_context,
    results_dir,
):
    shot = Screenshots(results_dir, "urgent-publication")
    news = submit_as_department(new_context, site_tree, people["author"], shot)

    editor = log_in(new_context(), people["editor"])
    editor.goto(f"/admin/pages/{news.pk}/edit/")
    editor.get_by_role("button", name=MORE_ACTIONS).click()
    shot(editor, "editor-menu")
    expect(editor.get_by_role("button", name=PUBLISH, exact=True)).to_have_count(0)
    editor.get_by_role("button", name=URGENT, exact=True).click()
    editor.wait_for_url(f"**/admin/pages/{news.pk}/urgent/")

    # No reason, no publication: the form says what is missing.
    editor.get_by_role("button", name="Опубликовать срочно").click()
    expect(editor.locator("p.error-message")).to_contain_text("Укажите причину")
    assert not NewsPage.objects.get(pk=news.pk).live

    editor.get_by_label("Причина срочной публикации").fill(REASON)
    shot(editor, "editor-reason")
    editor.get_by_role("button", name="Опубликовать срочно").click()
    editor.wait_for_url(f"**/admin/pages/{news.pk}/edit/")
    expect(editor.locator(".messages .success")).to_contain_text("опубликован")
    editor.context.close()

    news.refresh_from_db()
    assert news.live
    assert news.current_workflow_state is None  # the usual approval was replaced
    record = UrgentPublication.objects.get(page=news)
    assert not record.signed_off

    head = log_in(new_context(), people["head"])
    queue = head.get_by_role("region", name=HEAD_QUEUE)
    expect(queue).to_contain_text(news.title)
    expect(queue).to_contain_text(REASON)
    shot(head, "head-queue")
    with head.expect_navigation(url="**/admin/"):
        queue.get_by_role("button", name="Утвердить").click()
    expect(head.locator(".messages .success")).to_contain_text("утверждена")
    expect(head.get_by_role("region", name=HEAD_QUEUE)).to_have_count(0)
    head.goto("/admin/reports/urgent/")
    expect(head.locator("[data-urgent-report]")).to_contain_text(REASON)
    shot(head, "head-report")
    head.context.close()

    record.refresh_from_db()
    assert record.signed_off_by == people["head"]
