import uuid

from django.db import migrations, models


def fill(apps, schema_editor):
    Organisation = apps.get_model("core", "Organisation")
    for organisation in Organisation.objects.filter(uuid__isnull=True):
        organisation.uuid = uuid.uuid4()
        organisation.save(update_fields=["uuid"])


class Migration(migrations.Migration):
    dependencies = [("core", "0003_organisation_version")]
    operations = [
        migrations.AddField(
            model_name="organisation", name="uuid", field=models.UUIDField(null=True, editable=False)
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organisation",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.UniqueConstraint(fields=("network", "uuid"), name="organisation_uuid"),
        ),
    ]
