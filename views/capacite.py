"""Capacité: can the City deliver? Staff load per directorate against headcount, and each
owner's yearly payment credits against its envelope."""

from collections.abc import Set as AbstractSet

import pandas as pd
import streamlit as st

import charts
from simulation import aggregates, fr
from simulation.capacity import directorate_summary, most_overloaded_first, owner_years
from simulation.labels import OWNER
from simulation.scenario import COORDINATION_TEAM
from simulation.staffing import recommend, with_recommendations
from ui import chart_cache, execution, layout, state, tables
from ui.frames.plain import plain_frame
from ui.widgets import owner_picker

layout.header("Capacité")
projector = state.projector()
result = state.run(state.working())
reference = state.run(state.reference())
scenario = result.scenario

layout.kpi_cards(
    result,
    reference,
    ["peak_staff_overload", "staff_overload_months", "calendar_years_over_envelope", "total_overrun"],
)


charge_tab, execution_tab = st.tabs(["Charge et enveloppes", "Exécution"])
with execution_tab:
    execution.draw(result)
with charge_tab:
    note = st.markdown if projector else st.caption  # chart legends: readable on a projector

    def show_table(frame: pd.DataFrame, right: list[str], alarms: AbstractSet[tuple[int, str]] = frozenset()) -> None:
        """A dense interactive grid at a desk; on a projector a static table that follows the large type.

        ``alarms`` are (row position, column) cells to show in bold vermillion.
        """
        if projector:  # the grid keeps its small type; st.table takes the page's, and Markdown cells
            marked = plain_frame(frame)  # directorates are user text; only our alarms are Markdown
            for row, column in alarms:
                marked.loc[marked.index[row], column] = f":red[**{marked.iloc[row][column]}**]"
            st.table(marked, hide_index=True)
            return

        def colour(column: pd.Series) -> list[str]:
            return [
                "color: #D55E00; font-weight: bold" if (row, column.name) in alarms else ""
                for row in range(len(column))
            ]

        st.dataframe(
            frame.style.apply(colour, axis=0),
            hide_index=True,
            width="stretch",
            height="content" if len(frame) > 10 else "auto",
            column_config={name: st.column_config.TextColumn(alignment="right") for name in right},
        )

    def month_or_dash(text: object) -> str:
        return fr.month(text) if isinstance(text, str) and text else "—"

    # ----------------------------------------------------------------------------- staff
    st.subheader("Charge des chefs de projet par direction, face à l'effectif")
    owner_label = OWNER.get(str(scenario.capacity_owner), str(scenario.capacity_owner))
    note(
        f"Charge mensuelle en équivalents temps plein (ETP) des opérations en cours dont le maître d'ouvrage est "
        f"**{owner_label}**, rapportée à l'effectif fixé par le scénario, à partir de "
        f"{fr.month(scenario.reference_month)}. Bleus : sous l'effectif ; orangés et rouges : au-dessus."
    )
    chart_cache.chart("staff_heatmap", result, lambda: charts.staff_heatmap(result, projector))

    summary = most_overloaded_first(directorate_summary(result))
    staff_table = pd.DataFrame(
        {
            "Direction": summary["directorate"],
            "Effectif": summary["headcount"].map(lambda v: "non fixé" if pd.isna(v) else fr.fte(v)),
            "Charge maximale": summary["peak_load"].map(fr.fte),
            "Mois du pic": summary["peak_month"].map(month_or_dash),
            "Mois au-dessus de l'effectif": summary["months_over"].map(fr.number),
            "Surcharge maximale": summary["peak_overload"].map(lambda v: fr.fte(v) if v > 0 else "—"),
            "Première surcharge": summary["first_month_over"].map(month_or_dash),
        }
    )
    directorates = summary["directorate"].tolist()
    show_table(staff_table, ["Effectif", "Charge maximale", "Mois au-dessus de l'effectif", "Surcharge maximale"])
    st.caption("Mois comptés à partir du mois de référence ; surcharge = charge − effectif. Les plus chargées en tête.")
    if directorates:
        picker, legend = st.columns([1, 2 if projector else 3], vertical_alignment="bottom")
        chosen = picker.selectbox("Direction", directorates, key="capacite_direction", placeholder="Choisir")
        with legend:
            note("Trait plein : charge ; tirets : effectif ; zone orange : surcharge.")
        chart_cache.chart(
            "staff_lines",
            result,
            lambda: charts.staff_lines(result, chosen, projector, height=420 if projector else 320),
            directorate=chosen,
        )

    # ----------------------------------------------------------------------------- recruitment
    st.subheader("Recrutements recommandés")
    note(
        f"Pour chaque direction et pour l'équipe transversale « {COORDINATION_TEAM} » : le plus petit nombre "
        "entier d'ETP à recruter, et à partir de quel mois, pour qu'aucun mois ne dépasse l'effectif (recrutements "
        "déjà prévus compris). Le recrutement est lancé plus tôt du délai de recrutement du scénario. "
        "La charge de coordination par opération en cours est un paramètre illustratif du scénario."
    )
    recommendations = recommend(result)
    lead_col, _ = st.columns([1, 3])
    lead = lead_col.number_input(
        "Délai de recrutement (mois)",
        min_value=0,
        max_value=60,
        step=1,
        value=scenario.recruitment_lead_months,
        key=f"capacite_lead_{state.generation()}",
    )
    if lead != scenario.recruitment_lead_months:
        state.set_working(scenario.model_copy(update={"recruitment_lead_months": int(lead)}))
        st.rerun()
    if recommendations:
        for rec in recommendations:
            st.text(f"• {rec.sentence}")  # directorate names are user text: shown as text
        if st.button(
            "Ajouter ces recrutements au scénario de travail", icon=":material/person_add:", key="capacite_recruit"
        ):
            state.set_working(with_recommendations(scenario, recommendations))
            st.rerun()
    else:
        st.success("Aucun recrutement nécessaire : aucun mois ne dépasse l'effectif, recrutements prévus compris.")
    if scenario.recruitments:
        st.markdown("**Plan de recrutement du scénario**")
        plan = pd.DataFrame(
            {
                "Direction": [r.direction for r in scenario.recruitments],
                "ETP": [fr.fte(r.fte) for r in scenario.recruitments],
                "À partir de": [fr.month(r.start) for r in scenario.recruitments],
                "Jusqu'à": [fr.month(r.end) if r.end else "sans fin" for r in scenario.recruitments],
            }
        )
        # A grid (directorate names are user text, never Markdown), enlarged on a projector.
        tables.grid(plan, slot="recruitment_plan_grid", height=tables.grid_height(len(plan)))

    # ----------------------------------------------------------------------------- money
    st.subheader("Crédits de paiement par maître d'ouvrage, face aux enveloppes")
    first_year, last_year = aggregates.year_range(result)
    years = owner_years(result, first_year, last_year)
    owners = list(dict.fromkeys(years["owner"]))
    note(
        f"Crédits de paiement TTC actualisés, {first_year}–{last_year}. Tirets noirs : enveloppe du scénario ; "
        "en orange : la part au-dessus de l'enveloppe (dépassement en M€ indiqué au-dessus). "
        "Le tableau ci-dessous donne tous les maîtres d'ouvrage."
    )
    # One owner at a time: three charts side by side were unreadable on a projector and slow to draw.
    chosen_owner = owner_picker("capacite_owner", options=owners, default=owners[0]) or owners[0]
    chart_cache.chart(
        "owner_envelopes",
        result,
        lambda: charts.owner_envelopes(result, chosen_owner, projector, height=460 if projector else 360),
        owner=chosen_owner,
    )

    GAP_LINE = "Écart (+ = dépassement)"

    def money_rows(frame: pd.DataFrame) -> pd.DataFrame:
        """Three lines per owner (CP, envelope, gap), one column per year, in M€ the French way."""
        rows = []
        for owner, part in frame.groupby("owner", sort=False):
            by_year = part.set_index("year")
            lines = {
                "Crédits de paiement TTC": by_year["spending_ttc"].map(fr.meuros),
                "Enveloppe": by_year["envelope"].map(fr.meuros),
                GAP_LINE: by_year["gap"].map(lambda v: fr.meuros(v, signed=True)),
            }
            for line, values in lines.items():
                rows.append(
                    {
                        "Maître d'ouvrage": OWNER.get(str(owner), str(owner)),
                        "Ligne": line,
                        **values.rename(str).to_dict(),
                    }
                )
        return pd.DataFrame(rows)

    money = money_rows(years)
    over = {
        (OWNER.get(o, o), str(y))
        for o, y in years.loc[years["over_envelope"], ["owner", "year"]].itertuples(index=False)
    }
    overruns = {
        (position, year)
        for position, (owner, line) in enumerate(zip(money["Maître d'ouvrage"], money["Ligne"], strict=True))
        for year in money.columns
        if line == GAP_LINE and (owner, year) in over
    }
    show_table(money, [c for c in money.columns if c.isdigit()], overruns)
    st.caption("Millions d'euros TTC ; écart positif = dépassement de l'enveloppe (en gras) ; « — » : pas d'enveloppe.")
