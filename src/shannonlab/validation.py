"""Validation every spec gets: pydantic errors as the one line a user reads, no silent
coercion, names suggested for misspelt keys, and sizes bounded by the memory they need.

``codes[1].decoder.max_iterations: must be a positive integer, got -3`` -- the path uses
the names of the YAML file (list indices in brackets, union tags dropped), the message
says what is allowed, and the offending value closes the line, shortened (:func:`shown`)
so that no input can make a message long.

* An unknown key is reported before anything else, with the closest allowed key
  (``codez: unknown key (did you mean codes?)``), at every level of every spec.
* Strict values (:func:`reject_coercions`): a string or a boolean is never taken for a
  number (``k: "16"``, ``seed: true``), a string never for a boolean (``extended: "yes"``),
  and numbers are finite.
* Memory (:func:`check_memory`): a spec says what its sizes would cost
  (``CodeSpec.memory_needs``, ``ChannelSpec.memory_needs``); anything above
  :func:`memory_limit` is refused before it is built, with the field and the estimate.

Example
-------
>>> suggest("codez", ["name", "codes", "channel"])
'codes'
>>> shown("x" * 500)[-5:]
"...'"
>>> format_bytes(3 * 2**30)
'3.0 GiB'
"""

from __future__ import annotations

import difflib
import math
import os
import re
import reprlib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import ConfigError

#: Characters of a value that a message shows at most.
SHOWN_CHARS = 60

_repr = reprlib.Repr()
_repr.maxstring = SHOWN_CHARS
_repr.maxother = SHOWN_CHARS
_repr.maxlist = _repr.maxtuple = _repr.maxdict = _repr.maxset = 4
_repr.maxlevel = 2


def shown(value: Any) -> str:
    """``repr(value)`` bounded to about :data:`SHOWN_CHARS` characters, without ever building
    the whole repr of a huge or deeply nested value (a YAML alias bomb, a 1 MB string)."""
    text = _repr.repr(value)
    return text if len(text) <= SHOWN_CHARS + 10 else text[:SHOWN_CHARS] + "..." + text[-1:]


def suggest(word: Any, choices) -> str | None:
    """The allowed name closest to a misspelt ``word``, if one is close enough."""
    if not isinstance(word, str):
        return None
    found = difflib.get_close_matches(word, [str(c) for c in choices], n=1, cutoff=0.6)
    if not found:  # case or separators only: "Codes", "max-frames"
        folded = {str(c).lower().replace("-", "_"): str(c) for c in choices}
        key = word.lower().replace("-", "_")
        return folded.get(key)
    return found[0]


def did_you_mean(word: Any, choices) -> str:
    """`` (did you mean X?)`` when a choice is close to ``word``, else ``""``."""
    close = suggest(word, choices)
    return f" (did you mean {close}?)" if close is not None and close != word else ""


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
        key = error["loc"][-1] if error["loc"] else None
        close = suggest(key, allowed_keys or [])
        if close is not None:
            return f"unknown key (did you mean {close}?)"
        return "unknown key" + (f" (allowed: {', '.join(allowed_keys)})" if allowed_keys else "")
    if kind == "missing":
        return "required, but missing"
    if isinstance(value, bool) and kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal",
                                            "int_type", "float_type", "int_from_float"):
        return f"must be a number, got {str(value).lower()}"
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
        close = suggest(value, [v.strip().strip("'") for v in str(ctx.get("expected", "")).replace(" or ", ", ").split(", ")])
        if close is not None and close != value:
            return f"{text}, got {shown(value)} (did you mean {close}?)"
    elif kind == "union_tag_invalid":
        text = f"must be one of {ctx.get('expected_tags')}"
        tags = [v.strip().strip("'") for v in str(ctx.get("expected_tags", "")).split(",")]
        close = suggest(ctx.get("tag"), tags)
        if close is not None:
            return f"{text}, got {shown(ctx.get('tag'))} (did you mean {close}?)"
    elif kind == "union_tag_not_found":
        return f"needs the key '{ctx.get('discriminator', '').strip(chr(39))}'"
    elif kind == "too_short":
        text = f"must have at least {ctx.get('min_length')} entries"
    elif kind == "value_error":
        text = str(ctx.get("error", error["msg"]))
        return text[:300]
    else:
        text = error["msg"][:1].lower() + error["msg"][1:]
    if isinstance(value, (dict, list)) and kind not in ("literal_error",):
        return text
    return f"{text}, got {shown(value)}"


#: Which error a user should read first: an unknown key (most often a typo that also makes
#: a required key "missing"), then a wrong name or tag, then the deepest error.
_PRIORITY = {"extra_forbidden": 3, "union_tag_invalid": 2, "literal_error": 1}


def config_error(exc: ValidationError, model: type[BaseModel], prefix: str = "") -> ConfigError:
    """The first error of ``exc`` as a :class:`ConfigError` with a one-line message."""
    errors = exc.errors(include_url=False)
    # An unknown key first (``codez:`` also makes ``codes`` missing); then, in a union where
    # pydantic reports every member's complaint, the deepest one: it is about the member
    # the input was meant for (a mapping given where a list or a mapping may stand).
    error = max(errors, key=lambda e: (_PRIORITY.get(e["type"], 0), len(e["loc"])))
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
    """``model.model_validate(data)`` without coercions (:func:`reject_coercions`), raising
    a one-line :class:`ConfigError`."""
    try:
        parsed = model.model_validate(data)
    except ValidationError as exc:
        raise config_error(exc, model, prefix) from None
    except RecursionError:
        raise ConfigError(f"{prefix or model.__name__}: nested too deeply") from None
    reject_coercions(parsed, data, prefix)
    return parsed


def _accepts(annotation: Any, kind: type) -> bool:
    """Whether ``annotation`` takes values of ``kind`` (str or bool) as they are."""
    for member in _members(annotation):
        origin = typing.get_origin(member)
        if member is Any or member is kind or member is object:
            return True
        if origin is typing.Literal and any(isinstance(v, kind) for v in typing.get_args(member)):
            return True
        if isinstance(member, type) and not issubclass(member, (int, float, BaseModel)) and origin is None:
            if member not in (list, tuple, dict, type(None)):
                return True  # a type of its own (Path, an enum...): it parses strings itself
    return False


def _item_annotation(annotation: Any, index: int) -> Any:
    for member in _members(annotation):
        args = typing.get_args(member)
        if typing.get_origin(member) is list and args:
            return args[0]
        if typing.get_origin(member) is tuple and args:
            return args[0] if len(args) == 2 and args[1] is Ellipsis else args[min(index, len(args) - 1)]
    return Any


def _check_value(annotation: Any, raw: Any, value: Any, path: str) -> None:
    if isinstance(value, BaseModel):
        if isinstance(raw, dict):
            reject_coercions(value, raw, path)
        return
    if isinstance(value, (list, tuple)) and isinstance(raw, (list, tuple)) and len(raw) == len(value):
        for i, (r, v) in enumerate(zip(raw, value)):
            _check_value(_item_annotation(annotation, i), r, v, f"{path}[{i}]")
        return
    if isinstance(value, bool):
        if not isinstance(raw, bool) and not _accepts(annotation, str):
            raise ConfigError(f"{path}: must be true or false, got {shown(raw)}")
        return
    if isinstance(value, (int, float)):
        if isinstance(raw, bool) and not _accepts(annotation, bool):
            raise ConfigError(f"{path}: must be a number, got {str(raw).lower()}")
        if isinstance(raw, str) and not _accepts(annotation, str):
            raise ConfigError(f"{path}: must be a number, got the string {shown(raw)} (write it without quotes)")
        if isinstance(value, float) and not math.isfinite(value):
            raise ConfigError(f"{path}: must be a finite number, got {value}")


def reject_coercions(parsed: BaseModel, raw: Any, prefix: str = "") -> None:
    """Raise a one-line :class:`ConfigError` where pydantic accepted ``raw`` only by
    converting it: a string or boolean for a number, a string for a boolean; and where a
    number is not finite. ``parsed`` is the validated model of ``raw``.

    >>> from pydantic import BaseModel
    >>> class M(BaseModel):
    ...     k: int = 1
    >>> reject_coercions(M.model_validate({"k": "16"}), {"k": "16"}, "codes[0]")
    Traceback (most recent call last):
    ...
    shannonlab.errors.ConfigError: codes[0].k: must be a number, got the string '16' (write it without quotes)
    """
    if not isinstance(raw, dict):
        return
    for name, field in type(parsed).model_fields.items():
        keys = [name]
        if field.alias:
            keys.append(field.alias)
        choices = getattr(field.validation_alias, "choices", None)
        if choices:
            keys += [c for c in choices if isinstance(c, str)]
        elif isinstance(field.validation_alias, str):
            keys.append(field.validation_alias)
        key = next((k for k in keys if k in raw), None)
        if key is None:
            continue
        path = f"{prefix}.{key}" if prefix else key
        _check_value(field.annotation, raw[key], getattr(parsed, name, None), path)


def memory_limit() -> int:
    """Bytes one process may be asked to allocate for one object: ``SHANNONLAB_MEMORY_LIMIT``
    (bytes, or with a suffix K, M, G, T) or a quarter of the machine's memory."""
    text = os.environ.get("SHANNONLAB_MEMORY_LIMIT", "").strip()
    if text:
        units = {"K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
        scale = units.get(text[-1].upper(), 1)
        try:
            return int(float(text[:-1] if scale > 1 else text) * scale)
        except ValueError:
            raise ConfigError(f"SHANNONLAB_MEMORY_LIMIT: must be a number of bytes like 4G, got {shown(text)}") from None
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 4
    except (ValueError, OSError, AttributeError):  # not a POSIX system: assume 4 GiB
        return 4 << 30


def format_bytes(count: float) -> str:
    """``3.0 GiB``, ``512 MiB``, ... (any size, also astronomically large ones)."""
    if not math.isfinite(count):
        return "an unbounded amount"
    for unit, scale in (("EiB", 2**60), ("PiB", 2**50), ("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if count >= scale:
            value = count / scale
            return f"{value:.3g} EiB" if unit == "EiB" and value >= 1000 else f"{value:.1f} {unit}"
    return f"{int(count)} bytes"


def check_memory(needs: dict[str, tuple[float, str]], prefix: str = "", limit: int | None = None) -> None:
    """Refuse sizes whose memory is above :func:`memory_limit`: ``needs`` maps a field path
    (inside the spec at ``prefix``) to (estimated bytes, what takes them). The one line names
    the field and the estimate.

    >>> check_memory({"k": (1e12, "a frame of messages, codewords and LLRs")}, "codes[0]", limit=2**30)
    Traceback (most recent call last):
    ...
    shannonlab.errors.ConfigError: codes[0].k: needs about 931.3 GiB of memory (a frame of messages, codewords and LLRs), more than the 1.0 GiB allowed (SHANNONLAB_MEMORY_LIMIT)
    """
    limit = memory_limit() if limit is None else limit
    for field, (count, what) in needs.items():
        if not count <= limit:  # also NaN
            path = ".".join(p for p in (prefix, field) if p).replace(".[", "[")
            raise ConfigError(f"{path}: needs about {format_bytes(count)} of memory ({what}), more than the "
                              f"{format_bytes(limit)} allowed (SHANNONLAB_MEMORY_LIMIT)")


#: Largest experiment (YAML) file read; anything longer is not a hand-written config.
MAX_FILE_BYTES = 1 << 20
#: Deepest nesting of mappings and lists in a YAML file.
MAX_YAML_DEPTH = 50
#: Most values a YAML file may hold once its aliases are expanded (a "billion laughs" file
#: of a few lines would otherwise expand to billions).
MAX_YAML_VALUES = 100_000

_YAML12_FLOAT = r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)|\.[0-9_]+(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"""


def _loader_class():
    import re

    import yaml

    class Refused(yaml.YAMLError):
        """Valid YAML that an experiment file may not be (the message says why)."""

    class StrictLoader(yaml.SafeLoader):
        """The safe loader, with YAML 1.2 numbers (``1e-4`` is a number, as a reader
        expects), duplicate keys refused and the nesting depth bounded."""

        depth = 0

        def compose_node(self, parent, index):
            self.depth += 1
            if self.depth > MAX_YAML_DEPTH:
                mark = self.peek_event().start_mark
                raise Refused(f"line {mark.line + 1}: nested more than {MAX_YAML_DEPTH} levels deep")
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

        def construct_mapping(self, node, deep=False):
            seen = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                try:
                    duplicate = key in seen
                    seen.add(key)
                except TypeError:  # a list or mapping as a key: the model reports it
                    continue
                if duplicate:
                    raise Refused(f"line {key_node.start_mark.line + 1}: duplicate key {shown(key)} "
                                         "(each key may appear once)")
            return super().construct_mapping(node, deep=deep)

    StrictLoader.Refused = Refused
    StrictLoader.yaml_implicit_resolvers = {k: list(v) for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    StrictLoader.add_implicit_resolver("tag:yaml.org,2002:float", re.compile(_YAML12_FLOAT), list("-+0123456789."))
    return StrictLoader


def _expanded_size(data: Any, limit: int) -> int:
    """How many values ``data`` holds with every shared (aliased) node counted each time it
    is used, stopping once ``limit`` is passed; computed per distinct node, so fast."""
    sizes: dict[int, int] = {}

    def size(node: Any) -> int:
        if not isinstance(node, (dict, list)):
            return 1
        if id(node) in sizes:
            return sizes[id(node)]
        sizes[id(node)] = limit + 1  # a cycle (a recursive alias) counts as too large
        items = list(node.keys()) + list(node.values()) if isinstance(node, dict) else node
        total = 1
        for item in items:
            total += size(item)
            if total > limit:
                break
        sizes[id(node)] = min(total, limit + 1)
        return sizes[id(node)]

    return size(data)


def read_yaml(path: Any, what: str = "experiment file") -> Any:
    """The parsed YAML of a file, strictly (see :func:`_loader_class`), or a one-line
    :class:`ConfigError`: a missing or unreadable file, one larger than
    :data:`MAX_FILE_BYTES` (``/dev/zero`` included), bytes that are not UTF-8, bad YAML,
    duplicate keys, nesting deeper than :data:`MAX_YAML_DEPTH`, or aliases that expand to
    more than :data:`MAX_YAML_VALUES` values.
    """
    import yaml
    from pathlib import Path

    path = Path(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such {what}") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, not an {what}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from None
    if len(data) > MAX_FILE_BYTES:
        raise ConfigError(f"{path}: larger than {MAX_FILE_BYTES >> 10} KiB, not an {what}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start}), not an {what}") from None
    loader = _loader_class()
    try:
        parsed = yaml.load(text, Loader=loader)
    except loader.Refused as exc:
        raise ConfigError(f"{path}: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: not valid YAML (nested too deeply)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}:" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{path}:{where} not valid YAML ({str(problem)[:200]})") from None
    if _expanded_size(parsed, MAX_YAML_VALUES) > MAX_YAML_VALUES:
        raise ConfigError(f"{path}: its aliases expand to more than {MAX_YAML_VALUES} values, not an {what}")
    return parsed
