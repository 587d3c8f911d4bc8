"""build/cache/ (helpers.core.result_cache): a result is computed once per key and comes back as it was computed;
each kind keeps its most recent entries; without the build's code key nothing is cached. And what a build keeps
there: a figure's SVG by spec, a Section's raw tables by every input but the claims file."""

import shutil
import time

import pytest

from helpers.core import result_cache
from helpers.core.paths import CONFIG_DIR
from helpers.core.result_cache import CODE_KEY_VARIABLE, cached
from helpers.report import drawing
from helpers.sections import section as section_module


@pytest.fixture
def build(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_BUILD_DIR", str(tmp_path / "build"))
    monkeypatch.setenv(CODE_KEY_VARIABLE, "code-1")
    return tmp_path / "build"


def test_a_result_is_computed_once_per_key_and_returned_as_computed(build):
    calls = []

    def compute(value):
        return lambda: calls.append(value) or value

    text = "line\r\nnext ✓"  # kept byte for byte: no newline translation
    assert cached("kind", ["a", {"x": 1}], compute(text)) == text
    assert cached("kind", ["a", {"x": 1}], compute("other")) == text
    assert cached("kind", ["b"], compute(b"\x00\xff")) == b"\x00\xff"
    assert cached("kind", ["b"], compute(b"")) == b"\x00\xff"
    assert cached("kind", ["a", {"x": 2}], compute("two")) == "two"
    assert calls == [text, b"\x00\xff", "two"]


def test_the_order_of_a_key_counts(build):
    """A spec's order of keys may change its drawing: {x, y} and {y, x} are two entries."""
    assert cached("kind", {"x": 1, "y": 2}, lambda: "first") == "first"
    assert cached("kind", {"y": 2, "x": 1}, lambda: "second") == "second"


def test_each_kind_keeps_its_most_recently_used_entries(build):
    for number in range(5):
        cached("kind", number, lambda n=number: f"v{n}", keep=3)
        time.sleep(0.02)  # file times are coarse: one tick apart
    assert len(list((build / "cache" / "kind").iterdir())) == 3
    calls = []
    assert cached("kind", 2, lambda: calls.append(2) or "again", keep=3) == "v2"  # used: kept
    time.sleep(0.02)
    assert cached("kind", 0, lambda: calls.append(0) or "again", keep=3) == "again"
    assert cached("kind", 2, lambda: calls.append(2) or "again", keep=3) == "v2"
    assert cached("kind", 3, lambda: calls.append(3) or "again", keep=3) == "again"  # dropped
    assert calls == [0, 3]


def test_without_the_code_key_a_drawing_is_made_afresh(build, monkeypatch):
    spec = {
        "mark": "point",
        "data": {"values": [{"x": 1}]},
        "encoding": {"x": {"field": "x", "type": "quantitative"}},
    }
    monkeypatch.delenv(CODE_KEY_VARIABLE)
    assert result_cache.code_key() is None
    fresh = drawing.draw_svg(spec)
    assert not (build / "cache").exists()
    monkeypatch.setenv(CODE_KEY_VARIABLE, "code-1")
    assert drawing.draw_svg(spec) == fresh
    assert len(list((build / "cache" / "svg").iterdir())) == 1
    monkeypatch.setattr(drawing, "draw_svg_now", lambda spec: pytest.fail("drawn again"))
    assert drawing.draw_svg(spec) == fresh


def test_raw_tables_are_kept_by_every_input_but_the_claims_file(build, tmp_path, monkeypatch):
    raw, config = tmp_path / "raw", tmp_path / "config"
    (raw / "fuel").mkdir(parents=True)
    (raw / "fuel" / "rows.csv").write_text("period,value\n2025-01,1\n")
    shutil.copytree(CONFIG_DIR, config)
    monkeypatch.setattr(section_module, "RAW_DIR", raw)
    monkeypatch.setattr(section_module, "CONFIG_DIR", config)
    params = {
        "groups_file": str(config / "commodity_groups.yaml"),
        "claims_file": str(config / "claims.yaml"),
        "partner_code": "RU",
    }
    calls = []

    def load(params=params):
        section = section_module.Section(dict(params))
        return section.stored("raw", lambda: calls.append(1) or {"rows": [1, 2]})

    assert load() == {"rows": [1, 2]} and load() == {"rows": [1, 2]} and calls == [1]
    (config / "claims.yaml").write_text((config / "claims.yaml").read_text() + "# reworded\n")
    assert load() == {"rows": [1, 2]} and calls == [1]
    (config / "sources.yaml").write_text((config / "sources.yaml").read_text() + "# edited\n")
    load()
    (raw / "fuel" / "rows.csv").write_text("period,value\n2025-01,2\n")
    load()
    load({**params, "partner_code": "KZ"})
    assert calls == [1, 1, 1, 1]
    monkeypatch.setenv(CODE_KEY_VARIABLE, "code-2")
    load()
    assert len(calls) == 5


def test_what_a_build_keeps_by_every_input_but_the_claims_file_reads_no_claim(build, tmp_path):
    """The Section's results kept in build/cache/tables/ under a key without the claims file: each is computed
    here with no claims file at all."""
    from helpers.sections.fuel import fuel_comparison
    from helpers.sections.methods import reconciliation_tables
    from helpers.sections.raw_rows import annual_check, composition_view, imports_view, month_check

    section = section_module.Section(
        {
            "period_end": "2025-07",
            "partner_code": "RU",
            "groups_file": "config/commodity_groups.yaml",
            "claims_file": str(tmp_path / "no-claims-here.yaml"),
        }
    )
    assert len(section.customs.totals) and len(section.raw.baci) and len(section.hs_rows)
    assert "mineral_fuels" in set(section.group_changes().group)
    assert len(composition_view(section)) and len(reconciliation_tables(section)[0])
    assert len(imports_view(section)) and len(annual_check(section)) and len(month_check(section))
    fuel = fuel_comparison(section, "2025-07").set_index("group")
    assert fuel.loc["crude_oil", "change_pct"] == -21.3  # GACC via BTCC Square, row 321
    assert sorted(p.name for p in (build / "cache" / "tables").iterdir()) == [
        "annual-check",
        "composition",
        "customs",
        "fuel-comparison",
        "group_changes",
        "imports-view",
        "month-check",
        "raw",
        "reconciliation",
    ]


def test_a_claims_edit_recomputes_the_since_figures_of_that_claim_alone(
    build, tmp_path, monkeypatch
):
    from helpers.sections import since

    claims = tmp_path / "claims.yaml"
    text = (CONFIG_DIR / "claims.yaml").read_text(encoding="utf-8")
    claims.write_text(text, encoding="utf-8")
    params = {
        "period_end": "2025-07",
        "partner_code": "RU",
        "groups_file": "config/commodity_groups.yaml",
        "claims_file": str(claims),
    }
    followed = []
    follow = since._follow
    monkeypatch.setattr(
        since,
        "_follow",
        lambda s, claim, month: followed.append(claim["id"]) or follow(s, claim, month),
    )
    first = since.follow_table(section_module.Section(dict(params)))
    assert len(followed) == 10
    claims.write_text(text.replace("all-time high of about", "all-time peak of about"), "utf-8")
    again = since.follow_table(section_module.Section(dict(params)))
    assert followed[10:] == ["record_2024"]
    assert again.equals(first)
