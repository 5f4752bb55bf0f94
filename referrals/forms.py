from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Need
from core.models import Organisation
from directory.models import Offer
from referrals.choices import DeclineReason, Kind, Outcome, PointerOutcome, Status, Track

FILTER_STATUS_CHOICES = [
    ("open", _("offen")),
    ("waiting", _("wartet auf Antwort")),
    ("running", _("angenommen / in Bearbeitung")),
    ("closed", _("beendet")),
    ("all", _("alle")),
]


class ReferralForm(forms.Form):
    """A referral or an advisory pointer about one person. Which categories may be chosen is
    decided by ``cases.policy`` for the chosen recipient; the view passes those decisions in."""

    kind = forms.ChoiceField(
        label=_("Art"), choices=Kind.choices, initial=Kind.REFERRAL, widget=forms.RadioSelect
    )
    recipient = forms.ModelChoiceField(
        label=_("Empfangende Organisation"), queryset=Organisation.objects.none(), required=False
    )
    offer = forms.ModelChoiceField(
        label=_("Angebot (optional)"), queryset=Offer.objects.none(), required=False
    )
    needs = forms.ModelMultipleChoiceField(
        label=_("Anlass: Handlungsbedarfe"),
        queryset=Need.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=_("Anlass"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Worum geht es, was soll die empfangende Stelle tun?"),
        error_messages={"required": _("Bitte beschreiben Sie den Anlass.")},
    )
    track = forms.ChoiceField(label=_("Dringlichkeit"), choices=Track.choices)
    message = forms.CharField(
        label=_("Nachricht an die empfangende Stelle"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    categories = forms.MultipleChoiceField(
        label=_("Diese Daten werden übermittelt"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    allow_duplicate = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # Where the referral was started, e.g. "conference_action:12"; listeners of
    # ``referrals.signals.referral_created`` link it back (an agreed action of a conference).
    origin = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)

    def __init__(self, *args, actor, person, decisions=None, categories_url="", **kwargs):
        super().__init__(*args, **kwargs)
        if categories_url:
            # Choosing a recipient or an offer reloads which categories its legal basis covers.
            for name in ("recipient", "offer"):
                self.fields[name].widget.attrs.update(
                    {
                        "hx-get": categories_url,
                        "hx-include": "#id_recipient, #id_offer, [name=categories]",
                        "hx-target": "#categories",
                        "hx-swap": "outerHTML",
                    }
                )
        self.person = person
        self.decisions = decisions or {}
        self.fields["recipient"].queryset = (
            Organisation.objects.visible_to(actor)
            .filter(is_active=True)
            .exclude(pk=actor.organisation.pk)
            .order_by("name")
        )
        self.fields["offer"].queryset = (
            Offer.objects.visible_to(actor)
            .published()
            .exclude(organisation=actor.organisation)
            .select_related("organisation")
            .order_by("title")
        )
        self.fields["offer"].label_from_instance = lambda o: f"{o.title} ({o.organisation.name})"
        self.fields["needs"].queryset = (
            Need.objects.visible_to(actor)
            .for_actor(actor)
            .filter(person=person)
            .open()
            .select_related("problem_situation")
        )
        self.fields["needs"].label_from_instance = lambda n: n.problem_situation.label
        self.fields["categories"].choices = [
            (code, decision.reason) for code, decision in self.decisions.items()
        ]

    def clean_categories(self):
        if self.data.get("kind") == Kind.POINTER:
            return []  # nothing travels with a pointer
        chosen = self.cleaned_data["categories"]
        refused = [self.decisions[c].reason for c in chosen if not self.decisions[c]]
        if refused:
            raise forms.ValidationError(refused)
        return chosen


class ForwardForm(forms.Form):
    recipient = forms.ModelChoiceField(
        label=_("Weiterleiten an"),
        queryset=Organisation.objects.none(),
        error_messages={"required": _("Bitte wählen Sie eine Organisation.")},
    )
    categories = forms.MultipleChoiceField(
        label=_("Diese Daten gehen weiter"), widget=forms.CheckboxSelectMultiple
    )
    message = forms.CharField(
        label=_("Nachricht"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, actor, referral, labels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = (
            Organisation.objects.visible_to(actor)
            .filter(is_active=True)
            .exclude(pk__in=[actor.organisation.pk, referral.sender_id])
            .order_by("name")
        )
        self.fields["categories"].choices = [(c, labels.get(c, c)) for c in referral.categories]
        self.fields["categories"].initial = list(referral.categories)


class DeclineForm(forms.Form):
    decline_reason = forms.ChoiceField(
        label=_("Grund"), choices=[("", "—"), *DeclineReason.choices]
    )
    note = forms.CharField(
        label=_("Erläuterung"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class CompleteForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Ergebnis"), choices=[("", "—"), *Outcome.choices])
    note = forms.CharField(
        label=_("Rückmeldung an die sendende Stelle"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class ArrivalForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Ist die Person angekommen?"), choices=PointerOutcome.choices
    )
    note = forms.CharField(label=_("Bemerkung"), required=False)


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Grund (optional)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Nachricht"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Bitte schreiben Sie eine Nachricht.")},
    )
    no_new_personal_data = forms.BooleanField(
        label=_("Diese Nachricht enthält keine neuen Angaben zur Person."), required=False
    )


class ReferralFilterForm(forms.Form):
    q = forms.CharField(label=_("Suche (Nummer oder Organisation)"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[*FILTER_STATUS_CHOICES, *[(s, label) for s, label in Status.choices]],
        required=False,
        initial="open",
    )
    track = forms.ChoiceField(
        label=_("Dringlichkeit"), choices=[("", _("alle")), *Track.choices], required=False
    )
    overdue = forms.BooleanField(label=_("nur überfällige"), required=False)
    escalated = forms.BooleanField(label=_("nur eskalierte"), required=False)
    mine = forms.BooleanField(label=_("nur meine"), required=False)
    sort = forms.ChoiceField(
        label=_("Sortierung"),
        choices=[("", _("Dringlichkeit und Frist")), ("sent", _("neueste zuerst"))],
        required=False,
    )
