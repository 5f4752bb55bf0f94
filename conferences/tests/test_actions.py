"""Agreed actions: owner, due date on the network's working days, the owners' task list, the
case file of the presenting organisation, reminders when overdue, the next meeting of a series,
and a referral started from an action."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from cases.factories import NeedFactory
from conferences import services
from conferences.choices import ActionStatus, Frequency
from conferences.models import Action
from conferences.tasks import remind_overdue_conference_actions
from conferences.tests.conftest import begin, plan
from core.concurrency import StaleEditError
from core.models import Notification
from core.permissions import actor_for
from referrals.factories import consent_for
from referrals.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(anna):
    return NeedFactory(person=anna, code="housing.rent_arrears")


@pytest.fixture
def held(conference, case_worker, anna, need):
    item = services.add_item(
        actor_for(case_worker), conference, person=anna, needs=[need], question="Wohnung sichern?"
    )
    begin(conference)
    services.hold_conference(actor_for(case_worker), conference)
    conference.refresh_from_db()
    return conference, item


def agree(user, conference, **kwargs):
    kwargs.setdefault("title", "Mietschuldenübernahme prüfen")
    kwargs.setdefault("due_in_days", 5)
    return services.add_action(actor_for(user), conference, **kwargs)


def test_an_action_has_an_owner_and_a_due_date_in_working_days(
    held, case_worker, youth_office, youth_worker, mailoutbox, django_capture_on_commit_callbacks
):
    conference, item = held
    with django_capture_on_commit_callbacks(execute=True):
        action = agree(case_worker, conference, item=item, owner=youth_office)
    assert action.due_date == conference.network.add_working_days(timezone.localdate(), 5)
    notice = Notification.objects.get(user=youth_worker, key=f"conference-action:{action.pk}")
    assert "Jugendamt A" in notice.text
    # The e-mail names neither the case nor what was agreed.
    mail = next(m for m in mailoutbox if m.to == [youth_worker.email])
    assert "Mietschulden" not in mail.subject + mail.body
    assert item.case_label not in mail.subject + mail.body


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"owner": None}, "owner"),
        ({"title": "  "}, "title"),
        ({"due_in_days": None, "due_date": None}, "due_date"),
        ({"due_in_days": None, "due_date": date(2020, 1, 6)}, "due_date"),
    ],
)
def test_bad_actions_are_refused(held, case_worker, youth_office, kwargs, field):
    conference, item = held
    arguments = {"item": item, "owner": youth_office, **kwargs}
    with pytest.raises(ValidationError) as refused:
        agree(case_worker, conference, **arguments)
    assert field in refused.value.message_dict
    assert Action.objects.count() == 0


def test_the_owner_must_take_part(held, case_worker, network, outsider_org):
    from core.factories import OrganisationFactory

    conference, item = held
    stranger = OrganisationFactory(network=network, name="Schule am Berg")
    for owner in (stranger, outsider_org):
        with pytest.raises(ValidationError) as refused:
            agree(case_worker, conference, item=item, owner=owner)
        assert "nimmt an dieser Fallberatung nicht teil" in refused.value.message_dict["owner"][0]


def test_the_owner_person_must_work_there(held, case_worker, youth_office):
    conference, item = held
    with pytest.raises(ValidationError) as refused:
        agree(case_worker, conference, item=item, owner=youth_office, owner_user=case_worker)
    assert "owner_user" in refused.value.message_dict


def test_a_due_date_on_a_holiday_names_the_next_working_day(held, case_worker, youth_office):
    conference, item = held
    christmas = date(timezone.localdate().year + 1, 12, 25)
    with pytest.raises(ValidationError) as refused:
        agree(
            case_worker,
            conference,
            item=item,
            owner=youth_office,
            due_in_days=None,
            due_date=christmas,
        )
    message = refused.value.message_dict["due_date"][0]
    assert "kein Arbeitstag" in message
    assert "Nächster Arbeitstag" in message


def test_actions_are_agreed_only_once_the_conference_has_begun(
    conference, case_worker, youth_office
):
    with pytest.raises(services.ConferenceRefused):
        agree(case_worker, conference, owner=youth_office)


def test_an_action_title_is_checked_for_identifiers(held, case_worker, youth_office):
    conference, item = held
    with pytest.raises(services.IdentifiersFound):
        agree(case_worker, conference, item=item, owner=youth_office, title="Frau Beispiel anrufen")
    action = agree(
        case_worker,
        conference,
        item=item,
        owner=youth_office,
        title="Frau Beispiel anrufen",
        confirm_identifiers=True,
    )
    assert action.pk


def test_the_owner_updates_the_status_and_stale_edits_are_refused(
    held, case_worker, youth_office, youth_worker, partner_user
):
    conference, item = held
    action = agree(case_worker, conference, item=item, owner=youth_office)
    with pytest.raises(services.ConferenceRefused):
        services.set_action_status(
            actor_for(partner_user), action, status=ActionStatus.DONE, version=action.version
        )
    done = services.set_action_status(
        actor_for(youth_worker), action, status=ActionStatus.DONE, note="erledigt", version=1
    )
    assert done.done_at is not None
    with pytest.raises(StaleEditError):
        services.set_action_status(
            actor_for(case_worker), action, status=ActionStatus.DROPPED, version=1
        )
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_actions_appear_in_the_owner_s_task_list_and_the_case_file(
    client, held, case_worker, youth_office, youth_worker, anna
):
    conference, item = held
    action = agree(case_worker, conference, item=item, owner=youth_office)
    client.force_login(youth_worker)
    page = client.get("/fallberatungen/vereinbarungen/").content.decode()
    assert "Mietschuldenübernahme prüfen" in page
    assert item.case_label in page
    client.force_login(case_worker)
    own_list = client.get("/fallberatungen/vereinbarungen/").content.decode()
    assert "Mietschuldenübernahme prüfen" not in own_list  # not the Jobcenter's task
    case_file = client.get(anna.get_absolute_url()).content.decode()
    assert "Mietschuldenübernahme prüfen" in case_file
    assert "Jugendamt A" in case_file
    assert action.get_absolute_url().split("#")[0] in case_file


def test_overdue_actions_are_reminded_once(
    held, case_worker, youth_office, youth_worker, django_capture_on_commit_callbacks, capsys
):
    conference, item = held
    action = agree(case_worker, conference, item=item, owner=youth_office, owner_user=youth_worker)
    done = agree(case_worker, conference, item=item, owner=youth_office, title="Erledigtes")
    services.set_action_status(
        actor_for(youth_worker), done, status=ActionStatus.DONE, version=done.version
    )
    assert remind_overdue_conference_actions.enqueue().return_value == 0
    later = action.due_date + timedelta(days=1)
    with mock.patch("django.utils.timezone.localdate", return_value=later):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("run_periodic_tasks", "--now")
        assert "remind_overdue_conference_actions: 1" in capsys.readouterr().out
        with django_capture_on_commit_callbacks(execute=True):
            call_command("run_periodic_tasks", "--now")
        assert "remind_overdue_conference_actions: 0" in capsys.readouterr().out
    assert (
        Notification.objects.filter(
            user=youth_worker, key=f"conference-action-overdue:{action.pk}"
        ).count()
        == 1
    )


def test_the_next_meeting_of_a_series_lists_the_open_actions_of_the_last(
    client, case_worker, youth_office, youth_worker, anna, need
):
    first, second = plan(
        case_worker, youth_office, people=[youth_worker], frequency=Frequency.MONTHLY, count=2
    )
    item = services.add_item(
        actor_for(case_worker), first, person=anna, needs=[need], question="Wohnung sichern?"
    )
    begin(first)
    services.hold_conference(actor_for(case_worker), first)
    first.refresh_from_db()
    open_action = agree(case_worker, first, item=item, owner=youth_office, title="Offene Sache")
    finished = agree(case_worker, first, item=item, owner=youth_office, title="Fertige Sache")
    services.set_action_status(
        actor_for(youth_worker), finished, status=ActionStatus.DONE, version=finished.version
    )
    assert services.series_predecessor(second) == first
    client.force_login(youth_worker)
    page = client.get(second.get_absolute_url()).content.decode()
    assert "Offene Vereinbarungen aus der Sitzung vom" in page
    assert "Offene Sache" in page
    assert "Fertige Sache" not in page
    assert open_action.get_absolute_url().split("#")[0] != second.get_absolute_url()


def test_an_action_becomes_a_referral_in_one_click(
    client, held, case_worker, youth_office, anna, need
):
    conference, item = held
    action = agree(case_worker, conference, item=item, owner=youth_office)
    consent_for(anna, youth_office)
    client.force_login(case_worker)
    response = client.get(f"/fallberatungen/vereinbarungen/{action.pk}/ueberleitung/")
    form_url = response["Location"]
    assert form_url.startswith(f"/ueberleitungen/neu/{anna.pk}/")
    form = client.get(form_url).context["form"]
    assert form.initial["recipient"] == str(youth_office.pk)
    assert form.initial["reason"] == "Mietschuldenübernahme prüfen"
    assert form.initial["needs"] == [need.pk]
    response = client.post(
        form_url,
        {
            "kind": "referral",
            "recipient": youth_office.pk,
            "needs": [need.pk],
            "reason": "Mietschuldenübernahme prüfen",
            "track": "standard",
            "categories": ["master_data"],
            "origin": form.initial["origin"],
            "submit": "send",
        },
    )
    referral = Referral.objects.get()
    assert response["Location"] == referral.get_absolute_url()
    action.refresh_from_db()
    assert action.referral == referral
    page = client.get(conference.get_absolute_url()).content.decode()
    assert f"Überleitung {referral.number}" in page


def test_a_forged_origin_links_nothing(client, held, case_worker, youth_office, anna, need):
    """Only the presenting organisation's referral about the same person carries out an action."""
    from cases.factories import PersonFactory

    conference, item = held
    action = agree(case_worker, conference, item=item, owner=youth_office)
    someone_else = PersonFactory(organisation=anna.organisation)
    consent_for(someone_else, youth_office)
    client.force_login(case_worker)
    client.post(
        f"/ueberleitungen/neu/{someone_else.pk}/",
        {
            "kind": "referral",
            "recipient": youth_office.pk,
            "reason": "Anderes",
            "track": "standard",
            "categories": ["master_data"],
            "origin": f"conference_action:{action.pk}",
            "submit": "send",
        },
    )
    assert Referral.objects.count() == 1
    action.refresh_from_db()
    assert action.referral is None


def test_the_last_meeting_s_actions_stay_with_those_who_were_there(
    client, case_worker, youth_office, partner, partner_user, anna, need
):
    first, second = plan(case_worker, youth_office, frequency=Frequency.MONTHLY, count=2)
    second.invited_organisations.add(partner)  # invited to the second meeting only
    item = services.add_item(
        actor_for(case_worker), first, person=anna, needs=[need], question="Wohnung sichern?"
    )
    begin(first)
    services.hold_conference(actor_for(case_worker), first)
    agree(case_worker, first, item=item, owner=youth_office, title="Offene Sache")
    client.force_login(partner_user)
    page = client.get(second.get_absolute_url()).content.decode()
    assert "Offene Sache" not in page
    assert item.case_label not in page
