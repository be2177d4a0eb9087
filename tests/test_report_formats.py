"""Report renderers: every format carries the content, escapes user text, and stands alone."""

import io
import re
from html.parser import HTMLParser

import plotly.graph_objects as go
import pytest
from docx import Document

from workbench.reporting.document import (
    BulletList,
    Chart,
    KeyValues,
    Paragraph,
    ReportDocument,
    Section,
    table,
)
from workbench.reporting.formats import file_name, render
from workbench.reporting.html import render_html
from workbench.reporting.markdown import escape, render_markdown
from workbench.reporting.word import render_docx

HOSTILE = "<script>alert(1)</script>"


def document(name: str = "Churn model", chart: bool = True) -> ReportDocument:
    blocks = [Paragraph(f"About {name}"), KeyValues((("Sponsor", name),))]
    if chart:
        blocks.append(Chart(go.Figure(go.Bar(x=["a", "b"], y=[3, 4])), "Cost by line"))
    return ReportDocument(
        title=f"Scoping report — {name}",
        project_name=name,
        generated_on="2026-11-22",
        data_version="v3-r17",
        sections=(
            Section("Summary", tuple(blocks)),
            Section(
                "Risks",
                (table(("Risk", "Owner"), [(f"{name} | breaks", "Ann"), ("Drift", name)]),),
                subsections=(Section("Parking lot", (Paragraph("No parked ideas.", True),)),),
            ),
            Section("Open questions", (BulletList((f"# {name}?", "Who labels?")),)),
        ),
    )


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.resource_urls: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for key, value in attrs:
            if key in {"src", "href", "data", "poster", "srcset"} and value:
                self.resource_urls.append(value)

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def test_html_escapes_a_hostile_project_name():
    html = render_html(document(HOSTILE, chart=False))
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    page = parse(html)
    assert "script" not in page.tags  # no chart here, so no script element at all
    assert HOSTILE in "".join(page.text)  # shown as text


def test_html_with_charts_loads_nothing_from_the_network():
    html = render_html(document())
    page = parse(html)
    assert page.resource_urls == []
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"url\(\s*['\"]?https?:", html)
    assert html.count("Plotly.newPlot") == 1
    assert "@media print" in html


def test_html_carries_name_date_version_and_sections():
    text = "".join(parse(render_html(document())).text)
    for expected in ["Churn model", "2026-11-22", "v3-r17", "Summary", "Risks", "Parking lot"]:
        assert expected in text


@pytest.mark.parametrize(
    ("text", "must_not_start"),
    [
        pytest.param("# Heading", "#", id="heading"),
        pytest.param("- item", "-", id="list"),
        pytest.param("> quote", ">", id="quote"),
        pytest.param("1. first", "1.", id="ordered"),
    ],
)
def test_markdown_escape_stops_block_syntax(text, must_not_start):
    assert not escape(text).startswith(must_not_start)


def test_markdown_escapes_tables_html_and_line_breaks():
    md = render_markdown(document(f"{HOSTILE} | x\n# y"))
    assert HOSTILE not in md
    assert "\\<script\\>" in md
    # every table row keeps the header's number of cells
    for block in re.findall(r"((?:^\|.*\|$\n?)+)", md, flags=re.MULTILINE):
        counts = {len(re.findall(r"(?<!\\)\|", line)) for line in block.strip().splitlines()}
        assert len(counts) == 1, block
    headings = [line for line in md.splitlines() if line.startswith("#")]
    assert all(not line.startswith("# y") for line in headings)


def test_markdown_marks_empty_sections_in_one_line():
    md = render_markdown(document())
    assert "*No parked ideas.*" in md


def test_docx_opens_with_headings_tables_and_the_chart_image():
    fake_png = _one_pixel_png()
    data = render_docx(document(), chart_renderer=lambda charts: [fake_png for _ in charts])
    word = Document(io.BytesIO(data))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert {"Summary", "Risks", "Parking lot", "Open questions"} <= set(headings)
    risk_table = word.tables[1]
    assert [c.text for c in risk_table.rows[0].cells] == ["Risk", "Owner"]
    assert risk_table.rows[1].cells[0].text == "Churn model | breaks"
    assert len(word.inline_shapes) == 1
    assert word.core_properties.title == "Scoping report — Churn model"


def test_docx_without_a_browser_says_the_chart_is_missing():
    data = render_docx(document(), chart_renderer=lambda charts: [None for _ in charts])
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "Chart not drawn" in text
    assert "Cost by line" in text


def test_render_refuses_unknown_format():
    with pytest.raises(ValueError, match="unknown report format 'pdf'"):
        render(document(), "pdf")


def test_file_name_is_safe():
    assert file_name(document("A/B: <test>"), "html") == "scoping-report-a-b-test-2026-11-22.html"


def _one_pixel_png() -> bytes:
    import base64

    return base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )


@pytest.mark.parametrize("text", ["&lt;script&gt;", "&#60;b&#62;"], ids=["named", "numeric"])
def test_markdown_keeps_character_references_literal(text):
    assert escape(text).startswith("\\&")
    assert escape("Scoping & research") == "Scoping & research"


def test_html_tables_never_break_words():
    """`overflow-wrap: anywhere` broke narrow headers mid-word ('Stat us', 'Ty pe', 'Point s');
    words now wrap only between words (the browser test measures it in Chromium)."""
    html = render_html(document(chart=False))
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "anywhere" not in style and "break-all" not in style
    cells = re.search(r"th, td \{([^}]*)\}", style).group(1)
    assert "word-break: normal" in cells and "hyphens: manual" in cells
    assert "overflow-wrap: normal" in re.search(r"\bth \{([^}]*)\}", style).group(1)
