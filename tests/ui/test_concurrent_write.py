"""A save that crosses another at the moment of writing gets a plain message, not a traceback."""

from streamlit.testing.v1 import AppTest


def page_whose_save_crosses_another():
    from sqlalchemy.orm.exc import StaleDataError

    from workbench.ui.common import run_page

    class Page:
        title = "Charter"

        def run(self):
            raise StaleDataError("UPDATE statement on table 'project' expected to update 1 row")

    run_page(Page())


def test_concurrent_write_shows_a_message_and_no_exception():
    at = AppTest.from_function(page_whose_save_crosses_another).run()
    assert not at.exception
    assert "someone else saved a change to the same record" in at.error[0].value


def page_with_a_constraint_bug():
    from sqlalchemy.exc import IntegrityError

    from workbench.ui.common import run_page

    class Page:
        title = "Risks"

        def run(self):
            raise IntegrityError("INSERT INTO risk …", {}, Exception("NOT NULL constraint failed"))

    run_page(Page())


def test_a_constraint_bug_is_not_called_a_concurrent_save(caplog):
    at = AppTest.from_function(page_with_a_constraint_bug).run()
    assert not at.exception
    [message] = [e.value for e in at.error]
    assert "someone else saved" not in message
    assert message.startswith("Something went wrong and nothing was saved.")
    error_id = message.rsplit("error id ", 1)[1].rstrip(".")
    assert any(error_id in record.getMessage() and record.exc_info for record in caplog.records), (
        "the id the user sees is in the server log, with the traceback"
    )
