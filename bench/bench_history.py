"""Writes with history, and the history and drift views, on the demo portfolio.

Run: ``.venv/bin/python bench/bench_history.py [--repeats N] [--edits N]``. Prints what it measured,
in milliseconds and as a ratio to a floor measured in the same run (one trivial read through the
store: open the database for a unit of work, one query), so that a loaded machine shows as such.
Targets (issue 12): one operation edit with its history ≤ 100 ms; history view and drift view on
the demo ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import median_seconds

from store import Store
from ui.frames.history_table import drift_frame, history_frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=15, help="essais par mesure (médiane)")
    parser.add_argument("--edits", type=int, default=300, help="modifications écrites avant de mesurer les vues")
    args = parser.parse_args()
    print(f"Commande : {' '.join([Path(sys.executable).name, *sys.argv])}")

    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "bench.duckdb", user="banc")
        portfolio = store.portfolio()
        store.create_milestone("Comité d'engagement – mars 2027")
        ops = list(portfolio.operations)
        for i in range(args.edits):  # a history of realistic size, and drift to show
            op = ops[i % len(ops)]
            store.save_operation(op.model_copy(update={"cost_ht": op.cost_ht + 1000 * (i + 1)}), reason=f"essai {i}")
        n_history = len(store.history())
        print(f"Jeu de démonstration : {len(ops)} opérations, {n_history} lignes d'historique, 1 jalon")

        floor = median_seconds(store.revision, args.repeats)
        counter = iter(range(10**9))

        def one_edit() -> None:
            op = ops[0]
            store.save_operation(op.model_copy(update={"title": f"{op.title} ({next(counter)})"}), reason="banc")

        def history_view() -> None:
            history_frame(store.history(limit=2000))

        def drift_view() -> None:
            drift_frame(store.drift("Comité d'engagement – mars 2027"), ["modifiée", "ajoutée", "retirée"])

        rows = [
            ("plancher : une lecture (ouverture + requête)", floor, None),
            ("une modification d'opération + historique", median_seconds(one_edit, args.repeats), 0.100),
            ("vue Historique (2 000 lignes au plus)", median_seconds(history_view, args.repeats), 0.300),
            ("vue Stabilisation (dérive depuis le jalon)", median_seconds(drift_view, args.repeats), 0.300),
        ]
        print(f"\nMédiane de {args.repeats} essais :")
        print(f"  {'mesure':<46} {'ms':>8} {'× plancher':>11} {'cible':>9}")
        for label, seconds, target in rows:
            verdict = "" if target is None else ("  ok" if seconds <= target else "  AU-DESSUS")
            cible = "" if target is None else f"≤ {target * 1000:.0f} ms"
            print(f"  {label:<46} {seconds * 1000:8.1f} {seconds / floor:10.1f}× {cible:>9}{verdict}")
        store.close()


if __name__ == "__main__":
    main()
