"""Builds the demo site: page tree, news, events, the Heads' sections and one user per role.

Running it again changes nothing: everything is looked up before it is created.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from newsroom import roles
from newsroom.demo import content, page_tree_ready
from newsroom.demo.images import landscape_jpeg
from newsroom.models import (
    AppealsPage,
    Department,
    DepartmentNewsIndexPage,
    EventIndexPage,
    EventKind,
    EventPage,
    HeadSectionPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    OrganisationSettings,
    SocialLink,
)

# An invented ОГРН with a correct check digit.
DEMO_OGRN = "1022201000018"

DEMO_USERS = [
    # username, first name, last name, groups, superuser
    ("admin", "Анна", "Администраторова", [roles.ADMINISTRATORS], True),
    ("editor", "Елена", "Редакторова", [roles.EDITORS], False),
    ("head", "Ольга", "Заведующая", [roles.HEAD_OF_PRESS_OFFICE], False),
    ("education", "Татьяна", "Китанина", ["Подразделение: Образование"], False),
    ("housing", "Иван", "Кушнерев", ["Подразделение: ЖКХ"], False),
    ("curator", "Марина", "Кураторова", [roles.CURATORS], False),
    ("executor", "Сергей", "Исполнителев", [roles.EXECUTORS, "Подразделение: ЖКХ"], False),
    ("accreditation", "Нина", "Проверяющая", [roles.ACCREDITATION], False),
]


def demo_password(username):
    return f"demo-{username}-2026"


def slug_for(title, used):
    base = slugify(title, allow_unicode=True)[:60].strip("-") or "news"
    slug, n = base, 2
    while slug in used:
        slug, n = f"{base}-{n}", n + 1
    used.add(slug)
    return slug


class Command(BaseCommand):
    help = "Создаёт демонстрационный сайт: дерево страниц, новости, события и пользователей."

    @transaction.atomic
    def handle(self, *args, **options):
        self.created = 0
        home = self.home_page()
        self.organisation_settings(home)
        news_index = self.child(
            home,
            NewsIndexPage,
            "news",
            title="Новости",
            intro="Новости администрации и подразделений района.",
        )
        event_index = self.child(
            home,
            EventIndexPage,
            "events",
            title="События",
            intro="Совещания, приёмы граждан, прямые эфиры и пресс-мероприятия.",
        )
        heads = {}
        for slug, kind, title, name, position, hours in content.HEADS:
            heads[slug] = self.child(
                home,
                HeadSectionPage,
                slug,
                title=title,
                head_kind=kind,
                person_name=name,
                position=position,
                reception_hours=hours,
            )
        # The main menu follows the tree: news, events, the Heads, appeals, then accreditation.
        self.child(
            home,
            AppealsPage,
            "obrashheniya",
            title="Обращения граждан",
            intro=content.APPEALS_INTRO,
            reception=content.APPEALS_RECEPTION,
        )
        areas = {}
        for department in Department.objects.all():
            areas[department.slug] = self.child(
                news_index,
                DepartmentNewsIndexPage,
                department.slug,
                title=department.name,
                department=department,
            )
        for _receiver, created in page_tree_ready.send(
            sender=self.__class__, home=home, heads=heads
        ):
            self.created += created or 0
        self.news(news_index, areas, heads)
        self.events(event_index)
        users = self.users()
        self.messages()
        self.stdout.write(
            self.style.SUCCESS(f"Демо-контент готов, создано объектов: {self.created}.")
        )
        self.stdout.write("Пользователи (логин / пароль / роль):")
        for username, groups in users:
            self.stdout.write(f"  {username:14} {demo_password(username):24} {', '.join(groups)}")

    def home_page(self):
        root = Page.get_first_root_node()
        home = HomePage.objects.first()
        if home is None:
            home = HomePage(
                title="Администрация Ключевского района",
                slug="home-page",
                intro="Официальный сайт администрации района: новости, события, обращения жителей.",
            )
            root.add_child(instance=home)
            home.save_revision().publish()
            self.created += 1
        # The demo site's links (posts, sitemap, og:url) lead where `make run` serves it, not to
        # the «localhost:80» of Wagtail's initial Site.
        address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        hostname = address.hostname or "localhost"
        port = address.port or (443 if address.scheme == "https" else 80)
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname=hostname,
                port=port,
                root_page=home,
                is_default_site=True,
                site_name="Администрация района",
            )
        elif (site.root_page_id, site.hostname, site.port) != (home.pk, hostname, port):
            site.root_page = home
            site.hostname, site.port = hostname, port
            site.site_name = "Администрация района"
            site.save()
        # Wagtail's stock welcome page is not part of this site.
        Page.objects.filter(
            depth=2, content_type__model="page", content_type__app_label="wagtailcore"
        ).delete()
        return home

    def organisation_settings(self, home):
        site = Site.objects.get(is_default_site=True)
        org = OrganisationSettings.for_site(site)
        if not org.address:
            org.name = "Администрация Ключевского района Алтайского края"
            org.address = "658980, Алтайский край, с. Ключи, ул. Центральная, 1"
            org.phone = "+7 (385-78) 2-14-41"
            org.email = "admin@kluchi.example"
            org.press_email = "press@kluchi.example"
            org.save()
        if not org.full_name:
            org.full_name = "Администрация Ключевского муниципального района Алтайского края"
            org.short_name = "Администрация Ключевского района"
            org.ogrn = DEMO_OGRN
            org.save()
        for network, title, url in content.SOCIAL_LINKS:
            _link, created = SocialLink.objects.get_or_create(
                settings=org, url=url, defaults={"network": network, "title": title}
            )
            self.created += created

    def child(self, parent, model, slug, **fields):
        existing = model.objects.child_of(parent).filter(slug=slug).first()
        if existing:
            return existing
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.created += 1
        return page

    def image(self, n, title):
        Image = get_image_model()
        existing = Image.objects.filter(title=title).first()
        if existing:
            return existing
        from io import BytesIO

        image = Image(title=title)
        image.file = ImageFile(BytesIO(landscape_jpeg(n)), name=f"demo-{n:02d}.jpg")
        image.save()
        self.created += 1
        return image

    def news(self, news_index, areas, heads):
        now = timezone.now()
        used = set(NewsPage.objects.values_list("slug", flat=True))
        for n, (title, lead, where, tags) in enumerate(content.NEWS):
            if NewsPage.objects.filter(title=title).exists():
                continue
            parent = heads.get(where) or areas.get(where) or news_index
            body = [("paragraph", RichText(p)) for p in content.BODY_PARAGRAPHS]
            if n % 3 == 0:
                body.insert(
                    1,
                    (
                        "quote",
                        {
                            "text": "Мы обещали сделать это к зиме — и сделали.",
                            "author": "Глава района",
                        },
                    ),
                )
            if n % 4 == 0:
                body.append(
                    (
                        "gallery",
                        {
                            "title": "Фотографии",
                            "images": [
                                {
                                    "image": self.image(100 + n * 2 + k, f"Демо: галерея {n}-{k}"),
                                    "caption": f"Снимок {k + 1}",
                                }
                                for k in range(2)
                            ],
                        },
                    )
                )
            page = NewsPage(
                title=title,
                slug=slug_for(title, used),
                lead=lead,
                date=now - datetime.timedelta(days=2 * n, hours=n),
                main_image=self.image(n, f"Демо: {title}"),
                body=body,
            )
            parent.add_child(instance=page)
            page.tags.add(*tags)
            page.save_revision().publish()
            self.created += 1

    def events(self, event_index):
        today = timezone.localdate()
        tz = timezone.get_current_timezone()
        for title, kind, day, hour, hours, place, participants in content.EVENTS:
            if EventPage.objects.filter(title=title).exists():
                continue
            start = datetime.datetime.combine(
                today + datetime.timedelta(days=day - 7), datetime.time(hour), tzinfo=tz
            )
            broadcast = kind == EventKind.BROADCAST
            if broadcast:  # ahead, so that its page takes questions
                start = datetime.datetime.combine(
                    today + datetime.timedelta(days=5), datetime.time(hour), tzinfo=tz
                )
            page = EventPage(
                title=title,
                slug=slugify(title, allow_unicode=True)[:60],
                kind=kind,
                start=start,
                end=start + datetime.timedelta(hours=hours),
                place=place,
                participants=participants,
                leadership=participants if "Глава" in participants else "",
                media_invited=kind in (EventKind.PRESS, EventKind.BROADCAST),
                speaker=participants if broadcast else "",
                takes_questions=broadcast,
            )
            event_index.add_child(instance=page)
            page.save_revision().publish()
            self.created += 1

    def messages(self):
        """A few citizens' messages in different states, so that the inbox has work in it."""
        from newsroom.casework.services import cases

        for slug, keywords in content.COMPETENCE.items():
            Department.objects.filter(slug=slug, competence="").update(competence=keywords)
        now = timezone.now()
        curator = get_user_model().objects.get(username="curator")
        executor = get_user_model().objects.get(username="executor")
        for external_id, network, author, text, hours_ago, kind in content.MESSAGES:
            detected = now - datetime.timedelta(hours=hours_ago)
            data = {
                "external_id": external_id,
                "network": network,
                "author_name": author,
                "author_id": author,
                "text": text,
                "detected_at": detected,
                "kind": kind,
                "url": f"https://vk.com/wall-1_{external_id[5:]}" if network == "vk" else "",
                "received_at": detected if kind == "pos_appeal" else None,
            }
            case, created = cases.register_case(data, source="demo")
            self.created += created
            if created and external_id in {"demo-2", "demo-4"}:
                cases.apply(case.pk, "route", curator, executor=executor)

    def users(self):
        User = get_user_model()
        result = []
        for username, first, last, groups, superuser in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create_user(
                    username=username,
                    email=f"{username}@kluchi.example",
                    first_name=first,
                    last_name=last,
                    password=demo_password(username),
                    is_superuser=superuser,
                    is_staff=superuser,
                )
                user.groups.set(Group.objects.filter(name__in=groups))
                self.created += 1
            result.append((username, groups))
        return result
