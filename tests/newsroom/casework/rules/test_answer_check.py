"""The R12 checklist of official answers (pure)."""

import pytest

from newsroom.casework.rules.answer_check import check_answer

GOOD = (
    "Здравствуйте, Ирина! Мусор вывезли 21 ноября, теперь машина приезжает по вторникам и пятницам."
)
FORMAL = "Ваше обращение рассмотрено. Информация принята к сведению."
LEGALESE = (
    "Ваше обращение рассмотрено в соответствии со ст. 12 59-ФЗ, п. 3 ч. 2 ст. 5 закона № 131."
)


def failed(**kwargs):
    return {hint.code for hint in check_answer(**kwargs) if not hint.ok}


def test_a_good_answer_passes_everything():
    assert failed(text=GOOD, attachments=1, network="vk") == set()


def test_a_formal_reply_without_date_measures_or_proof():
    assert failed(text=FORMAL, network="vk") == {"measures", "terms", "evidence"}


@pytest.mark.parametrize(
    "terms",
    [
        "до 15.12.2026",
        "в течение 10 дней",
        "к концу месяца",
        "в декабре",
        "5 декабря",
        "на следующей неделе",
    ],
)
def test_terms_in_any_usual_form(terms):
    assert "terms" not in failed(text="Трубу заменят.", stages_and_terms=terms)


def test_legal_references_need_an_explanation():
    assert "legal" in failed(text=LEGALESE)
    explanation = " ".join(
        ["Закон разрешает администрации ремонтировать только муниципальные дороги,"] * 10
    )
    assert "legal" not in failed(text=LEGALESE, legal_basis=explanation)


def test_contradiction_is_pointed_out():
    assert "consistent" in failed(text="Ремонт выполнен. Работы пока не выполнены из-за погоды.")


def test_length_limit_of_the_network():
    assert "length" in failed(text="а" * 4097, network="vk")
    assert "length" not in failed(text="а" * 4000, network="vk")


def test_repeated_message_must_report_progress():
    assert "repeat" in failed(text=FORMAL, is_repeat=True)
    assert "repeat" not in failed(
        text="Сообщаем о ходе решения: подрядчик вышел на объект.", is_repeat=True
    )
    assert all(hint.code != "repeat" for hint in check_answer(text=FORMAL))


def test_messages_are_in_russian():
    messages = [hint.message for hint in check_answer(text=FORMAL, is_repeat=True)]
    assert any("Нет срока" in m for m in messages)
    assert any("R11" in m for m in messages)
