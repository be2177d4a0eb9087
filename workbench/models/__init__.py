"""SQLModel tables and their input/output models, one module per aggregate, one family per entity.

`XBase` holds the fields people edit, with their limits; `X(table=True)` is the table;
`XCreate`/`XUpdate` validate user input (a table model does not validate on construction);
`XPublic` is what services hand to pages. Records people edit carry a `version` column used by
SQLAlchemy's optimistic concurrency (`version_id_col`), so a stale edit cannot overwrite.

Importing this package registers every table on `SQLModel.metadata` (Alembic relies on it).
"""

from workbench.models.assessment import (
    AssessmentRating,
    AssessmentSnapshot,
    NoteKind,
    ProjectNote,
    Risk,
    RiskBase,
    RiskCreate,
    RiskPublic,
    RiskStatus,
)
from workbench.models.base import (
    ENUM_MAX,
    LONG_TEXT_MAX,
    NAME_MAX,
    SHORT_TEXT_MAX,
    SourcedRecord,
    SourceKind,
    UTCDateTime,
    VersionedTable,
    utc_now,
)
from workbench.models.demos import (
    Demo,
    DemoFeedback,
    DemoPlanSettings,
    Feature,
    FeatureStatus,
    FeatureTask,
)
from workbench.models.estimates import Scenario
from workbench.models.experiments import (
    Experiment,
    ExperimentStatus,
    GoNoGoDecision,
    ParkingLotItem,
    ParkingLotStatus,
    TimeBoxExtension,
    TimeLog,
)
from workbench.models.interviews import Interview, InterviewAnswer, InterviewStatus
from workbench.models.projects import (
    ActivityEntry,
    ActivityPublic,
    GateCheck,
    PhaseTransition,
    PhaseTransitionPublic,
    Project,
    ProjectBase,
    ProjectCreate,
    ProjectPublic,
    ProjectUpdate,
    Stakeholder,
    StakeholderBase,
    StakeholderIn,
    StakeholderPublic,
    SuccessCriterion,
    SuccessCriterionBase,
    SuccessCriterionIn,
    SuccessCriterionPublic,
)

__all__ = [
    "ENUM_MAX",
    "LONG_TEXT_MAX",
    "NAME_MAX",
    "SHORT_TEXT_MAX",
    "ActivityEntry",
    "ActivityPublic",
    "AssessmentRating",
    "AssessmentSnapshot",
    "Demo",
    "DemoFeedback",
    "DemoPlanSettings",
    "Experiment",
    "ExperimentStatus",
    "Feature",
    "FeatureStatus",
    "FeatureTask",
    "GateCheck",
    "GoNoGoDecision",
    "Interview",
    "InterviewAnswer",
    "InterviewStatus",
    "NoteKind",
    "ParkingLotItem",
    "ParkingLotStatus",
    "PhaseTransition",
    "PhaseTransitionPublic",
    "Project",
    "ProjectBase",
    "ProjectCreate",
    "ProjectNote",
    "ProjectPublic",
    "ProjectUpdate",
    "Risk",
    "RiskBase",
    "RiskCreate",
    "RiskPublic",
    "RiskStatus",
    "Scenario",
    "SourceKind",
    "SourcedRecord",
    "Stakeholder",
    "StakeholderBase",
    "StakeholderIn",
    "StakeholderPublic",
    "SuccessCriterion",
    "SuccessCriterionBase",
    "SuccessCriterionIn",
    "SuccessCriterionPublic",
    "TimeBoxExtension",
    "TimeLog",
    "UTCDateTime",
    "VersionedTable",
    "utc_now",
]
