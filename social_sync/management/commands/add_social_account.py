"""Adds an official account in a social network, or updates the one with the same network, kind
and ID.

Secrets are read only from environment variables named on the command line (``--token-env
VK_TOKEN``), never from the arguments themselves, so that they stay out of the shell history and
the process list; they are never printed.
"""

import os
import re

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator
from django.db import transaction

from newsroom.networks import ACCOUNT_NETWORKS
from social_sync.admin_forms import credential_problems, normalise_owner_id, store_credentials
from social_sync.models import SECRET_FIELDS, AccountKind, SocialAccount

# Which option gives each field: for messages about them.
OPTIONS = {
    "access_token": "--token-env",
    "refresh_token": "--refresh-token-env",
    "vk_client_id": "--vk-client-id",
    "vk_device_id": "--vk-device-id-env",
    "ok_application_key": "--ok-app-key",
    "ok_application_secret": "--ok-app-secret-env",
    "ok_session_secret": "--ok-session-secret-env",
}
NORM_MAX = 32767
ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]{0,63}")


class Command(BaseCommand):
    help = (
        "Добавляет официальный аккаунт во ВКонтакте или Одноклассниках, а если аккаунт с той же "
        "сетью, видом и ID уже есть — обновляет его. Ключи читаются только из переменных "
        "окружения, названных в параметрах *-env, и никогда не печатаются. Без ключа доступа "
        "аккаунт работает в песочнице."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--network",
            required=True,
            choices=[value for value, _label in ACCOUNT_NETWORKS],
            help="vk или ok.",
        )
        parser.add_argument(
            "--kind",
            required=True,
            choices=AccountKind.values,
            help="community — сообщество (группа), person — личная страница Главы.",
        )
        parser.add_argument(
            "--owner-id", required=True, help="ID сообщества или пользователя, только цифры."
        )
        parser.add_argument("--name", required=True, help="Название аккаунта.")
        parser.add_argument("--link", help="Ссылка на аккаунт, https://…")
        parser.add_argument(
            "--token-env", metavar="VAR", help="Переменная окружения с ключом доступа."
        )
        parser.add_argument(
            "--refresh-token-env",
            metavar="VAR",
            help="ВКонтакте: переменная окружения с ключом обновления VK ID.",
        )
        parser.add_argument("--vk-client-id", metavar="ID", help="ВКонтакте: ID приложения VK ID.")
        parser.add_argument(
            "--vk-device-id-env",
            metavar="VAR",
            help="ВКонтакте: переменная окружения с device_id VK ID.",
        )
        parser.add_argument(
            "--ok-app-key", metavar="KEY", help="Одноклассники: публичный ключ приложения."
        )
        parser.add_argument(
            "--ok-app-secret-env",
            metavar="VAR",
            help="Одноклассники: переменная окружения с секретным ключом приложения.",
        )
        parser.add_argument(
            "--ok-session-secret-env",
            metavar="VAR",
            help="Одноклассники: переменная окружения с секретом сессии (необязательно).",
        )
        parser.add_argument(
            "--weekly-norm", type=int, metavar="N", help="Норма публикаций в неделю (2, 5…)."
        )
        parser.add_argument(
            "--no-auto",
            action="store_true",
            help="Не публиковать материалы сайта автоматически.",
        )
        parser.add_argument("--events", action="store_true", help="Публиковать и анонсы событий.")

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # No abbreviations: «--token SECRET» must fail, not be read as «--token-env SECRET».
        parser.allow_abbrev = False

        def parse_args(args=None, namespace=None):
            # argparse repeats unknown arguments in its error, and one may be a secret.
            namespace, extras = parser.parse_known_args(args, namespace)
            if extras:
                names = [arg.split("=", 1)[0] for arg in extras if arg.startswith("-")]
                parser.error(
                    "неизвестные параметры: %s. Ключи передаются только через переменные "
                    "окружения (--token-env и другие параметры *-env); значения не показаны."
                    % (", ".join(names) or "лишние значения без параметра")
                )
            return namespace

        parser.parse_args = parse_args
        return parser

    def read_env(self, option, variable):
        if not variable:
            return ""
        if not ENV_NAME.fullmatch(variable):
            # Perhaps the secret itself was typed in: say nothing of what was given.
            raise CommandError(
                "%s ждёт имя переменной окружения (заглавные латинские буквы, цифры и _), "
                "а не сам ключ. Ключ передаётся так: export VK_TOKEN='…', затем %s VK_TOKEN."
                % (option, option)
            )
        value = os.environ.get(variable, "").strip()
        if not value:
            raise CommandError(
                "Переменная окружения %s (%s) не задана или пуста. Задайте её, например: "
                "export %s='…', и запустите команду ещё раз." % (variable, option, variable)
            )
        return value

    def handle(self, *args, **options):
        network, kind = options["network"], options["kind"]
        try:
            owner_id = normalise_owner_id(options["owner_id"], network)
        except ValidationError as error:
            raise CommandError("--owner-id: %s" % " ".join(error.messages)) from error
        name = (options["name"] or "").strip()
        if not name:
            raise CommandError("--name: укажите название аккаунта.")
        if len(name) > SocialAccount._meta.get_field("name").max_length:
            raise CommandError("--name: название длиннее 255 символов.")
        link = (options["link"] or "").strip()
        if link:
            try:
                URLValidator(schemes=["http", "https"])(link)
            except ValidationError as error:
                raise CommandError(
                    "--link: «%s» — не ссылка; нужна ссылка вида https://vk.com/…" % link
                ) from error
        norm = options["weekly_norm"]
        if norm is not None and not 0 <= norm <= NORM_MAX:
            raise CommandError("--weekly-norm: нужно число от 0 до %d." % NORM_MAX)

        secrets = {
            "access_token": self.read_env("--token-env", options["token_env"]),
            "refresh_token": self.read_env("--refresh-token-env", options["refresh_token_env"]),
            "ok_application_secret": self.read_env(
                "--ok-app-secret-env", options["ok_app_secret_env"]
            ),
            "ok_session_secret": self.read_env(
                "--ok-session-secret-env", options["ok_session_secret_env"]
            ),
        }
        device_id = self.read_env("--vk-device-id-env", options["vk_device_id_env"])
        client_id = (options["vk_client_id"] or "").strip()
        app_key = (options["ok_app_key"] or "").strip()

        with transaction.atomic():
            account = (
                SocialAccount.objects.select_for_update()
                .filter(network=network, kind=kind, owner_id=owner_id)
                .first()
            )
            created = account is None
            if created:
                account = SocialAccount(network=network, kind=kind, owner_id=owner_id)
            account.name = name
            if link:
                account.link = link
            if norm is not None:
                account.weekly_norm = norm
            if options["no_auto"]:
                account.auto_crosspost = False
            if options["events"]:
                account.post_events = True
            if client_id:
                account.vk_client_id = client_id
            if device_id:
                account.vk_device_id = device_id
            if app_key:
                account.ok_application_key = app_key

            def has(secret):
                return bool(secrets[secret]) or account.has_secret(secret)

            problems = credential_problems(
                network,
                access=has("access_token"),
                refresh=has("refresh_token"),
                client_id=account.vk_client_id,
                device_id=account.vk_device_id,
                ok_key=account.ok_application_key,
                ok_secret=has("ok_application_secret"),
                ok_session=has("ok_session_secret"),
            )
            if problems:
                raise CommandError(
                    "\n".join("%s: %s" % (OPTIONS[field], message) for field, message in problems)
                )
            replaced = store_credentials(account, secrets)
            account.save()

        self.report(account, created, replaced)

    def report(self, account, created, replaced):
        write = self.stdout.write
        what = "«%s» (%s, %s, ID %s), номер %d" % (
            account.name,
            account.get_network_display(),
            account.get_kind_display(),
            account.owner_id,
            account.pk,
        )
        write(("Аккаунт создан: %s." if created else "Аккаунт обновлён: %s.") % what)
        if replaced:
            write("Сохранены ключи: %s." % ", ".join(str(SECRET_FIELDS[n]) for n in replaced))
        if account.is_sandbox:
            write(
                "Аккаунт работает в песочнице: ключей для публикации нет, посты записываются в "
                "системе и никуда не отправляются."
            )
        else:
            write("Аккаунт публикует в соцсеть: ключи доступа сохранены (в зашифрованном виде).")
            if account.can_refresh:
                write("Ключ VK ID будет обновляться автоматически.")
        write(
            "Автоматическая публикация материалов сайта: %s; новости: %s; события: %s; "
            "норма — %d в неделю."
            % (
                "да" if account.auto_crosspost else "нет",
                "да" if account.post_news else "нет",
                "да" if account.post_events else "нет",
                account.weekly_norm,
            )
        )
