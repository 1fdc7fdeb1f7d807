"""The counts under the admin listings agree with the number, as Russian wants (Wagtail alone
writes «5 комментарии»)."""

import pytest

from newsroom.models import BroadcastQuestion, Case, MonthlyPlan
from newsroom.pagination import CountingPaginator
from social_sync.models import Comment, OutboxItem

FORMS = {
    Comment: (
        "1 комментарий",
        "3 комментария",
        "5 комментариев",
        "11 комментариев",
        "21 комментарий",
        "104 комментария",
    ),
    OutboxItem: (
        "1 отправка",
        "3 отправки",
        "5 отправок",
        "11 отправок",
        "21 отправка",
        "104 отправки",
    ),
    BroadcastQuestion: (
        "1 вопрос",
        "3 вопроса",
        "5 вопросов",
        "11 вопросов",
        "21 вопрос",
        "104 вопроса",
    ),
    MonthlyPlan: ("1 план", "3 плана", "5 планов", "11 планов", "21 план", "104 плана"),
    Case: (
        "1 обращение",
        "3 обращения",
        "5 обращений",
        "11 обращений",
        "21 обращение",
        "104 обращения",
    ),
}


@pytest.mark.parametrize("model", list(FORMS))
def test_count_labels_take_the_right_plural_form(model):
    numbers = (1, 3, 5, 11, 21, 104)
    assert tuple(model.count_label(n) for n in numbers) == FORMS[model]


@pytest.mark.django_db
def test_the_listing_paginator_uses_them():
    paginator = CountingPaginator(Comment.objects.none(), 50)
    assert paginator.items_count_label == "0 комментариев"
