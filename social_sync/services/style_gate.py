"""The gate between a press-release text and the networks (seed 003 app. 2 p.8).

A post whose social text (or a network's own text) still has hints marked «важно» by the style
check does not go out, unless the editor ticked «всё равно опубликовать в соцсетях»: its outbox
row is written as held, with the phrases to fix, and goes out when the page is published again
with the text fixed or the box ticked.
"""

from social_sync.post_format import FORMATS


def high_hints(content, network):
    """The «важно» hints of the text ``network`` would get (its own, or the common one)."""
    from newsroom.news_style import checker

    text = content.overrides.get(network) or content.text
    return checker().check({"social": text}).high_hints


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
