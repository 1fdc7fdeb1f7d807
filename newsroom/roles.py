"""The roles of the press office, as Django groups; names are shown to users."""

EDITORS = "Редакторы"
HEAD_OF_PRESS_OFFICE = "Заведующий отделом"
EXECUTORS = "Исполнители"
CURATORS = "Кураторы"
ACCREDITATION = "Аккредитация"
ADMINISTRATORS = "Администраторы"

ROLE_GROUPS = (EDITORS, HEAD_OF_PRESS_OFFICE, EXECUTORS, CURATORS, ACCREDITATION, ADMINISTRATORS)

PUBLICATION_WORKFLOW = "Публикация материалов"
EDITOR_REVIEW_TASK = "Проверка редактором"
HEAD_SIGN_OFF_TASK = "Утверждение заведующим отделом"

# Page permissions (codenames of wagtailcore.Page) per role, granted on the root of the tree.
# Editors write, review and lock everywhere but do not publish: the head signs off (statute,
# seed 000, 5.1), and an emergency goes through «Срочная публикация» (newsroom.urgent).
EDITOR_PAGE_PERMISSIONS = (
    "add_page",
    "change_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
)
HEAD_PAGE_PERMISSIONS = (*EDITOR_PAGE_PERMISSIONS, "publish_page")
# A department works only in its own news area and never publishes.
DEPARTMENT_PAGE_PERMISSIONS = ("add_page", "change_page")
# Images and documents in the root collection: press office may change anything, departments
# may add their own and choose any.
PRESS_OFFICE_COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)
DEPARTMENT_COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
)


def members(*groups):
    """The active members of these groups, each once."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True, groups__name__in=groups).distinct()


def member_emails(*groups):
    """The addresses of the active members of these groups, each once, sorted."""
    return sorted({email for email in members(*groups).values_list("email", flat=True) if email})


def group_names(user):
    """The names of ``user``'s groups, read once per user object: a request asks many times."""
    cached = getattr(user, "_role_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        try:
            user._role_group_names = cached
        except AttributeError:  # an object that takes no attributes: read every time
            pass
    return cached


def holds_role(user, *groups):
    """Whether ``user`` is an active, signed-in superuser or a member of any of ``groups``."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or bool(group_names(user) & set(groups))
