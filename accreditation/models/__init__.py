from .accreditations import Accreditation, CardState, RevocationGround
from .announcements import Announcement, AnnouncementDelivery, DeliveryState
from .applications import (
    OPEN_STATUSES,
    Application,
    ApplicationStatus,
    DecisionAction,
    DecisionLog,
    Journalist,
    JournalistDecision,
    OutletKind,
)
from .consents import Consent, ConsentKind, ConsentText
from .counters import Counter
from .pages import AccreditationPage

__all__ = [
    "OPEN_STATUSES",
    "Accreditation",
    "AccreditationPage",
    "Announcement",
    "AnnouncementDelivery",
    "Application",
    "ApplicationStatus",
    "CardState",
    "Consent",
    "ConsentKind",
    "ConsentText",
    "Counter",
    "DecisionAction",
    "DecisionLog",
    "DeliveryState",
    "Journalist",
    "JournalistDecision",
    "OutletKind",
    "RevocationGround",
]
