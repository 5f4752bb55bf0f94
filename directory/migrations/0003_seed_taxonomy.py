"""Seed the default problem-situation taxonomy into every existing network.

The taxonomy is copied here (not imported) so this migration keeps its meaning when the
default list in directory/taxonomy.py changes later; new networks are seeded by a signal.
"""

from django.db import migrations

TAXONOMY = [
    ("qualification", "Qualifizierung", [
        ("qualification.school_certificate", "Schulabschluss"),
        ("qualification.vocational_training", "Berufsausbildung"),
        ("qualification.work_experience", "Berufserfahrung"),
        ("qualification.german_language", "Deutschkenntnisse"),
        ("qualification.digital_skills", "Digitale Kompetenzen"),
    ]),
    ("health", "Gesundheit", [
        ("health.physical", "Körperliche Gesundheit"),
        ("health.mental", "Psychische Gesundheit"),
        ("health.addiction", "Sucht"),
    ]),
    ("family", "Familie", [
        ("family.childcare", "Kinderbetreuung"),
        ("family.care_for_relatives", "Pflege von Angehörigen"),
        ("family.single_parent", "Alleinerziehend"),
    ]),
    ("housing", "Wohnen", [
        ("housing.homelessness", "Wohnungslosigkeit"),
        ("housing.threatened_loss", "Drohender Wohnungsverlust"),
        ("housing.rent_arrears", "Mietschulden"),
    ]),
    ("finances", "Finanzen", [
        ("finances.debt", "Schulden"),
        ("finances.benefit_payment", "Probleme bei der Leistungsauszahlung"),
    ]),
    ("mobility", "Mobilität", [
        ("mobility.driving_licence", "Kein Führerschein"),
        ("mobility.public_transport", "Öffentlicher Nahverkehr"),
    ]),
    ("legal", "Rechtliches", [
        ("legal.residence_status", "Aufenthaltsstatus"),
        ("legal.work_permit", "Arbeitserlaubnis"),
    ]),
    ("age", "Alter", [("age.older_jobseekers", "Ältere Arbeitsuchende")]),
    ("transition", "Übergang Schule–Beruf", [
        ("transition.career_orientation", "Berufsorientierung"),
        ("transition.apprenticeship_search", "Ausbildungsplatzsuche"),
    ]),
    ("motivation", "Motivation und Orientierung", [
        ("motivation.orientation", "Motivation und Orientierung"),
    ]),
]


def seed(apps, schema_editor):
    import uuid

    Network = apps.get_model("core", "Network")
    ProblemSituation = apps.get_model("directory", "ProblemSituation")
    for network in Network.objects.all():
        existing = set(
            ProblemSituation.objects.filter(network=network).values_list("code", flat=True)
        )
        for group_position, (group_code, group_label, situations) in enumerate(TAXONOMY):
            group, _ = ProblemSituation.objects.get_or_create(
                network=network,
                code=group_code,
                defaults={"label": group_label, "position": group_position * 100,
                          "uuid": uuid.uuid4()},
            )
            for index, (code, label) in enumerate(situations):
                if code not in existing:
                    ProblemSituation.objects.create(
                        network=network, code=code, label=label, parent=group,
                        position=group_position * 100 + index + 1, uuid=uuid.uuid4(),
                    )


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_fulltext_index"), ("core", "0004_organisation_uuid")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
