"""The name typed in the sidebar survives a refresh: this browser remembers it (a cookie)."""

from playwright.sync_api import expect


def test_sidebar_name_survives_a_refresh(streamlit_server, page):
    page.goto(streamlit_server["url"])
    name = page.get_by_role("textbox", name="Your name", exact=True)
    name.fill("Dana </script> O'Neil")
    name.press("Enter")
    # The rerun that takes the name writes the cookie: wait for the cookie, not for a time.
    page.wait_for_function(
        "() => document.cookie.split('; ').some(c => c.startsWith('workbench_actor=Dana'))"
    )
    page.reload()
    expect(page.get_by_role("textbox", name="Your name", exact=True)).to_have_value(
        "Dana </script> O'Neil"
    )
    expect(page.get_by_text("Enter your name to make changes.")).to_have_count(0)
