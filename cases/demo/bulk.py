"""Fast inserts for generated rows: plain dicts, ids assigned up front, one ``executemany``
(``COPY`` on PostgreSQL).

``QuerySet.bulk_create`` costs about 170 µs per case-file row here (building a model instance,
preparing every value through its field, SQL per batch of ~40 rows on SQLite) – a minute of CPU
for the 200 000 rows of one county. These rows are generated, so their values are already of
the right Python type: only dates, datetimes, JSON and code sets need converting for the
database, and that is done with the fields' own adapters (so SQLite and PostgreSQL both get
what the ORM would send). Ids are handed out when a row is planned, so later rows can point at
it without a round trip; afterwards the database's id sequences are moved past them
(``sequence_reset_sql``: PostgreSQL needs it, SQLite's AUTOINCREMENT follows by itself).

Like ``bulk_create`` this skips ``save()`` and signals: callers compute what ``save()`` would.
"""

from __future__ import annotations

from operator import itemgetter

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

from directory.fields import CodeSetField

CHUNK = 5_000
# Field types whose database value is the Python value itself (str, int, bool, None).
PLAIN = {
    "AutoField",
    "BigAutoField",
    "BooleanField",
    "CharField",
    "EmailField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}


class Table:
    """The planned rows of one model."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.columns = {field.attname for field in self.fields}
        self.defaults = {
            field.attname: field.get_default() for field in self.fields if not field.primary_key
        }
        self.rows: list[dict] = []
        last = model._base_manager.aggregate(last=Max("pk"))["last"] or 0
        self.next_id = last + 1

    def add(self, **values) -> dict:
        """Plan a row; returns it (a dict with its ``id``). Keys starting with "_" are notes for
        the generator and not stored."""
        unknown = [key for key in values if key not in self.columns and key[0] != "_"]
        if unknown:
            raise TypeError(f"{self.model.__name__} has no column {', '.join(unknown)}")
        row = {**self.defaults, **values, "id": self.next_id}
        self.next_id += 1
        self.rows.append(row)
        return row

    def flush(self) -> int:
        if not self.rows:
            return 0
        quote = connection.ops.quote_name
        names = [field.attname for field in self.fields]
        converters = [_converter(field) for field in self.fields]
        table = quote(self.model._meta.db_table)
        columns = ", ".join(quote(field.column) for field in self.fields)
        placeholders = ", ".join(["%s"] * len(self.fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
        copy_sql = f"COPY {table} ({columns}) FROM STDIN"
        get = itemgetter(*names)
        convert = [(i, c) for i, c in enumerate(converters) if c is not None]
        with connection.cursor() as cursor:
            for start in range(0, len(self.rows), CHUNK):
                values = []
                for row in self.rows[start : start + CHUNK]:
                    prepared = list(get(row))
                    for index, converter in convert:
                        prepared[index] = converter(prepared[index])
                    values.append(prepared)
                if connection.vendor == "postgresql":
                    # COPY is several times faster than row-by-row INSERTs on PostgreSQL.
                    with cursor.cursor.copy(copy_sql) as copy:
                        for prepared in values:
                            copy.write_row(prepared)
                else:
                    cursor.executemany(sql, values)
            for statement in connection.ops.sequence_reset_sql(no_style(), [self.model]):
                cursor.execute(statement)
        count = len(self.rows)
        self.rows = []
        return count


def _converter(field):
    """None if the value goes to the database as it is, else a function preparing it."""
    if isinstance(field, CodeSetField):
        return field.get_prep_value
    kind = field.get_internal_type()
    if kind in PLAIN:
        return None
    if kind == "DateField":
        return connection.ops.adapt_datefield_value
    if kind == "DateTimeField":
        return connection.ops.adapt_datetimefield_value
    return lambda value: field.get_db_prep_save(value, connection)


class Tables:
    """One ``Table`` per model for a generator run, flushed in the order they were first used
    (so rows a later table points at are inserted first)."""

    def __init__(self):
        self.tables: dict[type[models.Model], Table] = {}

    def __getitem__(self, model: type[models.Model]) -> Table:
        if model not in self.tables:
            self.tables[model] = Table(model)
        return self.tables[model]

    def flush(self) -> dict[str, int]:
        return {model.__name__: table.flush() for model, table in self.tables.items()}
