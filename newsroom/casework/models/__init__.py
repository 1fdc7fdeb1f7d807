"""Storage of casework. The models keep the app label ``newsroom``; Django finds them through
``newsroom.models``, which re-exports them."""

from .answers import Answer, AnswerAttachment, AnswerKind
from .cases import Case, CaseEvent, CaseKind, CaseNotification, NoAnswerReason
from .imports import CaseImport, CaseImportState
from .regulation import (
    CalendarOverride,
    CalendarOverrideKind,
    ClockStart,
    ProfileScope,
    RegulationProfile,
    TermUnit,
)
from .reporting import CaseRework, MonthlyReportDelivery, ReworkStage, SurgeAlert, SurgeKey

__all__ = [
    "Answer",
    "AnswerAttachment",
    "AnswerKind",
    "CalendarOverride",
    "CalendarOverrideKind",
    "Case",
    "CaseEvent",
    "CaseImport",
    "CaseImportState",
    "CaseKind",
    "CaseNotification",
    "CaseRework",
    "ClockStart",
    "MonthlyReportDelivery",
    "NoAnswerReason",
    "ProfileScope",
    "RegulationProfile",
    "ReworkStage",
    "SurgeAlert",
    "SurgeKey",
    "TermUnit",
]
