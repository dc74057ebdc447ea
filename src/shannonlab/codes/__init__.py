from .base import Code, CodeSpec, DecodeReport, hard_decision  # noqa: F401
