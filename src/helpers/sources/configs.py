"""The project's YAML configs as inputs: commodity groups and the story's claims, validated on reading
against one model per file (helpers.sources.config_schema), with errors that name the claim or group
and the field.

Paths are resolved against the project root, so a notebook started from notebooks/ reads the same files.
The loaders return the validated content as plain dicts (every optional field filled in with its
default), which the model, claims and sections stages read.
"""

from pydantic import ValidationError

from ..core.errors import InputError
from ..core.paths import project_path
from ..core.yaml_config import read_yaml
from .config_schema import ClaimsFile, GroupsFile, first_problem


def _validated(model, path):
    """(the validated model, the file's content as YAML read it)."""
    raw = read_yaml(path)
    try:
        return model.model_validate(raw), raw
    except ValidationError as error:
        line, count = first_problem(error, raw, model)
        more = f" (and {count - 1} more problem{'s' if count > 2 else ''})" if count > 1 else ""
        raise InputError(line + more, file=path) from None


def _in_file_order(dumped, raw):
    """The dumped model with each mapping's keys in the file's order (defaults after them): text
    printed from a claim's figures ("−46%, $5.8bn") follows the order the file gives them."""
    if isinstance(dumped, dict) and isinstance(raw, dict):
        keys = [k for k in raw if k in dumped] + [k for k in dumped if k not in raw]
        return {k: _in_file_order(dumped[k], raw.get(k)) for k in keys}
    if isinstance(dumped, list) and isinstance(raw, list) and len(dumped) == len(raw):
        return [_in_file_order(d, r) for d, r in zip(dumped, raw)]
    return dumped


def load_groups(path="config/commodity_groups.yaml") -> dict:
    """{group name: group} from the group config, each group with its classification preference
    (its own, else the file's)."""
    path = project_path(path)
    config, raw = _validated(GroupsFile, path)
    groups = {}
    for name, group in config.groups.items():
        group = _in_file_order(group.model_dump(exclude_none=True), raw["groups"][name])
        group.setdefault("classification_preference", list(config.classification_preference))
        groups[name] = group
    return groups


def load_claims_config(path="config/claims.yaml") -> dict:
    """The whole claims file, validated: `story:` (publication date, invasion month) and `claims:`."""
    config, raw = _validated(ClaimsFile, project_path(path))
    return _in_file_order(config.model_dump(exclude_none=True), raw)


def load_claims(path="config/claims.yaml", groups: dict | None = None) -> list[dict]:
    """The claims, each checked to name only groups of `groups` (when given)."""
    path = project_path(path)
    config, raw = _validated(ClaimsFile, path)
    for claim in config.claims:
        for name in claim.group_names():
            if groups is not None and name not in groups:
                raise InputError(
                    f"claim '{claim.id}', field 'group': unknown group '{name}'",
                    file=path,
                    expected="a group of the groups file: " + ", ".join(groups),
                )
    claims = _in_file_order(config.model_dump(exclude_none=True), raw)["claims"]
    for claim, model in zip(claims, config.claims):
        claim["since"] = model.since  # read by attribute (helpers.claims.since)
    return claims
