"""The count under an admin listing in the plural form Russian needs.

Wagtail writes «1 <verbose_name>» or «N <verbose_name_plural>», which gives «5 комментарии» and
«22 обращения» → fine, «25 обращения» → wrong. A model that defines ``count_label(n)`` (through
``ngettext``, whose Russian forms are in the app's ``locale/ru`` catalogue) is counted with it.
"""

from django.utils.functional import cached_property

from wagtail.admin.paginator import WagtailPaginator


class CountingPaginator(WagtailPaginator):
    @cached_property
    def items_count_label(self):
        label = getattr(self.model, "count_label", None)
        return label(self.count) if label else super().items_count_label
