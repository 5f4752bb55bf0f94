"""The data subject's access export names every conference the organisation presented them in:
participants, form, legal basis, what was shared and what was agreed."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from cases.factories import NeedFactory
from conferences import services
from core.permissions import actor_for

pytestmark = pytest.mark.django_db


def _export(client, person) -> dict:
    response = client.get(reverse("cases:subject_access_export", args=[person.pk]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return json.loads(archive.read("auskunft.json"))


def test_the_export_lists_the_presentations(client_for, dpo, case_worker, conference, anna, ben):
    need = NeedFactory(person=anna, code="housing.rent_arrears")
    item = services.add_item(
        actor_for(case_worker), conference, person=anna, needs=[need], question="Wohnung sichern?"
    )
    data = _export(client_for(dpo), anna)
    (entry,) = data["fallberatungen"]
    assert entry["fallkennung"] == item.case_label
    assert entry["darstellung"] == "pseudonymisiert"
    assert entry["teilnehmende_organisationen"] == [
        "Jobcenter A",
        *sorted(o.name for o in conference.invited_organisations.all()),
    ]
    assert entry["fragestellung"] == "Wohnung sichern?"
    assert entry["geteilte_angaben"]["case_label"] == item.case_label
    assert "pseudonymisierte Fallvorstellung" in entry["rechtsgrundlage"]
    # Ben was not presented.
    assert _export(client_for(dpo), ben)["fallberatungen"] == []
