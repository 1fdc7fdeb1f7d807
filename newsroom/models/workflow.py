"""The head's sign-off: a group approval that shows what the style check still finds.

Before the head approves a page, the approve dialog lists the «важно» hints left in the
material's text and in its posts' texts (press-release Russian that the regulations ask to
rewrite, seed 003 app. 2 p.8). With such hints in a post's text the posts are held on
publication, unless the head ticks «всё равно опубликовать в соцсетях» in that dialog: the
page is published with that tick, and the step's comment says who let the text through.
"""

from django import forms
from django.core.cache import cache
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.models import AbstractGroupApprovalTask, Page

from newsroom.news_style import sign_off_findings


class ApproveForm(forms.Form):
    comment = forms.CharField(
        label=_("Комментарий"), required=False, widget=forms.Textarea({"rows": 2})
    )
    publish_anyway = forms.BooleanField(
        label=_("Всё равно опубликовать в соцсетях"),
        required=False,
        help_text=_(
            "Без отметки посты с такими оборотами не уйдут в соцсети, пока текст не исправят."
        ),
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Комментарий"), required=False, widget=forms.Textarea({"rows": 2})
    )


def _under_review(obj):
    """The version of ``obj`` the head is asked to approve: its latest revision."""
    if isinstance(obj, Page):
        revision = obj.get_latest_revision()
        return revision.as_object() if revision else obj
    return obj


#: How long the hints of a revision are kept: a revision's text never changes, but an edit of the
#: style dictionary shows in the dialog after at most this long.
FINDINGS_SECONDS = 600


class SignOffTask(AbstractGroupApprovalTask):
    def findings_for(self, obj):
        """The «важно» hints of the version of ``obj`` under approval, ``[(where, hints)]``.

        Asked for each row of the head's «awaiting review» list, so they are kept per revision
        (a cache read, not a style check, for a row seen before).
        """
        revision_id = getattr(obj, "latest_revision_id", None)
        key = f"sign-off-findings:{revision_id}"
        found = cache.get(key) if revision_id else None
        if found is None:
            found = sign_off_findings(_under_review(obj.specific if isinstance(obj, Page) else obj))
            if revision_id:
                cache.set(key, found, FINDINGS_SECONDS)
        return found

    def get_actions(self, obj, user):
        if not (user.is_superuser or self._user_in_groups(user)):
            return []
        # Wagtail's own labels (and their Russian), as on the editor's step before this one.
        reject = ("reject", gettext("Request changes"), True)
        if self.findings_for(obj):
            return [reject, ("approve", gettext("Одобрить — есть замечания стиля"), True)]
        return [
            reject,
            ("approve", gettext("Approve"), False),
            ("approve", gettext("Approve with comment"), True),
        ]

    def get_form_for_action(self, action):
        return ApproveForm if action == "approve" else CommentForm

    def get_template_for_action(self, action):
        return "newsroom/workflow/sign_off_modal.html"

    def on_action(self, task_state, user, action_name, **kwargs):
        publish_anyway = kwargs.pop("publish_anyway", False)
        if action_name == "approve" and publish_anyway:
            self._let_posts_through(task_state, user)
            note = gettext("Посты в соцсети разрешены с замечаниями стиля.")
            kwargs["comment"] = " ".join(filter(None, [kwargs.get("comment", ""), note]))
        return super().on_action(task_state, user, action_name, **kwargs)

    @staticmethod
    def _let_posts_through(task_state, user):
        """Tick «всё равно опубликовать в соцсетях» in the revision being approved.

        The tick goes into that revision rather than a new one: with re-approval on edit a new
        revision would send the page back to the editor's review. The step's comment records
        who ticked it.
        """
        page = task_state.workflow_state.content_object
        if not isinstance(page, Page):
            return
        revision = page.get_latest_revision()
        if revision is None or "social_publish_anyway" not in revision.content:
            return
        revision.content = {**revision.content, "social_publish_anyway": True}
        revision.save(update_fields=["content"])

    @classmethod
    def get_description(cls):
        return gettext(
            "Утверждают участники выбранных групп; в окне утверждения видны замечания стиля"
        )

    class Meta:
        verbose_name = _("утверждение с проверкой стиля")
        verbose_name_plural = _("утверждения с проверкой стиля")
