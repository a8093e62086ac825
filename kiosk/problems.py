"""A problem an author or staff member can fix: the file, the line and what to do."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MAX_MESSAGE = 1000  # characters: a message quotes at most a short piece of what the author wrote


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __post_init__(self) -> None:
        if len(self.message) > MAX_MESSAGE:  # an id or key quoted whole could be a 5,000-character line
            object.__setattr__(self, "message", self.message[:MAX_MESSAGE - 1] + "…")

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"
