"""Demo data for case conferences: a year of monthly and quarterly rounds in each network.

Importing this package registers the generator step ``conferences.demo.step.conferences``
("Fallberatungen", after the referrals; ``conferences/apps.py`` imports it when the app loads).
"""

from conferences.demo import step  # noqa: F401  (registers the step)
