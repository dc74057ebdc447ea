"""Turn a pydantic ``ValidationError`` into the one line a user reads.

``codes[1].decoder.max_iterations: must be a positive integer, got -3`` -- the path uses
the names of the YAML file (list indices in brackets, union tags dropped), the message
says what is allowed, and the offending value closes the line.
"""

from __future__ import annotations

import re

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import ConfigError


def _members(annotation: Any) -> list[Any]:
    """The alternatives of a (possibly Optional, Annotated) annotation, None dropped."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _members(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [m for a in typing.get_args(annotation) for m in _members(a) if m is not type(None)]
    return [annotation]


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _tag(model: type[BaseModel]) -> set[str]:
    """The literal values a model's discriminating field (type/algorithm/...) may take."""
    tags: set[str] = set()
    for field in model.model_fields.values():
        if typing.get_origin(field.annotation) is typing.Literal:
            tags.update(str(v) for v in typing.get_args(field.annotation))
    return tags


def describe_location(model: type[BaseModel], loc: tuple) -> tuple[str, Any]:
    """The YAML path of ``loc`` inside ``model`` and the annotation found there."""
    path = ""
    current: Any = model
    for item in loc:
        members = _members(current) if current is not None else []
        if isinstance(item, int):
            path += f"[{item}]"
            inner = [typing.get_args(m) for m in members if typing.get_origin(m) in (list, tuple)]
            current = inner[0][0] if inner and inner[0] else None
            continue
        if len(members) > 1:  # a union: pydantic puts the chosen member's tag in the path
            chosen = [m for m in members if _is_model(m) and (item in _tag(m) or m.__name__ == item)]
            if chosen:
                current = chosen[0]
                continue
            if isinstance(item, str) and "[" in item:  # a non-model member, named like 'list[float]'
                current = next((m for m in members if typing.get_origin(m) in (list, tuple)), None)
                continue
        model_members = [m for m in members if _is_model(m)]
        if model_members and item in model_members[0].model_fields:
            current = model_members[0].model_fields[item].annotation
        else:
            current = None
        path += f".{item}" if path else str(item)
    return path, current


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _message(error: dict, allowed_keys: list[str] | None) -> str:
    kind = error["type"]
    ctx = error.get("ctx", {})
    value = error.get("input")
    if kind == "extra_forbidden":
        return "unknown key" + (f" (allowed: {', '.join(allowed_keys)})" if allowed_keys else "")
    if kind == "missing":
        return "required, but missing"
    if kind == "greater_than":
        if ctx.get("gt") == 0 and isinstance(value, int) and not isinstance(value, bool):
            text = "must be a positive integer"
        else:
            text = f"must be greater than {_number(ctx.get('gt'))}"
    elif kind == "greater_than_equal":
        text = f"must be at least {_number(ctx.get('ge'))}"
    elif kind == "less_than":
        text = f"must be less than {_number(ctx.get('lt'))}"
    elif kind == "less_than_equal":
        text = f"must be at most {_number(ctx.get('le'))}"
    elif kind in ("int_type", "int_parsing", "int_from_float"):
        text = "must be an integer"
    elif kind in ("float_type", "float_parsing", "finite_number"):
        text = "must be a finite number"
    elif kind in ("bool_type", "bool_parsing"):
        text = "must be true or false"
    elif kind in ("string_type",):
        text = "must be a string"
    elif kind in ("list_type", "tuple_type"):
        text = "must be a list"
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        text = "must be a mapping"
    elif kind == "literal_error":
        text = f"must be one of {ctx.get('expected')}"
    elif kind == "union_tag_invalid":
        text = f"must be one of {ctx.get('expected_tags')}"
    elif kind == "union_tag_not_found":
        return f"needs the key '{ctx.get('discriminator', '').strip(chr(39))}'"
    elif kind == "too_short":
        text = f"must have at least {ctx.get('min_length')} entries"
    elif kind == "value_error":
        text = str(ctx.get("error", error["msg"]))
        return text
    else:
        text = error["msg"][:1].lower() + error["msg"][1:]
    if isinstance(value, (dict, list)) and kind not in ("literal_error",):
        return text
    return f"{text}, got {value!r}"


def config_error(exc: ValidationError, model: type[BaseModel], prefix: str = "") -> ConfigError:
    """The first error of ``exc`` as a :class:`ConfigError` with a one-line message."""
    errors = exc.errors(include_url=False)
    # In a union pydantic reports every member's complaint; the deepest one is about the
    # member the input was meant for (a mapping given where a list or a mapping may stand).
    error = max(errors, key=lambda e: len(e["loc"]))
    loc = tuple(error["loc"])
    path, _ = describe_location(model, loc)
    allowed = None
    if error["type"] == "extra_forbidden":
        _, parent = describe_location(model, loc[:-1])
        parents = [m for m in _members(parent) if _is_model(m)] if parent is not None else []
        if parents:
            allowed = list(parents[0].model_fields)
    full = ".".join(p for p in (prefix, path) if p).replace(".[", "[")
    message = _message(error, allowed)
    if error["type"] == "value_error" and re.match(r"^[.\[][\w.\[\]]*: ", message):
        # a validator naming a part of its field (".labels: ...", "[2]: ..."): extend the path
        return ConfigError(f"{full or prefix or model.__name__}{message}")
    return ConfigError(f"{full or prefix or model.__name__}: {message}")


def validate(model: type[BaseModel], data: Any, prefix: str = "") -> BaseModel:
    """``model.model_validate(data)``, raising a one-line :class:`ConfigError`."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise config_error(exc, model, prefix) from None
