"""How the briefing reads: sentence lengths and parentheses in its main text (issue 22, point 3).

The main text is every paragraph and list item of the page before the Data-and-methods appendix,
outside tables, figures (charts and their captions), the contents list and the source notes (a
note's number in a sentence is not a word of it). Sentences end at . ! or ? followed by a space and
a capital, digit or quote (so "US$ 2.5bn" and "e.g. the" do not end one). The targets: median
<= 20 words, 90th percentile <= 32, none over 45, at most 0.4 parentheses a sentence, key findings
<= 6 bullets of <= 35 words (tests/test_briefing_build.py holds the built page to them).

CLI: python -m helpers.report.prose reports/briefing.html (exit 1 when a target is missed)
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from pathlib import Path

APPENDIX_ID = "data-and-methods"
KEY_FINDINGS_ID = "key-findings"
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z0-9\"“‘(])")
TARGETS = {
    "median_words": 20,
    "p90_words": 32,
    "longest_words": 45,
    "parentheses_per_sentence": 0.4,
    "key_findings": 6,
    "longest_key_finding_words": 35,
}
_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|vs|approx|No|cf|St|Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\.$")


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, keeping abbreviations inside theirs."""
    parts, current = [], ""
    for piece in _SENTENCE_END.split(" ".join(text.split())):
        current = f"{current} {piece}".strip() if current else piece
        if not _ABBREVIATION.search(current):
            parts.append(current)
            current = ""
    if current:
        parts.append(current)
    return [p for p in parts if re.search(r"\w", p)]


def words(sentence: str) -> int:
    return len(re.findall(r"[^\s—–]+", sentence))


def main_text(page_html: str) -> tuple[list[str], list[str]]:
    """(paragraph and list-item texts of the main text, the key findings' bullets)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page_html, "html.parser")
    left_out = (
        "table, figure, nav, script, style, noscript, .about, section.notes, sup.note-ref, sup.note"
    )
    for hidden in soup.select(left_out):
        hidden.decompose()
    texts, findings, section = [], [], None
    for node in soup.find_all(["h2", "p", "li"]):
        if node.name == "h2":
            section = node.get("id")
            continue
        if section == APPENDIX_ID:
            break
        if node.name == "li" and node.find(["p", "ul", "ol"]):
            continue  # the inner paragraphs are counted themselves
        text = " ".join(node.get_text().split())  # inline tags join their words, as read
        if text:
            texts.append(text)
            if section == KEY_FINDINGS_ID and node.name == "li":
                findings.append(text)
    return texts, findings


def measure(page_html: str) -> dict:
    texts, findings = main_text(page_html)
    all_sentences = [s for text in texts for s in sentences(text)]
    lengths = sorted(words(s) for s in all_sentences)
    if not lengths:
        return {"sentences": 0}
    p90 = lengths[min(len(lengths) - 1, int(round(0.9 * (len(lengths) - 1))))]
    return {
        "sentences": len(lengths),
        "median_words": statistics.median(lengths),
        "p90_words": p90,
        "longest_words": lengths[-1],
        "over_45_words": sum(n > 45 for n in lengths),
        "parentheses_per_sentence": round(
            sum(s.count("(") for s in all_sentences) / len(lengths), 2
        ),
        "key_findings": len(findings),
        "longest_key_finding_words": max((words(f) for f in findings), default=0),
        "longest_sentence": max(all_sentences, key=words),
        "longest_key_finding": max(findings, key=words, default=""),
    }


def missed_targets(numbers: dict) -> list[str]:
    """One line per target the measured numbers miss, naming the worst sentence or bullet."""
    missed = [
        f"{name} is {numbers[name]}, over {limit}"
        for name, limit in TARGETS.items()
        if numbers.get(name, 0) > limit
    ]
    if missed:
        missed.append(f"longest sentence: {numbers['longest_sentence']!r}")
        if numbers.get("longest_key_finding_words", 0) > TARGETS["longest_key_finding_words"]:
            missed.append(f"longest key finding: {numbers['longest_key_finding']!r}")
    return missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.report.prose", description=__doc__)
    parser.add_argument("html", type=Path)
    args = parser.parse_args(argv)
    numbers = measure(args.html.read_text(encoding="utf-8"))
    print(json.dumps(numbers, indent=1, ensure_ascii=False))
    missed = missed_targets(numbers)
    for line in missed:
        print(f"prose: {line}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
