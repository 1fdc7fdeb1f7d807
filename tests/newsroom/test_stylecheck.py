"""Unit tests of the plain-Python style check: no database, no Django."""

import ast
import re
from pathlib import Path

import pytest

from newsroom import stylecheck
from newsroom.stylecheck import (
    Finding,
    Phrase,
    Readability,
    Report,
    StyleChecker,
    default_phrases,
    readability,
    strip_html,
)
from newsroom.stylecheck import checker as checker_module


@pytest.fixture(scope="module")
def checker():
    return StyleChecker()


def phrases_in(checker, text):
    return [finding.phrase for finding in checker.find(text)]


# --- press-release sentences ------------------------------------------------------------------

HOUSE_SENTENCE = (
    "Главе района было доведено до сведения, что в данном доме имеет место протечка кровли."
)

BUREAUCRATIC_SENTENCES = [
    (
        "В целях обеспечения безопасности дорожного движения администрацией района "
        "осуществляется ремонт дорог.",
        ["в целях обеспечения", "осуществляться"],
    ),
    (
        "На сегодняшний день денежные средства на проведение мероприятия выделены в полном объёме.",
        ["на сегодняшний день", "денежные средства", "проведение мероприятия", "в полном объёме"],
    ),
    (
        "Управляющая компания осуществляет деятельность по содержанию жилых домов.",
        ["осуществлять деятельность"],
    ),
    (
        "В рамках реализации национального проекта «Безопасные качественные дороги» "
        "отремонтировано пять улиц.",
        ["в рамках реализации"],
    ),
    ("Новая библиотека является центром культурной жизни посёлка.", ["является"]),
    (
        "В связи с тем, что на улице Садовой идёт ремонт, автобус № 5 временно ходит в объезд.",
        ["в связи с тем что"],
    ),
    ("Жители района приглашаются на весенний субботник.", ["жители района приглашаются"]),
    (
        "Уважаемые жители! Информируем вас о плановом отключении горячей воды.",
        ["уважаемые жители", "информируем вас"],
    ),
    (
        "Состоялось торжественное открытие детской площадки на улице Ленина.",
        ["состоялось торжественное открытие"],
    ),
    ("Подрядчик обязан осуществить ремонт кровли до 1 октября.", ["осуществить ремонт"]),
    ("Произвести оплату за вывоз мусора можно в любом отделении банка.", ["произвести оплату"]),
    ("В ходе проверки нарушений не выявлено.", ["в ходе"]),
    ("Согласно графику, вывоз мусора проходит по вторникам.", ["согласно"]),
    ("Школьники приняли участие в экологической акции «Чистый берег».", ["принять участие"]),
    ("Волонтёры оказали помощь пожилым людям в уборке снега.", ["оказать помощь"]),
    ("Новая поликлиника введена в эксплуатацию в прошлом месяце.", ["ввести в эксплуатацию"]),
    ("Обращение было направлено в адрес главы района.", ["в адрес"]),
    ("Проверка данного объекта завершена.", ["данный"]),
    ("Вчера в Доме культуры прошло мероприятие, посвящённое Дню города.", ["прошло мероприятие"]),
    (
        "В настоящее время в соответствии с планом ведутся работы по благоустройству сквера.",
        ["в настоящее время", "в соответствии с", "ведутся работы"],
    ),
    (
        "Бюджетные средства будут направлены на ремонт вышеуказанных объектов.",
        ["бюджетные средства", "вышеуказанный"],
    ),
    (HOUSE_SENTENCE, ["довести до сведения", "данный", "имеет место"]),
    ("Глава района уделил внимание вопросам безопасности на дорогах.", ["уделить внимание"]),
    ("С целью профилактики пожаров сотрудники МЧС провели рейд.", ["с целью"]),
    ("В целях профилактики гриппа в поликлиниках проводится вакцинация.", ["в целях профилактики"]),
    ("Заседание комиссии по вопросу благоустройства дворов состоится в пятницу.", ["по вопросу"]),
    ("В случае отключения электроэнергии обращайтесь в диспетчерскую службу.", ["в случае"]),
    (
        "Дети из многодетных семей могут посещать бассейн на безвозмездной основе.",
        ["на безвозмездной основе"],
    ),
    ("Мусор будет вывезен в кратчайшие сроки.", ["в кратчайшие сроки"]),
    (
        "На территории района функционирует 12 спортивных площадок.",
        ["на территории района", "функционировать"],
    ),
    (
        "Граждане пожилого возраста могут получить консультацию бесплатно.",
        ["граждане пожилого возраста"],
    ),
    (
        "Для родителей учащихся проведено собрание по итогам учебного года.",
        ["учащийся", "по итогам"],
    ),
    ("По окончании работ подрядчик вывезет строительный мусор.", ["по окончании"]),
    (
        "Жителям необходимо в обязательном порядке произвести замену счётчиков.",
        ["в обязательном порядке", "произвести замену"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), BUREAUCRATIC_SENTENCES)
def test_bureaucratic_sentences(checker, text, expected):
    assert phrases_in(checker, text) == expected


@pytest.mark.parametrize(
    ("text", "phrase", "start", "end", "matched"),
    [
        (
            "В целях обеспечения безопасности дорожного движения администрацией района "
            "осуществляется ремонт дорог.",
            "осуществляться",
            74,
            88,
            "осуществляется",
        ),
        (
            "Управляющая компания осуществляет деятельность по содержанию жилых домов.",
            "осуществлять деятельность",
            21,
            46,
            "осуществляет деятельность",
        ),
        (
            "В связи с тем, что на улице Садовой идёт ремонт, автобус № 5 временно ходит в объезд.",
            "в связи с тем что",
            0,
            18,
            "В связи с тем, что",
        ),
        (
            HOUSE_SENTENCE,
            "данный",
            46,
            52,
            "данном",
        ),
        (
            HOUSE_SENTENCE,
            "довести до сведения",
            18,
            38,
            "доведено до сведения",
        ),
        (
            "Мусор будет вывезен в кратчайшие сроки.",
            "в кратчайшие сроки",
            20,
            38,
            "в кратчайшие сроки",
        ),
        (
            "Жителям необходимо в обязательном порядке произвести замену счётчиков.",
            "произвести замену",
            42,
            59,
            "произвести замену",
        ),
    ],
)
def test_offsets_and_matched_text(checker, text, phrase, start, end, matched):
    findings = {finding.phrase: finding for finding in checker.find(text)}
    finding = findings[phrase]
    assert (finding.start, finding.end, finding.matched) == (start, end, matched)
    assert text[finding.start : finding.end] == finding.matched


def test_finding_carries_suggestion_comment_and_field(checker):
    [finding] = checker.find("Денежные средства выделены.", field="lead")
    assert finding == Finding(
        phrase="денежные средства",
        suggestion="деньги",
        comment="Канцелярский оборот.",
        field="lead",
        start=0,
        end=17,
        matched="Денежные средства",
    )


def test_default_field_name(checker):
    assert [f.field for f in checker.find("В настоящее время дорога закрыта.")] == ["text"]


# --- plain sentences --------------------------------------------------------------------------

PLAIN_SENTENCES = [
    "Персональные данные заявителей хранятся в отделе.",
    "Сейчас в школе учатся 300 детей.",
    "По данным Росстата, в районе родились 120 детей.",
    "Данные переписи показывают, что семей с детьми стало больше.",
    "Статистические данные о ДТП публикует ГИБДД.",
    "Эти данные мы передали в прокуратуру.",
    "Данные о земельном участке внесены в реестр.",
    "Обещание, данное жителям, выполнено.",
    "Учитель дал ученикам задание на лето.",
    "Дети согласно кивнули и побежали на урок.",
    "В субботу на площади Победы откроют ярмарку.",
    "Мэр поблагодарил волонтёров за помощь.",
    "Новый автобус ходит каждые 15 минут.",
    "",
]


@pytest.mark.parametrize("text", PLAIN_SENTENCES)
def test_plain_sentences_have_no_findings(checker, text):
    assert checker.find(text) == []


# --- word forms -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase", "matched"),
    [
        ("Фирма осуществляет деятельность без лицензии.", "осуществлять деятельность", None),
        ("Фирмы осуществляли деятельностью без лицензии.", "осуществлять деятельность", None),
        (
            "Организации, осуществлявшие деятельность на рынке, проверили.",
            "осуществлять деятельность",
            "осуществлявшие деятельность",
        ),
        ("Выделено 5 млн рублей денежных средств.", "денежные средства", "денежных средств"),
        ("Расчёт денежными средствами возможен.", "денежные средства", "денежными средствами"),
        ("ДЕНЕЖНЫЕ СРЕДСТВА ПОСТУПИЛИ.", "денежные средства", "ДЕНЕЖНЫЕ СРЕДСТВА"),
        ("Утверждён план развития данного района.", "данный", "данного"),
        ("Данной программой пользуются 200 семей.", "данный", "Данной"),
        ("Данные объекты отремонтируют до конца года.", "данный", "Данные"),
        ("Проведение данных мероприятий запланировано на май.", "данный", "данных"),
        ("Данный земельный участок передан школе.", "данный", "Данный"),
        ("Эти улицы являлись главными в городе.", "является", "являлись"),
        ("Дом введён в эксплуатацию в прошлом году.", "ввести в эксплуатацию", None),
        ("Дорогу ввели в эксплуатацию в срок.", "ввести в эксплуатацию", None),
        ("Деньги выделены в полном объеме.", "в полном объёме", "в полном объеме"),
        ("Работы ведутся в соответствии со сметой.", "в соответствии с", None),
    ],
)
def test_word_forms(checker, text, phrase, matched):
    findings = checker.find(text)
    assert [f.phrase for f in findings] == [phrase]
    if matched is not None:
        assert findings[0].matched == matched


def test_word_forms_are_cached():
    checker_module._analyse.cache_clear()
    StyleChecker().find("Денежные средства и денежные средства.")
    info = checker_module._analyse.cache_info()
    assert info.hits > 0
    assert checker_module._analyzer() is checker_module._analyzer()


# --- overlaps ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("В целях обеспечения порядка дорогу закрыли.", "в целях обеспечения"),
        ("В целях экономии свет выключают в полночь.", "в целях"),
        ("Состоялось торжественное открытие сквера.", "состоялось торжественное открытие"),
        ("Торжественное открытие сквера перенесли.", "торжественное открытие"),
        ("В связи с тем что идёт ремонт, проезд закрыт.", "в связи с тем что"),
        ("В связи с ремонтом проезд закрыт.", "в связи с"),
        ("На данный момент очередь в детский сад не ждёт никто.", "на данный момент"),
    ],
)
def test_longest_phrase_wins(checker, text, expected):
    assert phrases_in(checker, text) == [expected]


def test_longest_phrase_wins_regardless_of_list_order():
    phrases = [Phrase("в целях", "для"), Phrase("в целях обеспечения", "чтобы")]
    findings = StyleChecker(phrases).find("В целях обеспечения порядка дорогу закрыли.")
    assert [(f.phrase, f.start, f.end) for f in findings] == [("в целях обеспечения", 0, 19)]


def test_repeated_phrases_are_all_found(checker):
    text = "Данный вопрос решён. Данная проблема тоже."
    assert [(f.matched, f.start) for f in checker.find(text)] == [("Данный", 0), ("Данная", 21)]


# --- custom phrase lists ----------------------------------------------------------------------


def test_custom_phrase_list_replaces_default():
    custom = StyleChecker(
        [
            Phrase("мероприятие", "событие", "Назовите, что было."),
            Phrase("из-за", "по причине"),
            Phrase("ёлка", "ель"),
        ]
    )
    text = "Из-за дождя мероприятия у ёлки на площади перенесли; в настоящее время дождь идёт."
    findings = custom.find(text, field="body")
    assert [(f.phrase, f.matched, f.start, f.end) for f in findings] == [
        ("из-за", "Из-за", 0, 5),
        ("мероприятие", "мероприятия", 12, 23),
        ("ёлка", "ёлки", 26, 30),
    ]
    assert findings[1].suggestion == "событие"
    assert findings[1].comment == "Назовите, что было."
    assert findings[0].comment == ""
    assert {f.field for f in findings} == {"body"}


def test_custom_phrase_matches_ye_spelled_without_dots():
    assert [f.matched for f in StyleChecker([Phrase("ёлка", "ель")]).find("У елки")] == ["елки"]


def test_single_word_phrase_does_not_match_part_of_hyphenated_word():
    custom = StyleChecker([Phrase("из", "от")])
    assert custom.find("Из-за дождя") == []
    assert [f.start for f in custom.find("Вернулись из похода")] == [10]


def test_empty_custom_list_finds_nothing():
    assert StyleChecker([]).find("В целях обеспечения порядка дорогу закрыли.") == []


def test_phrase_without_words_is_rejected():
    with pytest.raises(ValueError):
        StyleChecker([Phrase(" — ", "тире")])


def test_custom_determiner_rule_applies_in_any_list():
    custom = StyleChecker([Phrase("данный", "этот")])
    assert custom.find("Персональные данные заявителей хранятся в отделе.") == []
    assert [f.matched for f in custom.find("Данный случай разобрали.")] == ["Данный"]


# --- check ------------------------------------------------------------------------------------


def test_check_carries_field_names_in_order(checker):
    report = checker.check(
        {
            "title": "Состоялось торжественное открытие сквера",
            "lead": "Денежные средства выделил район.",
            "body": "Жители района приглашаются на праздник. В настоящее время идёт подготовка.",
        }
    )
    assert isinstance(report, Report)
    assert [(f.field, f.phrase, f.start) for f in report.findings] == [
        ("title", "состоялось торжественное открытие", 0),
        ("lead", "денежные средства", 0),
        ("body", "жители района приглашаются", 0),
        ("body", "в настоящее время", 40),
    ]
    assert isinstance(report.findings, tuple)
    assert report.readability.sentences == 4
    assert report.readability.words == 4 + 4 + 5 + 5


def test_check_with_empty_fields(checker):
    report = checker.check({"title": "", "lead": "", "body": ""})
    assert report.findings == ()
    assert report.readability.words == 0
    assert report.readability.label == "нет текста"


# --- readability ------------------------------------------------------------------------------


def test_readability_of_known_text():
    result = readability("Мама мыла раму. Папа читал газету.")
    assert result.words == 6
    assert result.sentences == 2
    assert result.avg_sentence_words == 3.0
    assert result.avg_word_syllables == pytest.approx(13 / 6)
    assert result.long_sentences == 0
    assert result.score == pytest.approx(72.7)
    assert result.label == "легко"


def test_readability_counts_yo_and_numbers():
    result = readability("Ёжик съел 3 яблока.")
    assert (result.words, result.sentences) == (3, 1)
    assert result.avg_word_syllables == pytest.approx((2 + 1 + 3) / 3)


SIMPLE_TEXT = "Сейчас в школе учатся 300 детей. Летом здесь сделали ремонт. Дети рады."
BUREAUCRATIC_TEXT = (
    "В целях обеспечения надлежащего функционирования объектов социальной инфраструктуры "
    "администрацией муниципального образования в рамках реализации муниципальной программы "
    "осуществляется комплекс мероприятий по проведению капитального ремонта общеобразовательных "
    "учреждений, финансирование которых производится за счёт бюджетных средств в соответствии "
    "с утверждёнными лимитами бюджетных обязательств."
)


def test_bureaucratic_sentence_is_harder_than_simple_text():
    simple = readability(SIMPLE_TEXT)
    heavy = readability(BUREAUCRATIC_TEXT)
    assert (simple.words, simple.sentences, simple.long_sentences) == (11, 3, 0)
    assert (heavy.words, heavy.sentences, heavy.long_sentences) == (39, 1, 1)
    assert heavy.avg_word_syllables > 3
    assert heavy.score < simple.score
    assert heavy.score == 0.0
    assert heavy.label == "очень трудно"
    assert simple.label in {"очень легко", "легко"}


def test_readability_score_formula_and_clamping():
    result = readability("Кот спит. Пёс ест.")
    assert result.avg_word_syllables == 1.0
    assert 206.835 - 1.3 * 2 - 60.1 * 1 > 100
    assert result.score == 100.0
    assert result.label == "очень легко"


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Встреча прошла в г. Самаре на ул. Ленина, т.е. в центре. Её провёл И. И. Иванов.", 2),
        ("Лекцию прочёл А.С. Петров. Слушателей было много.", 2),
        ("Работы завершат в 2025 г. Жители ждут.", 2),
        ("Цена 5 тыс. руб. Оплата на месте.", 2),
        ("Купили мячи, сетки и т.д. Всё раздали школам.", 2),
        ("Ура! Мы победили... Что дальше?", 3),
        ("«Пойдём!» — сказал он. Мы пошли.", 2),
        ("Заголовок без точки\nТекст новости. Ещё одно предложение", 3),
        ("Температура 36.6 градуса, сайт admin.ru работает.", 1),
    ],
)
def test_sentence_splitting(text, sentences):
    assert readability(text).sentences == sentences


def test_long_sentences_are_counted():
    long_sentence = "Слово " + " ".join(["слово"] * 25) + "."
    short_sentence = "Слово " + " ".join(["слово"] * 24) + "."
    result = readability(f"{long_sentence} {short_sentence} {long_sentence}")
    assert (result.sentences, result.long_sentences, result.words) == (3, 2, 77)


def test_readability_of_empty_text():
    assert readability("") == Readability(
        score=0.0,
        words=0,
        sentences=0,
        avg_sentence_words=0.0,
        avg_word_syllables=0.0,
        long_sentences=0,
        label="нет текста",
    )


# --- HTML -------------------------------------------------------------------------------------


def test_strip_html_removes_tags_and_unescapes_entities():
    html = (
        '<p data-block-key="a1">Мама&nbsp;мыла <b>раму</b>.</p>'
        "<p>Папа &laquo;читал&raquo;<br/>газету &amp; журнал</p>"
        "<script>var x = 1;</script>"
    )
    assert strip_html(html) == "Мама\xa0мыла раму.\n\nПапа «читал»\nгазету & журнал"


def test_strip_html_collapses_source_whitespace():
    html = "<ul>\n  <li>Первый\n пункт</li>\n  <li>Второй</li>\n</ul>"
    assert strip_html(html) == "Первый пункт\n\nВторой"


def test_strip_html_then_find(checker):
    html = (
        "<p>Денежные <i>средства</i> выделены.</p>"
        '<p>В&nbsp;настоящее время <a href="/x">идёт</a> ремонт.</p>'
    )
    text = strip_html(html)
    assert [(f.phrase, f.matched) for f in checker.find(text)] == [
        ("денежные средства", "Денежные средства"),
        ("в настоящее время", "В\xa0настоящее время"),
    ]
    assert strip_html("") == ""


# --- phrase list and module -------------------------------------------------------------------


def test_default_phrase_list():
    phrases = default_phrases()
    assert len(phrases) >= 60
    assert all(isinstance(p, Phrase) for p in phrases)
    texts = [p.text for p in phrases]
    assert len(set(texts)) == len(texts)
    assert all(p.text and p.suggestion for p in phrases)
    assert all(re.search("[а-яё]", p.suggestion) for p in phrases)
    expected = {
        "осуществлять деятельность": "работать",
        "в целях обеспечения": "чтобы",
        "данный": "этот",
        "в настоящее время": "сейчас",
        "денежные средства": "деньги",
        "в связи с тем что": "потому что",
        "произвести оплату": "оплатить",
        "принять участие": "участвовать",
        "оказать помощь": "помочь",
        "довести до сведения": "сообщить",
    }
    by_text = {p.text: p.suggestion for p in phrases}
    assert {text: by_text[text] for text in expected} == expected


def test_default_checker_uses_every_default_phrase():
    assert len(StyleChecker().phrases) == len(default_phrases())


def test_public_api_is_reexported():
    assert set(stylecheck.__all__) >= {
        "Finding",
        "Phrase",
        "Readability",
        "Report",
        "StyleChecker",
        "default_phrases",
        "readability",
        "strip_html",
    }


def test_checker_does_not_import_django():
    package = Path(stylecheck.__file__).parent
    for source in package.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(name.split(".")[0] in {"django", "wagtail"} for name in names), source


def test_five_thousand_words_are_all_read(checker):
    """A long text is read to the end: every word counted, the hints found all through it.

    Its speed is measured by ``bench/stylecheck.py`` (docs/benchmarks.md), not asserted here.
    """
    sentences = [text for text, _ in BUREAUCRATIC_SENTENCES] + PLAIN_SENTENCES
    words = " ".join(sentences).split()
    text = " ".join(words[i % len(words)] for i in range(5000))
    report = checker.check({"body": text})
    assert report.readability.words > 4800
    assert len(report.findings) > 100
    last_quarter = len(text) * 3 // 4
    assert any(finding.start >= last_quarter for finding in report.findings)
