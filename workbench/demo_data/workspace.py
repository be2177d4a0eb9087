"""Demo workspace: risks, estimates, experiments, parked ideas, a demo plan and an interview.

Added to the taxi ride-time demo project at first start, so every page of the workbench shows
a worked example. Everything goes through the services, so it is validated and logged like a
user's own work. Dates are set relative to `today`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.engine import Engine

from workbench.domain.estimates import Range, RoleEffort
from workbench.domain.workdays import is_working_day
from workbench.reference.questions import load_question_bank
from workbench.services import assessment as assessment_service
from workbench.services import demos as demo_service
from workbench.services import estimates as estimate_service
from workbench.services import experiments as experiment_service
from workbench.services import interviews as interview_service
from workbench.services import parking_lot as parking_lot_service
from workbench.services import registers


def _working_days_ago(today: date, days: int) -> date:
    day, counted = today, 0
    while counted < days:
        day -= timedelta(days=1)
        counted += is_working_day(day)
    return day


def seed_ride_time_workspace(engine: Engine, *, project_id: int, actor: str, today: date) -> None:
    """Fill the ride-time anomaly project with a realistic scoping workspace."""
    _assessment(engine, project_id, actor)
    _risks_and_notes(engine, project_id, actor)
    _estimates(engine, project_id, actor)
    _experiments(engine, project_id, actor, today)
    parking_lot_service.add_item(
        engine,
        project_id=project_id,
        data={
            "idea": "Use raw GPS traces to detect route detours, not just time and distance",
            "raised_by": "Tomás R.",
            "why_deferred": "Needs a new data feed; the MVP works on trip summaries",
            "value": "high",
            "effort": "high",
            "revisit_on": today - timedelta(days=1),
            "source_kind": "meeting",
            "source_label": "Scoping meeting",
        },
        actor=actor,
    )
    _demo_plan(engine, project_id, actor, today)
    _interview(engine, project_id, actor, today)


_PM_ANSWERS = {
    "too_complex_to_code": 4,
    "constantly_changing": 4,
    "perceptive_problem": 1,
    "unstudied_phenomenon": 3,
    "simple_objective": 4,
    "cost_effective": 4,
    "every_decision_explained": 3,
    "errors_intolerable": 2,
    "traditional_software_cheaper": 2,
    "inputs_outputs_enumerable": 1,
    "data_hard_to_get": 2,
    "replaces_complex_part": 4,
    "cheap_predictions_valuable": 5,
    "tied_to_business_metric": 4,
    "many_decisions_informed": 4,
    "problem_difficulty": 3,
    "data_cost": 2,
    "accuracy_needed": 3,
    "experienced_talent": 4,
    "leadership_support": 5,
    "data_infrastructure": 3,
    "labels_available": 2,
    "siloed_teams": 2,
    "technically_feasible": 4,
    "business_technical_alignment": 4,
    "data_obtainable": True,
    "output_users": "Operations analysts, in the weekly ride review.",
    "how_done_today": "Sort last week's rides by duration and read the top few hundred.",
    "wrong_prediction_cost": "A missed detour: a refund (~$35). A false flag: 5 minutes.",
    "heuristic_good_enough": False,
    "data_loop": True,
    "human_fallback": True,
}
# The data scientist is more doubtful about labels and the heuristic, and has not judged cost.
_DATA_SCIENTIST_ANSWERS = {
    **{k: v for k, v in _PM_ANSWERS.items() if k not in {"data_cost", "accuracy_needed"}},
    "labels_available": 1,
    "data_infrastructure": 2,
    "simple_objective": 5,
    "traditional_software_cheaper": 3,
    "heuristic_good_enough": None,
}


def _assessment(engine: Engine, project_id: int, actor: str) -> None:
    questions = load_question_bank()
    for rater, role, answers in (
        ("Priya N.", "Project manager", _PM_ANSWERS),
        ("Tomás R.", "Data scientist", _DATA_SCIENTIST_ANSWERS),
    ):
        assessment_service.save_answers(
            engine,
            project_id=project_id,
            rater=rater,
            role=role,
            answers=answers,
            expected_version=None,
            questions=questions,
            actor=actor,
        )
    assessment_service.save_snapshot(
        engine,
        project_id=project_id,
        questions=questions,
        weights=None,
        actor=actor,
        note="First pass in the planning meeting.",
    )


def _risks_and_notes(engine: Engine, project_id: int, actor: str) -> None:
    for risk in (
        {
            "title": "Trip summaries miss GPS gaps",
            "description": "Rides with GPS dropouts look like anomalies but are data errors.",
            "category": "data",
            "likelihood": 4,
            "impact": 3,
            "owner": "Sam O.",
            "mitigation": "Flag dropouts upstream; exclude rides with gaps over 2 minutes.",
        },
        {
            "title": "Operations ignores the flag",
            "description": "If analysts do not trust the flags they go back to sorting by hand.",
            "category": "adoption",
            "likelihood": 3,
            "impact": 4,
            "owner": "Priya N.",
            "mitigation": "Demo each feature to the dispatch lead; show why a ride is flagged.",
        },
    ):
        registers.create_risk(engine, project_id=project_id, data=risk, actor=actor)
    registers.create_note(
        engine,
        project_id=project_id,
        data={"kind": "open question", "text": "Who reviews flagged rides at weekends?"},
        actor=actor,
    )
    registers.create_note(
        engine,
        project_id=project_id,
        data={
            "kind": "assumption",
            "text": "Trip distance and duration are recorded for every completed ride.",
        },
        actor=actor,
    )


def _estimates(engine: Engine, project_id: int, actor: str) -> None:
    cost, value = estimate_service.starter_inputs()
    cost = replace(
        cost,
        minutes_per_run=Range(8, 12, 20),
        trials=30,
        folds=5,
        model_params=0,
        examples_to_label=2000,
        price_per_label_usd=Range(0.5, 0.8, 1.5),
        roles=(
            RoleEffort("Data scientist", 1, Range(6, 8, 12), 3000),
            RoleEffort("ML engineer", 1, Range(4, 6, 10), 3200),
            RoleEffort("Data engineer", 0.5, 4, 2900),
        ),
        peak_requests_per_second=1,
        min_replicas=1,
    )
    value = replace(
        value,
        population_per_month=120_000,
        prevalence=Range(0.005, 0.01, 0.02),
        precision=Range(0.4, 0.6, 0.7),
        recall=Range(0.5, 0.7, 0.8),
        benefit_tp_usd=Range(20, 35, 60),
        cost_fp_usd=4,
    )
    estimate_service.save_scenario(
        engine,
        project_id=project_id,
        name="Clustering MVP",
        notes="Classical clustering on trip summaries; one analyst reviews the flags.",
        cost_inputs=cost.to_dict(),
        value_inputs=value.to_dict(),
        actor=actor,
    )


def _experiments(engine: Engine, project_id: int, actor: str, today: date) -> None:
    common = {"owner": "Tomás R.", "metric_name": "precision@200", "baseline_value": 0.35}
    heuristic = experiment_service.create_experiment(
        engine,
        project_id=project_id,
        data={
            **common,
            "approach": "Distance-band heuristic (3× median time)",
            "hypothesis": "A rule per distance band finds most long rides at no model cost.",
            "success_criterion": "Precision@200 at least the analysts' 0.35 by hand",
            "start_date": _working_days_ago(today, 15),
            "research_days": 2,
            "prototype_days": 3,
        },
        actor=actor,
    )
    experiment_service.record_result(
        engine,
        experiment_id=heuristic.id,
        expected_version=heuristic.version,
        metric_name="precision@200",
        result_value=0.41,
        baseline_value=0.35,
        evidence_links=[],
        actor=actor,
    )
    clustering = experiment_service.create_experiment(
        engine,
        project_id=project_id,
        data={
            **common,
            "approach": "DBSCAN on distance and duration",
            "hypothesis": "Clusters of normal rides leave anomalies as noise points.",
            "success_criterion": "Precision@200 ≥ 0.6, beating the distance-band heuristic",
            "start_date": _working_days_ago(today, 6),
            "research_days": 4,
            "prototype_days": 4,
        },
        actor=actor,
    )
    experiment_service.set_status(
        engine,
        experiment_id=clustering.id,
        expected_version=clustering.version,
        status="researching",
        actor=actor,
    )
    experiment_service.create_experiment(
        engine,
        project_id=project_id,
        data={
            **common,
            "approach": "Isolation forest with time-of-day features",
            "owner": "Mei L.",
            "hypothesis": "Time of day explains most slow rides; the rest are anomalies.",
            "success_criterion": "Precision@200 ≥ 0.6 with fewer than 5 % night-time flags",
            "start_date": today,
            "research_days": 5,
            "prototype_days": 5,
        },
        actor=actor,
    )


def _demo_plan(engine: Engine, project_id: int, actor: str, today: date) -> None:
    for feature in (
        {
            "name": "Outlier flag in the analysis table",
            "estimate_days": 5,
            "owner": "Mei L.",
            "smes": "Dispatcher team lead",
        },
        {
            "name": "Why-flagged explanation",
            "estimate_days": 4,
            "owner": "Tomás R.",
            "smes": "Dispatcher team lead",
            "milestone": True,
        },
        {"name": "Weekly anomaly digest", "estimate_days": 3, "owner": "Sam O."},
    ):
        demo_service.create_feature(engine, project_id=project_id, data=feature, actor=actor)
    settings = demo_service.save_plan_settings(
        engine,
        project_id=project_id,
        expected_version=None,
        data={
            "start_date": today + timedelta(days=7),
            "model_testing_days": 5,
            "holidays": [],
            "max_undemoed_days": 10,
            "light_audience": "Priya N., Dispatcher team lead",
            "big_audience": "Head of Operations, Priya N., Dispatcher team lead",
        },
        actor=actor,
    )
    demo_service.accept_plan(
        engine, project_id=project_id, expected_version=settings.version, actor=actor
    )


def _interview(engine: Engine, project_id: int, actor: str, today: date) -> None:
    now = datetime.combine(today, time(9), tzinfo=UTC)
    link = interview_service.create_interview(
        engine,
        project_id=project_id,
        expert_name="Ana G.",
        expert_role="Dispatcher team lead",
        expert_team="Dispatch",
        template_id="sme_default",
        actor=actor,
        now=now,
    )
    interview_service.submit(
        engine,
        link.token,
        {
            "how_done_today": "Each Monday I export last week's rides, sort by duration and "
            "read the top 300. I check the map for the worst 20.",
            "decisions": "Whether a long ride needs a call to the driver; about 15 a week.",
            "cost_of_wrong_decision": "A missed detour costs a complaint and often a refund "
            "(about $35); a wrong call costs 10 minutes of a driver's goodwill.",
            "data_used": "Trip table in the warehouse (owned by Data Engineering), the map.",
            "exceptions": "Airport runs and road closures look long but are normal.",
            "success_for_you": "I review 50 flagged rides instead of reading 300.",
            "worries": "Flags without a reason: I will not trust a black box.",
        },
        now + timedelta(hours=2),
    )
