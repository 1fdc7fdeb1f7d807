"""Which roles of the case lifecycle a user holds."""

from newsroom import roles as groups
from newsroom.casework.rules.lifecycle import Role
from newsroom.roles import group_names

PRESS_OFFICE_GROUPS = (groups.EDITORS, groups.HEAD_OF_PRESS_OFFICE)


def sees_all_cases(user):
    names = group_names(user)
    return user.is_superuser or bool(
        names & {groups.CURATORS, groups.ADMINISTRATORS, *PRESS_OFFICE_GROUPS}
    )


def case_roles(user, case):
    """The lifecycle roles ``user`` holds for ``case``."""
    if not user.is_authenticated:
        return set()
    names = group_names(user)
    result = set()
    if user.is_superuser or groups.ADMINISTRATORS in names:
        result.add(Role.ADMIN)
    if groups.CURATORS in names:
        result.add(Role.CURATOR)
    if names & set(PRESS_OFFICE_GROUPS):
        result.add(Role.EDITOR)
    if case.executor_id is not None and case.executor_id == user.pk:
        result.add(Role.EXECUTOR)
    return result
