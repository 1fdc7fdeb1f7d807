"""``{% main_menu as items %}``: the public site's main menu (``newsroom.menu``), each item with
its ``aria-current`` for this request."""

from django import template

from newsroom.menu import main_menu as menu_of

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    request = context.get("request")
    if request is None:
        return []
    return [(item, item.current_for(request.path)) for item in menu_of(request)]
