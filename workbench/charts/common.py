"""What every chart of the workbench shares: its font, the today line, the empty-chart note."""

from __future__ import annotations

import html
from datetime import date

import plotly.graph_objects as go

FONT = {"family": "Source Sans Pro, sans-serif"}
TODAY_COLOUR = "#c62828"


def plain(text: object) -> str:
    """Someone's text for a plotly label, tick, hover or annotation, shown as typed.

    Plotly reads a little HTML in every text it draws (`<b>`, `<br>`, `<a href=…>`, which
    stays a live link); escaped, `<`, `>` and `&` show as themselves (plotly decodes the
    entities when it draws)."""
    return html.escape(str(text), quote=False)


def add_today_line(figure: go.Figure, today: date) -> None:
    """A dashed vertical line at `today` on a date x-axis, labelled 'Today 22 Nov' on top."""
    figure.add_shape(
        type="line",
        x0=today.isoformat(),
        x1=today.isoformat(),
        xref="x",
        y0=0,
        y1=1,
        yref="paper",
        line={"color": TODAY_COLOUR, "width": 2, "dash": "dash"},
        name="today",
    )
    figure.add_annotation(
        x=today.isoformat(),
        y=1,
        yref="paper",
        text=f"Today {today:%d %b}",
        showarrow=False,
        yanchor="bottom",
        font={"color": TODAY_COLOUR, **FONT},
    )


def add_empty_note(figure: go.Figure, text: str) -> None:
    """A centred note saying why the chart has nothing to draw yet."""
    figure.add_annotation(
        text=text,
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        showarrow=False,
        font={"size": 16, **FONT},
    )
