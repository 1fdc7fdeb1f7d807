"""Requests no screen can answer sensibly get a 400 with a Russian explanation, before any view.

* A query string carrying NUL or another control character (``/news/?tag=%00``): no link or form
  of the product makes one, and PostgreSQL refuses NUL in a query outright, so each listing,
  filter and search would otherwise fail with a server error of its own.
* The redirects import's second step without the signed fields its first step wrote into the
  page: Wagtail's form would fail with a KeyError (a 500).
"""

import unicodedata

from django.http import HttpResponseBadRequest

# view name → the POST fields without which the view cannot answer sensibly
REQUIRED_POST_FIELDS = {
    "wagtailredirects:process_import": ("import_file_name", "input_format"),
}
ALLOWED_CONTROLS = frozenset("\t\n\r")


def has_control_characters(text):
    return any(unicodedata.category(char) == "Cc" and char not in ALLOWED_CONTROLS for char in text)


def _bad_request(message):
    return HttpResponseBadRequest(message.encode(), content_type="text/plain; charset=utf-8")


class WagtailInputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(
            has_control_characters(key) or any(has_control_characters(v) for v in values)
            for key, values in request.GET.lists()
        ):
            return _bad_request(
                "В адресе запроса есть управляющие символы (например, %00): "
                "уберите их из адреса и откройте страницу снова."
            )
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        required = REQUIRED_POST_FIELDS.get(match.view_name) if match else None
        if required and request.method == "POST" and not all(request.POST.get(f) for f in required):
            return _bad_request(
                "Запрос не содержит данных загруженного файла: начните импорт заново."
            )
        return None
