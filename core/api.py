from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from api.permissions import api_requires
from core.filters import OrganisationFilter
from core.models import Municipality, Organisation
from core.permissions import Perm, get_visible_or_404

router = Router(tags=["Grundlagen"])


class MunicipalityOut(Schema):
    id: int
    ags: str
    name: str
    latitude: float
    longitude: float


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    type: str
    type_label: str = Field(alias="get_type_display")
    legal_regime: str
    municipality_id: int | None
    street: str
    postal_code: str
    city: str
    phone: str
    email: str
    website: str
    is_active: bool


class ActorOut(Schema):
    username: str
    organisation_id: int
    organisation: str
    network: str
    roles: list[str]
    permissions: list[str]


@router.get("/me", response=ActorOut, summary="Wer bin ich? (aktive Organisation und Rechte)")
def me(request):
    actor = request.auth
    return {
        "username": actor.user.username,
        "organisation_id": actor.organisation.pk,
        "organisation": actor.organisation.name,
        "network": actor.network.name,
        "roles": list(actor.roles),
        "permissions": sorted(actor.permissions),
    }


# Needs only an authenticated actor: it returns the caller's own context.
me.kw_permission = "authenticated"


@router.get(
    "/organisations", response=list[OrganisationOut], summary="Organisationen des Netzwerks"
)
@api_requires(Perm.VIEW_ORGANISATIONS)
@paginate(LimitOffsetPagination)
def list_organisations(
    request,
    q: str = "",
    type: str = "",
    legal_regime: str = "",
    municipality: int | None = None,
    sort: str = "name",
):
    queryset = Organisation.objects.visible_to(request.auth)
    params = {
        "q": q,
        "type": type,
        "legal_regime": legal_regime,
        "municipality": municipality or "",
        "sort": sort,
    }
    filterset = OrganisationFilter(params, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items()))
    return filterset.qs


@router.get(
    "/organisations/{organisation_id}", response=OrganisationOut, summary="Eine Organisation"
)
@api_requires(Perm.VIEW_ORGANISATIONS)
def get_organisation(request, organisation_id: int):
    return get_visible_or_404(Organisation.objects.all(), request.auth, pk=organisation_id)


@router.get("/municipalities", response=list[MunicipalityOut], summary="Gemeinden des Netzwerks")
@api_requires(Perm.VIEW_MUNICIPALITIES)
@paginate(LimitOffsetPagination)
def list_municipalities(request):
    return Municipality.objects.visible_to(request.auth).order_by("name")
