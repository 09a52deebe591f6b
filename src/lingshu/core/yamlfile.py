"""Load YAML into pydantic models with errors that name the file, the line and the fix.

PyYAML's composed node tree keeps a line for every key and item; we index it by path so that a
pydantic error location such as ``("models", 2, "materialized")`` maps back to a line in the file.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from lingshu.core.errors import ConfigError

M = TypeVar("M", bound=BaseModel)
Loc = tuple[str | int, ...]


class Strict(BaseModel):
    """Base for every config model: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def _index_lines(node: yaml.Node, path: Loc, out: dict[Loc, int]) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key_path = (*path, key_node.value)
            _index_lines(value_node, key_path, out)
            # The key's own line is better than the value's for "unknown key" errors.
            out[key_path] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, (*path, i), out)


def read_yaml(path: Path) -> tuple[Any, dict[Loc, int]]:
    """Parse a YAML file; return the data and a map from key paths to line numbers."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"file not found: {path}", hint="check the path") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8", hint="save the file as UTF-8") from None
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        raise ConfigError(
            f"invalid YAML: {exc.problem}",
            where=f"{path}:{line}" if line else str(path),
            hint="check indentation and quoting on that line (a ':' inside a value needs quotes)",
        ) from None
    lines: dict[Loc, int] = {}
    if node is not None:
        _index_lines(node, (), lines)
    return data, lines


def line_of(lines: dict[Loc, int], loc: Loc) -> int | None:
    """The line of the deepest known prefix of ``loc`` (pydantic adds union tags we don't have)."""
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get(())


def _fix_for(error: dict[str, Any], model: type[BaseModel]) -> str:
    kind = error["type"]
    loc = error["loc"]
    if kind == "extra_forbidden":
        name = str(loc[-1])
        known = _field_names_at(model, loc[:-1])
        close = difflib.get_close_matches(name, known, n=1)
        if close:
            return f"did you mean {close[0]!r}?"
        return f"remove {name!r}; allowed keys here: {', '.join(sorted(known))}"
    if kind == "missing":
        return f"add the key {loc[-1]!r}"
    return error["msg"]


def _field_names_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """Walk the model along ``loc`` to list the keys allowed there (best effort)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        field = current.model_fields.get(str(part))
        if field is None:
            return []
        current = _inner_model(field.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _path_text(loc: Loc) -> str:
    return ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc) or "(top)"


def validate(model: type[M], data: Any, path: Path, lines: dict[Loc, int]) -> M:
    """Validate ``data`` against ``model``; raise one ConfigError listing every problem."""
    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            line = line_of(lines, error["loc"])
            where = f"{path}:{line}" if line else str(path)
            msg = error["msg"] if error["type"] != "extra_forbidden" else "unknown key"
            problems.append(f"{where}: {_path_text(error['loc'])}: {msg} (fix: {_fix_for(error, model)})")
        first = problems[0].split(": ", 1)[0]
        raise ConfigError(
            f"{len(problems)} problem(s) in {path.name}:\n  " + "\n  ".join(problems),
            where=first,
            hint="correct the lines above and run `lingshu pack validate` again",
        ) from None


def load(model: type[M], path: Path) -> M:
    data, lines = read_yaml(path)
    return validate(model, data, path, lines)
