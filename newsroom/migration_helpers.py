"""Steps shared by data migrations of more than one app. Written against the historical models
that ``apps`` gives, so a later change of the models does not change what a migration did."""


def tick_show_in_menus(apps, app_label, model_names):
    """Tick «Показывать в меню» on the site sections (children of a site's home page) of these
    page types, in the page and in its latest revision, so that publishing that revision later
    does not take the tick away."""
    Revision = apps.get_model("wagtailcore", "Revision")
    for name in model_names:
        model = apps.get_model(app_label, name)
        for page in model.objects.filter(depth=3, show_in_menus=False):
            model.objects.filter(pk=page.pk).update(show_in_menus=True)
            revision = Revision.objects.filter(pk=page.latest_revision_id).first()
            if revision is not None:
                revision.content = {**revision.content, "show_in_menus": True}
                revision.save(update_fields=["content"])
