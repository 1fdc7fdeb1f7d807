"""Cases through their life with the services: permissions, deadlines of each step, the log."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

import pytest

from newsroom.casework.services import cases
from newsroom.casework.services.answers import start_answer
from newsroom.models import Answer, Case, CaseEvent, RegulationProfile
from newsroom.organisation import organisation_settings
from tests.factories import DepartmentFactory, UserFactory

MSK = ZoneInfo("Europe/Moscow")


@pytest.fixture
def people(site_tree):
    unit = DepartmentFactory(
        name="Комитет ЖКХ",
        short_name="ЖКХ-с",
        slug="zhkh-s",
        competence="водопровод, отопление, дороги",
    )
    return {
        "curator": UserFactory(username="curator", groups=["Кураторы"]),
        "editor": UserFactory(username="editor", groups=["Редакторы"]),
        "executor": UserFactory(username="executor", groups=["Исполнители", unit.group_name]),
        "other_executor": UserFactory(username="other", groups=["Исполнители"]),
        "unit": unit,
    }


def use_profile(name):
    settings = organisation_settings()
    settings.message_profile = RegulationProfile.objects.get(name=name)
    settings.save()


def register(text="Третий день нет воды на улице Мира, когда починят водопровод?", **fields):
    data = {
        "network": "vk",
        "text": text,
        "detected_at": timezone.now(),
        "author_id": "id100",
        **fields,
    }
    return cases.register_case(data, source="test")[0]


def route(case, people):
    return cases.apply(case.pk, "route", people["curator"], executor=people["executor"])


def approved_answer(case, people, kind="final"):
    """Drafts, submits and approves an answer the way the workflow does."""
    answer = start_answer(case.pk, people["executor"])
    answer.kind = kind
    answer.text = "Водопровод починили 21 ноября, вода есть."
    answer.save_revision(user=people["executor"])
    for action, user in [
        ("submit_draft", people["executor"]),
        ("press_approve", people["editor"]),
        ("curator_approve", people["curator"]),
    ]:
        cases.apply(case.pk, action, user)
    answer.save_revision(user=people["curator"]).publish()
    return answer


@pytest.mark.django_db
def test_routing_assigns_executor_and_unit_and_logs(people):
    case = route(register(), people)
    assert case.status == "routed"
    assert case.executor == people["executor"]
    assert case.unit == people["unit"]
    event = case.events.get(action="route")
    assert (event.actor, event.from_status, event.to_status) == (people["curator"], "new", "routed")


@pytest.mark.django_db
def test_executor_cannot_route_and_nothing_changes(people):
    case = register()
    with pytest.raises(cases.CaseError, match="нет права"):
        cases.apply(case.pk, "route", people["executor"], executor=people["executor"])
    case.refresh_from_db()
    assert case.status == "new" and case.executor is None
    assert not case.events.filter(action="route").exists()


@pytest.mark.django_db
def test_routing_needs_an_executor(people):
    with pytest.raises(cases.CaseError, match="Исполнители"):
        cases.apply(register().pk, "route", people["curator"], executor=people["editor"])


@pytest.mark.django_db
def test_only_the_assigned_executor_works_on_the_case(people):
    case = route(register(), people)
    with pytest.raises(cases.CaseError):
        cases.apply(case.pk, "start_drafting", people["other_executor"])
    assert cases.apply(case.pk, "start_drafting", people["executor"]).status == "drafting"


@pytest.mark.django_db
def test_an_executor_sees_only_their_own_cases(people):
    mine = route(register(), people)
    theirs = cases.apply(
        register(text="Яма на дороге").pk,
        "route",
        people["curator"],
        executor=people["other_executor"],
    )
    visible = set(Case.objects.visible_to(people["executor"]))
    assert mine in visible and theirs not in visible
    assert set(Case.objects.visible_to(people["curator"])) >= {mine, theirs}


@pytest.mark.django_db
def test_full_path_to_a_posted_final_answer(people):
    case = route(register(), people)
    approved_answer(case, people)
    case = cases.apply(
        case.pk, "post_answer", people["executor"], answer_url="https://vk.com/wall-1_2?reply=3"
    )
    assert case.status == "answered"
    assert case.answered_at is not None and case.answer_url.endswith("reply=3")
    assert case.next_due is None
    actions = list(case.events.values_list("action", flat=True))
    for step in [
        "registered",
        "route",
        "start_drafting",
        "submit_draft",
        "press_approve",
        "curator_approve",
        "post_answer",
    ]:
        assert step in actions


@pytest.mark.django_db
def test_posting_needs_a_link(people):
    case = route(register(), people)
    approved_answer(case, people)
    with pytest.raises(cases.CaseError, match="ссылку"):
        cases.apply(case.pk, "post_answer", people["executor"], answer_url="vk wall")


@pytest.mark.django_db
def test_rework_term_after_a_return_r9(people):
    use_profile("Мясниковский район (2019)")
    case = route(register(), people)
    start_answer(case.pk, people["executor"])
    cases.apply(case.pk, "submit_draft", people["executor"])
    case.refresh_from_db()
    assert case.forward_due is not None  # R8: forward to the curator within 30 minutes
    before = timezone.now()
    case = cases.apply(case.pk, "press_return", people["editor"], comment="Нет сроков ремонта.")
    assert case.status == "rework"
    assert (
        before + datetime.timedelta(minutes=29)
        < case.rework_due
        <= timezone.now() + datetime.timedelta(minutes=30)
    )
    assert case.next_due == min(case.rework_due, case.answer_due)


@pytest.mark.django_db
def test_a_return_needs_a_comment(people):
    case = route(register(), people)
    start_answer(case.pk, people["executor"])
    cases.apply(case.pk, "submit_draft", people["executor"])
    with pytest.raises(cases.CaseError, match="комментарий"):
        cases.apply(case.pk, "press_return", people["editor"], comment=" ")


@pytest.mark.django_db
def test_interim_answer_then_final_within_seven_working_days_r10(people):
    use_profile("Ключевский район (2021)")
    case = route(register(), people)
    approved_answer(case, people, kind="interim")
    case = cases.apply(
        case.pk, "post_answer", people["executor"], answer_url="https://vk.com/wall-1_2?reply=4"
    )
    assert case.status == "awaiting_final"
    assert case.final_due is not None and case.next_due == case.final_due
    local_final = timezone.localtime(case.final_due)
    assert local_final.hour == 18  # the close of a working day
    # The executor starts the final answer from the same case.
    draft = start_answer(case.pk, people["executor"])
    assert draft.kind == "final"
    assert Case.objects.get(pk=case.pk).status == "drafting"


@pytest.mark.django_db
def test_no_interim_answers_where_the_regulation_has_none(people):
    use_profile("Мясниковский район (2019)")
    case = route(register(), people)
    approved_answer(case, people, kind="interim")
    with pytest.raises(cases.CaseError, match="промежуточных"):
        cases.apply(case.pk, "post_answer", people["executor"], answer_url="https://vk.com/x")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("profile", "reason", "allowed"),
    [
        ("Ключевский район (2021)", "obscenity", True),
        ("Джумайловское с.п. (2020)", "threat", True),
        ("Мясниковский район (2019)", "insult", False),
        ("Мясниковский район (2019)", "spam", True),
    ],
)
def test_no_answer_rule_r13(people, profile, reason, allowed):
    use_profile(profile)
    case = register()
    if not allowed:
        with pytest.raises(cases.CaseError, match="Регламент не позволяет"):
            cases.apply(case.pk, "propose_no_answer", people["editor"], reason=reason)
        return
    case = cases.apply(case.pk, "propose_no_answer", people["editor"], reason=reason, comment="Мат")
    assert case.status == "no_answer_proposed"
    with pytest.raises(cases.CaseError, match="нет права"):
        cases.apply(case.pk, "confirm_no_answer", people["editor"])
    case = cases.apply(case.pk, "confirm_no_answer", people["curator"])
    assert case.status == "closed_no_answer" and not case.is_open


@pytest.mark.django_db
def test_curator_can_reject_a_no_answer_proposal(people):
    case = route(register(), people)
    cases.apply(case.pk, "propose_no_answer", people["executor"], reason="spam")
    case = cases.apply(
        case.pk, "reject_no_answer", people["curator"], comment="Это не спам, ответьте."
    )
    assert case.status == "routed" and case.no_answer_reason == ""


@pytest.mark.django_db
def test_repeated_message_is_linked_and_goes_to_the_same_executor_r11(people):
    use_profile("Ключевский район (2021)")
    first = route(register(), people)
    again = register(text="Опять нет воды на Мира! Водопровод так и не починили", author_id="id100")
    assert again.repeated_of == first
    assert again.events.filter(action="linked_repeat").exists()
    suggested = cases.suggest_executors(again)
    assert suggested[0][0] == people["executor"]
    assert "первому сообщению" in suggested[0][1]


@pytest.mark.django_db
def test_unrelated_messages_are_not_repeats(people):
    route(register(), people)
    other = register(text="Спасибо за новую детскую площадку в парке!", author_id="id100")
    assert other.repeated_of is None


@pytest.mark.django_db
def test_executor_suggested_by_unit_competence(people):
    case = register(text="Когда включат отопление в доме 5?", author_id="")
    suggested = [user for user, _reason in cases.suggest_executors(case)]
    assert suggested == [people["executor"]]


@pytest.mark.django_db
def test_registration_is_idempotent(people):
    data = {
        "network": "vk",
        "text": "Нет света",
        "detected_at": timezone.now(),
        "external_id": "m-1",
    }
    first, created = cases.register_case(dict(data), source="monitor")
    again, created_again = cases.register_case(dict(data), source="monitor")
    assert created and not created_again and first.pk == again.pk
    assert Case.objects.count() == 1
    assert CaseEvent.objects.filter(action="registered").count() == 1


@pytest.mark.django_db
def test_answers_follow_the_case_visibility(people):
    from newsroom.casework.permissions import AnswerPermissionPolicy

    case = route(register(), people)
    answer = start_answer(case.pk, people["executor"])
    policy = AnswerPermissionPolicy(Answer)
    assert policy.user_has_permission_for_instance(people["executor"], "change", answer)
    assert not policy.user_has_permission_for_instance(people["other_executor"], "change", answer)
    assert not policy.user_has_permission(people["executor"], "add")
    assert answer in policy.instances_user_has_permission_for(people["executor"], "change")
    assert answer not in policy.instances_user_has_permission_for(
        people["other_executor"], "change"
    )


@pytest.mark.django_db
def test_a_chain_of_repeats_leads_to_the_first_case(people):
    use_profile("Ключевский район (2021)")
    first = route(register(), people)
    second = register(
        text="Опять нет воды на Мира! Водопровод так и не починили", author_id="id100"
    )
    third = register(
        text="Третий раз пишу: нет воды на Мира, водопровод не починили", author_id="id100"
    )
    assert second.repeated_of == first
    assert third.repeated_of == first


@pytest.mark.django_db
def test_only_the_assigned_executor_starts_the_answer(people):
    case = route(register(), people)
    with pytest.raises(cases.CaseError, match="назначенный"):
        start_answer(case.pk, people["other_executor"])
    with pytest.raises(cases.CaseError, match="назначенный"):
        start_answer(case.pk, people["curator"])


@pytest.mark.django_db
def test_rerouting_suggests_someone_else(people):
    case = route(register(text="Когда включат отопление?", author_id=""), people)
    assert people["executor"] not in [user for user, _ in cases.suggest_executors(case)]
