"""One-off: write the provenance sidecars of the vendored raw files (kept for the record).

Re-run only when a raw file is deliberately re-vendored; the build verifies checksums against
these sidecars and refuses to run on a mismatch.
"""
import csv
import hashlib
import json
from pathlib import Path

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
COMMON = {
    "compiled_by": "project data desk from stored copies of public news pages (no live web)",
    "compiled_from": "../shared/data/ of the project workspace (README.md there describes the compilation)",
    "date_accessed": "2026-11-28",
    "licence": (
        "Figures are facts published by China's General Administration of Customs (GACC) and "
        "reported by news outlets; each row keeps a short verbatim quote with its URL for "
        "attribution (quotation for reporting/research). The outlets' articles remain theirs."
    ),
    "how_compiled": (
        "Every row is one number exactly as a page published it, with the page URL, publisher (and "
        "whom it cites), publication date where visible and a verbatim quote containing the number. "
        "Nothing computed, rounded, converted between currencies or interpolated. Where outlets "
        "disagree every version is kept as its own row."
    ),
}
DESCRIPTIONS = {
    "gacc_cn_ru_totals.csv": {
        "title": "China-Russia trade totals per GACC release, as reported by news wires",
        "source": "General Administration of Customs of the PRC (GACC) monthly releases",
        "publishers": "TASS, RIA Novosti, Interfax, Reuters, Sputnik, Lenta.ru, The Moscow Times and others (column `publisher`)",
    },
    "gacc_cn_ru_commodities.csv": {
        "title": "China-Russia trade by commodity per GACC release, as reported by news wires",
        "source": "GACC monthly commodity releases and wire calculations on GACC data",
        "publishers": "Reuters, Bloomberg, Interfax, RIA Novosti, TASS, Kommersant and others (column `publisher`)",
    },
    "context_facts.csv": {
        "title": "Non-customs context: GDP, car-market shares, car sales, key rate, machine tools",
        "source": "World Bank / IMF (GDP), Autostat (car market), Bank of Russia (key rate), Rosstat and industry bodies",
        "publishers": "as in column `publisher`",
    },
}

for name, description in DESCRIPTIONS.items():
    path = RAW / name
    data = path.read_bytes()
    with path.open(newline="", encoding="utf-8") as handle:
        rows = sum(1 for _ in csv.DictReader(handle))
    sidecar = {"file": name, **description, **COMMON,
               "sha256": hashlib.sha256(data).hexdigest(), "rows": rows, "bytes": len(data)}
    path.with_suffix(".meta.json").write_text(json.dumps(sidecar, indent=2, ensure_ascii=False) + "\n")
    print(name, rows, sidecar["sha256"][:12])
