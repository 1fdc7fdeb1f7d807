"""Helpers of the public-page tests: publishing a page as an editor would."""


def publish(page, **changes):
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page
