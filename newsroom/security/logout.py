"""«Выйти»: a GET asks to confirm, only a POST ends the session.

Wagtail answers a GET of ``/admin/logout/`` with 405 yet deletes the session cookie and says
«вы вышли»: the browser forgets the session while the server keeps it alive, so a copied cookie
still works and the person believes she has signed out. Signing out by a bare GET would let any
page sign a user out (the reason Django takes only POST). So a GET shows a page with the one
button that signs out, and nothing else changes until it is pressed.
"""

from django.shortcuts import redirect
from django.template.response import TemplateResponse

from wagtail.admin.views.account import LogoutView


class ConfirmedLogoutView(LogoutView):
    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("wagtailadmin_login")
        return TemplateResponse(request, "newsroom/security/logout.html", {})

    def dispatch(self, request, *args, **kwargs):
        if request.method == "GET":
            return self.get(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)
