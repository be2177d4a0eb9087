"""The portfolio's flags, compact: time boxes overdue a decision and parked ideas due for review.

One summary line per kind (counts only), one way in (choose a project, press the button), and a
small table of the flagged projects. The page's size stays the same whether three projects are
flagged or seven hundred: the old one-warning-and-button-row per project rendered thousands of
elements on a large portfolio. The two portfolio-wide queries are cached like the project
names (``workbench.ui.common.project_names``): every save clears the cache, and it lasts a minute
at most, so a rerun that changed nothing does not query the whole portfolio again.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

import pandas as pd
import streamlit as st

from workbench.services import experiments as experiment_service
from workbench.services import parking_lot as parking_lot_service
from workbench.ui.common import change_stamp, engine, open_project, today

TITLES_SHOWN = 3
"""How many titles a project's row names before "and N more"."""

TABLE_ROWS_SHOWN = 8
"""Rows the table shows before it scrolls."""


@dataclass(frozen=True)
class FlagKind:
    """One kind of flag: what it says, where it leads."""

    key: str
    what: str
    column: str
    target: str
    icon: str
    action: str


OVERDUE = FlagKind(
    key="boxes",
    what="experiment(s) overdue for a decision",
    column="Overdue",
    target="pages/team/experiments.py",
    icon=":material/alarm:",
    action="Decide",
)
DUE = FlagKind(
    key="ideas",
    what="parked idea(s) due for review",
    column="Due",
    target="pages/team/parking_lot.py",
    icon=":material/local_parking:",
    action="Review",
)


class FlaggedProject(NamedTuple):
    """A project with flags of one kind (a named tuple: hundreds are made on every rerun)."""

    project_id: int
    name: str
    titles: tuple[str, ...]


def group_flags(flags: Sequence[Any], shown: Collection[int]) -> list[FlaggedProject]:
    """The flags of the `shown` projects, one entry per project: most flags first, then by name.

    Each flag has `project_id`, `project_name` and `title`.
    """
    titles: dict[int, list[str]] = {}
    names: dict[int, str] = {}
    for flag in flags:
        if flag.project_id in shown:
            titles.setdefault(flag.project_id, []).append(flag.title)
            names[flag.project_id] = flag.project_name
    projects = [FlaggedProject(pid, names[pid], tuple(t)) for pid, t in titles.items()]
    return sorted(projects, key=lambda p: (-len(p.titles), p.name.casefold(), p.project_id))


def _short(title: str, width: int = 60) -> str:
    """`title` on one line, cut to `width` characters with an ellipsis (cheaper than textwrap's
    `shorten`, which the table would call for every flagged project on every rerun)."""
    line = " ".join(title.split())
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


def _which(titles: Sequence[str]) -> str:
    named = "; ".join(_short(title) for title in titles[:TITLES_SHOWN])
    rest = len(titles) - TITLES_SHOWN
    return f"{named}; and {rest} more" if rest > 0 else named


def _render_kind(kind: FlagKind, projects: Sequence[FlaggedProject]) -> None:
    flags = sum(len(p.titles) for p in projects)
    summary = f"{flags} {kind.what} in {len(projects)} project(s)."  # counts only: no user text
    left, middle, right = st.columns([4, 2, 1], vertical_alignment="bottom")
    left.warning(summary, icon=kind.icon)
    names = {p.project_id: p.name for p in projects}
    choice = middle.selectbox(
        "Project",
        options=list(names),
        index=0 if len(names) == 1 else None,
        format_func=lambda project_id: names.get(project_id, "?"),
        placeholder=f"Choose one of {len(names)}",
        key=f"portfolio_flags_{kind.key}_project",
        help=f"Projects with {kind.what}, most first.",
    )
    if right.button(
        kind.action,
        key=f"portfolio_flags_{kind.key}_open",
        disabled=choice is None,
        width="stretch",
    ):
        open_project(int(choice), kind.target)
    table = pd.DataFrame(
        {
            "Project": [p.name for p in projects],
            kind.column: [len(p.titles) for p in projects],
            "Which": [_which(p.titles) for p in projects],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=35 * (min(len(projects), TABLE_ROWS_SHOWN) + 1) + 3,
        key=f"portfolio_flags_{kind.key}_table",
        column_config={
            "Project": st.column_config.TextColumn(width="medium"),
            kind.column: st.column_config.NumberColumn(width="small"),
            "Which": st.column_config.TextColumn(width="large"),
        },
    )


@st.cache_data(ttl=600, max_entries=4, show_spinner=False)
def cached_flags(day: date, stamp: tuple[int, int, int]) -> tuple[list[Any], list[Any]]:
    """Every project's overdue time boxes and due parked ideas on `day` (cleared by every save)."""
    return (
        experiment_service.overdue_experiments(engine(), day),
        parking_lot_service.due_parking_lot_items(engine(), day),
    )


def render_portfolio_flags(project_ids: Collection[int]) -> None:
    """Time boxes overdue a decision and parked ideas due for review, for the shown projects."""
    shown = set(project_ids)
    overdue, due = cached_flags(today(), change_stamp())
    for kind, flags in ((OVERDUE, overdue), (DUE, due)):
        projects = group_flags(flags, shown)
        if projects:
            _render_kind(kind, projects)
