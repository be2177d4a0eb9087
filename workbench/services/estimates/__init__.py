"""Cost and value estimates of a project: validate inputs through the domain, estimate, and keep
named scenarios (save, update version-checked, delete, list, compare side by side).

Inputs travel as the JSON form of the domain's ``CostModelInputs.to_dict()`` and
``ValueModelInputs.to_dict()``: a number is a fixed value, ``{"low", "likely", "high"}`` a range.
Validation errors name the input as ``cost.<field>`` / ``value.<field>`` (``cost.roles[n]`` for
row n of the people table), so a page can show each message next to its widget.

A saved scenario stores its inputs, its seed and a summary of its results (``EstimateSummary``:
P10/P50/P90 of the total and of every line, the value outputs, break-even precision, payback and
ROI), computed with that seed: the same inputs and seed always give the same numbers.

- ``inputs``: what each input means, and their validation;
- ``results``: an estimate from one set of inputs, comparisons, helpers for the page;
- ``scenarios``: save, update, delete and restore, read, list and compare scenarios;
- ``report_choice``: which scenario a project's report shows.
"""

from workbench.models import NAME_MAX
from workbench.models.estimates import EstimateSummary, ScenarioPublic
from workbench.services.estimates.inputs import (
    CO2_FORMULA,
    COST_INPUTS,
    DEFAULT_SEED,
    GPU_HOURS_FORMULA,
    INPUT_HELP,
    LINE_LABELS,
    ONE_OFF_LINES,
    PAYBACK_FORMULA,
    SEED_MAX,
    VALUE_FORMULA,
    VALUE_INPUTS,
    InputModel,
    InputSpec,
    parse_inputs,
)
from workbench.services.estimates.report_choice import (
    ReportScenario,
    choose_report_scenario,
    latest_estimate_summary,
    report_scenario,
)
from workbench.services.estimates.results import (
    LINKED_VALUE_FIELDS,
    OTHER_ROWS,
    TOTAL_ROWS,
    VALUE_ROWS,
    Estimate,
    ValueCosts,
    comparison_table,
    estimate,
    is_linked,
    link_value_costs,
    matching_gpu,
    matching_region,
    starter_inputs,
    value_costs,
)
from workbench.services.estimates.scenarios import (
    ScenarioFields,
    compare_scenarios,
    delete_scenario,
    get_scenario,
    list_scenarios,
    restore_scenario,
    save_scenario,
    update_scenario,
)

__all__ = [
    "CO2_FORMULA",
    "COST_INPUTS",
    "DEFAULT_SEED",
    "GPU_HOURS_FORMULA",
    "INPUT_HELP",
    "LINE_LABELS",
    "LINKED_VALUE_FIELDS",
    "NAME_MAX",
    "ONE_OFF_LINES",
    "OTHER_ROWS",
    "PAYBACK_FORMULA",
    "SEED_MAX",
    "TOTAL_ROWS",
    "VALUE_FORMULA",
    "VALUE_INPUTS",
    "VALUE_ROWS",
    "Estimate",
    "EstimateSummary",
    "InputModel",
    "InputSpec",
    "ReportScenario",
    "ScenarioFields",
    "ScenarioPublic",
    "ValueCosts",
    "choose_report_scenario",
    "compare_scenarios",
    "comparison_table",
    "delete_scenario",
    "estimate",
    "get_scenario",
    "is_linked",
    "latest_estimate_summary",
    "link_value_costs",
    "list_scenarios",
    "matching_gpu",
    "matching_region",
    "parse_inputs",
    "report_scenario",
    "restore_scenario",
    "save_scenario",
    "starter_inputs",
    "update_scenario",
    "value_costs",
]
