"""The Charter's gate checklist with its evidence: under each item, what the records already
show (a submitted interview, a saved verdict, the report's scenario, a Go/No-Go…) with a link
to the page that holds it; and an offer to tick the open items the records show done. Ticking
stays the team's decision: the offer ticks the boxes, "Save checklist" records them."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from workbench.domain.lifecycle import PhaseGate
from workbench.services.gate_evidence import Evidence
from workbench.ui.forms import Form
from workbench.ui.text import markdown_text


def literal(text: str) -> str:
    """Records' words (people's names, scenario names) as they were typed, not as Markdown."""
    return markdown_text(text)


def _flash_key(form: Form) -> str:
    return f"{form.name}__evidence_flash"


def ticked_now(form: Form, key: str) -> bool:
    """Whether the item's box is ticked in the form now (as pinned, or as the user left it)."""
    return bool(form.value(key, form.initial.get(key, False)))


def ready_to_tick(form: Form, gate: PhaseGate, evidence: Mapping[str, Evidence]) -> list[str]:
    """Keys of the items the records show done whose box is not ticked."""
    return [
        item.key
        for item in gate.items
        if item.key in evidence and evidence[item.key].found and not ticked_now(form, item.key)
    ]


def _tick(form: Form, keys: list[str]) -> None:
    for key in keys:
        st.session_state[form.key(key)] = True
    st.session_state[_flash_key(form)] = (
        f"Ticked {len(keys)} item(s) from their evidence: press Save checklist to record "
        "them (or untick any you do not agree with)."
    )


def offer_to_tick(form: Form, gate: PhaseGate, evidence: Mapping[str, Evidence]) -> None:
    """A line naming the open items the records show done, and a button ticking them."""
    if flash := st.session_state.pop(_flash_key(form), None):
        st.info(flash, icon=":material/checklist:")
    ready = ready_to_tick(form, gate, evidence)
    if not ready:
        return
    st.info(
        f"The records show {len(ready)} open item(s) of this gate done (see the evidence under "
        "each item).",
        icon=":material/fact_check:",
    )
    st.button(
        f"Tick the {len(ready)} item(s) the records show",
        on_click=_tick,
        args=(form, ready),
        icon=":material/done_all:",
        key=f"{form.name}__tick_evidence",
    )


def checklist_with_evidence(form: Form, gate: PhaseGate, evidence: Mapping[str, Evidence]) -> None:
    """The gate's checkboxes (pinned by `form`), each followed by what the records show about
    it and a link to the page holding the record."""
    for item in gate.items:
        st.checkbox(item.text, key=form.key(item.key))
        found = evidence.get(item.key)
        if found is None:
            continue
        text, link = st.columns([5, 2], vertical_alignment="center")
        mark = ":green[**Evidence:**]" if found.found else ":gray[No evidence yet:]"
        text.caption(f"{mark} {literal(found.text)}")
        if found.page:
            link.page_link(found.page, label=found.link_label, icon=":material/open_in_new:")
        else:
            link.caption("On the Charter tab.")
