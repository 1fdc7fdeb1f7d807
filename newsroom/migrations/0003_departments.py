"""Seeds the structural units of the administration (Ключевский район, постановление от
25.01.2021 № 36, приложение 2) and gives each its group «Подразделение: …»."""

from django.db import migrations

DEPARTMENTS = [
    ("Социальные вопросы", "Соцвопросы", "social", "Зюзина Любовь Александровна", "Заместитель главы администрации района по социальным вопросам"),
    ("Жилищно-коммунальное хозяйство, строительство и транспорт", "ЖКХ", "housing", "Кушнерев Иван Иванович", "Заместитель главы администрации района по оперативному управлению, жилищно-коммунальному хозяйству, строительству и транспорту"),
    ("Управление делами администрации района", "Управделами", "affairs", "Сенина Светлана Витальевна", "Управляющий делами администрации района"),
    ("Управление сельского хозяйства и продовольствия", "Сельское хозяйство", "agriculture", "Жадько Игорь Владимирович", "Начальник управления сельского хозяйства и продовольствия администрации района"),
    ("Управление по экономическому развитию и имущественным отношениям", "Экономика", "economy", "Удотенко Марина Владимировна", "Начальник управления по экономическому развитию и имущественным отношениям администрации района"),
    ("Комитет по финансам, налоговой и кредитной политике", "Финансы", "finance", "Котяева Елена Андреевна", "Председатель комитета по финансам, налоговой и кредитной политике администрации района"),
    ("Комитет по образованию", "Образование", "education", "Китанина Татьяна Ивановна", "Председатель комитета по образованию администрации района"),
    ("Комитет по культуре и молодёжной политике", "Культура", "culture", "Пятак Татьяна Александровна", "Председатель комитета по культуре и молодежной политике администрации района"),
    ("Отдел информационного обеспечения", "Информотдел", "information", "Леснов Евгений Александрович", "Начальник отдела информационного обеспечения управления делами администрации района"),
    ("Правовой отдел", "Правовой отдел", "legal", "Говорун Елена Александровна", "Начальник правового отдела администрации района"),
    ("Отдел по физической культуре и спорту", "Спорт", "sport", "Фролов Сергей Геннадьевич", "Начальник отдела по физической культуре и спорту администрации района"),
    ("Отдел по делам ГО ЧС и мобилизационной работе", "ГО и ЧС", "civil-defence", "Мельников Сергей Васильевич", "И. о. начальника отдела по делам ГО ЧС и мобилизационной работе администрации района"),
    ("Архивный отдел", "Архив", "archive", "Тарасова Татьяна Анатольевна", "И. о. начальника архивного отдела администрации района"),
]

DEPARTMENT_COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
)


def seed_departments(apps, schema_editor):
    Department = apps.get_model("newsroom", "Department")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    root_collection = Collection.objects.get(depth=1)
    collection_permissions = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in DEPARTMENT_COLLECTION_PERMISSIONS
    ]
    for name, short_name, slug, head_name, head_position in DEPARTMENTS:
        group, _ = Group.objects.get_or_create(name=f"Подразделение: {short_name}")
        group.permissions.add(access_admin)
        for permission in collection_permissions:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )
        Department.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_name": short_name,
                "head_name": head_name,
                "head_position": head_position,
                "group": group,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0002_roles_and_publication_workflow")]

    operations = [migrations.RunPython(seed_departments, migrations.RunPython.noop)]
