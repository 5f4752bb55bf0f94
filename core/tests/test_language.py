import pytest

pytestmark = pytest.mark.django_db


def test_pages_are_german_whatever_the_browser_prefers(client):
    response = client.get("/konto/anmelden/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="de">' in response.text
    assert "Anmelden" in response.text


def test_the_language_switch_chooses_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/konto/anmelden/"})
    response = client.get("/konto/anmelden/")
    assert '<html lang="en">' in response.text
    assert "Log in" in response.text or "Sign in" in response.text
