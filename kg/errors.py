"""One error tree for kg.

Every error a user can cause is a :class:`KgError` whose message is one line that names the
file or thing at fault and says what to do. Third-party exceptions are translated into this tree
in one place per dependency (``raise ... from exc``), so the CLI can print ``error: <message>``
and exit 1 without a traceback.
"""

from __future__ import annotations


class KgError(Exception):
    """Base class of every error kg reports to a user."""

    exit_code = 1


class InputError(KgError):
    """An article file or directory cannot be read or parsed."""

    def __init__(self, path: object, problem: str, fix: str = "") -> None:
        self.path = str(path)
        self.problem = problem
        self.fix = fix
        message = f"{self.path}: {problem}"
        if fix:
            message += f" ({fix})"
        super().__init__(message)


class ModelNotInstalled(KgError):
    """No English spaCy model is installed."""


class StoreError(KgError):
    """The store cannot be opened, read or written."""


class StoreLocked(StoreError):
    """Another process holds the store for writing."""


class QueryError(KgError):
    """A SPARQL query is invalid, unknown, or failed."""


class QueryTimeout(QueryError):
    """A query ran longer than its time limit."""


class ValidationFailed(KgError):
    """An article graph or the store does not conform to the SHACL shapes."""

    def __init__(self, message: str, report: str = "") -> None:
        self.report = report
        super().__init__(message)


class NotFound(KgError):
    """An article or entity named on the command line is not in the store."""


class UsageError(KgError):
    """Options that do not make sense together."""

    exit_code = 2
