"""A `Form` over several versioned records at once, for the Demo plan page.

The shared `Form` pins one version. The features table, the slip form and the move and remove
forms act on one of several features (the rows of a table, or the feature a selectbox picks), so
this form pins the version of **each** feature when it is first rendered, and its "Keep my
edits" takes the newer versions for all of them (the rows of its tables too), so the next save
goes through with only what this user changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from workbench.ui.forms import Form, TableEditor


class VersionsForm(Form):
    """A `Form` whose records' versions ({id: version}) are pinned at first render.

    Args:
        name: unique in the session.
        versions: the records' current versions, by id.
        **options: as for `Form` (`initial`, `labels`).
    """

    def __init__(self, name: str, *, versions: Mapping[int, int], **options: Any) -> None:
        super().__init__(name, **options)
        self.current_versions = dict(versions)
        st.session_state.setdefault(self._slot("versions"), dict(versions))

    def version_of(self, record_id: int | None) -> int | None:
        """The version of `record_id` the user saw (None: not shown when the form opened)."""
        return st.session_state.get(self._slot("versions"), {}).get(record_id)

    def _keep_mine(self) -> None:
        super()._keep_mine()
        state = st.session_state
        state[self._slot("versions")] = {
            **state.get(self._slot("versions"), {}),
            **self.current_versions,
        }
        tables = [
            key
            for key in state
            if isinstance(key, str) and key.startswith(self._slot("")) and key.endswith("__rows")
        ]
        for key in tables:
            for row in state[key]:
                if row.get("id") in self.current_versions:
                    row["version"] = self.current_versions[row["id"]]


class TypedTableEditor(TableEditor):
    """A `TableEditor` whose columns get the given dtypes (nullable ones, e.g. "Int64" or
    "boolean", so a row added in the table may leave any cell empty), and whose notice about
    rows changed elsewhere is shown apart, before the form: the shared editor puts its "Load the
    newer rows" button inside `st.form`, where Streamlit refuses a button with a callback."""

    def __init__(self, *args: Any, dtypes: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dtypes = dict(dtypes or {})

    def frame(self) -> pd.DataFrame:
        return super().frame().astype(self.dtypes)

    def notice(self) -> None:
        """Outside the form: say that rows changed elsewhere, and offer to load the newer ones."""
        if not (self.changed_elsewhere or self.added_elsewhere):
            return
        what = [f"{len(self.changed_elsewhere)} row(s) changed"] if self.changed_elsewhere else []
        what += [f"{self.added_elsewhere} added"] if self.added_elsewhere else []
        st.warning(
            f"This table changed since you opened it ({', '.join(what)}). A save of a row "
            "changed meanwhile will be refused; rows you did not change keep the newer values. "
            "Load the newer rows to see them.",
            icon=":material/sync_problem:",
        )
        st.button(
            "Load the newer rows (drop my edits)",
            key=self.form._slot(f"{self.table}__reload"),
            on_click=self.form.reset,
            icon=":material/refresh:",
        )

    def editor(self, **options: Any) -> pd.DataFrame:
        """`st.data_editor` over the pinned rows (call `notice()` before the form)."""
        return st.data_editor(self.frame(), key=self.key, **options)
