"""Memory and time of the worst import files (issues 9 and 22): every one must stay under ~300 Mo of
extra memory and 10 s, in the app as in the CLI (both read through ``store.load_portfolio``).

Run: ``.venv/bin/python bench/bench_hostile_files.py``. Each file is read in a fresh process;
"mémoire en plus" is the peak resident memory minus the same process's memory just before
reading (modules loaded). The floor is the demo portfolio (data/operations.csv), measured in
the same run: each figure is printed as a ratio of it too.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "data"))

from make_corpus import COLUMNS, _sheet_rows, csv_bytes, repeated_row_number, row, table, xlsx_bytes  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "corpus"
MEMORY_BUDGET_MB = 300
TIME_BUDGET_S = 10

CHILD = r"""
import json, sys, time
from store import ImportRefused, load_portfolio
from formats.files import load_neighbourhoods

def resident(field):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":"))

neighbourhoods = load_neighbourhoods()
import openpyxl.reader.excel, lxml.etree  # loaded before the measure, as in a running app
with open("/proc/self/clear_refs", "w") as refs:
    refs.write("5")  # reset the peak resident size (Linux)
before = resident("VmRSS")
started = time.perf_counter()
try:
    outcome = f"acceptée ({len(load_portfolio(sys.argv[1], neighbourhoods).operations)} opérations)"
except ImportRefused as refused:
    outcome = "refusée : " + refused.issues[0].reason[:70]
seconds = time.perf_counter() - started
after = resident("VmHWM")
print(json.dumps({"seconds": seconds, "extra_mb": (after - before) / 1024, "outcome": outcome}))
"""


def measure(path: Path) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, cwd=ROOT, timeout=300, check=True
    )
    return json.loads(out.stdout)


def worst_files(folder: Path) -> list[Path]:
    """Files built to sit just under every limit (accepted or refused late), not committed."""
    made = []
    long_text = "Programme détaillé : " + "salles de classe, restauration, cour ; " * 24  # ~ 950 caractères
    rows = [row(id=f"W-{i}", programme=long_text) for i in range(9_999)]
    path = folder / "csv_8000_lignes_valides_9_mo.csv"
    path.write_bytes(csv_bytes(rows[:8000]))
    made.append(path)
    path = folder / "xlsx_9999_lignes_valides.xlsx"
    path.write_bytes(xlsx_bytes(_sheet_rows(table(*rows))))
    made.append(path)
    wide = [[f"c{j}" for j in range(100)]] + [["x" * 90] * 100 for _ in range(6_000)]
    path = folder / "xlsx_6000x100_cellules_texte.xlsx"
    path.write_bytes(xlsx_bytes(_sheet_rows(wide)))
    made.append(path)
    header = list(COLUMNS)
    one = ";".join(["x" * 30_000] * 3)
    path = folder / "csv_cellules_de_30000_caracteres.csv"
    path.write_bytes((";".join(header) + "\r\n" + "\r\n".join([one] * 110)).encode())
    made.append(path)
    path = folder / "csv_cellule_de_9_mo.csv"  # issue 22: refused at Excel's 32 767, on its own line
    path.write_bytes((";".join(header) + "\r\nX-1;" + "x" * 9_000_000 + "\r\n").encode())
    made.append(path)
    path = folder / "xlsx_2400000_lignes_numerotees_2.xlsx"  # issue 22: 96 Mo unpacked, under the cap
    path.write_bytes(repeated_row_number("2", 2_400_000))
    made.append(path)
    return made


def main() -> None:
    print(f"Commande : {' '.join([Path(sys.executable).name, *sys.argv])}")
    floor = measure(ROOT / "data" / "operations.csv")
    print(
        f"Plancher (data/operations.csv, jeu de démonstration) : {floor['seconds']:.3f} s, "
        f"{floor['extra_mb']:.1f} Mo en plus — {floor['outcome']}"
    )
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as folder:
        files = [
            *(
                CORPUS / name
                for name in (
                    "billion_laughs.xlsx",
                    "shared_strings_bomb.xlsx",
                    "unzip_bomb.xlsx",
                    "padded_dimension.xlsx",
                    "last_row_1048576.xlsx",
                    "row_2000000000.xlsx",
                    "huge_cell.csv",
                    "too_many_rows.csv",
                    "rows_all_numbered_2.xlsx",
                    "rows_numbered_negative.xlsx",
                    "integer_400_digits.xlsx",
                    "many_problems.csv",
                )
            ),
            *worst_files(Path(folder)),
        ]
        print(f"{'fichier':<40} {'taille':>9} {'temps':>8} {'× plancher':>11} {'mémoire en plus':>16}  issue")
        worst_time = worst_memory = 0.0
        for path in files:
            figures = measure(path)
            seconds, extra = float(figures["seconds"]), float(figures["extra_mb"])  # type: ignore[arg-type]
            worst_time, worst_memory = max(worst_time, seconds), max(worst_memory, extra)
            ratio = seconds / max(float(floor["seconds"]), 1e-6)  # type: ignore[arg-type]
            size = path.stat().st_size / 1024
            print(
                f"{path.name:<40} {size:>7.0f} ko {seconds:>7.2f}s {ratio:>10.1f}× {extra:>12.1f} Mo  {figures['outcome']}"
            )
    verdict = "tenu" if worst_time <= TIME_BUDGET_S and worst_memory <= MEMORY_BUDGET_MB else "DÉPASSÉ"
    print(
        f"Pire temps : {worst_time:.2f} s (budget {TIME_BUDGET_S} s) ; pire mémoire en plus : {worst_memory:.0f} Mo "
        f"(budget {MEMORY_BUDGET_MB} Mo) : {verdict}"
    )


if __name__ == "__main__":
    main()
