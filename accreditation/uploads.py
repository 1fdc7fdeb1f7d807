"""Checking what applicants upload, before anything is written.

* Size: at most ``ACCREDITATION_MAX_UPLOAD_BYTES`` (10 MB).
* A photo must really be an image (JPEG, PNG or WebP, whatever its name says): it is opened with
  Pillow, refused if it has more pixels than ``ACCREDITATION_MAX_IMAGE_PIXELS`` (a decompression
  bomb: a small file that unpacks into gigabytes), turned upright by its EXIF orientation and
  re-encoded as a fresh JPEG — no EXIF, GPS or other metadata survive.
* A letter is a PDF or an image. A PDF must start with ``%PDF-`` and pypdf must open it and find
  at least one page; encrypted PDFs are refused (reviewers could not read them), and so are PDFs
  that carry active content — JavaScript, launch or submit actions, embedded files, XFA forms —
  which a letter never needs and a reviewer's viewer could run. PDFs are kept as sent. An image
  letter is re-encoded like a photo.
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
        active = active_content(reader)
    except ValidationError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError):
        raise fake from None
    if active:
        raise ValidationError(
            "PDF содержит %s — в письме редакции этого быть не должно. Сохраните письмо заново "
            "через «Печать → Сохранить как PDF» или отсканируйте его в JPEG и выберите снова."
            % active,
            code="active_pdf",
        )
    return CheckedFile(data, "pdf", "application/pdf")


# What a PDF may carry that runs or opens something in the reader's viewer, and how we name it.
ACTIVE_ACTIONS = {
    "/JavaScript": "сценарий JavaScript",
    "/Launch": "команду запуска программы",
    "/SubmitForm": "отправку данных формы",
    "/ImportData": "загрузку внешних данных",
    "/RichMedia": "встроенное мультимедиа",
    "/GoToR": "переход в другой файл",
    "/GoToE": "переход во вложенный файл",
}
# A link may lead only to a web page or an e-mail address: «javascript:», «file:» and a network
# share («\\\\server\\share», «smb:») open something on the reviewer's computer.
SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")
ACTIVE_KEYS = {
    "/JS": "сценарий JavaScript",
    "/JavaScript": "сценарий JavaScript",
    "/EmbeddedFile": "вложенный файл",
    "/EmbeddedFiles": "вложенные файлы",
    "/XFA": "форму XFA",
    "/RichMedia": "встроенное мультимедиа",
}
# A letter has a few hundred objects; a file with more is read only this far.
MAX_OBJECTS = 20_000


def active_content(reader) -> str:
    """What active content the PDF holds, in Russian (accusative), or "".

    Every object of the file is read, those inside compressed object streams included, so that
    an action cannot hide from a look at the catalogue alone. A plain «open at page 1»
    ``/OpenAction`` (what word processors write) is not active content.
    """
    numbers = set()
    for generations in reader.xref.values():
        numbers.update(generations)
    numbers.update(reader.xref_objStm)
    for number in sorted(numbers)[:MAX_OBJECTS]:
        try:
            obj = reader.get_object(number)
        except Exception:  # a damaged object is not active content
            continue
        found = _active_in(obj)
        if found:
            return found
    return ""


def _active_in(obj, depth=0):
    """Active content in one object and the dictionaries and arrays written inside it (references
    to other objects are not followed: ``active_content`` reads every object anyway)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    if depth > 32 or isinstance(obj, IndirectObject):
        return ""
    if isinstance(obj, DictionaryObject):
        for key, what in ACTIVE_KEYS.items():
            if key in obj:
                return what
        kind = obj.get("/S")
        if isinstance(kind, NameObject) and kind in ACTIVE_ACTIONS:
            return ACTIVE_ACTIONS[kind]
        if kind == "/URI" and not _is_safe_link(obj.get("/URI")):
            return "ссылку не на веб-страницу (%s)" % _shown_link(obj.get("/URI"))
        children = obj.values()
    elif isinstance(obj, ArrayObject):
        children = obj
    else:
        return ""
    for child in children:
        found = _active_in(child, depth + 1)
        if found:
            return found
    return ""


def _link_text(uri):
    from pypdf.generic import ByteStringObject

    if isinstance(uri, ByteStringObject | bytes):
        return bytes(uri).decode("latin-1")
    return str(uri or "")


def _is_safe_link(uri):
    return _link_text(uri).strip().lower().startswith(SAFE_LINK_SCHEMES)


def _shown_link(uri):
    text = "".join(ch for ch in _link_text(uri).strip() if ch.isprintable())
    return (text[:40] + "…") if len(text) > 40 else text


def check_letter(upload) -> CheckedFile:
    data = _read(upload)
    if data.startswith(b"%PDF-") or (upload.name or "").lower().endswith(".pdf"):
        return check_pdf(data)
    return reencode_image(data, LETTER_MAX_SIDE, "Письмо редакции")
