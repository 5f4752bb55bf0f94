#!/usr/bin/env bash
# Run the whole test suite on SQLite and on PostgreSQL.
# PostgreSQL: $DATABASE_URL if it names one, else a local server on 127.0.0.1:5432 if it answers.
# In CI (CI=true) the PostgreSQL run is mandatory.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PYTEST=(.venv/bin/pytest -q -n 2 --dist loadfile)
summary=()
status=0

echo "== Lint (ruff) =="
.venv/bin/ruff check . || status=1

run_suite() {  # label, then environment assignments
  local label=$1; shift
  echo ""
  echo "== Tests auf $label =="
  env "$@" "${PYTEST[@]}" "${EXTRA_PYTEST_ARGS[@]}"
  local rc=$?
  if [ $rc -eq 0 ]; then summary+=("$label: bestanden"); else summary+=("$label: FEHLGESCHLAGEN (Exit $rc)"); status=1; fi
}

EXTRA_PYTEST_ARGS=("$@")

run_suite "SQLite" -u DATABASE_URL

pg_url="${DATABASE_URL:-}"
case "$pg_url" in postgres*) ;; *) pg_url="postgres://postgres@127.0.0.1:5432/kurzewege" ;; esac
if $PY - "$pg_url" <<'PYEOF'
import sys
import dj_database_url
import psycopg
cfg = dj_database_url.parse(sys.argv[1])
try:
    psycopg.connect(host=cfg["HOST"] or None, port=cfg["PORT"] or None, user=cfg["USER"] or None,
                    password=cfg["PASSWORD"] or None, dbname="postgres", connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL nicht erreichbar: {exc}", file=sys.stderr)
    sys.exit(1)
PYEOF
then
  run_suite "PostgreSQL (${pg_url%%\?*})" DATABASE_URL="$pg_url"
else
  if [ "${CI:-}" = "true" ]; then
    summary+=("PostgreSQL: NICHT ERREICHBAR – in CI Pflicht"); status=1
  else
    summary+=("PostgreSQL: übersprungen (kein Server erreichbar; DATABASE_URL setzen oder lokal starten)")
  fi
fi

echo ""
echo "== Zusammenfassung =="
printf '  %s\n' "${summary[@]}"
exit $status
