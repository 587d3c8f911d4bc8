import hashlib
from pathlib import Path

import pytest

from helpers.core.errors import InputError
from helpers.fetch import cli as fetch
from test_comtrade import DUMMY_KEY, FakeClient


def tree(directory: Path) -> dict:
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def raw_dir(tmp_path):
    raw = tmp_path / "data" / "raw"
    (raw / "gacc").mkdir(parents=True)
    (raw / "gacc" / "existing.csv").write_text(
        "数据年月,商品编码,贸易伙伴名称,美元\n202401,8703,俄罗斯联邦,1\n"
    )
    return raw


def test_offline_fetch_exits_2_with_one_line_and_writes_nothing(raw_dir, capsys, monkeypatch):
    monkeypatch.setenv("COMTRADE_API_KEY", DUMMY_KEY)
    before = tree(raw_dir)
    client = FakeClient(
        script=[
            ConnectionError(
                f"[Errno -3] Temporary failure in name resolution "
                f"(url ...&subscription-key={DUMMY_KEY})"
            )
        ]
        * 4
    )
    code = fetch.main(
        [
            "--partner",
            "RU",
            "--from",
            "2023-01",
            "--to",
            "2025-07",
            "--hs",
            "8703,8704",
            "--out",
            str(raw_dir / "comtrade"),
        ],
        client=client,
        sleep=lambda s: None,
    )
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "fetch: cannot reach comtradeapi.un.org (no network?): ConnectionError: "
        "[Errno -3] Temporary failure in name resolution"
    )
    assert DUMMY_KEY not in err
    assert tree(raw_dir) == before
    assert not (raw_dir / "comtrade").exists()


def test_fetch_success_prints_snapshot_paths_and_key_stays_out_of_files(
    raw_dir, capsys, monkeypatch
):
    monkeypatch.setenv("COMTRADE_API_KEY", DUMMY_KEY)
    client = FakeClient()
    code = fetch.main(
        ["--partner", "Russia", "--from", "2024-01", "--to", "2024-14"], client=client
    )
    assert code == 2 and "period '2024-14' is not YYYY-MM" in capsys.readouterr().err
    code = fetch.main(
        [
            "--partner",
            "RU",
            "--from",
            "2024-01",
            "--to",
            "2024-03",
            "--hs",
            "8703,0303",
            "--out",
            str(raw_dir / "comtrade"),
        ],
        client=client,
        sleep=lambda s: None,
    )
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    written = sorted((raw_dir / "comtrade").iterdir())
    assert len(written) == 2 and written[1].name == written[0].name + ".meta.json"
    assert out.strip() == str(written[0])
    for path in written:
        assert DUMMY_KEY.encode() not in path.read_bytes()
    assert DUMMY_KEY not in out + err
    assert client.calls[0]["cmdCode"] == "8703,0303" and client.calls[0]["key"] == DUMMY_KEY


def test_fetch_uses_cache_and_refresh(raw_dir, capsys):
    client = FakeClient()
    argv = [
        "--partner",
        "RU",
        "--from",
        "2024-01",
        "--to",
        "2024-02",
        "--hs",
        "8703",
        "--out",
        str(raw_dir / "comtrade"),
    ]
    assert fetch.main(argv, client=client) == 0
    assert fetch.main(argv, client=client) == 0
    assert len(client.calls) == 1
    assert fetch.main(argv + ["--refresh"], client=client) == 0
    assert len(client.calls) == 2


def test_unknown_partner_is_one_line(capsys):
    code = fetch.main(
        ["--partner", "Atlantis", "--from", "2024-01", "--to", "2024-02"], client=FakeClient()
    )
    err = capsys.readouterr().err
    assert code == 2 and len(err.splitlines()) == 1
    assert err.startswith("fetch: error: unknown partner 'Atlantis'; valid values")


def test_default_hs_codes_from_groups_yaml(tmp_path):
    groups = tmp_path / "commodity_groups.yaml"
    groups.write_text(
        "groups:\n"
        "  vehicles: {hs: {HS2022: ['8701', '8703'], HS2017: ['8701', '8703']}}\n"
        "  phones: {hs: {HS2022: ['851713'], HS2017: ['851712']}}\n"
        "  low_value: {hs: {GACC: ['9804']}}\n"
    )
    assert fetch.default_hs_codes(groups) == ["8701", "8703", "851713", "851712"]
    with pytest.raises(InputError, match="missing.yaml: config file is missing"):
        fetch.default_hs_codes(tmp_path / "missing.yaml")  # no hand-kept copy of the groups' codes


def test_project_groups_yaml_gives_codes():
    codes = fetch.default_hs_codes()
    assert {"8701", "8703", "8704", "851713"} <= set(codes)
    assert "9804" not in codes  # GACC national code: not in Comtrade


def test_real_client_path_checks_dns_first(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(
        fetch, "_host_resolves", lambda host=fetch.API_HOST: "[Errno -2] Name or service not known"
    )
    code = fetch.main(
        ["--partner", "RU", "--from", "2024-01", "--to", "2024-02", "--out", str(tmp_path / "c")]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err == (
        "fetch: cannot reach comtradeapi.un.org (no network?): "
        "[Errno -2] Name or service not known\n"
    )
    assert not (tmp_path / "c").exists()
