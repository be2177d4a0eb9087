"""The one form layer every page uses: nothing lost, nothing duplicated.

A `Form` is one form as this browser session sees it:

- the record's **version is pinned when the form is first rendered** and sent with the save, so a
  save made on a stale view is refused (never re-read in the run that handles the click);
- the **values the user first saw are pinned** too, so a save sends only what this user changed
  (`Form.changes`), and a checklist sends only the boxes this user ticked or unticked;
- saves run in a **callback** (Streamlit runs it before the page, so no extra rerun), and a
  successful save starts a **new generation** of the form: fresh widget keys, so an add form is
  empty again and an edit form shows the stored values; a second click on the same rendered form
  does nothing (its generation already saved);
- a **refusal is kept with the form** and shown where the form is, after reruns and tab changes:
  field messages under their widgets, a stale save as the one conflict view (your values beside
  the newer ones, in the form's own labels) with "load the newer version" or "keep mine";
- an **unexpected error** becomes one sentence with an id that is also in the server log.

`TableEditor` does the same for an editable table: the rows the user started from (ids and
versions) are pinned, and a save sends only the changed, added and deleted rows.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from workbench import db
from workbench.errors import (
    CONCURRENT_WRITE_ERRORS,
    CONCURRENT_WRITE_MESSAGE,
    InvalidInput,
    NotAllowed,
    NotFound,
    StaleEditError,
)
from workbench.ui.text import alert_text

log = logging.getLogger(__name__)
T = TypeVar("T")
Success = str | Callable[[Any], str]
FORM_ERROR = "_form"  # the key of a message about the whole form, not one field
NO_VERSION = object()  # `Form(version=…)` not given: the form edits no versioned record
# Set for each run by the frame (ui/common.py): the user may only view the project shown, so
# every form's save buttons and every editable table are disabled (the services refuse too).
READ_ONLY_KEY = "access__read_only"


def read_only() -> bool:
    """Whether this run shows a project the user may view but not change."""
    return bool(st.session_state.get(READ_ONLY_KEY, False))


def set_read_only(flag: bool) -> None:
    st.session_state[READ_ONLY_KEY] = bool(flag)


def unexpected_error_message(error: BaseException) -> str:
    """Log an unexpected error with a short id and return the sentence the user sees (a fault of
    the database itself — locked, read-only, unreachable — in its own words)."""
    error_id = secrets.token_hex(4)
    log.error("unexpected error %s", error_id, exc_info=error)
    if known := db.fault_message(error):
        return f"{known} (Error id {error_id}.)"
    return (
        "Something went wrong and nothing was saved. Try again; if it happens again, tell the "
        f"workbench's administrator the error id {error_id}."
    )


def _data_changed() -> None:
    st.cache_data.clear()


class Form:
    """One form's life in this session: pinned version and values, messages, saves.

    Args:
        name: unique in the session (include the record's id, e.g. ``f"risk_{risk.id}"``).
        version: the record's current version, for an edit form; pinned at first render. None
            pins "no record yet" (a save then refuses if someone created it meanwhile).
        initial: the values the widgets start from (the record's, or an add form's defaults).
        labels: the field labels as the user reads them, for messages and the conflict view.
    """

    def __init__(
        self,
        name: str,
        *,
        version: Any = NO_VERSION,
        initial: Mapping[str, Any] | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> None:
        self.name = name
        self.labels = dict(labels or {})
        state = st.session_state
        self.generation: int = state.setdefault(f"{name}__generation", 0)
        self.versioned = version is not NO_VERSION
        if self.versioned:
            state.setdefault(self._slot("version"), version)
        pinned = state.setdefault(self._slot("initial"), dict(initial or {}))
        for field_name, value in pinned.items():
            state.setdefault(self.key(field_name), value)
        self.current_version = version if self.versioned else None
        self.tables: list[TableEditor] = []
        self._rendering = False
        self._confirmation: tuple[str, Callable[[Form], str], Callable[[Form], Any], Success] | None
        self._confirmation = None

    # --- keys and values ------------------------------------------------------------------

    def _slot(self, what: str) -> str:
        return f"{self.name}__g{self.generation}__{what}"

    def key(self, field_name: str) -> str:
        """The widget key of `field_name` in this generation of the form."""
        return f"{self.name}__g{self.generation}_{field_name}"

    def value(self, field_name: str, default: Any = None) -> Any:
        """What the widget of `field_name` holds now."""
        return st.session_state.get(self.key(field_name), default)

    def values(self, fields: Iterable[str] | None = None) -> dict[str, Any]:
        """The widgets' values, for `fields` or for every field the form started with."""
        names = list(fields) if fields is not None else list(self.initial)
        return {name: self.value(name) for name in names}

    @property
    def initial(self) -> dict[str, Any]:
        """The values the user first saw in this generation of the form."""
        return st.session_state.get(self._slot("initial"), {})

    def changes(self, fields: Iterable[str] | None = None) -> dict[str, Any]:
        """Only the fields this user changed since the form was first shown."""
        initial = self.initial
        return {
            name: value
            for name, value in self.values(fields).items()
            if _normal(value) != _normal(initial.get(name))
        }

    @property
    def version(self) -> int | None:
        """The version the user saw: pinned when this form was first rendered."""
        return st.session_state.get(self._slot("version"))

    # --- messages -------------------------------------------------------------------------

    @property
    def errors(self) -> dict[str, str]:
        return st.session_state.get(self._slot("errors"), {})

    @property
    def stale(self) -> StaleEditError | None:
        return st.session_state.get(self._slot("stale"))

    def error(self, field_name: str) -> None:
        """Show the message for `field_name` right under its widget (nothing when it is fine)."""
        message = self.errors.get(field_name)
        if message:
            st.error(alert_text(message), icon=":material/error:")

    def messages(self) -> None:
        """Show what the last click on this form did, where the form is: the saved message, a
        refusal about the whole form, or the conflict view of a stale save."""
        done = st.session_state.pop(f"{self.name}__flash", None)
        if done:
            st.success(done, icon=":material/check_circle:")
        stale = self.stale
        if stale is not None:
            conflict_view(stale, self.labels)
            left, right = st.columns(2)
            left.button(
                "Load the newer version (drop my edits)",
                key=self._slot("reload"),
                on_click=self.reset,
                icon=":material/refresh:",
            )
            right.button(
                "Keep my edits (I have read the newer values)",
                key=self._slot("keep"),
                on_click=self._keep_mine,
                icon=":material/edit:",
            )
        elif self.versioned and self.version != self.current_version:
            st.warning(
                "Someone changed this since you opened it. Saving will be refused until you load "
                "the newer version, or save and compare it with yours.",
                icon=":material/sync_problem:",
            )
            st.button(
                "Load the newer version (drop my edits)",
                key=self._slot("reload_changed"),
                on_click=self.reset,
                icon=":material/refresh:",
            )
        for field_name in (FORM_ERROR, "actor"):
            self.error(field_name)
        # A message about a field the form does not show (a rule across fields, say) still shows.
        known = {FORM_ERROR, "actor", *self.initial, *self.labels}
        for key, message in self.errors.items():
            if key not in known and "[" not in key:
                st.error(alert_text(f"{key.replace('_', ' ')}: {message}"), icon=":material/error:")

    # --- rendering ------------------------------------------------------------------------

    @contextmanager
    def render(self, **form_options: Any) -> Iterator[Form]:
        """`with form.render(): …` — the form's messages, then `st.form` with its widgets, then
        the confirmation a `submit_button(confirm=…)` asked for."""
        self.messages()
        with st.form(self.name, **form_options):
            self._rendering = True
            try:
                yield self
            finally:
                self._rendering = False
        self._ask_if_pending()

    # --- saving ---------------------------------------------------------------------------

    def submit_button(
        self,
        label: str,
        action: Callable[[Form], T],
        *,
        success: Success,
        confirm: Callable[[Form], str] | None = None,
        **button: Any,
    ) -> bool:
        """The form's submit button (inside `st.form`): runs `action(form)` as a callback.

        With `confirm` (a function of the form giving the question, in plain text), the click
        first asks in a dialog; only "Confirm" runs the action.
        """
        if read_only():
            button["disabled"] = True
        if confirm is None:
            return st.form_submit_button(
                label,
                on_click=self._run,
                args=(action, success),
                key=self._slot("submit"),
                **button,
            )
        self._confirmation = (label, confirm, action, success)
        return st.form_submit_button(label, on_click=self._pend, key=self._slot("submit"), **button)

    def _pend(self) -> None:
        st.session_state.pop(self._slot("errors"), None)
        st.session_state[self._slot("confirm")] = True

    def _ask_if_pending(self) -> None:
        if not st.session_state.get(self._slot("confirm")) or self._confirmation is None:
            return
        label, question, action, success = self._confirmation

        def cancel() -> None:
            st.session_state.pop(self._slot("confirm"), None)

        @st.dialog("Please confirm", on_dismiss=cancel)
        def ask() -> None:
            st.text(question(self))
            left, right = st.columns(2)
            if left.button(label, type="primary", key=self._slot("confirmed"), width="stretch"):
                cancel()
                self._run(action, success)
                st.rerun()
            if right.button("Cancel", key=self._slot("cancelled"), width="stretch"):
                cancel()
                st.rerun()

        ask()

    def button(
        self, label: str, action: Callable[[Form], T], *, success: Success, **button: Any
    ) -> bool:
        """A button outside a form that saves (for example "Save scores" under a table)."""
        if read_only():
            button["disabled"] = True
        return st.button(
            label, on_click=self._run, args=(action, success), key=self._slot("button"), **button
        )

    def _run(self, action: Callable[[Form], T], success: Success) -> None:
        state = st.session_state
        if state.get(f"{self.name}__generation", 0) != self.generation:
            return  # a click on a form that already saved: its generation is over
        state.pop(self._slot("errors"), None)
        try:
            result = action(self)
        except InvalidInput as error:
            state[self._slot("errors")] = dict(error.errors)
            return
        except StaleEditError as error:
            state[self._slot("stale")] = error
            return
        except (NotFound, NotAllowed) as error:
            state[self._slot("errors")] = {FORM_ERROR: str(error)}
            return
        except CONCURRENT_WRITE_ERRORS:
            log.warning("concurrent write refused in form %s", self.name, exc_info=True)
            state[self._slot("errors")] = {FORM_ERROR: CONCURRENT_WRITE_MESSAGE}
            return
        except Exception as error:
            state[self._slot("errors")] = {FORM_ERROR: unexpected_error_message(error)}
            return
        message = success(result) if callable(success) else success
        self.reset()
        if message:
            state[f"{self.name}__flash"] = message
        _data_changed()

    def refuse(self, errors: Mapping[str, str]) -> None:
        """Show `errors` with the form (a check the page makes before calling a service)."""
        raise InvalidInput(errors)

    def reset(self) -> None:
        """Start a new generation: fresh widgets from the stored record, nothing pinned."""
        state = st.session_state
        prefix = f"{self.name}__g{self.generation}"
        for key in [k for k in state if isinstance(k, str) and k.startswith(prefix)]:
            del state[key]
        state[f"{self.name}__generation"] = self.generation + 1

    def _keep_mine(self) -> None:
        """The user read the newer values and keeps theirs: take the newer versions as seen."""
        stale = st.session_state.pop(self._slot("stale"), None)
        if stale is not None and getattr(stale.current, "version", None) is not None:
            st.session_state[self._slot("version")] = stale.current.version
        elif self.versioned:
            st.session_state[self._slot("version")] = self.current_version
        for table in self.tables:
            table.take_current_versions()


def conflict_view(error: StaleEditError, labels: Mapping[str, str] | None = None) -> None:
    """The one view of a refused stale save: what happened, and yours beside the newer values."""
    st.error(alert_text(error), icon=":material/sync_problem:")
    if not error.conflicts:
        return
    labels = labels or {}
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "What": labels.get(name, name.replace("_", " ").capitalize()).rstrip(" *"),
                    "Yours": plain(mine),
                    "Saved meanwhile": plain(theirs),
                }
                for name, (mine, theirs) in error.conflicts.items()
            ]
        ),
        hide_index=True,
        width="stretch",
    )


def plain(value: Any) -> str:
    """A stored value as one line of text for a table cell."""
    if isinstance(value, list):
        return "; ".join(
            " · ".join(str(v) for v in row.values() if v) if isinstance(row, dict) else str(row)
            for row in value
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def _normal(value: Any) -> Any:
    """Compare widget values the way users see them: '' and None are both empty."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, (list, tuple, set, frozenset)):
        return sorted(map(repr, value))
    return value


# --- Checklists -------------------------------------------------------------------------------


def checklist(form: Form, items: Sequence[tuple[str, str]]) -> None:
    """Checkboxes for `items` (key, text); their first-seen state is pinned by `form`."""
    for item_key, text in items:
        st.checkbox(text, key=form.key(item_key))


def checklist_changes(form: Form) -> tuple[list[str], list[str]]:
    """(ticked, unticked) by this user since the checklist was shown: nothing else is sent."""
    changed = form.changes()
    return (
        [key for key, value in changed.items() if value],
        [key for key, value in changed.items() if not value],
    )


# --- Editable tables --------------------------------------------------------------------------


@dataclass(frozen=True)
class TableChanges:
    """What one user changed in a table: rows by id with the version they saw."""

    updated: list[dict[str, Any]] = field(default_factory=list)
    added: list[dict[str, Any]] = field(default_factory=list)
    deleted: list[dict[str, Any]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.updated or self.added or self.deleted)


class TableEditor:
    """An editable table whose rows (ids, versions and values) are pinned when first shown.

    It belongs to a `Form`, which pins it, saves it and starts it afresh after a save.

    Args:
        form: the form the table saves with.
        table: the table's name within the form.
        rows: the stored rows, each a dict; rows of versioned records carry `id` and `version`.
        columns: the columns the user sees and edits, in order.
    """

    def __init__(
        self, form: Form, table: str, rows: Sequence[Mapping[str, Any]], columns: Sequence[str]
    ) -> None:
        self.form = form
        self.table = table
        self.columns = list(columns)
        self.snapshot: list[dict[str, Any]] = st.session_state.setdefault(
            form._slot(f"{table}__rows"), [dict(row) for row in rows]
        )
        current = {row["id"]: row.get("version") for row in rows if row.get("id") is not None}
        self.current_versions = current
        form.tables.append(self)
        self.changed_elsewhere = [
            row["id"]
            for row in self.snapshot
            if row.get("id") is not None and current.get(row["id"]) != row.get("version")
        ]
        self.added_elsewhere = len(set(current) - {row.get("id") for row in self.snapshot})

    @property
    def key(self) -> str:
        return self.form.key(self.table)

    def frame(self) -> pd.DataFrame:
        """The pinned rows as the editor shows them."""
        return pd.DataFrame(
            [{c: row.get(c) for c in self.columns} for row in self.snapshot], columns=self.columns
        )

    def editor(self, **options: Any) -> pd.DataFrame:
        """`st.data_editor` over the pinned rows; returns what the user sees now."""
        if self.changed_elsewhere or self.added_elsewhere:
            what = (
                [f"{len(self.changed_elsewhere)} row(s) changed"] if self.changed_elsewhere else []
            )
            what += [f"{self.added_elsewhere} added"] if self.added_elsewhere else []
            st.warning(
                f"Someone changed this table since you opened it ({', '.join(what)}). A save of "
                "a row they changed will be refused; load the newer rows to see theirs.",
                icon=":material/sync_problem:",
            )
            if not self.form._rendering:  # inside `st.form` the form's own messages offer it
                st.button(
                    "Load the newer rows (drop my edits)",
                    key=self.form._slot(f"{self.table}__reload"),
                    on_click=self.form.reset,
                    icon=":material/refresh:",
                )
        if read_only():
            options["disabled"] = True
        return st.data_editor(self.frame(), key=self.key, **options)

    def take_current_versions(self) -> None:
        """After "keep my edits": the rows' newer versions count as seen; edits stay."""
        for row in self.snapshot:
            if row.get("id") in self.current_versions:
                row["version"] = self.current_versions[row["id"]]

    def _edits(self) -> Mapping[str, Any]:
        return st.session_state.get(self.key) or {}

    def changes(self) -> TableChanges:
        """Only the rows this user changed, added or deleted, with the versions they saw."""
        edits = self._edits()
        updated = []
        for index, change in sorted(edits.get("edited_rows", {}).items(), key=lambda i: int(i[0])):
            row = self.snapshot[int(index)]
            diff = {c: v for c, v in change.items() if _normal(v) != _normal(row.get(c))}
            if diff:
                updated.append({"id": row.get("id"), "version": row.get("version"), **diff})
        added = [
            {c: row.get(c) for c in self.columns}
            for row in edits.get("added_rows", [])
            if any(_normal(v) is not None for v in row.values())
        ]
        deleted = [
            {"id": self.snapshot[int(i)].get("id"), "version": self.snapshot[int(i)].get("version")}
            for i in edits.get("deleted_rows", [])
        ]
        return TableChanges(updated=updated, added=added, deleted=deleted)

    def rows_now(self) -> list[dict[str, Any]]:
        """Every row as the user sees it now (the pinned rows with this user's edits applied),
        for a table saved as a whole with its parent record (e.g. a charter's criteria)."""
        edits = self._edits()
        deleted = {int(i) for i in edits.get("deleted_rows", [])}
        edited = {int(i): change for i, change in edits.get("edited_rows", {}).items()}
        rows = [
            {c: {**row, **edited.get(index, {})}.get(c) for c in self.columns}
            for index, row in enumerate(self.snapshot)
            if index not in deleted
        ]
        rows += [{c: row.get(c) for c in self.columns} for row in edits.get("added_rows", [])]
        return rows

    def changed(self) -> bool:
        """Whether this user changed anything in the table."""
        return bool(self.changes())

    def row_errors(self) -> None:
        """The messages about single rows, under the table ("Row 2, owner: …")."""
        prefix = f"{self.table}["
        for key, message in self.form.errors.items():
            if key.startswith(prefix):
                row, _, column = key[len(prefix) :].partition("].")
                label = column.replace("_", " ")
                st.error(alert_text(f"Row {row}, {label}: {message}"), icon=":material/error:")
