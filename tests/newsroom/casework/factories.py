"""Factories of citizens' messages and the people who work on them.

``CaseFactory`` starts the case's clock the way registration does (``services.cases.start_clock``:
the active regulation profile, real deadlines from ``detected_at``); deadlines passed to the
factory explicitly win over the computed ones, so a test can place a case «overdue» or «at risk»
relative to now::

    CaseFactory(executor=executor, status="routed", next_due=timezone.now() - timedelta(hours=1))
"""

from django.contrib.auth.models import Group
from django.utils import timezone

import factory

from newsroom import roles
from newsroom.casework.services.cases import refresh_next_due, start_clock
from newsroom.models import Case, CaseKind, Network
from tests.factories import UserFactory

DEADLINE_FIELDS = (
    "routing_due",
    "draft_due",
    "forward_due",
    "answer_due",
    "rework_due",
    "final_due",
    "clock_started_at",
)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    source = "manual"
    network = Network.VK
    url = factory.Sequence(lambda n: f"https://vk.com/wall-1_{n}")
    # Deterministic: tests search by author names, a random one could match them.
    author_name = factory.Sequence(lambda n: f"Житель {n}")
    author_id = factory.Sequence(lambda n: f"id{100000 + n}")
    text = factory.Sequence(
        lambda n: f"Сообщение жителя номер {n}: во дворе дома {n} не убран снег."
    )
    detected_at = factory.LazyFunction(timezone.now)
    kind = CaseKind.INCIDENT

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        case = model_class(*args, **kwargs)
        start_clock(case, profile=kwargs.get("profile"))
        for field in DEADLINE_FIELDS:
            if field in kwargs:
                setattr(case, field, kwargs[field])
        # The nearest deadline of the case's status, unless the test fixes it itself.
        if "next_due" in kwargs:
            case.next_due = kwargs["next_due"]
        else:
            refresh_next_due(case)
        case.save()
        return case


def _role_groups(role):
    """The user's groups: the role's, plus any named in ``groups=[...]``."""

    def add_groups(user, create, extracted, **kwargs):
        if create:
            user.groups.add(*Group.objects.filter(name__in=[role, *(extracted or [])]))
        user.save()

    return factory.PostGeneration(add_groups)


class _RoleUserFactory(UserFactory):
    """A user in a role group; ``department=`` adds the group of that department."""

    @factory.post_generation
    def department(self, create, extracted, **kwargs):
        if create and extracted is not None:
            extracted.refresh_from_db()
            self.groups.add(extracted.group)


class ExecutorFactory(_RoleUserFactory):
    username = factory.Sequence(lambda n: f"executor{n}")
    groups = _role_groups(roles.EXECUTORS)


class CuratorFactory(_RoleUserFactory):
    username = factory.Sequence(lambda n: f"curator{n}")
    groups = _role_groups(roles.CURATORS)


class EditorFactory(_RoleUserFactory):
    username = factory.Sequence(lambda n: f"editor{n}")
    groups = _role_groups(roles.EDITORS)
