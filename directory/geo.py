"""Distances without PostGIS: a bounding box narrows by index, haversine computes in SQL."""

import math
import re
from dataclasses import dataclass

from django.db.models import F, FloatField, Value
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt
from django.utils.translation import gettext as _

EARTH_RADIUS_KM = 6371.0088
COORDINATES = re.compile(r"^\s*(-?\d{1,2}(?:[.,]\d+)?)\s*[;,/ ]\s*(-?\d{1,3}(?:[.,]\d+)?)\s*$")
POSTAL_CODE = re.compile(r"\b(\d{5})\b")


@dataclass(frozen=True)
class Origin:
    latitude: float
    longitude: float
    label: str


def bounding_box(origin: Origin, radius_km: float) -> tuple[float, float, float, float]:
    delta_lat = math.degrees(radius_km / EARTH_RADIUS_KM)
    cos_lat = max(math.cos(math.radians(origin.latitude)), 0.01)
    delta_lon = math.degrees(radius_km / (EARTH_RADIUS_KM * cos_lat))
    return (
        origin.latitude - delta_lat,
        origin.latitude + delta_lat,
        origin.longitude - delta_lon,
        origin.longitude + delta_lon,
    )


def distance_expression(origin: Origin, lat_field="latitude", lon_field="longitude"):
    """Great-circle distance in km from ``origin`` to the row's coordinates."""
    lat0 = Value(origin.latitude, output_field=FloatField())
    lon0 = Value(origin.longitude, output_field=FloatField())
    half_dlat = Radians(F(lat_field) - lat0) / 2
    half_dlon = Radians(F(lon_field) - lon0) / 2
    a = Power(Sin(half_dlat), 2) + Cos(Radians(lat0)) * Cos(Radians(F(lat_field))) * Power(
        Sin(half_dlon), 2
    )
    return Value(2 * EARTH_RADIUS_KM, output_field=FloatField()) * ASin(Sqrt(a))


def haversine_km(a: Origin, lat: float, lon: float) -> float:
    half_dlat = math.radians(lat - a.latitude) / 2
    half_dlon = math.radians(lon - a.longitude) / 2
    h = (
        math.sin(half_dlat) ** 2
        + math.cos(math.radians(a.latitude))
        * math.cos(math.radians(lat))
        * math.sin(half_dlon) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


class UnknownPlace(ValueError):
    pass


def resolve_origin(text: str, *, network_id: int) -> Origin:
    """Turn what the user typed into a point: "lat, lon", a postal code or a municipality.

    There is no geocoder (the platform runs without internet access): a street address is
    located at its municipality's centre, found by the postal code or the municipality name
    in it. Raises ``UnknownPlace`` with a German message when nothing matches.
    """
    from core.models import Municipality
    from directory.models import Place

    text = (text or "").strip()
    if match := COORDINATES.match(text):
        lat, lon = (float(part.replace(",", ".")) for part in match.groups())
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            label = _("Koordinaten %(lat).4f, %(lon).4f") % {"lat": lat, "lon": lon}
            return Origin(lat, lon, label)
    municipalities = Municipality.objects.filter(network_id=network_id, latitude__isnull=False)
    if match := POSTAL_CODE.search(text):
        municipality_id = (
            Place.objects.filter(network_id=network_id, postal_code=match.group(1))
            .values_list("municipality_id", flat=True)
            .first()
        )
        municipality = municipalities.filter(pk=municipality_id).first()
        if municipality:
            return _origin(municipality)
    lowered = text.casefold()
    by_length = sorted(municipalities, key=lambda m: -len(m.name))
    for municipality in by_length:
        if municipality.name.casefold() in lowered or (
            len(lowered) >= 3 and municipality.name.casefold().startswith(lowered)
        ):
            return _origin(municipality)
    raise UnknownPlace(
        _(
            "Den Ort „%(text)s“ kennen wir im Netzwerk nicht. Geben Sie eine Gemeinde des "
            "Kreises, eine Postleitzahl oder Koordinaten an."
        )
        % {"text": text}
    )


def _origin(municipality) -> Origin:
    return Origin(
        float(municipality.latitude),
        float(municipality.longitude),
        _("%(name)s (Ortsmitte)") % {"name": municipality.name},
    )


def municipality_origin(municipality) -> Origin | None:
    if municipality is None or municipality.latitude is None:
        return None
    return _origin(municipality)
