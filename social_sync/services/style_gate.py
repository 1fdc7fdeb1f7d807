"""The gate between a press-release text and the networks (seed 003 app. 2 p.8).

A post whose social text (or a network's own text) still has hints marked «важно» by the style
check does not go out, unless «всё равно опубликовать в соцсетях» is ticked — by the editor on
the «Соцсети» tab or by the head in the sign-off dialog (``newsroom.models.workflow``): its
outbox row is written as held, with the phrases to fix, and goes out when the page is published
again with the text fixed or the box ticked.
"""

from django.utils.translation import gettext as _

from social_sync.post_format import FORMATS


def _high_hints_of(text):
    from newsroom.news_style import checker

    return checker().check({"social": text}).high_hints


def high_hints(content, network):
    """The «важно» hints of the text ``network`` would get (its own, or the common one)."""
    return _high_hints_of(content.overrides.get(network) or content.text)


def texts_to_fix(page):
    """The texts ``page`` would send that have «важно» hints: ``[(where, hints)]`` — the common
    text first, then each network's own text. Shown where the head signs the page off."""
    from social_sync.services.content import build_content

    content = build_content(page, url="", with_images=False)
    found = []
    common = _high_hints_of(content.text) if len(content.overrides) < len(FORMATS) else []
    if common:
        found.append((_("Текст для соцсетей"), common))
    for network, text in content.overrides.items():
        hints = _high_hints_of(text)
        if hints:
            found.append(
                (_("Текст для сети «%(network)s»") % {"network": FORMATS[network].label}, hints)
            )
    return found


def hold_reason(page, content, network):
    """Why the post to ``network`` is held, or "" when it may go."""
    if getattr(page, "social_publish_anyway", False) or network not in FORMATS:
        return ""
    hints = high_hints(content, network)
    if not hints:
        return ""
    phrases = "; ".join(f"«{hint.matched}» → {hint.suggestion}" for hint in hints[:5])
    return (
        "Не отправлено: текст для соцсетей звучит как пресс-релиз — " + phrases + ". Исправьте "
        "текст на вкладке «Соцсети» или отметьте «всё равно опубликовать в соцсетях» и опубликуйте "
        "материал снова."
    )
