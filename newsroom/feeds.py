from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed

from newsroom.models.listing import news_listing

FEED_ITEMS = 30


class NewsFeed(Feed):
    feed_type = Rss201rev2Feed

    def __init__(self, news_index):
        super().__init__()
        self.news_index = news_index

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return self.news_index.title

    def link(self):
        return self.news_index.get_url(self.request)

    def description(self):
        return self.news_index.intro or self.news_index.title

    def items(self):
        return news_listing(self.news_index.all_news())[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        return item.date

    def item_categories(self, item):
        return [item.department.short_name] if item.department else []
