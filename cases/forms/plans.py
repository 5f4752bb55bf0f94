"""Forms of the cooperation plan pages.

Every form that changes a plan carries the plan version the user started from (``edit_version``)
so the service's compare-and-set can refuse an edit based on an older state. The choice lists
(members, partner organisations) are built once per page from plain lists, so rendering a form
per goal costs no extra queries.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.choices import Responsible, StepStatus
from cases.models import PlanStep
from core.concurrency import STALE_MESSAGE

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the matching fields, the rest above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class PlanChangeForm(forms.Form):
    """Base: remembers which plan version the user saw."""

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["edit_version"].initial = plan.version

    def clean(self):
        cleaned = super().clean()
        # Refused early for a clear message; the service's compare-and-set catches any race.
        if cleaned.get("edit_version") != self.plan.version:
            raise ValidationError(STALE_MESSAGE, code="stale")
        return cleaned

    @property
    def expected_version(self) -> int | None:
        return self.cleaned_data.get("edit_version")


class PlanStartForm(PlanChangeForm):
    starts_on = forms.DateField(
        label=_("Der Plan gilt ab"),
        widget=DATE_WIDGET,
        error_messages={"required": _("Bitte geben Sie an, ab wann der Plan gilt.")},
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, plan=plan, **kwargs)
        self.fields["starts_on"].initial = plan.starts_on
        # Each form on the plan page needs its own ids.
        self.auto_id = "start-%s"


class GoalForm(PlanChangeForm):
    title = forms.CharField(
        label=_("Neues Ziel"),
        max_length=300,
        help_text=_("In einfachen Worten, z. B. „Die Wohnung bleibt erhalten“."),
        error_messages={"required": _("Bitte beschreiben Sie das Ziel.")},
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, plan=plan, **kwargs)
        self.auto_id = "goal-%s"


class AgreeForm(PlanChangeForm):
    agreed_on = forms.DateField(
        label=_("Vereinbart am"),
        widget=DATE_WIDGET,
        error_messages={"required": _("Bitte geben Sie das Datum der Vereinbarung an.")},
    )
    agreed_with = forms.CharField(
        label=_("Vereinbart mit"),
        max_length=300,
        help_text=_("Namen der Personen, mit denen Sie den Plan besprochen haben."),
        error_messages={"required": _("Bitte geben Sie an, mit wem der Plan vereinbart wurde.")},
    )

    def __init__(self, *args, plan, agreed_with: str = "", **kwargs):
        super().__init__(*args, plan=plan, **kwargs)
        self.fields["agreed_on"].initial = timezone.localdate()
        self.fields["agreed_with"].initial = agreed_with
        self.auto_id = "agree-%s"


class StepForm(PlanChangeForm):
    """Add or edit a step. Offers are not chosen here: they come in through matching."""

    description = forms.CharField(
        label=_("Was ist zu tun?"),
        max_length=400,
        help_text=_("Ein kurzer Satz, z. B. „Termin bei der Schuldnerberatung vereinbaren“."),
        error_messages={"required": _("Bitte beschreiben Sie den Schritt.")},
    )
    responsible = forms.ChoiceField(
        label=_("Wer ist verantwortlich?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie, wer verantwortlich ist.")},
    )
    responsible_person = forms.ChoiceField(
        label=_("Verantwortliche Person"),
        required=False,
        help_text=_("Nur wenn eine Person aus dem Haushalt verantwortlich ist."),
    )
    partner = forms.ChoiceField(
        label=_("Partnerorganisation"),
        required=False,
        help_text=_("Nur wenn eine Partnerorganisation verantwortlich ist."),
    )
    due_on = forms.DateField(label=_("Bis wann?"), required=False, widget=DATE_WIDGET)
    status = forms.ChoiceField(label=_("Stand"), choices=StepStatus.choices)

    def __init__(self, *args, plan, step: PlanStep, people, partners, organisation, **kwargs):
        super().__init__(*args, plan=plan, **kwargs)
        self.step = step
        self._people = {str(p.pk): p for p in people}
        self._partners = {str(o.pk): o for o in partners}
        client_label = (
            _("die Person selbst") if plan.person_id else _("eine Person aus dem Haushalt")
        )
        kinds = [
            (Responsible.CLIENT.value, client_label),
            (
                Responsible.OWN_ORGANISATION.value,
                _("%(organisation)s (wir)") % {"organisation": organisation.name},
            ),
            (Responsible.PARTNER.value, _("eine Partnerorganisation")),
        ]
        if step.responsible == Responsible.OFFER and step.offer_id:
            # A step that came from matching keeps its offer unless someone else takes over.
            kinds.append(
                (
                    Responsible.OFFER.value,
                    _("das Angebot „%(title)s“") % {"title": step.offer.title},
                )
            )
        self.fields["responsible"].choices = kinds
        self.fields["responsible_person"].choices = [("", _("– bitte wählen –"))] + [
            (key, person.full_name) for key, person in self._people.items()
        ]
        self.fields["partner"].choices = [("", _("– bitte wählen –"))] + [
            (key, org.name) for key, org in self._partners.items()
        ]
        if step.pk is None:
            del self.fields["status"]
            self.fields["responsible"].initial = Responsible.CLIENT.value
            if len(self._people) == 1:
                self.fields["responsible_person"].initial = next(iter(self._people))
        else:
            self.initial.update(
                {
                    "description": step.description,
                    "responsible": step.responsible,
                    "responsible_person": str(step.responsible_person_id or ""),
                    "partner": str(step.partner_id or ""),
                    "due_on": step.due_on,
                    "status": step.status,
                }
            )

    def clean_responsible_person(self):
        return self._people.get(self.cleaned_data.get("responsible_person") or "")

    def clean_partner(self):
        return self._partners.get(self.cleaned_data.get("partner") or "")

    def apply_to(self, step: PlanStep) -> PlanStep:
        """Copy the answers onto ``step``; only the party of the chosen kind is kept."""
        data = self.cleaned_data
        kind = data["responsible"]
        step.description = data["description"]
        step.responsible = kind
        step.responsible_person = data["responsible_person"] if kind == Responsible.CLIENT else None
        if kind == Responsible.PARTNER:
            step.partner = data["partner"]
            step.offer = None
        elif kind != Responsible.OFFER:
            step.partner = None
            step.offer = None
        step.due_on = data["due_on"]
        if "status" in data:
            step.status = data["status"]
        return step


class StepDeleteForm(PlanChangeForm):
    """Only the version: deleting needs a confirmation, nothing else."""


class AddOfferForm(forms.Form):
    """ "In den Plan übernehmen" on the matching page, one per offer."""

    goal_title = forms.CharField(
        label=_("Unter welchem Ziel?"),
        max_length=300,
        required=False,
        help_text=_("Gibt es das Ziel noch nicht, wird es angelegt."),
    )
    due_on = forms.DateField(label=_("Bis wann?"), required=False, widget=DATE_WIDGET)
