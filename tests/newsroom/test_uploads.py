"""Bad uploads are refused with a Russian message and leave nothing behind."""

import io
import os

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.images import get_image_model

import pytest
from PIL import Image as PILImage

from newsroom import roles
from tests.factories import UserFactory, jpeg_bytes

Image = get_image_model()


def png_bytes(size, mode="L"):
    buffer = io.BytesIO()
    PILImage.new(mode, size).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def media_files(settings):
    root = settings.MEDIA_ROOT
    return (
        {os.path.join(d, f) for d, _, files in os.walk(root) for f in files}
        if os.path.exists(root)
        else set()
    )


@pytest.fixture
def editor_client(client, db):
    client.force_login(UserFactory(username="uploader", groups=[roles.EDITORS]))
    return client


def upload(client, name, content, content_type="image/jpeg"):
    return client.post(
        reverse("wagtailimages:add"),
        {"title": "Фото", "file": SimpleUploadedFile(name, content, content_type=content_type)},
    )


@pytest.mark.django_db
def test_a_real_photo_is_accepted(editor_client):
    response = upload(editor_client, "photo.jpg", jpeg_bytes())
    assert response.status_code == 302
    assert Image.objects.filter(title="Фото").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.jpg", b"%PDF-1.4 this is not an image", "не является изображением"),
        ("virus.exe", b"MZ\x90\x00", "не является изображением"),
        (
            "scan.tiff",
            b"II*\x00" + b"\x00" * 64,
            "Поддерживаемые форматы: JPG, JPEG, PNG, GIF, WEBP",
        ),
    ],
)
def test_files_that_are_not_supported_images_are_refused(
    editor_client, settings, name, content, message
):
    before = media_files(settings)
    response = upload(editor_client, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Image.objects.exists()
    assert media_files(settings) == before


@pytest.mark.django_db
def test_an_image_over_the_size_limit_is_refused(editor_client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    before = media_files(settings)
    response = upload(editor_client, "big.jpg", jpeg_bytes(size=(400, 400)) + b"\x00" * 2048)
    assert "Файл слишком большой" in response.content.decode()
    assert not Image.objects.exists()
    assert media_files(settings) == before


@pytest.mark.django_db
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_decompression_bomb_is_refused(editor_client, settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 10_000_000
    bomb = png_bytes((12_000, 12_000))  # a few hundred kilobytes that unpack to 144 megapixels
    assert len(bomb) < settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
    before = media_files(settings)
    response = upload(editor_client, "bomb.png", bomb, "image/png")
    assert "слишком много пикселей" in response.content.decode()
    assert not Image.objects.exists()
    assert media_files(settings) == before
