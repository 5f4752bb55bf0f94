import pytest
from django.urls import reverse

from cases.factories import NeedFactory
from conferences import services
from conferences.tests.conftest import begin
from core.permissions import actor_for

pytestmark = pytest.mark.django_db


def test_flow(
    client,
    conference,
    case_worker,
    youth_worker,
    anna,
    ben,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    need = NeedFactory(person=anna, code="housing.rent_arrears")
    item = services.add_item(
        actor_for(case_worker),
        conference,
        person=anna,
        needs=[need],
        question="Wie sichern wir die Wohnung?",
    )
    client.force_login(youth_worker)
    r = client.get(conference.get_absolute_url())
    assert r.status_code == 200, r.content
    html = r.content.decode()
    assert item.case_label in html
    assert "Beispiel" not in html
    begin(conference)
    services.hold_conference(actor_for(case_worker), conference)
    conference.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        action = services.add_action(
            actor_for(case_worker),
            conference,
            item=item,
            title="Mietschulden klären",
            owner=conference.invited_organisations.first(),
            due_in_days=5,
        )
    client.force_login(case_worker)
    for name, args in [
        ("conferences:list", []),
        ("conferences:actions", []),
        ("conferences:detail", [conference.pk]),
        ("conferences:item_create", [anna.pk]),
        ("conferences:create", []),
        ("conferences:calendar", []),
        ("conferences:ics", [conference.pk]),
        ("cases:household_detail", [anna.household_id]),
        ("home", []),
    ]:
        r = client.get(reverse(name, args=args))
        assert r.status_code == 200, (name, r.content[:3000])
    r = client.get(reverse("conferences:action_referral", args=[action.pk]))
    assert r.status_code == 302
    print(r["Location"])
    r = client.get(r["Location"])
    assert r.status_code == 200
