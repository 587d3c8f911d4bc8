"""The schema of the two hand-written configs, one pydantic model per file: `ClaimsFile`
(config/claims.yaml) and `GroupsFile` (config/commodity_groups.yaml).

Every field is typed and unknown fields are refused, so a typo stops the build with one line that
names the claim (or group) and the field, e.g.
`claims.yaml: claim 'fuel_exports', field 'tolerance.change_pct': expected a number, got 'two'`.
To add a field to a claim, add one line to `Claim` (or to `Group` for a group); to require it for
one kind of claim, add it to `FIELDS_BY_KIND`.
"""

import re
from typing import Annotated, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..core.errors import excerpt
from .fields import HS_EDITIONS, commodity_code

HS_CHAPTERS = {f"{c:02d}" for c in range(1, 98)} - {"77"}  # chapter 77 is reserved in the HS
DEFAULT_PREFERENCE = ["HS2022", "HS2017"]


def _shown(value) -> str:
    if isinstance(value, str):
        return excerpt(value, 40)
    text = " ".join(repr(value).split())
    return text if len(text) <= 40 else text[:40] + "…"


def _number(value):
    # YAML gives int or float; a quoted "2.0" or a bool is a mistake, not a number to coerce.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a number, got {_shown(value)}")
    return value


def _pattern(regex: str, what: str):
    compiled = re.compile(regex)

    def check(value):
        if not isinstance(value, str) or not compiled.fullmatch(value):
            raise ValueError(f"expected {what} in quotes, got {_shown(value)}")
        return value

    return check


def _hs_code(code):
    # the readers' code rule (helpers.sources.fields); a YAML number has lost any leading zero
    if not isinstance(code, str):
        raise ValueError(f'HS code {_shown(code)} is a number: write it as text, e.g. "0303"')
    return commodity_code(code, what="HS code")


def _editions(value):
    if not value or len(set(value)) != len(value):
        raise ValueError(
            f"expected a list of distinct HS editions, e.g. [HS2022, HS2017], got {_shown(value)}"
        )
    return value


def _months(value):
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
        raise ValueError(f"expected a whole number of months, 1 to 12, got {_shown(value)}")
    return value


Number = Annotated[int | float, BeforeValidator(_number)]
Tolerance = Annotated[int | float, BeforeValidator(_number), Field(ge=0)]
Text = Annotated[str, Field(strict=True, min_length=1)]
Month = Annotated[str, BeforeValidator(_pattern(r"\d{4}-(0[1-9]|1[0-2])", 'a month "YYYY-MM"'))]
Day = Annotated[
    str, BeforeValidator(_pattern(r"\d{4}-(0[1-9]|1[0-2])-\d{2}", 'a date "YYYY-MM-DD"'))
]
Period = Annotated[
    str, BeforeValidator(_pattern(r"\d{4}(-(0[1-9]|1[0-2]))?", 'a year "YYYY" or month "YYYY-MM"'))
]
HsCode = Annotated[str, BeforeValidator(_hs_code)]
Edition = Literal[HS_EDITIONS]
Editions = Annotated[list[Edition], AfterValidator(_editions)]


class _Config(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# ------------------------------------------------------------------------------ config/claims.yaml
class Story(_Config):
    """The story itself: when it was published and when the war began ("before the war")."""

    published: Day
    invasion_month: Month


class StoryFigures(_Config):
    """The number(s) a claim's sentence printed."""

    value_usd_bn: Number | None = None
    change_pct: Number | None = None
    direction: Literal["up", "down"] | None = None
    ratio: Number | None = None
    before_pct: Number | None = None
    after_pct: Number | None = None
    after_by: Month | None = None


class Tolerances(_Config):
    """How close a figure must be to count as reproduced, per figure."""

    value_usd_bn: Tolerance | None = None
    change_pct: Tolerance | None = None
    ratio: Tolerance | None = None


# The fields each kind's check reads (claims.customs, claims.context): absent -> refused on reading.
FIELDS_BY_KIND = {
    "annual_total": ("period", "story.value_usd_bn", "tolerance.value_usd_bn"),
    "ytd_change": ("flow", "period", "story.change_pct", "tolerance.change_pct"),
    "group_change": ("period", "group", "story.change_pct"),
    "group_rise": ("period", "story.direction"),
    "context_gdp_ratio": ("story.ratio", "tolerance.ratio"),
    "context_car_share": ("story.before_pct", "story.after_pct", "story.after_by"),
    "context_machine_tools": ("story.change_pct", "settle_with"),
}
KINDS = tuple(FIELDS_BY_KIND)


BAND_FIELDS = ("of", "held_within", "reversed_at")


class SinceRule(_Config):
    """A claim's `since:` block: how the "Since the story" section follows it to the latest data
    (helpers.claims.since decides the trend; config/claims.yaml's header says what each field means).
    `of`, `held_within` and `reversed_at` belong to rule band only; the claim checks them against its
    story (Claim._since_rule)."""

    label: Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1)]
    rule: Literal["band", "record", "direction"]
    min_months: Annotated[int, BeforeValidator(_months)]
    of: Text = ""
    held_within: Annotated[float, BeforeValidator(_number), AfterValidator(float), Field(ge=0)] = (
        0.0
    )
    reversed_at: Annotated[float, BeforeValidator(_number), AfterValidator(float)] = 0.0
    settle: Annotated[str, Field(strict=True)] = ""

    @model_validator(mode="after")
    def _band_only(self):
        given = [name for name in BAND_FIELDS if name in self.model_fields_set]
        if self.rule != "band" and given:
            raise PydanticCustomError(
                "band_field",
                "given for rule {rule} (expected it only with rule: band)",
                {"field": given[0], "rule": self.rule},
            )
        return self


class Claim(_Config):
    """One claim of the story, paraphrased, and what the claim check computes for it."""

    id: Text
    type: Literal["customs", "context"] = "customs"
    statement: Text
    kind: Literal[KINDS]
    flow: Literal["export", "import", "total"] | None = None
    period: Period | None = None
    group: Text | None = None
    groups: list[Text] = []
    proxies: list[Text] = []
    rows_cover: list[Text] = []
    story: StoryFigures
    tolerance: Tolerances | None = None
    also_check_record: bool = False
    settle_with: Text | None = None
    since: SinceRule

    @model_validator(mode="after")
    def _fields_of_kind(self):
        if self.kind == "group_rise" and not (self.group or self.groups):
            raise PydanticCustomError(
                "kind_field",
                "missing: kind group_rise needs `group` or `groups`",
                {"field": "group"},
            )
        for field in FIELDS_BY_KIND[self.kind]:
            value = self
            for part in field.split("."):
                value = getattr(value, part, None)
            if value is None:
                raise PydanticCustomError(
                    "kind_field",
                    "missing: kind {kind} needs it",
                    {"field": field, "kind": self.kind},
                )
        return self

    @model_validator(mode="after")
    def _since_rule(self):
        """A band rule follows a number of the claim's story, with a band of its own."""
        rule = self.since
        if rule.rule != "band":
            return self
        for name in BAND_FIELDS:
            if name not in rule.model_fields_set:
                raise PydanticCustomError(
                    "band_field", "missing: rule band needs it", {"field": f"since.{name}"}
                )
        story = getattr(self.story, rule.of, None)
        if isinstance(story, bool) or not isinstance(story, int | float):
            raise PydanticCustomError(
                "since_of",
                "'{of}' is not a number of the claim's story (expected a key of its story: with a "
                "number, e.g. change_pct)",
                {"of": rule.of, "field": "since.of"},
            )
        if story == rule.reversed_at:
            raise PydanticCustomError(
                "since_reversed_at",
                "equals the story's number {story} (expected the value past which the story's trend "
                "has turned: 0 for a change)",
                {"story": story, "field": "since.reversed_at"},
            )
        return self

    def group_names(self) -> list[str]:
        return [
            name for name in [self.group, *self.groups, *self.proxies, *self.rows_cover] if name
        ]


class ClaimsFile(_Config):
    story: Story
    claims: list[Claim]

    @model_validator(mode="after")
    def _unique_ids(self):
        seen = set()
        for index, claim in enumerate(self.claims):
            if claim.id in seen:
                raise PydanticCustomError(
                    "duplicate_id",
                    "id '{id}' is used by an earlier claim (ids must be unique)",
                    {"id": claim.id, "where": ("claims", index, "id")},
                )
            seen.add(claim.id)
        return self


# ------------------------------------------------------------------ config/commodity_groups.yaml
class Group(_Config):
    """One commodity group: its HS codes per edition, the wire labels that measure it, its flow."""

    label: Text
    flow: Literal["export", "import"]
    hs: dict[Literal[(*HS_EDITIONS, "GACC")], list[HsCode]] = {}
    labels: list[Text] = []
    sum_of: list[Text] = []
    classification_preference: Editions | None = None

    @model_validator(mode="after")
    def _codes_exist(self):
        for version, codes in self.hs.items():
            for code in codes:
                if version != "GACC" and code[:2] not in HS_CHAPTERS:
                    raise PydanticCustomError(
                        "hs_chapter",
                        "HS code '{code}' does not exist (there is no HS chapter {chapter}); "
                        "expected a code in HS chapters 01–97 (national codes under `GACC:`)",
                        {"code": code, "chapter": code[:2], "field": f"hs.{version}"},
                    )
        return self


class GroupsFile(_Config):
    classification_preference: Editions = DEFAULT_PREFERENCE
    hs_versions: dict[str, Text] = {}
    groups: Annotated[dict[str, Group], Field(min_length=1)]

    @model_validator(mode="after")
    def _parts_exist(self):
        for name, group in self.groups.items():
            for part in group.sum_of:
                if part not in self.groups:
                    raise PydanticCustomError(
                        "unknown_group",
                        "sums unknown group '{part}' (expected a group defined in this file)",
                        {"part": part, "where": ("groups", name, "sum_of")},
                    )
        return self


# --------------------------------------------------------------------------------- error messages
def first_problem(error: ValidationError, raw, model: type[BaseModel]) -> tuple[str, int]:
    """(one line naming the claim or group, the field and the problem; how many problems there are).

    raw: the file as YAML read it, to name a claim by its id rather than its position; model: the
    file's model (ClaimsFile or GroupsFile)."""
    problem = error.errors()[0]
    ctx = problem.get("ctx") or {}
    loc = tuple(ctx.get("where") or problem["loc"])
    if "field" in ctx:
        loc += tuple(ctx["field"].split("."))
    where, field = _where(loc, raw)
    what = _what(problem, loc, model)
    parts = [where] if where else []
    if field:
        parts.append(f"field '{field}'")
    return ", ".join(parts) + ": " + what, error.error_count()


def _where(loc: tuple, raw) -> tuple[str, str]:
    """('claim 'fuel_exports'', 'tolerance.change_pct') from ('claims', 2, 'tolerance', 'change_pct')."""
    if len(loc) >= 2 and loc[0] == "claims" and isinstance(loc[1], int):
        claims = raw.get("claims") if isinstance(raw, dict) else None
        item = claims[loc[1]] if isinstance(claims, list) and loc[1] < len(claims) else None
        claim_id = item.get("id") if isinstance(item, dict) else None
        who = f"claim {_shown(claim_id)}" if isinstance(claim_id, str) else f"claim {loc[1] + 1}"
        return who, _dotted(loc[2:])
    if len(loc) >= 2 and loc[0] == "groups":
        return f"group {_shown(str(loc[1]))}", _dotted(loc[2:])
    return "", _dotted(loc)


def _dotted(loc: tuple) -> str:
    # a list position (hs.HS2022[1]) is left out: the message quotes the value itself
    return ".".join(str(p) for p in loc if not isinstance(p, int) and p != "[key]")


def _what(problem: dict, loc: tuple, model) -> str:
    kind, ctx, value = problem["type"], problem.get("ctx") or {}, problem.get("input")
    if kind == "missing":
        return "missing (a required field)"
    if kind == "extra_forbidden":
        return "unknown field (known: " + ", ".join(_known_fields(loc, model)) + ")"
    if kind == "value_error":
        return str(ctx.get("error", problem["msg"]))
    if kind == "literal_error":
        return f"expected {ctx.get('expected')}, got {_shown(value)}"
    if kind in ("string_type", "string_too_short"):
        return f"expected text, got {_shown(value)}"
    if kind == "bool_type":
        return f"expected true or false, got {_shown(value)}"
    if kind == "list_type":
        return f"expected a list, got {_shown(value)}"
    if kind in ("dict_type", "model_type"):
        return f"expected a mapping, got {_shown(value)}"
    if kind == "too_short":
        return f"expected at least one entry, got {_shown(value)}"
    if kind == "greater_than_equal":
        return f"expected a number ≥ {ctx.get('ge')}, got {_shown(value)}"
    return problem["msg"]


def _known_fields(loc: tuple, model) -> list[str]:
    """The fields of the model that refused loc[-1] (walked from the file's model along loc)."""
    for part in loc[:-1]:
        if isinstance(part, int) or part not in model.model_fields:
            continue
        inner = _model_in(model.model_fields[part].annotation)
        if inner is None:
            break
        model = inner
    return list(model.model_fields)


def _model_in(annotation):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
