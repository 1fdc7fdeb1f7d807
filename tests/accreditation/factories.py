"""Factories of the accreditation: the page, applications in each state, cards."""

import datetime

from django.utils import timezone

import factory
import wagtail_factories

from accreditation.models import (
    Accreditation,
    AccreditationPage,
    Application,
    ApplicationStatus,
    Consent,
    ConsentKind,
    ConsentText,
    Journalist,
    JournalistDecision,
    OutletKind,
)


class AccreditationPageFactory(wagtail_factories.PageFactory):
    """Open all year (1 January – 31 December): applications are for the next year."""

    class Meta:
        model = AccreditationPage

    title = "Аккредитация СМИ"
    slug = "accreditation"
    rules = "<p>Аккредитация журналистов при администрации района проводится ежегодно.</p>"
    window_start_day = 1
    window_start_month = 1
    window_end_day = 31
    window_end_month = 12


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    page = None
    number = factory.Sequence(lambda n: f"А-2090-{n + 1:04d}")
    year = factory.LazyFunction(lambda: timezone.localdate().year + 1)
    status = ApplicationStatus.SUBMITTED
    outlet_name = factory.Sequence(lambda n: f"Районная газета {n}")
    outlet_kind = OutletKind.PRINT
    registration_number = factory.Sequence(lambda n: f"ПИ № ТУ 22 - {n + 100:05d}")
    registration_date = datetime.date(2015, 3, 1)
    website = "https://gazeta.example.ru"
    editor_in_chief = "Петров Пётр Петрович"
    applicant_email = factory.Sequence(lambda n: f"redakciya{n}@example.ru")
    status_token_hash = factory.Sequence(lambda n: f"{n:064x}")
    ip_address = "203.0.113.5"
    review_due_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))


class JournalistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Journalist
        skip_postgeneration_save = True

    application = factory.SubFactory(ApplicationFactory)
    full_name = factory.Sequence(lambda n: f"Иванова Мария {n}")
    position = "корреспондент"
    phone = "+79123456789"
    email = factory.Sequence(lambda n: f"journalist{n}@example.ru")
    decision = JournalistDecision.PENDING

    @factory.post_generation
    def consents(self, create, extracted, **kwargs):
        """``consents=("processing", "distribution")`` by default; pass () for none."""
        if not create:
            return
        kinds = ("processing", "distribution") if extracted is None else extracted
        page = self.application.page
        for kind in kinds:
            if page:
                text = page.specific.consent_text(kind)
            else:
                text = ConsentText.current_for(kind, f"Текст согласия {kind}")
            Consent.objects.create(
                journalist=self,
                kind=ConsentKind(kind),
                text=text,
                given_at=timezone.now(),
                ip_address="203.0.113.5",
            )


class AccreditationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Accreditation

    journalist = factory.SubFactory(
        JournalistFactory,
        decision=JournalistDecision.APPROVED,
        application__status=ApplicationStatus.APPROVED,
    )
    number = factory.Sequence(lambda n: f"2090-{n + 1:04d}")
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    valid_until = factory.LazyAttribute(lambda o: datetime.date(o.year, 12, 31))
