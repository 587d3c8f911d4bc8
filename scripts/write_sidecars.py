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


def write_sidecars(descriptions: dict, common: dict, sidecar_for) -> None:
    """One sidecar per file: its description, the common fields, sha256, data rows and bytes."""
    for name, description in descriptions.items():
        path = RAW / name
        data = path.read_bytes()
        with path.open(newline="", encoding="utf-8") as handle:
            rows = sum(1 for _ in csv.DictReader(handle))
        sidecar = {
            "file": name,
            **description,
            **common,
            "sha256": hashlib.sha256(data).hexdigest(),
            "rows": rows,
            "bytes": len(data),
        }
        sidecar_for(path).write_text(json.dumps(sidecar, indent=2, ensure_ascii=False) + "\n")
        print(name, rows, sidecar["sha256"][:12])


write_sidecars(DESCRIPTIONS, COMMON, lambda path: path.with_suffix(".meta.json"))

# Real customs rows (../shared/data/hs_level/, README.md there): vendored byte-for-byte under
# data/raw/<source>/ with a `<file>.meta.json` sidecar (helpers.sources.provenance.sidecar_of).
SAMI = ("SamiNakibETU/Russia_China_relationship", "cf1c0792422867ad5c396682b2d2278257d8fde9")
DOI = "DoiEnnoson/china-energy-monitor"
HS_LEVEL = {
    "baci/baci_hs17_v202501_cn_ru_2017_2023.csv": {
        "title": "BACI (CEPII), HS 2017 six-digit trade China <-> Russia, annual 2017-2023, both directions",
        "publisher": "CEPII, BACI (HS 2017 nomenclature, release V202501), reconciled from UN Comtrade declarations",
        "origin_repository": SAMI[0],
        "origin_commit": SAMI[1],
        "origin_path": "russia_china_dependency/01_raw_data/trade/baci_russia_china_processed_2017_2023.csv",
        "how_compiled": "The origin repository's script filters CEPII's BACI_HS17_Y*_V202501.csv release files to "
        "exporter and importer in {156 China, 643 Russia}. Byte-for-byte copy.",
        "licence": "CEPII's terms for BACI (open licence, Etalab 2.0 per CEPII); cite "
        '"Gaulier & Zignago (2010), BACI, CEPII".',
        "columns": "t year; i exporter, j importer (M49: 156 China, 643 Russia); k HS 2017 code with its leading "
        "zero dropped (pad to 6); v value in thousand US$ (FOB, reconciled); q metric tonnes (may be empty)",
    },
    "comtrade/comtrade_cn_imports_from_ru_total_monthly_2017_2024.csv": {
        "title": "UN Comtrade final monthly data: China's imports from Russia, all goods, 2017-01..2024-12",
        "publisher": "UN Comtrade (data reported by China)",
        "origin_repository": SAMI[0],
        "origin_commit": SAMI[1],
        "origin_path": "russia_china_dependency/01_raw_data/trade/comtrade_imports_chn_from_rus_2017_2024.csv",
        "how_compiled": "The frame the comtradeapicall package returns for final monthly data (reporter 156, flow M, "
        "partner 643, cmdCode TOTAL, partner2Code 0, customsCode C00, motCode 0), saved as CSV. "
        "Byte-for-byte copy.",
        "licence": "UN Comtrade terms of use (comtradeplus.un.org); cite UN Comtrade as the source.",
        "columns": "standard Comtrade v1 columns; description columns empty; values in US$",
    },
    "fuel/comtrade_cn_fuel_imports_from_ru_monthly_2020_2024.csv": {
        "title": "UN Comtrade monthly China imports from Russia of HS 2701, 2709, 271111, 271121, 2020-01..2024-12",
        "publisher": "UN Comtrade (data reported by China), compiled by DoiEnnoson/china-energy-monitor",
        "origin_repository": DOI,
        "origin_commit": "fcb94172fc1ad12e44ddfcb95dc3279097f95524",
        "origin_path": "data/fuel-imports/comtrade_history.csv",
        "how_compiled": "Built by the origin repository's script from comtradeapicall.getFinalData(typeCode=C, "
        "freqCode=M, reporterCode=156, flowCode=M, partner2Code=0, customsCode=C00, motCode=0). "
        "Rows extracted: only the Russian Federation rows were kept; header and kept lines unchanged.",
        "licence": "UN Comtrade terms of use; compilation by the origin repository (cite it and UN Comtrade).",
        "columns": "period YYYYMM; commodity; commodity_code; partner; value_usd_bn (primaryValue/1e9, 4 decimals); "
        "qty_mt (million tonnes); value_per_mt_usd",
        "caveat": "Pipeline-gas rows share one unit value across partners within a year (e.g. 504.54 US$/t in 2024): "
        "they look estimated.",
    },
    "fuel/customs_cn_fuel_imports_from_ru_monthly_2025_2026.csv": {
        "title": "China customs monthly imports from Russia of crude oil, coal, LNG, pipeline gas, 2025-01..2026-07",
        "publisher": "China customs, compiled by DoiEnnoson/china-energy-monitor",
        "origin_repository": DOI,
        "origin_commit": "0c8702154289cf478d5341a641a24404592472f2",
        "origin_path": "data/fuel-imports/gacc_{crude_oil,coal,lng,pipeline_gas}.csv",
        "how_compiled": "Rows extracted: the Russian Federation rows of the four files, with columns commodity and "
        "source_file added to say which file each came from. How the origin repository retrieved "
        "them is not documented there: a secondary compilation, ranked below a published GACC figure.",
        "licence": "Facts published by China's General Administration of Customs; compilation by the origin "
        "repository (cite it and GACC).",
        "columns": "period YYYYMM; commodity; source_file; partner; value_usd_bn",
    },
}
HS_COMMON = {
    "compiled_from": "../shared/data/hs_level/ of the project workspace (README.md there)",
    "retrieved_at": "2026-11-28",
    "date_accessed": "2026-11-28",
}

write_sidecars(HS_LEVEL, HS_COMMON, lambda path: Path(str(path) + ".meta.json"))  # x.csv.meta.json
