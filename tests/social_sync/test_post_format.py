"""How a post looks in each network: limits, truncation, fold, photos, hashtags (pure)."""

import pytest

from social_sync.post_format import FORMATS, hashtags_of, render
from social_sync.text import ELLIPSIS, MORE_PREFIX

URL = "https://press.example.ru/news/remont-dorog/"
SENTENCE = "Дорожники закончили ремонт улицы Ленина раньше срока. "


def test_a_short_text_goes_whole_with_tags_and_link():
    post = render("vk", text="Улицу Ленина открыли.", url=URL, hashtags=("ремонт", "Заречный"))
    assert post.text == f"Улицу Ленина открыли.\n\n#ремонт #Заречный\n\n{MORE_PREFIX}{URL}"
    assert not post.truncated and post.fold_at is None
    assert post.link_card  # no photos: the link shows as a card


def test_the_title_goes_first_only_when_given():
    post = render("ok", title="Ремонт дорог", text="Открыли улицу.", url=URL)
    assert post.text.startswith("Ремонт дорог\n\nОткрыли улицу.")


@pytest.mark.parametrize("network", sorted(FORMATS))
def test_each_network_cuts_at_its_own_limit(network):
    limit = FORMATS[network].limit
    text = SENTENCE * (limit // len(SENTENCE) + 5)
    post = render(network, text=text, url=URL)
    assert post.truncated
    assert post.length <= limit == post.limit
    assert post.text.endswith(f"{ELLIPSIS}\n\n{MORE_PREFIX}{URL}")
    # Cut after a whole sentence, not in the middle of a word.
    assert f"раньше срока{ELLIPSIS}\n" in post.text


def test_telegram_with_photos_is_a_caption_of_1024():
    text = SENTENCE * 30  # about 1 650 characters
    alone = render("telegram", text=text, url=URL)
    with_photos = render("telegram", text=text, url=URL, photos=3)
    assert not alone.truncated and alone.limit == 4096
    assert with_photos.truncated and with_photos.limit == 1024 and with_photos.length <= 1024
    assert not with_photos.link_card  # photos instead of the link's card
    # MAX and VK keep their limits with photos.
    assert not render("max", text=text, url=URL, photos=3).truncated
    assert not render("vk", text=text, url=URL, photos=3).truncated


def test_the_feed_folds_long_posts_where_the_network_does():
    text = SENTENCE * 10
    vk = render("vk", text=text, url=URL)
    assert vk.fold_at is not None and vk.fold_at <= 300
    assert vk.visible + vk.hidden == vk.text and vk.text[vk.fold_at] == " "
    assert render("telegram", text=text, url=URL).fold_at is None  # Telegram shows all


def test_photos_beyond_ten_are_left_out():
    post = render("ok", text="Фоторепортаж.", url=URL, photos=14)
    assert (post.photos, post.photos_left_out) == (10, 4)


def test_hashtags_from_the_editors_line():
    assert hashtags_of("#ремонт, Заречный;  ремонт  #Дороги_2026") == (
        "ремонт",
        "Заречный",
        "Дороги_2026",
    )
    assert hashtags_of("") == ()
    assert hashtags_of(["день города", "#день города"]) == ("день_города",)
