"""The accreditation card: a printable PDF (fpdf2) with the photo and a QR code (segno).

The card is A6 landscape (148 × 105 mm), a common badge size that prints on any printer (four to
an A4 sheet, or alone). The QR code holds the card's public verification address, absolute,
built from SITE_BASE_URL and the accreditation page's path.

The font is Source Sans Pro (SIL Open Font License), shipped by the ``font-source-sans-pro``
package from PyPI: a fresh machine gets it with ``pip install`` alone, while system fonts
(/usr/share/fonts) are not guaranteed by ``make install``. It covers Cyrillic and the «№» sign.
"""

import io
import os

from django.conf import settings

import font_source_sans_pro

from accreditation.services import links

FONT_DIR = font_source_sans_pro.font_directory
FONT_REGULAR = os.path.join(FONT_DIR, "SourceSansPro-Regular.ttf")
FONT_BOLD = os.path.join(FONT_DIR, "SourceSansPro-Bold.ttf")

WIDTH, HEIGHT = 148, 105
MARGIN = 7
PHOTO_W, PHOTO_H = 30, 40
QR_SIZE = 32
NAVY = (31, 58, 96)


def organisation_name():
    from newsroom.organisation import organisation_settings

    name = getattr(organisation_settings(), "name", "") or ""
    return name or settings.WAGTAIL_SITE_NAME


def qr_png(url):
    import segno  # loaded when a card is made, not in every web worker

    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


def card_pdf(accreditation):
    """The PDF bytes of the card."""
    from fpdf import FPDF  # ~45 MB of fonts and PDF code, loaded when a card is made

    journalist = accreditation.journalist
    application = journalist.application
    page = application.page.specific if application.page else None
    url = links.verification_url(page, accreditation.number) if page else ""

    pdf = FPDF(orientation="L", unit="mm", format=(HEIGHT, WIDTH))
    pdf.set_title(f"Аккредитационная карточка № {accreditation.number}")
    pdf.set_author(organisation_name())
    pdf.set_creator("pressoffice")
    pdf.add_font("Sans", "", FONT_REGULAR)
    pdf.add_font("Sans", "B", FONT_BOLD)
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.add_page()

    # Frame and header band.
    pdf.set_draw_color(*NAVY)
    pdf.set_line_width(0.6)
    pdf.rect(3, 3, WIDTH - 6, HEIGHT - 6)
    pdf.set_fill_color(*NAVY)
    pdf.rect(3, 3, WIDTH - 6, 17, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_xy(MARGIN, 5)
    pdf.set_font("Sans", "", 8)
    pdf.multi_cell(WIDTH - 2 * MARGIN, 3.6, organisation_name(), align="C")
    pdf.set_xy(MARGIN, 12.5)
    pdf.set_font("Sans", "B", 11)
    pdf.cell(WIDTH - 2 * MARGIN, 5, "АККРЕДИТАЦИОННАЯ КАРТОЧКА ЖУРНАЛИСТА", align="C")

    # Photo (or an empty frame when there is none).
    top = 24
    pdf.set_text_color(0, 0, 0)
    if journalist.photo:
        with journalist.photo.open("rb") as photo:
            pdf.image(
                io.BytesIO(photo.read()),
                x=MARGIN,
                y=top,
                w=PHOTO_W,
                h=PHOTO_H,
                keep_aspect_ratio=True,
            )
    pdf.set_draw_color(160, 160, 160)
    pdf.set_line_width(0.2)
    pdf.rect(MARGIN, top, PHOTO_W, PHOTO_H)

    # Who and where from.
    left = MARGIN + PHOTO_W + 5
    text_width = WIDTH - left - MARGIN
    pdf.set_xy(left, top)
    pdf.set_font("Sans", "B", 14)
    pdf.multi_cell(text_width, 6, journalist.full_name, new_x="LEFT", new_y="NEXT")
    pdf.set_font("Sans", "", 10)
    pdf.multi_cell(text_width, 4.6, journalist.position, new_x="LEFT", new_y="NEXT")
    pdf.set_xy(left, pdf.get_y() + 1.5)
    pdf.set_font("Sans", "B", 10)
    pdf.multi_cell(text_width, 4.6, application.outlet_name, new_x="LEFT", new_y="NEXT")
    pdf.set_font("Sans", "", 8)
    pdf.multi_cell(
        text_width,
        3.8,
        f"{application.get_outlet_kind_display()}, свидетельство {application.registration_number}",
        new_x="LEFT",
        new_y="NEXT",
    )

    # Number, validity and the QR code at the bottom.
    bottom = HEIGHT - MARGIN - QR_SIZE
    pdf.set_xy(MARGIN, bottom + 8)
    pdf.set_font("Sans", "B", 12)
    pdf.cell(
        WIDTH - 2 * MARGIN - QR_SIZE, 6, f"№ {accreditation.number}", new_x="LEFT", new_y="NEXT"
    )
    pdf.set_font("Sans", "", 11)
    pdf.cell(
        WIDTH - 2 * MARGIN - QR_SIZE,
        6,
        f"действительна до {accreditation.valid_until:%d.%m.%Y}",
        new_x="LEFT",
        new_y="NEXT",
    )
    pdf.set_font("Sans", "", 7)
    pdf.set_text_color(80, 80, 80)
    pdf.multi_cell(
        WIDTH - 2 * MARGIN - QR_SIZE - 4,
        3.2,
        "Проверить карточку: наведите камеру на QR-код или откройте страницу проверки "
        "на сайте и введите номер.",
    )
    if url:
        pdf.image(
            io.BytesIO(qr_png(url)), x=WIDTH - MARGIN - QR_SIZE, y=bottom, w=QR_SIZE, h=QR_SIZE
        )
    return bytes(pdf.output())


def card_filename(accreditation):
    return f"kartochka-{accreditation.number}.pdf"
