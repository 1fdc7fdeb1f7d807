from .departments import Department, department_group_name
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
from .site_settings import OrganisationSettings, SocialLink, SocialNetwork
from .style import StylePhrase

__all__ = [
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
