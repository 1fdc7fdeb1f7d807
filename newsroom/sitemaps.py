"""The sitemap lists what a visitor may see listed (``newsroom.visibility``), as every other
public listing does."""

from wagtail.contrib.sitemaps import Sitemap

from newsroom.visibility import visible_to_visitors


class VisitorSitemap(Sitemap):
    def items(self):
        pages = self.get_wagtail_site().root_page.get_descendants(inclusive=True)
        return visible_to_visitors(pages).order_by("path").defer_streamfields().specific()
