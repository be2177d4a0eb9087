"""AppTest: one story on every page — what the pages show agrees with the report, and every
number can be trusted in front of a sponsor.

Each test names the fault it guards against; every one of them failed on the code before:
the Cost & value page opened on the built-in defaults while the report used the latest saved
scenario (nothing said which was which), a likely value moved outside its range hid every
result, 1e300 was taken as a price, the tornado listed MFU for a classical-ML estimate, the
portfolio chart put a "try simpler first" project in the green Quick wins with no word, gate
checklists ignored the records that satisfy them, an empty assessment showed a verdict, and
the page icon was fetched from a font service.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session

from tests.dates import TODAY
from tests.ui.helpers import by_label, click
from workbench.charts.assessment import DISAGREEMENT_NOTE
from workbench.db import make_engine
from workbench.domain.assessment import Verdict
from workbench.domain.estimates import Range
from workbench.domain.lifecycle import EVIDENCE_KINDS, Phase
from workbench.models import AssessmentSnapshot, Interview, InterviewStatus
from workbench.reporting.formats import render
from workbench.services import estimates as svc
from workbench.services import gate_evidence as evidence_service
from workbench.services import projects as project_service
from workbench.services.report import build_report

ESTIMATES = "pages/team/estimates.py"
CHARTER = "pages/team/charter.py"
ASSESSMENT = "pages/team/assessment.py"
NOON = datetime.combine(TODAY, datetime.min.time(), tzinfo=UTC).replace(hour=12)


# --- helpers ----------------------------------------------------------------------------------


def metric(at, label: str) -> str:
    return by_label(at.metric, label).value


def dollars(text: str) -> float:
    return float(text.replace("$", "").replace(",", ""))


def unescaped(text: str) -> str:
    """Markdown shown to people, without the escapes that keep their words literal."""
    return re.sub(r"\\(.)", r"\1", text)


def shown(at) -> str:
    """Every message, caption and markdown on the page, as people read it."""
    parts = [*at.success, *at.info, *at.warning, *at.error, *at.caption, *at.markdown]
    return " ".join(unescaped(part.value) for part in parts)


def chart(at, title_start: str) -> dict:
    for element in at.get("plotly_chart"):
        figure = json.loads(element.proto.spec)
        title = (figure["layout"].get("title") or {}).get("text", "")
        if title.startswith(title_start):
            return figure
    raise AssertionError(f"no chart titled {title_start!r}")


def new_project(url: str, name: str = "Churn model"):
    engine = make_engine(url)
    project = project_service.create_project(
        engine, data={"name": name}, actor="Seeder", today=TODAY
    )
    engine.dispose()
    return project


def save(engine, project_id: int, name: str, price: float):
    cost, value = svc.starter_inputs()
    return svc.save_scenario(
        engine,
        project_id=project_id,
        name=name,
        cost_inputs=cost.to_dict() | {"price_per_gpu_hour_usd": price},
        value_inputs=value.to_dict(),
        actor="Bo",
    )


def report_markdown(url: str, project_id: int) -> str:
    engine = make_engine(url)
    md = render(build_report(engine, project_id, today=TODAY), "md").decode()
    engine.dispose()
    return md


def report_total(md: str) -> str:
    [line] = [
        line for line in md.splitlines() if line.startswith("| Total cost over 12 months, likely |")
    ]
    return line.split("|")[2].strip()


# --- 1. Cost & value opens on the report's scenario -------------------------------------------


@pytest.fixture
def chosen(app_db):
    """A project with two scenarios; the older one, not the latest, chosen for the report."""
    project = new_project(app_db)
    engine = make_engine(app_db)
    chosen = save(engine, project.id, "Base case", price=2.0)
    save(engine, project.id, "Pricey GPUs", price=9.0)  # the most recently saved
    svc.choose_report_scenario(
        engine, project_id=project.id, scenario_id=chosen.id, expected_current=None, actor="Bo"
    )
    engine.dispose()
    return project, chosen


def test_cost_and_value_opens_on_the_scenario_the_report_uses_by_name(open_app, app_db, chosen):
    """It opened on the built-in defaults ($84,270) while the report showed another scenario."""
    project, scenario = chosen
    at = open_app(ESTIMATES, project=project.id)
    headline = metric(at, "Total cost, likely")
    assert dollars(headline) == pytest.approx(scenario.results.total.likely, abs=1.0)
    assert headline == report_total(report_markdown(app_db, project.id))  # the same number
    text = shown(at)
    assert "The report uses the scenario **Base case** (chosen for the report)." in text
    assert "The figures below are the report's." in text
    assert by_label(at.number_input, "Price per GPU-hour (USD)").value == 2.0


def test_the_defaults_are_one_click_away_and_the_page_says_they_are_not_the_reports(
    open_app, chosen
):
    project, scenario = chosen
    at = open_app(ESTIMATES, project=project.id)
    click(at, "Start over from the defaults")
    assert by_label(at.number_input, "Price per GPU-hour (USD)").value == 5.12
    assert "The figures below are the built-in defaults, not the report's." in shown(at)
    click(at, "Open the report's scenario")
    assert by_label(at.number_input, "Price per GPU-hour (USD)").value == 2.0
    assert dollars(metric(at, "Total cost, likely")) == pytest.approx(
        scenario.results.total.likely, abs=1.0
    )


def test_choosing_the_reports_scenario_is_an_explicit_logged_click(open_app, app_db, chosen):
    project, _ = chosen
    engine = make_engine(app_db)
    pricey = next(s for s in svc.list_scenarios(engine, project.id) if s.name == "Pricey GPUs")
    at = open_app(ESTIMATES, project=project.id)
    by_label(at.selectbox, "Saved scenario").set_value(pricey.id).run()
    click(at, "Load")
    assert "The figures below are the scenario “Pricey GPUs”, not the report's." in shown(at)
    click(at, "Use this scenario for the report")
    assert any(s.value == "The report now uses this scenario." for s in at.success)
    detail = project_service.get_project(engine, project.id)
    assert detail.project.report_scenario_id == pricey.id
    log = project_service.list_activity(engine, project.id)
    assert (log[0].action, log[0].actor) == ("report scenario chosen", "Ann")
    engine.dispose()
    assert "Scenario “Pricey GPUs”, chosen for the report." in report_markdown(app_db, project.id)
    assert not [b for b in at.button if b.label == "Use this scenario for the report"]


def test_with_none_chosen_the_page_and_the_report_say_which_scenario_they_show(open_app, app_db):
    project = new_project(app_db)
    engine = make_engine(app_db)
    save(engine, project.id, "Base case", price=2.0)
    latest = save(engine, project.id, "Pricey GPUs", price=9.0)
    engine.dispose()
    at = open_app(ESTIMATES, project=project.id)
    assert "No scenario is chosen for the report: it shows the most recently saved one, " in (
        shown(at)
    )
    assert dollars(metric(at, "Total cost, likely")) == pytest.approx(
        latest.results.total.likely, abs=1.0
    )
    md = report_markdown(app_db, project.id)
    assert "Scenario “Pricey GPUs”, the most recently saved one: no scenario is chosen" in md
    assert report_total(md) == metric(at, "Total cost, likely")


# --- 2. Inputs keep results visible; plausible bounds -----------------------------------------


@pytest.fixture
def estimates(open_app, app_db):
    project = new_project(app_db)
    return open_app(ESTIMATES, project=project.id), project


def test_a_likely_value_outside_its_range_widens_the_range_and_says_so(estimates):
    """Moving MFU's likely value above its default range (0.2–0.45) hid every result."""
    at, _ = estimates
    by_label(at.number_input, "MFU").set_value(0.6).run()
    assert not at.exception
    assert "Range widened to 0.2 – 0.6 to include the likely value 0.6." in shown(at)
    assert by_label(at.number_input, "MFU: high").value == 0.6
    assert by_label(at.number_input, "MFU: low").value == 0.2
    assert not any("Some inputs need fixing" in w.value for w in at.warning)
    assert dollars(metric(at, "Total cost, likely")) > 0


def test_a_likely_value_in_the_people_table_outside_its_range_widens_it(estimates):
    at, _ = estimates
    key = next(d.key for d in at.data_editor if "roles:editor" in (d.key or ""))
    at.session_state[key] = {
        "edited_rows": {0: {"weeks": 30.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert "Data scientist: weeks range widened to 8 – 30 to include the likely value 30." in (
        shown(at)
    )
    assert dollars(metric(at, "Total cost, likely")) > 0


def test_an_absurd_magnitude_is_not_taken_and_every_input_says_its_bound(estimates):
    """1e300 was taken as a price: 300-digit dollar figures on the page and in the report."""
    at, project = estimates
    price = by_label(at.number_input, "Price per GPU-hour (USD)")
    assert price.max == 1000
    assert "no GPU rents for more than $1,000 an hour" in price.help
    price.set_value(1e300).run()  # the browser refuses it at the field; the server too
    assert by_label(at.number_input, "Price per GPU-hour (USD)").value <= 1000
    assert len(metric(at, "Total cost, likely")) < 15
    for widget in at.number_input:
        if widget.key.startswith(
            (f"est{project.id}:cost.", f"est{project.id}:value.")
        ) and not widget.label.endswith((": low", ": high")):
            assert widget.max is not None, widget.label  # every model input is bounded
            assert "Valid: must be" in widget.help, widget.label


# --- 3. Charts show what applies; the portfolio's quadrants agree with the verdict ------------


def test_the_tornado_of_a_classical_estimate_lists_no_gpu_input(estimates):
    """MFU (a GPU input) was listed in the tornado of a classical-ML estimate."""
    at, project = estimates
    by_label(at.radio, "What is trained").set_value("classical").run()
    at.toggle(key=f"est{project.id}:cost.trials:ranged").set_value(True).run()
    by_label(at.number_input, "Classical trials: high").set_value(40.0).run()
    bars = chart(at, "What moves total cost most")["data"][0]["y"]
    assert "Classical trials" in bars
    assert "MFU" not in bars and "GPUs" not in bars


def _snapshot(url: str, project_id: int, verdict: Verdict, impact: float, feasibility: float):
    engine = make_engine(url)
    with Session(engine) as session:
        session.add(
            AssessmentSnapshot(
                project_id=project_id,
                saved_by="Ann",
                saved_at=NOON,
                verdict=verdict.value,
                fit_score=45.0,
                impact_score=impact,
                feasibility_score=feasibility,
            )
        )
        session.commit()
    engine.dispose()


def test_the_portfolio_marks_a_quick_win_whose_verdict_says_try_simpler_first(open_app, app_db):
    """The point sat in the green Quick wins like any other, verdict and position disagreeing."""
    simple = new_project(app_db, "Ticket routing")
    fits = new_project(app_db, "Churn model")
    _snapshot(app_db, simple.id, Verdict.TRY_SIMPLER_FIRST, impact=80, feasibility=75)
    _snapshot(app_db, fits.id, Verdict.ML_FITS, impact=85, feasibility=70)
    at = open_app()
    [figure] = [json.loads(e.proto.spec) for e in at.get("plotly_chart")]
    hollow = [t for t in figure["data"] if t.get("marker", {}).get("symbol") == "circle-open"]
    assert [t["text"] for t in hollow] == [["Ticket routing"]]
    assert any("the verdict comes first" in a["text"] for a in figure["layout"]["annotations"])
    assert any(DISAGREEMENT_NOTE in c.value for c in at.caption)


# --- 4. Gate items know their evidence ----------------------------------------------------------


def _scoping_project_with_records(url: str):
    """A project in Scoping with a submitted interview, a saved verdict and a chosen scenario."""
    project = new_project(url, "Evidence project")
    engine = make_engine(url)
    project_service.move_phase(
        engine,
        project_id=project.id,
        expected_version=project.version,
        target=Phase.SCOPING,
        actor="Ann",
        note="planning done elsewhere",
    )
    scenario = save(engine, project.id, "Base case", price=2.0)
    svc.choose_report_scenario(
        engine, project_id=project.id, scenario_id=scenario.id, expected_current=None, actor="Ann"
    )
    engine.dispose()
    _snapshot(url, project.id, Verdict.ML_FITS, impact=80, feasibility=70)
    engine = make_engine(url)
    with Session(engine) as session:
        session.add(
            Interview(
                project_id=project.id,
                expert_name="Dana *Ops*",
                template_id="generic",
                token_hash="x" * 64,
                status=InterviewStatus.SUBMITTED,
                created_by="Ann",
                submitted_at=NOON,
            )
        )
        session.commit()
    engine.dispose()
    return project


def test_the_gate_checklist_shows_each_items_evidence_with_a_link_and_offers_to_tick_it(
    open_app, app_db
):
    """A submitted interview, a saved verdict and a chosen scenario left their gate items
    unticked and silent."""
    project = _scoping_project_with_records(app_db)
    at = open_app(CHARTER, project=project.id)
    captions = " ".join(
        unescaped(c.value)
        .replace(":green[**Evidence:**]", "Evidence:")
        .replace(":gray[No evidence yet:]", "No evidence yet:")
        for c in at.caption
    )
    assert f"Evidence: SME interview of Dana *Ops* submitted on {TODAY:%Y-%m-%d}." in captions
    assert "Evidence: Verdict “ML fits” saved on" in captions
    assert "Evidence: Scenario “Base case” is chosen for the report." in captions
    assert "No evidence yet: No candidate approach listed with a hypothesis yet." in captions
    assert "\\*Ops\\*" in " ".join(c.value for c in at.caption)  # the name stays literal
    links = {link.proto.label for link in at.get("page_link")}
    assert {"Open SME interviews", "Open Should we use ML?", "Open Cost & value"} <= links

    click(at, "Tick the 3 item(s) the records show")
    assert "press Save checklist to record them" in " ".join(i.value for i in at.info)
    ticked = {c.label for c in at.checkbox if c.value}
    assert ticked == {
        "Subject-matter experts have been interviewed",
        "The should-we-use-ML assessment has a verdict",
        "A cost and value estimate exists, with ranges",
    }
    click(at, "Save checklist")
    engine = make_engine(app_db)
    done = project_service.get_project(engine, project.id).done_gate_items[Phase.SCOPING]
    engine.dispose()
    assert done == {"sme_interviews", "ml_fit", "cost_estimate"}
    assert not [b for b in at.button if b.label.startswith("Tick the ")]


def test_every_kind_of_evidence_has_a_finder_and_a_go_no_go_is_found(app_db):
    assert set(evidence_service.FINDERS) == set(EVIDENCE_KINDS)
    project = new_project(app_db, "Go project")
    engine = make_engine(app_db)
    from workbench.services import experiments as experiment_service

    experiment_service.record_go_no_go(
        engine,
        project_id=project.id,
        expected_project_version=project.version,
        go=False,
        selected_experiment_id=None,
        reasons="No approach beat the baseline.",
        actor="Ann",
    )
    found = evidence_service.gate_evidence(engine, project.id, Phase.EXPERIMENTATION)
    engine.dispose()
    assert found["go_no_go"].found
    assert found["go_no_go"].text.startswith("No-Go recorded on ")
    assert found["go_no_go"].page == "pages/team/experiments.py"


# --- 5. No verdict before any answer ------------------------------------------------------------


def test_an_empty_assessment_shows_no_verdict_and_says_what_to_do_first(open_app, app_db):
    """It showed "Try a simpler non-ML solution first" before anyone had answered."""
    project = new_project(app_db)
    at = open_app(ASSESSMENT, project=project.id)
    alerts = [a.value for a in [*at.success, *at.info, *at.warning, *at.error]]
    assert not any(Verdict.TRY_SIMPLER_FIRST.label in alert for alert in alerts)
    assert any(
        "No verdict yet: nobody has answered" in a and "What to do first" in a for a in alerts
    )
    assert not [m for m in at.metric if m.label == "Fit"]


# --- 6. The app works offline -------------------------------------------------------------------


def test_the_page_icon_is_a_file_served_with_the_app(open_app, monkeypatch):
    """`:material/explore:` made every page fetch its favicon from fonts.gstatic.com."""
    import streamlit as st

    icons: list = []
    real = st.set_page_config

    def spy(*args, **kwargs):
        icons.append(kwargs.get("page_icon"))
        return real(*args, **kwargs)

    monkeypatch.setattr(st, "set_page_config", spy)
    open_app()
    assert icons, "the app sets its page config"
    assert not str(icons[0]).startswith(":material/")
    assert Path(icons[0]).is_file() and Path(icons[0]).suffix == ".png"


def test_ranges_in_saved_scenarios_stay_ordered_after_the_page_widened_them(estimates, app_db):
    at, project = estimates
    by_label(at.number_input, "MFU").set_value(0.6).run()
    by_label(at.text_input, "Scenario name").input("Wider MFU")
    next(b for b in at.button if b.label == "Save as new scenario").click().run()
    engine = make_engine(app_db)
    [scenario] = svc.list_scenarios(engine, project.id)
    engine.dispose()
    assert Range.from_dict(scenario.cost_inputs["mfu"]) == Range(0.2, 0.6, 0.6)


def test_a_stored_scenario_past_the_bounds_opens_and_says_which_input_to_fix(open_app, app_db):
    """A scenario stored before the bounds (1e300 dollars an hour) opens without a traceback,
    the input says why it is refused, and no 300-digit figure is shown."""
    from workbench.models import Scenario

    project = new_project(app_db)
    engine = make_engine(app_db)
    saved = save(engine, project.id, "Old typo", price=2.0)
    svc.choose_report_scenario(
        engine, project_id=project.id, scenario_id=saved.id, expected_current=None, actor="Ann"
    )
    with Session(engine) as session:
        row = session.get(Scenario, saved.id)
        row.cost_inputs = {**row.cost_inputs, "price_per_gpu_hour_usd": 1e300}
        session.add(row)
        session.commit()
    engine.dispose()
    at = open_app(ESTIMATES, project=project.id)
    assert "no GPU rents for more than $1,000 an hour" in shown(at)
    assert not re.search(r"\d{40}", shown(at))
    assert not [m for m in at.metric if m.label == "Total cost, likely"]


def test_a_lifecycle_file_naming_unknown_evidence_is_refused(tmp_path):
    from workbench.reference.gates import LIFECYCLE_FILE, InvalidLifecycleFile, load_gates

    text = LIFECYCLE_FILE.read_text(encoding="utf-8").replace(
        'evidence = "interview_submitted"', 'evidence = "interview_sent"'
    )
    path = tmp_path / "lifecycle.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidLifecycleFile, match="unknown evidence 'interview_sent'"):
        load_gates(path)
