"""Writes of the directory: taxonomy seeding, verifying offers, freshness reminders."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.choices import Role
from core.models import Membership, Network
from directory.models import Offer, ProblemSituation
from directory.taxonomy import DEFAULT_TAXONOMY

# Roles at the owning organisation that hear about stale offers.
REMINDED_ROLES = (Role.PARTNER_STAFF, Role.TEAM_LEAD, Role.NETWORK_COORDINATOR)


def seed_taxonomy(network: Network) -> int:
    """Create the default taxonomy for ``network`` where codes are missing; returns how many."""
    existing = set(ProblemSituation.objects.filter(network=network).values_list("code", flat=True))
    created = 0
    for group_position, (group_code, group_label, situations) in enumerate(DEFAULT_TAXONOMY):
        group = ProblemSituation.objects.filter(network=network, code=group_code).first()
        if group is None:
            group = ProblemSituation.objects.create(
                network=network, code=group_code, label=group_label, position=group_position * 100
            )
            created += 1
        new = [
            ProblemSituation(
                network=network,
                code=code,
                label=label,
                parent=group,
                position=group_position * 100 + index + 1,
            )
            for index, (code, label) in enumerate(situations)
            if code not in existing
        ]
        ProblemSituation.objects.bulk_create(new)
        created += len(new)
    return created


def verify_offer(*, offer: Offer, actor) -> Offer:
    """ "Still correct": the owner confirms the offer's data today."""
    # save(), not update(): the change history (django-auditlog) records who verified when.
    offer.last_verified = timezone.localdate()
    offer.verified_by = actor.user
    offer.freshness_reminded_at = None
    offer.save(
        update_fields=["last_verified", "verified_by", "freshness_reminded_at", "updated_at"]
    )
    return offer


def offers_due_for_reminder(today=None):
    now = timezone.now()
    recently = now - timedelta(days=settings.OFFER_REMINDER_INTERVAL_DAYS)
    return (
        Offer.objects.current()
        .stale(today)
        .exclude(freshness_reminded_at__gte=recently)
        .select_related("organisation")
    )


def send_freshness_reminders(today=None) -> int:
    """E-mail each organisation with stale offers once, listing them; returns mails sent.

    Idempotent within the reminder interval: a reminded offer is not reminded again until
    the interval has passed or someone verifies it.
    """
    by_organisation: dict[int, list[Offer]] = {}
    for offer in offers_due_for_reminder(today):
        by_organisation.setdefault(offer.organisation_id, []).append(offer)
    sent = 0
    for offers in by_organisation.values():
        organisation = offers[0].organisation
        recipients = sorted(
            set(
                Membership.objects.active()
                .filter(organisation=organisation, role__in=REMINDED_ROLES)
                .exclude(user__email="")
                .values_list("user__email", flat=True)
            )
            | ({organisation.email} if organisation.email else set())
        )
        with transaction.atomic():
            # Mark first: a crash after sending must not lead to a second mail for the same
            # offers; a crash before sending leaves them unmarked for the next run.
            Offer.objects.filter(pk__in=[offer.pk for offer in offers]).update(
                freshness_reminded_at=timezone.now()
            )
            if recipients:
                transaction.on_commit(
                    lambda o=organisation, offs=offers, r=recipients: _mail_reminder(o, offs, r)
                )
                sent += 1
    return sent


def _mail_reminder(organisation, offers, recipients):
    with override("de"):
        lines = [
            f"- {offer.title} ({_('zuletzt geprüft')}: {offer.last_verified:%d.%m.%Y}) "
            f"{settings.SITE_URL}{reverse('directory:offer_detail', args=[offer.pk])}"
            for offer in offers
        ]
        body = _(
            "Guten Tag,\n\nfolgende Angebote von %(organisation)s wurden seit mehr als "
            "%(days)s Tagen nicht mehr geprüft. Bitte sehen Sie sie durch und bestätigen Sie mit "
            "„Angaben sind aktuell“ oder ändern Sie sie:\n\n%(offers)s\n\nIhre Angebotslandkarte "
            "– Kurze Wege"
        ) % {
            "organisation": organisation.name,
            "days": settings.OFFER_FRESHNESS_DAYS,
            "offers": "\n".join(lines),
        }
        subject = _("Bitte prüfen: %(count)s Angebote sind möglicherweise veraltet") % {
            "count": len(offers)
        }
    send_mail(subject, body, None, recipients)


def save_offer(*, actor, form, formsets) -> Offer:
    """Save an offer form with its places, hours and exceptions in one transaction.

    New offers belong to the acting organisation; the forms were validated by the caller.
    A concurrent edit of the same offer raises ``StaleEditError`` and nothing is saved.
    """
    with transaction.atomic():
        offer = form.save(commit=False)
        if offer.pk is None:
            offer.network_id = actor.network_id
            offer.organisation = actor.organisation
        offer.full_clean(exclude=["problem_situations"])
        offer.save()
        form.save_m2m()
        for formset in formsets:
            formset.instance = offer
            for child in formset.save(commit=False):
                child.network_id = offer.network_id
                child.offer = offer
                child.full_clean()
                child.save()
            for child in formset.deleted_objects:
                child.delete()
    return offer
