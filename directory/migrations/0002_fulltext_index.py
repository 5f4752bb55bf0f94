"""Full-text index: a GIN expression index on PostgreSQL, an FTS5 table on SQLite."""

from django.db import migrations

PG_CREATE = (
    "CREATE INDEX offer_search_german ON directory_offer "
    "USING GIN (to_tsvector('german'::regconfig, search_text))"
)
PG_DROP = "DROP INDEX IF EXISTS offer_search_german"
SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE directory_offer_fts USING fts5("
    "body, tokenize = 'unicode61 remove_diacritics 2')"
)
SQLITE_DROP = "DROP TABLE IF EXISTS directory_offer_fts"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_offers")]
    operations = [migrations.RunPython(create, drop)]
