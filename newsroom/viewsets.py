from django.utils.translation import gettext_lazy as _

from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from newsroom.models import Department, StylePhrase


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    menu_label = _("Подразделения")
    list_display = ["name", "short_name", "head_name", "phone"]
    search_fields = ["name", "short_name", "head_name"]
    ordering = ["name"]


class StylePhraseViewSet(SnippetViewSet):
    model = StylePhrase
    icon = "edit"
    menu_label = _("Словарь стиля")
    list_display = ["phrase", "suggestion", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["phrase", "suggestion"]


class NewsroomViewSetGroup(SnippetViewSetGroup):
    items = (DepartmentViewSet, StylePhraseViewSet)
    menu_icon = "doc-full-inverse"
    menu_label = _("Редакция")
    menu_name = "newsroom"
