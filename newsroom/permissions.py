"""Who may do what in the newsroom: groups of the departments and their news areas."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from newsroom import roles


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def ensure_department_group(department):
    """Gives the department a group «Подразделение: …» that can reach the admin and upload media."""
    from newsroom.models import Department

    name = department.group_name
    group = department.group
    if group is None:
        group, _ = Group.objects.get_or_create(name=name)
        Department.objects.filter(pk=department.pk).update(group=group)
        department.group = group
    elif group.name != name:
        group.name = name
        group.save(update_fields=["name"])
    group.permissions.add(_permission("wagtailadmin", "access_admin"))
    root_collection = Collection.get_first_root_node()
    for app_label, codename in roles.DEPARTMENT_COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root_collection, permission=_permission(app_label, codename)
        )
    return group


@transaction.atomic
def grant_department_area(area_page):
    """Lets the department's group write (not publish) in its news area, and only there."""
    department = area_page.department
    group = department.group or ensure_department_group(department)
    for codename in roles.DEPARTMENT_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group, page_id=area_page.pk, permission=_permission("wagtailcore", codename)
        )
    # An area handed to another department is no longer writable by the previous one.
    GroupPagePermission.objects.filter(
        page_id=area_page.pk, group__department__isnull=False
    ).exclude(group=group).delete()


def is_press_office(user):
    return roles.holds_role(user, roles.EDITORS, roles.HEAD_OF_PRESS_OFFICE, roles.ADMINISTRATORS)


def grant_administrators_everything():
    """«Администраторы — всё»: every model permission, and every permission over the root
    collection (images, documents and the collections themselves are governed per collection)."""
    group = Group.objects.filter(name=roles.ADMINISTRATORS).first()
    if group is None:
        return
    group.permissions.add(*Permission.objects.all())
    root_collection = Collection.get_first_root_node()
    if root_collection is None:
        return
    collection_scoped = Permission.objects.filter(
        content_type__app_label__in=("wagtailimages", "wagtaildocs", "wagtailcore"),
        codename__in=(
            "add_image",
            "change_image",
            "delete_image",
            "choose_image",
            "add_document",
            "change_document",
            "delete_document",
            "choose_document",
            "add_collection",
            "change_collection",
            "delete_collection",
        ),
    )
    for permission in collection_scoped:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root_collection, permission=permission
        )
