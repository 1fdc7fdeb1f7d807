"""Registering citizens' messages and moving cases through their life, with every step logged.

Every change happens in a transaction under a row lock on the case, after the lifecycle table
(``newsroom.casework.rules.lifecycle``) has said the user may take that step.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from django_q.tasks import async_task

from newsroom import roles as groups
from newsroom.casework.access import case_roles
from newsroom.casework.rules import deadlines
from newsroom.casework.rules.lifecycle import OPEN_STATUSES, Status, TransitionError, check
from newsroom.casework.rules.places import place_of
from newsroom.casework.rules.similarity import competence_score, is_repeat
from newsroom.clock import organisation_clock, profile_for
from newsroom.models import (
    AnswerKind,
    Case,
    CaseEvent,
    CaseRework,
    ClockStart,
    Department,
    NoAnswerReason,
    ReworkStage,
)
from newsroom.organisation import organisation_settings, organisation_zone

REPEAT_WINDOW = datetime.timedelta(days=180)
# Reasons that need no rule of the regulation: a spam or a duplicate is never answered.
ALWAYS_ALLOWED_NO_ANSWER = {NoAnswerReason.SPAM, NoAnswerReason.DUPLICATE}


class CaseError(Exception):
    """A refused operation; the message is for the user, in Russian."""


def log(case, actor, action, from_status="", to_status="", comment="", **data):
    return CaseEvent.objects.create(
        case=case,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        data=data,
    )


def working_minutes(clock, start, end):
    """Whole working minutes from ``start`` to ``end`` (0 when either is missing or reversed)."""
    if start is None or end is None or end <= start:
        return 0
    return int(clock.between(start, end).total_seconds() // 60)


def refresh_next_due(case):
    """The nearest deadline still ahead of the case in its current status."""
    status = case.status_enum
    candidates = []
    if status == Status.NEW:
        candidates += [case.routing_due, case.answer_due]
    elif status in {Status.ROUTED, Status.DRAFTING}:
        candidates += [case.draft_due, case.answer_due]
    elif status == Status.REWORK:
        candidates += [case.rework_due, case.answer_due]
    elif status == Status.PRESS_REVIEW:
        candidates += [case.forward_due, case.answer_due]
    elif status == Status.AWAITING_FINAL:
        candidates += [case.final_due]
    elif status in OPEN_STATUSES:
        candidates += [case.answer_due]
    candidates = [c for c in candidates if c is not None]
    case.next_due = min(candidates) if candidates else None


def start_clock(case, *, settings=None, profile=None):
    """Fixes the profile and the deadlines of a case from the moment its clock starts."""
    settings = settings or organisation_settings()
    profile = profile or profile_for(case, settings)
    clock = organisation_clock(settings)
    if profile.clock_start == ClockStart.RECEIVED and case.received_at:
        start = case.received_at
    else:
        start = case.detected_at
    fixed = deadlines.initial_deadlines(
        profile.rules(), clock, start, high_importance=case.is_high_importance
    )
    case.profile = profile
    case.clock_started_at = start
    case.routing_due = fixed.routing_due
    case.draft_due = fixed.draft_due
    case.answer_due = fixed.answer_due
    case.answer_due_note = off_day_note(fixed.answer_due_unmoved, profile)
    refresh_next_due(case)


WEEKDAYS = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")


def off_day_note(unmoved, profile):
    """Why the answer's deadline is not where the term alone would put it, for the curator."""
    if unmoved is None:
        return ""
    local = timezone.localtime(unmoved, organisation_zone())
    return _(
        "Срок пришёлся на нерабочий день (%(weekday)s %(date)s) и перенесён %(where)s "
        "по правилу профиля «%(profile)s»."
    ) % {
        "weekday": WEEKDAYS[local.weekday()],
        "date": local.strftime("%d.%m.%Y"),
        "where": profile.get_off_day_shift_display(),
        "profile": profile.name,
    }


def find_earlier_case(case):
    """The first case of the issue this message repeats (R11): same author on the same network,
    or the same text; a chain of repeats leads back to the case where it was first raised."""
    earlier = _find_similar_earlier(case)
    seen = set()
    while earlier is not None and earlier.repeated_of_id and earlier.pk not in seen:
        seen.add(earlier.pk)
        earlier = earlier.repeated_of
    return earlier


def _find_similar_earlier(case):
    since = (case.detected_at or timezone.now()) - REPEAT_WINDOW
    earlier = (
        Case.objects.filter(detected_at__gte=since).exclude(pk=case.pk).order_by("-detected_at")
    )
    if case.author_id:
        for other in earlier.filter(network=case.network, author_id=case.author_id)[:20]:
            if is_repeat(case.text, other.text, same_author=True):
                return other
    for other in earlier.filter(network=case.network)[:200]:
        if is_repeat(case.text, other.text, same_author=False):
            return other
    return None


@transaction.atomic
def register_case(data, *, source="manual", actor=None, profile=None):
    """Creates a case from validated data, or returns the one already registered.

    Idempotent on ``(source, external_id)``: the same message sent twice is one case.
    Returns ``(case, created)``.
    """
    external_id = data.get("external_id") or ""
    if external_id:
        existing = Case.objects.filter(source=source, external_id=external_id).first()
        if existing is not None:
            return existing, False
    case = Case(source=source, **data)
    if not case.place:
        case.place = place_of(case.text)
    start_clock(case, profile=profile)
    earlier = find_earlier_case(case) if case.profile.handles_repeated else None
    if earlier is not None:
        case.repeated_of = earlier
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        # Another request registered the same message a moment ago.
        return Case.objects.get(source=source, external_id=external_id), False
    log(case, actor, "registered", to_status=case.status, source=source)
    if case.repeated_of_id:
        log(
            case,
            actor,
            "linked_repeat",
            comment=_("Повтор сообщения № %(n)s") % {"n": case.repeated_of_id},
        )
    if case.is_high_importance:
        # Sent by the worker: a mail server's failure must not fail the registration.
        transaction.on_commit(lambda: async_task("newsroom.tasks.notify_case_registered", case.pk))
    if case.profile.surge_threshold and (case.category or case.place):
        transaction.on_commit(lambda: async_task("newsroom.tasks.check_surge", case.pk))
    return case, True


def notify_registered(case_id):
    from newsroom.casework.services.escalation import notify_high_importance

    return notify_high_importance(Case.objects.get(pk=case_id))


def notify_assigned(case_id, executor_id):
    from newsroom.casework.services.escalation import notify_executor_assigned

    case = Case.objects.select_related("executor").get(pk=case_id)
    if case.executor_id != executor_id or not case.is_open:
        return False  # rerouted or closed before the worker got to it
    return notify_executor_assigned(case)


def executors():
    return groups.members(groups.EXECUTORS)


def suggest_executors(case, limit=5):
    """Executors to offer the curator, best first, each with the reason in Russian.

    The executor of the case this one repeats comes first (R11), then executors of earlier cases
    of the same author or category, then members of the units whose competence the text mentions.
    """
    suggestions = []

    def add(user, reason):
        if user is None or not user.is_active or user.pk == case.executor_id:
            return  # rerouting offers someone else
        if all(user.pk != s[0].pk for s in suggestions):
            suggestions.append((user, reason))

    if case.repeated_of_id and case.repeated_of.executor:
        add(case.repeated_of.executor, _("исполнитель по первому сообщению"))
    earlier = Case.objects.exclude(pk=case.pk).exclude(executor=None).select_related("executor")
    if case.author_id:
        for other in earlier.filter(author_id=case.author_id, network=case.network).order_by(
            "-detected_at"
        )[:5]:
            add(other.executor, _("отвечал этому автору"))
    if case.category:
        for other in earlier.filter(category=case.category).order_by("-detected_at")[:5]:
            add(other.executor, _("отвечал по этой теме"))
    units = sorted(
        (
            (competence_score(case.text, unit.competence_keywords), unit)
            for unit in Department.objects.exclude(competence="")
        ),
        key=lambda pair: -pair[0],
    )
    for score, unit in units:
        if score <= 0:
            break
        for user in executors().filter(groups=unit.group_id).order_by("last_name"):
            add(user, _("компетенция: %(unit)s") % {"unit": unit.short_name})
    return suggestions[:limit]


def unit_of(user):
    return Department.objects.filter(group__user=user).first()


def _locked(case_id):
    try:
        return Case.objects.select_for_update().get(pk=case_id)
    except Case.DoesNotExist:
        raise CaseError(_("Обращение не найдено.")) from None


@transaction.atomic
def apply(case_id, action, user, *, comment="", **params):
    """Takes one lifecycle step on a case on behalf of ``user``; returns the updated case."""
    case = _locked(case_id)
    try:
        transition = check(action, case.status_enum, case_roles(user, case))
    except TransitionError as error:
        raise CaseError(str(error)) from None
    if transition.needs_comment and not comment.strip() and action != "propose_no_answer":
        raise CaseError(_("Напишите комментарий: почему обращение возвращается."))
    before = case.status
    now = timezone.now()
    rules = case.profile.rules() if case.profile else None
    clock = organisation_clock()
    target = transition.target
    extra = {}

    if action in {"route", "reroute"}:
        executor = params.get("executor")
        if executor is None or groups.EXECUTORS not in groups.group_names(executor):
            raise CaseError(_("Выберите исполнителя из группы «Исполнители»."))
        case.executor = executor
        case.unit = params.get("unit") or unit_of(executor)
        case.routed_by = user
        if case.routed_at is None:
            case.routed_at = now
            case.routing_minutes = working_minutes(clock, case.clock_started_at, now)
        extra = {"executor": executor.pk, "unit": case.unit_id}
        # Sent by the worker after the commit: a mail server's failure must not undo the routing.
        transaction.on_commit(
            lambda: async_task("newsroom.tasks.notify_case_assigned", case.pk, executor.pk)
        )
    elif action == "submit_draft":
        case.forward_due = deadlines.forward_due(rules, clock, now)
        if case.draft_submitted_at is None:
            case.draft_submitted_at = now
            case.draft_minutes = working_minutes(
                clock, case.routed_at or case.clock_started_at, now
            )
        _finish_rework(case, clock, now)
    elif action == "resubmit_to_curator":
        _finish_rework(case, clock, now)
    elif action == "press_approve":
        if case.forwarded_at is None:
            case.forwarded_at = now
            case.forward_minutes = working_minutes(clock, case.draft_submitted_at, now)
    elif action in {"press_return", "curator_return"}:
        case.rework_due = deadlines.rework_due(rules, clock, now)
        _open_rework(case, action, user, comment, now)
    elif action == "post_answer":
        url = (params.get("answer_url") or "").strip()
        if not url.startswith(("http://", "https://")):
            raise CaseError(_("Укажите ссылку на размещённый ответ (начинается с https://)."))
        target, extra = _record_placement(case, url, now, rules, clock)
    elif action == "propose_no_answer":
        reason = params.get("reason") or ""
        if reason not in NoAnswerReason.values:
            raise CaseError(_("Выберите причину, по которой на сообщение не отвечают."))
        if reason not in ALWAYS_ALLOWED_NO_ANSWER and not case.profile.allows_no_answer:
            raise CaseError(_("Регламент не позволяет оставлять такие сообщения без ответа."))
        case.no_answer_reason = reason
        extra = {"reason": reason}
    elif action == "reject_no_answer":
        case.no_answer_reason = ""
        target = Status.ROUTED if case.executor_id else Status.NEW

    case.status = target.value
    refresh_next_due(case)
    case.save()
    log(case, user, action, before, case.status, comment, **extra)
    if action == "post_answer":
        from newsroom.casework.signals import answer_placed_by_hand

        answer_placed_by_hand.send(sender=Case, case=case)
    _announce_if_closed(case)
    return case


def _announce_if_closed(case):
    from newsroom.casework.signals import case_closed

    if case.status_enum not in OPEN_STATUSES:
        case_closed.send(sender=Case, case=case)


def _open_rework(case, action, user, comment, now):
    """A return for rework, with what the R12 checklist found missing in the returned answer."""
    from newsroom.casework.rules.answer_check import check_answer

    answer = case.answers.order_by("-pk").first()
    missing = []
    if answer is not None:
        hints = check_answer(
            text=answer.text,
            measures_taken=answer.measures_taken,
            stages_and_terms=answer.stages_and_terms,
            legal_basis=answer.legal_basis,
            attachments=answer.attachments.count(),
            network=case.network,
            is_repeat=case.repeated_of_id is not None,
        )
        missing = [hint.code for hint in hints if not hint.ok]
    CaseRework.objects.create(
        case=case,
        stage=ReworkStage.PRESS if action == "press_return" else ReworkStage.CURATOR,
        returned_by=user if user is not None and user.is_authenticated else None,
        returned_at=now,
        comment=comment.strip(),
        missing=missing,
        due=case.rework_due,
    )


def _finish_rework(case, clock, now):
    rework = case.reworks.filter(done_at__isnull=True).order_by("-returned_at").first()
    if rework is not None:
        rework.done_at = now
        rework.minutes = working_minutes(clock, rework.returned_at, now)
        rework.save(update_fields=["done_at", "minutes"])


def _record_placement(case, url, placed_at, rules, clock):
    """The approved answer is on the network at ``url`` since ``placed_at``: on time or late is
    judged on that moment. Returns the status the case moves to and what the event records."""
    answer = case.answers.filter(live=True).order_by("-last_published_at").first()
    if answer is None:
        raise CaseError(_("Нет согласованного ответа."))
    case.answer_url = url
    if answer.kind == AnswerKind.INTERIM:
        if rules.final_after_interim is None:
            raise CaseError(_("Регламент не предусматривает промежуточных ответов."))
        case.interim_answered_at = placed_at
        case.final_due = deadlines.final_due(rules, clock, placed_at)
        case.answer_minutes = working_minutes(clock, case.clock_started_at, placed_at)
        target = Status.AWAITING_FINAL
    else:
        case.answered_at = placed_at
        if case.interim_answered_at is None:
            case.answer_minutes = working_minutes(clock, case.clock_started_at, placed_at)
        else:
            case.final_minutes = working_minutes(clock, case.interim_answered_at, placed_at)
        target = Status.ANSWERED
    return target, {"answer": answer.pk, "url": url, "kind": answer.kind}


@transaction.atomic
def answer_placed(case_id, url, placed_at):
    """The network confirmed the reply placed by the system: the case records its link and the
    moment of confirmation («ответ размещён»), as «Ответ размещён» does by hand. A case that has
    moved on meanwhile (placed by hand) is left as it is; returns whether it was recorded."""
    case = _locked(case_id)
    if case.status_enum != Status.APPROVED:
        return False
    before = case.status
    rules = case.profile.rules() if case.profile else None
    target, extra = _record_placement(case, url, placed_at, rules, organisation_clock())
    case.status = target.value
    refresh_next_due(case)
    case.save()
    log(case, None, "post_answer", before, case.status, "", placed_by="network", **extra)
    _announce_if_closed(case)
    return True


@transaction.atomic
def extend_appeal(case_id, user, notice):
    """Extends a 59-FZ appeal's term once, with the notice sent to its author recorded."""
    case = _locked(case_id)
    if not case.is_appeal:
        raise CaseError(_("Продлить срок можно только обращению по 59-ФЗ."))
    if case.appeal_extended_at:
        raise CaseError(_("Срок уже продлевался: по 59-ФЗ это возможно один раз."))
    if not case_roles(user, case) & {"curator", "editor", "admin"}:
        raise CaseError(_("У вас нет права продлевать срок."))
    if not notice.strip():
        raise CaseError(_("Приложите текст уведомления автору о продлении срока."))
    before = case.answer_due
    extended, unmoved = deadlines.extended(
        case.profile.rules(), organisation_clock(), case.answer_due
    )
    if extended is None:
        raise CaseError(
            _("В порядке «%(profile)s» продление срока не предусмотрено.")
            % {"profile": case.profile}
        )
    case.answer_due = extended
    case.answer_due_note = off_day_note(unmoved, case.profile)
    case.appeal_extended_at = timezone.now()
    case.appeal_extension_notice = notice
    refresh_next_due(case)
    case.save()
    log(
        case,
        user,
        "extended",
        comment=notice,
        before=before.isoformat(),
        after=case.answer_due.isoformat(),
    )
    return case


@transaction.atomic
def recompute_deadlines(case_id, user):
    """Recomputes an open case's deadlines under the profile active now — only when asked."""
    case = _locked(case_id)
    if not case.is_open:
        raise CaseError(_("Сроки закрытого обращения не пересчитываются."))
    if not case_roles(user, case) & {"curator", "admin"}:
        raise CaseError(_("Пересчитать сроки может только куратор."))
    before = {
        "profile": case.profile_id,
        "answer_due": case.answer_due and case.answer_due.isoformat(),
    }
    start_clock(case)
    if case.appeal_extended_at:
        # The extension already granted (with its notice to the author) stays granted.
        extended, unmoved = deadlines.extended(
            case.profile.rules(), organisation_clock(), case.answer_due
        )
        if extended is not None:
            case.answer_due = extended
            case.answer_due_note = off_day_note(unmoved, case.profile)
        refresh_next_due(case)
    case.save()
    log(case, user, "recomputed", before=before, answer_due=case.answer_due.isoformat())
    return case
