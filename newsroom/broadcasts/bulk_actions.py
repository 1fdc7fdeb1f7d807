"""Bulk actions in «Вопросы к эфирам»: pick the chosen questions for the speaker, or set them
aside, several at once (a question in a case or already answered keeps its state)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from newsroom.models import BroadcastQuestion, QuestionStatus

MOVABLE = (QuestionStatus.NEW, QuestionStatus.PICKED, QuestionStatus.REJECTED)


class QuestionStatusAction(SnippetBulkAction):
    template_name = "newsroom/broadcasts/confirm_bulk_status.html"
    target = None
    question = ""

    models = [BroadcastQuestion]

    def check_perm(self, question):
        return self.request.user.has_perm("newsroom.change_broadcastquestion")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["question"] = self.question
        context["action_label"] = self.display_name
        return context

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        ids = [question.pk for question in objects if question.status in MOVABLE]
        changed = BroadcastQuestion.objects.filter(pk__in=ids).update(status=cls.target)
        return changed, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return self.done_message(num_parent_objects)


class PickQuestions(QuestionStatusAction):
    display_name = _("Выбрать для эфира")
    action_type = "pick_for_broadcast"
    aria_label = _("Выбрать отмеченные вопросы для эфира")
    action_priority = 10
    target = QuestionStatus.PICKED
    question = _("Выбрать эти вопросы для эфира?")

    @staticmethod
    def done_message(n):
        return ngettext(
            "Для эфира выбран %(n)s вопрос.", "Для эфира выбрано %(n)s вопросов.", n
        ) % {"n": n}


class RejectQuestions(QuestionStatusAction):
    display_name = _("Отклонить")
    action_type = "reject_questions"
    aria_label = _("Отклонить отмеченные вопросы")
    action_priority = 20
    target = QuestionStatus.REJECTED
    question = _("Отклонить эти вопросы? Они не станут обращениями после эфира.")

    @staticmethod
    def done_message(n):
        return ngettext("Отклонён %(n)s вопрос.", "Отклонено %(n)s вопросов.", n) % {"n": n}
