"""The app's one clock: the real date by default, a pinned date through WORKBENCH_TODAY."""

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from workbench import clock
from workbench.config import TODAY_VARIABLE

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "setting, expected",
    [
        ("2033-12-31", date(2033, 12, 31)),
        ("2028-02-29", date(2028, 2, 29)),
        (" 2027-03-06 ", date(2027, 3, 6)),
    ],
    ids=["year-end-saturday", "leap-day", "spaces"],
)
def test_a_pinned_date_is_today_and_now_falls_on_it(monkeypatch, setting, expected):
    monkeypatch.setenv(TODAY_VARIABLE, setting)
    assert clock.pinned_today() == expected
    assert clock.today() == expected
    moment = clock.now()
    assert moment.tzinfo is not None and moment.utcoffset().total_seconds() == 0
    assert moment.date() == expected


def test_without_the_setting_the_real_clock_is_used(monkeypatch):
    monkeypatch.delenv(TODAY_VARIABLE, raising=False)
    before, before_utc = date.today(), datetime.now(UTC)
    today, moment = clock.today(), clock.now()
    after, after_utc = date.today(), datetime.now(UTC)
    assert clock.pinned_today() is None
    assert before <= today <= after
    assert before_utc <= moment <= after_utc


@pytest.mark.parametrize("setting", ["31/12/2033", "2033-02-30", "tomorrow"])
def test_a_setting_that_is_not_a_date_is_refused_with_its_value(monkeypatch, setting):
    monkeypatch.setenv(TODAY_VARIABLE, setting)
    with pytest.raises(clock.InvalidClockSetting, match="YYYY-MM-DD") as error:
        clock.today()
    assert setting in str(error.value)


def test_the_command_line_refuses_a_bad_setting_in_one_line(sqlite_url):
    result = subprocess.run(
        [sys.executable, "-m", "workbench", "--database-url", sqlite_url, "seed"],
        cwd=ROOT,
        env={**os.environ, TODAY_VARIABLE: "someday"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: WORKBENCH_TODAY='someday' is not a date")
