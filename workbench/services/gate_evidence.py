"""What the records already show about a project's gate items.

A gate item of `data/lifecycle.toml` may name the kind of record that satisfies it
(`evidence = "interview_submitted"`, see `workbench.domain.lifecycle.EVIDENCE_KINDS`). This
module looks for that record: a submitted SME interview, a saved verdict, the scenario chosen for
the report, a recorded Go/No-Go, … and says what it found in one sentence, with the page that
holds it. The Charter's checklist shows it beside the item (and offers to tick it); the report
lists it. Evidence never ticks an item by itself: people decide.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from workbench.domain.assessment import Verdict
from workbench.domain.lifecycle import Phase, PhaseGate
from workbench.errors import NotFound
from workbench.models import (
    AssessmentSnapshot,
    Demo,
    Experiment,
    Feature,
    GoNoGoDecision,
    Interview,
    InterviewStatus,
    Project,
    Scenario,
    Stakeholder,
    SuccessCriterion,
)
from workbench.reference.gates import default_gates

PAGES = {
    "charter": ("", ""),  # on the Charter itself: no link to the page one is on
    "interviews": ("pages/team/interviews.py", "Open SME interviews"),
    "assessment": ("pages/team/assessment.py", "Open Should we use ML?"),
    "estimates": ("pages/team/estimates.py", "Open Cost & value"),
    "experiments": ("pages/team/experiments.py", "Open Experiments"),
    "demos": ("pages/team/demos.py", "Open the demo plan"),
}
"""Where each kind of record lives: the page and the words of a link to it."""


@dataclass(frozen=True)
class Evidence:
    """What the records show about one gate item.

    Attributes:
        item_key: the gate item's key.
        kind: the kind of record that satisfies it (a key of EVIDENCE_KINDS).
        found: whether such a record exists.
        text: one plain sentence (it may hold people's words: render it as text), e.g.
            "SME interview of Dana submitted on 2026-11-20." or "No SME interview submitted yet."
        page: the page holding the record (a script path for a link); "" for the Charter's
            own fields (the checklist is on the Charter).
        link_label: the words of that link ("" without one).
    """

    item_key: str
    kind: str
    found: bool
    text: str
    page: str
    link_label: str


Finding = tuple[bool, str, str]  # found, sentence, page key


def _count(session: Session, statement) -> int:
    return int(session.exec(statement).one())


def _charter_text(field: str, words: str) -> Callable[[Session, Project], Finding]:
    def find(session: Session, project: Project) -> Finding:
        if (getattr(project, field) or "").strip():
            return True, f"The charter states {words}.", "charter"
        return False, f"The charter does not state {words} yet.", "charter"

    return find


def _why_now(session: Session, project: Project) -> Finding:
    if project.why_now.strip() and project.sponsor.strip():
        return True, f"The charter states why now; sponsor: {project.sponsor}.", "charter"
    missing = " and ".join(
        what
        for what, value in (("why now", project.why_now), ("a sponsor", project.sponsor))
        if not value.strip()
    )
    return False, f"The charter does not name {missing} yet.", "charter"


def _success_criteria(session: Session, project: Project) -> Finding:
    count = _count(
        session,
        select(func.count())
        .select_from(SuccessCriterion)
        .where(SuccessCriterion.project_id == project.id),
    )
    if count:
        return True, f"{count} success criteria, each tied to a business metric.", "charter"
    return False, "No success criteria on the charter yet.", "charter"


def _delivery_date(session: Session, project: Project) -> Finding:
    if project.target_delivery_date is not None:
        when = project.target_delivery_date.isoformat()
        return True, f"Target delivery date: {when}.", "charter"
    return False, "No target delivery date set yet.", "charter"


def _stakeholders(session: Session, project: Project) -> Finding:
    roles = session.exec(select(Stakeholder.role).where(Stakeholder.project_id == project.id)).all()
    if roles:
        named = sorted({str(getattr(role, "value", role)) for role in roles})
        return True, f"{len(roles)} stakeholders on the charter ({', '.join(named)}).", "charter"
    return False, "No stakeholders on the charter yet.", "charter"


def _interview(session: Session, project: Project) -> Finding:
    rows = session.exec(
        select(Interview)
        .where(Interview.project_id == project.id, Interview.status == InterviewStatus.SUBMITTED)
        .order_by(col(Interview.submitted_at).desc(), col(Interview.id).desc())
    ).all()
    if not rows:
        return False, "No SME interview submitted yet.", "interviews"
    latest = rows[0]
    when = f" on {latest.submitted_at:%Y-%m-%d}" if latest.submitted_at else ""
    more = f" ({len(rows)} submitted in all)" if len(rows) > 1 else ""
    return True, f"SME interview of {latest.expert_name} submitted{when}{more}.", "interviews"


def _verdict(session: Session, project: Project) -> Finding:
    row = session.exec(
        select(AssessmentSnapshot)
        .where(AssessmentSnapshot.project_id == project.id)
        .order_by(col(AssessmentSnapshot.saved_at).desc(), col(AssessmentSnapshot.id).desc())
    ).first()
    if row is None:
        return False, "No assessment saved yet.", "assessment"
    label = Verdict(row.verdict).label
    return (
        True,
        f"Verdict “{label}” saved on {row.saved_at:%Y-%m-%d} by {row.saved_by}.",
        "assessment",
    )


def _experiments(with_boxes: bool) -> Callable[[Session, Project], Finding]:
    def find(session: Session, project: Project) -> Finding:
        rows = session.exec(select(Experiment).where(Experiment.project_id == project.id)).all()
        if with_boxes:
            boxed = [e for e in rows if e.research_days > 0 or e.prototype_days > 0]
            if boxed:
                return (
                    True,
                    f"{len(boxed)} experiment(s) with research and prototype time boxes.",
                    "experiments",
                )
            return False, "No experiment with a time box yet.", "experiments"
        with_hypotheses = [e for e in rows if e.hypothesis.strip()]
        if with_hypotheses:
            return (
                True,
                f"{len(with_hypotheses)} candidate approach(es) listed with hypotheses.",
                "experiments",
            )
        return False, "No candidate approach listed with a hypothesis yet.", "experiments"

    return find


def _baseline_measured(session: Session, project: Project) -> Finding:
    rows = session.exec(
        select(Experiment).where(
            Experiment.project_id == project.id, col(Experiment.baseline_value).is_not(None)
        )
    ).all()
    if rows:
        return True, f"Baseline recorded on {len(rows)} experiment(s).", "experiments"
    return False, "No experiment records a baseline value yet.", "experiments"


def _boxes_decided(session: Session, project: Project) -> Finding:
    rows = session.exec(select(Experiment).where(Experiment.project_id == project.id)).all()
    if not rows:
        return False, "No experiments yet.", "experiments"
    open_boxes = [e for e in rows if not e.decision]
    if open_boxes:
        return (
            False,
            f"{len(open_boxes)} of {len(rows)} experiment(s) have no decision yet.",
            "experiments",
        )
    return True, f"All {len(rows)} experiment(s) ended in a decision.", "experiments"


def _scenario_chosen(session: Session, project: Project) -> Finding:
    chosen = (
        session.get(Scenario, project.report_scenario_id)
        if project.report_scenario_id is not None
        else None
    )
    if chosen is not None and chosen.project_id == project.id:
        return True, f"Scenario “{chosen.name}” is chosen for the report.", "estimates"
    saved = _count(
        session, select(func.count()).select_from(Scenario).where(Scenario.project_id == project.id)
    )
    if saved:
        return (
            False,
            f"{saved} scenario(s) saved, none chosen for the report yet.",
            "estimates",
        )
    return False, "No cost and value scenario saved yet.", "estimates"


def _features(session: Session, project: Project) -> Finding:
    count = _count(
        session, select(func.count()).select_from(Feature).where(Feature.project_id == project.id)
    )
    if count:
        return True, f"{count} MVP feature(s) on the demo plan.", "demos"
    return False, "No MVP features on the demo plan yet.", "demos"


def _go_no_go(session: Session, project: Project) -> Finding:
    row = session.exec(
        select(GoNoGoDecision)
        .where(GoNoGoDecision.project_id == project.id)
        .order_by(col(GoNoGoDecision.decided_at).desc(), col(GoNoGoDecision.id).desc())
    ).first()
    if row is None:
        return False, "No Go/No-Go decision recorded yet.", "experiments"
    decision = "Go" if row.go else "No-Go"
    return (
        True,
        f"{decision} recorded on {row.decided_at:%Y-%m-%d} by {row.decided_by}.",
        "experiments",
    )


def _demos(session: Session, project: Project) -> Finding:
    count = _count(
        session, select(func.count()).select_from(Demo).where(Demo.project_id == project.id)
    )
    if count:
        return True, f"{count} demo(s) held.", "demos"
    return False, "No demo held yet.", "demos"


FINDERS: Mapping[str, Callable[[Session, Project], Finding]] = {
    "charter_problem": _charter_text("problem", "the business problem"),
    "charter_why_now": _why_now,
    "charter_current_process": _charter_text("current_process", "how it is done today"),
    "success_criteria": _success_criteria,
    "charter_baseline": _charter_text("baseline", "the non-ML baseline"),
    "delivery_date": _delivery_date,
    "interview_submitted": _interview,
    "verdict_saved": _verdict,
    "stakeholders_named": _stakeholders,
    "experiments_listed": _experiments(with_boxes=False),
    "time_boxes_set": _experiments(with_boxes=True),
    "scenario_chosen": _scenario_chosen,
    "baseline_measured": _baseline_measured,
    "boxes_decided": _boxes_decided,
    "features_planned": _features,
    "go_no_go_recorded": _go_no_go,
    "demos_held": _demos,
}
"""How each kind of evidence is looked for: one finder per kind of EVIDENCE_KINDS."""


def _evidence(session: Session, project: Project, gate: PhaseGate) -> dict[str, Evidence]:
    found: dict[str, Evidence] = {}
    for item in gate.items:
        if not item.evidence:
            continue
        ok, text, where = FINDERS[item.evidence](session, project)
        page, label = PAGES[where]
        found[item.key] = Evidence(item.key, item.evidence, ok, text, page, label)
    return found


def gate_evidence(
    engine: Engine,
    project_id: int,
    phase: Phase,
    gates: Mapping[Phase, PhaseGate] | None = None,
) -> dict[str, Evidence]:
    """The evidence of each item of one phase's gate that names a kind of evidence, by key."""
    gates = gates or default_gates()
    with Session(engine) as session:
        project = session.get(Project, project_id)
        if project is None:
            raise NotFound(f"There is no project with id {project_id}.")
        return _evidence(session, project, gates[phase])


def evidence_by_phase(
    engine: Engine, project_id: int, gates: Mapping[Phase, PhaseGate] | None = None
) -> dict[Phase, dict[str, Evidence]]:
    """The evidence of every phase's gate items (for the report), in one session."""
    gates = gates or default_gates()
    with Session(engine) as session:
        project = session.get(Project, project_id)
        if project is None:
            raise NotFound(f"There is no project with id {project_id}.")
        return {phase: _evidence(session, project, gates[phase]) for phase in Phase}
