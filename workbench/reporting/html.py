"""Render a report as one self-contained HTML page: charts embedded, nothing fetched, A4/Letter.

plotly.js is inlined once (no CDN), every user text goes through `html.escape`, and the print
stylesheet keeps tables and charts from splitting across pages.
"""

from __future__ import annotations

import html
import re

import plotly.io as pio

from workbench.reporting.document import (
    BulletList,
    Chart,
    KeyValues,
    Paragraph,
    ReportDocument,
    Section,
    Table,
)

STYLE = """
:root { --ink: #1d2733; --muted: #5b6776; --line: #d6dde5; --accent: #1f6f8b; }
* { box-sizing: border-box; }
body { font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); line-height: 1.5; margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
h1 { font-size: 1.8rem; margin: 0 0 .25rem; color: var(--accent); }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 2px solid var(--line);
     padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
p.meta { color: var(--muted); margin: 0 0 1rem; }
p.empty { color: var(--muted); font-style: italic; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; text-align: left;
         vertical-align: top; word-break: normal; overflow-wrap: break-word; hyphens: manual; }
th { background: #f1f4f7; overflow-wrap: normal; }
.nw { white-space: nowrap; }
table.kv th { width: 30%; }
figure { margin: .5rem 0 1.2rem; }
figcaption { color: var(--muted); font-size: .85rem; }
.chart { width: 100%; }
@media (max-width: 40rem) { body { padding: .75rem; } table { font-size: .8rem; } }
@page { size: auto; margin: 15mm; }
@media print {
  body { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  table, figure, tr { break-inside: avoid; }
}
"""


def _text(value: str) -> str:
    return html.escape(str(value), quote=True)


def _multiline(value: str) -> str:
    return "<br>".join(_text(line) for line in str(value).splitlines())


_HYPHENATED = re.compile(r"[^\s<>]*\w-\w[^\s<>]*")


def _cell(value: str) -> str:
    """A table cell's text: lines kept, and a hyphenated word (a date, "subject-matter") kept
    on one line — a browser would break it at its hyphens in a narrow column."""
    return _HYPHENATED.sub(lambda m: f'<span class="nw">{m.group(0)}</span>', _multiline(value))


def _table(headers, rows, css_class: str = "") -> str:
    head = "".join(f"<th>{_cell(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    klass = f' class="{css_class}"' if css_class else ""
    return f"<table{klass}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _chart(chart: Chart, first: bool) -> str:
    body = pio.to_html(
        chart.figure,
        include_plotlyjs=first,  # inline plotly.js once: the page works offline
        full_html=False,
        config={"displaylogo": False, "responsive": True, "displayModeBar": False},
        default_width="100%",
        default_height="380px",
    )
    caption = _text(chart.caption)
    return f'<figure><div class="chart">{body}</div><figcaption>{caption}</figcaption></figure>'


def _section(section: Section, level: int, state: dict[str, bool]) -> str:
    parts = [f"<section><h{level}>{_text(section.title)}</h{level}>"]
    for block in section.blocks:
        if isinstance(block, Paragraph):
            klass = ' class="empty"' if block.emphasis else ""
            parts.append(f"<p{klass}>{_multiline(block.text)}</p>")
        elif isinstance(block, BulletList):
            parts.append("<ul>" + "".join(f"<li>{_text(i)}</li>" for i in block.items) + "</ul>")
        elif isinstance(block, KeyValues):
            rows = "".join(
                f"<tr><th>{_cell(k)}</th><td>{_cell(v)}</td></tr>" for k, v in block.pairs
            )
            parts.append(f'<table class="kv"><tbody>{rows}</tbody></table>')
        elif isinstance(block, Table):
            parts.append(_table(block.headers, block.rows))
        elif isinstance(block, Chart):
            parts.append(_chart(block, first=not state["plotly_included"]))
            state["plotly_included"] = True
    parts += [_section(sub, min(level + 1, 6), state) for sub in section.subsections]
    parts.append("</section>")
    return "".join(parts)


def render_html(document: ReportDocument) -> str:
    """The whole report as one HTML page that opens without a network."""
    state = {"plotly_included": False}
    sections = "".join(_section(s, 2, state) for s in document.sections)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_text(document.title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{_text(document.title)}</h1>"
        f'<p class="meta">Project: <strong>{_text(document.project_name)}</strong> · generated '
        f"{_text(document.generated_on)} · data version {_text(document.data_version)}</p>"
        f"{sections}</body></html>\n"
    )
