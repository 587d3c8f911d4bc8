"""Swap a complete staged build into `reports/`, or change nothing.

The stage (one directory per build, under build/) is complete before anything moves. Its files are
then moved into reports/ with os.replace (atomic per file), so nothing temporary is ever written
inside reports/. Only if build/ and reports/ are on different filesystems (os.replace cannot cross
them) is each file first copied next to its destination under a temporary name, all copies before
any replace, and every temporary removed if a copy fails. A failed or incomplete build therefore
leaves the previous reports byte-identical.

CLI: python -m helpers.report.publish build/stage reports
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from pathlib import Path

from ..core.errors import InputError, run_main
from ..core.paths import ID

MAIN_FILES = ("briefing.html", "briefing.pdf", "briefing.zip")
BUNDLE = "briefing.zip"  # the page with its PDF, figure files and table CSVs: one file to send
FIGURE_SUFFIXES = (".png", ".svg", ".csv")
TMP_SUFFIX = ".publish-tmp"
_FIGURE_FILE = re.compile(rf"^(?P<id>{ID})\.(png|svg|csv)$")
_TABLE_FILE = re.compile(rf"^{ID}\.csv$")
_NOTEBOOK_FILE = re.compile(rf"^{ID}\.(html|ipynb)$")
_ASSET_FILE = re.compile(rf"^{ID}\.js$")
FOLDERS = (
    ("figures", _FIGURE_FILE),
    ("tables", _TABLE_FILE),
    ("notebooks", _NOTEBOOK_FILE),
    ("assets", _ASSET_FILE),
)


def figure_ids_in_html(html_text: str) -> list[str]:
    """Figure ids in page order, from the containers helpers.report.page writes."""
    return re.findall(r'<div id="fig-[^"]+" class="figure" data-figure-id="([^"]+)"', html_text)


def table_csvs_in_html(html_text: str) -> list[str]:
    """`tables/<id>.csv` paths the page links to (helpers.report.tables and the sources section
    write `data-csv`), in page order, each once."""
    return list(dict.fromkeys(re.findall(r'data-csv="(tables/[^"]+)"', html_text)))


def notebooks_in_html(html_text: str) -> list[str]:
    """`notebooks/<name>.html|.ipynb` paths the page links to (the methods section links each executed notebook,
    helpers.report.notebook_export writes them), in page order."""
    return list(
        dict.fromkeys(re.findall(rf'<a href="(notebooks/{ID}\.(?:html|ipynb))"', html_text))
    )


def assets_in_html(html_text: str) -> list[str]:
    """`assets/<name>.js` files the page loads for its interactive charts (helpers.report.page)."""
    return list(dict.fromkeys(re.findall(r'"(assets/[a-z0-9_-]+\.js)\?v=[0-9a-f]+"', html_text)))


def write_bundle(stage: Path) -> Path:
    """briefing.zip: the page, the PDF and every figure and table file it links to, at the same relative
    paths, so the page's links and its interactive charts work once unzipped. Byte-identical for the same
    inputs: entries in page order, one fixed date (SOURCE_DATE_EPOCH, at least 1980, zip's first year), fixed modes."""
    import datetime as dt
    import zipfile

    stage = Path(stage)
    epoch = max(int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0), 315532800)  # 1980-01-01
    stamp = dt.datetime.fromtimestamp(epoch, dt.UTC).timetuple()[:6]
    members = ["briefing.html", "briefing.pdf", *staged_links(stage)]
    bundle = stage / BUNDLE
    with zipfile.ZipFile(bundle, "w") as archive:
        for name in members:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            # PNG and PDF are compressed already: stored, which keeps the step fast
            info.compress_type = (
                zipfile.ZIP_STORED if name.endswith((".png", ".pdf")) else zipfile.ZIP_DEFLATED
            )
            archive.writestr(info, (stage / name).read_bytes(), compresslevel=6)
    return bundle


class IncompleteStage(InputError):
    """The staged build lacks files; nothing was published."""


class NotPublishable(InputError):
    """reports/ cannot be written: checked before the build starts, so no work is wasted."""


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_publishable(reports_dir: Path) -> None:
    """reports/ and reports/figures/ are (or can be created as) writable directories."""
    reports = Path(reports_dir)
    for folder in (reports, reports / "figures", reports / "notebooks"):
        if folder.exists() and not folder.is_dir():
            raise NotPublishable(
                f"{folder} is not a directory; move it away so the briefing can be published"
            )
        existing = _nearest_existing(folder)
        read_only = bool(os.statvfs(existing).f_flag & os.ST_RDONLY)
        if read_only or not os.access(existing, os.W_OK | os.X_OK):
            raise NotPublishable(
                f"{existing} is not writable{' (read-only file system)' if read_only else ''}; "
                "fix its permissions, then run again"
            )


def staged_links(stage: Path) -> list[str]:
    """The figure, table, notebook and asset files the staged page links to, in page order."""
    page = (stage / "briefing.html").read_text(encoding="utf-8")
    figures = [
        f"figures/{id_}{suffix}" for id_ in figure_ids_in_html(page) for suffix in FIGURE_SUFFIXES
    ]
    return [*figures, *table_csvs_in_html(page), *notebooks_in_html(page), *assets_in_html(page)]


def missing_files(stage: Path) -> list[str]:
    """Relative paths the stage must contain but does not (empty files count as missing)."""

    def absent(relative: str) -> bool:
        return not (stage / relative).is_file() or (stage / relative).stat().st_size == 0

    missing = [name for name in MAIN_FILES if absent(name)]
    if "briefing.html" in missing:
        return missing
    return missing + [relative for relative in staged_links(stage) if absent(relative)]


def stale_figure_files(reports: Path, published: list[str]) -> list[Path]:
    """Figure, table, notebook and asset files in reports/ that the new build no longer produces."""
    keep = set(published)
    stale = []
    for folder, pattern in FOLDERS:
        if (reports / folder).is_dir():
            stale += [
                p
                for p in (reports / folder).iterdir()
                if p.is_file() and pattern.match(p.name) and f"{folder}/{p.name}" not in keep
            ]
    return sorted(stale)


def copy_to_temporaries(stage: Path, reports: Path, relatives: list[str]) -> list[Path]:
    """Cross-filesystem fallback: copies beside their targets, all removed again if any copy fails."""
    temporaries: list[Path] = []
    target = reports
    try:
        for relative in relatives:
            target = reports / relative
            temporary = target.with_name(target.name + TMP_SUFFIX)
            temporaries.append(temporary)
            shutil.copyfile(stage / relative, temporary)
    except BaseException as error:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)
        if isinstance(error, OSError) and error.errno:  # name the file (disk full, ...)
            raise OSError(error.errno, error.strerror, str(target)) from None
        raise
    return temporaries


def _same_filesystem(stage: Path, reports: Path) -> bool:
    return os.stat(stage).st_dev == os.stat(reports).st_dev == os.stat(reports / "figures").st_dev


def publish(stage_dir: Path, reports_dir: Path) -> list[str]:
    """Replace reports with the staged build if it is complete; return the published paths."""
    stage, reports = Path(stage_dir), Path(reports_dir)
    missing = missing_files(stage)
    if missing:
        raise IncompleteStage(
            f"{stage} is incomplete, reports left unchanged; missing: " + ", ".join(missing)
        )
    relatives = [*MAIN_FILES, *staged_links(stage)]
    check_publishable(reports)
    for folder, _ in FOLDERS:  # a fresh clone has none
        (reports / folder).mkdir(parents=True, exist_ok=True)
    for leftover in reports.rglob(f"*{TMP_SUFFIX}"):  # from a copy killed mid-way by an older build
        leftover.unlink()
    if _same_filesystem(stage, reports):
        for relative in relatives:
            os.replace(stage / relative, reports / relative)
    else:
        for temporary in copy_to_temporaries(stage, reports, relatives):
            os.replace(temporary, temporary.with_name(temporary.name[: -len(TMP_SUFFIX)]))
    for stale in stale_figure_files(reports, relatives):
        stale.unlink()
    return relatives


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.report.publish", description=__doc__)
    parser.add_argument("stage", type=Path)
    parser.add_argument("reports", type=Path)
    args = parser.parse_args(argv)
    published = publish(args.stage, args.reports)
    print(f"[publish] {len(published)} files -> {args.reports}")
    return 0


if __name__ == "__main__":
    sys.exit(run_main("publish", main))
