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
