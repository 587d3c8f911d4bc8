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
    raw = read_yaml(path)
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        line, count = first_problem(error, raw, model)
        more = f" (and {count - 1} more problem{'s' if count > 2 else ''})" if count > 1 else ""
        raise InputError(line + more, file=path) from None


def load_groups(path="config/commodity_groups.yaml") -> dict:
    """{group name: group} from the group config, each group with its classification preference
    (its own, else the file's)."""
    path = project_path(path)
    config = _validated(GroupsFile, path)
    groups = {}
    for name, group in config.groups.items():
        group = group.model_dump(exclude_none=True)
        group.setdefault("classification_preference", list(config.classification_preference))
        groups[name] = group
    return groups


def load_claims_config(path="config/claims.yaml") -> dict:
    """The whole claims file, validated: `story:` (publication date, invasion month) and `claims:`."""
    return _validated(ClaimsFile, project_path(path)).model_dump(exclude_none=True)


def load_claims(path="config/claims.yaml", groups: dict | None = None) -> list[dict]:
    """The claims, each checked to name only groups of `groups` (when given)."""
    path = project_path(path)
    config = _validated(ClaimsFile, path)
    for claim in config.claims:
        for name in claim.group_names():
            if groups is not None and name not in groups:
                raise InputError(
                    f"claim '{claim.id}', field 'group': unknown group '{name}'",
                    file=path,
                    expected="a group of the groups file: " + ", ".join(groups),
                )
    return [claim.model_dump(exclude_none=True) for claim in config.claims]
