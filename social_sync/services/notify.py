"""Telling the editors when crossposting needs a person."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from newsroom import roles

logger = logging.getLogger(__name__)


def editor_emails():
    return roles.member_emails(roles.EDITORS, roles.ADMINISTRATORS)


def notify_editors(subject, message):
    """E-mails the editors once the current transaction commits."""

    def send():
        recipients = editor_emails()
        if not recipients:
            logger.warning("No editor has an e-mail address: %s", subject)
            return
        try:
            send_mail(subject, message, settings.DEFAULT_FROM_EMAIL, recipients)
        except Exception:  # the delivery outcome is already stored; mail is best effort
            logger.exception("Could not e-mail the editors: %s", subject)

    transaction.on_commit(send)


def delivery_failed(item, explanation):
    link = f"{settings.WAGTAILADMIN_BASE_URL}/admin/social/outbox/?state=failed"
    notify_editors(
        f"Не удалось отправить в {item.account.get_network_display()}: {item.page_title}",
        f"Материал «{item.page_title}» не отправлен в «{item.account.name}».\n\n"
        f"Причина: {explanation}\n\n"
        f"После исправления нажмите «Повторить» в очереди отправки: {link}",
    )


def credentials_problem(account, explanation, also=()):
    """One notice for an account put on hold, or for several sharing one login (``also``)."""
    accounts = [account, *also]
    names = ", ".join(f"«{a.name}» ({a.get_network_display()})" for a in accounts)
    links = "\n".join(
        f"{settings.WAGTAILADMIN_BASE_URL}/admin/snippets/social_sync/socialaccount/edit/{a.pk}/"
        for a in accounts
    )
    subject = (
        f"Нет доступа к аккаунту «{account.name}»"
        if not also
        else f"Нет доступа к аккаунтам: {', '.join(f'«{a.name}»' for a in accounts)}"
    )
    notify_editors(
        subject,
        f"Публикации в {names} остановлены.\n\n{explanation}\n\nОбновите ключи доступа: {links}",
    )


def images_left_out(item, note):
    link = f"{settings.WAGTAILADMIN_BASE_URL}/admin/social/outbox/"
    notify_editors(
        f"Опубликовано без изображения в {item.account.get_network_display()}: {item.page_title}",
        f"Материал «{item.page_title}» опубликован в «{item.account.name}», но не целиком.\n\n"
        f"{note}\n\nЗамените изображение в материале и сохраните его — пост изменится, "
        f"где соцсеть это позволяет. Очередь отправки: {link}",
    )


def norm_shortfall(monday, weeks):
    """One letter for all the accounts that will fall short of their norm this week."""
    from django.urls import reverse

    link = settings.WAGTAILADMIN_BASE_URL + reverse("social_sync:calendar")
    lines = "\n".join(
        f"— «{week.account.name}» ({week.account.get_network_display()}): {week.summary}, "
        f"{week.shortfall}"
        for week in weeks
    )
    notify_editors(
        f"Норма публикаций под угрозой: неделя с {monday:%d.%m.%Y}",
        f"До конца недели аккаунты не наберут нормы постов, если ничего не добавить:\n\n{lines}"
        f"\n\nВ счёт идут опубликованные (в том числе вручную), запланированные и одобренные к "
        f"публикации материалы. Календарь публикаций: {link}?week={monday:%Y-%m-%d}",
    )


def style_hold(page, rows):
    """The posts of a published page held back for its press-release text: one letter."""
    accounts = ", ".join(f"«{row.account.name}»" for row in rows)
    notify_editors(
        f"Не отправлено в соцсети: {page.title}",
        f"Материал «{page.title}» опубликован на сайте, но в {accounts} не отправлен.\n\n"
        f"{rows[0].last_error}",
    )
