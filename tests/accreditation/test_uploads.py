"""What an applicant uploads is checked by content: photos re-encoded without metadata, PDFs
opened, fakes, oversized files and decompression bombs refused."""

import io

from django.core.exceptions import ValidationError

import pytest
from PIL import Image

from accreditation import uploads
from tests.accreditation import files


def test_a_photo_is_reencoded_as_jpeg_without_exif_or_gps():
    original = files.jpeg_with_gps()
    assert b"Secret Editor" in original
    checked = uploads.check_photo(files.upload("me.jpg", original))
    assert checked.extension == "jpg"
    image = Image.open(io.BytesIO(checked.content))
    assert image.format == "JPEG"
    assert image.size == (300, 400)
    assert not image.getexif()
    assert b"Secret Editor" not in checked.content
    assert b"GPS" not in checked.content
    assert b"Exif" not in checked.content


def test_a_transparent_png_becomes_a_jpeg_on_white():
    checked = uploads.check_photo(files.upload("me.png", files.png_bytes()))
    assert Image.open(io.BytesIO(checked.content)).mode == "RGB"


def test_a_big_photo_is_scaled_down():
    checked = uploads.check_photo(files.upload("big.jpg", files.jpeg_with_gps(size=(4000, 3000))))
    assert max(Image.open(io.BytesIO(checked.content)).size) == uploads.PHOTO_MAX_SIDE


@pytest.mark.parametrize(
    "content",
    [
        files.pdf_bytes(),
        b"MZ\x90\x00 an executable",
        b"GIF89a" + b"\x00" * 40,
        b"\xff\xd8\xff broken",
    ],
)
def test_a_photo_that_is_not_an_image_is_refused(content):
    with pytest.raises(ValidationError, match="не является изображением") as error:
        uploads.check_photo(files.upload("photo.jpg", content))
    assert "ещё раз" in error.value.messages[0]


def test_a_decompression_bomb_is_refused(settings):
    data = files.bomb_png()
    assert len(data) < 100_000  # small on disk, 100 million pixels inside
    with pytest.raises(ValidationError, match="слишком большое изображение"):
        uploads.check_photo(files.upload("bomb.png", data))


def test_an_image_above_the_pixel_limit_is_refused(settings):
    settings.ACCREDITATION_MAX_IMAGE_PIXELS = 100 * 100
    with pytest.raises(ValidationError, match="млн"):
        uploads.check_photo(files.upload("p.jpg", files.jpeg_with_gps(size=(101, 100))))


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.ACCREDITATION_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
    big = files.upload("letter.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError, match="больше 10 МБ"):
        uploads.check_letter(big)


def test_a_real_pdf_letter_is_kept_as_sent():
    data = files.pdf_bytes()
    checked = uploads.check_letter(files.upload("letter.pdf", data))
    assert (checked.extension, checked.content_type, checked.content) == (
        "pdf",
        "application/pdf",
        data,
    )


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\nthis is not really a pdf",
        b"just text pretending",
        b"%PDF-1.4\n" + b"\x00" * 300,
    ],
)
def test_a_fake_pdf_is_refused(content):
    with pytest.raises(ValidationError, match="не является|не являются|им не является"):
        uploads.check_letter(files.upload("letter.pdf", content))


def test_an_encrypted_pdf_is_refused():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(files.pdf_bytes())))
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ValidationError, match="паролем"):
        uploads.check_letter(files.upload("letter.pdf", buffer.getvalue()))


def test_a_scanned_letter_is_reencoded_like_a_photo():
    checked = uploads.check_letter(files.upload("scan.jpg", files.jpeg_with_gps()))
    assert checked.extension == "jpg"
    assert b"Secret Editor" not in checked.content


def test_stored_names_are_random():
    checked = uploads.check_letter(files.upload("Иванова паспорт.pdf", files.pdf_bytes()))
    first, second = checked.random_name(2027), checked.random_name(2027)
    assert first != second
    assert first.startswith("2027/") and first.endswith(".pdf")
    assert "Иванова" not in first


def pdf_with(change):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(files.pdf_bytes())))
    change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def open_action_javascript(writer):
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('Письмо')"),
        }
    )


def open_action_launch(writer):
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer._root_object[NameObject("/OpenAction")] = writer._add_object(
        DictionaryObject(
            {
                NameObject("/S"): NameObject("/Launch"),
                NameObject("/F"): TextStringObject("cmd.exe"),
            }
        )
    )


def page_opened_javascript(writer):
    """A script run when the first page opens, kept in a compressed object stream."""
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    action = writer._add_object(
        DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("1")}
        )
    )
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): action})
    writer.compress_identical_objects()


def open_at_first_page(writer):
    from pypdf.generic import ArrayObject, NameObject, NullObject, NumberObject

    first = writer.pages[0].indirect_reference
    writer._root_object[NameObject("/OpenAction")] = ArrayObject(
        [first, NameObject("/XYZ"), NullObject(), NullObject(), NumberObject(0)]
    )


def link_to(uri, action="/URI"):
    """A link annotation on the first page, as a word processor writes one."""

    def change(writer):
        from pypdf.generic import (
            ArrayObject,
            DictionaryObject,
            NameObject,
            NumberObject,
            TextStringObject,
        )

        target = {NameObject("/URI"): TextStringObject(uri)}
        if action == "/GoToR":
            target = {NameObject("/F"): TextStringObject(uri), NameObject("/D"): ArrayObject()}
        link = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (10, 10, 100, 30)]),
                NameObject("/A"): DictionaryObject(
                    {NameObject("/S"): NameObject(action), **target}
                ),
            }
        )
        writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(link)])

    return change


@pytest.mark.parametrize(
    "change, what",
    [
        (link_to("javascript:alert(document.cookie)"), "ссылку не на веб-страницу"),
        (link_to("file:///C:/Windows/System32/cmd.exe"), "ссылку не на веб-страницу"),
        (link_to("\\\\fileserver\\share\\payload.lnk"), "ссылку не на веб-страницу"),
        (link_to("smb://fileserver/share/x"), "ссылку не на веб-страницу"),
        (link_to("\\\\fileserver\\share\\x.pdf", action="/GoToR"), "переход в другой файл"),
        (open_action_javascript, "сценарий JavaScript"),
        (page_opened_javascript, "сценарий JavaScript"),
        (open_action_launch, "команду запуска программы"),
        (lambda writer: writer.add_attachment("run.exe", b"MZ"), "вложен"),
    ],
)
def test_a_pdf_with_active_content_is_refused(change, what):
    with pytest.raises(ValidationError, match=what):
        uploads.check_letter(files.upload("letter.pdf", pdf_with(change)))


@pytest.mark.parametrize(
    "uri", ["https://ria.example.ru/about", "http://gazeta.example.ru", "mailto:red@example.ru"]
)
def test_a_pdf_with_links_to_web_pages_and_e_mail_is_an_ordinary_letter(uri):
    assert (
        uploads.check_letter(files.upload("letter.pdf", pdf_with(link_to(uri)))).extension == "pdf"
    )


def test_a_pdf_that_opens_at_its_first_page_is_an_ordinary_letter():
    checked = uploads.check_letter(files.upload("letter.pdf", pdf_with(open_at_first_page)))
    assert checked.extension == "pdf"
