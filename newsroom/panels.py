from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import Panel

FIELD_LABELS = {"title": _("Заголовок"), "lead": _("Лид"), "body": _("Текст")}


class StyleCheckPanel(Panel):
    """Shows the bureaucratese found in the news item and a readability figure.

    The first result is computed from the saved draft; «Проверить» re-checks what is in the form
    now, without saving.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "newsroom/panels/style_check.html"

        def get_context_data(self, parent_context=None):
            from newsroom.news_style import review_page

            context = super().get_context_data(parent_context)
            context["check_url"] = reverse("newsroom_style_check")
            context["report"] = review_page(self.instance) if self.instance.pk else None
            context["field_labels"] = FIELD_LABELS
            return context


class AnswerChecklistPanel(Panel):
    """The R12 checklist and the style check of an official answer, for its author and reviewers."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "newsroom/panels/answer_checklist.html"

        def get_context_data(self, parent_context=None):
            from newsroom.casework.rules.answer_check import check_answer
            from newsroom.news_style import review_fields

            context = super().get_context_data(parent_context)
            answer = self.instance
            if not answer.pk or not answer.text:
                context["hints"] = None
                return context
            context["hints"] = check_answer(
                text=answer.text,
                measures_taken=answer.measures_taken,
                stages_and_terms=answer.stages_and_terms,
                legal_basis=answer.legal_basis,
                attachments=len(answer.attachments.all()),
                network=answer.case.network,
                is_repeat=answer.case.repeated_of_id is not None,
            )
            context["report"] = review_fields(body=answer.text)
            context["field_labels"] = {"body": _("Ответ")}
            return context


def remaining_label(delta):
    """«3 ч 20 мин» (no plurals needed); the sign is for the caller to say."""
    minutes = int(abs(delta).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return _("%(h)d ч %(m)d мин") % {"h": hours, "m": minutes}
    if hours:
        return _("%(h)d ч") % {"h": hours}
    return _("%(m)d мин") % {"m": minutes}


def case_context_extras(case):
    from wagtail import hooks

    from newsroom.casework.signals import CASE_CONTEXT_HOOK

    return [html for function in hooks.get_hooks(CASE_CONTEXT_HOOK) for html in function(case)]


class CaseContextPanel(Panel):
    """What the answer is to: the citizen's message as it was found, with its link, and the
    nearest deadline counted down in the regulation's own time (working or calendar)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "newsroom/panels/case_context.html"

        def get_context_data(self, parent_context=None):
            from django.utils import timezone

            from newsroom.casework.rules.deadlines import WORKING_UNITS
            from newsroom.clock import organisation_clock
            from newsroom.organisation import local_datetime

            context = super().get_context_data(parent_context)
            case = self.instance.case if self.instance.case_id else None
            context["case"] = case
            if case is None:
                return context
            due = case.next_due
            context["author"] = case.author_name or case.author_id or _("автор не указан")
            context["detected"] = local_datetime(case.detected_at)
            context["network"] = case.get_network_display()
            context["extra"] = case_context_extras(case)
            if due is None:
                return context
            now = timezone.now()
            working = bool(case.profile and case.profile.rules().answer.unit in WORKING_UNITS)
            left = organisation_clock().between(now, due) if working else due - now
            context.update(
                due=local_datetime(due),
                overdue=due <= now,
                left=remaining_label(left),
                working=working,
            )
            return context


class PlanDownloadsPanel(Panel):
    """Links to the plan's DOCX and XLSX and back to collecting events from the calendar."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "newsroom/panels/plan_downloads.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            plan = self.instance
            context["downloads"] = (
                [
                    (label, reverse("newsroom_plan_download", args=(plan.pk, label.lower())))
                    for label in ("DOCX", "XLSX")
                ]
                if plan.pk
                else []
            )
            context["collect_url"] = reverse("newsroom_plan_collect")
            return context


class BroadcastLinksPanel(Panel):
    """On a broadcast's editor: how many questions came, where to sort them, the speaker's sheet."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "newsroom/panels/broadcast_links.html"

        def get_context_data(self, parent_context=None):
            from newsroom.models import QuestionStatus

            context = super().get_context_data(parent_context)
            event = self.instance
            context["event"] = event
            if event.pk:
                questions = event.questions.all()
                context["total"] = questions.count()
                context["waiting"] = questions.filter(status=QuestionStatus.NEW).count()
                context["list_url"] = (
                    reverse("wagtailsnippets_newsroom_broadcastquestion:list")
                    + f"?event={event.pk}"
                )
                context["sheet_url"] = reverse("newsroom_speaker_sheet", args=(event.pk,))
            return context
