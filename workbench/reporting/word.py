"""Render a report as a Word document (python-docx): headings, tables and charts as images.

Charts become PNG images through kaleido, which drives a Chromium browser. Where none can be
started, each chart is replaced by a line saying so; the rest of the document is unchanged.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Sequence

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from workbench.reporting.document import (
    BulletList,
    Chart,
    KeyValues,
    Paragraph,
    ReportDocument,
    Section,
    Table,
)

log = logging.getLogger(__name__)

CHART_WIDTH_PX, CHART_HEIGHT_PX = 900, 450
TABLE_WIDTH_CM = 16
ChartRenderer = Callable[[Sequence[Chart]], list[bytes | None]]


def render_chart_images(charts: Sequence[Chart]) -> list[bytes | None]:
    """PNG bytes for each chart (None where it could not be drawn), one browser for them all."""
    if not charts:
        return []
    import kaleido

    images: list[bytes | None] = []
    try:
        kaleido.start_sync_server(silence_warnings=True)
    except Exception as error:  # no Chromium: the document still builds, without images
        log.warning("charts left out of the Word report: %s", error)
        return [None] * len(charts)
    try:
        for chart in charts:
            try:
                images.append(
                    kaleido.calc_fig_sync(
                        chart.figure.to_dict(),
                        opts={"format": "png", "width": CHART_WIDTH_PX, "height": CHART_HEIGHT_PX},
                    )
                )
            except Exception as error:
                log.warning("chart %r left out of the Word report: %s", chart.caption, error)
                images.append(None)
    finally:
        kaleido.stop_sync_server(silence_warnings=True)
    return images


def _table(document, headers: Sequence[str], rows: Sequence[Sequence[str]], header_row: bool):
    columns = max(len(headers), max((len(r) for r in rows), default=0), 1)
    table = document.add_table(rows=0, cols=columns)
    table.style = "Table Grid"
    if header_row:
        cells = table.add_row().cells
        for cell, text in zip(cells, headers, strict=False):
            cell.text = str(text)
            for run in cell.paragraphs[0].runs:
                run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=False):
            cell.text = str(text)
    _fit_columns(table, [headers, *rows], columns)
    document.add_paragraph()
    return table


def _fit_columns(table, rows: Sequence[Sequence[str]], columns: int) -> None:
    """Share the page width by how much text each column holds (Word would split it evenly)."""
    weights = [
        min(max((len(str(row[i])) for row in rows if i < len(row)), default=1), 45) + 10
        for i in range(columns)
    ]
    total = sum(weights)
    table.autofit = False
    for column, weight in zip(table.columns, weights, strict=False):
        column.width = Cm(TABLE_WIDTH_CM * weight / total)  # the grid LibreOffice reads
    for row in table.rows:
        for cell, weight in zip(row.cells, weights, strict=False):
            cell.width = Cm(TABLE_WIDTH_CM * weight / total)


def _section(document, section: Section, level: int, images: dict[int, bytes | None]) -> None:
    document.add_heading(section.title, level=min(level, 9))
    for block in section.blocks:
        if isinstance(block, Paragraph):
            paragraph = document.add_paragraph()
            run = paragraph.add_run(block.text)
            run.italic = block.emphasis
        elif isinstance(block, BulletList):
            for item in block.items:
                document.add_paragraph(item, style="List Bullet")
        elif isinstance(block, KeyValues):
            table = _table(document, ("", ""), block.pairs, header_row=False)
            for row in table.rows:
                for run in row.cells[0].paragraphs[0].runs:
                    run.bold = True
        elif isinstance(block, Table):
            _table(document, block.headers, block.rows, header_row=True)
        elif isinstance(block, Chart):
            png = images.get(id(block))
            if png:
                document.add_picture(io.BytesIO(png), width=Cm(16))
                document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            else:
                document.add_paragraph(
                    "(Chart not drawn: no Chromium browser was available to render it; "
                    "see the HTML version.)"
                ).runs[0].italic = True
            caption = document.add_paragraph(block.caption)
            caption.runs[0].font.size = Pt(9)
    for sub in section.subsections:
        _section(document, sub, level + 1, images)


def render_docx(
    report: ReportDocument, chart_renderer: ChartRenderer = render_chart_images
) -> bytes:
    """The whole report as the bytes of a .docx file."""
    charts = report.charts()
    images = dict(zip((id(c) for c in charts), chart_renderer(charts), strict=True))
    document = Document()
    document.core_properties.title = report.title
    document.core_properties.subject = report.project_name
    document.add_heading(report.title, level=0)
    meta = document.add_paragraph()
    meta.add_run("Project: ").bold = False
    meta.add_run(report.project_name).bold = True
    meta.add_run(f" · generated {report.generated_on} · data version {report.data_version}")
    for section in report.sections:
        _section(document, section, 1, images)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
