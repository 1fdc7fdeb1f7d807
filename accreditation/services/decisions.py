"""The reviewers' decisions: the state machine of an application, its journalists and cards.

Application: ``submitted`` → ``needs_correction`` (comment) → ``submitted`` (the applicant
resubmits) → each journalist ``approved`` or ``rejected`` (reason) → the application is
``approved`` once nobody is pending and somebody was approved, ``rejected`` if all were refused.
Correction can be asked only before any journalist is decided. An accreditation (card) can then
be revoked, only on one of the two grounds of Mass Media Law art. 48, and the card's return is
recorded. Every step is logged and e-mailed to the applicant.
"""

from django.db import transaction
from django.utils import timezone

from accreditation.models import (
    Accreditation,
    Application,
    ApplicationStatus,
    CardState,
    Counter,
    DecisionAction,
    JournalistDecision,
    RevocationGround,
)
from accreditation.services import links, log, mail


class DecisionError(Exception):
    """The step is not possible now; the message says why, in Russian."""


def _locked(application):
    return Application.objects.select_for_update().get(pk=application.pk)


def _pending(application, journalist_ids):
    pending = application.journalists.filter(decision=JournalistDecision.PENDING)
    if journalist_ids is not None:
        pending = pending.filter(pk__in=journalist_ids)
    pending = list(pending)
    if not pending:
        raise DecisionError("Выберите хотя бы одного журналиста, по которому ещё нет решения.")
    return pending


def _require_review(application):
    if application.status != ApplicationStatus.SUBMITTED:
        raise DecisionError(
            f"Заявка сейчас «{application.get_status_display()}»: решение по ней принять нельзя."
        )


def refresh_status(application, now):
    decisions = set(application.journalists.values_list("decision", flat=True))
    if JournalistDecision.PENDING in decisions:
        return
    application.status = (
        ApplicationStatus.APPROVED
        if JournalistDecision.APPROVED in decisions
        else ApplicationStatus.REJECTED
    )
    application.decided_at = now
    application.review_due_at = None
    application.save(update_fields=["status", "decided_at", "review_due_at"])


def _status_link(application):
    # The private link cannot be rebuilt (only its hash is kept): the mail names the number.
    return links.absolute(application.page) if application.page else ""


@transaction.atomic
def approve(application, actor, journalist_ids=None):
    application = _locked(application)
    _require_review(application)
    now = timezone.now()
    issued = []
    for journalist in _pending(application, journalist_ids):
        journalist.decision = JournalistDecision.APPROVED
        journalist.decided_at = now
        journalist.decided_by = actor
        journalist.decision_reason = ""
        journalist.save(update_fields=["decision", "decided_at", "decided_by", "decision_reason"])
        card = Accreditation.objects.create(
            journalist=journalist,
            number=f"{application.year}-{Counter.next(f'card-{application.year}'):04d}",
            year=application.year,
            valid_until=Accreditation.end_of(application.year),
            issued_at=now,
            issued_by=actor,
        )
        issued.append(card)
        log.record(
            application,
            DecisionAction.APPROVED,
            actor=actor,
            journalist=journalist,
            comment=f"Карточка № {card.number}, действительна до {card.valid_until:%d.%m.%Y}",
        )
    refresh_status(application, now)
    mail.send_on_commit(
        "approved",
        {"application": application, "cards": issued, "page_url": _status_link(application)},
        [application.applicant_email],
    )
    return issued


@transaction.atomic
def reject(application, actor, reason, journalist_ids=None):
    reason = (reason or "").strip()
    if not reason:
        raise DecisionError("Укажите причину отказа: она уйдёт заявителю.")
    application = _locked(application)
    _require_review(application)
    now = timezone.now()
    refused = _pending(application, journalist_ids)
    for journalist in refused:
        journalist.decision = JournalistDecision.REJECTED
        journalist.decided_at = now
        journalist.decided_by = actor
        journalist.decision_reason = reason
        journalist.save(update_fields=["decision", "decided_at", "decided_by", "decision_reason"])
        log.record(
            application, DecisionAction.REJECTED, actor=actor, journalist=journalist, comment=reason
        )
    refresh_status(application, now)
    mail.send_on_commit(
        "rejected",
        {"application": application, "journalists": refused, "reason": reason},
        [application.applicant_email],
    )
    return refused


@transaction.atomic
def ask_correction(application, actor, comment):
    comment = (comment or "").strip()
    if not comment:
        raise DecisionError("Напишите, что нужно исправить: комментарий уйдёт заявителю.")
    application = _locked(application)
    _require_review(application)
    if application.journalists.exclude(decision=JournalistDecision.PENDING).exists():
        raise DecisionError(
            "По части журналистов решение уже принято: исправление можно запросить только "
            "до первого решения. Откажите с объяснением, и редакция подаст новую заявку."
        )
    application.status = ApplicationStatus.NEEDS_CORRECTION
    application.correction_comment = comment
    application.review_due_at = None
    application.save(update_fields=["status", "correction_comment", "review_due_at"])
    log.record(application, DecisionAction.CORRECTION_REQUESTED, actor=actor, comment=comment)
    mail.send_on_commit(
        "correction",
        {"application": application, "comment": comment},
        [application.applicant_email],
    )
    return application


@transaction.atomic
def revoke(accreditation, actor, ground, details, court_decision=""):
    details = (details or "").strip()
    court_decision = (court_decision or "").strip()
    if ground not in RevocationGround.values:
        raise DecisionError(
            "Аккредитацию можно отозвать только по основаниям статьи 48 Закона о СМИ: "
            "нарушение правил аккредитации или распространение порочащих сведений, "
            "не соответствующих действительности, подтверждённое решением суда."
        )
    if not details:
        raise DecisionError("Опишите обстоятельства: что именно нарушено или распространено.")
    if ground == RevocationGround.COURT_CONFIRMED_UNTRUTH and not court_decision:
        raise DecisionError(
            "Укажите решение суда: суд, дату, номер дела и дату вступления в законную силу."
        )
    accreditation = Accreditation.objects.select_for_update().get(pk=accreditation.pk)
    if accreditation.state() != CardState.VALID:
        raise DecisionError(f"Аккредитация уже {accreditation.state().label}: отзывать нечего.")
    accreditation.revoked_at = timezone.now()
    accreditation.revocation_ground = ground
    accreditation.revocation_details = details
    accreditation.court_decision = (
        court_decision if ground == RevocationGround.COURT_CONFIRMED_UNTRUTH else ""
    )
    accreditation.save(
        update_fields=["revoked_at", "revocation_ground", "revocation_details", "court_decision"]
    )
    journalist = accreditation.journalist
    application = journalist.application
    comment = f"{RevocationGround(ground).label}. {details}"
    if accreditation.court_decision:
        comment += f" Решение суда: {accreditation.court_decision}"
    log.record(
        application, DecisionAction.REVOKED, actor=actor, journalist=journalist, comment=comment
    )
    mail.send_on_commit(
        "revoked",
        {"application": application, "card": accreditation, "journalist": journalist},
        [application.applicant_email, journalist.email],
    )
    return accreditation


@transaction.atomic
def record_return(accreditation, actor, returned_on=None, note=""):
    accreditation = Accreditation.objects.select_for_update().get(pk=accreditation.pk)
    if accreditation.card_returned_at:
        raise DecisionError(
            f"Возврат карточки уже отмечен: {accreditation.card_returned_at:%d.%m.%Y}."
        )
    returned_on = returned_on or timezone.localdate()
    if returned_on > timezone.localdate():
        raise DecisionError("Дата возврата не может быть в будущем.")
    accreditation.card_returned_at = returned_on
    accreditation.save(update_fields=["card_returned_at"])
    journalist = accreditation.journalist
    log.record(
        journalist.application,
        DecisionAction.CARD_RETURNED,
        actor=actor,
        journalist=journalist,
        comment=" ".join(
            part
            for part in (
                f"Карточка № {accreditation.number} возвращена {returned_on:%d.%m.%Y}.",
                note.strip(),
            )
            if part
        ),
    )
    return accreditation
