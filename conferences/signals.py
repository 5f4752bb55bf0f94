from django.dispatch import receiver

from cases.signals import consent_revoked
from conferences import services
from conferences.models import Action
from referrals.signals import referral_created

ORIGIN_PREFIX = "conference_action:"


@receiver(consent_revoked, dispatch_uid="conferences_consent_revoked")
def revocation_reaches_conferences(sender, consent, actor=None, **kwargs):
    services.apply_revocation(consent, actor)


@receiver(referral_created, dispatch_uid="conferences_referral_created")
def referral_carries_out_action(sender, referral, origin="", actor=None, **kwargs):
    if not origin.startswith(ORIGIN_PREFIX) or actor is None:
        return
    pk = origin.removeprefix(ORIGIN_PREFIX)
    action = Action.objects.visible_to(actor).filter(pk=pk if pk.isdigit() else None).first()
    if action is not None:
        services.link_referral(actor, action, referral)
