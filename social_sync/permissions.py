"""Who may see and change the official accounts and the outbox: editors and administrators."""

from newsroom import roles

MANAGING_GROUPS = (roles.EDITORS, roles.ADMINISTRATORS)


def can_manage_social(user):
    return roles.holds_role(user, *MANAGING_GROUPS)
