"""Demo data for referrals: a year of referrals and advisory pointers in each network.

Importing this package registers the generator step ``referrals.demo.step.referrals``
("Überleitungen", after the case files; ``referrals/apps.py`` imports it when the app loads).
"""

from referrals.demo import step  # noqa: F401  (registers the step)
