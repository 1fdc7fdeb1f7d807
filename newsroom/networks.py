"""The networks and channels the office works with: one enum for cases, accounts and links.

Each model offers the part of it that makes sense for it: a citizen's message may come from any
channel, the site's footer links social pages, the system posts to VK and OK.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Network(models.TextChoices):
    VK = "vk", _("ВКонтакте")
    OK = "ok", _("Одноклассники")
    TELEGRAM = "telegram", _("Telegram")
    MAX = "max", _("MAX")
    RUTUBE = "rutube", _("RUTUBE")
    SITE = "site", _("Сайт")
    MESSENGER = "messenger", _("Мессенджер")
    POS = "pos", _("ПОС (Госуслуги)")
    OTHER = "other", _("Другое")


def network_choices(*networks):
    """``choices`` for a field that takes only these networks, in this order."""
    return [(network.value, network.label) for network in networks]


#: Where a citizen's message can be found.
CASE_NETWORKS = network_choices(
    Network.VK,
    Network.OK,
    Network.TELEGRAM,
    Network.MAX,
    Network.SITE,
    Network.MESSENGER,
    Network.POS,
    Network.OTHER,
)
#: The administration's pages linked in the site's footer.
LINK_NETWORKS = network_choices(
    Network.VK, Network.OK, Network.TELEGRAM, Network.MAX, Network.RUTUBE, Network.OTHER
)
#: The addresses an official page on each network lives at: a footer link to «ВКонтакте» must
#: lead to VK itself, so that visitors (and the networks' own checks of official pages) find the
#: administration's page there.
LINK_HOSTS = {
    Network.VK: ("vk.com", "vk.ru"),
    Network.OK: ("ok.ru",),
    Network.TELEGRAM: ("t.me", "telegram.me"),
    Network.MAX: ("max.ru",),
    Network.RUTUBE: ("rutube.ru",),
}
#: Where the system itself posts.
ACCOUNT_NETWORKS = network_choices(Network.VK, Network.OK, Network.TELEGRAM, Network.MAX)
#: Channels posted to through a bot (a channel, no personal pages).
BOT_NETWORKS = (Network.TELEGRAM, Network.MAX)
