"""The one exception family of the workbench.

WorkbenchError                 anything the workbench reports to an analyst
├── ConfigError                settings, parameters, environment
├── ExportError                an input file: carries file, line, column
│   ├── ExportReadError        the file cannot be read as an export at all
│   └── HeaderError            its headers lack fields the object cannot do without
├── MapError                   the YAML map: carries file, line, field
│   ├── MapValidationError     the map does not match the schema or the data
│   └── MapNotConfirmedError   unconfirmed, or changed since confirmation
├── ResolveError               dedupe, joins, associations
├── TwentyError                the destination
│   ├── TwentyAuthError        401 / 403 / "Unknown token error." 400
│   ├── TwentyAPIError         any other error answer (status, error, messages)
│   ├── TransientError         marker: worth retrying (429, 5xx, timeouts, drops)
│   │   └── RateLimitedError   429 or GraphQL "Too many requests."
│   └── AmbiguousWriteError    a write was sent and no answer came back
├── LedgerError                the run's SQLite ledger
│   └── LedgerLockedError      another process holds the ledger
├── ReconciliationError        a phase does not add up
└── PipelineError              a notebook failed: carries notebook and cell
"""

from __future__ import annotations

from pathlib import Path


class WorkbenchError(Exception):
    """Base of every error the workbench raises on purpose.

    `file`, `line` and `column` say where in the analyst's input the problem is, when it is
    about input; `str()` renders them in front of the message so a notebook shows them.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.column = column
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ConfigError(WorkbenchError):
    """Settings, parameters or environment are wrong."""


class ExportError(WorkbenchError):
    """A problem in a client's export file."""


class ExportReadError(ExportError):
    """The file cannot be read as an export at all (empty, binary, truncated)."""


class HeaderError(ExportError):
    """An export's headers lack fields its object cannot do without (after header resolution)."""


class MapError(WorkbenchError):
    """A problem in a YAML map."""


class MapValidationError(MapError):
    """The map does not match its schema or the export it is applied to."""


class MapNotConfirmedError(MapError):
    """Loading refused: the map is unconfirmed or changed since its confirmation."""


class ResolveError(WorkbenchError):
    """Dedupe, joins or association rebuilding cannot proceed."""


class TwentyError(WorkbenchError):
    """A problem talking to Twenty (real or emulated)."""


class TwentyAuthError(TwentyError):
    """The API key was refused."""


class TwentyAPIError(TwentyError):
    """Twenty answered with an error; terminal unless also a TransientError."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        error: str | None = None,
        messages: list[str] | None = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        self.status = status
        self.error = error
        self.messages = messages or []
        self.method = method
        self.path = path
        super().__init__(message)


class TransientError(TwentyError):
    """Marker: the same request may succeed later (429, 5xx, timeouts, dropped connections)."""


class RateLimitedError(TransientError):
    """Throttled: HTTP 429 or GraphQL "Too many requests."."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class AmbiguousWriteError(TransientError):
    """A write was sent and no answer came back: it may or may not have been committed."""


class LedgerError(WorkbenchError):
    """The run's ledger is missing, corrupt or inconsistent."""


class LedgerLockedError(LedgerError):
    """Another process is loading with the same ledger."""


class ReconciliationError(WorkbenchError):
    """Counts do not add up after a phase; the next phase must not start."""


class PipelineError(WorkbenchError):
    """A notebook of the sequence failed."""

    def __init__(
        self, message: str, *, notebook: str | None = None, cell: int | None = None
    ) -> None:
        self.notebook = notebook
        self.cell = cell
        super().__init__(message, file=notebook)
