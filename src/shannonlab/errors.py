"""The one exception type a user sees: a bad input, explained in one line.

Every validation in shannonlab raises :class:`ShannonlabError` (a ``ValueError``) whose
message names the offending field and what is allowed, for example
``codes[1].decoder.max_iterations: must be a positive integer, got -3``. The CLI prints
that message alone and exits with status 2; the Python API lets it propagate.
"""


class ShannonlabError(ValueError):
    """A bad input or an unusable state, with a one-line message naming the field."""


class ConfigError(ShannonlabError):
    """An experiment file (or a spec mapping) that does not validate."""
