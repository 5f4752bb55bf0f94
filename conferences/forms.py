"""Forms of the conference pages. They collect input; the rules are in ``conferences.services``."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.models import Need
from conferences.choices import ActionStatus, Frequency, Presentation, Status
from core.models import Membership, Organisation, User


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class UserChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        organisations = ", ".join(sorted({m.organisation.name for m in user.network_memberships}))
        return f"{user.get_full_name() or user.username} ({organisations})"


def network_users(actor):
    memberships = Membership.objects.active().filter(network_id=actor.network_id)
    return (
        User.objects.filter(is_active=True, pk__in=memberships.values("user_id"))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=memberships.select_related("organisation"),
                to_attr="network_memberships",
            )
        )
        .order_by("last_name", "first_name", "username")
    )


class ConferenceForm(forms.Form):
    title = forms.CharField(
        label=_("Titel"),
        max_length=200,
        help_text=_("z. B. „Fallberatung Jobcenter – Jugendamt“; erscheint in Kalendern."),
    )
    day = forms.DateField(label=_("Datum"), widget=DateInput())
    start = forms.TimeField(label=_("Beginn"), widget=TimeInput(), initial=time(14, 0))
    end = forms.TimeField(label=_("Ende"), widget=TimeInput(), initial=time(15, 30))
    location = forms.CharField(
        label=pgettext_lazy("meeting place", "Ort"), max_length=200, required=False
    )
    video_url = forms.URLField(
        label=_("Videolink"),
        required=False,
        error_messages={"invalid": _("Bitte geben Sie eine vollständige Adresse (https://…) an.")},
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Eingeladene Organisationen"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Bitte laden Sie mindestens eine andere Organisation ein.")},
    )
    people = UserChoiceField(
        label=_("Eingeladene Personen"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Sie erhalten die Einladung per E-Mail (.ics) und im Kalender-Abo."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    frequency = forms.ChoiceField(
        label=_("Wiederholung"),
        choices=[("", _("einmalig")), *Frequency.choices],
        required=False,
    )
    count = forms.IntegerField(
        label=_("Anzahl der Termine"),
        min_value=2,
        max_value=24,
        initial=12,
        required=False,
        help_text=_("Nur bei einer Terminreihe, z. B. 12 für ein Jahr monatlich."),
    )

    def __init__(self, *args, actor, series: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = (
            Organisation.objects.visible_to(actor)
            .filter(is_active=True)
            .exclude(pk=actor.organisation.pk)
            .order_by("name")
        )
        self.fields["people"].queryset = network_users(actor)
        if not series:
            del self.fields["frequency"]
            del self.fields["count"]

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start"), data.get("end")
        if day and start:
            data["starts_at"] = timezone.make_aware(datetime.combine(day, start))
        if day and end:
            data["ends_at"] = timezone.make_aware(datetime.combine(day, end))
        if data.get("frequency") and not data.get("count"):
            self.add_error("count", _("Wie viele Termine soll die Reihe haben?"))
        return data


class ConferenceEditForm(ConferenceForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, series=False, **kwargs)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund der Absage (optional)"),
        max_length=300,
        required=False,
        help_text=_("Geht an alle Eingeladenen; bitte ohne Angaben zu Personen."),
    )


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=_("Protokoll"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    confirm_identifiers = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ItemForm(forms.Form):
    conference = forms.ModelChoiceField(
        label=_("Fallberatung"),
        queryset=None,
        empty_label=None,
        error_messages={
            "invalid_choice": _("Bitte wählen Sie eine geplante Fallberatung Ihrer Organisation.")
        },
    )
    needs = forms.ModelMultipleChoiceField(
        label=_("Handlungsbedarfe, die vorgestellt werden"),
        queryset=Need.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Gezeigt wird nur die Bezeichnung, nie die Beschreibung."),
    )
    question = forms.CharField(
        label=_("Fragestellung an die Runde"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Ohne Namen, Geburtsdaten, Anschrift, Telefonnummern, E-Mail-Adressen oder Nummern."
        ),
        error_messages={"required": _("Bitte formulieren Sie die Fragestellung.")},
    )
    presentation = forms.ChoiceField(
        label=_("Darstellung"),
        choices=Presentation.choices,
        initial=Presentation.PSEUDONYMISED,
        widget=forms.RadioSelect,
    )
    confirm_identifiers = forms.BooleanField(
        label=_("Ich habe die Hinweise geprüft; der Text bleibt so."),
        required=False,
    )

    def __init__(self, *args, actor, person, conferences, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conference"].queryset = conferences
        members = (
            person.household.members.values("pk") if person.household_id else [{"pk": person.pk}]
        )
        self.fields["needs"].queryset = (
            Need.objects.visible_to(actor)
            .open()
            .filter(person__in=[m["pk"] for m in members], entrusted=False)
            .select_related("problem_situation", "person")
        )
        self.fields["needs"].label_from_instance = lambda need: (
            f"{need.problem_situation.label} ({need.person.first_name})"
        )


class ActionForm(forms.Form):
    item = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Vereinbarung"), max_length=300)
    owner = forms.ModelChoiceField(
        label=_("Zuständige Organisation"),
        queryset=Organisation.objects.none(),
        error_messages={"required": _("Bitte wählen Sie die zuständige Organisation.")},
    )
    owner_user = forms.ModelChoiceField(
        label=_("Zuständige Person (optional)"), queryset=User.objects.none(), required=False
    )
    due_date = forms.DateField(label=_("Fällig bis"), widget=DateInput(), required=False)
    due_in_days = forms.IntegerField(
        label=_("oder in … Arbeitstagen"),
        min_value=1,
        max_value=250,
        required=False,
        help_text=_("Zählt Werktage ohne Feiertage des Bundeslands."),
    )
    confirm_identifiers = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, conference, participants, choices_cache=None, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [o.pk for o in participants]
        self.fields["owner"].queryset = Organisation.objects.filter(pk__in=ids).order_by("name")
        # The people at the table: those invited and whoever planned it (a whole Jobcenter's
        # staff would make every agenda item's form a select of hundreds).
        memberships = Membership.objects.active().filter(organisation_id__in=ids)
        self.fields["owner_user"].queryset = (
            User.objects.filter(
                Q(conferences_invited=conference) | Q(pk=conference.created_by_id),
                is_active=True,
                pk__in=memberships.values("user_id"),
            )
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        self.fields["owner_user"].label_from_instance = lambda u: u.get_full_name() or u.username
        if choices_cache is not None:
            # One form per agenda item: read the choices once per page, not once per form.
            for name in ("owner", "owner_user"):
                if name not in choices_cache:
                    choices_cache[name] = list(self.fields[name].choices)
                self.fields[name].choices = choices_cache[name]

    def clean(self):
        data = super().clean()
        if not data.get("due_date") and not data.get("due_in_days") and not self.errors:
            self.add_error(
                "due_date", _("Bitte geben Sie an, bis wann die Maßnahme erledigt sein soll.")
            )
        return data


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Stand"), choices=ActionStatus.choices)
    note = forms.CharField(label=_("Vermerk"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ConferenceFilterForm(forms.Form):
    when = forms.ChoiceField(
        label=_("Zeitraum"),
        choices=[("upcoming", _("anstehend")), ("past", _("vergangen")), ("all", _("alle"))],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("alle")), *Status.choices], required=False
    )
    q = forms.CharField(label=_("Suche (Titel oder Organisation)"), required=False)
    sort = forms.ChoiceField(
        label=_("Sortierung"),
        choices=[("", _("nach Datum")), ("-start", _("neueste zuerst")), ("title", _("Titel"))],
        required=False,
    )


class ActionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Stand"), choices=[("all", _("alle")), *ActionStatus.choices], required=False
    )
    overdue = forms.BooleanField(label=_("nur überfällige"), required=False)
    mine = forms.BooleanField(label=_("nur meine"), required=False)
    q = forms.CharField(label=_("Suche (Vereinbarung, Fallkennung)"), required=False)
