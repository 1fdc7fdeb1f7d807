"""Listing search finds Cyrillic text whatever the letter case, on SQLite as on PostgreSQL."""

import pytest

from newsroom.models import Case
from newsroom.search import contains_text
from tests.newsroom.casework.factories import CaseFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["дороге", "ДОРОГЕ", "Дороге", "анна кузнецова", "Анна Кузнецова", "  яма  "]
)
def test_cyrillic_text_is_found_in_any_case(query):
    found = CaseFactory(text="Яма на дороге у школы", author_name="Анна Кузнецова")
    CaseFactory(text="Не вывозят мусор", author_name="Пётр Иванов")
    matches = Case.objects.filter(contains_text(["text", "author_name"], query))
    assert list(matches) == [found]


@pytest.mark.django_db
def test_nothing_is_found_for_text_that_is_not_there():
    CaseFactory(text="Яма на дороге у школы", author_name="Анна Кузнецова")
    assert not Case.objects.filter(contains_text(["text", "author_name"], "снег")).exists()
