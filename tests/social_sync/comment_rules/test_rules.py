"""The comment rules on real-looking Russian comments, disguises included; and on ordinary
comments (complaints, questions, thanks) that must pass untouched."""

import pytest

from social_sync.comment_rules import SpamContext, check
from social_sync.comment_rules.normalize import undisguise


def rules_of(text, **kwargs):
    return {finding.rule for finding in check(text, **kwargs)}


OBSCENE = [
    "Да пошли вы на хуй со своими отчётами",
    "Опять хуйня вместо дороги",
    "xуйня полная, а не ремонт",  # Latin x
    "ХУЙНЯ!!!",
    "Какой пиздец во дворе творится",
    "п и з д е ц просто",
    "спиздили деньги на ремонт",
    "пи-зд-ец вам всем",
    "Заебали уже с этой плиткой",
    "ёбаный стыд, а не остановка",
    "Бля, опять воду отключили",
    "б.л.я.т.ь, сколько можно",
    "с*ка, когда уже снег уберут",
    "Этот мудак из ЖКХ трубку не берёт",
    "Охуеееенно вы отчитались",
    "Пидоры в администрации",
    "нахуя нам этот фонтан",
    "долбоёбы, кто так асфальт кладёт",
    "Какая же она шлюха продажная",
]
INSULTS = [
    "Глава — идиот, каких поискать",
    "Вы там все дебилы что ли?",
    "Депутаты — ворюги и дармоеды",
    "Мэр кретин",
    "Сидят уроды в кабинетах",
    "Ты тупорылый чиновник",
    "Этих клоунов пора гнать",
    "Какая же вы мразь",
    "Сволочи, опять подняли тарифы",
    "Ублюдки, верните деньги",
    "Администрация — быдло и бестолочь",
    "Лошара ты, а не начальник",
    "Бездарь на бездаре",
    "Вы все придурки",
    "Подонки, что вы сделали с парком",
]
THREATS = [
    "Убью того, кто это придумал",
    "Я вас всех прибью, если не сделаете дорогу",
    "Надо сжечь эту администрацию",
    "Взорву ваш кабинет",
    "Вам не жить после такого",
    "Пожалеете ещё, я вам обещаю",
    "Найду тебя и ноги переломаю",
    "Закопаю этого подрядчика",
    "Пристрелю любого, кто сунется во двор",
    "Тебе конец, чиновник",
    "Кровью умоетесь за этот тариф",
    "Доберусь до вас, будете знать",
    "Подожгу машину прораба",  # «подожгу» — поджечь, first person
    "Здание администрации заминировано",
    "Хочу задушить того, кто закрыл поликлинику",
]
SPAM = [
    "Заработок в интернете от 5000 в день! Пиши в лс",
    "Переходи по ссылке http://dengi-bystro.biz и получай бонус",
    "Казино Вулкан — лучшие слоты, бонус новичкам",
    "Ставки на спорт без проигрышей, подробности в профиле",
    "Микрозайм без отказа за 5 минут",
    "Удалённая работа, 3 часа в день, пишите в личку",
    "Подписывайтесь на наш канал t.me/bestdeals",
    "Накрутка подписчиков дёшево",
    "Кредит без справок и поручителей",
    "www.super-skidki.ru — скидки на всё",
    "Доход от 100 000 без вложений",
    "Букмекер дарит фрибет",
    "Раскрутка групп ВКонтакте недорого",
    "Жми на ссылку в профиле — там подарок",
    "Смотрите тут: bit.ly/3xYz12",
]
CLEAN = [
    "Когда отремонтируют дорогу на улице Ленина? Ямы по колено.",
    "Спасибо администрации за новую детскую площадку!",
    "Во дворе дома 5 по Советской третий день нет горячей воды.",
    "Себе возьмите веб-камеру и снимите, что творится у школы.",
    "Застрахуйте имущество, пока не поздно — совет соседям.",
    "Хулиганы опять разбили фонарь в сквере.",
    "Команда волонтёров готова помочь с уборкой.",
    "Мудрый совет от главы, согласна.",
    "Как записаться на приём к главе района?",
    "Херсонская улица не освещена вечером.",
    "Подскажите, где узнать график вывоза мусора?",
    "Автобус № 12 ходит раз в час, это очень неудобно.",
    "Снег не убран, бабушки падают, примите меры.",
    "Подробности на сайте администрации, спасибо за ссылку.",
    "Нужно убить время до приёма — где у вас кафе рядом?",
    "Хочу поблагодарить врачей поликлиники № 2.",
    "Сука породистая, ищем хозяина собаки у магазина",  # a dog: still a flag, see below
]


@pytest.mark.parametrize("text", OBSCENE)
def test_obscenity_is_caught_with_its_disguises(text):
    assert "obscenity" in rules_of(text)


@pytest.mark.parametrize("text", INSULTS)
def test_insults_are_caught(text):
    assert "insult" in rules_of(text)


@pytest.mark.parametrize("text", THREATS)
def test_threats_are_caught(text):
    assert "threat" in rules_of(text)


@pytest.mark.parametrize("text", SPAM)
def test_spam_is_caught(text):
    assert "spam" in rules_of(text)


@pytest.mark.parametrize("text", CLEAN[:-1])
def test_ordinary_comments_pass(text):
    assert rules_of(text) == set()


def test_a_word_that_is_obscene_in_another_sense_is_flagged_not_guessed():
    # «сука» of a dog is still flagged: a person decides (the account may set «отмечать»).
    assert rules_of(CLEAN[-1]) == {"obscenity"}


def test_links_to_our_own_site_are_not_spam():
    context = SpamContext(own_hosts=("admin-rayon.ru",))
    assert rules_of("Вот решение: https://admin-rayon.ru/news/5/", context=context) == set()
    assert rules_of("Вот решение: https://admin-rayon.ru.evil.biz/", context=SpamContext()) == {
        "spam"
    }


def test_copies_of_one_text_and_bursts_of_one_author_are_spam():
    text = "Смотрите, что творится!"
    assert rules_of(text, context=SpamContext(same_text_count=2)) == set()
    assert rules_of(text, context=SpamContext(same_text_count=3)) == {"spam"}
    assert rules_of(text, context=SpamContext(author_recent_count=5)) == {"spam"}


def test_stop_words_match_any_form_phrases_and_beginnings():
    words = ("стройка", "платная парковка", "коррупц*")
    assert rules_of("Опять эти стройки во дворе", stop_words=words) == {"stop_word"}
    assert rules_of("Введут ли платная парковка?", stop_words=words) == {"stop_word"}
    assert rules_of("Сплошная коррупционная схема", stop_words=words) == {"stop_word"}
    assert rules_of("Парковка бесплатная", stop_words=words) == set()


def test_evidence_names_what_was_found():
    [finding] = check("Вы все дебилы")
    assert finding.rule == "insult" and finding.evidence == "дебилы"


def test_undisguise_undoes_lookalikes_symbols_spelling_and_stretching():
    assert undisguise("Xуйня") == "хуйня"
    assert undisguise("б.л.я") == "бля"
    assert undisguise("х у й") == "хуй"
    assert undisguise("пи*зд") == "пизд"
    assert undisguise("кто-то") == "кто-то"
    assert undisguise("ооооочень") == "очень"
    assert undisguise("https://example.com") == "https://example.com"
