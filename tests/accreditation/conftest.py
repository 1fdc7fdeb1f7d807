import pytest

from newsroom import roles
from tests.accreditation.factories import AccreditationPageFactory
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.WAGTAILADMIN_BASE_URL = "https://press.example.ru"
    return settings.PRIVATE_STORAGE_ROOT / "accreditation"


@pytest.fixture
def page(site_tree):
    return AccreditationPageFactory(parent=site_tree.home)


@pytest.fixture
def reviewer(db):
    return UserFactory(username="reviewer", groups=[roles.ACCREDITATION])


@pytest.fixture
def editor(db):
    return UserFactory(username="acc-editor", groups=[roles.EDITORS])


def stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
