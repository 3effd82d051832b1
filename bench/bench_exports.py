"""Export speed on the demo data: each chart image after the first render, the summary, the note,
the workbook and a whole report folder.

Run: ``.venv/bin/python bench/bench_exports.py [--repeats N]``. Prints what it measured.
Targets (exports issue): each chart image < 0.5 s after the first render, whole report < 10 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import median_seconds

from exports import ExportContext, chart_catalogue, note_docx, summary_png, workbook_xlsx, write_report
from exports.images import chart_png, chart_svg
from formats.files import load_portfolio, load_scenario_file
from store.paths import DEMO_OPERATIONS_CSV, DEMO_SCENARIO_JSON


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5, help="essais par mesure (médiane)")
    repeats = parser.parse_args().repeats

    print(f"Commande : {' '.join([Path(sys.executable).name, *sys.argv])}")
    portfolio = load_portfolio(DEMO_OPERATIONS_CSV)
    reference = load_scenario_file(DEMO_SCENARIO_JSON)
    future = [op.id for op in portfolio.operations if op.start >= reference.reference_month]
    scenario = (
        reference.with_choice("AIRB-01", keep=False)
        .with_choice(future[0], shift_months=12)
        .model_copy(update={"name": "Banc d'essai"})
    )
    ctx = ExportContext.build(portfolio, scenario, reference, edition_date=date(2026, 3, 1))
    print(f"Jeu de démonstration : {len(portfolio.operations)} opérations ; scénario comparé à la référence")

    started = time.perf_counter()
    first = chart_catalogue(ctx)[0]
    chart_png(first, ctx)
    print(f"Premier rendu (démarrage de vl-convert compris) : {time.perf_counter() - started:6.2f} s")

    print(f"\nGraphiques, médiane de {repeats} essais après le premier rendu :")
    print(f"  {'graphique':<24} {'PNG (x2)':>10} {'SVG':>10}")
    slow = []
    calendars: dict[str, float] = {}
    for chart in chart_catalogue(ctx):
        chart_png(chart, ctx)  # first render of this chart
        png = median_seconds(lambda chart=chart: chart_png(chart, ctx), repeats)
        svg = median_seconds(lambda chart=chart: chart_svg(chart, ctx), repeats)
        flag = "" if png < 0.5 and svg < 0.5 else "   > 0,5 s"
        if flag:
            slow.append(chart.key)
        print(f"  {chart.key:<24} {png:9.3f}s {svg:9.3f}s{flag}")
        calendars[chart.key] = png

    floor_key = next(iter(calendars))  # the first chart, a plain bar chart: the floor of this run
    by_area = {k: v for k, v in calendars.items() if k.startswith("calendrier_") and k != "calendrier_hors_delai"}
    if by_area and "calendrier" in calendars:
        worst = max(by_area, key=by_area.__getitem__)
        print(
            f"\nCalendriers par quartier ({len(by_area)}) : le plus lent {worst} {by_area[worst]:.3f} s (cible ≤ 0,5 s), "
            f"soit {by_area[worst] / calendars['calendrier']:.2f} × le calendrier complet mesuré ici "
            f"({calendars['calendrier']:.3f} s) et {by_area[worst] / calendars[floor_key]:.2f} × "
            f"le graphique en barres {floor_key} ({calendars[floor_key]:.3f} s)"
        )

    print("\nDocuments, médiane :")
    print(f"  synthèse 1920×1080 (PNG)   {median_seconds(lambda: summary_png(ctx), repeats):7.3f} s")
    print(f"  classeur (XLSX)            {median_seconds(lambda: workbook_xlsx(ctx), repeats):7.3f} s")
    print(f"  note (DOCX, graphiques compris) {median_seconds(lambda: note_docx(ctx), max(1, repeats // 2)):7.3f} s")

    report_repeats = max(1, min(3, repeats))
    with tempfile.TemporaryDirectory() as folder:
        total = median_seconds(lambda: write_report(ctx, Path(folder)), report_repeats)
        count = len(list(Path(folder).iterdir()))
    print(f"\nRapport complet ({count} fichiers), médiane de {report_repeats} : {total:6.2f} s (cible < 10 s)")
    if slow:
        print(f"Au-dessus de 0,5 s par image : {', '.join(slow)}")


if __name__ == "__main__":
    main()
