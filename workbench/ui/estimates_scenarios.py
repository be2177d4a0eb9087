"""The Cost & value page's saved scenarios: pick, load, delete (asked first, with an undo) and
the save form ("Save as new scenario", "Update …") with the version pinned when the scenario
was loaded into the page, so a save over someone's newer save is refused with the conflict view.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from workbench.errors import InvalidInput, NotFound
from workbench.models.estimates import ScenarioPublic
from workbench.services import estimates as svc
from workbench.ui.estimates_state import EstimateState, literal
from workbench.ui.forms import FORM_ERROR, NO_VERSION, Form, Success
from workbench.ui.text import markdown_text

LABELS = {
    "name": "Scenario name",
    "notes": "Notes",
    "seed": "Seed",
    "cost.roles": "People",
    **{spec.key: spec.label for spec in svc.COST_INPUTS.values()},
    **{spec.key: spec.label for spec in svc.VALUE_INPUTS.values()},
}
INPUTS_TO_FIX = "Not saved: fix the inputs marked in red first."


def form_name(state: EstimateState) -> str:
    return f"{state.p}_scenario"


def restart_form(state: EstimateState) -> None:
    """Start the save form afresh (after a load, a start over, a delete of the loaded one)."""
    Form(form_name(state)).reset()


class ScenarioForm(Form):
    """The save form of the page's inputs: name and notes are its fields; the inputs are the
    page's widgets, read when the button is pressed. The scenario it saves over and that
    scenario's version are pinned when the form is first shown after a load or a save."""

    def __init__(self, state: EstimateState, scenario: ScenarioPublic | None) -> None:
        super().__init__(
            form_name(state),
            version=scenario.version if scenario else NO_VERSION,
            initial={
                "scenario_id": scenario.id if scenario else None,
                "name": scenario.name if scenario else "",
                "notes": scenario.notes if scenario else "",
            },
            labels=LABELS,
        )
        self.state = state

    @property
    def scenario_id(self) -> int | None:
        return self.initial.get("scenario_id")

    def second_submit_button(
        self, label: str, action: Callable[[Form], Any], *, success: Success, **button: Any
    ) -> bool:
        """A second submit button of the same form (forms.Form has one per form)."""
        return st.form_submit_button(
            label, on_click=self._run, args=(action, success), key=self._slot("submit2"), **button
        )

    def reset(self) -> None:
        """A new generation. "Load the newer version" (after a refused save, or on the notice
        that someone saved meanwhile) also puts the stored scenario's inputs back into the
        page; after a successful save they stay: they are what was stored."""
        reload = self.stale is not None or (self.versioned and self.version != self.current_version)
        super().reset()
        if reload and self.state.loaded_id is not None:
            try:
                self.state.load(svc.get_scenario(self.state.engine, self.state.loaded_id))
            except NotFound:
                self.state.set_loaded(None)


def _saving(call: Callable[[], ScenarioPublic]) -> ScenarioPublic:
    """Run a save; a refusal about the inputs points at the red marks beside them."""
    try:
        return call()
    except InvalidInput as error:
        errors = {k: v for k, v in error.errors.items() if not k.startswith(("cost.", "value."))}
        if len(errors) < len(error.errors):
            errors[FORM_ERROR] = INPUTS_TO_FIX
        raise InvalidInput(errors) from error


def save_form(
    state: EstimateState, project_id: int, scenario: ScenarioPublic | None, actor: str
) -> None:
    """The form that saves the inputs as a new scenario or over the loaded one."""
    form = ScenarioForm(state, scenario)

    def save_new(form: Form) -> ScenarioPublic:
        cost, value = state.linked_inputs()
        saved = _saving(
            lambda: svc.save_scenario(
                state.engine,
                project_id=project_id,
                name=form.value("name"),
                notes=form.value("notes"),
                cost_inputs=cost,
                value_inputs=value,
                seed=state.seed,
                actor=actor,
            )
        )
        state.set_loaded(saved.id)
        return saved

    def update(form: Form) -> ScenarioPublic:
        cost, value = state.linked_inputs()
        try:
            return _saving(
                lambda: svc.update_scenario(
                    state.engine,
                    scenario_id=form.initial["scenario_id"],
                    expected_version=form.version,
                    actor=actor,
                    name=form.value("name"),
                    notes=form.value("notes"),
                    cost_inputs=cost,
                    value_inputs=value,
                    seed=state.seed,
                )
            )
        except NotFound as error:
            raise NotFound(f"{error} Save these inputs as a new scenario instead.") from error

    with form.render(border=False):
        st.markdown("**Save these inputs**")
        st.text_input("Scenario name", key=form.key("name"), max_chars=svc.NAME_MAX)
        form.error("name")
        st.text_input("Notes", key=form.key("notes"), placeholder="what this scenario assumes")
        form.error("notes")
        form.error("seed")  # the seed's input is on the Estimate tab; a refusal shows here
        submit = st.columns(2)
        with submit[0]:
            form.submit_button(
                "Save as new scenario",
                save_new,
                success="Saved as a new scenario; you are editing it now.",
                type="primary",
            )
        if scenario is not None and form.scenario_id == scenario.id:
            with submit[1]:
                form.second_submit_button(
                    f"Update “{literal(scenario.name)}”", update, success="Scenario updated."
                )


def _load(state: EstimateState, scenario_id: int | None) -> None:
    if scenario_id is None:
        return
    try:
        state.load(svc.get_scenario(state.engine, scenario_id))
    except NotFound as error:
        st.session_state[state.named("load_error")] = str(error)
        return
    restart_form(state)


def _start_over(state: EstimateState) -> None:
    state.start_over()
    restart_form(state)


def _picked(state: EstimateState) -> None:
    """A newly picked scenario's delete pins the version shown now."""
    picked = st.session_state.get(state.named("pick"))
    if picked is not None:
        Form(f"{state.p}_delete_{picked}").reset()


def _delete_form(state: EstimateState, project_id: int, scenario: ScenarioPublic, actor: str):
    form = Form(f"{state.p}_delete_{scenario.id}", version=scenario.version)
    name = scenario.name

    def delete(form: Form) -> ScenarioPublic:
        deleted = svc.delete_scenario(
            state.engine,
            project_id=project_id,
            scenario_id=scenario.id,
            expected_version=form.version,
            actor=actor,
        )
        st.session_state[state.named("undo")] = deleted
        st.session_state.pop(state.named("pick"), None)
        Form(f"{state.p}_report").reset()  # the report's choice may have gone with it
        if state.loaded_id == scenario.id:
            state.set_loaded(None)
            restart_form(state)
        return deleted

    with form.render(border=False):
        form.submit_button(
            "Delete",
            delete,
            success="",  # the undo below says it
            confirm=lambda form: (
                f"Delete the scenario “{name}”? Its inputs stay in the activity "
                "log, and you can undo the delete right after."
            ),
            icon=":material/delete:",
        )


def _undo(state: EstimateState, actor: str) -> None:
    undo = Form(f"{state.p}_undo")
    undo.messages()
    deleted: ScenarioPublic | None = st.session_state.get(state.named("undo"))
    if deleted is None:
        return

    def restore(form: Form) -> ScenarioPublic:
        try:
            restored = svc.restore_scenario(state.engine, deleted=deleted, actor=actor)
        except InvalidInput as error:
            raise InvalidInput({FORM_ERROR: "; ".join(error.errors.values())}) from error
        st.session_state.pop(state.named("undo"), None)
        Form(f"{state.p}_report").reset()  # the undo may have chosen it again
        return restored

    st.warning("Scenario deleted (the activity log keeps its inputs):", icon=":material/delete:")
    st.text(deleted.name)
    undo.button(
        "Undo", restore, success="Scenario restored with its inputs.", icon=":material/undo:"
    )


def _open_report_scenario(state: EstimateState, scenario_id: int) -> None:
    _load(state, scenario_id)


def report_choice(
    state: EstimateState,
    project_id: int,
    report: svc.ReportScenario,
    loaded: ScenarioPublic | None,
    actor: str,
) -> None:
    """Which scenario the report shows, by name; whether the figures on the page are that
    scenario's; and the explicit choice of the scenario being edited for the report."""
    form = Form(f"{state.p}_report", version=report.scenario_id if report.chosen else None)
    shown = report.scenario
    form.messages()
    if shown is None:
        st.caption(
            "The report has no cost estimate yet: save these inputs as a scenario, then choose "
            "it for the report.",
        )
    elif report.chosen:
        st.success(
            f"The report uses the scenario **{literal(shown.name)}** (chosen for the report).",
            icon=":material/summarize:",
        )
    else:
        st.warning(
            "No scenario is chosen for the report: it shows the most recently saved one, "
            f"**{literal(shown.name)}**. Choose the scenario the report should show.",
            icon=":material/summarize:",
        )
    mine = loaded is not None and shown is not None and loaded.id == shown.id
    if shown is not None and not mine:
        what = (
            f"the scenario “{literal(loaded.name)}”"
            if loaded is not None
            else "the built-in defaults"
        )
        st.caption(f"The figures below are {what}, not the report's.")
        st.button(
            "Open the report's scenario",
            on_click=_open_report_scenario,
            args=(state, shown.id),
            icon=":material/file_open:",
            key=state.named("open_report"),
        )
    elif mine:
        st.caption("The figures below are the report's.")
    if loaded is not None and not (report.chosen and mine):

        def choose(form: Form) -> svc.ReportScenario:
            try:
                return svc.choose_report_scenario(
                    state.engine,
                    project_id=project_id,
                    scenario_id=loaded.id,
                    expected_current=form.version,
                    actor=actor,
                )
            except InvalidInput as error:
                raise InvalidInput({FORM_ERROR: " ".join(error.errors.values())}) from error

        form.button(
            "Use this scenario for the report",
            choose,
            success="The report now uses this scenario.",
            icon=":material/task_alt:",
            help="The scenario being edited (named above) becomes the one the scoping report "
            "shows. Unsaved changes are not part of it: update the scenario first.",
        )


def saved_scenarios(
    state: EstimateState,
    project_id: int,
    scenarios: Sequence[ScenarioPublic],
    actor: str,
    report_id: int | None = None,
) -> ScenarioPublic | None:
    """Pick, load and delete saved scenarios; returns the one loaded into the page, if any.
    `report_id`: the scenario the report uses (marked in the picker)."""
    names = {
        scenario.id: scenario.name + (" · the report's" if scenario.id == report_id else "")
        for scenario in scenarios
    }
    by_id = {scenario.id: scenario for scenario in scenarios}
    st.markdown("**Saved scenarios**")
    if scenarios:
        picked = st.selectbox(
            "Saved scenario",
            options=list(names),
            format_func=names.get,
            index=None,
            placeholder=f"{len(scenarios)} saved: choose one",
            key=state.named("pick"),
            on_change=_picked,
            args=(state,),
        )
        buttons = st.columns(2)
        buttons[0].button(
            "Load",
            on_click=_load,
            args=(state, picked),
            disabled=picked is None,
            icon=":material/file_open:",
            help="Put the scenario's inputs into the fields below.",
        )
        with buttons[1]:
            if picked in by_id:
                _delete_form(state, project_id, by_id[picked], actor)
            else:
                st.button("Delete", disabled=True, icon=":material/delete:", key=state.named("nd"))
    else:
        st.caption("None yet: set the inputs below, then save them under a name.")
    _undo(state, actor)
    st.button(
        "Start over from the defaults",
        on_click=_start_over,
        args=(state,),
        icon=":material/restart_alt:",
        key=state.named("reset"),
    )
    if load_error := st.session_state.pop(state.named("load_error"), None):
        st.error(markdown_text(load_error))
    loaded = by_id.get(state.loaded_id) if state.loaded_id is not None else None
    if loaded:
        st.info(
            f"Editing **{literal(loaded.name)}** (version {loaded.version}). Changes stay here "
            "until you update it or save them as a new scenario.",
            icon=":material/edit_note:",
        )
    elif state.loaded_id is not None:
        st.warning(
            "The scenario these inputs came from was deleted meanwhile. Your inputs are still "
            "here: save them as a new scenario.",
            icon=":material/warning:",
        )
    return loaded
