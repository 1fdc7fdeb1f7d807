"""Press-release grammar by the words' grammar: passives, verbal nouns, empty openings, event
clichés, genitive chains, long sentences — each with its severity; plain news Russian is left
alone."""

import pytest

from newsroom.stylecheck import StyleChecker
from newsroom.stylecheck.grammar import HIGH, MEDIUM, find_hints


@pytest.mark.parametrize(
    ("sentence", "kind", "severity", "matched"),
    [
        ("Была проведена большая работа по благоустройству.", "passive", HIGH, "Была проведена"),
        ("Ветеранам были вручены памятные медали.", "passive", HIGH, "были вручены"),
        ("Проведено совещание по вопросам отопления.", "passive", HIGH, "Проведено"),
        (
            "В настоящее время осуществляется проведение ремонта дороги.",
            "verbal_noun",
            HIGH,
            "осуществляется проведение",
        ),
        ("Хочется отметить, что жители помогали.", "opening", HIGH, "Хочется отметить"),
        ("Стоит отметить вклад волонтёров.", "opening", HIGH, "Стоит отметить"),
        (
            "Состоялось торжественное мероприятие, посвящённое Дню учителя.",
            "cliche",
            HIGH,
            "Состоялось торжественное мероприятие",
        ),
        ("Было проведено мероприятие для детей.", "cliche", HIGH, "Было проведено мероприятие"),
        (
            "Обсудили вопросы обеспечения безопасности дорожного движения жителей района.",
            "genitives",
            MEDIUM,
            "обеспечения безопасности дорожного движения жителей района",
        ),
        ("Жителям вручены награды.", "passive", HIGH, "вручены"),
        ("За месяц получено 47 обращений.", "passive", HIGH, "получено"),
        ("Подрядчику поручено ускорить работы.", "passive", HIGH, "поручено"),
        ("Решение администрацией района принято вчера.", "passive", HIGH, "принято"),
        ("Все заявки были детально рассмотрены.", "passive", HIGH, "были детально рассмотрены"),
        ("На встрече обсуждались вопросы отопления.", "passive", HIGH, "обсуждались"),
        (
            "Ремонт спортивного зала проводится летом.",
            "verbal_noun",
            HIGH,
            "Ремонт спортивного зала проводится",
        ),
        ("Школьники приняли участие в акции.", "verbal_noun", HIGH, "приняли участие"),
        (
            "В городе прошли работы по благоустройству.",
            "verbal_noun",
            HIGH,
            "работы по благоустройству",
        ),
        (
            "В целях повышения безопасности поставили знак.",
            "verbal_noun",
            HIGH,
            "В целях повышения",
        ),
        ("В субботу состоялся концерт хора.", "cliche", HIGH, "состоялся"),
        ("В Заречье прошло заседание совета.", "cliche", HIGH, "прошло заседание"),
        (
            "Вопрос находится на постоянном контроле.",
            "cliche",
            HIGH,
            "находится на постоянном контроле",
        ),
    ],
)
def test_press_release_grammar_is_found(sentence, kind, severity, matched):
    hints = find_hints(sentence)
    found = [(h.kind, h.severity, h.matched) for h in hints]
    assert (kind, severity, matched) in found, found
    assert all(h.suggestion for h in hints)


def test_the_passive_suggests_the_active_verb():
    [hint] = find_hints("Была проведена большая работа.")
    assert "провели" in hint.suggestion


@pytest.mark.parametrize(
    "sentence",
    [
        "Каток открыт до 22 часов.",
        "Ремонт школы закончен.",
        "Дорожники заменили асфальт на улице Ленина.",
        "В субботу в парке высадили сто лип.",
        "Глава района встретился с ветеранами и вручил им медали.",
        "Школьники посадили деревья, а волонтёры убрали мусор на берегу реки.",
        "Жители улицы Садовой обеспокоены ямами на дороге.",
        "Каток открыт каждый день с 10 до 21 часа, вход свободный.",
        "После концерта гости были очень тронуты.",
        "Отопительный сезон начался раньше.",
        "Жители обращались с вопросами о воде.",
        "Праздник пройдёт на площади в субботу.",
    ],
)
def test_plain_news_russian_has_no_hints(sentence):
    assert find_hints(sentence) == []


def test_a_long_sentence_is_advice():
    sentence = " ".join(["Жители"] + ["и соседи"] * 14) + " пришли."
    [hint] = find_hints(sentence)
    assert (hint.kind, hint.severity) == ("long_sentence", MEDIUM)
    assert "разделите" in hint.suggestion


def test_the_report_carries_the_hints_and_the_high_ones():
    report = StyleChecker().check(
        {"title": "Каток открыт", "body": "Была проведена работа. Стоит отметить помощь."}
    )
    assert [h.kind for h in report.high_hints] == ["passive", "opening"]
    assert {h.field for h in report.hints} == {"body"}


def test_one_cliche_is_one_hint():
    hints = find_hints("В Доме культуры состоялось торжественное мероприятие.")
    assert [(h.kind, h.matched) for h in hints] == [
        ("cliche", "состоялось торжественное мероприятие")
    ]
