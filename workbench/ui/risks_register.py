"""The Risks page's table layout and messages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from workbench.services.assessment import PrefillResult

EDITABLE = ["title", "likelihood", "impact", "owner", "mitigation", "status", "description"]
COLUMNS = [
    "id",
    "title",
    "likelihood",
    "impact",
    "owner",
    "mitigation",
    "status",
    "exposure",
    "zone",
    "description",
    "source",
]
COLUMN_LABELS = {
    "title": "Risk",
    "likelihood": "Likelihood",
    "impact": "Impact",
    "owner": "Owner",
    "mitigation": "Mitigation",
    "status": "Status",
    "description": "Description",
}
ADD_LABELS = {
    "title": "Risk *",
    "description": "Description",
    "likelihood": "Likelihood",
    "impact": "Impact",
    "owner": "Owner",
    "mitigation": "Mitigation",
}


def column_config(statuses: Sequence[str]) -> dict[str, Any]:
    """How the register's columns look and what they accept."""
    level = {"min_value": 1, "max_value": 5, "step": 1, "required": True}
    return {
        "id": st.column_config.NumberColumn("#", width="small"),
        "title": st.column_config.TextColumn("Risk", width="large", required=True),
        "likelihood": st.column_config.NumberColumn("Likelihood", **level),
        "impact": st.column_config.NumberColumn("Impact", **level),
        "owner": st.column_config.TextColumn("Owner"),
        "mitigation": st.column_config.TextColumn("Mitigation", width="medium"),
        "status": st.column_config.SelectboxColumn("Status", options=list(statuses), required=True),
        "exposure": st.column_config.NumberColumn("Exposure", help="Likelihood × impact"),
        "zone": st.column_config.TextColumn("Zone"),
        "description": st.column_config.TextColumn("Description", width="medium"),
        "source": st.column_config.TextColumn("From"),
    }


def prefill_message(outcome: PrefillResult) -> str:
    """What a prefill from the readiness answers did, in one sentence."""
    if not outcome.created and not outcome.already_there:
        return "No readiness answer shows a gap: nothing to add."
    skipped = (
        f" {len(outcome.already_there)} already in the register." if outcome.already_there else ""
    )
    return f"Added {len(outcome.created)} risk(s) from readiness gaps.{skipped}"
