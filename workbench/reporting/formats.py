"""The report formats people pass around, and how to produce each as bytes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench.reporting.document import ReportDocument
from workbench.reporting.html import render_html
from workbench.reporting.markdown import render_markdown
from workbench.reporting.word import render_docx


@dataclass(frozen=True)
class ReportFormat:
    """One output format: its name, file extension and MIME type."""

    name: str
    extension: str
    mime: str
    label: str


FORMATS: dict[str, ReportFormat] = {
    "md": ReportFormat("md", "md", "text/markdown", "Markdown"),
    "html": ReportFormat("html", "html", "text/html", "HTML (self-contained, prints on A4/Letter)"),
    "docx": ReportFormat(
        "docx",
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word",
    ),
}


def render(document: ReportDocument, format_name: str) -> bytes:
    """The report in `format_name` (md, html or docx) as bytes."""
    if format_name == "md":
        return render_markdown(document).encode("utf-8")
    if format_name == "html":
        return render_html(document).encode("utf-8")
    if format_name == "docx":
        return render_docx(document)
    raise ValueError(f"unknown report format {format_name!r} (choose: {', '.join(FORMATS)})")


def file_stem(name: str) -> str:
    """A project name made safe for a file name: 'A/B: <test>' → 'a-b-test'."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "project"


def file_name(document: ReportDocument, format_name: str) -> str:
    """A safe download name: scoping-report-<project>-<date>.<ext>."""
    stem = file_stem(document.project_name)
    return f"scoping-report-{stem}-{document.generated_on}.{FORMATS[format_name].extension}"
