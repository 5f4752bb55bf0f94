"""Field-level change history (django-auditlog); views of presented cases are audited in
``conferences.services``."""

from auditlog.registry import auditlog

from conferences.models import Action, AgendaItem, Conference

auditlog.register(Conference, exclude_fields=["version"], m2m_fields={"invited_organisations"})
# The shared and identity parts are written once; their content stays out of the history.
auditlog.register(AgendaItem, exclude_fields=["version", "shared", "identity"])
auditlog.register(Action, exclude_fields=["version"])
