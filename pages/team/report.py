"""Report: one click turns the project into a scoping report in Markdown, HTML and Word."""

import streamlit as st

from workbench.reporting.formats import FORMATS, file_name, render
from workbench.services.report import build_report
from workbench.ui.common import engine, require_project, today
from workbench.ui.report_view import show_report

detail = require_project()
st.title("Scoping report")
st.caption(
    "Everything the workbench knows about this project, assembled for sponsors and PMs: "
    "summary, charter, ML-fit verdict, estimates, risks, experiments, parking lot, demo plan, "
    "interview findings and the decision log."
)

progress = st.progress(0.0, text="Building the report…")
document = build_report(
    engine(),
    detail.project.id,
    today=today(),
    progress=lambda share, text: progress.progress(share, text=text),
)
progress.empty()

columns = st.columns(len(FORMATS))
for column, report_format in zip(columns, FORMATS.values(), strict=True):
    with column:
        st.download_button(
            f"Download {report_format.label.split(' (')[0]}",
            # Word needs a browser to draw the charts: build it only when asked.
            data=(lambda name=report_format.name: render(document, name))
            if report_format.name == "docx"
            else render(document, report_format.name),
            file_name=file_name(document, report_format.name),
            mime=report_format.mime,
            icon=":material/download:",
            on_click="ignore",
            help=report_format.label,
            key=f"download-{report_format.name}",
        )

st.divider()
show_report(document)
