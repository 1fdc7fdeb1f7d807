from .answers import Answer, AnswerAttachment, AnswerKind
from .cases import Case, CaseEvent, CaseKind, CaseNotification, Network, NoAnswerReason
from .departments import Department, department_group_name
from .imports import CaseImport, CaseImportState
from .pages import (
    DepartmentNewsIndexPage,
    EventIndexPage,
    EventKind,
    EventPage,
    HeadKind,
    HeadSectionPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    NewsPageTag,
)
from .regulation import (
    CalendarOverride,
    CalendarOverrideKind,
    ClockStart,
    ProfileScope,
    RegulationProfile,
    TermUnit,
)
from .site_settings import OrganisationSettings, SocialLink, SocialNetwork
from .style import StylePhrase

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
    "ClockStart",
    "Network",
    "NoAnswerReason",
    "ProfileScope",
    "RegulationProfile",
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
    "SocialNetwork",
    "StylePhrase",
    "department_group_name",
]
