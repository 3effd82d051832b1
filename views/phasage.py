"""Proposer un phasage: the assistant that fits the scenario in use to its envelopes,
headcounts and deadlines, with the greedy and the optimised proposals side by side."""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError

import charts
from simulation import fr
from simulation.errors import french_problems
from simulation.fit import ENGINE_LABEL, FitError, FitSettings, Proposal, changes_frame, kpi_comparison, propose
from simulation.fit.settings import ENVELOPE_MODE_LABEL, GRID_LABEL
from simulation.fit.verify import committed_overruns, unchecked_overloads, verified_text
from simulation.labels import WORKSHOP_KPIS, label_of
from simulation.labels import chart_owner as owner_of_choice
from simulation.limits import PHASING_MAX_SHIFT_INPUT, PHASING_MAX_SHIFT_STEP
from simulation.scenario import ScenarioError
from ui import fit_job, layout, save_form, state
from ui.frames.plain import md, plain_frame
from ui.widgets import flash, owner_picker, show_flash

RUN = "phasage_run"
SCROLL = "phasage_scroll"  # a new proposal was asked for: bring its plans and timer on screen
STRIP_KPIS = list(WORKSHOP_KPIS)
# In projector mode, words an elected official uses (the desk keeps the experts' names).
PLAIN_ENGINE_LABEL = {"greedy": "Proposition rapide", "optimal": "Proposition optimisée"}
SEEN_EXPLAINED = "phasage_seen_explained"  # the page has redrawn since the greedy plan was explained
PAGE = "phasage"  # its flash message
CARD_KPIS = ["anru_secured", "n_late", "n_dropped", "total_overrun"]
SHORT_COLUMNS = ["Opération", "Décision", "Début demandé", "Début proposé", "ANRU perdue", "Contrainte"]


def scroll_to_plans(nonce: int) -> str:
    """A script that scrolls the « Propositions » heading to just under the top bar (and the sticky
    strip on a projector): after the click, the plans, the timer and the stop button were all below
    the settings, out of the 1280×720 screen. ``nonce`` makes each request's script a new one."""
    return (
        "<script>(() => {\n"
        "  const doc = window.parent && window.parent.document ? window.parent.document : document;\n"
        f"  const nonce = {int(nonce)};\n"
        "  if (doc.__plansScrolled === nonce) return; doc.__plansScrolled = nonce;\n"
        "  let stop = false;  // the person scrolls or types: the page is theirs again\n"
        "  for (const kind of ['wheel', 'touchstart', 'keydown', 'mousedown'])\n"
        "    doc.addEventListener(kind, () => { stop = true; }, {once: true, capture: true});\n"
        "  const go = (n) => {  // again while the plans are drawn: the page grows under the heading\n"
        "    if (stop || n > 60) return;\n"
        "    const heading = [...doc.querySelectorAll('[data-testid=stHeading]')]\n"
        "      .find(h => h.innerText.startsWith('Propositions face au scénario'));\n"
        "    if (heading) {\n"
        "      const above = [...doc.querySelectorAll('[data-testid=stHeader], .st-key-kpi_strip')]\n"
        "        .reduce((low, e) => Math.max(low, e.getBoundingClientRect().bottom), 0) + 8;\n"
        "      if (Math.abs(heading.getBoundingClientRect().top - above) > 4) {\n"
        "        heading.style.scrollMarginTop = above + 'px';\n"
        "        heading.scrollIntoView({block: 'start'});\n"
        "      }\n"
        "    }\n"
        "    setTimeout(() => go(n + 1), 100);\n"
        "  };\n"
        "  go(0);\n"
        "})();</script>"
    )


layout.header(
    "Proposer un phasage",
    "L'assistant cherche, à partir du scénario en cours, un calendrier qui tient les enveloppes annuelles, "
    "les effectifs des directions et les dépendances : il ne fait que décaler (jamais avancer) ou abandonner "
    "des opérations, et chaque chiffre affiché est recalculé par le simulateur.",
)
projector = state.projector()
portfolio = state.portfolio()
scenario = state.working()
note = st.markdown if projector else st.caption
engine_label = PLAIN_ENGINE_LABEL if projector else ENGINE_LABEL
if projector:  # the working scenario's figures stay on screen while the room reads the plans
    layout.kpi_cards(state.run(scenario), state.run(state.reference()), STRIP_KPIS, sticky=True)

if projector:  # st.table cells keep their small fixed size otherwise
    st.html(
        "<style>[data-testid='stTableStyledTable'] td, [data-testid='stTableStyledTable'] th "
        "{ font-size: 1.05rem !important; padding: 0.35rem 0.6rem !important; }</style>"
    )
show_flash(PAGE)

labels = {op.id: f"{op.id} — {op.title}" for op in portfolio.operations}
ids = list(labels)

with st.form("phasage_settings", border=True):
    st.markdown("**Verrous**")
    left, middle, right = st.columns(3)
    forced_in, forced_out, fixed = (
        column.multiselect(label, ids, format_func=label_of(labels), key=key, placeholder="Aucune", help=help_text)
        for column, label, key, help_text in (
            (left, "Opérations imposées (toujours maintenues)", "phasage_forced_in", None),
            (middle, "Opérations exclues (abandonnées)", "phasage_forced_out", None),
            (
                right,
                "Dates figées (jamais déplacées)",
                "phasage_fixed",
                "Une opération figée garde sa date ; elle peut encore être abandonnée si elle n'est pas imposée.",
            ),
        )
    )
    note(
        f"Les opérations déjà démarrées avant le mois de référence ({fr.month(scenario.reference_month)}) sont "
        "toujours figées et maintenues ; celles que le scénario abandonne restent abandonnées, sauf si vous les imposez."
    )
    st.markdown("**Réglages**")
    columns = st.columns([1.6, 1.2, 1.1, 1, 1])
    mode = columns[0].radio(
        "Enveloppes",
        list(ENVELOPE_MODE_LABEL),
        format_func=lambda m: ENVELOPE_MODE_LABEL[m].capitalize(),
        key="phasage_mode",
    )
    tolerance = columns[1].slider(
        "Tolérance sur les effectifs", 0, 50, 0, step=5, format="%d %%", key="phasage_tolerance"
    )
    grid = columns[2].radio(
        "Grille des dates de démarrage",
        list(GRID_LABEL),
        format_func=lambda g: GRID_LABEL[g].capitalize(),
        key="phasage_grid",
    )
    max_shift = columns[3].number_input(
        "Décalage maximal (mois)",
        0,
        PHASING_MAX_SHIFT_INPUT,
        FitSettings().max_shift_months,
        step=PHASING_MAX_SHIFT_STEP,
        key="phasage_max_shift",
    )
    time_limit = columns[4].number_input(
        "Temps de l'optimiseur (s)",
        1,
        120,
        5,
        step=1,
        key="phasage_time_limit",
        help="La proposition rapide arrive aussitôt ; la proposition optimisée part d'elle et l'améliore pendant "
        "ce temps au plus."
        if projector
        else "Le glouton répond aussitôt ; l'optimiseur part de sa solution et l'améliore pendant ce temps au plus.",
    )
    submitted = st.form_submit_button(
        "Proposer un phasage", icon=":material/auto_fix_high:", type="primary", key="phasage_submit"
    )

if submitted:
    try:
        settings = FitSettings(
            forced_in=forced_in,
            forced_out=forced_out,
            fixed=fixed,
            envelope_mode=mode,
            staff_tolerance=tolerance / 100,
            grid=grid,
            max_shift_months=int(max_shift),
            time_limit_s=float(time_limit),
        )
    except ValidationError as exc:
        st.error(
            "Réglages refusés :  \n" + "  \n".join(md(str(p)) for p in french_problems(exc)), icon=":material/error:"
        )
        settings = None  # type: ignore[assignment]  # refused: nothing is proposed
    if settings is not None:
        previous = st.session_state.get(RUN, {}).get("job")
        if previous is not None:
            previous.stop_now()  # a new request replaces a search still running
        try:
            # The greedy plan first (a few hundredths of a second); the optimiser then runs in the background.
            run = propose(portfolio, scenario, settings, engines=["greedy"], explain=False)
        except (FitError, ScenarioError) as exc:
            st.error(md(str(exc)), icon=":material/error:")
        else:
            job: fit_job.OptimiserJob | None = None
            greedy = run.proposals["greedy"]
            if run.hint is None or greedy.conflict is not None:  # no plan at all: the optimiser would find none either
                run.proposals["optimal"] = Proposal("optimal", greedy.status, conflict=greedy.conflict)
            else:
                job = fit_job.start(run, settings.time_limit_s)
            st.session_state[RUN] = {"scenario": scenario, "run": run, "job": job}
            st.session_state.pop(SEEN_EXPLAINED, None)
            st.session_state[SCROLL] = int(st.session_state.get(SCROLL + "_count", 0)) + 1
            st.session_state[SCROLL + "_count"] = st.session_state[SCROLL]

stored = st.session_state.get(RUN)
if stored is None:
    st.info(
        "Choisissez les verrous et les réglages, puis « Proposer un phasage ». Une proposition rapide (par ordre "
        "de priorité, chaque opération au plus tôt) arrive aussitôt ; la proposition optimisée cherche ensuite le "
        "meilleur arbitrage : d'abord l'ANRU sécurisée, puis les opérations achevées à temps, puis le moins de "
        "décalages, enfin des dépenses lissées."
        if projector
        else "Choisissez les verrous et les réglages, puis « Proposer un phasage ». Le glouton (ordre de priorité, "
        "date au plus tôt) répond aussitôt ; l'optimiseur CP-SAT cherche ensuite le meilleur arbitrage : d'abord "
        "l'ANRU sécurisée, puis les opérations achevées à temps (pondérées par la priorité), puis le moins de "
        "décalages, enfin le lissage des dépenses.",
        icon=":material/lightbulb:",
    )
    st.stop()

run = stored["run"]
job = stored.get("job")
if job is not None and job.done:  # the optimiser has finished: its proposal joins the greedy one
    if job.proposal is not None:
        run.proposals["optimal"] = job.proposal
    elif job.error:
        st.error(job.error, icon=":material/error:")
    stored["job"] = job = None
explaining = job is not None and not job.greedy_explained.is_set()
if job is not None and job.greedy_explained.is_set():
    st.session_state[SEEN_EXPLAINED] = True


@st.fragment(run_every=0.5)
def optimiser_progress(job: fit_job.OptimiserJob) -> None:
    """The optimiser at work: a timer against its time limit and a stop button."""
    if job.done or (job.greedy_explained.is_set() and not st.session_state.get(SEEN_EXPLAINED)):
        st.rerun(scope="app")  # show what is new (explanations, then the optimised plan)
    elapsed = job.elapsed()
    stopping = job.stop.is_set()
    st.progress(
        min(elapsed / max(job.time_limit_s, 0.1), 1.0),
        text=f"{'Arrêt demandé… ' if stopping else ''}{fr.number(elapsed, 1)} s écoulées (optimiseur : "
        f"{fr.number(job.time_limit_s, 0)} s au plus)" + ("" if state.projector() else f" — {job.text}"),
    )
    st.button(
        "Arrêter l'optimiseur",
        icon=":material/stop_circle:",
        key="phasage_stop",
        on_click=job.stop_now,
        disabled=stopping,
        help="Garde le meilleur plan trouvé jusqu'ici (au pire, la proposition rapide)."
        if state.projector()
        else "Garde le meilleur plan trouvé jusqu'ici (au pire, celui du glouton).",
    )


used = {engine for engine, p in run.proposals.items() if p.scenario is not None and p.scenario == scenario}
if used:
    st.info(
        f"Le scénario de travail est maintenant la proposition « {md(scenario.name)} ».", icon=":material/task_alt:"
    )
elif stored["scenario"] != scenario:
    st.warning(
        "Le scénario en cours a changé depuis ce calcul : relancez « Proposer un phasage » pour en tenir compte.",
        icon=":material/warning:",
    )

counts = run.counts()
st.subheader(f"Propositions face au scénario de départ « {md(run.before.scenario.name)} »")
if SCROLL in st.session_state:  # once per request: the plans and the timer come on screen
    st.html(scroll_to_plans(st.session_state.pop(SCROLL)), unsafe_allow_javascript=True)
# On a projector the plans and the timer come right under the heading (on a 1280×720 screen);
# how the proposal was constrained and the charts' owner follow them.
plans_area = st.container()
with st.container() if projector else plans_area:
    note(
        f"{run.problem.settings.describe()}. {run.problem.n} opérations : {counts['committed']} engagées "
        f"(dates et montants acquis), {counts['variable']} ajustables, {counts['excluded']} exclues ou abandonnées."
    )
    chosen = owner_picker("phasage_owner", "Maître d'ouvrage des graphiques")
chart_owner = owner_of_choice(chosen)


def save_proposal(engine: str, proposal) -> None:
    def save(name: str, author: str, rationale: str) -> str:
        to_save = proposal.scenario.model_copy(update={"name": name, "author": author, "rationale": rationale})
        version = state.store().save_scenario(to_save)
        return f"Scénario « {name} » enregistré (version {version}) : ouvrez-le depuis la liste des scénarios."

    save_form.save_popover(
        f"phasage_save_{engine}",
        save,
        label="Enregistrer comme scénario…",
        name=proposal.scenario.name,
        rationale=proposal.scenario.rationale,
        width="stretch",
    )
    save_form.confirmation(f"phasage_save_{engine}")


def use_as_working(proposal) -> None:
    state.set_working(proposal.scenario)
    flash(PAGE, f"La proposition « {proposal.scenario.name} » est le nouveau scénario de travail.")


panels = plans_area.columns(2, gap="large")
if job is not None:
    with panels[1]:
        st.markdown(f"### {engine_label['optimal']}")
        note(
            "Recherche en cours, à partir de la proposition rapide, affichée en attendant."
            if projector
            else "Recherche en cours, à partir du plan glouton : il est affiché en attendant."
        )
        optimiser_progress(job)
for panel, (engine, proposal) in zip(panels, run.proposals.items(), strict=False):
    with panel:
        st.markdown(f"### {engine_label[engine]}")
        seconds = (
            f"{fr.number(proposal.seconds * 1000)} ms"
            if proposal.seconds < 1
            else f"{fr.number(proposal.seconds, 1)} s"
        )
        status = proposal.status_text(plain=projector)
        note(f"Statut : **{status}** — calcul en {seconds}")
        if not proposal.ok:
            if proposal.conflict is not None:
                st.error(
                    f"**Aucun phasage ne tient toutes les contraintes.** {md(proposal.conflict.text)}.  \n"
                    f"{md(proposal.conflict.context)}",
                    icon=":material/block:",
                )
            else:
                st.error("Aucun phasage trouvé dans le temps imparti.", icon=":material/hourglass_empty:")
            continue
        if proposal.violations:
            st.error(
                "Règles non tenues d'après le simulateur :  \n"
                + "  \n".join(f"- {md(v)}" for v in proposal.violations),
                icon=":material/error:",
            )
        else:
            st.success(
                f"Vérifié par le simulateur : {md(verified_text(run.problem, proposal.result))}.",
                icon=":material/verified:",
            )
        unchecked = unchecked_overloads(run.problem, proposal.result)
        if unchecked:
            st.warning(
                "Au-dessus de son effectif, hors des équipes tenues par le phasage :  \n"
                + "  \n".join(f"- {md(line)}" for line in unchecked),
                icon=":material/groups:",
            )
        layout.kpi_cards(proposal.result, run.before, CARD_KPIS, columns=2)
        grouping = "owner" if projector else "facility_type"  # few legend entries on a projector
        st.altair_chart(
            charts.finish(
                charts.spending_vs_envelope(
                    proposal.result, portfolio, grouping, chart_owner, projector, height=420 if projector else 300
                ),
                projector,
            ),
            width="stretch",
        )
        if engine == "greedy" and explaining:
            note("Décalages et abandons : explications en cours de calcul…")
        else:
            note(f"{len(proposal.moved)} opération(s) décalée(s), {len(proposal.dropped)} abandonnée(s).")
        buttons = [st.container(), st.container()] if projector else st.columns(2)
        with buttons[0]:
            st.button(
                "Utiliser comme scénario de travail",
                icon=":material/play_arrow:",
                key=f"phasage_use_{engine}",
                on_click=use_as_working,
                args=(proposal,),
                width="stretch",
                disabled=proposal.scenario == scenario,
            )
        with buttons[1]:
            save_proposal(engine, proposal)

st.subheader("Indicateurs comparés")
comparison = kpi_comparison(run)
if projector:
    comparison = comparison.rename(columns={ENGINE_LABEL[e]: PLAIN_ENGINE_LABEL[e] for e in ENGINE_LABEL})
    st.table(plain_frame(comparison.set_index("Indicateur")))
else:
    st.dataframe(comparison, hide_index=True, width="stretch", height="content")
overruns = committed_overruns(run.problem)
if overruns:
    note(
        "Ce qui reste au-dessus des limites vient des opérations déjà engagées, qu'aucun phasage ne peut "
        "déplacer : " + " ; ".join(md(o) for o in overruns) + "."
    )
if run.problem.settings.envelope_mode == "carry_forward":
    note(
        "Crédits reportés : une année au-dessus de son enveloppe peut être couverte par les crédits non "
        "consommés des années précédentes."
    )

st.subheader("Opérations décalées ou abandonnées, et pourquoi")
ok = {engine: p for engine, p in run.proposals.items() if p.ok}
if explaining:
    ok.pop("greedy", None)
    st.caption(
        f"Explications de la {engine_label['greedy'].lower()} en cours de calcul…"
        if projector
        else "Explications du plan glouton en cours de calcul…"
    )
if not ok:
    st.stop()
tabs = st.tabs(
    [f"{engine_label[e]} — {len(p.moved)} décalée(s), {len(p.dropped)} abandonnée(s)" for e, p in ok.items()]
)
for tab, proposal in zip(tabs, ok.values(), strict=True):
    with tab:
        table = changes_frame(proposal.changes)
        if table.empty:
            st.write("Aucune opération n'est décalée ni abandonnée : le scénario tient déjà ses contraintes.")
            continue
        if projector:
            st.table(plain_frame(table[SHORT_COLUMNS].set_index("Opération")))
        else:
            st.dataframe(
                table,
                hide_index=True,
                width="stretch",
                height="content" if len(table) <= 12 else 460,
                column_config={
                    "Intitulé": st.column_config.TextColumn(width="medium"),
                    "Cause": st.column_config.TextColumn(width="large"),
                    "Échéance": st.column_config.TextColumn(width="large"),
                },
            )
            note(
                "Cause : ce qui empêcherait l'opération de démarrer à la date demandée, tout le reste étant tel "
                "que proposé. Échéance : si une échéance perdue pouvait être tenue, ou quelles contraintes "
                "l'en empêchent ensemble."
            )
        with st.expander("Causes et échéances en toutes lettres", expanded=False):
            for change in sorted(proposal.changes, key=lambda c: (c.kind != "dropped", -c.anru_lost, c.operation_id)):
                if change.kind == "moved":
                    decision = (
                        f"décalée de {change.shift_months} mois : début demandé en {fr.month(change.requested_start)}, "
                        f"proposé en {fr.month(change.proposed_start)}"
                    )
                else:
                    decision = "abandonnée"
                reason = change.reason_text[:1].upper() + change.reason_text[1:]
                text = f"**{change.operation_id}** « {md(change.title)} » — {decision}  \nCause : {md(reason)}"
                if change.deadline:
                    text += f"  \nÉchéance : {md(change.deadline)}"
                st.markdown(text)
