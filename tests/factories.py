"""Factories for test data shared across apps."""

import datetime
import io

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.utils import timezone

import factory
import wagtail_factories
from PIL import Image as PILImage

from newsroom.models import (
    Department,
    DepartmentNewsIndexPage,
    EventIndexPage,
    EventPage,
    HeadSectionPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
)


def jpeg_bytes(size=(64, 48), colour=(30, 60, 90)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.ru")
    first_name = factory.Faker("first_name", locale="ru_RU")
    last_name = factory.Faker("last_name", locale="ru_RU")
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))
        self.save()


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Тестовый отдел {n}")
    short_name = factory.Sequence(lambda n: f"Отдел {n}")
    slug = factory.Sequence(lambda n: f"test-unit-{n}")


class ImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Изображение {n}")
    file = factory.LazyFunction(lambda: ImageFile(io.BytesIO(jpeg_bytes()), name="photo.jpg"))


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Администрация района"


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsIndexPage

    title = "Новости"
    slug = "news"


class DepartmentNewsIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = DepartmentNewsIndexPage

    department = factory.SubFactory(DepartmentFactory)
    title = factory.LazyAttribute(lambda o: o.department.name)
    slug = factory.LazyAttribute(lambda o: o.department.slug)


class NewsPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsPage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Новость номер {n}")
    lead = "В районе отремонтировали дорогу."
    date = factory.Sequence(lambda n: timezone.now() - datetime.timedelta(hours=n))
    main_image = factory.SubFactory(ImageFactory)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)
            self.save()


class EventIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = EventIndexPage

    title = "События"
    slug = "events"


class EventPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = EventPage

    title = factory.Sequence(lambda n: f"Событие {n}")
    kind = "meeting"
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=2))
    place = "Администрация района"


class HeadSectionPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HeadSectionPage

    title = "Глава района"
    slug = "glava-rajona"
    head_kind = "district"
    person_name = "Иванов Иван Иванович"
    position = "Глава района"
