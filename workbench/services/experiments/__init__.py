"""Experiments: time-boxed candidate approaches, the decisions their boxes force, the culling
matrix and the Go/No-Go (Wilson, *Machine Learning Engineering in Action*, ch. 3.1.4 and 3.2).

Every change is logged. Edits are version-checked through ``workbench.versioning``: a stale edit
is refused (``StaleEditError``) with the newer values. Widget values are parsed once, by the input
models of ``workbench.models.experiments``; the rules (names, status moves, decisions, Go/No-Go)
are the domain's (``workbench.domain.experiments``, ``workbench.domain.timebox``); today is a
parameter.

- ``records``: add, edit, move an experiment; log time; list experiments with their boxes;
- ``results``: the measured result, the end-of-research review, the decision on a box;
- ``go_no_go``: the culling matrix and the Go/No-Go;
- ``overdue``: boxes due a decision across the portfolio, and the timeline charts' entries;
- ``common``: what they share (the experiment view, loading for edit, committing).
"""

from workbench.domain.decision_matrix import Criterion
from workbench.domain.experiments import STATUS_MOVES, ExperimentStatus
from workbench.domain.timebox import RESEARCH_REVIEW_QUESTIONS, Decision, TimeBoxStatus
from workbench.models.experiments import (
    MAX_BOX_DAYS,
    DecisionInput,
    ExperimentCreate,
    ExperimentPublic,
    ExtensionPublic,
    GoNoGoPublic,
    ResultInput,
    TimeLogPublic,
)
from workbench.models.inputs import parse_phase
from workbench.services.experiments.common import ExperimentView, validate_experiment_input
from workbench.services.experiments.go_no_go import (
    CRITERION_HELP,
    CRITERION_LABELS,
    GoNoGoOutcome,
    MatrixRanking,
    list_go_no_go,
    rank_matrix,
    record_go_no_go,
    save_matrix_scores,
)
from workbench.services.experiments.overdue import (
    OverdueExperiment,
    overdue_experiments,
    timeline_entries,
)
from workbench.services.experiments.records import (
    add_experiment,
    create_experiment,
    list_experiments,
    list_time_logs,
    log_time,
    set_status,
    update_experiment,
)
from workbench.services.experiments.results import (
    DecisionOutcome,
    decide,
    record_research_review,
    record_result,
)

__all__ = [
    "CRITERION_HELP",
    "CRITERION_LABELS",
    "MAX_BOX_DAYS",
    "RESEARCH_REVIEW_QUESTIONS",
    "STATUS_MOVES",
    "Criterion",
    "Decision",
    "DecisionInput",
    "DecisionOutcome",
    "ExperimentCreate",
    "ExperimentPublic",
    "ExperimentStatus",
    "ExperimentView",
    "ExtensionPublic",
    "GoNoGoOutcome",
    "GoNoGoPublic",
    "MatrixRanking",
    "OverdueExperiment",
    "ResultInput",
    "TimeBoxStatus",
    "TimeLogPublic",
    "add_experiment",
    "create_experiment",
    "decide",
    "list_experiments",
    "list_go_no_go",
    "list_time_logs",
    "log_time",
    "overdue_experiments",
    "parse_phase",
    "rank_matrix",
    "record_go_no_go",
    "record_research_review",
    "record_result",
    "save_matrix_scores",
    "set_status",
    "timeline_entries",
    "update_experiment",
    "validate_experiment_input",
]
