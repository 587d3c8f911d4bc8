"""The project's YAML configs as inputs: commodity groups and the story's claims, checked on reading.

Paths are resolved against the project root, so a notebook started from notebooks/ reads the same files.
"""

from ..core.errors import InputError
from ..core.paths import project_path
from ..core.yaml_config import read_yaml
from .since_rules import parse_since_rule

HS_CHAPTERS = {f"{c:02d}" for c in range(1, 98)} - {"77"}  # chapter 77 is reserved in the HS


def load_groups(path="config/commodity_groups.yaml") -> dict:
    """Read and check the group config: known HS chapters, flows, and references between groups."""
    path = project_path(path)
    config = read_yaml(path)
    groups = config.get("groups")
    if not isinstance(groups, dict) or not groups:
        raise InputError("no `groups:` mapping", file=path)
    default_preference = _classification_preference(
        config.get("classification_preference", DEFAULT_PREFERENCE),
        path,
        "classification_preference",
    )
    for name, group in groups.items():
        if not isinstance(group, dict):
            raise InputError(f"group '{name}' is not a mapping", file=path, column=str(name))
        # Which classification wins when HS-level rows hold the same month under two (e.g. H5 and H6).
        group["classification_preference"] = _classification_preference(
            group.get("classification_preference", default_preference),
            path,
            f"{name}.classification_preference",
        )
        if group.get("flow") not in ("export", "import"):
            raise InputError(
                f"group '{name}' has flow '{group.get('flow')}'",
                file=path,
                column="flow",
                expected="export or import",
            )
        for version, codes in (group.get("hs") or {}).items():
            for code in codes:
                code = str(code)
                if not code.isdigit() or len(code) % 2 or not 2 <= len(code) <= 8:
                    raise InputError(
                        f"group '{name}' names HS code '{code}'",
                        file=path,
                        column=f"hs.{version}",
                        expected='2, 4, 6 or 8 digits as text, e.g. "0303"',
                    )
                if version != "GACC" and code[:2] not in HS_CHAPTERS:
                    raise InputError(
                        f"group '{name}' names HS code '{code}', which does not exist "
                        f"(there is no HS chapter {code[:2]})",
                        file=path,
                        column=f"hs.{version}",
                        expected="a code in HS chapters 01–97 (national codes under `GACC:`)",
                    )
        for part in group.get("sum_of", []):
            if part not in groups:
                raise InputError(
                    f"group '{name}' sums unknown group '{part}'",
                    file=path,
                    column="sum_of",
                    expected="names of groups defined in this file",
                )
    return groups


DEFAULT_PREFERENCE = ["HS2022", "HS2017"]
HS_EDITIONS = {"HS2022", "HS2017", "HS2012", "HS2007", "HS2002", "HS1996", "HS1992"}


def _classification_preference(value, path, column) -> list[str]:
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(v, str) and v in HS_EDITIONS for v in value)
        or len(set(value)) != len(value)
    ):
        raise InputError(
            f"classification preference {str(value)[:60]!r} is not a list of HS editions",
            file=path,
            column=column,
            expected="e.g. [HS2022, HS2017]: the first edition present for a month is used",
        )
    return list(value)


def load_claims_config(path="config/claims.yaml") -> dict:
    """The whole claims file: `story:` (publication date, invasion month) and `claims:`."""
    path = project_path(path)
    config = read_yaml(path)
    if not isinstance(config.get("story"), dict) or not {"published", "invasion_month"} <= set(
        config["story"]
    ):
        raise InputError(
            "no `story:` block with `published` and `invasion_month`", file=path, column="story"
        )
    return config


def load_claims(path="config/claims.yaml", groups: dict | None = None) -> list[dict]:
    path = project_path(path)
    claims = load_claims_config(path).get("claims") or []
    for index, claim in enumerate(claims, start=1):
        for field in ("id", "statement", "kind", "story"):
            if field not in claim:
                raise InputError(f"claim {index} lacks '{field}'", file=path, column=field)
        for name in (
            [claim.get("group")]
            + claim.get("groups", [])
            + claim.get("proxies", [])
            + claim.get("rows_cover", [])
        ):
            if name is not None and groups is not None and name not in groups:
                raise InputError(
                    f"claim '{claim['id']}' refers to unknown group '{name}'",
                    file=path,
                    column="group",
                    expected="a group of config/commodity_groups.yaml: " + ", ".join(groups),
                )
        claim["since"] = parse_since_rule(claim.get("since"), claim, path)  # helpers.claims.since
    return claims
