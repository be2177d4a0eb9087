"""Assemble everything the workbench knows about a project into a scoping report document."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time

from sqlalchemy.engine import Engine

from workbench.charts.assessment import drivers_figure
from workbench.charts.demos import demo_timeline
from workbench.charts.estimates import cost_breakdown, tornado
from workbench.charts.experiments import experiment_timeline
from workbench.domain.estimates import InvalidEstimateInput
from workbench.domain.lifecycle import Phase
from workbench.domain.money import format_usd
from workbench.errors import InvalidInput
from workbench.models import NoteKind
from workbench.reference.gates import default_gates
from workbench.reference.questions import load_question_bank
from workbench.reporting.document import (
    BulletList,
    Chart,
    KeyValues,
    Paragraph,
    ReportDocument,
    Section,
    empty,
    table,
)
from workbench.services import assessment as assessment_service
from workbench.services import demos as demo_service
from workbench.services import estimates as estimate_service
from workbench.services import experiments as experiment_service
from workbench.services import gate_evidence as gate_evidence_service
from workbench.services import interviews as interview_service
from workbench.services import parking_lot as parking_lot_service
from workbench.services import projects as project_service
from workbench.services import registers
from workbench.services.projects import ProjectDetail

Progress = Callable[[float, str], None]
DRIVERS_SHOWN = 8
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


def _range(result) -> str:
    return f"{format_usd(result.p10)} – {format_usd(result.p90)} (P50 {format_usd(result.p50)})"


def _estimates(engine: Engine, project_id: int) -> tuple[Section, str]:
    """The estimates section, and the one-line cost/value range for the summary.

    It shows the scenario chosen for the report on Cost & value (the page opens on the same
    one); with none chosen, the most recently saved one, and says so.
    """
    report = estimate_service.report_scenario(engine, project_id)
    scenario = report.scenario
    if scenario is None:
        return Section("Estimates", (empty("cost or value estimates"),)), ""
    try:
        cost_inputs, value_inputs = scenario.inputs()
        result = estimate_service.estimate(cost_inputs, value_inputs, seed=scenario.seed)
    except (InvalidEstimateInput, InvalidInput):  # stored before today's plausible bounds
        return (
            Section(
                "Estimates",
                (
                    Paragraph(report.sentence()),
                    Paragraph(
                        "Its inputs are outside today's plausible bounds, so its figures are "
                        "not shown: open it on Cost & value, fix the inputs marked there and "
                        "update it.",
                        emphasis=True,
                    ),
                ),
            ),
            "",
        )
    summary = result.summary
    horizon = f"{summary.horizon_months:g} months"
    how = "chosen for the report" if report.chosen else "the most recently saved; none chosen"
    pairs = (
        (
            "Scenario",
            f"{scenario.name} ({how}; saved {scenario.updated_at:%Y-%m-%d} by "
            f"{scenario.created_by}; seed {scenario.seed}, {summary.draws:,} draws)",
        ),
        (f"Total cost over {horizon}, likely", format_usd(result.cost.total_usd)),
        (f"Total cost over {horizon}, P10 – P90", _range(summary.total)),
        ("Net value per year, P10 – P90", _range(summary.net_value_per_year)),
        ("Break-even precision", f"{summary.break_even_precision:.3f}"),
        (
            "Payback",
            "never, at the likely values"
            if summary.payback_months is None
            else f"{summary.payback_months:.1f} months",
        ),
        ("Return on investment", "—" if summary.roi is None else f"{summary.roi:.0%}"),
    )
    if summary.training_gpu_hours.p90 > 0:  # a neural network is trained in this scenario
        pairs += (
            (
                "Training GPU-hours (one run), P10 – P90",
                f"{summary.training_gpu_hours.p10:,.0f} – {summary.training_gpu_hours.p90:,.0f}",
            ),
            (
                "Training CO2 (kg, one run), P10 – P90",
                f"{summary.training_co2_kg.p10:,.1f} – {summary.training_co2_kg.p90:,.1f}",
            ),
        )
    lines = table(
        ("Cost line", "Likely", "P10", "P90"),
        [
            (
                estimate_service.LINE_LABELS[line],
                format_usd(result.cost.lines_usd[line]),
                format_usd(summary.lines[line].p10),
                format_usd(summary.lines[line].p90),
            )
            for line in result.cost.lines_usd
        ],
    )
    blocks = [
        Paragraph(report.sentence()),
        KeyValues(pairs),
        lines,
        Chart(
            cost_breakdown(
                result.cost,
                result.cost_simulation,
                labels=estimate_service.LINE_LABELS,
                horizon_months=summary.horizon_months,
            ),
            "Cost by line at the likely values, with P10–P90 whiskers from the simulation.",
        ),
    ]
    if result.cost_tornado:
        blocks.append(
            Chart(
                tornado(result.cost_tornado),
                "Which input moves the total most: each ranged input at its low and high, "
                "the others at their likely values.",
            )
        )
    headline = (
        f"Estimated cost {format_usd(result.cost.total_usd)} likely, "
        f"{_range(summary.total)} over {horizon}; "
        f"net value {_range(summary.net_value_per_year)} per year "
        f"(scenario “{scenario.name}”"
        + (", chosen for the report)." if report.chosen else ", the latest saved; none chosen).")
    )
    return Section("Estimates", tuple(blocks)), headline


def _gates(engine: Engine, detail: ProjectDetail) -> Section:
    """Each gate up to the current phase: its items, ticked or not, and what the records show
    (the same evidence the Charter's checklist shows beside each item)."""
    gates = default_gates()
    evidence = gate_evidence_service.evidence_by_phase(engine, detail.project.id, gates)
    current = Phase(detail.project.phase)
    rows = []
    for phase in Phase:
        if phase.index > current.index:
            break
        done = detail.done_gate_items.get(phase, frozenset())
        for item in gates[phase].items:
            found = evidence[phase].get(item.key)
            shown = "—"
            if found is not None:
                shown = ("Evidence: " if found.found else "No evidence yet: ") + found.text
            rows.append((phase.label, item.text, "yes" if item.key in done else "no", shown))
    return Section(
        "Phase gates",
        (
            Paragraph(
                "Each gate item up to the current phase, whether the team ticked it, and the "
                "record that satisfies it when the workbench holds one."
            ),
            table(("Phase", "Gate item", "Ticked", "Evidence in the records"), rows),
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


def _experiments(engine: Engine, project_id: int, today: date) -> Section:
    views = experiment_service.list_experiments(engine, project_id, today)
    decisions = experiment_service.list_go_no_go(engine, project_id)
    if not views and not decisions:
        return Section("Experiments and time boxes", (empty("experiments"),))
    blocks: list = []
    if views:
        blocks.append(
            table(
                ("Approach", "Owner", "Status", "Box", "Burn", "Decision", "Result vs baseline"),
                [_experiment_row(v) for v in views],
            )
        )
        blocks.append(
            Chart(
                experiment_timeline(experiment_service.timeline_entries(views), today=today),
                "Time boxes: research then prototype on working days, extensions and overruns; "
                "today's line dashed.",
            )
        )
        due = [v.experiment.approach for v in views if v.due_decision]
        if due:
            blocks.append(Paragraph("Due a decision now: " + ", ".join(due) + "."))
    go_rows = [
        (
            d.decided_at.strftime("%Y-%m-%d"),
            "Go" if d.go else "No-Go",
            d.reasons,
            d.decided_by,
        )
        for d in decisions
    ]
    go_section = Section(
        "Go/No-Go",
        (table(("When", "Decision", "Reasons", "By"), go_rows),)
        if go_rows
        else (empty("Go/No-Go decision"),),
    )
    return Section("Experiments and time boxes", tuple(blocks), subsections=(go_section,))


def _experiment_row(view) -> tuple:
    e, box = view.experiment, view.time_box
    result = ""
    if e.result_value is not None:
        baseline = "" if e.baseline_value is None else f" vs baseline {e.baseline_value:g}"
        result = f"{e.metric_name or 'metric'} {e.result_value:g}{baseline}"
    decision = ""
    if e.decision:
        decision = f"{e.decision.value}: {e.decision_reason}".strip(": ")
    return (
        e.approach,
        e.owner,
        e.status.value,
        f"{box.first_day.isoformat()} → {box.overall_end.isoformat()}",
        f"{box.burn_percent:.0f} %",
        decision,
        result,
    )


def _parking_lot(engine: Engine, project_id: int, today: date) -> Section:
    listed = parking_lot_service.list_items(engine, project_id, today)
    if not listed:
        return Section("Parking lot", (empty("parked ideas"),))
    rows = []
    for row in listed:  # the parking lot's own rule says what is due (a date or a phase)
        item = row.item
        revisit = item.revisit_on.isoformat() if item.revisit_on else (item.revisit_phase or "")
        due = " (due)" if row.due else ""
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


def _score(value: float | None) -> str:
    return "not scored" if value is None else f"{value:.0f} / 100"


def _ml_fit(engine: Engine, project_id: int) -> tuple[Section, str]:
    """The verdict with the answers that drove it and the open questions; and its headline."""
    questions = load_question_bank()
    overview = assessment_service.assessment_overview(engine, project_id)
    open_items = assessment_service.open_questions(
        engine, project_id=project_id, questions=questions
    )
    notes = registers.list_notes(engine, project_id, NoteKind.ASSUMPTION)
    subsections = (
        Section(
            "Open questions",
            (
                BulletList(
                    tuple(f"{q.text}{' (critical)' if q.critical else ''}" for q in open_items)
                )
                if open_items
                else empty("open questions"),
            ),
        ),
        Section(
            "Assumptions",
            (BulletList(tuple(n.text for n in notes)) if notes else empty("assumptions"),),
        ),
    )
    if not overview.ratings:
        return (
            Section("Should we use ML?", (empty("assessment answers"),), subsections),
            "",
        )
    result = assessment_service.combined_result(overview.ratings, questions, overview.saved_weights)
    raters = ", ".join(f"{r.rater} ({r.role})" for r in overview.ratings)
    blocks: list = [
        KeyValues(
            (
                ("Verdict", result.verdict.label),
                ("Why", result.explanation.removeprefix(f"{result.verdict.label}: ")),
                ("Fit", _score(result.fit_score)),
                ("Impact", _score(result.impact_score)),
                ("Feasibility", _score(result.feasibility_score)),
                ("Answered by", raters),
            )
        )
    ]
    if result.hard_stops:
        blocks.append(Paragraph("Hard stops that fired:"))
        blocks.append(BulletList(tuple(f"{h.name}: {h.explanation}" for h in result.hard_stops)))
    if result.drivers:
        blocks.append(
            table(
                ("Answer that drove the verdict", "Answer", "For / against", "Points"),
                [
                    (d.text, d.answer, d.direction.value, f"{d.contribution:+.1f}")
                    for d in result.drivers[:DRIVERS_SHOWN]
                ],
            )
        )
        blocks.append(
            Chart(
                drivers_figure(result.drivers[:DRIVERS_SHOWN]),
                "What moved the fit score: each answer's contribution in points.",
            )
        )
    if result.conditions:
        blocks.append(Paragraph("Conditions:"))
        blocks.append(BulletList(tuple(c.text for c in result.conditions)))
    if result.disagreements:
        blocks.append(
            Paragraph(
                f"Raters disagree strongly on {len(result.disagreements)} question(s); "
                "see the assessment page."
            )
        )
    headline = (
        f"Should we use ML? {result.verdict.label} (fit {_score(result.fit_score)}, "
        f"impact {_score(result.impact_score)}, feasibility {_score(result.feasibility_score)})."
    )
    return Section("Should we use ML?", tuple(blocks), subsections), headline


def _demo_plan(engine: Engine, project_id: int, today: date) -> tuple[Section, str]:
    """The demo schedule section, and the next demo as the summary's next milestone."""
    view = demo_service.demo_plan(engine, project_id, today=today)
    if view.schedule is None and not view.features:
        return Section("Demo schedule", (empty("MVP features or demo plan"),)), ""
    blocks: list = []
    if view.schedule is None:
        blocks.append(Paragraph("Features are listed but the demo plan has no start date yet."))
    else:
        items = view.schedule.items
        blocks.append(
            Chart(
                demo_timeline(items, today=today, moved=view.moved),
                "Build blocks and demos on working days (today's line dashed).",
            )
        )
        blocks.append(
            table(
                ("Demo", "Date", "Type", "Audience", "Shows"),
                [
                    (
                        i.title,
                        i.start.isoformat(),
                        i.demo_type.value if i.demo_type else "",
                        ", ".join(i.audience),
                        i.shows,
                    )
                    for i in items
                    if i.kind.value == "demo"
                ],
            )
        )
        if view.moved:
            blocks.append(
                Paragraph(f"{len(view.moved)} item(s) moved since the accepted baseline.")
            )
    if view.undemoed:
        blocks.append(
            BulletList(
                tuple(
                    f"{u.feature} has gone {u.working_days_since} working days without a demo."
                    for u in view.undemoed
                )
            )
        )
    held = (
        table(
            ("Held on", "Demo", "Feedback", "Decisions"),
            [
                (
                    d.held_on.isoformat(),
                    d.title,
                    "; ".join(f"{f.attendee}: {f.feedback}" for f in d.feedback),
                    d.decisions,
                )
                for d in view.demos
            ],
        )
        if view.demos
        else empty("demos held")
    )
    milestone = (
        f"Next milestone: {view.upcoming[0].title} on {view.upcoming[0].start.isoformat()}."
        if view.upcoming
        else ""
    )
    section = Section("Demo schedule", tuple(blocks), subsections=(Section("Demos held", (held,)),))
    return section, milestone


def _interviews(engine: Engine, project_id: int, now: datetime) -> Section:
    interviews = interview_service.list_interviews(engine, project_id, now=now)
    if not interviews:
        return Section("Interview findings", (empty("SME interviews"),))
    blocks: list = [
        table(
            ("Expert", "Role", "Status", "Answered"),
            [
                (i.label, i.expert_role, i.status.value, f"{i.answered} of {len(i.questions)}")
                for i in interviews
            ],
        )
    ]
    rows = interview_service.answers_side_by_side(engine, project_id)
    if rows:
        experts = [column for column in rows[0] if column != "Question"]
        findings = [
            (row["Question"], expert, row[expert])
            for row in rows
            for expert in experts
            if row[expert].strip()
        ]
        blocks.append(
            table(("Question", "Expert", "Answer"), findings)
            if findings
            else empty("answers in submitted interviews")
        )
    else:
        blocks.append(empty("submitted interview answers"))
    uncovered = [c.text for c in interview_service.coverage(engine, project_id) if not c.covered]
    if uncovered:
        blocks.append(Paragraph("Critical questions no expert has answered yet:"))
        blocks.append(BulletList(tuple(uncovered)))
    return Section("Interview findings", tuple(blocks))


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


def _summary(detail: ProjectDetail, headlines: dict[str, str]) -> Section:
    p = detail.project
    parts = [f"{p.name}: {p.problem or 'the business problem is not written down yet.'}"]
    if p.why_now:
        parts.append(f"Why now: {p.why_now}")
    parts.append(f"The project is in {Phase(p.phase).label}.")
    for key in ("verdict", "cost"):
        if headlines.get(key):
            parts.append(headlines[key])
    if headlines.get("milestone"):
        parts.append(headlines["milestone"])
    elif p.target_delivery_date:
        parts.append(f"Next milestone: target delivery on {p.target_delivery_date.isoformat()}.")
    return Section("Summary", (Paragraph(" ".join(parts)),))


def build_report(
    engine: Engine, project_id: int, *, today: date, progress: Progress | None = None
) -> ReportDocument:
    """The scoping report of one project, section by section (`progress` hears each step).

    Sections come in the order sponsors read them; the summary, written last from what the
    other sections found, goes first.
    """
    now = datetime.combine(today, time(12), tzinfo=UTC)
    detail = project_service.get_project(engine, project_id)
    headlines: dict[str, str] = {}

    def ml_fit() -> Section:
        section, headlines["verdict"] = _ml_fit(engine, project_id)
        return section

    def estimates() -> Section:
        section, headlines["cost"] = _estimates(engine, project_id)
        return section

    def demo_plan() -> Section:
        section, headlines["milestone"] = _demo_plan(engine, project_id, today)
        return section

    steps: list[tuple[str, Callable[[], Section]]] = [
        ("charter", lambda: _charter(detail)),
        ("ML-fit verdict", ml_fit),
        ("estimates", estimates),
        ("risks", lambda: _risks(engine, project_id)),
        ("experiments", lambda: _experiments(engine, project_id, today)),
        ("parking lot", lambda: _parking_lot(engine, project_id, today)),
        ("demo schedule", demo_plan),
        ("interview findings", lambda: _interviews(engine, project_id, now)),
        ("phase gates", lambda: _gates(engine, detail)),
        ("decision log", lambda: _decision_log(engine, project_id)),
    ]
    sections = []
    for index, (label, build) in enumerate(steps):
        if progress:
            progress(index / (len(steps) + 1), f"Gathering {label}…")
        sections.append(build())
    sections.insert(0, _summary(detail, headlines))
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
