"""Who may see applications and journalists' personal data: the «Аккредитация» group and
superusers, nobody else (administrators too must be in the group). Who may send press
announcements: the press office (editors, the head of the office, administrators)."""

from newsroom import roles

ANNOUNCING_GROUPS = (roles.EDITORS, roles.HEAD_OF_PRESS_OFFICE, roles.ADMINISTRATORS)


def is_reviewer(user):
    return roles.holds_role(user, roles.ACCREDITATION)


def may_announce(user):
    return roles.holds_role(user, *ANNOUNCING_GROUPS)
