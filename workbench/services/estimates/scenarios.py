"""Named scenarios: save, update (version-checked), delete and restore (undo), read and list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from types import SimpleNamespace
from typing import Any, NoReturn

import pandas as pd
from sqlalchemy import func, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from workbench import crud
from workbench.domain.estimates import DEFAULT_DRAWS, CostModelInputs, ValueModelInputs
from workbench.errors import InvalidInput, NotFound
from workbench.models import Project, Scenario, utc_now
from workbench.models.base import name_key
from workbench.models.estimates import EstimateSummary, ScenarioPublic
from workbench.services.estimates.inputs import DEFAULT_SEED, _check_scenario_fields, parse_inputs
from workbench.services.estimates.results import Estimate, comparison_table, estimate
from workbench.services.projects import check_actor
from workbench.versioning import commit, load_for_edit

# --- scenarios --------------------------------------------------------------------------------


def _validated(
    name: Any, notes: Any, seed: Any, cost: Mapping[str, Any], value: Mapping[str, Any], draws: int
) -> tuple[str, str, CostModelInputs, ValueModelInputs, Estimate]:
    """Check everything a scenario holds, reporting every problem at once."""
    errors, name, notes = _check_scenario_fields(name, notes, seed)
    parsed = None
    try:
        parsed = parse_inputs(cost, value)
    except InvalidInput as error:
        errors.update(error.errors)
    if errors or parsed is None:
        raise InvalidInput(errors)
    cost_inputs, value_inputs = parsed
    result = estimate(cost_inputs, value_inputs, seed=seed, draws=draws)
    return name, notes, cost_inputs, value_inputs, result


def _public(row: Scenario) -> ScenarioPublic:
    return ScenarioPublic(
        id=row.id,
        project_id=row.project_id,
        name=row.name,
        notes=row.notes,
        seed=row.seed,
        cost_inputs=dict(row.cost_inputs),
        value_inputs=dict(row.value_inputs),
        results=EstimateSummary.from_json(row.results),
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=row.version,
    )


def _money(value: float) -> str:
    return f"${value:,.0f}"


def _results_sentence(summary: EstimateSummary) -> str:
    total = summary.total
    return (
        f"total cost likely {_money(total.likely)} (P10 {_money(total.p10)} – "
        f"P90 {_money(total.p90)}), net value {_money(summary.value['net_value_usd'].likely)} "
        "a month"
    )


def _name_taken(session: Session, project_id: int, name: str, scenario_id: int | None) -> str:
    statement = select(Scenario).where(
        Scenario.project_id == project_id, Scenario.name_key == name_key(name)
    )
    existing = session.exec(statement).first()
    if existing is not None and existing.id != scenario_id:
        return (
            f"This project already has a scenario called {existing.name!r}: "
            "choose another name, or load it and update it."
        )
    return ""


def _refuse_name_taken_meanwhile(
    session: Session,
    project_id: int,
    name: str,
    scenario_id: int | None,
    error: IntegrityError,
    prefix: str = "",
) -> NoReturn:
    """After a unique index refused a write: raise InvalidInput, in the words of the check, when
    another save stored the name meanwhile; re-raise `error` (a fault) when the name is free."""
    session.rollback()
    taken = _name_taken(session, project_id, name, scenario_id)
    if not taken:
        raise error
    raise InvalidInput({"name": prefix + taken}) from error


def save_scenario(
    engine: Engine,
    *,
    project_id: int,
    name: str,
    cost_inputs: Mapping[str, Any],
    value_inputs: Mapping[str, Any],
    actor: str,
    notes: str = "",
    seed: int = DEFAULT_SEED,
    draws: int = DEFAULT_DRAWS,
) -> ScenarioPublic:
    """Validate and store a named scenario with its results, logging it.

    Raises InvalidInput (nothing stored) naming each bad field: ``name`` (1–120 characters,
    unique per project ignoring case and spaces), ``notes``, ``seed``, ``cost.<field>``,
    ``value.<field>``, ``cost.roles[n]``, ``actor``.
    """
    actor = check_actor(actor)
    name, notes, cost, value, result = _validated(
        name, notes, seed, cost_inputs, value_inputs, draws
    )
    with Session(engine) as session:
        if session.get(Project, project_id) is None:
            raise NotFound(f"There is no project with id {project_id}.")
        taken = _name_taken(session, project_id, name, None)
        if taken:
            raise InvalidInput({"name": taken})
        scenario = Scenario(
            project_id=project_id,
            name=name,
            notes=notes,
            cost_inputs=cost.to_dict(),
            value_inputs=value.to_dict(),
            seed=seed,
            results=result.summary.to_json(),
            created_by=actor,
        )
        session.add(scenario)
        try:
            session.flush()
        except IntegrityError as error:  # the same name saved by someone else a moment ago
            _refuse_name_taken_meanwhile(session, project_id, name, None, error)
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="scenario saved",
            summary=f"Saved scenario {name!r}: {_results_sentence(result.summary)}.",
            changes={
                "scenario_id": scenario.id,
                "name": name,
                "seed": seed,
                "cost_inputs": scenario.cost_inputs,
                "value_inputs": scenario.value_inputs,
            },
        )
        try:
            session.commit()
        except IntegrityError as error:
            _refuse_name_taken_meanwhile(session, project_id, name, None, error)
        session.refresh(scenario)
        return _public(scenario)


def _shown(value: Any) -> Any:
    """An input value for a person: a range as "low / likely / high", roles one per line."""
    if isinstance(value, Mapping) and set(value) == {"low", "likely", "high"}:
        return f"{value['low']:g} / {value['likely']:g} / {value['high']:g}"
    if isinstance(value, list):
        return "; ".join(
            f"{row.get('role')}: "
            + ", ".join(f"{k} {_shown(v)}" for k, v in row.items() if k != "role")
            for row in value
        )
    return value


def _differences(
    old: Mapping[str, Any], new: Mapping[str, Any], prefix: str
) -> dict[str, list[Any]]:
    return {
        f"{prefix}.{key}": [old.get(key), new.get(key)]
        for key in sorted(set(old) | set(new))
        if old.get(key) != new.get(key)
    }


def _scenario_changes(
    row: Scenario, name: str, notes: str, seed: int, cost: dict, value: dict
) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    for field, new in (("name", name), ("notes", notes), ("seed", seed)):
        if getattr(row, field) != new:
            changes[field] = [getattr(row, field), new]
    changes.update(_differences(row.cost_inputs, cost, "cost"))
    changes.update(_differences(row.value_inputs, value, "value"))
    return changes


class ScenarioFields(SimpleNamespace):
    """A stored scenario as flat fields for the conflict view of a refused save: ``name``,
    ``notes``, ``seed`` and every input as ``cost.<field>`` / ``value.<field>`` (a range as
    "low / likely / high", the people table one role after another), with ``id`` and
    ``version``."""


def _fields(name: str, notes: str, seed: int, cost: Mapping[str, Any], value: Mapping[str, Any]):
    return {
        "name": name,
        "notes": notes,
        "seed": seed,
        **{f"cost.{key}": _shown(item) for key, item in cost.items()},
        **{f"value.{key}": _shown(item) for key, item in value.items()},
    }


def _as_fields(row: Scenario) -> ScenarioFields:
    return ScenarioFields(
        id=row.id,
        version=row.version,
        **_fields(row.name, row.notes, row.seed, row.cost_inputs, row.value_inputs),
    )


def update_scenario(
    engine: Engine,
    *,
    scenario_id: int,
    expected_version: int | None,
    actor: str,
    name: str | None = None,
    notes: str | None = None,
    cost_inputs: Mapping[str, Any] | None = None,
    value_inputs: Mapping[str, Any] | None = None,
    seed: int | None = None,
    draws: int = DEFAULT_DRAWS,
) -> ScenarioPublic:
    """Save an edit of a scenario loaded at ``expected_version`` (None = keep that part).

    Recomputes the results with the scenario's seed. Raises InvalidInput (nothing written) as
    ``save_scenario`` does, NotFound when the scenario was deleted, and StaleEditError (nothing
    written) when the scenario was saved by someone else since that version; ``conflicts`` then
    maps each input that differs from the newer save to (yours, theirs), keyed as
    ``ScenarioFields``. Logs every changed field.
    """
    actor = check_actor(actor)
    with Session(engine) as session:
        row = session.get(Scenario, scenario_id)
        if row is None:
            raise NotFound(f"There is no scenario #{scenario_id} here any more (deleted?).")
        name, notes, cost, value, result = _validated(
            row.name if name is None else name,
            row.notes if notes is None else notes,
            row.seed if seed is None else seed,
            row.cost_inputs if cost_inputs is None else cost_inputs,
            row.value_inputs if value_inputs is None else value_inputs,
            draws,
        )
        new_seed = row.seed if seed is None else seed
        mine = _fields(name, notes, new_seed, cost.to_dict(), value.to_dict())
        row = load_for_edit(
            session,
            Scenario,
            scenario_id,
            expected_version,
            mine,
            what="scenario",
            public=_as_fields,
        )
        changes = _scenario_changes(row, name, notes, new_seed, cost.to_dict(), value.to_dict())
        if not changes:
            return _public(row)
        project_id = row.project_id
        taken = _name_taken(session, project_id, name, row.id)
        if taken:
            raise InvalidInput({"name": taken})
        row.name, row.notes, row.seed = name, notes, new_seed
        row.cost_inputs, row.value_inputs = cost.to_dict(), value.to_dict()
        row.results = result.summary.to_json()
        row.updated_at = utc_now()
        session.add(row)
        crud.record_activity(
            session,
            project_id=row.project_id,
            actor=actor,
            action="scenario updated",
            summary=f"Scenario {name!r}: changed {', '.join(changes)}; "
            f"{_results_sentence(result.summary)}.",
            changes=changes,
        )
        try:
            commit(session, row, mine, public=_as_fields)
        except IntegrityError as error:  # the new name saved by someone else a moment ago
            _refuse_name_taken_meanwhile(session, project_id, name, scenario_id, error)
        session.refresh(row)
        return _public(row)


def delete_scenario(
    engine: Engine, *, project_id: int, scenario_id: int, expected_version: int | None, actor: str
) -> ScenarioPublic:
    """Delete a scenario of a project as the user saw it (``expected_version``); the log keeps
    its name, notes, seed and inputs, and the deleted scenario is returned (for an undo, see
    ``restore_scenario``).

    Raises NotFound when it is gone already, and StaleEditError (nothing deleted) when someone
    saved it after that version.
    """
    actor = check_actor(actor)
    with Session(engine) as session:
        row = load_for_edit(
            session,
            Scenario,
            scenario_id,
            expected_version,
            what="scenario",
            project_id=project_id,
            public=_as_fields,
        )
        project = session.get(Project, project_id)
        chosen = project is not None and project.report_scenario_id == scenario_id
        deleted = replace(_public(row), was_report_scenario=chosen)
        if chosen:  # the report no longer has a chosen scenario: say so, never a dangling id
            _set_report_scenario(session, project_id, None)
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="scenario deleted",
            summary=f"Deleted scenario {row.name!r}."
            + (" The report has no chosen scenario now." if chosen else ""),
            changes={
                "scenario_id": scenario_id,
                "name": row.name,
                "notes": row.notes,
                "seed": row.seed,
                "cost_inputs": row.cost_inputs,
                "value_inputs": row.value_inputs,
            },
        )
        session.delete(row)
        commit(session, row, public=_as_fields)
        return deleted


def restore_scenario(engine: Engine, *, deleted: ScenarioPublic, actor: str) -> ScenarioPublic:
    """Undo a delete: store the scenario ``delete_scenario`` returned again, with its name,
    notes, seed, inputs and results (under its old id when that is free), logging it.

    Raises InvalidInput when its name was taken meanwhile, NotFound when its project is gone.
    """
    actor = check_actor(actor)
    with Session(engine) as session:
        if session.get(Project, deleted.project_id) is None:
            raise NotFound(f"There is no project with id {deleted.project_id}.")
        taken = _name_taken(session, deleted.project_id, deleted.name, None)
        if taken:
            raise InvalidInput({"name": f"Not restored: {taken}"})
        scenario = Scenario(
            id=None if session.get(Scenario, deleted.id) is not None else deleted.id,
            project_id=deleted.project_id,
            name=deleted.name,
            notes=deleted.notes,
            cost_inputs=dict(deleted.cost_inputs),
            value_inputs=dict(deleted.value_inputs),
            seed=deleted.seed,
            results=deleted.results.to_json(),
            created_by=deleted.created_by,
            created_at=deleted.created_at,
        )
        session.add(scenario)
        try:
            session.flush()
        except IntegrityError as error:  # the name was taken a moment ago
            _refuse_name_taken_meanwhile(
                session, deleted.project_id, deleted.name, None, error, "Not restored: "
            )
        # A view of the scenario from before the delete stays stale: the version goes on.
        session.execute(
            update(Scenario)
            .where(col(Scenario.id) == scenario.id)
            .values(version=deleted.version + 1)
            .execution_options(synchronize_session=False)
        )
        project = session.get(Project, deleted.project_id)
        chosen_again = (
            deleted.was_report_scenario
            and project is not None
            and project.report_scenario_id is None  # nobody chose another one meanwhile
        )
        if chosen_again:
            _set_report_scenario(session, deleted.project_id, scenario.id)
        crud.record_activity(
            session,
            project_id=deleted.project_id,
            actor=actor,
            action="scenario restored",
            summary=f"Restored the deleted scenario {deleted.name!r} (undo of the delete)."
            + (" The report uses it again." if chosen_again else ""),
            changes={"scenario_id": scenario.id, "name": deleted.name, "seed": deleted.seed},
        )
        try:
            session.commit()
        except IntegrityError as error:
            _refuse_name_taken_meanwhile(
                session, deleted.project_id, deleted.name, None, error, "Not restored: "
            )
        session.refresh(scenario)
        return _public(scenario)


def get_scenario(engine: Engine, scenario_id: int) -> ScenarioPublic:
    """One scenario; raises NotFound if it does not exist."""
    with Session(engine) as session:
        row = session.get(Scenario, scenario_id)
        if row is None:
            raise NotFound(f"There is no scenario with id {scenario_id} (deleted?).")
        return _public(row)


def list_scenarios(engine: Engine, project_id: int) -> list[ScenarioPublic]:
    """A project's scenarios, by name."""
    with Session(engine) as session:
        rows = session.exec(
            select(Scenario)
            .where(Scenario.project_id == project_id)
            .order_by(func.lower(Scenario.name), col(Scenario.id))
        ).all()
        return [_public(row) for row in rows]


def _set_report_scenario(session: Session, project_id: int, scenario_id: int | None) -> None:
    """Point the project's report at a scenario (or at none). Not a charter edit: the project's
    version stays, so nobody's open charter form turns stale because of it."""
    session.execute(
        update(Project)
        .where(col(Project.id) == project_id)
        .values(report_scenario_id=scenario_id)
        .execution_options(synchronize_session=False)
    )


def compare_scenarios(
    engine: Engine, *, project_id: int, scenario_ids: Sequence[int]
) -> pd.DataFrame:
    """Scenarios of a project side by side (see ``comparison_table``), columns in the order
    asked; raises NotFound if one is not on the project."""
    with Session(engine) as session:
        rows = session.exec(
            select(Scenario).where(
                Scenario.project_id == project_id, col(Scenario.id).in_(list(scenario_ids))
            )
        ).all()
        by_id = {row.id: _public(row) for row in rows}
    missing = [i for i in scenario_ids if i not in by_id]
    if missing:
        raise NotFound(f"Scenario(s) {missing} are not on this project (deleted?).")
    return comparison_table({by_id[i].name: by_id[i].results for i in scenario_ids})
