"""Who may see and change the official accounts and the outbox: editors and administrators;
who reads the publication calendar and the norms report: the head of the press office too (she
answers for the norms of P8 and reads the reports)."""

from newsroom import roles

MANAGING_GROUPS = (roles.EDITORS, roles.ADMINISTRATORS)
READING_GROUPS = (*MANAGING_GROUPS, roles.HEAD_OF_PRESS_OFFICE)


def can_manage_social(user):
    return roles.holds_role(user, *MANAGING_GROUPS)


def can_read_social_reports(user):
    return roles.holds_role(user, *READING_GROUPS)
