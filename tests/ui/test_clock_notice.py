"""AppTest: the sidebar says when the date is pinned, and a bad setting is a sentence."""

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import APP, TIMEOUT
from workbench.config import TODAY_VARIABLE


def test_the_sidebar_names_the_pinned_date(open_app, monkeypatch):
    monkeypatch.setenv(TODAY_VARIABLE, "2033-12-31")
    at = open_app()
    notices = [c.value for c in at.sidebar.caption if "pinned" in c.value]
    assert notices == [
        ":material/event: The date is pinned to **Sat 31 Dec 2033** (`WORKBENCH_TODAY`); "
        "every date rule uses it."
    ]


def test_no_notice_when_the_real_date_is_used(open_app, monkeypatch):
    monkeypatch.delenv(TODAY_VARIABLE)
    at = open_app()
    assert not [c for c in at.sidebar.caption if "pinned" in c.value]


def test_a_bad_setting_stops_the_app_with_a_sentence(app_db, monkeypatch):
    monkeypatch.setenv(TODAY_VARIABLE, "31.12.2033")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "The workbench cannot start: WORKBENCH_TODAY='31.12.2033' is not a date: write it as "
        "YYYY-MM-DD, e.g. 2027-03-06, or unset it to use the real date."
    ]
    assert not at.title
