"""The Experiments page's culling matrix (scores in an editable table, the ranking) and the
Go/No-Go form (Wilson ch. 3.1.4).

The matrix is a `TableEditor`: the rows the user started from (ids and versions) are pinned, a
save sends only the changed rows, each with the version the user saw. While the user has no
unsaved edits, the table follows the stored rows (an experiment added or culled meanwhile, in
this session or another, simply shows up or goes).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from workbench.domain.experiments import CLOSED_DECISIONS, go_no_go_move
from workbench.domain.lifecycle import Phase
from workbench.services import experiments as svc
from workbench.services.projects import ProjectPublic
from workbench.ui.common import actor, engine
from workbench.ui.forms import FORM_ERROR, Form, TableEditor
from workbench.ui.text import markdown_text

CRITERIA = [c.value for c in svc.Criterion]
COLUMNS = ["approach", "decision", *CRITERIA]
VERDICTS = {"Go": "Go — build one MVP approach", "No-Go": "No-Go"}


def candidates(views: Sequence[svc.ExperimentView]) -> list[svc.ExperimentView]:
    """The experiments still in the race: not culled or parked."""
    return [v for v in views if v.experiment.decision not in CLOSED_DECISIONS]


def _rows(views: Sequence[svc.ExperimentView]) -> list[dict]:
    return [
        {
            "id": v.experiment.id,
            "version": v.experiment.version,
            "approach": v.experiment.approach,
            "decision": v.experiment.decision.value if v.experiment.decision else "open",
            **{c: v.experiment.matrix_scores.get(c) for c in CRITERIA},
        }
        for v in views
    ]


def _matrix(project_id: int, rows: list[dict]) -> tuple[Form, TableEditor]:
    """The matrix form and table; started afresh from the stored rows while nothing is edited."""
    form = Form(f"matrix_{project_id}", labels={"matrix_scores": "Scores"})
    table = TableEditor(form, "scores", rows, COLUMNS)
    if (table.changed_elsewhere or table.added_elsewhere or len(table.snapshot) != len(rows)) and (
        not table.changed() and form.stale is None and not form.errors
    ):
        form.reset()
        form = Form(f"matrix_{project_id}", labels={"matrix_scores": "Scores"})
        table = TableEditor(form, "scores", rows, COLUMNS)
    return form, table


def render_matrix(
    project_id: int, views: Sequence[svc.ExperimentView], weights: Mapping[str, float]
) -> tuple[str, ...]:
    """The scores table with "Save scores", then the ranking; returns the leaders' names."""
    in_race = candidates(views)
    form, table = _matrix(project_id, _rows(in_race))

    def save(form: Form) -> int:
        changes = table.changes()
        if not changes.updated:
            form.refuse({FORM_ERROR: "Nothing to save: score a cell first."})
        row_of = {row["id"]: index + 1 for index, row in enumerate(table.snapshot)}
        return svc.save_matrix_scores(
            engine(),
            project_id=project_id,
            rows=[{**row, "row": row_of[row["id"]]} for row in changes.updated],
            actor=actor(),
            table="scores",
        )

    form.messages()
    edited = pd.DataFrame(columns=COLUMNS)
    if table.snapshot:
        edited = table.editor(
            hide_index=True,
            width="stretch",
            num_rows="fixed",
            disabled=["approach", "decision"],
            column_config={
                "approach": st.column_config.TextColumn("Approach"),
                "decision": st.column_config.TextColumn("Decision"),
                **{
                    c.value: st.column_config.NumberColumn(
                        svc.CRITERION_LABELS[c],
                        help=svc.CRITERION_HELP[c],
                        min_value=1,
                        max_value=5,
                        step=1,
                    )
                    for c in svc.Criterion
                },
            },
        )
        table.row_errors()
        form.button(
            "Save scores",
            save,
            success=lambda changed: f"Saved the scores of {changed} experiment(s).",
            icon=":material/save:",
        )
    else:
        st.info("No candidate to score: add experiments on the **New** tab.")

    matrix_rows = edited.to_dict("records")
    ranking = svc.rank_matrix(matrix_rows, weights)
    for message in ranking.errors.values():
        st.error(markdown_text(message))
    if ranking.result and ranking.result.ranking:
        decisions = {row["approach"]: row["decision"] for row in matrix_rows}
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Rank": r.rank,
                        "Approach": r.name,
                        "Total (0–100)": round(r.total, 1),
                        "Tied": "tied" if r.tied else "",
                        "Decision": decisions.get(r.name, ""),
                    }
                    for r in ranking.result.ranking
                ]
            ),
            hide_index=True,
            width="stretch",
            key=f"matrix_{project_id}_ranking",
        )
    if ranking.unscored:
        st.caption("Not ranked until every criterion is scored:")
        st.text(", ".join(ranking.unscored))
    return ranking.result.leaders if ranking.result and ranking.result.ranking else ()


def render_go_no_go(
    project: ProjectPublic,
    views: Sequence[svc.ExperimentView],
    weights: Mapping[str, float],
    leaders: tuple[str, ...],
) -> None:
    """The Go/No-Go form: it asks before it moves the phase, and shows its own refusals."""
    phase = Phase(project.phase)
    in_race = candidates(views)
    names = {v.experiment.id: v.experiment.approach for v in views}
    leader = next((v.experiment.id for v in in_race if v.experiment.approach in leaders), None)
    form = Form(
        f"gonogo_{project.id}",
        version=project.version,
        initial={"verdict": "Go", "selected": leader, "reasons": ""},
        labels={
            "verdict": "Decision",
            "selected": "MVP approach",
            "selected_experiment_id": "MVP approach",
            "reasons": "Reasons",
        },
    )
    chosen = form.value("selected")
    options = [v.experiment.id for v in in_race]
    if chosen is not None and chosen not in options:
        options.append(chosen)

    def record(form: Form) -> svc.GoNoGoOutcome:
        return svc.record_go_no_go(
            engine(),
            project_id=project.id,
            expected_project_version=form.version,
            go=form.value("verdict") == "Go",
            selected_experiment_id=form.value("selected"),
            reasons=form.value("reasons"),
            weights=weights,
            actor=actor(),
        )

    def question(form: Form) -> str:
        go = form.value("verdict") == "Go"
        approach = names.get(form.value("selected"), "") if go else ""
        move = go_no_go_move(go=go, phase_before=phase, approach=approach, reasons="")
        what = f"Record Go with {approach} as the MVP approach?" if go else "Record No-Go?"
        if move.target is None:
            return f"{what} The project stays in {phase.label}."
        return (
            f"{what} This moves the project from {phase.label} to {move.target.label}; the "
            "move is logged and can be reversed on the Charter page."
        )

    with form.render(border=True):
        st.radio(
            "Decision",
            options=list(VERDICTS),
            format_func=VERDICTS.get,
            horizontal=True,
            key=form.key("verdict"),
        )
        st.selectbox(
            "MVP approach (Go only)",
            options=options,
            format_func=lambda experiment_id: names.get(experiment_id, f"#{experiment_id}"),
            key=form.key("selected"),
            help="Candidates not culled or parked; the matrix's leader is preselected.",
        )
        form.error("selected_experiment_id")
        st.text_area("Reasons *", key=form.key("reasons"), height=80)
        form.error("reasons")
        form.submit_button(
            "Record Go/No-Go",
            record,
            confirm=question,
            success=lambda outcome: outcome.message,
            type="primary",
        )
