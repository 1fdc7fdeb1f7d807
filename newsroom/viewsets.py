from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import LiveStatusTagColumn, UpdatedAtColumn
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from newsroom.models import (
    Answer,
    CalendarOverride,
    Case,
    Department,
    RegulationProfile,
    StylePhrase,
)


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


class AnswerViewSet(SnippetViewSet):
    model = Answer
    icon = "mail"
    menu_label = _("Ответы на сообщения")
    list_display = ["__str__", "kind", UpdatedAtColumn(), LiveStatusTagColumn()]
    list_filter = ["kind", "live"]

    def get_queryset(self, request):
        return Answer.objects.filter(
            case__in=Case.objects.visible_to(request.user).values("pk")
        ).select_related("case")


class RegulationProfileViewSet(SnippetViewSet):
    model = RegulationProfile
    icon = "clipboard-list"
    menu_label = _("Профили регламентов")
    list_display = ["name", "scope", "clock_start", "answer_amount", "answer_unit"]


class CalendarOverrideViewSet(SnippetViewSet):
    model = CalendarOverride
    icon = "calendar-alt"
    menu_label = _("Производственный календарь")
    list_display = ["date", "kind", "note"]
    list_filter = ["kind"]


class RegulationViewSetGroup(SnippetViewSetGroup):
    items = (AnswerViewSet, RegulationProfileViewSet, CalendarOverrideViewSet)
    menu_icon = "clipboard-list"
    menu_label = _("Регламент")
    menu_name = "regulation"
