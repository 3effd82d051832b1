"""The one-page summary: a 1920×1080 PNG (16:9) for a slide or a committee note.

Scenario name and rationale, the headline KPIs with their difference to the comparison
scenario, the yearly spending against the envelopes (the page's chart builder, rendered by
vl-convert), the operations at risk, and the source line. Laid out with Pillow so the size is
exact; every number comes from ``simulation.fr``.
"""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

import charts
from charts.theme import DEMO_HEX
from exports.context import ExportContext
from exports.images import spec_to_svg, svg_to_png
from exports.text import kpi_delta, kpi_judgement, kpi_value, quote
from simulation import Scenario, fr
from simulation.compare import choice_differences, settings_changes
from simulation.labels import KPI, OWNER
from simulation.tolerances import EURO_NIL

WIDTH, HEIGHT = 1920, 1080
MARGIN = 60

HEADLINE_KPIS = (
    "spending_ttc",
    "net_cost",
    "anru_secured",
    "anru_lost",
    "n_late",
    "n_dropped",
    "total_overrun",
    "peak_staff_overload",
)

INK = "#000000"
GREY = "#4d4d4d"
LIGHT = "#f3f5f7"
RULE = "#c8ced4"
WORSE = "#C3410A"  # darker than the chart orange, for text contrast on white
BETTER = "#007A5A"
DEMO = "#" + DEMO_HEX

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))


@functools.lru_cache(maxsize=32)
def _font(size: int, weight: str = "regular") -> Font:
    file = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf", "italic": "DejaVuSans-Oblique.ttf"}[weight]
    for folder in _FONT_DIRS:
        if (folder / file).exists():
            return ImageFont.truetype(str(folder / file), size)
    return ImageFont.load_default(size)


def _fit(draw: ImageDraw.ImageDraw, text: str, font: Font, width: float) -> str:
    """The text, shortened at a word boundary with an ellipsis to fit ``width`` pixels (never mid-word)."""
    if draw.textlength(text, font=font) <= width:
        return text
    words = text.split()
    while len(words) > 1 and draw.textlength(" ".join(words) + " …", font=font) > width:
        words.pop()
    shortened = " ".join(words).rstrip(",;:—–- ") + " …"
    if draw.textlength(shortened, font=font) <= width:
        return shortened
    while shortened and draw.textlength(shortened + "…", font=font) > width:  # one word longer than the line
        shortened = shortened[:-1]
    return shortened.rstrip() + "…"


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: Font, width: float, lines: int) -> list[str]:
    """Greedy word wrap on at most ``lines`` lines, the last one ellipsed when text remains."""
    words, out, current, i = text.split(), [], "", 0
    while i < len(words):
        trial = f"{current} {words[i]}".strip()
        if draw.textlength(trial, font=font) <= width or not current:
            current, i = trial, i + 1
            continue
        out.append(current)
        current = ""
        if len(out) == lines:
            break
    if current:
        out.append(current)
    if i < len(words):
        out[-1] = out[-1] + " " + " ".join(words[i:])
    return [_fit(draw, line, font, width) for line in out]


def summary_png(ctx: ExportContext) -> bytes:
    """The one-page summary as PNG bytes, exactly 1920×1080."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    _header(draw, ctx)
    left_width = 1140
    below = _kpis(draw, ctx, MARGIN, 248, left_width)
    _spending(image, draw, ctx, MARGIN, below + 14, left_width, HEIGHT - 62 - (below + 14))
    right = MARGIN + left_width + 50
    below_levers = _levers(draw, ctx, right, 248, WIDTH - MARGIN - right)
    _at_risk(draw, ctx, right, below_levers, WIDTH - MARGIN - right, HEIGHT - 62 - below_levers)
    draw.line((MARGIN, HEIGHT - 52, WIDTH - MARGIN, HEIGHT - 52), fill=RULE, width=2)
    draw.text(
        (MARGIN, HEIGHT - 40),
        _fit(draw, ctx.source_line(), _font(19), WIDTH - 2 * MARGIN),
        font=_font(19),
        fill=GREY,
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False, compress_level=6)
    return buffer.getvalue()


def _header(draw: ImageDraw.ImageDraw, ctx: ExportContext) -> None:
    badge_width = 0
    if ctx.demo:
        text, sub = "JEU DE DÉMONSTRATION", "montants illustratifs"
        badge_width = int(draw.textlength(text, font=_font(22, "bold"))) + 40
        x0 = WIDTH - MARGIN - badge_width
        draw.rounded_rectangle((x0, 36, WIDTH - MARGIN, 104), radius=10, fill=DEMO)
        draw.text((x0 + badge_width / 2, 52), text, font=_font(22, "bold"), fill="white", anchor="mt")
        draw.text((x0 + badge_width / 2, 80), sub, font=_font(18), fill="white", anchor="mt")
    title_width = WIDTH - 2 * MARGIN - badge_width - 30
    title = f"Scénario {quote(ctx.name)}"
    one_line = draw.textlength(title, font=_font(50, "bold")) <= title_width
    if one_line:
        draw.text((MARGIN, 34), title, font=_font(50, "bold"), fill=INK)
        y = 100
    else:  # a long name wraps on two lines, in a smaller type, instead of being cut
        for n, line in enumerate(_wrap(draw, title, _font(40, "bold"), title_width, 2)):
            draw.text((MARGIN, 28 + n * 48), line, font=_font(40, "bold"), fill=INK)
        y = 128
    parts = [f"Comparé à {quote(ctx.against_name)}"] if ctx.against_name else []
    parts.append(f"{'édité' if parts else 'Édité'} le {ctx.date_text}")
    if ctx.scenario.author:
        parts.append(f"auteur : {ctx.scenario.author}")
    draw.text((MARGIN, y), _fit(draw, " — ".join(parts), _font(25), title_width), font=_font(25), fill=GREY)
    rationale = ctx.scenario.rationale.strip() or "Pas de justification saisie pour ce scénario."
    y += 46
    for line in _wrap(draw, rationale, _font(23, "italic"), WIDTH - 2 * MARGIN, 2 if one_line else 1):
        draw.text((MARGIN, y), line, font=_font(23, "italic"), fill=INK)
        y += 32
    draw.line((MARGIN, 228, WIDTH - MARGIN, 228), fill=RULE, width=2)


def levers_moved(ctx: ExportContext) -> list[str]:
    """The levers moved against the compared scenario, one French line each: settings, then operations.

    Without a comparison, the operations' choices against their defaults.
    """
    reference = ctx.against.scenario if ctx.against is not None else Scenario(name=ctx.scenario.name)
    lines = settings_changes(ctx.scenario, reference) if ctx.against is not None else []
    changes = choice_differences(ctx.scenario, reference, ctx.portfolio)
    lines += [f"{row.operation_id} : {row.changes}" for row in changes.itertuples()]
    return lines


def _section(draw: ImageDraw.ImageDraw, x: int, y: int, text: str, width: int) -> None:
    draw.text((x, y), _fit(draw, text, _font(27, "bold"), width), font=_font(27, "bold"), fill=INK)


def _kpis(draw: ImageDraw.ImageDraw, ctx: ExportContext, x: int, y: int, width: int) -> int:
    """Two rows of KPI cards; returns the y below them."""
    heading = "Indicateurs clés"
    if ctx.against_name:
        heading += f" (écart à {quote(ctx.against_name)})"
    _section(draw, x, y, heading, width)
    columns, gap, card_height = 4, 16, 138
    card_width = (width - gap * (columns - 1)) / columns
    for i, key in enumerate(HEADLINE_KPIS):
        row, column = divmod(i, columns)
        left = x + column * (card_width + gap)
        top = y + 46 + row * (card_height + gap)
        draw.rounded_rectangle((left, top, left + card_width, top + card_height), radius=8, fill=LIGHT)
        for n, line in enumerate(_wrap(draw, KPI[key], _font(18), card_width - 28, 2)):
            draw.text((left + 14, top + 8 + n * 22), line, font=_font(18), fill=GREY)
        value = ctx.result.kpis[key]
        draw.text((left + 14, top + 56), kpi_value(key, value), font=_font(36, "bold"), fill=INK)
        if ctx.against is not None:
            delta = value - ctx.against.kpis[key]
            colour = {1: BETTER, -1: WORSE, 0: GREY}[kpi_judgement(key, delta)]
            shown = kpi_delta(key, delta)
            draw.text(
                (left + 14, top + 104),
                "= référence" if shown == "=" else shown,
                font=_font(21, "bold"),
                fill=colour,
            )
    return y + 46 + 2 * card_height + gap


def chart_owner(ctx: ExportContext) -> str:
    """The owner whose spending the summary's chart shows: the one whose capacity the scenario follows
    (the Ville by default), as the pages' charts open on it. All owners summed gave other yearly gaps
    than the page the room had just seen."""
    return ctx.scenario.capacity_owner.value


def chart_heading(ctx: ExportContext) -> str:
    owner = chart_owner(ctx)
    return f"Crédits de paiement par année face à l'enveloppe — {OWNER.get(owner, owner)}"


def summary_chart_spec(ctx: ExportContext, width: int = 760, height: int = 300) -> dict[str, object]:
    """The yearly spending of one owner (:func:`chart_owner`) against its envelope, in projector type sizes."""
    chart = charts.spending_vs_envelope(
        ctx.result, ctx.portfolio, "facility_type", chart_owner(ctx), projector=True, height=height
    )
    return charts.finish(chart.properties(width=width), projector=True).to_dict(validate=False)


def _spending(
    image: Image.Image, draw: ImageDraw.ImageDraw, ctx: ExportContext, x: int, y: int, width: int, height: int
) -> None:
    _section(draw, x, y, chart_heading(ctx), width)
    top = y + 44
    box_height = height - 44
    # First render tells how much room axes and legend take; the second fills the box at ~1:1.
    plot_width, plot_height = 760, 300
    probe = _svg_size(spec_to_svg(summary_chart_spec(ctx, plot_width, plot_height)))
    plot_width = max(300, round(plot_width + width - probe[0]))
    plot_height = max(150, round(plot_height + box_height - probe[1]))
    svg = spec_to_svg(summary_chart_spec(ctx, plot_width, plot_height))
    svg_width, svg_height = _svg_size(svg)
    scale = min(width / svg_width, box_height / svg_height)
    chart = Image.open(io.BytesIO(svg_to_png(svg, scale))).convert("RGB")
    image.paste(chart, (x, top))


def _svg_size(svg: str) -> tuple[float, float]:
    """Width and height declared by a vl-convert SVG."""
    head = svg[: svg.index(">")]
    width = float(re.search(r'width="([\d.]+)"', head).group(1))  # type: ignore[union-attr]
    height = float(re.search(r'height="([\d.]+)"', head).group(1))  # type: ignore[union-attr]
    return width, height


def _levers(draw: ImageDraw.ImageDraw, ctx: ExportContext, x: int, y: int, width: int, max_lines: int = 5) -> int:
    """The levers moved (at most ``max_lines``, then how many more); returns the y below."""
    lines = levers_moved(ctx)
    _section(draw, x, y, "Leviers actionnés", width)
    y += 44
    if not lines:
        draw.text((x, y), "Aucun levier modifié.", font=_font(20), fill=INK)
        return y + 52
    shown = lines if len(lines) <= max_lines else lines[: max_lines - 1]
    for line in shown:
        draw.text((x, y), _fit(draw, "• " + line, _font(19), width), font=_font(19), fill=INK)
        y += 28
    if len(shown) < len(lines):
        draw.text(
            (x, y), f"… et {len(lines) - len(shown)} autres leviers (voir la note)", font=_font(19, "italic"), fill=GREY
        )
        y += 28
    return y + 24


def _at_risk(draw: ImageDraw.ImageDraw, ctx: ExportContext, x: int, y: int, width: int, height: int) -> None:
    risky = ctx.operations_at_risk()
    _section(draw, x, y, "Opérations hors délai", width)
    lost = sum(op.anru_lost for op in risky)
    plural = "s" if len(risky) > 1 else ""
    if not risky:
        draw.text((x, y + 50), "Aucune opération ne manque une échéance.", font=_font(22), fill=INK)
        return
    draw.text(
        (x, y + 46),
        _fit(draw, f"{len(risky)} opération{plural} — ANRU à risque : {fr.meuros(lost)}", _font(23, "bold"), width),
        font=_font(23, "bold"),
        fill=WORSE,
    )
    row_height, top = 60, y + 92
    capacity = max(1, (height - (top - y) - 56) // row_height)  # room for the two-line "… et N autres"
    shown = risky if len(risky) <= capacity else risky[: capacity - 1]
    for i, op in enumerate(shown):
        row_top = top + i * row_height
        if i % 2 == 0:
            draw.rectangle((x - 8, row_top - 4, x + width, row_top + row_height - 6), fill=LIGHT)
        head = f"{op.operation_id}  {op.title}"
        amount = fr.meuros(op.anru_lost) if op.anru_lost > EURO_NIL else "—"
        amount_width = draw.textlength(amount, font=_font(21, "bold"))
        draw.text(
            (x, row_top),
            _fit(draw, head, _font(20, "bold"), width - amount_width - 24),
            font=_font(20, "bold"),
            fill=INK,
        )
        draw.text((x + width - 8, row_top), amount, font=_font(21, "bold"), fill=WORSE, anchor="ra")
        missed = []
        if op.commitment_missed:
            missed.append(f"engagement {fr.month(op.commitment_month)}")
        if op.completion_missed:
            missed.append(f"achèvement {fr.month(op.completion)}")
        detail = f"{' ; '.join(missed)} — {op.neighbourhood}"  # the dates first: a cut takes the place name
        draw.text((x, row_top + 27), _fit(draw, detail, _font(18), width - 8), font=_font(18), fill=GREY)
    if len(shown) < len(risky):
        rest = risky[len(shown) :]
        rest_lost = sum(op.anru_lost for op in rest)
        more = f"… et {len(rest)} autres ({fr.meuros(rest_lost)} d'ANRU à risque) : voir la note et le classeur."
        for n, line in enumerate(_wrap(draw, more, _font(19, "italic"), width, 2)):
            draw.text((x, top + len(shown) * row_height + 4 + n * 26), line, font=_font(19, "italic"), fill=GREY)
