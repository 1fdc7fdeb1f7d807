"""The lifecycle table itself: who may take which step from which status (pure, no database)."""

import pytest

from newsroom.casework.rules.lifecycle import (
    OPEN_STATUSES,
    STATUS_LABELS,
    TRANSITIONS,
    Role,
    Status,
    TransitionError,
    available,
    check,
)

# (action, status it starts from, roles that may, roles that may not)
MATRIX = [
    ("route", Status.NEW, {Role.CURATOR, Role.EDITOR, Role.ADMIN}, {Role.EXECUTOR}),
    ("reroute", Status.DRAFTING, {Role.CURATOR, Role.ADMIN}, {Role.EDITOR, Role.EXECUTOR}),
    ("start_drafting", Status.ROUTED, {Role.EXECUTOR}, {Role.CURATOR, Role.EDITOR}),
    ("submit_draft", Status.DRAFTING, {Role.EXECUTOR}, {Role.CURATOR, Role.EDITOR}),
    ("submit_draft", Status.REWORK, {Role.EXECUTOR}, {Role.CURATOR}),
    (
        "press_approve",
        Status.PRESS_REVIEW,
        {Role.EDITOR, Role.ADMIN},
        {Role.CURATOR, Role.EXECUTOR},
    ),
    ("press_return", Status.PRESS_REVIEW, {Role.EDITOR}, {Role.EXECUTOR}),
    (
        "curator_approve",
        Status.CURATOR_REVIEW,
        {Role.CURATOR, Role.ADMIN},
        {Role.EDITOR, Role.EXECUTOR},
    ),
    ("curator_return", Status.CURATOR_REVIEW, {Role.CURATOR}, {Role.EDITOR, Role.EXECUTOR}),
    ("post_answer", Status.APPROVED, {Role.EXECUTOR, Role.EDITOR}, {Role.CURATOR}),
    ("propose_no_answer", Status.ROUTED, {Role.EXECUTOR, Role.EDITOR, Role.CURATOR}, set()),
    (
        "confirm_no_answer",
        Status.NO_ANSWER_PROPOSED,
        {Role.CURATOR, Role.ADMIN},
        {Role.EDITOR, Role.EXECUTOR},
    ),
    ("reject_no_answer", Status.NO_ANSWER_PROPOSED, {Role.CURATOR}, {Role.EDITOR, Role.EXECUTOR}),
]


@pytest.mark.parametrize(("action", "status", "allowed", "refused"), MATRIX)
def test_permission_matrix(action, status, allowed, refused):
    for role in allowed:
        assert check(action, status, {role}).name == action
    for role in refused:
        with pytest.raises(TransitionError, match="нет права"):
            check(action, status, {role})


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_no_step_from_a_closed_case(action):
    for status in (Status.ANSWERED, Status.CLOSED_NO_ANSWER):
        with pytest.raises(TransitionError, match="недоступно"):
            check(action, status, set(Role))


def test_wrong_status_is_explained_in_russian():
    with pytest.raises(TransitionError) as error:
        check("curator_approve", Status.NEW, {Role.CURATOR})
    assert "«Новое»" in str(error.value)


def test_unknown_action():
    with pytest.raises(TransitionError, match="Неизвестное действие"):
        check("teleport", Status.NEW, {Role.ADMIN})


def test_every_status_has_a_label_and_every_open_status_a_way_forward():
    assert set(STATUS_LABELS) == set(Status)
    for status in OPEN_STATUSES:
        assert available(status, set(Role)), status


def test_returns_need_a_comment():
    assert TRANSITIONS["press_return"].needs_comment
    assert TRANSITIONS["curator_return"].needs_comment
    assert not TRANSITIONS["route"].needs_comment
