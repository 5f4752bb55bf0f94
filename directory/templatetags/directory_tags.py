from django import template
from django.utils import formats
from django.utils.translation import gettext as _

from directory.choices import WEEKDAY_SHORT, Accessibility, AccessType, Language, TargetGroup

register = template.Library()


@register.filter
def opening_summary(offer) -> str:
    """ "Mo 09:00–12:00 · Do 14:00–17:00" from the prefetched weekly hours."""
    parts = [
        f"{WEEKDAY_SHORT[h.weekday]} {h.opens:%H:%M}–{h.closes:%H:%M}" for h in offer.hours.all()
    ]
    return " · ".join(parts)


def _labels(codes, choices) -> str:
    return ", ".join(str(choices(code).label) for code in codes if code in choices.values)


@register.filter
def language_labels(codes) -> str:
    return _labels(codes, Language)


@register.filter
def target_group_labels(codes) -> str:
    return _labels(codes, TargetGroup)


@register.filter
def access_labels(codes) -> str:
    return _labels(codes, AccessType)


@register.filter
def accessibility_labels(codes) -> str:
    return _labels(codes, Accessibility)


@register.filter
def km(value) -> str:
    if value is None:
        return ""
    if value < 1:
        return _("unter 1 km")
    return _("%(km)s km") % {"km": formats.number_format(value, 1)}


@register.simple_tag
def age_range(offer) -> str:
    if offer.min_age is not None and offer.max_age is not None:
        return _("%(min)s bis %(max)s Jahre") % {"min": offer.min_age, "max": offer.max_age}
    if offer.min_age is not None:
        return _("ab %(min)s Jahren") % {"min": offer.min_age}
    if offer.max_age is not None:
        return _("bis %(max)s Jahre") % {"max": offer.max_age}
    return ""
