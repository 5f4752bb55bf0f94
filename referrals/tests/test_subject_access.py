"""Proof of transfer: the data subject's access export names every referral about them, with
recipient, time, categories, legal basis and what was sent."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from cases.services import revoke_consent
from core.permissions import actor_for
from referrals.factories import send_referral_about
from referrals.services import accept

pytestmark = pytest.mark.django_db


def _export(client, person) -> dict:
    response = client.get(reverse("cases:subject_access_export", args=[person.pk]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return json.loads(archive.read("auskunft.json"))


def test_the_export_lists_what_went_to_whom_on_which_basis(
    client_for,
    dpo,
    case_worker,
    social_worker,
    anna,
    ben,
    social_office,
    housing_need,
    django_capture_on_commit_callbacks,
):
    referral = send_referral_about(
        anna,
        social_office,
        user=case_worker,
        needs=[housing_need],
        categories=["master_data", "needs.housing"],
    )
    accept(actor=actor_for(social_worker), referral=referral)
    with django_capture_on_commit_callbacks(execute=True):
        revoke_consent(actor=actor_for(case_worker), consent=referral.consents.get())
    send_referral_about(ben, social_office, user=case_worker)  # another person: not listed

    data = _export(client_for(dpo), anna)

    (transfer,) = data["uebermittlungen"]
    assert transfer["nummer"] == referral.number
    assert transfer["empfaenger"] == "Sozialamt Musterkreis"
    assert transfer["stand"] == "angenommen"
    assert transfer["einwilligung_widerrufen_am"] is not None
    bases = {entry["kategorie"]: entry["rechtsgrundlage"] for entry in transfer["daten"]}
    assert set(bases) == {
        "Stammdaten (Name, Geburtsdatum, Kontakt, Sprachen)",
        "Handlungsbedarfe: Wohnen",
    }
    assert all(basis.startswith("Einwilligung vom") for basis in bases.values())
    assert transfer["uebermittelter_inhalt"]["person"]["first_name"] == "Anna"


def test_a_person_nobody_referred_gets_an_empty_list(client_for, dpo, anna):
    assert _export(client_for(dpo), anna)["uebermittlungen"] == []


def test_what_is_recorded_stays_german_whatever_the_senders_screen_language(
    case_worker, anna, social_office, social_worker, housing_need
):
    from django.utils import translation

    from core.models import Notification

    with translation.override("en"):
        referral = send_referral_about(
            anna,
            social_office,
            user=case_worker,
            needs=[housing_need],
            categories=["master_data", "needs.housing"],
        )
    assert referral.bases["master_data"]["basis"].startswith("Einwilligung vom")
    assert referral.snapshot["needs"][0]["severity"] == "mittel"
    assert Notification.objects.get(user=social_worker).text.startswith("Neue Überleitung")
