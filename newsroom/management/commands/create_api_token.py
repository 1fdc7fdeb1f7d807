"""Issues a token of the intake API to a monitoring system.

Each integration is a service user ``integration-<name>``: no password, no admin access, only the
permissions to register cases and to read them. Its username is the ``source`` of the cases it
sends, so two integrations may use the same ``external_id`` without clashing.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from wagtail.log_actions import log
from wagtail.models import APIToken

from newsroom.models import Case

USERNAME_PREFIX = "integration-"
PERMISSIONS = ("add_case", "view_case")
SOURCE_MAX_LENGTH = Case._meta.get_field("source").max_length

CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch  y  e iu ia".split(" "),
        strict=True,
    )
)


def transliterate(text):
    return "".join(CYRILLIC.get(char, char) for char in text.lower())


def username_for(name):
    slug = slugify(transliterate(name))
    if not slug:
        raise CommandError(
            "Из названия «%s» не получается имя пользователя: нужны буквы или цифры." % name
        )
    username = USERNAME_PREFIX + slug
    if len(username) > SOURCE_MAX_LENGTH:
        raise CommandError(
            "Название слишком длинное: имя пользователя «%s» длиннее %d символов. "
            "Выберите название короче." % (username, SOURCE_MAX_LENGTH)
        )
    return username


class Command(BaseCommand):
    help = (
        "Выпускает токен API приёма сообщений для системы мониторинга: создаёт (или берёт "
        "существующего) служебного пользователя integration-<название> и печатает токен один раз."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="Название интеграции, например «Медиалогия».")
        parser.add_argument(
            "--description", default="", help="Для чего токен: сохраняется в журнале действий."
        )
        parser.add_argument(
            "--revoke-others",
            action="store_true",
            help="Отозвать прежние действующие токены этой интеграции.",
        )

    @transaction.atomic
    def handle(self, *args, name, description, revoke_others, **options):
        name = name.strip()
        if not name:
            raise CommandError("Укажите название интеграции.")
        user, created = self.service_user(name)
        previous = APIToken.objects.filter(user=user, revoked_at__isnull=True)
        previous_count = previous.count()

        token, plaintext = APIToken.create_token(user=user, name=name[:255])
        log(
            token,
            "wagtail.apitoken.create",
            data={"source": "create_api_token", "description": description},
        )
        revoked = 0
        if revoke_others:
            for old in previous.exclude(pk=token.pk):
                old.revoked_at = timezone.now()
                old.save(update_fields=["revoked_at"])
                log(old, "wagtail.apitoken.revoke", data={"source": "create_api_token"})
                revoked += 1

        write = self.stdout.write
        if created:
            write("Создан служебный пользователь «%s»." % user.get_username())
        else:
            write(
                "Служебный пользователь «%s» уже есть: ему выдан ещё один токен "
                "(действующих токенов до этого: %d)." % (user.get_username(), previous_count)
            )
        if revoke_others:
            write("Отозвано прежних токенов: %d." % revoked)
        elif previous_count:
            write(
                "Прежние токены продолжают действовать; чтобы отозвать их, запустите команду "
                "с --revoke-others или отзовите их командой «manage.py api_tokens revoke»."
            )
        write("Токен «%s» (начинается с %s):" % (token.name, token.prefix))
        write(plaintext)
        write(
            "Токен показан один раз: в базе хранится только его хеш, восстановить его нельзя. "
            "Сохраните его в настройках системы мониторинга; она передаёт его в заголовке "
            "«Authorization: Bearer <токен>» при POST /api/v1/messages/."
        )

    def service_user(self, name):
        User = get_user_model()
        username = username_for(name)
        user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        created = user is None
        if created:
            user = User(**{User.USERNAME_FIELD: username}, is_active=True, is_staff=False)
            user.last_name = name[:150]
            user.first_name = "Интеграция"
            user.set_unusable_password()
            user.save()
        elif user.has_usable_password() or user.is_staff or user.is_superuser:
            raise CommandError(
                "Пользователь «%s» уже есть, но это не служебная учётная запись интеграции "
                "(у него есть пароль или доступ в админку). Выберите другое название." % username
            )
        elif not user.is_active:
            raise CommandError(
                "Служебный пользователь «%s» отключён. Включите его в админке, если интеграция "
                "снова нужна, и запустите команду ещё раз." % username
            )
        user.user_permissions.add(
            *Permission.objects.filter(content_type__app_label="newsroom", codename__in=PERMISSIONS)
        )
        return user, created
