"""The one-kernel runner: parameters injected as strings, no variable shared, failures reported in one line."""

import json

import nbformat
import pytest

from helpers.pipeline.run_notebooks import main


def notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "ru-cn-briefing",
        "display_name": "x",
        "language": "python",
    }
    cells = [nbformat.v4.new_code_cell('period_end = "2025-07"\npartner = "Russia"')]
    cells[0].metadata["tags"] = ["parameters"]
    nb.cells = cells + [nbformat.v4.new_code_cell(source) for source in sources]
    nbformat.write(nb, path)
    return path


@pytest.fixture()
def params(tmp_path):
    path = tmp_path / "params.json"
    path.write_text(
        json.dumps(
            {
                "period_end": "2024-12",
                "partner": "643",
                "groups_file": "g.yaml",
                "claims_file": "c.yaml",
                "partner_code": "RU",
            }
        )
    )
    return path


def test_parameters_are_strings_and_no_variable_leaks_between_notebooks(tmp_path, params):
    """One kernel, but each notebook starts from an empty namespace, as when it is run alone; modules
    imported by an earlier notebook stay imported (that is what the shared kernel saves)."""
    first = notebook(
        tmp_path / "a.ipynb", "import json\nshared = period_end + '/' + partner; print(shared)"
    )
    second = notebook(
        tmp_path / "b.ipynb",
        "import sys\nprint(type(partner).__name__, period_end, "
        "'shared' in globals(), 'json' in globals(), 'json' in sys.modules)",
    )
    assert (
        main([str(first), str(second), "--params", str(params), "--out", str(tmp_path / "out")])
        == 0
    )
    executed = [
        nbformat.read(tmp_path / "out" / name, as_version=4) for name in ("a.ipynb", "b.ipynb")
    ]
    outputs = [nb.cells[-1].outputs[0].text for nb in executed]
    assert outputs == [
        "2024-12/643\n",
        "str 2024-12 False False True\n",
    ]  # "643" is not guessed into an int
    for nb in (
        executed
    ):  # each reads as if run alone: cells numbered from 1, papermill's injected cell as is
        assert [cell.execution_count for cell in nb.cells] == [1, 2, 3]
        assert [len(cell.outputs) for cell in nb.cells[:2]] == [
            0,
            0,
        ]  # no history warning or other stray text
        assert nb.cells[1].source.startswith("# Parameters\n")


def test_failure_names_notebook_and_error_and_keeps_partial(tmp_path, params, capsys):
    failing = notebook(tmp_path / "c.ipynb", "raise ValueError('no figure for 2031')")
    assert main([str(failing), "--params", str(params), "--out", str(tmp_path / "out")]) == 2
    message = capsys.readouterr().err.strip()
    # the cell as the notebook numbers it (the parameters cell is 1; papermill's injected cell not
    # counted), the error's type and text (issue 23, point 6)
    assert message.startswith(
        "run-notebooks: error: c.ipynb failed in cell 2: ValueError: no figure for 2031 (see "
    )
    assert (
        "\x1b[" not in message and "\n" not in message
    )  # one plain line, no terminal colour codes
    assert (tmp_path / "out" / "c.failed.ipynb").exists() and not (
        tmp_path / "out" / "c.ipynb"
    ).exists()


def test_a_syntax_error_names_notebook_cell_and_line_in_one_line(tmp_path, params, capsys):
    failing = notebook(tmp_path / "d.ipynb", "x = 1", "total = (1 +\n  2))")
    failing_nb = nbformat.read(failing, as_version=4)
    failing_nb.cells.insert(1, nbformat.v4.new_markdown_cell("## A heading counts as a cell"))
    nbformat.write(failing_nb, failing)
    assert main([str(failing), "--params", str(params), "--out", str(tmp_path / "out")]) == 2
    message = capsys.readouterr().err
    assert message.count("\n") == 1
    assert message.startswith(
        "run-notebooks: error: d.ipynb failed in cell 4: SyntaxError: unmatched ')' (line 2) (see "
    ), message


@pytest.mark.parametrize("say, runs", [("go\n", True), ("", False)])
def test_runner_started_early_runs_only_after_go(tmp_path, params, say, runs):
    """`make report` starts the runner (kernel + imports) during the input check and says go only if
    the check passed; a closed line (failed check) makes it stop without running a cell."""
    import subprocess
    import sys

    marker = tmp_path / "ran"
    first = notebook(tmp_path / "a.ipynb", f"open({str(marker)!r}, 'w').close()")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "helpers.pipeline.run_notebooks",
            str(first),
            "--params",
            str(params),
            "--out",
            str(tmp_path / "out"),
            "--wait-for-go",
        ],
        input=say,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert marker.exists() is runs and (tmp_path / "out" / "a.ipynb").exists() is runs
    assert ("timing: kernel start + imports" in result.stdout) is runs
    assert result.stderr == ""  # IPC transport: no kernel warning about TCP on every build
