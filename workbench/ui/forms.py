"""Form helpers: keep a form's values in session state, remember its errors across a rerun."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import streamlit as st


def errors_key(form: str) -> str:
    """Where a form's validation errors wait for the rerun that shows them."""
    return f"{form}__errors"


def form_errors(form: str) -> dict[str, str]:
    """The errors of the last submission of `form` (empty when it was fine)."""
    return st.session_state.get(errors_key(form), {})


def set_form_errors(form: str, errors: Mapping[str, str] | None) -> None:
    """Remember (or clear, with None) the errors of `form` for the next rerun."""
    if errors:
        st.session_state[errors_key(form)] = dict(errors)
    else:
        st.session_state.pop(errors_key(form), None)


def preload(values: Mapping[str, Any]) -> None:
    """Put initial widget values in session state, without overwriting what the user typed."""
    for key, value in values.items():
        if key not in st.session_state:
            st.session_state[key] = value


def forget(keys: Iterable[str]) -> None:
    """Drop widget values so the next run shows fresh values from the database."""
    for key in list(keys):
        st.session_state.pop(key, None)
