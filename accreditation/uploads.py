"""Checking what applicants upload, before anything is written.

* Size: at most ``ACCREDITATION_MAX_UPLOAD_BYTES`` (10 MB).
* A photo must really be an image (JPEG, PNG or WebP, whatever its name says): it is opened with
  Pillow, refused if it has more pixels than ``ACCREDITATION_MAX_IMAGE_PIXELS`` (a decompression
  bomb: a small file that unpacks into gigabytes), turned upright by its EXIF orientation and
  re-encoded as a fresh JPEG — no EXIF, GPS or other metadata survive.
* A letter is a PDF or an image. A PDF must start with ``%PDF-`` and pypdf must open it and find
  at least one page; encrypted PDFs are refused (reviewers could not read them). PDFs are kept as
  sent. An image letter is re-encoded like a photo.
* Stored names are random (``<year>/<32 hex>.jpg``): nothing of the applicant's file name is kept.
"""

from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
PHOTO_MAX_SIDE = 1600
LETTER_MAX_SIDE = 3000
JPEG_QUALITY = 88
AGAIN = "Выберите файл ещё раз."


def max_bytes():
    return settings.ACCREDITATION_MAX_UPLOAD_BYTES


def max_megabytes():
    return max_bytes() // (1024 * 1024)


@dataclass
class CheckedFile:
    """A file that passed the checks: the bytes to store and what they are."""

    content: bytes
    extension: str  # "jpg" or "pdf"
    content_type: str

    def as_content_file(self):
        return ContentFile(self.content)

    def random_name(self, year):
        return f"{year}/{secrets.token_hex(16)}.{self.extension}"


def _read(upload):
    if upload.size is not None and upload.size > max_bytes():
        raise ValidationError(
            f"Файл больше {max_megabytes()} МБ. Уменьшите его и выберите снова.", code="too_big"
        )
    upload.seek(0)
    data = upload.read(max_bytes() + 1)
    if len(data) > max_bytes():
        raise ValidationError(
            f"Файл больше {max_megabytes()} МБ. Уменьшите его и выберите снова.", code="too_big"
        )
    if not data:
        raise ValidationError("Файл пуст. " + AGAIN, code="empty")
    return data


def reencode_image(data: bytes, max_side: int, what: str) -> CheckedFile:
    """The image as a new JPEG without metadata, or ValidationError (in Russian)."""
    limit = settings.ACCREDITATION_MAX_IMAGE_PIXELS
    bomb = ValidationError(
        f"{what}: слишком большое изображение в пикселях (больше {limit // 1_000_000} млн "
        "точек). Уменьшите его и выберите снова.",
        code="bomb",
    )
    not_image = ValidationError(
        f"{what}: файл не является изображением JPEG, PNG или WebP. " + AGAIN, code="not_image"
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in IMAGE_FORMATS:
                    raise not_image
                width, height = image.size
                if width * height > limit:
                    raise bomb
                image.load()
                image = ImageOps.exif_transpose(image)
                if image.mode not in ("RGB", "L"):
                    background = Image.new("RGB", image.size, (255, 255, 255))
                    rgba = image.convert("RGBA")
                    background.paste(rgba, mask=rgba.getchannel("A"))
                    image = background
                elif image.mode == "L":
                    image = image.convert("RGB")
                image.thumbnail((max_side, max_side))
                out = io.BytesIO()
                # No exif=, no icc_profile=: the new file carries pixels only.
                image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise bomb from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise not_image from None
    return CheckedFile(out.getvalue(), "jpg", "image/jpeg")


def check_photo(upload) -> CheckedFile:
    return reencode_image(_read(upload), PHOTO_MAX_SIDE, "Фотография")


def check_pdf(data: bytes) -> CheckedFile:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    fake = ValidationError(
        "Файл назван PDF, но им не является или повреждён. Сохраните письмо в PDF заново "
        "или отсканируйте его в JPEG и выберите снова.",
        code="fake_pdf",
    )
    if not data.startswith(b"%PDF-"):
        raise fake
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                "PDF защищён паролем: сохраните письмо без пароля и выберите снова.",
                code="encrypted",
            )
        if len(reader.pages) < 1:
            raise fake
    except ValidationError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError):
        raise fake from None
    return CheckedFile(data, "pdf", "application/pdf")


def check_letter(upload) -> CheckedFile:
    data = _read(upload)
    if data.startswith(b"%PDF-") or (upload.name or "").lower().endswith(".pdf"):
        return check_pdf(data)
    return reencode_image(data, LETTER_MAX_SIDE, "Письмо редакции")
