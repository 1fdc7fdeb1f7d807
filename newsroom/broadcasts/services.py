"""Questions to a live broadcast: taken from the page, limited per address, and after the
broadcast those left unanswered registered as citizens' cases, once."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from newsroom.hourly_counter import bump, count
from newsroom.models import BroadcastClosing, BroadcastQuestion, EventPage, QuestionStatus

OPEN_STATUSES = (QuestionStatus.NEW, QuestionStatus.PICKED)


def limits():
    accepted = settings.BROADCAST_QUESTIONS_PER_HOUR
    return accepted, accepted * 4


def is_limited(ip):
    accepted, attempts = limits()
    return (
        count(f"broadcast:accepted:{ip}") >= accepted
        or count(f"broadcast:attempt:{ip}") >= attempts
    )


def note_attempt(ip):
    bump(f"broadcast:attempt:{ip}")


def submit(event, data, ip, consent_text):
    """Stores the question; the same text asked twice of one broadcast is kept once.
    Returns ``(question, created)``."""
    text = " ".join(data["text"].split()).lower()
    for question in event.questions.only("text"):
        if " ".join(question.text.split()).lower() == text:
            return question, False
    question = BroadcastQuestion.objects.create(
        event=event,
        name=data["name"],
        settlement=data["settlement"],
        text=data["text"],
        consent_text=consent_text,
    )
    bump(f"broadcast:accepted:{ip}")
    return question, True


def answered(event):
    return event.questions.filter(status=QuestionStatus.ANSWERED).exclude(answer="")


def broadcast_profile():
    from newsroom.models import RegulationProfile
    from newsroom.organisation import organisation_settings

    profile = organisation_settings().broadcast_profile
    if profile is None:
        profile = RegulationProfile.objects.filter(
            name__startswith="Вопросы к прямому эфиру"
        ).first()
    return profile


def close(event, now=None):
    """Turns the broadcast's unanswered questions into cases, once; returns how many."""
    from newsroom.casework.services.cases import register_case

    now = now or timezone.now()
    profile = broadcast_profile()
    try:
        with transaction.atomic():
            closing = BroadcastClosing.objects.create(event=event)
            made = 0
            for question in event.questions.filter(status__in=OPEN_STATUSES).order_by("pk"):
                case, _created = register_case(
                    {
                        "network": "site",
                        "url": event.full_url or "",
                        "author_name": f"{question.name} ({question.settlement})",
                        "text": question.text,
                        "published_at": question.submitted_at,
                        "detected_at": min(event.end, now),
                        "external_id": f"question-{question.pk}",
                        "category": question.topic,
                    },
                    source="broadcast",
                    profile=profile,
                )
                question.case = case
                question.status = QuestionStatus.CASE
                question.save(update_fields=["case", "status"])
                made += 1
            closing.cases = made
            closing.save(update_fields=["cases"])
    except IntegrityError:
        return 0  # closed meanwhile by another worker
    return made


def close_finished(now=None):
    """Every finished broadcast that took questions and is not closed yet; returns the cases made."""
    now = now or timezone.now()
    finished = EventPage.objects.live().filter(
        takes_questions=True, end__lte=now, closing__isnull=True
    )
    return sum(close(event, now) for event in finished)
