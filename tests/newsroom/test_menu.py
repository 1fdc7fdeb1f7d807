"""The main menu comes from the site's own page tree: the home page's published children with
«Показывать в меню» ticked, in tree order; a warm process serves it from memory."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from newsroom.menu import MenuItem, main_menu
from newsroom.models import AppealsPage

pytestmark = pytest.mark.django_db


def menu_links(html):
    nav = html.split('aria-label="Основное меню"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="([^"]+)"(?: aria-current="(\w+)")?>([^<]+)</a>', nav)


def test_the_sections_are_the_menu_in_tree_order(client, site_tree):
    links = menu_links(client.get(site_tree.news_index.url).content.decode())
    assert [(url, title) for url, _current, title in links] == [
        (site_tree.news_index.url, site_tree.news_index.title),
        (site_tree.event_index.url, site_tree.event_index.title),
        (site_tree.head.url, site_tree.head.title),
    ]
    assert links[0][1] == "page"  # the visitor is on the news list


def test_inside_a_section_its_item_is_marked(client, site_tree):
    links = menu_links(client.get(site_tree.area.url).content.decode())
    assert [current for _url, current, _title in links] == ["true", "", ""]


def test_a_page_out_of_the_menu_or_unpublished_is_not_listed(client, site_tree):
    site_tree.head.show_in_menus = False
    site_tree.head.save_revision().publish()
    site_tree.event_index.unpublish()
    links = menu_links(client.get("/").content.decode())
    assert [url for url, _current, _title in links] == [site_tree.news_index.url]


def test_a_new_section_shows_on_the_next_request(client, site_tree):
    client.get("/")
    page = AppealsPage(title="Обращения граждан", slug="obrashheniya")
    site_tree.home.add_child(instance=page)
    page.save_revision().publish()
    titles = [title for _url, _current, title in menu_links(client.get("/").content.decode())]
    assert titles[-1] == "Обращения граждан"
    assert page.show_in_menus  # a section is in the menu unless the editor says otherwise


def test_a_warm_process_reads_the_menu_from_memory(rf, site_tree):
    request = rf.get("/")
    first = main_menu(request)
    with CaptureQueriesContext(connection) as queries:
        again = main_menu(rf.get("/news/"))
    assert again == first and len(first) == 3
    assert [q["sql"] for q in queries if "wagtailcore_page" in q["sql"]] == []


def test_aria_current_of_an_item():
    item = MenuItem("Новости", "/news/")
    assert item.current_for("/news/") == "page"
    assert item.current_for("/news/remont-mosta/") == "true"
    assert item.current_for("/events/") == ""
    assert MenuItem("Главная", "/").current_for("/news/") == ""


def test_a_section_closed_to_visitors_is_not_listed(client, site_tree):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(
        page=site_tree.head, restriction_type=PageViewRestriction.LOGIN
    )
    links = menu_links(client.get("/").content.decode())
    assert site_tree.head.url not in [url for url, _current, _title in links]
    assert len(links) == 2
