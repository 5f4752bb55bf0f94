import time

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.middleware import AUTH_STARTED_KEY

pytestmark = pytest.mark.django_db
LOGIN = "/konto/anmelden/"


def _login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_a_wrong_login_answers_in_german_without_saying_which_part_was_wrong(client, case_worker):
    wrong_password = _login(client, "fallmanagerin", "falsch")
    wrong_user = _login(client, "gibtsnicht", "KurzeWege-Demo")
    assert wrong_password.status_code == wrong_user.status_code == 200
    for response in (wrong_password, wrong_user):
        assert "Benutzername oder Passwort stimmen nicht" in response.text
    errors = [r.context["form"].non_field_errors() for r in (wrong_password, wrong_user)]
    assert errors[0] == errors[1]


def test_login_issues_a_new_session_id(client, case_worker, settings):
    client.get(LOGIN)
    client.cookies["sessionid"] = "vorher-gesetzt"
    _login(client, "fallmanagerin", settings.DEMO_PASSWORD)
    assert client.cookies["sessionid"].value != "vorher-gesetzt"
    assert client.get("/").status_code == 200


def test_failed_logins_are_counted_and_lock_the_account_from_that_address(
    client, case_worker, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "fallmanagerin", "falsch")
    locked = _login(client, "fallmanagerin", settings.DEMO_PASSWORD)
    assert locked.status_code == 429
    assert "vorübergehend gesperrt" in locked.content.decode()
    assert client.get("/").status_code == 302  # not logged in


def test_the_session_ends_after_30_idle_minutes(client, case_worker, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(case_worker)
    assert client.get("/").status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    remaining = (session.expire_date - timezone.now()).total_seconds()
    assert 29 * 60 < remaining <= 30 * 60
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() - timezone.timedelta(seconds=1)
    )
    assert client.get("/").status_code == 302


def test_the_session_ends_12_hours_after_login_however_active(client, case_worker):
    client.force_login(case_worker)
    session = client.session
    session[AUTH_STARTED_KEY] = time.time() - 12 * 3600 - 5
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert client.get("/").status_code == 302  # logged out for good
