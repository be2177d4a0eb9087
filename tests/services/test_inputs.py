"""What widgets and table cells hand to services, parsed once."""

from datetime import date, datetime
from enum import Enum

import numpy as np
import pandas as pd
import pytest

from workbench.services.inputs import cell, is_blank, log_value, scalar, strip, text


class Colour(Enum):
    RED = "red"


@pytest.mark.parametrize(
    "value, blank",
    [
        (None, True),
        ("", True),
        ("   \n", True),
        (float("nan"), True),
        (pd.NaT, True),
        (pd.NA, True),
        (np.float64("nan"), True),
        ("x", False),
        (0, False),
        (0.0, False),
        (False, False),
        (date(2026, 12, 1), False),
    ],
    ids=lambda v: repr(v)[:20],
)
def test_blank_is_what_an_empty_field_or_cell_holds(value, blank):
    assert is_blank(value) is blank


@pytest.mark.parametrize(
    "function, value, expected",
    [
        (strip, "  Ann  ", "Ann"),
        (strip, 3, 3),
        (text, None, ""),
        (text, float("nan"), ""),
        (text, " Precision ", "Precision"),
        (scalar, np.int64(4), 4),
        (scalar, pd.Timestamp("2026-12-01 00:00"), date(2026, 12, 1)),
        (cell, np.nan, None),
        (cell, np.float64(2.5), 2.5),
        (log_value, date(2026, 12, 1), "2026-12-01"),
        (log_value, datetime(2026, 12, 1, 9, 30), "2026-12-01T09:30:00"),
        (log_value, Colour.RED, "red"),
        (log_value, (date(2026, 1, 2), Colour.RED), ["2026-01-02", "red"]),
    ],
    ids=lambda v: getattr(v, "__name__", repr(v)[:20]),
)
def test_values_are_parsed_once(function, value, expected):
    result = function(value)
    assert result == expected
    assert type(result) is type(expected)


def test_a_blank_cell_can_say_what_empty_means():
    assert cell(None, empty="") == ""
