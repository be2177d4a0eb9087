"""Which scenario a project's report shows: the one the team chose, else the newest."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from workbench import crud
from workbench.errors import InvalidInput, NotFound
from workbench.models import Project, Scenario
from workbench.models.estimates import ScenarioPublic
from workbench.services.estimates.scenarios import _public, _set_report_scenario
from workbench.services.projects import check_actor


@dataclass(frozen=True)
class ReportScenario:
    """The scenario a project's report shows, and how it was picked.

    Attributes:
        scenario: the scenario, or None when the project has none saved.
        chosen: True when someone chose it for the report on Cost & value; False when none is
            chosen and the report falls back to the most recently saved one (it says so).
    """

    scenario: ScenarioPublic | None
    chosen: bool

    @property
    def scenario_id(self) -> int | None:
        return None if self.scenario is None else self.scenario.id

    def sentence(self) -> str:
        """How the report (and the page) name the scenario, in one sentence."""
        if self.scenario is None:
            return "No scenario is saved yet."
        if self.chosen:
            return f"Scenario “{self.scenario.name}”, chosen for the report."
        return (
            f"Scenario “{self.scenario.name}”, the most recently saved one: no scenario is "
            "chosen for the report yet (choose one on Cost & value)."
        )


def report_scenario(engine: Engine, project_id: int) -> ReportScenario:
    """The scenario the report shows: the chosen one, else the most recently saved one."""
    with Session(engine) as session:
        project = session.get(Project, project_id)
        if project is None:
            raise NotFound(f"There is no project with id {project_id}.")
        chosen_id = project.report_scenario_id
        row = session.get(Scenario, chosen_id) if chosen_id is not None else None
        if row is not None and row.project_id == project_id:
            return ReportScenario(_public(row), chosen=True)
    return ReportScenario(latest_estimate_summary(engine, project_id), chosen=False)


def choose_report_scenario(
    engine: Engine,
    *,
    project_id: int,
    scenario_id: int | None,
    expected_current: int | None,
    actor: str,
) -> ReportScenario:
    """Choose the scenario the report uses (None: no choice, the report falls back to the most
    recently saved one), as the user saw the current choice (``expected_current``).

    Raises NotFound when the scenario is not on the project (deleted?), and InvalidInput when
    someone else changed the choice since (nothing changed).
    """
    actor = check_actor(actor)
    with Session(engine) as session:
        project = session.get(Project, project_id)
        if project is None:
            raise NotFound(f"There is no project with id {project_id}.")
        row = None
        if scenario_id is not None:
            row = session.get(Scenario, scenario_id)
            if row is None or row.project_id != project_id:
                raise NotFound("That scenario is not on this project any more (deleted?).")
        current = project.report_scenario_id
        if current != expected_current:
            now = session.get(Scenario, current) if current is not None else None
            named = f"“{now.name}”" if now is not None else "no scenario"
            raise InvalidInput(
                {
                    "report_scenario": f"Not changed: someone chose {named} for the report "
                    "meanwhile. Look at the choice again and choose once more if you still "
                    "want to."
                }
            )
        if current == scenario_id:
            return report_scenario(engine, project_id)
        _set_report_scenario(session, project_id, scenario_id)
        crud.record_activity(
            session,
            project_id=project_id,
            actor=actor,
            action="report scenario chosen",
            summary=(
                f"The report uses scenario {row.name!r}."
                if row is not None
                else "No scenario is chosen for the report any more."
            ),
            changes={"report_scenario_id": [current, scenario_id]},
        )
        session.commit()
    return report_scenario(engine, project_id)


def latest_estimate_summary(engine: Engine, project_id: int) -> ScenarioPublic | None:
    """The project's most recently updated scenario (its ``results`` hold the ranges), if any."""
    with Session(engine) as session:
        row = session.exec(
            select(Scenario)
            .where(Scenario.project_id == project_id)
            .order_by(col(Scenario.updated_at).desc(), col(Scenario.id).desc())
            .limit(1)
        ).first()
        return None if row is None else _public(row)
