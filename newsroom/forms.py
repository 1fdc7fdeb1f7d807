from wagtail.admin.forms import WagtailAdminPageForm


class NewsPageForm(WagtailAdminPageForm):
    """The news editor's form.

    ``date`` defaults to «now», a callable, for which Django renders a hidden copy of the initial
    value and compares against it; Wagtail's editor does not render that copy, so every save would
    look like a change of date. With re-approval on edit, approving from the editor would then
    restart the workflow. The editor shows the date to the minute, so it is compared to the
    minute too: the date counts as changed only when the editor really changes it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "date" in self.fields:
            self.fields["date"].show_hidden_initial = False
            if self.instance.date:
                self.initial["date"] = self.instance.date.replace(second=0, microsecond=0)
