"""Personal data (152-FZ): retention, and one person's export or erasure on request.

Anonymising a journalist replaces their name, position, phone and e-mail, deletes their photo
and letter, and clears the IP addresses of their consents; the card's number, year and state stay
(the history of accreditations is kept, so a card can still be verified as expired or revoked).
When every journalist of an application is anonymised, the application's personal data go too:
the editor-in-chief's name, the applicant's e-mail and IP address.

The retention job (daily) anonymises
* journalists refused (and applications left uncorrected) more than a year ago;
* journalists whose accreditation ended more than ``ACCREDITATION_RETENTION_DAYS`` days ago
  (counted from 31 December, or from the revocation).
"""

import datetime
import io
import json
import zipfile

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accreditation.models import (
    AnnouncementDelivery,
    ApplicationStatus,
    CardState,
    Consent,
    ConsentKind,
    DecisionAction,
    Journalist,
    JournalistDecision,
)
from accreditation.services import log
from accreditation.storage import private_storage

ERASED = "удалено"
REJECTED_KEPT_DAYS = 365


def _delete_files(names):
    storage = private_storage()
    for name in names:
        if name:
            storage.delete(name)


def anonymise(journalist, *, actor=None, action=DecisionAction.ANONYMISED, comment="", today=None):
    """Removes the journalist's personal data (see the module). Returns False if already done."""
    with transaction.atomic():
        journalist = Journalist.objects.select_for_update().get(pk=journalist.pk)
        if journalist.anonymised_at:
            return False
        files = [journalist.photo.name, journalist.letter.name]
        now = timezone.now()
        journalist.full_name = ERASED
        journalist.position = ERASED
        journalist.phone = ""
        journalist.email = ""
        journalist.photo = ""
        journalist.letter = ""
        journalist.decision_reason = ERASED if journalist.decision_reason else ""
        journalist.anonymised_at = now
        journalist.save()
        Consent.objects.filter(journalist=journalist).update(ip_address=None)
        AnnouncementDelivery.objects.filter(accreditation__journalist=journalist).update(
            recipient_name=ERASED, email=""
        )
        card = getattr(journalist, "accreditation", None)
        if card is not None and card.state(today) == CardState.VALID:
            card.ended_at = now
            card.save(update_fields=["ended_at"])
        application = journalist.application
        log.record(application, action, actor=actor, journalist=journalist, comment=comment)
        if not application.journalists.filter(anonymised_at__isnull=True).exists():
            application.editor_in_chief = ERASED
            application.applicant_email = ""
            application.ip_address = None
            application.correction_comment = ""
            application.anonymised_at = now
            application.save()
        transaction.on_commit(lambda: _delete_files(files))
    return True


def withdraw_distribution(journalist, actor, note=""):
    """The journalist withdrew the consent to distribution (art. 10.1 part 12): from now on they
    are not named in the registry or on the verification page. Returns False if there was none."""
    with transaction.atomic():
        withdrawn = Consent.objects.filter(
            journalist=journalist, kind=ConsentKind.DISTRIBUTION, withdrawn_at__isnull=True
        ).update(withdrawn_at=timezone.now())
        if withdrawn:
            log.record(
                journalist.application,
                DecisionAction.CONSENT_WITHDRAWN,
                actor=actor,
                journalist=journalist,
                comment=note.strip(),
            )
    return bool(withdrawn)


def due_for_retention(today=None):
    today = today or timezone.localdate()
    now = timezone.now()
    year_ago = now - datetime.timedelta(days=REJECTED_KEPT_DAYS)
    kept = datetime.timedelta(days=settings.ACCREDITATION_RETENTION_DAYS)
    expired_before = today - kept
    revoked_before = now - kept
    return Journalist.objects.filter(anonymised_at__isnull=True).filter(
        Q(decision=JournalistDecision.REJECTED, decided_at__lt=year_ago)
        | Q(
            application__status=ApplicationStatus.NEEDS_CORRECTION,
            application__submitted_at__lt=year_ago,
        )
        | Q(accreditation__valid_until__lt=expired_before)
        | Q(accreditation__revoked_at__lt=revoked_before)
    )


def apply_retention(today=None):
    count = 0
    for journalist in due_for_retention(today):
        count += anonymise(
            journalist,
            comment="Срок хранения истёк: персональные данные удалены, файлы уничтожены.",
            today=today,
        )
    return count


def person_data(journalist):
    """Everything kept about one journalist, as JSON-ready data."""
    application = journalist.application
    card = getattr(journalist, "accreditation", None)

    def when(value):
        return timezone.localtime(value).isoformat() if value else None

    return {
        "журналист": {
            "фамилия, имя, отчество": journalist.full_name,
            "должность": journalist.position,
            "телефон": journalist.phone,
            "эл. почта": journalist.email,
            "решение": journalist.get_decision_display(),
            "причина отказа": journalist.decision_reason,
            "дата решения": when(journalist.decided_at),
            "фотография": "photo.jpg" if journalist.photo else None,
            "письмо редакции": letter_filename(journalist) if journalist.letter else None,
        },
        "заявка": {
            "номер": application.number,
            "год": application.year,
            "статус": application.get_status_display(),
            "подана": when(application.created_at),
            "СМИ": application.outlet_name,
            "вид СМИ": application.get_outlet_kind_display(),
            "свидетельство о регистрации": application.registration_number,
            "дата регистрации": application.registration_date.isoformat(),
            "сайт": application.website,
            "главный редактор": application.editor_in_chief,
            "эл. почта заявителя": application.applicant_email,
            "IP-адрес заявителя": application.ip_address,
        },
        "согласия": [
            {
                "вид": consent.get_kind_display(),
                "версия текста": consent.text.version,
                "текст": consent.text.text,
                "дано": when(consent.given_at),
                "IP-адрес": consent.ip_address,
                "отозвано": when(consent.withdrawn_at),
            }
            for consent in journalist.consents.select_related("text")
        ],
        "аккредитация": None
        if card is None
        else {
            "номер карточки": card.number,
            "год": card.year,
            "действительна до": card.valid_until.isoformat(),
            "состояние": str(card.state().label),
            "отозвана": when(card.revoked_at),
            "основание отзыва": card.get_revocation_ground_display(),
            "обстоятельства": card.revocation_details,
            "решение суда": card.court_decision,
            "карточка возвращена": card.card_returned_at.isoformat()
            if card.card_returned_at
            else None,
        },
        "журнал": [
            {
                "когда": when(entry.created_at),
                "что": entry.get_action_display(),
                "кто": entry.actor_label,
                "комментарий": entry.comment,
            }
            for entry in application.log.filter(Q(journalist=journalist) | Q(journalist=None))
        ],
    }


def letter_filename(journalist):
    return "letter.pdf" if journalist.letter.name.endswith(".pdf") else "letter.jpg"


def export_zip(journalist, actor):
    """A ZIP with ``data.json`` and the person's files; the export itself is logged."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json",
            json.dumps(
                person_data(journalist), ensure_ascii=False, indent=2, cls=DjangoJSONEncoder
            ),
        )
        for field, name in ((journalist.photo, "photo.jpg"), (journalist.letter, None)):
            if field:
                with field.open("rb") as file:
                    archive.writestr(name or letter_filename(journalist), file.read())
    log.record(journalist.application, DecisionAction.EXPORTED, actor=actor, journalist=journalist)
    return buffer.getvalue()


def erase(journalist, actor, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("Укажите основание: заявление журналиста (дата, номер).")
    return anonymise(journalist, actor=actor, action=DecisionAction.ERASED, comment=reason)
