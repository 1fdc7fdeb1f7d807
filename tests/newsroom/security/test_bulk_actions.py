"""Bulk-action confirmations name only what the user may act on: ids typed into the address
reveal no titles (pages of another department, answers to cases of another executor)."""

import pytest

from newsroom import roles
from newsroom.models import Answer
from tests.factories import NewsPageFactory, UserFactory
from tests.newsroom.casework.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_answers_of_other_cases_are_not_listed(client, site_tree):
    owner = UserFactory(username="bulk-owner", groups=[roles.EXECUTORS])
    case = CaseFactory(executor=owner, status="drafting")
    answer = Answer.objects.create(case=case, text="Проект ответа")
    url = f"/admin/bulk/newsroom/answer/delete/?id={answer.pk}"
    for role in (roles.EXECUTORS, roles.ACCREDITATION, site_tree.department.group_name):
        client.force_login(UserFactory(groups=[role]))
        html = client.get(url).content.decode()
        assert f"на сообщение № {case.pk}" not in html, role
    assert Answer.objects.filter(pk=answer.pk).exists()


def test_pages_of_another_department_are_not_listed_but_own_ones_are(client, site_tree):
    other = NewsPageFactory(
        parent=site_tree.other_area, title="Черновик ЖКХ о котельной", live=False
    )
    editor = UserFactory(groups=[roles.EDITORS])
    url = f"/admin/bulk/wagtailcore/page/move/?id={other.pk}"
    client.force_login(UserFactory(groups=[site_tree.department.group_name]))
    assert "Черновик ЖКХ о котельной" not in client.get(url).content.decode()
    client.force_login(editor)
    assert "Черновик ЖКХ о котельной" in client.get(url).content.decode()
