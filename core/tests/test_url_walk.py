"""Walks every URL pattern of the project, so that no later app can forget a permission check.

Each view must carry exactly one access marker (core.permissions: public, login_only, requires);
admin views must belong to the network admin site; API operations must carry api_requires. Then
every URL is requested anonymously (must redirect to login / answer 401) and as a user whose
membership is active but whose role has no grants (must answer 403 or 404).
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from api.api import api
from core.admin import site as admin_site
from core.factories import MembershipFactory, UserFactory
from core.permissions import ACCESS_ATTRIBUTE

# Public on purpose: what an anonymous visitor needs, the API description (no data), the admin's
# login (redirects to ours) and ninja's root (always 404; it only anchors the API's URLs).
PUBLIC_NAMES = {
    "login",
    "logout",
    "healthz",
    "set_language",
    "api:openapi-json",
    "api:api-root",
    "admin:login",
    # A calendar program's feed: the secret address is the key (conferences.views.feed).
    "conferences:feed",
}

# Own data only: the home page, switching organisation, the own notifications.
LOGIN_ONLY_NAMES = {
    "home",
    "switch_organisation",
    "api:me",
    "notifications",
    "notification_open",
    "notifications_read",
}

_CONVERTER_VALUES = {
    "int": "987654",
    "str": "x",
    "slug": "x",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
}


def _walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield prefix + str(entry.pattern), name, entry.callback


def _concrete(pattern: str) -> str:
    def value(match):
        converter, name = match.group(1), match.group(2)
        if converter is None and (name == "pk" or name.endswith("_id")):
            converter = "int"  # the API declares types in the signature, not the route
        return _CONVERTER_VALUES[converter or "str"]

    path = re.sub(r"<(?:(\w+):)?(\w+)>", value, pattern)
    # Regex patterns (the admin's app index and catch-all): pick a plausible value.
    path = re.sub(r"\(\?P<app_label>[^)]*\)", "core", path)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "x", path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


def _is_ninja(callback) -> bool:
    return getattr(getattr(callback, "func", callback), "__module__", "").startswith("ninja")


def _is_admin(callback) -> bool:
    owner = getattr(callback, "admin_site", None) or getattr(
        getattr(callback, "model_admin", None), "admin_site", None
    )
    return owner is admin_site


ALL_PATTERNS = list(_walk(get_resolver()))


def test_the_walk_finds_the_known_pages():
    names = {name for _, name, _ in ALL_PATTERNS}
    assert {"home", "organisation_list", "audit_list", "admin:index", "api:openapi-json"} <= names


@pytest.mark.parametrize(
    ("pattern", "name", "callback"), ALL_PATTERNS, ids=[p for p, _, _ in ALL_PATTERNS]
)
def test_every_view_declares_its_access_rule(pattern, name, callback):
    if name in PUBLIC_NAMES and (_is_ninja(callback) or name == "admin:login"):
        return  # library views listed above on purpose
    if _is_admin(callback) or _is_ninja(callback):
        return  # the admin site's guard and api_requires are checked below and dynamically
    access = getattr(callback, ACCESS_ATTRIBUTE, None)
    assert access in {"public", "login", "permission"}, f"{pattern} ({name}) has no access marker"
    if access == "public":
        assert name in PUBLIC_NAMES, f"{pattern} is public but not listed in PUBLIC_NAMES"
    if access == "login":
        assert name in LOGIN_ONLY_NAMES, (
            f"{pattern} needs only a login but is not listed in LOGIN_ONLY_NAMES"
        )


def test_every_api_operation_requires_a_permission():
    operations = [
        op
        for _prefix, router in api._routers
        for path_view in router.path_operations.values()
        for op in path_view.operations
    ]
    assert operations
    for op in operations:
        assert getattr(op.view_func, "kw_permission", None), (
            f"API operation {op.view_func.__name__} has no check"
        )


@pytest.fixture
def ghost(jobcenter):
    """Active membership, but a role nobody granted anything."""
    user = UserFactory(username="ghost")
    MembershipFactory(user=user, organisation=jobcenter, role="ghost_role")
    return user


@pytest.mark.django_db
def test_nothing_but_public_pages_answers_without_login(client):
    for pattern, name, callback in ALL_PATTERNS:
        if name in PUBLIC_NAMES or getattr(callback, ACCESS_ATTRIBUTE, None) == "public":
            continue
        path = _concrete(pattern)
        response = client.get(path)
        if path.startswith("/api/"):
            assert response.status_code == 401, (
                f"{path} answered {response.status_code} without login"
            )
        else:
            assert response.status_code == 302, (
                f"{path} answered {response.status_code} without login"
            )
            assert response["Location"].startswith("/konto/anmelden/"), path


@pytest.mark.django_db
def test_a_role_without_grants_reaches_no_protected_page(client, ghost):
    client.force_login(ghost)
    for pattern, name, callback in ALL_PATTERNS:
        if name in PUBLIC_NAMES or name in LOGIN_ONLY_NAMES:
            continue
        if getattr(callback, ACCESS_ATTRIBUTE, None) in {"public", "login"}:
            continue
        path = _concrete(pattern)
        response = client.get(path)
        assert response.status_code in {403, 404}, (
            f"{path} answered {response.status_code} to a role without grants"
        )
