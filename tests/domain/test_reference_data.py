"""The GPU and grid-intensity tables: shipped figures match shared/reference/estimates.md, and a
bad file is refused with a message that names the file, the entry and the problem."""

from pathlib import Path

import pytest

from workbench.reference.estimates import (
    InvalidReferenceData,
    UnknownReferenceName,
    load_grid_regions,
    load_hardware,
)

GOOD_GPU = """
[[gpu]]
name = "Test GPU"
peak_dense_16bit_tflops = 100
board_power_w = 300
price_per_gpu_hour_usd = 2.5
price_date = "2026-10"
price_source = "a test"
"""


def _write(tmp_path: Path, text: str, name: str = "hardware.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the shipped tables --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "peak_tflops"),
    [
        pytest.param("V100 SXM2", 125, id="V100"),
        pytest.param("T4", 65, id="T4"),
        pytest.param("A100-80GB SXM", 312, id="A100-SXM"),
        pytest.param("A100 PCIe", 312, id="A100-PCIe"),
        pytest.param("L40S", 362, id="L40S"),
        pytest.param("H100 SXM", 989, id="H100-SXM"),
        pytest.param("H100 PCIe", 756, id="H100-PCIe"),
        pytest.param("H200", 989, id="H200"),
    ],
)
def test_shipped_peaks_are_the_dense_figures(name, peak_tflops):
    gpu = load_hardware().get(name)
    assert gpu.peak_dense_16bit_tflops == peak_tflops
    assert gpu.price_per_gpu_hour_usd > 0
    assert gpu.price_date and gpu.price_source


@pytest.mark.parametrize(
    ("name", "power_w"),
    [
        pytest.param("A100-80GB SXM", 400, id="A100-SXM"),
        pytest.param("H100 SXM", 700, id="H100-SXM"),
        pytest.param("T4", 70, id="T4"),
        pytest.param("V100 SXM2", 300, id="V100"),
    ],
)
def test_shipped_board_power(name, power_w):
    assert load_hardware().get(name).board_power_w == power_w


@pytest.mark.parametrize(
    ("name", "kg_per_kwh"),
    [
        pytest.param("Meta (Llama 2 implied)", 0.42345, id="llama2-implied"),
        pytest.param("LLaMA paper (US average)", 0.385, id="llama-paper"),
    ],
)
def test_shipped_grid_intensities_from_the_papers(name, kg_per_kwh):
    region = load_grid_regions().get(name)
    assert region.carbon_kg_per_kwh == kg_per_kwh
    assert region.source


def test_every_shipped_region_has_a_source_and_a_plausible_intensity():
    regions = load_grid_regions()
    assert len(regions) >= 5
    for region in regions:
        assert region.source.strip()
        assert 0 <= region.carbon_kg_per_kwh < 1.5, region.name


def test_lookup_ignores_case_and_spaces():
    hardware = load_hardware()
    assert hardware.get("  h100 sxm ").name == "H100 SXM"
    assert load_grid_regions().get("WORLD AVERAGE").name == "World average"


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(UnknownReferenceName, match=r"unknown GPU 'B200' \(known: .*H100 SXM"):
        load_hardware().get("B200")


def test_explicit_path_is_read(tmp_path):
    table = load_hardware(_write(tmp_path, GOOD_GPU))
    assert table.names == ("Test GPU",)
    assert table.get("test gpu").price_per_gpu_hour_usd == 2.5


# --- bad files -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            GOOD_GPU + GOOD_GPU.replace('"Test GPU"', '"test gpu"'),
            ["gpu entry 2 ('test gpu')", "duplicate name", "entry 1 is 'Test GPU'"],
            id="duplicate-name-ignoring-case",
        ),
        pytest.param(
            GOOD_GPU.replace("board_power_w = 300\n", ""),
            ["gpu entry 1 ('Test GPU')", "missing field 'board_power_w'"],
            id="missing-field",
        ),
        pytest.param(
            GOOD_GPU + GOOD_GPU.replace('"Test GPU"', '"Other"').replace("= 2.5", "= -1"),
            ["gpu entry 2 ('Other')", "price_per_gpu_hour_usd must be >= 0 (got -1)"],
            id="negative-price",
        ),
        pytest.param(
            GOOD_GPU.replace("= 100", "= 0"),
            ["gpu entry 1 ('Test GPU')", "peak_dense_16bit_tflops must be > 0"],
            id="zero-peak",
        ),
        pytest.param(
            GOOD_GPU.replace('name = "Test GPU"\n', ""),
            ["gpu entry 1 (no name)", "missing field 'name'"],
            id="no-name",
        ),
        pytest.param(
            GOOD_GPU.replace("board_power_w", "board_power"),
            ["gpu entry 1 ('Test GPU')", "unknown field(s) board_power"],
            id="misspelt-field",
        ),
        pytest.param(
            GOOD_GPU.replace("= 300", '= "300 W"'),
            ["gpu entry 1 ('Test GPU')", "board_power_w must be a number"],
            id="text-for-a-number",
        ),
        pytest.param(
            GOOD_GPU.replace('"2026-10"', '"October 2026"'),
            ["gpu entry 1 ('Test GPU')", "price_date must be a date"],
            id="bad-date",
        ),
        pytest.param("[[gpu]\nname = ", ["not valid TOML"], id="not-toml"),
        pytest.param("title = 'gpus'\n", ["unknown top-level key(s) title"], id="no-entries"),
    ],
)
def test_bad_hardware_file_names_file_entry_and_problem(tmp_path, text, expected):
    path = _write(tmp_path, text)
    with pytest.raises(InvalidReferenceData) as caught:
        load_hardware(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    for part in expected:
        assert part in message


def test_bad_region_file(tmp_path):
    path = _write(
        tmp_path,
        '[[region]]\nname = "Nowhere"\ncarbon_kg_per_kwh = -0.1\nsource = "made up"\n',
        "grid_regions.toml",
    )
    with pytest.raises(InvalidReferenceData, match=r"region entry 1 \('Nowhere'\).*>= 0"):
        load_grid_regions(path)


def test_missing_file_is_named(tmp_path):
    path = tmp_path / "absent.toml"
    with pytest.raises(InvalidReferenceData, match=r"absent\.toml: cannot read"):
        load_hardware(path)


def test_invalid_reference_data_is_a_value_error(tmp_path):
    with pytest.raises(ValueError):
        load_hardware(_write(tmp_path, "[[gpu]]\n"))
