#!/usr/bin/env bash
# Essai de restauration, sans toucher à la base en service : copie une sauvegarde (la plus
# récente de $SIMULATEUR_BACKUP_DIR, ou FICHIER) dans un dossier temporaire, l'ouvre comme le
# ferait l'application après une restauration, et dit ce qu'elle contient. Code de sortie 1 si
# elle est illisible ou vide. À lancer chaque mois (deploy/README.md, « Restaurer »).
# Usage : deploy/verifier-sauvegarde.sh [FICHIER]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${SIMULATEUR_BACKUP_DIR:-/var/backups/simulateur}
file=${1:-$(ls -1t "$dir"/simulateur-*.duckdb 2>/dev/null | head -n 1 || true)}
if [ -z "$file" ] || [ ! -f "$file" ]; then
  echo "Aucune sauvegarde à vérifier (dossier $dir)." >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$file" "$work/restauree.duckdb"
"${PYTHON:-.venv/bin/python}" - "$work/restauree.duckdb" "$file" <<'PY'
import sys

from simulation.fr import number
from store import Store, StoreError

try:
    store = Store.open(sys.argv[1], seed=False, linger=0)
    operations = len(store.portfolio().operations)
    scenarios = len(store.list_scenarios())
    people = len(store.people())
    change_sets = store.change_sets()
except StoreError as exc:
    print(f"Sauvegarde {sys.argv[2]} illisible : {exc}", file=sys.stderr)
    sys.exit(1)
if operations == 0 or not change_sets:
    print(f"Sauvegarde {sys.argv[2]} vide : aucune opération ou aucun historique.", file=sys.stderr)
    sys.exit(1)
last = max(change_sets, key=lambda c: c.id)
print(
    f"Sauvegarde {sys.argv[2]} restaurée à l'essai : {number(operations)} opérations, {number(scenarios)} scénarios, "
    f"{number(people)} personnes, {number(len(change_sets))} lots dans l'historique, le dernier le "
    f"{last.at:%d/%m/%Y à %H:%M} par {last.user}."
)
PY
