"""Who may see applications and journalists' personal data: the «Аккредитация» group and
superusers, nobody else (administrators too must be in the group). Who may send press
announcements: the press office (editors, the head of the office, administrators)."""

from newsroom import roles

ANNOUNCING_GROUPS = (roles.EDITORS, roles.HEAD_OF_PRESS_OFFICE, roles.ADMINISTRATORS)


def _group_names(user):
    if not hasattr(user, "_accreditation_group_names"):
        user._accreditation_group_names = frozenset(user.groups.values_list("name", flat=True))
    return user._accreditation_group_names


def _active(user):
    return bool(user and user.is_authenticated and user.is_active)


def is_reviewer(user):
    if not _active(user):
        return False
    return user.is_superuser or roles.ACCREDITATION in _group_names(user)


def may_announce(user):
    if not _active(user):
        return False
    return user.is_superuser or bool(_group_names(user) & set(ANNOUNCING_GROUPS))
