"""Keeps a case in step with its answer's approval workflow «Согласование ответа»."""

from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext as _

from wagtail.signals import task_rejected, task_submitted, workflow_approved

from newsroom.casework.rules.lifecycle import Status
from newsroom.casework.services import cases
from newsroom.casework.signals import answer_approved
from newsroom.models import Answer, AnswerKind, Case


def _answer_of(state):
    obj = (
        state.workflow_state.content_object
        if hasattr(state, "workflow_state")
        else state.content_object
    )
    obj = getattr(obj, "specific", obj)
    return obj if isinstance(obj, Answer) else None


@transaction.atomic
def start_answer(case_id, user, kind=AnswerKind.FINAL):
    """The executor starts drafting: the case moves to «Готовится ответ» and gets a draft answer."""
    case = Case.objects.select_for_update().get(pk=case_id)
    if case.executor_id is None or case.executor_id != user.pk:
        raise cases.CaseError(_("Ответ готовит исполнитель, назначенный на это обращение."))
    if case.status_enum in {Status.ROUTED, Status.AWAITING_FINAL}:
        cases.apply(case.pk, "start_drafting", user)
    elif case.status_enum not in {Status.DRAFTING, Status.REWORK}:
        raise cases.CaseError(_("Готовить ответ можно после назначения исполнителя."))
    draft = case.answers.filter(live=False).order_by("-pk").first()
    if draft is None:
        if (
            case.status_enum == Status.AWAITING_FINAL
            or case.answers.filter(kind=AnswerKind.INTERIM, live=True).exists()
        ):
            kind = AnswerKind.FINAL
        draft = Answer(case=case, kind=kind, text="", live=False)
        draft.save()
        draft.save_revision(user=user, clean=False)  # an empty draft is where the work starts
    return draft


@receiver(task_submitted)
def on_task_submitted(sender, instance, user=None, **kwargs):
    """The case follows the task the answer's workflow is now at.

    A task starts when the answer is first submitted, when one approval hands it to the next
    task, when a returned answer is resubmitted (Wagtail restarts the task that returned it), and
    when an answer changed under review must be approved again from the first task.
    """
    answer = _answer_of(instance)
    if answer is None:
        return
    status = Status(Case.objects.values_list("status", flat=True).get(pk=answer.case_id))
    at_press_office = instance.task_id == instance.workflow_state.workflow.tasks.first().pk
    if at_press_office:
        action = {
            Status.DRAFTING: "submit_draft",
            Status.REWORK: "submit_draft",
            Status.CURATOR_REVIEW: "back_to_press_review",
        }.get(status)
    else:
        action = {
            Status.PRESS_REVIEW: "press_approve",
            Status.REWORK: "resubmit_to_curator",
        }.get(status)
    if action:
        cases.apply(answer.case_id, action, user)


@receiver(workflow_approved)
def on_workflow_approved(sender, instance, user=None, **kwargs):
    answer = _answer_of(instance)
    if answer is None:
        return
    with transaction.atomic():
        case = cases.apply(answer.case_id, "curator_approve", user)
        # What the curator approved is what goes out: the answer as stored now.
        approved = Answer.objects.get(pk=answer.pk)
        answer_approved.send(sender=Answer, answer=approved, case=case)


@receiver(task_rejected)
def on_task_rejected(sender, instance, user=None, **kwargs):
    answer = _answer_of(instance)
    if answer is None:
        return
    status = Case.objects.values_list("status", flat=True).get(pk=answer.case_id)
    action = {Status.PRESS_REVIEW: "press_return", Status.CURATOR_REVIEW: "curator_return"}.get(
        Status(status)
    )
    if action:
        comment = instance.get_comment() or _("Возвращено на доработку без комментария.")
        cases.apply(answer.case_id, action, user, comment=comment)
