"""Posting the public form as a browser would."""

from tests.accreditation import files

OUTLET = {
    "outlet_name": "Вестник района",
    "outlet_kind": "print",
    "registration_number": "пи № ту 22-00123",
    "registration_date": "2015-03-01",
    "website": "https://vestnik.example.ru",
    "editor_in_chief": "Петров Пётр Петрович",
    "applicant_email": "redakciya@vestnik.example.ru",
}


def journalist(i, **overrides):
    data = {
        "full_name": f"Иванова Мария Сергеевна {i}" if i else "Иванова Мария Сергеевна",
        "position": "корреспондент",
        "phone": "8 (912) 345-67-8" + str(i % 10),
        "email": f"ivanova{i}@vestnik.example.ru",
        "photo": files.photo(),
        "letter": files.letter(),
        "consent_processing": "on",
        "consent_distribution": "on",
    }
    data.update(overrides)
    return data


def form_data(page, journalists=1, people=None, **outlet):
    data = {
        **OUTLET,
        **outlet,
        "company_site": outlet.get("company_site", ""),
        "processing_version": page.consent_text("processing").pk,
        "distribution_version": page.consent_text("distribution").pk,
        "j-INITIAL_FORMS": 0,
        "j-MIN_NUM_FORMS": 1,
        "j-MAX_NUM_FORMS": 20,
    }
    people = people if people is not None else [journalist(i) for i in range(journalists)]
    data["j-TOTAL_FORMS"] = len(people)
    for i, person in enumerate(people):
        for key, value in person.items():
            if value is not None:
                data[f"j-{i}-{key}"] = value
    return data


def submit(client, page, data, **extra):
    return client.post(page.url, data, **extra)


def make_application(page, journalists=2, consent_distribution=True, **outlet):
    """A submitted application with real files, stored by the service as the form would.
    Returns the application and its private token."""
    import datetime

    from accreditation import uploads
    from accreditation.services.applications import submit as store

    outlet_data = {
        "outlet_name": "Вестник района",
        "outlet_kind": "print",
        "registration_number": "ПИ № ТУ 22 - 00123",
        "registration_date": datetime.date(2015, 3, 1),
        "website": "https://vestnik.example.ru",
        "editor_in_chief": "Петров Пётр Петрович",
        "applicant_email": "redakciya@vestnik.example.ru",
        **outlet,
    }
    people = [
        {
            "full_name": name,
            "position": "корреспондент",
            "phone": f"+7912345678{i}",
            "email": f"person{i}@vestnik.example.ru",
            "consent_distribution": consent_distribution,
            "checked": {
                "photo": uploads.check_photo(files.photo()),
                "letter": uploads.check_letter(files.letter()),
            },
        }
        for i, name in enumerate(
            ["Иванова Мария Сергеевна", "Сидоров Олег Иванович", "Кузнецова Анна Павловна"][
                :journalists
            ]
        )
    ]
    texts = {kind: page.consent_text(kind) for kind in ("processing", "distribution")}
    year = datetime.date.today().year + 1
    return store(page, year, outlet_data, people, texts, "203.0.113.10")
