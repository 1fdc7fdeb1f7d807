"""Who may see and change the official accounts and the outbox: editors and administrators."""

from newsroom import roles

MANAGING_GROUPS = (roles.EDITORS, roles.ADMINISTRATORS)


def can_manage_social(user):
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=MANAGING_GROUPS).exists()
