"""The models of the newsroom app: the site's pages and settings, and (from ``casework``) the
citizens' cases, answers, imports and regulation profiles, all under the app label ``newsroom``."""

from newsroom.casework.models import (
    Answer,
    AnswerAttachment,
    AnswerKind,
    CalendarOverride,
    CalendarOverrideKind,
    Case,
    CaseEvent,
    CaseImport,
    CaseImportState,
    CaseKind,
    CaseNotification,
    CaseRework,
    ClockStart,
    MonthlyReportDelivery,
    NoAnswerReason,
    ProfileScope,
    RegulationProfile,
    ReworkStage,
    SurgeAlert,
    SurgeKey,
    TermUnit,
)
from newsroom.networks import Network

from .appeals import AppealsPage
from .broadcasts import BroadcastClosing, BroadcastQuestion, QuestionStatus
from .departments import Department, department_group_name
from .events import EventIndexPage, EventKind, EventPage
from .heads import HeadKind, HeadSectionPage
from .home import HomePage
from .news import DepartmentNewsIndexPage, NewsIndexPage, NewsPage, NewsPageTag
from .plans import MonthlyPlan, PlanItem
from .site_settings import OrganisationSettings, SocialLink
from .style import StylePhrase
from .urgent import UrgentPublication
from .workflow import SignOffTask

__all__ = [
    "AppealsPage",
    "Answer",
    "BroadcastClosing",
    "BroadcastQuestion",
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
    "Network",
    "MonthlyPlan",
    "NoAnswerReason",
    "PlanItem",
    "ProfileScope",
    "QuestionStatus",
    "RegulationProfile",
    "ReworkStage",
    "SurgeAlert",
    "SurgeKey",
    "TermUnit",
    "Department",
    "DepartmentNewsIndexPage",
    "EventIndexPage",
    "EventKind",
    "EventPage",
    "HeadKind",
    "HeadSectionPage",
    "HomePage",
    "NewsIndexPage",
    "NewsPage",
    "NewsPageTag",
    "OrganisationSettings",
    "SocialLink",
    "SignOffTask",
    "StylePhrase",
    "UrgentPublication",
    "department_group_name",
]
