"""Side effects that must follow every write, whoever makes it (views, API, admin, import)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from core.models import Network, Organisation
from directory import fulltext
from directory.indexing import is_deferred, reindex
from directory.models import Offer, Place, ProblemSituation


@receiver(post_save, sender=Network, dispatch_uid="directory_seed_taxonomy")
def seed_taxonomy_for_new_network(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from directory.services import seed_taxonomy

        seed_taxonomy(instance)


@receiver(post_save, sender=Offer, dispatch_uid="directory_index_offer")
def index_offer(sender, instance, raw=False, **kwargs):
    if not raw and not is_deferred():
        reindex(Offer.objects.filter(pk=instance.pk))


@receiver(m2m_changed, sender=Offer.problem_situations.through, dispatch_uid="directory_m2m")
def index_offer_situations(sender, instance, action, **kwargs):
    if is_deferred():
        return
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, Offer):
        reindex(Offer.objects.filter(pk=instance.pk))


@receiver(post_save, sender=Place, dispatch_uid="directory_index_place")
@receiver(post_delete, sender=Place, dispatch_uid="directory_index_place_delete")
def index_place(sender, instance, raw=False, **kwargs):
    if not raw and not is_deferred():
        reindex(Offer.objects.filter(pk=instance.offer_id))


@receiver(post_save, sender=ProblemSituation, dispatch_uid="directory_index_situation")
def index_renamed_situation(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        reindex(Offer.objects.filter(problem_situations__parent=instance) | instance.offers.all())


@receiver(post_save, sender=Organisation, dispatch_uid="directory_index_organisation")
def index_renamed_organisation(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        reindex(instance.offers.all())


@receiver(post_delete, sender=Offer, dispatch_uid="directory_unindex_offer")
def unindex_offer(sender, instance, **kwargs):
    fulltext.delete_from_index([instance.pk])
