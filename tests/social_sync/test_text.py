"""Rich text → plain text, and composing a post within a network's length limit."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from social_sync.text import (
    OK_TEXT_LIMIT,
    VK_MESSAGE_LIMIT,
    compose_post,
    html_to_text,
    truncate,
)

WAGTAIL_HTML = (
    '<p data-block-key="k1x9a">Администрация района сообщает: с&nbsp;1&nbsp;июня начинается '
    "<b>ремонт дорог</b> на&nbsp;улицах <i>Ленина</i> и&nbsp;Гагарина.</p>"
    '<p data-block-key="a8d2f">Перекрытия согласованы с&nbsp;ГИБДД.<br/>Схема объезда — '
    '<a href="https://example.ru/skhema-obyezda/">на&nbsp;сайте</a>.</p>'
    '<h2 data-block-key="h2aa1">Что изменится</h2>'
    '<ul><li data-block-key="l1">автобус № 5 пойдёт по&nbsp;ул. Мира;</li>'
    '<li data-block-key="l2">парковка у&nbsp;рынка &laquo;Центральный&raquo; закрыта;</li>'
    '<li data-block-key="l3">вопросы — по&nbsp;телефону <a href="tel:+74950000000">+7 495 000-00-00</a>.</li></ul>'
    '<p data-block-key="p3">Порядок действий:</p>'
    '<ol><li data-block-key="o1">проверьте маршрут;</li><li data-block-key="o2">выезжайте заранее.</li></ol>'
    '<p data-block-key="p4">Подробнее на <a href="https://example.ru/">https://example.ru/</a> '
    'и в <a linktype="page" id="12">разделе новостей</a> &amp; на '
    '<a href="/novosti/remont/">странице ремонта</a>.</p>'
)

EXPECTED = """Администрация района сообщает: с 1 июня начинается ремонт дорог на улицах Ленина и Гагарина.

Перекрытия согласованы с ГИБДД.
Схема объезда — на сайте (https://example.ru/skhema-obyezda/).

Что изменится

— автобус № 5 пойдёт по ул. Мира;
— парковка у рынка «Центральный» закрыта;
— вопросы — по телефону +7 495 000-00-00.

Порядок действий:

1. проверьте маршрут;
2. выезжайте заранее.

Подробнее на https://example.ru/ и в разделе новостей & на странице ремонта."""


def test_html_to_text_on_wagtail_rich_text():
    text = html_to_text(WAGTAIL_HTML)
    assert text == EXPECTED
    assert "<" not in text and ">" not in text
    assert "\xa0" not in text and "&nbsp;" not in text


def test_html_to_text_makes_relative_links_absolute_with_a_base():
    text = html_to_text(WAGTAIL_HTML, base_url="https://example.ru/")
    assert "на странице ремонта (https://example.ru/novosti/remont/)." in text
    # Internal links in the database format carry no href: their text stays alone.
    assert "в разделе новостей &" in text


@pytest.mark.parametrize(
    "html,expected",
    [
        ("", ""),
        ("Просто текст", "Просто текст"),
        ("<p>  много   \n  пробелов\t</p>", "много пробелов"),
        ("<p>Один</p>\n\n<p></p><p>  </p><p>Два</p>", "Один\n\nДва"),
        ("<p>Строка<br>вторая<br/><br/>после пустой</p>", "Строка\nвторая\n\nпосле пустой"),
        ("<div>Блок</div>текст после", "Блок\n\nтекст после"),
        ("<p>A&amp;B &lt;тег&gt; &quot;x&quot; &#171;y&#187; &mdash;</p>", 'A&B <тег> "x" «y» —'),
        ("<p>До<script>alert(1)</script><style>p{}</style>после</p>", "Допосле"),
        ('<p><a href="https://ya.ru">ya.ru</a></p>', "ya.ru"),
        ('<p><a href="mailto:press@example.ru">press@example.ru</a></p>', "press@example.ru"),
        ('<p><a href="https://ya.ru/x"><img src="a.png" alt=""></a></p>', "https://ya.ru/x"),
        ("<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>", "— a\n  — b\n— c"),
        ("<p>x</p><hr><p>y</p>", "x\n\ny"),
        ("<b>жирный</b><i>курсив</i>", "жирныйкурсив"),
        ("<b>жирный</b> <i>курсив</i>", "жирный курсив"),
    ],
)
def test_html_to_text_cases(html, expected):
    assert html_to_text(html) == expected


@given(st.text(alphabet=st.sampled_from(list("<>/pabrliu &;\"='x\nАя")), max_size=200))
@settings(max_examples=200, deadline=None)
def test_html_to_text_never_crashes_and_never_leaves_blank_runs(html):
    text = html_to_text(html)
    assert "\n\n\n" not in text
    assert text == text.strip()


# --- compose_post ---------------------------------------------------------------------------------

URL = "https://example.ru/novosti/remont-dorog/"
LINK = f"Подробнее: {URL}"
BODY = (
    "Работы пройдут в три этапа. Сначала заменят асфальт на улице Ленина. "
    "Затем отремонтируют тротуары на улице Гагарина! Что будет с парковкой? "
    "Её откроют в августе. Подрядчик обязан закончить до 1 сентября."
)


def test_compose_post_fits_unchanged():
    text = compose_post(
        title="Ремонт дорог", lead="С 1 июня.", body=BODY, url=URL, limit=VK_MESSAGE_LIMIT
    )
    assert text == f"Ремонт дорог\n\nС 1 июня.\n\n{BODY}\n\n{LINK}"


def test_compose_post_skips_empty_parts_and_adds_hashtags():
    text = compose_post(
        title="Ремонт дорог",
        lead="",
        body=BODY,
        url=URL,
        limit=OK_TEXT_LIMIT,
        hashtags=["#район", "ремонт дорог", "район", ""],
    )
    assert text == f"Ремонт дорог\n\n{BODY}\n\n#район #ремонт_дорог\n\n{LINK}"


def test_compose_post_cuts_the_body_at_a_sentence():
    limit = len(f"Ремонт дорог\n\nС 1 июня.\n\n\n\n{LINK}") + 120
    text = compose_post(title="Ремонт дорог", lead="С 1 июня.", body=BODY, url=URL, limit=limit)
    assert len(text) <= limit
    assert text.startswith("Ремонт дорог\n\nС 1 июня.\n\nРаботы пройдут в три этапа.")
    assert text.endswith(f"…\n\n{LINK}")
    body = text.split("\n\n")[2]
    # Cut after a whole sentence: the kept part is a prefix of the body ending at a sentence end.
    assert body == (
        "Работы пройдут в три этапа. Сначала заменят асфальт на улице Ленина. "
        "Затем отремонтируют тротуары на улице Гагарина!…"
    )


def test_compose_post_cuts_the_body_at_a_word_when_no_sentence_ends_nearby():
    body = "слово " * 100
    limit = len(f"Т\n\n\n\n{LINK}") + 53
    text = compose_post(title="Т", lead="", body=body, url=URL, limit=limit)
    assert len(text) <= limit
    kept = text.split("\n\n")[1]
    assert kept.endswith("слово…")
    assert re.fullmatch(r"(слово )*слово…", kept)


def test_compose_post_drops_the_body_then_hashtags_then_cuts_the_lead():
    lead = "Очень длинный лид новости, который описывает всё подробно. " * 5
    limit = len(f"Ремонт дорог\n\n\n\n{LINK}") + 100
    text = compose_post(
        title="Ремонт дорог", lead=lead, body=BODY, url=URL, limit=limit, hashtags=["район"]
    )
    assert len(text) <= limit
    assert text.startswith("Ремонт дорог\n\nОчень длинный лид")
    assert "#район" not in text and "Работы" not in text
    assert text.endswith(f"…\n\n{LINK}")


def test_compose_post_keeps_the_title_and_link_when_space_is_tiny():
    title = "Заголовок новости о ремонте дорог в районе"
    limit = len(LINK) + 2 + 20
    text = compose_post(title=title, lead="Лид.", body=BODY, url=URL, limit=limit)
    assert len(text) <= limit
    assert text.endswith(f"\n\n{LINK}")
    assert text.startswith("Заголовок") and "…" in text
    assert compose_post(title=title, lead="", body="", url=URL, limit=len(LINK)) == LINK
    with pytest.raises(ValueError):
        compose_post(title=title, lead="", body="", url=URL, limit=len(LINK) - 1)


def test_compose_post_without_url():
    assert compose_post(title="T", lead="L", body="B", url="", limit=100) == "T\n\nL\n\nB"


def test_truncate():
    assert truncate("коротко", 10) == "коротко"
    assert truncate("Раз. Два. Три четыре пять.", 16) == "Раз. Два…"
    assert truncate("абвгдеёжзийклмн", 6) == "абвгд…"
    assert len(truncate("x" * 50, 1)) == 1


words = st.text(alphabet=st.sampled_from(list("абвгд еёжз.!?\n,xyz")), min_size=0, max_size=400)


@given(
    title=st.text(alphabet=st.sampled_from(list("Заголвк ")), min_size=1, max_size=80).filter(
        str.strip
    ),
    lead=words,
    body=st.text(alphabet=st.sampled_from(list("абвгд еёжз.!?\n,xyz")), min_size=0, max_size=3000),
    slug=st.text(alphabet="abcdefghijklmnopqrstuvwxyz-0123456789", min_size=1, max_size=60),
    extra=st.integers(min_value=0, max_value=4000),
    hashtags=st.lists(st.text(alphabet="абвгд", min_size=1, max_size=8), max_size=3),
)
@settings(max_examples=300, deadline=None)
def test_compose_post_property(title, lead, body, slug, extra, hashtags):
    url = f"https://example.ru/novosti/{slug}/"
    link = f"Подробнее: {url}"
    limit = len(link) + extra
    text = compose_post(title=title, lead=lead, body=body, url=url, limit=limit, hashtags=hashtags)
    assert len(text) <= limit
    assert text.endswith(link)
    full = compose_post(title=title, lead=lead, body=body, url=url, limit=10**9, hashtags=hashtags)
    if len(full) <= limit:
        assert text == full
    elif extra >= len(title.strip()) + 2:
        # Room for the title: it is kept whole.
        assert text.startswith(title.strip())
