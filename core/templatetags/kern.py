"""Render Django form widgets with KERN UX classes and accessible descriptions."""

from django import forms, template

register = template.Library()


@register.simple_tag
def kern_widget(field):
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "kern-form-check__checkbox"
    elif isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        css = ""
    elif isinstance(widget, forms.Select):
        css = "kern-form-input__select"
    else:
        css = "kern-form-input__input"
    if field.errors and css:
        css += f" {css}--error"
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs = {"class": css} if css else {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def is_select(field):
    return isinstance(field.field.widget, forms.Select) and not isinstance(
        field.field.widget, forms.RadioSelect
    )


@register.filter
def is_checkbox(field):
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def is_choice_group(field):
    """Several checkboxes or radios: rendered as a fieldset with a legend, not one label."""
    return isinstance(field.field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect)


@register.filter
def can(actor, permission: str) -> bool:
    """``{% if actor|can:"referrals.send_referrals" %}``: whether the actor's roles grant it."""
    return actor is not None and actor.can(permission)


@register.filter
def isodate(value):
    """A date kept as ISO text (JSON snapshots) back as a date, so ``|date:"d.m.Y"`` formats it."""
    from datetime import date

    try:
        return date.fromisoformat(value) if value else value
    except (TypeError, ValueError):
        return value
