"""«Обращения граждан» and the organisation's identity: the ПОС widget with an identifier, the
other ways to write without one, the coat of arms, the names and the ОГРН."""

from django.core.exceptions import ValidationError

from wagtail.models import Site

import pytest

from newsroom.models import AppealsPage, OrganisationSettings, SocialLink
from newsroom.models.site_settings import validate_ogrn
from tests.factories import ImageFactory

pytestmark = pytest.mark.django_db
POS = "https://pos.gosuslugi.ru"


@pytest.fixture
def appeals(site_tree):
    page = AppealsPage(
        title="Обращения граждан",
        slug="obrashheniya",
        reception="<p>Личный приём по вторникам.</p>",
    )
    site_tree.home.add_child(instance=page)
    page.save_revision().publish()
    return page


def organisation(**fields):
    org = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in fields.items():
        setattr(org, name, value)
    org.save()
    return org


def test_without_an_identifier_the_page_explains_the_other_ways(client, appeals):
    organisation(address="658980, с. Ключи, ул. Центральная, 1", phone="+7 (385-78) 2-14-41")
    response = client.get(appeals.url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "data-appeals-fallback" in body and "ул. Центральная, 1" in body
    assert "data-pos-widget" not in body and "pos.gosuslugi.ru/bin" not in body
    assert POS not in response["Content-Security-Policy"]
    assert "Личный приём по вторникам." in body


def test_with_an_identifier_the_widget_is_there_and_allowed_by_the_policy(client, appeals):
    organisation(pos_widget_id=811)
    response = client.get(appeals.url)
    body = response.content.decode()
    assert 'data-pos-id="811"' in body and "Написать обращение" in body
    assert 'data-pos-script="https://pos.gosuslugi.ru/bin/script.min.js"' in body
    assert "newsroom/js/pos_widget.js" in body
    assert "data-appeals-fallback" not in body
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if "script-src" in part)
    assert POS in script_src and "unsafe-inline" not in script_src
    # Other pages keep the strict policy.
    assert POS not in client.get("/news/").get("Content-Security-Policy", "")


def test_the_widget_on_the_home_page_is_optional(client, site_tree):
    organisation(pos_widget_id=811)
    assert "data-pos-widget" not in client.get("/").content.decode()
    organisation(pos_widget_id=811, pos_on_home=True)
    response = client.get("/")
    assert "data-pos-widget" in response.content.decode()
    assert POS in response["Content-Security-Policy"]


def test_the_identity_in_the_header_and_footer(client, appeals):
    arms = ImageFactory(title="Герб района")
    organisation(
        name="Администрация района",
        full_name="Администрация Ключевского муниципального района Алтайского края",
        short_name="Администрация Ключевского района",
        ogrn="1022201000018",
        coat_of_arms=arms,
    )
    body = client.get("/").content.decode()
    assert 'class="site-name__arms"' in body and "site-name__mark" not in body
    assert "Администрация Ключевского района" in body
    assert "Администрация Ключевского муниципального района Алтайского края" in body
    assert "ОГРН 1022201000018" in body
    assert '<a href="/obrashheniya/">Обращения граждан</a>' in body  # in the main menu


@pytest.mark.parametrize(
    ("value", "message"),
    [("123", "13 цифр"), ("102220100001A", "13 цифр"), ("1022201000017", "Контрольная цифра")],
)
def test_a_wrong_ogrn_is_refused_with_a_reason(value, message):
    with pytest.raises(ValidationError, match=message):
        validate_ogrn(value)
    validate_ogrn("1022201000018")  # a right one passes


@pytest.mark.parametrize(
    ("network", "url"),
    [
        ("vk", "https://vk.com/kluchi_admin"),
        ("vk", "https://www.vk.ru/kluchi_admin"),
        ("ok", "https://ok.ru/group/kluchi.admin"),
        ("telegram", "https://t.me/kluchi_admin"),
        ("max", "https://max.ru/kluchi_admin"),
        ("other", "https://example.ru/kluchi"),
    ],
)
def test_an_official_page_link_leads_to_its_network(network, url):
    SocialLink(network=network, title="Администрация", url=url).clean()


@pytest.mark.parametrize(
    ("network", "url", "message"),
    [
        ("vk", "https://vk-fan.example/kluchi", "https://vk.com/ или https://vk.ru/"),
        ("ok", "http://ok.ru/group/kluchi", "https://ok.ru/"),
        ("telegram", "https://telegram.org/kluchi", "https://t.me/"),
    ],
)
def test_a_link_elsewhere_is_refused_with_the_address_to_use(network, url, message):
    with pytest.raises(ValidationError) as error:
        SocialLink(network=network, title="Администрация", url=url).clean()
    [text] = error.value.message_dict["url"]
    assert message in text and "должна начинаться с" in text
