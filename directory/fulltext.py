"""German full-text search over offers, one interface for PostgreSQL and SQLite.

PostgreSQL stems with its ``german`` text search configuration (GIN expression index over
``to_tsvector('german', search_text)``). SQLite's FTS5 has no German stemmer, so the text is
stemmed in Python with the same Snowball algorithm and stored in the ``directory_offer_fts``
table. Query words are stemmed and matched as prefixes on both ("Schulden" → ``schuld*`` finds
"Schuldnerberatung"); Snowball folds umlauts and ß the same way on both databases.
"""

import re
from functools import lru_cache

import snowballstemmer
from django.db import connection
from django.db.models import BooleanField, FloatField
from django.db.models.expressions import RawSQL

FTS_TABLE = "directory_offer_fts"
TOKEN = re.compile(r"\w+", re.UNICODE)
# Words that carry no meaning in a search ("Beratung in Babenhausen für Frauen"); PostgreSQL's
# german dictionary drops them, so we drop them on both databases before querying.
STOPWORDS = frozenset(
    {
        "aber",
        "alle",
        "als",
        "am",
        "an",
        "auch",
        "auf",
        "aus",
        "bei",
        "beim",
        "bin",
        "bis",
        "da",
        "das",
        "dass",
        "dem",
        "den",
        "der",
        "des",
        "die",
        "dies",
        "diese",
        "doch",
        "du",
        "ein",
        "eine",
        "einem",
        "einen",
        "einer",
        "eines",
        "er",
        "es",
        "für",
        "hat",
        "ich",
        "ihr",
        "im",
        "in",
        "ist",
        "ja",
        "kein",
        "mit",
        "nach",
        "nicht",
        "noch",
        "nur",
        "ob",
        "oder",
        "ohne",
        "sie",
        "sind",
        "so",
        "über",
        "um",
        "und",
        "uns",
        "von",
        "vom",
        "vor",
        "was",
        "wie",
        "wir",
        "zu",
        "zum",
        "zur",
    }
)


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("german")


def words(text: str) -> list[str]:
    return [word for word in TOKEN.findall(text.casefold()) if word not in STOPWORDS]


# German texts repeat their words; caching the (pure-Python, ~50 µs) stemming makes bulk
# reindexing several times faster for a few MB of memory.
@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word.casefold())


def stemmed_document(text: str) -> str:
    return " ".join(stem(word) for word in TOKEN.findall(text.casefold()))


def query_terms(text: str) -> list[str]:
    """Stemmed, de-duplicated query words (stop words and one-letter words dropped)."""
    terms: list[str] = []
    for word in words(text):
        term = stem(word)
        if len(term) > 1 and term not in terms:
            terms.append(term)
    return terms


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _pg_query(terms: list[str], operator: str) -> str:
    # Terms are \w+ only, so they cannot inject tsquery syntax.
    return f" {operator} ".join(f"{term}:*" for term in terms)


def _fts5_query(terms: list[str], operator: str) -> str:
    return f" {operator} ".join(f'"{term}"*' for term in terms)


def matching(queryset, terms: list[str], *, require_all: bool = True):
    """``queryset`` narrowed to offers matching the terms, annotated with ``rank`` (higher is
    better)."""
    if is_postgresql():
        tsquery = _pg_query(terms, "&" if require_all else "|")
        vector = "to_tsvector('german'::regconfig, directory_offer.search_text)"
        query = "to_tsquery('simple'::regconfig, %s)"
        # The terms are already stemmed; 'simple' keeps them as they are (the german config
        # would stem a stem a second time).
        return queryset.annotate(
            fts_hit=RawSQL(f"{vector} @@ {query}", [tsquery], output_field=BooleanField()),
            rank=RawSQL(f"ts_rank({vector}, {query})", [tsquery], output_field=FloatField()),
        ).filter(fts_hit=True)
    match = _fts5_query(terms, "AND" if require_all else "OR")
    # A join, not a correlated subquery: FTS5 evaluates MATCH once and bm25() per hit. The
    # unary "+" keeps SQLite from probing the FTS table by rowid once per offer (which re-runs
    # MATCH per row and took seconds for 20 000 offers); the FTS scan drives the join.
    return queryset.extra(
        tables=[FTS_TABLE],
        where=[f"+{FTS_TABLE}.rowid = directory_offer.id", f"{FTS_TABLE} MATCH %s"],
        params=[match],
        select={"rank": f"-bm25({FTS_TABLE})"},
    )


def write_index(rows: list[tuple[int, str]]) -> None:
    """Store (offer id, search text) pairs in the SQLite FTS table; PostgreSQL indexes the
    column itself."""
    if is_postgresql() or not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(pk,) for pk, _ in rows])
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE}(rowid, body) VALUES (%s, %s)",
            [(pk, stemmed_document(text)) for pk, text in rows],
        )


def delete_from_index(pks: list[int]) -> None:
    if is_postgresql() or not pks:
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(pk,) for pk in pks])
