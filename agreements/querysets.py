from django.db import models

from core.querysets import NetworkScopedQuerySet


class AgreementQuerySet(NetworkScopedQuerySet):
    def visible_to(self, actor):
        """Network coordination sees every agreement of the network; everyone else only the
        agreements their organisation is a party to."""
        from core.permissions import Perm

        scoped = super().visible_to(actor)
        if not actor.can(Perm.VIEW_AGREEMENTS):
            return scoped.none()
        if actor.can(Perm.VIEW_NETWORK_REPORTS):
            return scoped
        return scoped.filter(party_rows__organisation=actor.organisation)

    def effective_on(self, day):
        from agreements.choices import Status

        return self.filter(
            status__in=(Status.IN_FORCE, Status.TERMINATED),
            valid_from__lte=day,
            valid_until__gte=day,
        )

    def between(self, *organisations):
        """Agreements every one of ``organisations`` (objects or ids) is a party to."""
        from agreements.models import Party

        found = self
        for organisation in organisations:
            found = found.filter(
                models.Exists(
                    Party.objects.filter(agreement=models.OuterRef("pk"), organisation=organisation)
                )
            )
        return found
