"""Two curators route the same case at the same moment: one wins, nothing is lost (PostgreSQL)."""

import threading

from django.db import close_old_connections, connection
from django.utils import timezone

import pytest

from newsroom.casework.services import cases
from newsroom.models import Case
from tests.factories import UserFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks (SELECT … FOR UPDATE) need PostgreSQL"
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_routing_one_wins(site_tree):
    curators = [UserFactory(username=f"curator{n}", groups=["Кураторы"]) for n in range(2)]
    executors = [UserFactory(username=f"executor{n}", groups=["Исполнители"]) for n in range(2)]
    case, _ = cases.register_case(
        {"network": "vk", "text": "Нет света", "detected_at": timezone.now()}, source="t"
    )
    barrier = threading.Barrier(2)
    outcomes = [None, None]

    def route(n):
        try:
            barrier.wait(timeout=10)
            cases.apply(case.pk, "route", curators[n], executor=executors[n])
            outcomes[n] = "routed"
        except cases.CaseError as error:
            outcomes[n] = str(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=route, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(o == "routed" for o in outcomes) == [False, True], outcomes
    loser = next(o for o in outcomes if o != "routed")
    assert "недоступно" in loser  # the second curator is told the case is already routed
    case = Case.objects.get(pk=case.pk)
    winner = outcomes.index("routed")
    assert case.executor == executors[winner]
    assert case.events.filter(action="route").count() == 1
