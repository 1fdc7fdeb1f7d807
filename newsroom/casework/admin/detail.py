"""The case page: the message, its deadlines, answers, history and the forms of its actions."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from wagtail import hooks
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from newsroom.casework.access import sees_all_cases
from newsroom.casework.rules.lifecycle import STATUS_LABELS, TRANSITIONS, Status
from newsroom.casework.rules.timeliness import AnswerTimeliness
from newsroom.casework.services import cases as case_service
from newsroom.casework.signals import CASE_ACTIONS_HOOK, CASE_NOTES_HOOK
from newsroom.models import CaseNotification, NoAnswerReason
from newsroom.organisation import local_datetime

from .actions import ACTIONS
from .common import CaseAccessMixin, OrganisationTimeMixin, actions_for, answer_edit_url, person
from .filters import Due, due_state
from .forms import CommentForm, ExtendForm, NoAnswerForm, PostAnswerForm, RecomputeForm, RouteForm

# The deadlines of a case, in the order they come, and those that run in each status
# (the same as newsroom.casework.services.cases.refresh_next_due).
DEADLINES = [
    ("routing_due", gettext_lazy("Назначить исполнителя до")),
    ("draft_due", gettext_lazy("Проект ответа до")),
    ("forward_due", gettext_lazy("Передать куратору до")),
    ("rework_due", gettext_lazy("Доработать до")),
    ("answer_due", gettext_lazy("Ответить до")),
    ("final_due", gettext_lazy("Окончательный ответ до")),
]
RUNNING_DEADLINES = {
    Status.NEW: {"routing_due", "answer_due"},
    Status.ROUTED: {"draft_due", "answer_due"},
    Status.DRAFTING: {"draft_due", "answer_due"},
    Status.REWORK: {"rework_due", "answer_due"},
    Status.PRESS_REVIEW: {"forward_due", "answer_due"},
    Status.CURATOR_REVIEW: {"answer_due"},
    Status.APPROVED: {"answer_due"},
    Status.NO_ANSWER_PROPOSED: {"answer_due"},
    Status.AWAITING_FINAL: {"final_due"},
}
EVENT_LABELS = {
    "registered": gettext_lazy("Зарегистрировано"),
    "linked_repeat": gettext_lazy("Связано с первым сообщением (R11)"),
    "extended": gettext_lazy("Срок продлён (59-ФЗ)"),
    "recomputed": gettext_lazy("Сроки пересчитаны"),
    "head_alerted": gettext_lazy("Главе отправлено письмо об инциденте повышенной важности"),
    "reply_account": gettext_lazy("Выбран аккаунт для ответа"),
}
SOURCE_LABELS = {"manual": gettext_lazy("введено вручную")}


def deadline_rows(case, now):
    running = RUNNING_DEADLINES.get(case.status_enum, set()) if case.is_open else set()
    rows = []
    for field, label in DEADLINES:
        value = getattr(case, field)
        if value is None:
            continue
        is_running = field in running
        state = due_state(value, now) if is_running else Due.NONE
        rows.append(
            {
                "label": label,
                "when": local_datetime(value),
                "running": is_running,
                "state": state,
                "state_label": Due.LABELS[state] if is_running else _("не текущий этап"),
            }
        )
    return rows


def answer_timeliness(case):
    """«в срок» or «с опозданием» for the answer, as the monthly analysis counts it
    (``casework.rules.timeliness``): the first answer placed meets the term, an interim one too;
    the final answer after it is judged against its own term."""
    verdict = AnswerTimeliness.of(
        answer_due=case.answer_due,
        final_due=case.final_due,
        interim_answered_at=case.interim_answered_at,
        answered_at=case.answered_at,
    )
    if verdict.answer is None:
        return ""
    text = _("в срок") if verdict.answer else _("с опозданием")
    if verdict.final is not None:
        text = _("промежуточный — %(answer)s, окончательный — %(final)s") % {
            "answer": text,
            "final": _("в срок") if verdict.final else _("с опозданием"),
        }
    return text


def event_label(event):
    if event.action in TRANSITIONS:
        return TRANSITIONS[event.action].label
    return EVENT_LABELS.get(event.action, event.action)


def status_label(value):
    try:
        return STATUS_LABELS[Status(value)]
    except ValueError:
        return value


def answer_state(answer):
    if answer.live:
        return _("Согласован и опубликован"), "approved"
    task = answer.current_workflow_task if answer.workflow_in_progress else None
    if task is not None:
        return _("На согласовании: %(task)s") % {"task": task.name}, "in-review"
    return _("Черновик"), "draft"


class CaseDetailView(
    OrganisationTimeMixin, CaseAccessMixin, WagtailAdminTemplateMixin, TemplateView
):
    template_name = "newsroom/inbox/case_detail.html"
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        self.case = self.get_case()
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Сообщение № %(n)s") % {"n": self.case.pk}

    def get_breadcrumbs_items(self):
        user = self.request.user
        if sees_all_cases(user):
            parent = {"url": reverse("cases:index"), "label": _("Все обращения")}
        else:
            parent = {"url": reverse("my_cases:index"), "label": _("Мои обращения")}
        return self.breadcrumbs_items + [parent, {"url": "", "label": self.get_page_title()}]

    def get(self, request, *args, **kwargs):
        CaseNotification.objects.filter(
            case=self.case, recipient=request.user, read_at__isnull=True
        ).update(read_at=timezone.now())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case, user, now = self.case, self.request.user, timezone.now()
        can, roles = actions_for(user, case)
        state = due_state(case.next_due, now, is_open=case.is_open)

        answers = []
        for answer in case.answers.order_by("pk"):
            label, key = answer_state(answer)
            answers.append(
                {
                    "answer": answer,
                    "state": label,
                    "state_key": key,
                    "edit_url": answer_edit_url(answer),
                    "updated": local_datetime(answer.last_published_at) if answer.live else "",
                }
            )

        events = [
            {
                "when": local_datetime(event.created_at),
                "actor": person(event.actor) or _("система"),
                "label": event_label(event),
                "from": status_label(event.from_status) if event.from_status else "",
                "to": status_label(event.to_status) if event.to_status else "",
                "comment": event.comment,
            }
            for event in case.events.select_related("actor")
        ]

        notifications = case.notifications.select_related("recipient").order_by("-sent_at")
        if not sees_all_cases(user):
            notifications = notifications.filter(recipient=user)

        forms = {}
        if can["route"] or can["reroute"]:
            suggestions = [
                (executor, reason)
                for executor, reason in case_service.suggest_executors(case)
                if executor.pk != case.executor_id  # rerouting: someone else
            ]
            forms["route"] = RouteForm(suggestions=suggestions)
        if can["post_answer"]:
            forms["post_answer"] = PostAnswerForm()
        if can["propose_no_answer"]:
            forms["propose_no_answer"] = NoAnswerForm()
        if can["confirm_no_answer"]:
            forms["confirm_no_answer"] = CommentForm(prefix="confirm")
        if can["reject_no_answer"]:
            forms["reject_no_answer"] = CommentForm(prefix="reject")
        if can["extend"]:
            forms["extend"] = ExtendForm()
        if can["recompute"]:
            forms["recompute"] = RecomputeForm()

        notes = [note for function in hooks.get_hooks(CASE_NOTES_HOOK) for note in function(case)]
        extra_actions = [
            html
            for function in hooks.get_hooks(CASE_ACTIONS_HOOK)
            for html in function(self.request, case)
        ]
        context.update(
            case=case,
            notes=notes,
            extra_actions=extra_actions,
            can=can,
            has_actions=any(can.values()),
            roles=sorted(roles),
            forms=forms,
            urls={name: reverse("cases:action", args=(case.pk, name)) for name in ACTIONS},
            due={"state": state, "label": Due.LABELS[state], "when": local_datetime(case.next_due)},
            deadlines=deadline_rows(case, now),
            times=[
                (_("Опубликовано"), local_datetime(case.published_at)),
                (_("Выявлено"), local_datetime(case.detected_at)),
                (_("Получено от куратора"), local_datetime(case.received_at)),
                (_("Отсчёт срока с"), local_datetime(case.clock_started_at)),
                (_("Зарегистрировано"), local_datetime(case.created_at)),
                (_("Ответ размещён"), local_datetime(case.answered_at)),
                (_("Промежуточный ответ"), local_datetime(case.interim_answered_at)),
                (_("Срок продлён"), local_datetime(case.appeal_extended_at)),
            ],
            answer_timeliness=answer_timeliness(case),
            answers=answers,
            live_answer=next((a for a in answers if a["answer"].live), None),
            current_answer=next((a for a in reversed(answers) if not a["answer"].live), None),
            events=events,
            notifications=[
                {
                    "recipient": person(n.recipient),
                    "message": n.message,
                    "sent": local_datetime(n.sent_at),
                    "read": local_datetime(n.read_at),
                }
                for n in notifications
            ],
            status_label=status_label(case.status),
            source_label=SOURCE_LABELS.get(case.source, case.source),
            executor=person(case.executor),
            routed_by=person(case.routed_by),
            no_answer_reason=NoAnswerReason(case.no_answer_reason).label
            if case.no_answer_reason
            else "",
            start_answer_label=_("Продолжить подготовку ответа")
            if case.status_enum in {Status.DRAFTING, Status.REWORK}
            else _("Начать подготовку ответа"),
        )
        return context
