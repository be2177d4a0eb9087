"""Show a report document in the page, block by block, as a preview of what sponsors get."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from workbench.reporting.document import (
    BulletList,
    Chart,
    KeyValues,
    Paragraph,
    ReportDocument,
    Section,
    Table,
)
from workbench.ui.text import markdown_block, markdown_table, markdown_text


def _section(section: Section, level: int, key_prefix: str) -> None:
    (st.header if level == 2 else st.subheader)(markdown_text(section.title), anchor=False)
    for index, block in enumerate(section.blocks):
        if isinstance(block, Paragraph):
            if block.emphasis:
                st.caption(markdown_block(block.text))
            else:
                st.text(block.text)
        elif isinstance(block, BulletList):
            for item in block.items:
                st.text(f"• {item}")
        elif isinstance(block, KeyValues):
            # A static table wraps long text, as the printed report does.
            st.table(
                markdown_table(pd.DataFrame(block.pairs, columns=["", "value"])),
                hide_index=True,
                hide_header=True,
            )
        elif isinstance(block, Table):
            st.table(
                markdown_table(pd.DataFrame(list(block.rows), columns=list(block.headers))),
                hide_index=True,
            )
        elif isinstance(block, Chart):
            st.plotly_chart(block.figure, key=f"{key_prefix}-{section.title}-{index}")
            st.caption(markdown_text(block.caption))
    for sub in section.subsections:
        _section(sub, level + 1, f"{key_prefix}-{section.title}")


def show_report(document: ReportDocument) -> None:
    """Render `document` with Streamlit elements."""
    st.caption(
        f"Project **{markdown_text(document.project_name)}** · generated {document.generated_on} · "
        f"data version {document.data_version}"
    )
    for section in document.sections:
        _section(section, 2, "report")
