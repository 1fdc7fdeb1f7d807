"""The content security policy breaks nothing of ours: in Chromium, the public pages and the
admin screens run their scripts, and the console reports no violation of the policy."""

import pytest
from playwright.sync_api import expect

from newsroom import roles
from tests.accreditation.factories import AccreditationPageFactory
from tests.factories import NewsPageFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def watch(page):
    """Collects what the browser says about the policy: console messages and violation events."""
    problems = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if "Content Security Policy" in message.text or "Permissions-Policy" in message.text
            else None
        ),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "{ window.__cspViolations = (window.__cspViolations || []).concat(e.violatedDirective + ' ' + e.blockedURI); });"
    )
    return problems


def violations(page):
    return page.evaluate("window.__cspViolations || []")


def test_public_pages_run_under_the_strict_policy(site_tree, new_context):
    news = NewsPageFactory(parent=site_tree.area, title="Каток открыт")
    accreditation = AccreditationPageFactory(parent=site_tree.home)
    page = new_context().new_page()
    problems = watch(page)
    for url in ("/", "/news/", news.url, "/events/", "/search/?q=каток", accreditation.url):
        response = page.goto(url)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert violations(page) == [], (url, violations(page))
    # The accreditation form's own script runs: «Добавить журналиста» adds fields in place.
    page.goto(accreditation.url)
    form = page.locator("[data-accreditation-form]")
    total = form.locator("input[name$='-TOTAL_FORMS']")
    before = int(total.input_value())
    form.locator("[data-add-journalist]").click()
    expect(total).to_have_value(str(before + 1))
    assert page.url.endswith(accreditation.url)  # no reload: the script did it
    assert violations(page) == []
    assert problems == [], problems


def test_admin_screens_run_under_the_admin_policy(site_tree, new_context):
    from tests.browser.test_newsroom_publication import PASSWORD

    editor = UserFactory(username="csp-editor", groups=[roles.EDITORS])
    news = NewsPageFactory(parent=site_tree.area, title="Каток открыт", live=False)
    news.save_revision()
    page = new_context().new_page()
    problems = watch(page)
    page.goto("/admin/login/")
    page.locator("#id_username").fill(editor.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Войти", exact=True).click()
    page.wait_for_url("**/admin/")
    for url in ("/admin/", f"/admin/pages/{news.pk}/edit/", "/admin/pages/", "/admin/images/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert violations(page) == [], (url, violations(page))
    # A signed-in editor on the public site gets Wagtail's user bar under the strict policy.
    for url in ("/", "/news/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        expect(page.locator("wagtail-userbar")).to_have_count(1)
        assert violations(page) == [], (url, violations(page))
    # Wagtail's own scripts ran: the page editor's side panels and the style-check panel work.
    page.goto(f"/admin/pages/{news.pk}/edit/")
    expect(page.get_by_role("button", name="Больше действий")).to_be_visible()
    page.get_by_role("button", name="Больше действий").click()
    expect(page.get_by_role("button", name="Срочная публикация…", exact=True)).to_be_visible()
    assert problems == [], problems
