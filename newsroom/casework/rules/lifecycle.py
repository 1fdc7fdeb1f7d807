"""The life of a case (a citizen's message) as a state machine, in plain Python.

Every transition names the statuses it leaves from, the status it leads to, and the roles that may
take it. The Django side (``newsroom.casework.services.cases``) checks a user against this table, applies
the transition under a row lock and writes it to the case's log.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Status(enum.StrEnum):
    NEW = "new"
    ROUTED = "routed"
    DRAFTING = "drafting"
    PRESS_REVIEW = "press_review"
    CURATOR_REVIEW = "curator_review"
    REWORK = "rework"
    APPROVED = "approved"
    AWAITING_FINAL = "awaiting_final"
    ANSWERED = "answered"
    NO_ANSWER_PROPOSED = "no_answer_proposed"
    CLOSED_NO_ANSWER = "closed_no_answer"


STATUS_LABELS = {
    Status.NEW: "Новое",
    Status.ROUTED: "Назначен исполнитель",
    Status.DRAFTING: "Готовится ответ",
    Status.PRESS_REVIEW: "На проверке в пресс-службе",
    Status.CURATOR_REVIEW: "На согласовании у куратора",
    Status.REWORK: "На доработке",
    Status.APPROVED: "Ответ согласован",
    Status.AWAITING_FINAL: "Дан промежуточный ответ",
    Status.ANSWERED: "Ответ размещён",
    Status.NO_ANSWER_PROPOSED: "Предложено оставить без ответа",
    Status.CLOSED_NO_ANSWER: "Оставлено без ответа",
}

OPEN_STATUSES = frozenset(Status) - {Status.ANSWERED, Status.CLOSED_NO_ANSWER}


class Role(enum.StrEnum):
    CURATOR = "curator"
    EDITOR = "editor"  # the press office: editors and its head
    EXECUTOR = "executor"  # the executor assigned to this very case
    ADMIN = "admin"


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[Status]
    target: Status | None  # None: the target depends on the case (see the service)
    roles: frozenset[Role]
    needs_comment: bool = False


def _t(name, label, sources, target, roles, needs_comment=False):
    return Transition(name, label, frozenset(sources), target, frozenset(roles), needs_comment)


S, R = Status, Role
TRANSITIONS = {
    t.name: t
    for t in [
        _t("route", "Назначить исполнителя", {S.NEW}, S.ROUTED, {R.CURATOR, R.EDITOR, R.ADMIN}),
        _t(
            "reroute",
            "Передать другому исполнителю",
            {S.ROUTED, S.DRAFTING, S.REWORK, S.AWAITING_FINAL},
            S.ROUTED,
            {R.CURATOR, R.ADMIN},
        ),
        _t(
            "start_drafting",
            "Начать подготовку ответа",
            {S.ROUTED, S.AWAITING_FINAL},
            S.DRAFTING,
            {R.EXECUTOR},
        ),
        _t(
            "submit_draft",
            "Отправить проект ответа",
            {S.DRAFTING, S.REWORK},
            S.PRESS_REVIEW,
            {R.EXECUTOR},
        ),
        # Wagtail resumes a returned workflow at the task that returned it: back to the curator.
        _t(
            "resubmit_to_curator",
            "Отправить куратору после доработки",
            {S.REWORK},
            S.CURATOR_REVIEW,
            {R.EXECUTOR},
        ),
        # An answer edited during the curator's review goes back to the press office (Wagtail
        # restarts the workflow when an answer changes under review).
        _t(
            "back_to_press_review",
            "Изменён на согласовании: снова на проверку",
            {S.CURATOR_REVIEW},
            S.PRESS_REVIEW,
            {R.EXECUTOR, R.EDITOR, R.CURATOR, R.ADMIN},
        ),
        _t(
            "press_approve",
            "Одобрить (пресс-служба)",
            {S.PRESS_REVIEW},
            S.CURATOR_REVIEW,
            {R.EDITOR, R.ADMIN},
        ),
        _t(
            "press_return",
            "Вернуть на доработку",
            {S.PRESS_REVIEW},
            S.REWORK,
            {R.EDITOR, R.ADMIN},
            True,
        ),
        _t(
            "curator_approve",
            "Согласовать ответ",
            {S.CURATOR_REVIEW},
            S.APPROVED,
            {R.CURATOR, R.ADMIN},
        ),
        _t(
            "curator_return",
            "Вернуть на доработку",
            {S.CURATOR_REVIEW},
            S.REWORK,
            {R.CURATOR, R.ADMIN},
            True,
        ),
        # Posting the approved answer: final → answered, interim → awaiting the final one.
        _t(
            "post_answer",
            "Отметить ответ размещённым",
            {S.APPROVED},
            None,
            {R.EXECUTOR, R.EDITOR, R.ADMIN},
        ),
        _t(
            "propose_no_answer",
            "Предложить оставить без ответа",
            {S.NEW, S.ROUTED, S.DRAFTING, S.REWORK},
            S.NO_ANSWER_PROPOSED,
            {R.EXECUTOR, R.EDITOR, R.CURATOR, R.ADMIN},
            True,
        ),
        _t(
            "confirm_no_answer",
            "Подтвердить: без ответа",
            {S.NO_ANSWER_PROPOSED},
            S.CLOSED_NO_ANSWER,
            {R.CURATOR, R.ADMIN},
        ),
        _t(
            "reject_no_answer",
            "Отклонить: ответ нужен",
            {S.NO_ANSWER_PROPOSED},
            None,
            {R.CURATOR, R.ADMIN},
            True,
        ),
    ]
}


class TransitionError(Exception):
    """A transition that is not allowed; the message is for the user, in Russian."""


def check(transition_name: str, status: Status, roles: set[Role]) -> Transition:
    try:
        transition = TRANSITIONS[transition_name]
    except KeyError:
        raise TransitionError(f"Неизвестное действие: «{transition_name}».") from None
    if status not in transition.sources:
        raise TransitionError(
            f"Действие «{transition.label}» недоступно: обращение в статусе «{STATUS_LABELS[status]}»."
        )
    if not roles & transition.roles:
        raise TransitionError(f"У вас нет права на действие «{transition.label}».")
    return transition


def available(status: Status, roles: set[Role]) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources and roles & t.roles]
