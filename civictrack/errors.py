"""Data errors: each names a file, a line and column, what is wrong and how to fix it.

Every stage of loading and validation adds to one :class:`ErrorSink`; the build
stops once, after all errors of a run have been collected.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class DataError:
    """One problem in the input, printed as ``file:line:column: message (hint)``."""

    file: str
    line: int
    column: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}:{self.column}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


@dataclass
class ErrorSink:
    """Collects :class:`DataError` values; duplicates are dropped."""

    errors: list[DataError] = field(default_factory=list)

    def add(self, file: str, line: int, column: int, message: str, hint: str = "") -> None:
        error = DataError(file, line, column, message, hint)
        if error not in self.errors:
            self.errors.append(error)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def __len__(self) -> int:
        return len(self.errors)

    def sorted(self) -> list[DataError]:
        return sorted(self.errors)


class BuildError(Exception):
    """Raised when input is invalid; carries every error found in the run."""

    def __init__(self, errors: list[DataError]):
        super().__init__(f"{len(errors)} error(s) in the data")
        self.errors = errors
