"""Files an applicant might send: real photos (with EXIF and GPS), PDFs, and fakes."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from PIL import Image


def jpeg_with_gps(size=(300, 400), colour=(120, 80, 40)):
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[0x010F] = "Camera Maker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    exif[0x0131] = "Secret Editor 1.0"  # Software
    gps = {1: "N", 2: (55.0, 45.0, 21.0), 3: "E", 4: (37.0, 37.0, 4.0)}
    exif[0x8825] = gps  # GPSInfo
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def png_bytes(size=(200, 260), mode="RGBA"):
    buffer = io.BytesIO()
    Image.new(mode, size, (10, 200, 30, 128) if mode == "RGBA" else 0).save(buffer, "PNG")
    return buffer.getvalue()


def bomb_png(size=(10_000, 10_000)):
    """A tiny PNG that unpacks into 100 million pixels."""
    buffer = io.BytesIO()
    Image.new("1", size).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def pdf_bytes(text="Письмо редакции"):
    from fpdf import FPDF

    from accreditation.services.cards import FONT_REGULAR

    pdf = FPDF()
    pdf.add_font("Sans", "", FONT_REGULAR)
    pdf.add_page()
    pdf.set_font("Sans", "", 12)
    pdf.cell(0, 10, text)
    return bytes(pdf.output())


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def photo(name="photo.jpg"):
    return upload(name, jpeg_with_gps(), "image/jpeg")


def letter(name="letter.pdf"):
    return upload(name, pdf_bytes(), "application/pdf")
