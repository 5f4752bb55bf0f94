"""Optimistic locking: an edit based on an outdated version is refused, never silently merged."""

from django import forms
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

STALE_MESSAGE = _(
    "Dieser Datensatz wurde inzwischen von jemand anderem geändert. Bitte laden Sie die Seite neu "
    "und übernehmen Sie Ihre Änderungen erneut – es wurde nichts gespeichert."
)


class StaleEditError(Exception):
    """Raised when a save races another one past the form check; nothing was saved."""


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(_("Version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        expected = getattr(self, "_expected_version", None)
        if self.pk is None or expected is None:
            return super().save(*args, **kwargs)
        with transaction.atomic():
            # Compare-and-set: only one of two concurrent saves of the same version wins.
            won = (
                type(self).objects.filter(pk=self.pk, version=expected).update(version=expected + 1)
            )
            if not won:
                raise StaleEditError(str(STALE_MESSAGE))
            self.version = expected + 1
            super().save(*args, **kwargs)
        del self._expected_version
        return None


class VersionCheckedForm(forms.ModelForm):
    """Carries the version the user started editing; a stale one is a form error."""

    # Not named "version": the model field is not editable, so a form field of that name clashes.
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edit_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            current = (
                type(self.instance)
                .objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if cleaned.get("edit_version") != current:
                raise forms.ValidationError(STALE_MESSAGE, code="stale")
            self.instance._expected_version = current
        return cleaned
