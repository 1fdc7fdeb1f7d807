"""Creates the press office's groups and the «Публикация материалов» workflow.

The names and permission lists are written out here rather than imported, so that this migration
keeps doing what it did when the code around it changes.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Редакторы"
HEAD = "Заведующий отделом"
ADMINISTRATORS = "Администраторы"
OTHER_ROLES = ("Исполнители", "Кураторы", "Аккредитация")

PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page")
COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)
PRESS_OFFICE_MODEL_PERMISSIONS = (
    ("newsroom", "add_department"),
    ("newsroom", "change_department"),
    ("newsroom", "add_stylephrase"),
    ("newsroom", "change_stylephrase"),
    ("newsroom", "delete_stylephrase"),
    ("newsroom", "change_organisationsettings"),
    ("taggit", "add_tag"),
    ("taggit", "change_tag"),
)


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; this migration needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    def perm(app_label, codename):
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    access_admin = perm("wagtailadmin", "access_admin")
    root_page = Page.objects.get(depth=1)
    root_collection = Collection.objects.get(depth=1)

    # Wagtail's stock groups and workflow are replaced by the press office's own.
    Group.objects.filter(name__in=("Editors", "Moderators")).delete()
    Workflow.objects.filter(name="Moderators approval").update(active=False)

    groups = {}
    for name in (EDITORS, HEAD, ADMINISTRATORS, *OTHER_ROLES):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        groups[name] = group

    for name in (EDITORS, HEAD, ADMINISTRATORS):
        group = groups[name]
        for codename in PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=perm("wagtailcore", codename)
            )
        for app_label, codename in COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=perm(app_label, codename)
            )
        group.permissions.add(*(perm(a, c) for a, c in PRESS_OFFICE_MODEL_PERMISSIONS))

    groups[ADMINISTRATORS].permissions.add(*Permission.objects.all())

    task_type = ContentType.objects.get_for_model(GroupApprovalTask)
    editor_review, _ = GroupApprovalTask.objects.get_or_create(
        name="Проверка редактором", defaults={"content_type": task_type, "active": True}
    )
    editor_review.groups.set([groups[EDITORS]])
    head_sign_off, _ = GroupApprovalTask.objects.get_or_create(
        name="Утверждение заведующим отделом", defaults={"content_type": task_type, "active": True}
    )
    head_sign_off.groups.set([groups[HEAD]])

    workflow, _ = Workflow.objects.get_or_create(name="Публикация материалов", defaults={"active": True})
    WorkflowTask.objects.update_or_create(workflow=workflow, task=editor_review, defaults={"sort_order": 0})
    WorkflowTask.objects.update_or_create(workflow=workflow, task=head_sign_off, defaults={"sort_order": 1})
    WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
