"""Demo data for case files (households, persons, needs, plans, consents)."""
