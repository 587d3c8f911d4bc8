"""The `since:` block of a claim in config/claims.yaml: how later data decide whether the story's figure held.

One small model, parsed and checked here (a schema for claims.yaml can take `SinceRule` over whole); the
verdicts it decides are helpers.claims.since's. Fields, in the claim's own terms:

- `label`: the claim's short name in the "Since the story" section ("Fuel", "Turnover").
- `rule`: `band` (a later number against the story's), `record` (the story's year still the highest) or
  `direction` (the story said "rose": is each later change a rise?).
- `of` (band): which number of the claim's `story:` is followed, e.g. `change_pct`.
- `held_within` (band): a later number this close to the story's (same units: points for a change) held.
- `reversed_at` (band): a later number past this value, on the other side from the story's, reversed
  (0 for a change: a fall that turned into a rise).
- `min_months`: a later figure covering fewer months (January–February: 2) decides nothing.
- `settle` (optional): the data that would give a later figure, named where there is none.
"""

from dataclasses import dataclass, fields

from ..core.errors import InputError

SINCE_RULES = ("band", "record", "direction")


@dataclass(frozen=True)
class SinceRule:
    label: str
    rule: str
    min_months: int
    of: str = ""
    held_within: float = 0.0
    reversed_at: float = 0.0
    settle: str = ""


def parse_since_rule(raw, claim: dict, path) -> SinceRule:
    """A claim's `since:` mapping checked and typed; one line naming the claim and field when it is wrong."""
    claim_id = claim.get("id", "?")

    def bad(what: str, column: str, expected: str) -> InputError:
        return InputError(
            f"claim '{claim_id}': {what}", file=path, column=f"since.{column}", expected=expected
        )

    if not isinstance(raw, dict):
        raise bad(
            "no `since:` rule",
            "rule",
            "since: {label, rule: band|record|direction, min_months, ...} (README: Since the story)",
        )
    names = {f.name for f in fields(SinceRule)}
    unknown = sorted(set(raw) - names)
    if unknown:
        raise bad(f"unknown field '{unknown[0]}'", unknown[0], "one of " + ", ".join(sorted(names)))
    if raw.get("rule") not in SINCE_RULES:
        raise bad(f"rule '{raw.get('rule')}'", "rule", " or ".join(SINCE_RULES))
    if not isinstance(raw.get("label"), str) or not raw["label"].strip():
        raise bad("no label", "label", "a short name, e.g. Fuel")
    months = raw.get("min_months")
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 12:
        raise bad(f"min_months {months!r}", "min_months", "a whole number of months, 1 to 12")
    settle = raw.get("settle", "")
    if not isinstance(settle, str):
        raise bad("settle is not text", "settle", "the data that would give a later figure")
    if raw["rule"] != "band":
        extra = sorted({"of", "held_within", "reversed_at"} & set(raw))
        if extra:
            raise bad(
                f"'{extra[0]}' given for rule {raw['rule']}", extra[0], "only with rule: band"
            )
        return SinceRule(
            label=raw["label"].strip(), rule=raw["rule"], min_months=months, settle=settle
        )
    story = claim.get("story") or {}
    if raw.get("of") not in story or not _number(story.get(raw.get("of"))):
        raise bad(
            f"of '{raw.get('of')}' is not a number of the claim's story",
            "of",
            "a key of its story: with a number, e.g. change_pct",
        )
    for name in ("held_within", "reversed_at"):
        if not _number(raw.get(name)):
            raise bad(f"{name} {raw.get(name)!r}", name, "a number in the claim's own units")
    if raw["held_within"] < 0:
        raise bad("held_within is negative", "held_within", "a number ≥ 0")
    if story[raw["of"]] == raw["reversed_at"]:
        raise bad(
            "reversed_at equals the story's number",
            "reversed_at",
            "the value past which the story's trend has turned (0 for a change)",
        )
    return SinceRule(
        label=raw["label"].strip(),
        rule="band",
        min_months=months,
        of=raw["of"],
        held_within=float(raw["held_within"]),
        reversed_at=float(raw["reversed_at"]),
        settle=settle,
    )


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
