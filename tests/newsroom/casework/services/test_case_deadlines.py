"""Every deadline rule (R4–R10, 59-FZ) of the shipped regulation profiles, through case registration."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from newsroom.casework.services import cases
from newsroom.models import Case, RegulationProfile
from newsroom.organisation import organisation_settings
from tests.factories import UserFactory

MSK = ZoneInfo("Europe/Moscow")
FRIDAY_4PM = datetime.datetime(2026, 11, 20, 16, 0, tzinfo=MSK)


def at(day, hour, minute=0):
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=MSK)


@pytest.fixture
def use_profile(site_tree):
    def use(name):
        settings = organisation_settings()
        settings.message_profile = RegulationProfile.objects.get(name=name)
        settings.save()
        return settings.message_profile

    return use


def register(**fields):
    data = {
        "network": "vk",
        "text": "На улице Мира третий день нет воды.",
        "detected_at": FRIDAY_4PM,
        **fields,
    }
    case, created = cases.register_case(data, source="test")
    assert created
    return case


def moscow(value):
    return value.astimezone(MSK) if value else None


@pytest.mark.django_db
class TestKluchevskyProfile:
    """Seed 004: 9 working hours from detection (p.6), draft 4 hours before (p.7), rework 1 hour (p.8)."""

    def test_answer_nine_working_hours_from_detection(self, use_profile):
        use_profile("Ключевский район (2021)")
        case = register()
        # Fri 16–18 (2 h) + Mon 9–13 (4 h) + 14–17 (3 h)
        assert moscow(case.answer_due) == at(23, 17)
        assert case.clock_started_at == FRIDAY_4PM

    def test_draft_due_four_working_hours_before_the_deadline(self, use_profile):
        use_profile("Ключевский район (2021)")
        case = register()
        assert moscow(case.draft_due) == at(
            23, 12
        )  # Mon 17:00 − (3 h after the break + 1 h before it)
        assert case.routing_due is None  # the regulation sets no routing term

    def test_message_on_saturday_counts_from_monday_opening(self, use_profile):
        use_profile("Ключевский район (2021)")
        case = register(detected_at=at(21, 11))
        assert moscow(case.answer_due) == at(24, 10)  # Mon 9–18 = 8 h, Tue 9–10 = 1 h


@pytest.mark.django_db
class TestMyasnikovskyProfile:
    """Seed 002: the clock starts on receipt from the curator; 24 calendar hours; 30-minute steps."""

    def test_clock_starts_on_receipt_and_runs_in_calendar_hours(self, use_profile):
        use_profile("Мясниковский район (2019)")
        received = at(20, 18, 30)
        case = register(detected_at=at(20, 9), received_at=received)
        assert case.clock_started_at == received
        assert moscow(case.answer_due) == at(21, 18, 30)  # Saturday counts
        assert moscow(case.routing_due) == at(20, 19)  # R4: 30 minutes
        assert moscow(case.draft_due) == at(21, 14, 30)  # R7: 4 calendar hours before

    def test_without_a_receipt_time_the_clock_starts_at_detection(self, use_profile):
        use_profile("Мясниковский район (2019)")
        case = register()
        assert case.clock_started_at == FRIDAY_4PM


@pytest.mark.django_db
class TestDzhumaylovskoyeProfile:
    """Seed 003: 8 working hours (p.6), 4 for a high-importance incident (p.7)."""

    def test_answer_eight_working_hours(self, use_profile):
        use_profile("Джумайловское с.п. (2020)")
        assert moscow(register().answer_due) == at(23, 16)

    def test_high_importance_incident_four_working_hours(self, use_profile):
        use_profile("Джумайловское с.п. (2020)")
        case = register(kind="high_importance")
        assert moscow(case.answer_due) == at(23, 11)  # Fri 2 h + Mon 9–11

    def test_shortened_pre_holiday_day(self, use_profile):
        use_profile("Джумайловское с.п. (2020)")
        case = register(detected_at=at(3, 15))
        # Tue 3 Nov ends at 17:00 (2 h), 4 Nov is a holiday, Thu 9–13 (4 h), 14–16 (2 h)
        assert moscow(case.answer_due) == at(5, 16)

    def test_messages_in_social_networks_are_not_59_fz_appeals(self, use_profile):
        profile = use_profile("Джумайловское с.п. (2020)")
        assert register(kind="incident").profile == profile


@pytest.mark.django_db
class TestAppeals:
    """59-FZ art. 12: 30 days from registration, extendable once by 30 days with notice."""

    def test_appeal_keeps_its_own_clock(self, use_profile):
        use_profile("Ключевский район (2021)")
        case = register(kind="pos_appeal", network="pos", received_at=at(2, 10))
        assert case.profile.name == "ПОС: обращение по 59-ФЗ"
        assert moscow(case.answer_due) == datetime.datetime(2026, 12, 2, 10, 0, tzinfo=MSK)

    def test_extended_once_with_a_recorded_notice(self, use_profile):
        curator = UserFactory(groups=["Кураторы"])
        case = register(kind="pos_appeal", network="pos", received_at=at(2, 10))
        case = cases.extend_appeal(case.pk, curator, "Уведомили автора письмом № 15.")
        # 1 January is a holiday (and so is 31 December 2026): the term ends on 30 December.
        assert moscow(case.answer_due) == datetime.datetime(2026, 12, 30, 18, 0, tzinfo=MSK)
        assert "пт 01.01.2027" in case.answer_due_note
        assert case.events.filter(action="extended", comment__contains="№ 15").exists()
        with pytest.raises(cases.CaseError, match="один раз"):
            cases.extend_appeal(case.pk, curator, "Ещё раз")

    def test_only_appeals_are_extended(self, use_profile):
        curator = UserFactory(groups=["Кураторы"])
        with pytest.raises(cases.CaseError, match="59-ФЗ"):
            cases.extend_appeal(register().pk, curator, "Уведомление")


@pytest.mark.django_db
def test_changing_the_profile_does_not_move_open_deadlines(use_profile):
    use_profile("Ключевский район (2021)")
    case = register()
    due = case.answer_due
    use_profile("Мясниковский район (2019)")
    case.refresh_from_db()
    assert case.answer_due == due

    curator = UserFactory(groups=["Кураторы"])
    case = cases.recompute_deadlines(case.pk, curator)
    assert moscow(case.answer_due) == at(21, 16)
    assert case.events.filter(action="recomputed").count() == 1


@pytest.mark.django_db
def test_only_a_curator_recomputes(use_profile):
    case = register()
    with pytest.raises(cases.CaseError):
        cases.recompute_deadlines(case.pk, UserFactory(groups=["Редакторы"]))


@pytest.mark.django_db
def test_a_local_day_off_moves_the_deadline(use_profile):
    from newsroom.models import CalendarOverride

    use_profile("Ключевский район (2021)")
    CalendarOverride.objects.create(
        date=datetime.date(2026, 11, 23), kind="day_off", note="День района"
    )
    assert moscow(register().answer_due) == at(24, 17)
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_recomputing_keeps_a_granted_extension(use_profile):
    curator = UserFactory(groups=["Кураторы"])
    case = register(kind="pos_appeal", network="pos", received_at=at(2, 10))
    cases.extend_appeal(case.pk, curator, "Уведомили автора.")
    case = cases.recompute_deadlines(case.pk, curator)
    # 2 Dec + 30 days + 30 days = 1 Jan, a holiday: the end moves back to 30 Dec
    assert moscow(case.answer_due) == datetime.datetime(2026, 12, 30, 18, 0, tzinfo=MSK)
    assert "01.01.2027" in case.answer_due_note


@pytest.mark.django_db
def test_no_extension_where_the_order_has_none(use_profile):
    appeals = RegulationProfile.objects.get(name="ПОС: обращение по 59-ФЗ")
    appeals.extension_amount, appeals.extension_unit = None, ""
    appeals.save()
    case = register(kind="pos_appeal", network="pos", received_at=at(2, 10))
    with pytest.raises(cases.CaseError, match="не предусмотрено"):
        cases.extend_appeal(case.pk, UserFactory(groups=["Кураторы"]), "Уведомление")


@pytest.mark.django_db
class TestTermsEndingOnADayOff:
    """A calendar-day term ending on a non-working day ends on the working day the profile says."""

    def appeal(self):
        case = register(kind="pos_appeal", network="pos", received_at=at(10, 10))
        assert moscow(case.answer_due) == datetime.datetime(2026, 12, 10, 10, 0, tzinfo=MSK)
        assert case.answer_due_note == ""  # a Thursday: nothing to move
        return case

    def test_the_extended_term_on_saturday_moves_to_the_preceding_working_day(self, use_profile):
        curator = UserFactory(groups=["Кураторы"])
        case = cases.extend_appeal(self.appeal().pk, curator, "Уведомили автора.")
        # 9 January 2027 is a Saturday after the New Year holidays (1–8 January, and 31
        # December 2026 a day off moved from 3 January): the last working day before is 30 Dec.
        assert moscow(case.answer_due) == datetime.datetime(2026, 12, 30, 18, 0, tzinfo=MSK)
        assert case.answer_due_note == (
            "Срок пришёлся на нерабочий день (сб 09.01.2027) и перенесён на предшествующий "
            "рабочий день по правилу профиля «ПОС: обращение по 59-ФЗ»."
        )

    def test_a_profile_may_move_it_to_the_next_working_day(self, use_profile):
        RegulationProfile.objects.filter(name="ПОС: обращение по 59-ФЗ").update(
            off_day_shift="next"
        )
        curator = UserFactory(groups=["Кураторы"])
        case = cases.extend_appeal(self.appeal().pk, curator, "Уведомили автора.")
        assert moscow(case.answer_due) == datetime.datetime(2027, 1, 11, 18, 0, tzinfo=MSK)
        assert "на следующий рабочий день" in case.answer_due_note

    def test_the_curator_sees_why(self, client, use_profile):
        curator = UserFactory(groups=["Кураторы"])
        case = cases.extend_appeal(self.appeal().pk, curator, "Уведомили автора.")
        client.force_login(curator)
        html = client.get(f"/admin/cases/{case.pk}/").content.decode()
        assert "сб 09.01.2027" in html
