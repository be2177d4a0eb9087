"""Reference data the pages read (the question bank), cached, with a clear stop when it is bad."""

from __future__ import annotations

import streamlit as st

from workbench.domain.assessment import Question
from workbench.reference.questions import (
    InvalidQuestionBank,
    load_question_bank,
    question_bank_path,
)


@st.cache_data(show_spinner=False)
def _question_bank(path: str, modified_ns: int) -> tuple[Question, ...]:
    """The bank at `path`; `modified_ns` is in the key so an edited file is read again."""
    return load_question_bank(path)


def question_bank() -> tuple[Question, ...]:
    """The "Should we use ML?" questions; a bad bank shows what is wrong (file, question,
    problem) and stops the page."""
    path = question_bank_path()
    try:
        modified_ns = path.stat().st_mtime_ns
    except OSError:
        modified_ns = 0  # the loader reports the missing file with its name
    try:
        return _question_bank(str(path), modified_ns)
    except InvalidQuestionBank as error:
        st.error(
            "**The question bank cannot be used.** Fix the file and reload the page.\n\n"
            + "\n".join(f"- {line}" for line in str(error).splitlines()),
            icon=":material/error:",
        )
        st.stop()
