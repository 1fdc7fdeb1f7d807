"""A new application and its correction: all or nothing, files written only after every check.

``submit`` stores the application, its journalists, their files and consents in one transaction.
The files are written inside it, after the forms have checked everything; if anything fails the
transaction rolls back and the files written so far are deleted, so a refused or failed
submission leaves nothing behind.
"""

import logging

from django.db import transaction
from django.utils import timezone

from accreditation.models import (
    Application,
    ApplicationStatus,
    Consent,
    ConsentKind,
    Counter,
    DecisionAction,
    Journalist,
    JournalistDecision,
)
from accreditation.services import links, log, mail
from accreditation.storage import private_storage
from newsroom.clock import organisation_clock
from newsroom.worktime import Unit

logger = logging.getLogger(__name__)

OUTLET_FIELDS = (
    "outlet_name",
    "outlet_kind",
    "registration_number",
    "registration_date",
    "website",
    "editor_in_chief",
    "applicant_email",
)
JOURNALIST_FIELDS = ("full_name", "position", "phone", "email")


class SubmissionError(Exception):
    """The application cannot be accepted as it is; the message is for the applicant."""


def review_due(page, start):
    """The end of the review: the close of the N-th working day after the day of ``start``."""
    return organisation_clock().add(start, page.review_working_days, Unit.WORKING_DAYS)


def journalists_of_outlet(registration_number, year, exclude_application=None):
    """Journalists an outlet already has in applications for ``year`` that are not refused."""
    queryset = Journalist.objects.filter(
        application__registration_number=registration_number, application__year=year
    ).exclude(decision=JournalistDecision.REJECTED)
    if exclude_application is not None:
        queryset = queryset.exclude(application=exclude_application)
    return queryset.count()


def quota_left(page, registration_number, year):
    if not page.quota:
        return None
    return max(page.quota - journalists_of_outlet(registration_number, year), 0)


class FileWriter:
    """Writes checked files to the private storage and deletes them if the work fails."""

    def __init__(self):
        self.written = []

    def save(self, checked, year):
        storage = private_storage()
        name = storage.save(checked.random_name(year), checked.as_content_file())
        self.written.append(name)
        return name

    def discard(self):
        storage = private_storage()
        for name in self.written:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("Could not delete %s after a failed submission", name)


def submit(page, year, outlet, journalists, consent_texts, ip_address):
    """Stores a checked application. ``journalists`` is a list of dicts with the form's fields,
    ``checked`` (the checked photo and letter) and the two consents. Returns the application
    and the private token of its status page."""
    files = FileWriter()
    token = Application.new_token()
    now = timezone.now()
    try:
        with transaction.atomic():
            quota_check(page, outlet["registration_number"], year, len(journalists))
            application = Application(
                page=page,
                year=year,
                number=f"А-{year}-{Counter.next(f'application-{year}'):04d}",
                ip_address=ip_address,
                created_at=now,
                submitted_at=now,
                review_due_at=review_due(page, now),
                **{name: outlet[name] for name in OUTLET_FIELDS},
            )
            application.set_token(token)
            application.save()
            for data in journalists:
                journalist = Journalist(
                    application=application, **{name: data[name] for name in JOURNALIST_FIELDS}
                )
                store_files(journalist, data["checked"], year, files)
                journalist.save()
                Consent.objects.create(
                    journalist=journalist,
                    kind=ConsentKind.PROCESSING,
                    text=consent_texts[ConsentKind.PROCESSING],
                    given_at=now,
                    ip_address=ip_address,
                )
                if data.get("consent_distribution"):
                    Consent.objects.create(
                        journalist=journalist,
                        kind=ConsentKind.DISTRIBUTION,
                        text=consent_texts[ConsentKind.DISTRIBUTION],
                        given_at=now,
                        ip_address=ip_address,
                    )
            log.record(
                application,
                DecisionAction.SUBMITTED,
                label=log.APPLICANT,
                comment=f"Журналистов: {len(journalists)}",
            )
            mail.send_on_commit(
                "submitted",
                {
                    "application": application,
                    "journalists": journalists,
                    "status_url": links.status_url(page, token),
                    "due": application.review_due_at,
                    "page": page,
                },
                [application.applicant_email],
            )
            mail.notify_reviewers(application, journalist_count=len(journalists))
    except BaseException:
        files.discard()
        raise
    return application, token


def quota_check(page, registration_number, year, count):
    left = quota_left(page, registration_number, year)
    if left is not None and count > left:
        raise SubmissionError(
            f"От одного СМИ аккредитуется не больше {page.quota} журналистов в год; "
            f"для этого СМИ на {year} год осталось мест: {left}."
        )


def store_files(journalist, checked, year, files):
    if "photo" in checked:
        journalist.photo.name = files.save(checked["photo"], year)
    if "letter" in checked:
        journalist.letter.name = files.save(checked["letter"], year)
        journalist.letter_content_type = checked["letter"].content_type


def resubmit(application, outlet, journalists):
    """The applicant's correction: new data (and files, where new ones were chosen), back to
    review with a new deadline. ``journalists`` maps a journalist's pk to the form's data."""
    if application.status != ApplicationStatus.NEEDS_CORRECTION:
        raise SubmissionError("Эту заявку сейчас нельзя изменить: исправление не запрашивалось.")
    files = FileWriter()
    replaced = []
    now = timezone.now()
    try:
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=application.pk)
            if locked.status != ApplicationStatus.NEEDS_CORRECTION:
                raise SubmissionError("Заявка уже отправлена на рассмотрение.")
            for name in OUTLET_FIELDS:
                setattr(application, name, outlet[name])
            application.status = ApplicationStatus.SUBMITTED
            application.submitted_at = now
            application.review_due_at = review_due(application.page, now)
            application.save()
            for journalist in application.journalists.all():
                data = journalists[journalist.pk]
                for name in JOURNALIST_FIELDS:
                    setattr(journalist, name, data[name])
                old = [f.name for f in (journalist.photo, journalist.letter) if f]
                store_files(journalist, data["checked"], application.year, files)
                kept = {journalist.photo.name, journalist.letter.name}
                replaced += [name for name in old if name not in kept]
                journalist.save()
            log.record(application, DecisionAction.RESUBMITTED, label=log.APPLICANT)
            mail.send_on_commit(
                "resubmitted",
                {"application": application, "due": application.review_due_at},
                [application.applicant_email],
            )
            mail.notify_reviewers(application, journalist_count=len(journalists), resubmitted=True)
    except BaseException:
        files.discard()
        raise
    storage = private_storage()
    for name in replaced:
        storage.delete(name)
    return application
