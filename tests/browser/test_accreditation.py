"""A journalist applies on the website with a photo and a PDF letter; a reviewer of the
«Аккредитация» group approves in the admin and downloads the card; the registry lists the
journalist; the address in the card's QR code shows «действительна»."""

import io

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from accreditation.models import Accreditation, Application
from newsroom import roles
from tests import factories
from tests.accreditation import files
from tests.accreditation.factories import AccreditationPageFactory
from tests.browser.test_newsroom_publication import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NAME = "Иванова Мария Сергеевна"
OUTLET = "Вестник Ключевского района"


@pytest.fixture
def accreditation_page(site_tree, settings, live_server, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    return AccreditationPageFactory(parent=site_tree.home)


def test_a_journalist_applies_a_reviewer_approves_and_the_card_verifies(
    accreditation_page, new_context, results_dir, tmp_path, live_server
):
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(files.jpeg_with_gps())
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(files.pdf_bytes())

    journalist = new_context().new_page()
    journalist.goto(accreditation_page.url)
    expect(journalist.get_by_role("heading", name="Заявка на аккредитацию")).to_be_visible()
    journalist.locator("#id_outlet_name").fill(OUTLET)
    journalist.locator("#id_outlet_kind").select_option("print")
    journalist.locator("#id_registration_number").fill("ПИ № ТУ 22-00123")
    journalist.locator("#id_registration_date").fill("2015-03-01")
    journalist.locator("#id_editor_in_chief").fill("Петров Пётр Петрович")
    journalist.locator("#id_applicant_email").fill("redakciya@vestnik.example.ru")
    journalist.locator("#id_j-0-full_name").fill(NAME)
    journalist.locator("#id_j-0-position").fill("корреспондент")
    journalist.locator("#id_j-0-phone").fill("8 (912) 345-67-89")
    journalist.locator("#id_j-0-email").fill("ivanova@vestnik.example.ru")
    journalist.locator("#id_j-0-photo").set_input_files(str(photo))
    journalist.locator("#id_j-0-letter").set_input_files(str(letter))
    # A second set of fields appears without reloading; left empty, it is ignored.
    journalist.get_by_role("link", name="Добавить журналиста").click()
    expect(journalist.get_by_role("group", name="Журналист 2")).to_be_visible()
    journalist.locator("#id_j-0-full_name").fill(NAME)
    journalist.get_by_label("Согласие на обработку персональных данных").first.check()
    journalist.get_by_label("Согласие на публикацию ФИО").first.check()
    journalist.screenshot(path=str(results_dir / "accreditation-form.png"), full_page=True)
    journalist.get_by_role("button", name="Отправить заявку").click()
    expect(journalist.get_by_role("status")).to_contain_text("Заявка принята")
    application = Application.objects.get()
    expect(journalist.locator("body")).to_contain_text(application.number)

    reviewer = factories.UserFactory(username="reviewer", groups=[roles.ACCREDITATION])
    admin = log_in(new_context(), reviewer)
    admin.get_by_role("link", name="Аккредитация").first.click()
    admin.get_by_role("link", name=f"{application.number} · {OUTLET}").click()
    expect(admin.get_by_role("img", name=f"Фотография: {NAME}")).to_be_visible()
    admin.get_by_role("button", name="Аккредитовать выбранных").click()
    expect(admin.locator("[data-application-status]").first).to_contain_text(
        "аккредитация предоставлена"
    )
    admin.screenshot(path=str(results_dir / "accreditation-approved.png"), full_page=True)

    card = Accreditation.objects.get()
    with admin.expect_download() as download_info:
        admin.get_by_role("link", name="Карточка (PDF)").click()
    pdf = tmp_path / "card.pdf"
    download_info.value.save_as(str(pdf))
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    assert NAME in reader.pages[0].extract_text()
    urls = [
        result.text
        for image in reader.pages[0].images
        for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)))
    ]
    assert urls == [f"{live_server.url}/accreditation/verify/{card.number}/"]

    visitor = new_context().new_page()
    visitor.goto(accreditation_page.url + "registry/")
    expect(visitor.locator("table")).to_contain_text(NAME)
    expect(visitor.locator("table")).to_contain_text(OUTLET)
    visitor.goto(urls[0])
    expect(visitor.locator("[data-card-state]")).to_have_text("действительна")
    visitor.screenshot(path=str(results_dir / "accreditation-verified.png"), full_page=True)
