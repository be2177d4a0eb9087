"""Saved cost and value scenarios, and a scenario as pages and reports see it (with the summary
of the results it keeps)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, UniqueConstraint, event
from sqlmodel import Field, SQLModel

from workbench.domain.estimates import (
    COST_LINES,
    VALUE_OUTPUTS,
    CostModelInputs,
    SimulationResult,
    ValueModelInputs,
)
from workbench.models.base import (
    LONG_TEXT_MAX,
    NAME_KEY_MAX,
    NAME_MAX,
    SHORT_TEXT_MAX,
    UTCDateTime,
    VersionedTable,
    name_key,
    utc_now,
)

# --- Estimates --------------------------------------------------------------------------------


class Scenario(SQLModel, VersionedTable, table=True):
    """A named set of estimate inputs for a project, with the results it gave when saved.

    `name_key` is the name as duplicates are compared (`name_key()`); it is kept in step with
    `name` on every write and unique within a project.
    """

    __table_args__ = (
        UniqueConstraint("project_id", "name", name="uq_scenario_project_name"),
        Index("uq_scenario_project_name_key", "project_id", "name_key", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=NAME_MAX)
    name_key: str = Field(default="", max_length=NAME_KEY_MAX)
    notes: str = Field(default="", max_length=LONG_TEXT_MAX)
    cost_inputs: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    value_inputs: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    seed: int = 2026
    results: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_by: str = Field(max_length=SHORT_TEXT_MAX)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    version: int = Field(default=1)


@event.listens_for(Scenario, "before_insert")
@event.listens_for(Scenario, "before_update")
def _keep_name_key(_mapper: Any, _connection: Any, scenario: Scenario) -> None:
    scenario.name_key = name_key(scenario.name)


# --- What pages and reports see ---------------------------------------------------------------


def _scaled(result: SimulationResult, factor: float) -> SimulationResult:
    return SimulationResult(**{name: value * factor for name, value in asdict(result).items()})


@dataclass(frozen=True)
class EstimateSummary:
    """The results kept with a scenario: ranges of the cost and value, and the value's ratios.

    Attributes:
        seed, draws: the simulation that produced the ranges.
        total: total cost over the horizon (USD).
        lines: each cost line over the horizon (USD), in ``COST_LINES`` order.
        training_gpu_hours, training_wall_clock_days, training_co2_kg: one neural training run.
        value: each of ``VALUE_OUTPUTS`` (USD; per month except ``horizon_net_benefit_usd``).
        break_even_precision: precision above which acting on a flagged case pays (likely).
        payback_months: upfront / monthly net benefit (likely); None if it never pays back.
        roi: return on investment over the horizon (likely); None if nothing is spent.
        horizon_months: the horizon (likely).
    """

    seed: int
    draws: int
    total: SimulationResult
    lines: dict[str, SimulationResult]
    training_gpu_hours: SimulationResult
    training_wall_clock_days: SimulationResult
    training_co2_kg: SimulationResult
    value: dict[str, SimulationResult]
    break_even_precision: float
    payback_months: float | None
    roi: float | None
    horizon_months: float

    @property
    def net_value_per_year(self) -> SimulationResult:
        """Net value per month × 12 (USD per year)."""
        return _scaled(self.value["net_value_usd"], 12.0)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (no NaN or infinity: PostgreSQL's JSON refuses them)."""
        return _finite(asdict(self))

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EstimateSummary:
        """Rebuild from ``to_json()`` output."""

        def result(item: Mapping[str, Any]) -> SimulationResult:
            return SimulationResult(**{k: _number(v) for k, v in item.items()})

        return cls(
            seed=int(data["seed"]),
            draws=int(data["draws"]),
            total=result(data["total"]),
            lines={line: result(data["lines"][line]) for line in COST_LINES},
            training_gpu_hours=result(data["training_gpu_hours"]),
            training_wall_clock_days=result(data["training_wall_clock_days"]),
            training_co2_kg=result(data["training_co2_kg"]),
            value={name: result(data["value"][name]) for name in VALUE_OUTPUTS},
            break_even_precision=float(data["break_even_precision"]),
            payback_months=data["payback_months"],
            roi=data["roi"],
            horizon_months=float(data["horizon_months"]),
        )


def _finite(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _number(value: Any) -> float:
    return math.nan if value is None else float(value)


@dataclass(frozen=True)
class ScenarioPublic:
    """A saved scenario as pages and reports see it.

    ``cost_inputs`` / ``value_inputs`` are the ``to_dict()`` forms; ``results`` the summary
    computed with ``seed`` when the scenario was last saved.
    """

    id: int
    project_id: int
    name: str
    notes: str
    seed: int
    cost_inputs: dict[str, Any]
    value_inputs: dict[str, Any]
    results: EstimateSummary
    created_by: str
    created_at: datetime
    updated_at: datetime
    version: int
    was_report_scenario: bool = False
    """Set on a deleted scenario that was the one the report used (its undo chooses it again)."""

    def inputs(self) -> tuple[CostModelInputs, ValueModelInputs]:
        """The stored inputs as domain objects."""
        return (
            CostModelInputs.from_dict(self.cost_inputs),
            ValueModelInputs.from_dict(self.value_inputs),
        )
