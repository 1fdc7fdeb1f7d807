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
