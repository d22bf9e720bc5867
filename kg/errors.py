"""One error tree for kg.

Every error a user can cause is a :class:`KgError` whose message is one line that names the
file or thing at fault and says what to do. Third-party exceptions are translated into this tree
in one place per dependency (``raise ... from exc``), so the CLI can print ``error: <message>``
and exit 1 (2 for a usage error) without a traceback. Every raise names the most specific class;
``raise KgError(...)`` itself is never written (a test checks the source)::

    KgError
    ├── InputError            an article, a folder or evaluation data cannot be read or parsed
    ├── OutputError           a file kg was asked to write cannot be written
    ├── ModelNotInstalled     no English spaCy model is installed
    ├── MissingExtra          an optional feature's packages are not installed
    ├── InstallationError     kg's own files (ontology, queries, shapes) are missing or unusable
    ├── StoreError            the store cannot be opened, read or written
    │   └── StoreLocked       another process holds the store for writing
    ├── QueryError            a SPARQL query is invalid, unknown, or failed
    │   ├── QueryTimeout      a query ran longer than its time limit
    │   └── RunnerError       the child process that runs queries failed or stopped answering
    ├── ClusterError          a Dask scheduler or its workers cannot be reached or failed
    ├── ServeError            the SPARQL server cannot listen where it was asked to
    ├── ValidationFailed      an article graph or the store does not conform to the SHACL shapes
    ├── NotFound              an article or entity named on the command line is not in the store
    └── UsageError            options that do not make sense together (exit code 2)
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


class OutputError(KgError):
    """A file kg was asked to write (an export, a page, a report) cannot be written."""


class ModelNotInstalled(KgError):
    """No English spaCy model is installed."""


class MissingExtra(KgError):
    """An optional feature's packages (an extra such as ``serve``, ``dask`` or ``pandas``) are
    not installed."""


class InstallationError(KgError):
    """kg's own files (ontology, queries, shapes) are missing from the installation or unusable."""


class StoreError(KgError):
    """The store cannot be opened, read or written."""


class StoreLocked(StoreError):
    """Another process holds the store for writing."""


class QueryError(KgError):
    """A SPARQL query is invalid, unknown, or failed."""


class QueryTimeout(QueryError):
    """A query ran longer than its time limit."""


class RunnerError(QueryError):
    """The child process that runs queries under a time and memory limit failed to start, died
    or stopped answering."""


class ClusterError(KgError):
    """A Dask scheduler or its workers cannot be reached, or a task failed on a worker."""


class ServeError(KgError):
    """The SPARQL server cannot listen on the host and port it was given."""


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
