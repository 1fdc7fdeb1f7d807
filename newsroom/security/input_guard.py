"""Wagtail screens that answer a tampered request with a server error get a 400 instead.

The redirects import's second step expects the signed fields its first step wrote into the page;
without them Wagtail's form fails with a KeyError (a 500).
"""

from django.http import HttpResponseBadRequest

# view name → the POST fields without which the view cannot answer sensibly
REQUIRED_POST_FIELDS = {
    "wagtailredirects:process_import": ("import_file_name", "input_format"),
}


class WagtailInputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        required = REQUIRED_POST_FIELDS.get(match.view_name) if match else None
        if required and request.method == "POST" and not all(request.POST.get(f) for f in required):
            return HttpResponseBadRequest(
                "Запрос не содержит данных загруженного файла: начните импорт заново.".encode(),
                content_type="text/plain; charset=utf-8",
            )
        return None
