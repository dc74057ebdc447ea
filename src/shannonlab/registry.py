"""Names in YAML -> code and channel classes: the one table of the project. Nothing else
knows a family or a channel by name: the engine, the plots, the capacity command and
capacity studies all ask here. Adding a family is one line in :data:`CODES` (or
:data:`CHANNELS`) naming the module and its spec class; the spec validates the YAML mapping,
builds the object, and (for channels) says which parameters it sweeps, their ranges, its
capacities and limits, and which capacity models ``shannonlab capacity NAME`` offers.

Example
-------
>>> code = build_code({"type": "uncoded", "k": 16})
>>> (code.n, code.k, code.rate)
(16, 16, 1.0)
>>> build_channel({"type": "awgn"}, "ebn0_db", 3.0, rate=0.5)
AWGN(esn0_db=-0.0103, ebn0_db=3, rate=0.5)
"""

from __future__ import annotations

import importlib
import re
import typing
from typing import Any

from pydantic import BaseModel

from .channels.base import Channel, ChannelSpec
from .codes.base import Code, CodeSpec
from .errors import ConfigError
from .validation import _members, check_memory, did_you_mean, shown, validate

#: YAML ``type`` of a code -> "module:SpecClass".
CODES: dict[str, str] = {
    "uncoded": "shannonlab.codes.uncoded:UncodedSpec",
    "polar": "shannonlab.codes.polar.code:PolarSpec",
    "hamming": "shannonlab.codes.block.hamming:HammingSpec",
    "repetition": "shannonlab.codes.block.repetition:RepetitionSpec",
    "linear": "shannonlab.codes.block.linear:LinearSpec",
    "golay": "shannonlab.codes.block.golay:GolaySpec",
    "convolutional": "shannonlab.codes.convolutional.code:ConvolutionalSpec",
    "ldpc": "shannonlab.codes.ldpc.code:LDPCSpec",
    "turbo": "shannonlab.codes.turbo.code:TurboSpec",
    "bch": "shannonlab.codes.bch.code:BCHSpec",
    "reed-solomon": "shannonlab.codes.reed_solomon.code:ReedSolomonSpec",
    "concatenated": "shannonlab.codes.concatenated.code:ConcatenatedSpec",
}

#: YAML ``type`` of a channel -> "module:SpecClass".
CHANNELS: dict[str, str] = {
    "bsc": "shannonlab.channels.bsc:BSCSpec",
    "bec": "shannonlab.channels.bec:BECSpec",
    "z": "shannonlab.channels.z:ZSpec",
    "awgn": "shannonlab.channels.awgn:AWGNSpec",
    "bandlimited": "shannonlab.channels.bandlimited:BandLimitedSpec",
    "rayleigh": "shannonlab.channels.fading:RayleighSpec",
    "rician": "shannonlab.channels.fading:RicianSpec",
}


def _load(target: str) -> type:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def _spec_class(table: dict[str, str], kind: str, spec: Any, where: str) -> type:
    if not isinstance(spec, dict):
        raise ConfigError(f"{where}: must be a mapping with a 'type' key, got {shown(spec)}")
    name = spec.get("type")
    if name is None:
        close = did_you_mean("type", [k for k in spec if isinstance(k, str)])
        if close:
            raise ConfigError(f"{where}.{close[len(' (did you mean '):-2]}: unknown key (did you mean type?)")
        raise ConfigError(f"{where}.type: required, one of {', '.join(table)}")
    if not isinstance(name, str) or name not in table:
        raise ConfigError(f"{where}.type: unknown {kind} {shown(name)}{did_you_mean(name, table)} "
                          f"(allowed: {', '.join(table)})")
    return _load(table[name])


def parse_code_spec(spec: dict | CodeSpec, where: str = "code") -> CodeSpec:
    """Validate a ``codes:`` entry; errors name the field as ``where.field``."""
    if isinstance(spec, CodeSpec):
        return spec
    parsed = validate(_spec_class(CODES, "code", spec, where), spec, where)
    if parsed.nested_codes:  # a composite code: its parts are codes: entries too
        parts = {name: parse_code_spec(getattr(parsed, name), f"{where}.{name}") for name in parsed.nested_codes}
        parsed = parsed.model_copy(update=parts)
    return parsed


def parse_channel_spec(spec: dict | ChannelSpec, where: str = "channel") -> ChannelSpec:
    """Validate a ``channel:`` mapping; errors name the field as ``where.field``."""
    if isinstance(spec, ChannelSpec):
        return spec
    return validate(_spec_class(CHANNELS, "channel", spec, where), spec, where)


def build_code(spec: dict | CodeSpec, where: str = "code") -> Code:
    """The code (with its decoder) that a ``codes:`` entry describes."""
    parsed = parse_code_spec(spec, where)
    check_memory(parsed.memory_needs(), where)  # before building: a size must not exhaust the machine
    try:
        return parsed.build()
    except ValueError as exc:  # a combination of fields the family rejects (K > N, ...)
        if isinstance(exc, ConfigError):
            raise
        raise ConfigError(f"{where}: {exc}") from None


def build_channel(spec: dict | ChannelSpec, parameter: str, value: float, rate: float) -> Channel:
    """The channel that a ``channel:`` mapping describes, at ``parameter = value`` for a
    code of rate ``rate``."""
    parsed = parse_channel_spec(spec)
    check_sweep(parsed, parameter, [value])
    return parsed.build(parameter, float(value), float(rate))


def channel_specs() -> dict[str, type[ChannelSpec]]:
    """Every registered channel spec class by its YAML ``type``."""
    return {name: _load(target) for name, target in CHANNELS.items()}


def capacity_models() -> dict[str, tuple[type[ChannelSpec], Any]]:
    """Every capacity model any channel offers, by name (``bsc``, ``biawgn``, ...): the spec
    class that computes it and its :class:`~shannonlab.channels.base.CapacityModel`."""
    found: dict[str, tuple[type[ChannelSpec], Any]] = {}
    for cls in channel_specs().values():
        for name, model in cls.capacity_models.items():
            found.setdefault(name, (cls, model))
    return found


def capacity_model(name: str, where: str = "channel") -> tuple[ChannelSpec, Any]:
    """The channel spec (with its defaults) and :class:`CapacityModel` called ``name``."""
    models = capacity_models()
    if not isinstance(name, str) or name not in models:
        raise ConfigError(f"{where}: unknown capacity model {shown(name)}{did_you_mean(name, models)} "
                          f"(allowed: {', '.join(models)})")
    cls, model = models[name]
    return cls(), model


def check_sweep(channel: ChannelSpec, parameter: str, values: list[float], where: str = "sweep") -> None:
    """Raise a one-line error if ``channel`` cannot be swept over ``parameter``/``values``."""
    allowed = channel.parameters
    if parameter not in allowed:
        raise ConfigError(
            f"{where}.parameter: channel '{channel.type}' is swept over {' or '.join(allowed)}, got "
            f"{shown(parameter)}{did_you_mean(parameter, allowed)}"
        )
    for i, value in enumerate(values):
        try:
            channel.check_value(parameter, float(value))
        except ValueError as exc:
            raise ConfigError(f"{where}.values[{i}]: {exc}") from None


def _summary(doc: str | None) -> str:
    """The first paragraph of a docstring on one line, reStructuredText markup removed."""
    paragraph = (doc or "").strip().split("\n\n")[0]
    text = " ".join(line.strip() for line in paragraph.splitlines())
    text = re.sub(r":(?:math|class|func|mod|data|attr|meth):`~?([^`]*)`", r"\1", text)
    return text.replace("``", "")


def _type_text(annotation: Any) -> str:
    members = _members(annotation)
    if len(members) == 1 and typing.get_origin(members[0]) is typing.Literal:
        return "one of " + ", ".join(repr(v) for v in typing.get_args(members[0]))
    names = [getattr(m, "__name__", None) or str(m).replace("typing.", "") for m in members]
    optional = type(None) in typing.get_args(annotation) or "None" in str(annotation)
    return " | ".join(names) + (" or null" if optional and "None" not in names else "")


def _tag(model: type[BaseModel]) -> str:
    """What names a member of a union in YAML: its literal ``type``/``algorithm``/``standard``
    value, or the key only it has."""
    for field in model.model_fields.values():
        if typing.get_origin(field.annotation) is typing.Literal and field.is_required() or (
                typing.get_origin(field.annotation) is typing.Literal and len(typing.get_args(field.annotation)) == 1):
            return ", ".join(str(v) for v in typing.get_args(field.annotation))
    return next(iter(model.model_fields), model.__name__)


def _describe_fields(model: type[BaseModel], indent: str) -> list[str]:
    lines = []
    for name, field in model.model_fields.items():
        if name == "type":
            continue
        annotation = field.annotation
        submodels = [m for m in _members(annotation) if isinstance(m, type) and issubclass(m, BaseModel)]
        default = "required" if field.is_required() else f"default {field.get_default(call_default_factory=True)!r}"
        if submodels:
            default = "required" if field.is_required() else "optional"
            if len(submodels) == 1:
                lines.append(f"{indent}{name}: {_summary(submodels[0].__doc__)} ({default})")
                lines.extend(_describe_fields(submodels[0], indent + "    "))
                continue
            lines.append(f"{indent}{name}: one of ({default})")
            for sub in submodels:
                lines.append(f"{indent}  - {_tag(sub)}: {_summary(sub.__doc__)}")
                lines.extend(_describe_fields(sub, indent + "      "))
        else:
            doc = f"  {_summary(field.description)}" if field.description else ""
            lines.append(f"{indent}{name}: {_type_text(annotation)} ({default}){doc}")
    return lines


def describe() -> str:
    """Every registered code (with its decoders), channel (with its sweep parameters and
    their ranges) and capacity model, with parameters."""
    out = ["codes:"]
    for name, target in CODES.items():
        cls = _load(target)
        out.append(f"  {name}: {_summary(cls.__doc__)}")
        out.extend(_describe_fields(cls, "      "))
    out.append("channels:")
    for name, target in CHANNELS.items():
        cls = _load(target)
        out.append(f"  {name}: {_summary(cls.__doc__)}")
        for parameter, allowed in cls.parameters.items():
            out.append(f"      sweep {parameter}: {allowed}")
        out.extend(_describe_fields(cls, "      "))
    out.append("capacity models (shannonlab capacity NAME, kind: capacity curves):")
    for name, (_, model) in capacity_models().items():
        flags = ", ".join(model.parameters)
        out.append(f"  {name}: {model.description}, C = {model.formula} (parameters: {flags})")
    return "\n".join(out)
