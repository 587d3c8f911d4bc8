"""Tables computed once per build: one Section per kernel while parameters and input files stay the
same (and a fresh one when a JupyterLab user edits an input), the stage go-ahead, the input signature;
and how sentences write a change."""

import io
import shutil

from helpers.core.early_start import wait_for_go
from helpers.core.paths import CONFIG_DIR, files_signature
from helpers.model.customs import CustomsData
from helpers.sections.findings import claim_table
from helpers.sections.section import open_section


def parameters(groups_file):
    return dict(
        period_end="2025-07",
        partner="Russia",
        groups_file=str(groups_file),
        claims_file="config/claims.yaml",
    )


def test_notebooks_of_one_kernel_share_one_section_until_an_input_changes(tmp_path):
    groups = tmp_path / "groups.yaml"
    shutil.copyfile(CONFIG_DIR / "commodity_groups.yaml", groups)
    first = open_section(**parameters(groups))
    assert open_section(**parameters(groups)) is first
    assert open_section(**{**parameters(groups), "period_end": "2025-06"}) is not first
    second = open_section(**parameters(groups))
    groups.write_text(
        groups.read_text(encoding="utf-8") + "\n# edited in JupyterLab\n", encoding="utf-8"
    )
    assert open_section(**parameters(groups)) is not second


def test_shared_claim_table_is_computed_once_and_handed_out_as_copies(tmp_path):
    groups = tmp_path / "groups.yaml"
    shutil.copyfile(CONFIG_DIR / "commodity_groups.yaml", groups)
    section = open_section(**parameters(groups))
    first = claim_table(section)
    first.loc[:, "verdict"] = "changed by a notebook"
    second = claim_table(section)
    assert list(section._shared) == ["claim_table"]
    assert "changed by a notebook" not in set(second.verdict)
    assert (
        second.loc[second.claim_id == "vehicles", "verdict"].item()
        == "cannot be checked with this data"
    )


def test_monthly_series_cached_per_period_and_copied(customs: CustomsData):
    first = customs.monthly("2025-07")
    first.loc[:, "value"] = -1.0
    again = customs.monthly("2025-07")
    assert (again.value.dropna() > 0).all()
    total = again.loc[again.flow == "total"].set_index("period")
    assert total.loc[["2025-06", "2025-07"], "value"].tolist() == [
        17600.0,
        19130.0,
    ]  # US$ mn, as published
    assert len(customs.monthly("2024-12")) < len(again)


def test_files_signature_sees_edits_additions_and_removals(tmp_path):
    (tmp_path / "a.csv").write_text("x\n1\n")
    before = files_signature(tmp_path)
    (tmp_path / "a.csv").write_text("x\n12\n")
    edited = files_signature(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.csv").write_text("y\n")
    added = files_signature(tmp_path)
    (tmp_path / "a.csv").unlink()
    removed = files_signature(tmp_path)
    assert len({before, edited, added, removed}) == 4
    assert [entry[0].rsplit("/", 1)[-1] for entry in added] == ["a.csv", "b.csv"]


def test_a_stage_started_early_works_only_on_go():
    assert wait_for_go(io.StringIO("go\n")) is True
    assert wait_for_go(io.StringIO("")) is False  # the build closed the line: earlier stage failed
    assert wait_for_go(io.StringIO("stop\n")) is False


def test_sentences_write_changes_as_the_charts_do():
    from helpers.core.text import percentage_points, signed_pct

    assert [signed_pct(-56.3), signed_pct(21.4), signed_pct(-0.456, 2)] == [
        "−56.3%",
        "+21.4%",
        "−0.46%",
    ]
    assert [signed_pct(-46, None), signed_pct(137, None), signed_pct(-27.5, None)] == [
        "−46%",
        "+137%",
        "−27.5%",
    ]
    assert [signed_pct(-0.04), signed_pct(0.0), signed_pct(-0.004, 2), signed_pct(0, None)] == [
        "0.0%",
        "0.0%",
        "0.00%",
        "0%",
    ]
    assert [percentage_points(1), percentage_points(2), percentage_points(0.5)] == [
        "1 point",
        "2 points",
        "0.5 points",
    ]


def test_story_values_use_the_same_minus_sign(tmp_path):
    groups = tmp_path / "groups.yaml"
    shutil.copyfile(CONFIG_DIR / "commodity_groups.yaml", groups)
    story = claim_table(open_section(**parameters(groups))).set_index("claim_id").story_value
    assert story[["fuel_exports", "vehicles"]].tolist() == ["−20%", "−46%, $5.8bn"]
    assert story["machine_tools"] == "+137% (2021–2024)"  # a year range keeps its dash
