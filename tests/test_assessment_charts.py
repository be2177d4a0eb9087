"""The assessment figures, read through their traces, shapes and annotations."""

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from workbench.charts.assessment import (
    drivers_figure,
    exposure_zone,
    history_figure,
    portfolio_figure,
    risk_matrix_figure,
    unscored_projects,
)
from workbench.domain.assessment import Direction, Driver, Group, Score, Verdict


@dataclass(frozen=True)
class Scored:
    project_id: int
    name: str
    verdict: Verdict | None
    fit_score: float | None
    impact_score: float | None
    feasibility_score: float | None


@dataclass(frozen=True)
class Saved:
    saved_at: datetime
    verdict: Verdict
    fit_score: float | None
    impact_score: float | None
    feasibility_score: float | None


@dataclass(frozen=True)
class RiskRow:
    id: int
    title: str
    likelihood: int
    impact: int
    owner: str = ""
    status: str = "open"


PROJECTS = [
    Scored(1, "Churn", Verdict.ML_FITS, 80, 90, 70),
    Scored(2, "Fraud", Verdict.ML_FITS, 70, 20, 85),
    Scored(3, "Pricing", Verdict.NOT_A_FIT, 10, 40, 30),
    Scored(4, "Never assessed", None, None, None, None),
    Scored(5, "Half judged", Verdict.TRY_SIMPLER_FIRST, 50, 60, None),
]


def points(figure):
    """(name, x, y, customdata) of every plotted point, over all traces."""
    return [
        (text, x, y, tuple(data))
        for trace in figure.data
        for text, x, y, data in zip(trace.text, trace.x, trace.y, trace.customdata, strict=True)
    ]


def test_portfolio_plots_one_point_per_scored_project_at_feasibility_and_impact():
    figure = portfolio_figure(PROJECTS)
    assert sorted(points(figure)) == [
        ("Churn", 70, 90, (1, "ML fits", "")),
        ("Fraud", 85, 20, (2, "ML fits", "")),
        ("Pricing", 30, 40, (3, "Not a fit", "")),
    ]
    assert [trace.name for trace in figure.data] == ["ML fits", "Not a fit"]
    assert "Verdict" in figure.data[0].hovertemplate


def test_a_quick_win_whose_verdict_says_not_ml_is_hollow_and_the_chart_says_why():
    """A 'try simpler first' project used to sit in the green Quick wins quadrant as a plain
    point, position and verdict disagreeing with no word about it."""
    simple = Scored(6, "Ticket routing", Verdict.TRY_SIMPLER_FIRST, 45, 80, 75)
    figure = portfolio_figure([*PROJECTS, simple])
    [hollow] = [trace for trace in figure.data if trace.marker.symbol == "circle-open"]
    assert list(hollow.text) == ["Ticket routing"]
    assert hollow.name == "Try a simpler non-ML solution first (scores say quick win)"
    assert hollow.customdata[0][1] == "Try a simpler non-ML solution first"
    assert "the verdict comes first" in hollow.customdata[0][2]
    assert any("the verdict comes first" in a.text for a in figure.layout.annotations)
    # points whose verdict and quadrant agree stay filled, and the chart has no such note then
    plain = portfolio_figure(PROJECTS)
    assert not [t for t in plain.data if t.marker.symbol == "circle-open"]
    assert not any("verdict comes first" in a.text for a in plain.layout.annotations)


def test_portfolio_leaves_out_and_lists_projects_without_both_scores():
    assert unscored_projects(PROJECTS) == ["Never assessed", "Half judged"]
    names = [name for name, *_ in points(portfolio_figure(PROJECTS))]
    assert "Never assessed" not in names
    assert "Half judged" not in names


def test_portfolio_quadrants_are_labelled_in_their_corners():
    figure = portfolio_figure([])
    labels = {
        a.text.replace("<b>", "").replace("</b>", ""): (a.x, a.y) for a in figure.layout.annotations
    }
    assert set(labels) == {"Quick wins", "Strategic bets", "Low-hanging but small", "Park"}
    x, y = labels["Quick wins"]
    assert x > 50 and y > 50
    x, y = labels["Strategic bets"]
    assert x < 50 and y > 50
    x, y = labels["Low-hanging but small"]
    assert x > 50 and y < 50
    x, y = labels["Park"]
    assert x < 50 and y < 50
    assert figure.data == ()
    x_from, x_to = figure.layout.xaxis.range
    assert x_from < 0 and x_to > 100  # a project scored 0 or 100 stays inside the frame


def test_history_has_a_line_per_score_and_marks_each_verdict_change():
    day = datetime(2026, 11, 22, 9, tzinfo=UTC)
    snapshots = [
        Saved(day, Verdict.TRY_SIMPLER_FIRST, 40, None, 55),
        Saved(day.replace(hour=10), Verdict.TRY_SIMPLER_FIRST, 45, 60, 55),
        Saved(day.replace(day=23), Verdict.ML_FITS, 75, 70, 65),
    ]
    figure = history_figure(snapshots)
    lines = {trace.name: list(trace.y) for trace in figure.data}
    assert lines == {
        "Fit": [40, 45, 75],
        "Impact": [None, 60, 70],
        "Feasibility": [55, 55, 65],
    }
    assert list(figure.data[0].x) == [1, 2, 3]
    verdicts = [
        (a.x, a.text) for a in figure.layout.annotations if a.text in {v.label for v in Verdict}
    ]
    assert verdicts == [(1, "Try a simpler non-ML solution first"), (3, "ML fits")]
    assert "2026-11-23" in figure.layout.xaxis.ticktext[2]


@pytest.mark.parametrize(
    ("likelihood", "impact", "zone"),
    [
        (1, 1, "low"),
        (2, 2, "low"),
        (1, 5, "medium"),
        (3, 3, "medium"),
        (2, 5, "high"),
        (3, 5, "high"),
        (4, 4, "critical"),
        (5, 5, "critical"),
    ],
)
def test_exposure_zones(likelihood, impact, zone):
    assert exposure_zone(likelihood, impact) == zone


def test_risk_grid_has_25_cells_and_one_bubble_per_open_risk_coloured_by_zone():
    risks = [
        RiskRow(1, "No labels", 5, 4),
        RiskRow(2, "Team silos", 5, 4),
        RiskRow(3, "Minor drift", 1, 2),
        RiskRow(4, "Old risk", 5, 5, status="closed"),
    ]
    figure = risk_matrix_figure(risks)
    assert len(figure.layout.shapes) == 25
    bubbles = {
        text: (trace.name, x, y)
        for trace in figure.data
        for text, x, y in zip(trace.text, trace.x, trace.y, strict=True)
    }
    assert set(bubbles) == {"1", "2", "3"}  # the closed risk is left out
    assert bubbles["1"][0] == bubbles["2"][0] == "Critical exposure"
    assert bubbles["3"] == ("Low exposure", 1, 2)
    # two risks in one cell are both inside it, and apart
    (_, x1, y1), (_, x2, y2) = bubbles["1"], bubbles["2"]
    assert all(4.5 < x < 5.5 and 3.5 < y < 4.5 for x, y in [(x1, y1), (x2, y2)])
    assert (x1, y1) != (x2, y2)


def test_drivers_bars_show_contributions_for_and_against():
    drivers = [
        Driver(
            "a",
            "Too complex to code",
            Group.REASONS_FOR,
            "agree",
            0.75,
            1,
            12.5,
            Direction.FOR,
            Score.FIT,
        ),
        Driver(
            "b",
            "Errors are intolerable",
            Group.REASONS_AGAINST,
            "agree",
            0.75,
            1,
            -8.0,
            Direction.AGAINST,
            Score.FIT,
        ),
    ]
    figure = drivers_figure(drivers)
    bars = {trace.name: (list(trace.x), list(trace.y)) for trace in figure.data}
    assert bars == {
        "for": ([12.5], ["Too complex to code"]),
        "against": ([-8.0], ["Errors are intolerable"]),
    }
    # largest contribution at the top: plotly draws the last category on top
    assert list(figure.layout.yaxis.categoryarray) == [
        "Errors are intolerable",
        "Too complex to code",
    ]
