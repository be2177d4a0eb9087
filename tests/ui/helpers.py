"""Small AppTest helpers shared by the UI tests: find widgets as users do, click, edit tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def by_label(widgets, label: str):
    """The first widget with this label (as the user reads it)."""
    matches = [w for w in widgets if w.label == label]
    assert matches, f"no widget labelled {label!r}; there are {[w.label for w in widgets]}"
    return matches[0]


def click(at, label: str, index: int = 0):
    """Click the button labelled `label` (the `index`-th of them) and run the page."""
    buttons = [b for b in at.button if b.label == label]
    assert buttons, f"no button {label!r}; there are {[b.label for b in at.button]}"
    buttons[index].click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def confirm(at):
    """Press the confirming button of the open confirmation dialog."""
    next(b for b in at.button if b.key and b.key.endswith("__confirmed")).click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def editor(at, part: str):
    """The data editor whose key contains `part`."""
    matches = [d for d in at.data_editor if part in (d.key or "")]
    assert matches, f"no data editor with {part!r}; keys: {[d.key for d in at.data_editor]}"
    return matches[0]


def edit_table(
    at,
    part: str,
    *,
    edited: Mapping[int, Mapping[str, Any]] | None = None,
    added: Sequence[Mapping[str, Any]] = (),
    deleted: Sequence[int] = (),
):
    """Make the edits a user makes in a data editor (cells, new rows, deleted rows)."""
    at.session_state[editor(at, part).key] = {
        "edited_rows": dict(edited or {}),
        "added_rows": list(added),
        "deleted_rows": list(deleted),
    }
    return at


def messages(at) -> list[str]:
    """Every error, warning and success message on the page."""
    return [m.value for m in [*at.error, *at.warning, *at.success]]
