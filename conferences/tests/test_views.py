"""Conference pages: what they show, their German refusals, and query counts that do not grow
with the agenda."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.factories import HouseholdFactory, NeedFactory, member_of
from conferences import services
from conferences.models import Conference
from conferences.tests.conftest import begin
from core.permissions import actor_for

pytestmark = pytest.mark.django_db


def _present_households(conference, user, jobcenter, count):
    for index in range(count):
        household = HouseholdFactory(organisation=jobcenter)
        person = member_of(household, first_name=f"Vorname{index}", last_name=f"Name{index}")
        need = NeedFactory(person=person, code="housing.rent_arrears")
        item = services.add_item(
            actor_for(user), conference, person=person, needs=[need], question="Wie weiter?"
        )
        owner = conference.invited_organisations.first()
        if conference.has_begun:
            services.add_action(
                actor_for(user), conference, item=item, title="Klären", owner=owner, due_in_days=3
            )


@pytest.mark.parametrize("user_name", ["case_worker", "youth_worker"])
def test_the_conference_page_costs_the_same_for_2_and_6_cases(
    client, conference, case_worker, youth_worker, jobcenter, user_name, request
):
    begin(conference)
    user = request.getfixturevalue(user_name)
    client.force_login(user)
    _present_households(conference, case_worker, jobcenter, 2)
    with CaptureQueriesContext(connection) as two:
        assert client.get(conference.get_absolute_url()).status_code == 200
    _present_households(conference, case_worker, jobcenter, 4)
    with CaptureQueriesContext(connection) as six:
        assert client.get(conference.get_absolute_url()).status_code == 200
    assert len(six) == len(two)


def test_the_list_costs_the_same_for_2_and_8_conferences(client, case_worker, youth_office):
    from conferences.tests.conftest import plan

    plan(case_worker, youth_office, frequency="weekly", count=2)
    client.force_login(case_worker)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("conferences:list"))
    plan(case_worker, youth_office, frequency="weekly", count=6)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("conferences:list"))
    assert len(many) == len(few)
    assert page.content.decode().count("Fallberatung Jobcenter – Jugendamt") >= 8


def test_planning_page_shows_german_errors_and_saves_nothing(client, case_worker, youth_office):
    client.force_login(case_worker)
    response = client.post(
        reverse("conferences:create"),
        {"title": "Runde", "day": "2020-01-07", "start": "14:00", "end": "15:00", "location": "A"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Bitte laden Sie mindestens eine andere Organisation ein." in text
    response = client.post(
        reverse("conferences:create"),
        {
            "title": "Runde",
            "day": "2020-01-07",
            "start": "14:00",
            "end": "15:00",
            "location": "A",
            "organisations": [youth_office.pk],
        },
    )
    assert "Eine Fallberatung kann nicht in der Vergangenheit geplant werden." in (
        response.content.decode()
    )
    assert Conference.objects.count() == 0


def test_planning_a_series_from_the_page(client, case_worker, youth_office):
    from django.utils import timezone

    client.force_login(case_worker)
    day = timezone.localdate().replace(year=timezone.localdate().year + 1)
    response = client.post(
        reverse("conferences:create"),
        {
            "title": "Monatsrunde",
            "day": day.isoformat(),
            "start": "14:00",
            "end": "15:30",
            "location": "Kreishaus",
            "organisations": [youth_office.pk],
            "frequency": "monthly",
            "count": "12",
        },
    )
    first = Conference.objects.order_by("starts_at").first()
    assert response["Location"] == first.get_absolute_url()
    assert Conference.objects.count() == 12


def test_the_item_page_previews_and_warns(client, conference, case_worker, anna, ben):
    need = NeedFactory(person=anna, code="housing.rent_arrears")
    client.force_login(case_worker)
    url = reverse("conferences:item_create", args=[anna.pk])
    data = {
        "conference": conference.pk,
        "needs": [need.pk],
        "question": "Wie kann Ben (Kita) betreut werden?",
        "presentation": "pseudonymised",
    }
    preview = client.post(url, {**data, "submit": "preview"}).content.decode()
    assert "Vorschau: so sehen die anderen Organisationen den Fall" in preview
    assert "Hinweise zur Fragestellung" in preview
    assert conference.items.count() == 0

    warned = client.post(url, {**data, "submit": "save"}).content.decode()
    assert "enthält vielleicht Angaben, die die Person erkennbar machen" in warned
    assert conference.items.count() == 0

    saved = client.post(url, {**data, "submit": "save", "confirm_identifiers": "on"})
    assert saved.status_code == 302
    assert conference.items.count() == 1


def test_an_identified_presentation_without_consent_is_refused_on_the_page(
    client, conference, case_worker, anna
):
    client.force_login(case_worker)
    response = client.post(
        reverse("conferences:item_create", args=[anna.pk]),
        {
            "conference": conference.pk,
            "question": "Wie weiter?",
            "presentation": "identified",
            "submit": "save",
        },
    )
    assert "Mit Namen nur, wenn eine Einwilligung alle Teilnehmenden" in response.content.decode()
    assert conference.items.count() == 0


def test_the_minutes_warn_about_identifiers_before_saving(client, conference, case_worker, anna):
    item = services.add_item(actor_for(case_worker), conference, person=anna, question="Wie?")
    begin(conference)
    client.force_login(case_worker)
    url = reverse("conferences:item_minutes", args=[item.pk])
    fields = {f"item{item.pk}-text": "Frau Beispiel kommt", f"item{item.pk}-version": item.version}
    response = client.post(url, fields)
    assert "Der Text enthält vielleicht Angaben zur Person" in response.content.decode()
    item.refresh_from_db()
    assert item.minutes == ""
    client.post(url, {**fields, f"item{item.pk}-confirm_identifiers": "on"})
    item.refresh_from_db()
    assert item.minutes == "Frau Beispiel kommt"
