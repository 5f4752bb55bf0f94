"""A set of choice codes stored in one text column ("|de|ar|").

Several offer attributes are small sets (languages, target groups, access types). A delimited
column filters the same way on SQLite and PostgreSQL (``has`` lookup → LIKE '%|ar|%') without
join tables or ArrayField, and HSDS export reads it back as a list.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

SEPARATOR = "|"


class CodeSetField(models.CharField):
    def __init__(self, *args, choices_class=None, **kwargs):
        self.choices_class = choices_class
        kwargs.setdefault("max_length", 400)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("choices_class", None)
        if kwargs.get("max_length") == 400:
            kwargs.pop("max_length")
        kwargs.pop("blank", None)
        kwargs.pop("default", None)
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return [code for code in value.split(SEPARATOR) if code]
        return list(value)

    def get_prep_value(self, value):
        codes = self.to_python(value)
        return f"{SEPARATOR}{SEPARATOR.join(sorted(set(codes)))}{SEPARATOR}" if codes else ""

    def validate(self, value, model_instance):
        if self.choices_class is not None:
            valid = set(self.choices_class.values)
            unknown = [code for code in value if code not in valid]
            if unknown:
                raise ValidationError(
                    _("Unbekannter Wert: %(codes)s"), params={"codes": ", ".join(unknown)}
                )
        if not self.blank and not value:
            raise ValidationError(self.error_messages["blank"], code="blank")

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def formfield(self, **kwargs):
        choices = self.choices_class.choices if self.choices_class else []
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": choices,
            "required": not self.blank,
            "widget": forms.CheckboxSelectMultiple,
            "label": self.verbose_name,
            "help_text": self.help_text,
        }
        defaults.update(kwargs)
        return forms.TypedMultipleChoiceField(
            **{k: v for k, v in defaults.items() if k != "form_class"}
        )


@CodeSetField.register_lookup
class HasCode(models.Lookup):
    """``languages__has="ar"``: the set contains this code."""

    lookup_name = "has"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        code = str(self.rhs).replace("\\", "").replace("%", "").replace("_", "\\_")
        pattern = f"%{SEPARATOR}{code}{SEPARATOR}%"
        return f"{lhs} LIKE %s ESCAPE '\\'", [*lhs_params, pattern]
