"""Assemble everything the workbench knows about a project into a scoping report document."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.engine import Engine

from workbench.domain.lifecycle import Phase
from workbench.models import NoteKind
from workbench.reporting.document import (
    BulletList,
    KeyValues,
    Paragraph,
    ReportDocument,
    Section,
    empty,
    table,
)
from workbench.services import projects as project_service
from workbench.services import registers
from workbench.services.projects import ProjectDetail

Progress = Callable[[float, str], None]
DECISION_LOG_LIMIT = 200


def _charter(detail: ProjectDetail) -> Section:
    p = detail.project
    pairs = (
        ("What (business problem)", p.problem or "—"),
        ("Why now", p.why_now or "—"),
        ("How it is done today", p.current_process or "—"),
        ("Who is affected", p.affected or "—"),
        ("Minimum useful performance", p.minimum_useful_performance or "—"),
        ("Non-ML baseline to beat", p.baseline or "—"),
        ("Sponsor", p.sponsor or "—"),
        ("Owner", p.owner or "—"),
        ("Target delivery", p.target_delivery_date.isoformat() if p.target_delivery_date else "—"),
        ("Phase", Phase(p.phase).label),
    )
    criteria = (
        table(
            ("Success criterion", "Business metric (KPI)", "Target"),
            [(c.criterion, c.business_metric, c.target) for c in detail.criteria],
        )
        if detail.criteria
        else empty("success criteria")
    )
    stakeholders = (
        table(
            ("Name", "Role", "Contact"),
            [(s.name, s.role.value, s.contact) for s in detail.stakeholders],
        )
        if detail.stakeholders
        else empty("stakeholders")
    )
    return Section(
        "Charter",
        (KeyValues(pairs),),
        subsections=(
            Section("Success criteria and business metrics", (criteria,)),
            Section("Stakeholders", (stakeholders,)),
        ),
    )


def _risks(engine: Engine, project_id: int) -> Section:
    risks = registers.list_risks(engine, project_id)
    if not risks:
        return Section("Risks", (empty("risks"),))
    return Section(
        "Risks",
        (
            table(
                ("Risk", "Likelihood", "Impact", "Exposure", "Owner", "Mitigation", "Status"),
                [
                    (
                        r.title,
                        r.likelihood,
                        r.impact,
                        r.likelihood * r.impact,
                        r.owner,
                        r.mitigation,
                        r.status.value,
                    )
                    for r in risks
                ],
            ),
        ),
    )


def _parking_lot(engine: Engine, project_id: int, today: date) -> Section:
    items = registers.list_parking_lot(engine, project_id)
    if not items:
        return Section("Parking lot", (empty("parked ideas"),))
    rows = []
    for item in items:
        revisit = item.revisit_on.isoformat() if item.revisit_on else (item.revisit_phase or "")
        due = " (due)" if item.revisit_on and item.revisit_on <= today else ""
        rows.append(
            (
                item.idea,
                item.raised_by,
                item.source_label or item.source_kind.value,
                item.why_deferred,
                f"{item.value} / {item.effort}",
                revisit + due,
                item.status.value,
            )
        )
    return Section(
        "Parking lot",
        (
            table(
                (
                    "Idea",
                    "Raised by",
                    "From",
                    "Why deferred",
                    "Value / effort",
                    "Revisit",
                    "Status",
                ),
                rows,
            ),
        ),
    )


def _open_questions(engine: Engine, project_id: int) -> Section:
    notes = registers.list_notes(engine, project_id)
    questions = [n.text for n in notes if n.kind == NoteKind.OPEN_QUESTION and not n.resolved]
    assumptions = [n.text for n in notes if n.kind == NoteKind.ASSUMPTION]
    blocks = []
    blocks.append(BulletList(tuple(questions)) if questions else empty("open questions"))
    return Section(
        "Open questions",
        tuple(blocks),
        subsections=(
            Section(
                "Assumptions",
                (BulletList(tuple(assumptions)) if assumptions else empty("assumptions"),),
            ),
        ),
    )


def _decision_log(engine: Engine, project_id: int) -> Section:
    entries = project_service.list_activity(engine, project_id, limit=DECISION_LOG_LIMIT)
    if not entries:
        return Section("Decision log", (empty("decisions"),))
    rows = [
        (e.at.strftime("%Y-%m-%d %H:%M"), e.actor, e.action, e.summary) for e in reversed(entries)
    ]
    blocks = [table(("When (UTC)", "Who", "What", "Details"), rows)]
    if len(entries) == DECISION_LOG_LIMIT:
        blocks.append(Paragraph(f"Showing the newest {DECISION_LOG_LIMIT} entries.", True))
    return Section("Decision log", tuple(blocks))


def _summary(detail: ProjectDetail) -> Section:
    p = detail.project
    parts = [f"{p.name}: {p.problem or 'the business problem is not written down yet.'}"]
    if p.why_now:
        parts.append(f"Why now: {p.why_now}")
    parts.append(f"The project is in {Phase(p.phase).label}.")
    if p.target_delivery_date:
        parts.append(f"Target delivery: {p.target_delivery_date.isoformat()}.")
    return Section("Summary", (Paragraph(" ".join(parts)),))


def build_report(
    engine: Engine, project_id: int, *, today: date, progress: Progress | None = None
) -> ReportDocument:
    """The scoping report of one project, section by section (`progress` hears each step)."""
    steps: list[tuple[str, Callable[[], Section]]] = []
    detail = project_service.get_project(engine, project_id)
    steps = [
        ("Summary", lambda: _summary(detail)),
        ("Charter", lambda: _charter(detail)),
        ("Risks", lambda: _risks(engine, project_id)),
        ("Parking lot", lambda: _parking_lot(engine, project_id, today)),
        ("Open questions", lambda: _open_questions(engine, project_id)),
        ("Decision log", lambda: _decision_log(engine, project_id)),
    ]
    sections = []
    for index, (label, build) in enumerate(steps):
        if progress:
            progress(index / len(steps), f"Gathering {label.lower()}…")
        sections.append(build())
    if progress:
        progress(1.0, "Report assembled.")
    log = project_service.list_activity(engine, project_id, limit=1)
    version = f"v{detail.project.version}" + (f"-r{log[0].id}" if log else "")
    return ReportDocument(
        title=f"Scoping report — {detail.project.name}",
        project_name=detail.project.name,
        generated_on=today.isoformat(),
        data_version=version,
        sections=tuple(sections),
    )
