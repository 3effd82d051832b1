"""The floor the browser benchmark measures the app against: a trivial Streamlit page with one
``st.metric`` and one Altair bar chart of the same size as Arbitrage's (8 years x 9 stacked
series, 340 px high, full width), redrawn by a slider with the same label as the app's lever.

Run by ``bench/bench_browser.py`` on the same Streamlit and Chromium; not part of the app.
"""

import altair as alt
import pandas as pd
import streamlit as st

st.set_page_config(page_title="Plancher", layout="wide")
RATES = [round(0.005 * i, 3) for i in range(21)]
rate = st.select_slider("Actualisation des prix (par an)", RATES, value=0.03, format_func=lambda v: f"{v * 100:.1f} %")
years = list(range(2025, 2033))
series = [f"Type {k}" for k in range(9)]
frame = pd.DataFrame(
    [
        {"Année": str(y), "Type": s, "M€": (1 + rate) ** (y - 2024) * (3 + (k * 7 + y) % 11)}
        for y in years
        for k, s in enumerate(series)
    ]
)
st.metric("Crédits de paiement TTC", f"{frame['M€'].sum():.1f} M€".replace(".", ","))
st.altair_chart(
    alt.Chart(frame).mark_bar().encode(x="Année:N", y="sum(M€):Q", color="Type:N").properties(height=340),
    width="stretch",
)
