import pytest

from core.concurrency import StaleEditError
from core.models import Organisation

pytestmark = pytest.mark.django_db


def _form_data(org, **changes):
    data = {
        "name": org.name,
        "type": org.type,
        "legal_regime": org.legal_regime,
        "is_active": "on",
        "phone": org.phone,
        "edit_version": org.version,
    }
    return {**data, **changes}


def test_the_second_of_two_concurrent_admin_edits_is_refused_and_saves_nothing(
    client_for, network_admin, jobcenter
):
    client = client_for(network_admin)
    url = f"/admin/core/organisation/{jobcenter.pk}/change/"
    started_by_both = _form_data(jobcenter)
    first = client.post(url, {**started_by_both, "phone": "06071 111"})
    assert first.status_code == 302
    second = client.post(url, {**started_by_both, "phone": "06071 222"})
    assert second.status_code == 200
    assert "inzwischen von jemand anderem geändert" in second.text
    jobcenter.refresh_from_db()
    assert jobcenter.phone == "06071 111"
    assert jobcenter.version == 2


def test_a_save_that_races_past_the_form_check_is_refused(jobcenter):
    stale = Organisation.objects.get(pk=jobcenter.pk)
    fresh = Organisation.objects.get(pk=jobcenter.pk)
    fresh._expected_version = 1
    fresh.phone = "1"
    fresh.save()
    stale._expected_version = 1
    stale.phone = "2"
    with pytest.raises(StaleEditError):
        stale.save()
    jobcenter.refresh_from_db()
    assert (jobcenter.phone, jobcenter.version) == ("1", 2)
