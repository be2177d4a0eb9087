"""Demo data: three example projects drawn from the source notes, for a first start.

Seeding writes only into a database that holds no project at all, so it can run on every start.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from workbench.demo_data.workspace import seed_ride_time_workspace
from workbench.domain.lifecycle import Phase
from workbench.models import Project
from workbench.services import projects as project_service

SEED_ACTOR = "Demo data"


def demo_projects(today: date) -> list[dict]:
    """The demo projects, with delivery dates set relative to `today`."""
    return [
        {
            "data": {
                "name": "Ride-time anomaly detection",
                "problem": (
                    "Flag taxi rides whose duration or distance is unusual, so that the operations "
                    "team can investigate long or inconsistent journeys. The flag appears as a new "
                    "field in the main table of the internal analysis tool."
                ),
                "why_now": (
                    "Customer retention fell after complaints about inconsistent ride times; the "
                    "company wants consistent journeys to win return business."
                ),
                "current_process": (
                    "Operations analysts sort last week's rides by duration in a spreadsheet and "
                    "read the longest few hundred by hand; most anomalies are never looked at."
                ),
                "affected": "Operations team, drivers, riders; the customer-experience team.",
                "minimum_useful_performance": "Precision ≥ 0.6 on the top 200 flags a week",
                "baseline": (
                    "Flag rides longer than 3× the median time for their distance band "
                    "(a rule an analyst can write in SQL)."
                ),
                "sponsor": "Head of Operations",
                "owner": "Priya N. (PM)",
                "target_delivery_date": today + timedelta(days=120),
            },
            "criteria": [
                {
                    "criterion": "Analysts review flagged rides instead of sorting by hand",
                    "business_metric": "Analyst hours per week on ride review",
                    "target": "−50 %",
                },
                {
                    "criterion": "Investigated anomalies lead to fixes",
                    "business_metric": "Share of rides over 1.5× expected time",
                    "target": "−20 % in two quarters",
                },
            ],
            "stakeholders": [
                {"name": "Head of Operations", "role": "Business sponsor"},
                {"name": "Priya N.", "role": "Project manager"},
                {"name": "Tomás R.", "role": "Data scientist"},
                {"name": "Mei L.", "role": "ML engineer"},
                {"name": "Sam O.", "role": "Data engineer"},
                {"name": "Dispatcher team lead", "role": "Subject-matter expert"},
            ],
            "gate": (Phase.PLANNING, ["problem_stated", "why_agreed", "current_process"]),
            "move_to": Phase.SCOPING,
            "workspace": seed_ride_time_workspace,
        },
        {
            "data": {
                "name": "Website purchase recommendations",
                "problem": (
                    "Recommend products to customers on the company website so that they find "
                    "items they want to buy; the recommendations must make sense to marketing."
                ),
                "why_now": (
                    "Executives see competitors' recommendation widgets lifting basket size and "
                    "want the same this year."
                ),
                "current_process": (
                    "Marketing hand-curates 'you may also like' lists per category, refreshed "
                    "monthly; product IDs differ between divisions."
                ),
                "affected": "Website customers, marketing, merchandising, the web team.",
                "minimum_useful_performance": "Click-through on recommendations ≥ 2 %",
                "baseline": "Show the category's best sellers of the last 30 days.",
                "sponsor": "VP Marketing",
                "owner": "Alex K. (PM)",
                "target_delivery_date": today + timedelta(days=200),
            },
            "criteria": [
                {
                    "criterion": "Recommendations lift what customers buy",
                    "business_metric": "Average order value",
                    "target": "+3 % in an A/B test",
                },
                {
                    "criterion": "Marketing understands and trusts the recommendations",
                    "business_metric": "Share of demo reviewers who approve",
                    "target": "≥ 80 %",
                },
            ],
            "stakeholders": [
                {"name": "VP Marketing", "role": "Business sponsor"},
                {"name": "Alex K.", "role": "Project manager"},
                {"name": "Jordan P.", "role": "Data scientist"},
                {"name": "Lee C.", "role": "ML engineer"},
                {"name": "Merchandising analyst", "role": "Subject-matter expert"},
            ],
            "gate": (Phase.PLANNING, ["problem_stated", "why_agreed"]),
            "move_to": None,
        },
        {
            "data": {
                "name": "Energy price anomaly detection",
                "problem": (
                    "Detect anomalies in energy pricing signals and forecast consumption so that "
                    "traders react to unusual prices within minutes."
                ),
                "why_now": (
                    "Price volatility doubled this year; two missed spikes cost more than the "
                    "project's whole budget."
                ),
                "current_process": (
                    "Traders watch dashboards with static thresholds set per market; thresholds "
                    "are updated quarterly."
                ),
                "affected": "Energy traders, risk managers, the grid-operations desk.",
                "minimum_useful_performance": "Recall ≥ 0.8 on 3σ spikes, ≤ 5 false alarms/day",
                "baseline": "Static thresholds per market plus a 7-day rolling z-score.",
                "sponsor": "Chief Risk Officer",
                "owner": "Dana W. (PM)",
                "target_delivery_date": today + timedelta(days=90),
            },
            "criteria": [
                {
                    "criterion": "Spikes are caught before they cost money",
                    "business_metric": "Losses from unhedged price spikes per quarter",
                    "target": "−30 %",
                },
                {
                    "criterion": "Alerts stay trusted",
                    "business_metric": "False alarms per trader per day",
                    "target": "≤ 5",
                },
            ],
            "stakeholders": [
                {"name": "Chief Risk Officer", "role": "Business sponsor"},
                {"name": "Dana W.", "role": "Project manager"},
                {"name": "Ravi S.", "role": "Data scientist"},
                {"name": "Ola B.", "role": "MLOps engineer"},
                {"name": "Senior trader", "role": "Subject-matter expert"},
            ],
            "gate": (
                Phase.PLANNING,
                [
                    "problem_stated",
                    "why_agreed",
                    "current_process",
                    "success_metrics",
                    "baseline_named",
                    "delivery_date",
                ],
            ),
            "move_to": Phase.SCOPING,
        },
    ]


def seed_demo_data(engine: Engine, *, today: date) -> int:
    """Add the demo projects when the database holds no project; return how many were added."""
    with Session(engine) as session:
        if session.exec(select(func.count()).select_from(Project)).one():
            return 0
    for demo in demo_projects(today):
        project = project_service.create_project(
            engine,
            data=demo["data"],
            actor=SEED_ACTOR,
            today=today,
            criteria=demo["criteria"],
            stakeholders=demo["stakeholders"],
        )
        phase, keys = demo["gate"]
        project_service.set_gate_items(
            engine, project_id=project.id, phase=phase, check=keys, actor=SEED_ACTOR
        )
        if demo["move_to"] is not None:
            project_service.move_phase(
                engine,
                project_id=project.id,
                expected_version=project.version,
                target=demo["move_to"],
                actor=SEED_ACTOR,
                note="Planning meeting held with the sponsor; open items carried into scoping.",
            )
        if "workspace" in demo:
            demo["workspace"](engine, project_id=project.id, actor=SEED_ACTOR, today=today)
    return len(demo_projects(today))
