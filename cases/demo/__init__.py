"""Demo data for case files (households, persons, needs, plans, consents).

Importing this package registers the generator step ``cases.demo.step.case_files``
(``cases/apps.py`` imports it when the app loads).
"""

from cases.demo import step  # noqa: F401  (registers the step)
