"""The style check applied to news: the editors' phrase list fed to the plain checker."""


def body_text(stream_value):
    """Plain text of a news body: paragraphs, quotes and captions, one block a paragraph."""
    from newsroom.stylecheck import strip_html

    parts = []
    for block in stream_value or []:
        value = block.value
        if block.block_type == "paragraph":
            parts.append(strip_html(value.source))
        elif block.block_type == "quote":
            parts.append(value["text"])
        elif block.block_type in {"image", "video"} and value.get("caption"):
            parts.append(value["caption"])
        elif block.block_type == "gallery":
            parts.extend(item["caption"] for item in value["images"] if item.get("caption"))
    return "\n\n".join(part for part in parts if part)


def checker():
    from newsroom.models import StylePhrase
    from newsroom.stylecheck import StyleChecker

    return StyleChecker(StylePhrase.objects.as_checker_phrases())


def review_fields(title="", lead="", body=""):
    return checker().check({"title": title or "", "lead": lead or "", "body": body or ""})


def review_page(page):
    return review_fields(page.title, page.lead, body_text(page.body))


def sign_off_findings(page):
    """What the head should see before signing ``page`` off: ``[(where, «важно» hints)]`` — the
    material's own text, then the posts' texts of a crossposted page."""
    from django.utils.translation import gettext as _

    found = []
    if hasattr(page, "body") and hasattr(page, "lead"):
        high = review_page(page).high_hints
        if high:
            found.append((_("Текст материала"), high))
    social = getattr(page, "social_style_findings", None)
    if social is not None:
        found += social()
    return found
