"""A case as the intake API shows it: moments as ISO 8601 in the organisation's time zone."""

from django.utils import timezone

from newsroom.casework.rules.lifecycle import STATUS_LABELS
from newsroom.models import CaseKind, Network
from newsroom.organisation import organisation_zone

DEADLINES = (
    "routing_due",
    "draft_due",
    "forward_due",
    "answer_due",
    "rework_due",
    "final_due",
    "next_due",
)


def moment(value, zone):
    return timezone.localtime(value, zone).isoformat() if value else None


def label(choices, value):
    return str(dict(choices.choices).get(value, value))


def case_to_dict(case, zone=None):
    zone = zone or organisation_zone()
    return {
        "id": case.pk,
        "status": case.status,
        "status_label": STATUS_LABELS.get(case.status, case.status),
        "source": case.source,
        "external_id": case.external_id,
        "network": case.network,
        "network_label": label(Network, case.network),
        "url": case.url,
        "author_name": case.author_name,
        "author_id": case.author_id,
        "text": case.text,
        "category": case.category,
        "kind": case.kind,
        "kind_label": label(CaseKind, case.kind),
        "attachments": list(case.attachments or []),
        "published_at": moment(case.published_at, zone),
        "detected_at": moment(case.detected_at, zone),
        "received_at": moment(case.received_at, zone),
        "registered_at": moment(case.created_at, zone),
        "repeated_of": case.repeated_of_id,
        "profile": case.profile.name if case.profile_id else None,
        "clock_started_at": moment(case.clock_started_at, zone),
        "deadlines": {name: moment(getattr(case, name), zone) for name in DEADLINES},
        "answer_url": case.answer_url,
        "answered_at": moment(case.answered_at, zone),
        "interim_answered_at": moment(case.interim_answered_at, zone),
    }
