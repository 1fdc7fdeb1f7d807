"""The demo site's accreditation page, seeded when ``load_demo_content`` has built the page tree.

The page shows the form, the registry and card verification (the window is open 1 December –
10 January; outside it the page shows the next window's dates).
"""

ACCREDITATION_TITLE = "Аккредитация СМИ"
ACCREDITATION_RULES = (
    "<p>Администрация района ежегодно аккредитует журналистов средств массовой информации, "
    "зарегистрированных в Роскомнадзоре (статья 48 Закона РФ «О средствах массовой информации»).</p>"
    "<ul><li>Заявку подаёт редакция: название и вид СМИ, номер и дата свидетельства о регистрации, "
    "главный редактор и журналисты, которых редакция направляет.</li>"
    "<li>К заявке прикладываются фотография каждого журналиста и письмо редакции за подписью "
    "главного редактора (PDF или скан).</li>"
    "<li>Аккредитация действует до 31 декабря года, на который она выдана. Аккредитованные "
    "журналисты заранее получают анонсы мероприятий администрации.</li>"
    "<li>Аккредитация может быть отозвана только в случаях, предусмотренных статьёй 48 Закона: "
    "при нарушении правил аккредитации или распространении не соответствующих действительности "
    "сведений, порочащих честь и достоинство администрации, что подтверждено решением суда.</li></ul>"
)


def seed_accreditation_page(sender, home, **kwargs):
    """Creates the accreditation page under the home page unless one exists; returns 1 or 0."""
    from accreditation.models import AccreditationPage

    if AccreditationPage.objects.exists():  # one per site (max_count), wherever it is
        return 0
    page = AccreditationPage(
        slug="accreditation", title=ACCREDITATION_TITLE, rules=ACCREDITATION_RULES
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return 1
