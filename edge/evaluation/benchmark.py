"""The benchmark's JSONL format, read and written as a stream (one user per line).

A record is a JSON object: `metadata.user_name` and `dialogues`, a list of turns
`{role, content, privacy_info}`. User turns carry the reference items in `privacy_info`
and, once `memveil extract` has run, its items in `privacy_info_pred`; an item is
`{original_text, privacy_type, privacy_level}`. Records stay the parsed dicts, so writing
one back changes nothing but what was added. Errors name the file and the line, never the
content: the data is private by construction.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from memveil.edge.errors import MemveilError

REFERENCES = "privacy_info"
PREDICTIONS = "privacy_info_pred"
_ITEM_KEYS = ("original_text", "privacy_type", "privacy_level")


class BenchmarkFormatError(MemveilError):
    """A line of a benchmark file is not a valid record; the message says where, not what."""

    def __init__(self, path: Path | str, line: int, problem: str) -> None:
        super().__init__(f"{path}, line {line}: {problem}")
        self.path = str(path)
        self.line = line


@dataclass(frozen=True, slots=True)
class PrivacyItem:
    """One private item: its text as it appears in the turn, its type name and level name.

    Type and level stay the strings the file holds (the type vocabulary is open, and a
    model's odd level should score 0, not stop the evaluation).
    """

    text: str
    type: str
    level: str

    def to_json(self) -> dict[str, str]:
        return {"original_text": self.text, "privacy_type": self.type, "privacy_level": self.level}


@dataclass(frozen=True, slots=True)
class UserTurn:
    """A user turn of a record: its position in `dialogues`, its text and its raw dict."""

    index: int
    content: str
    raw: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Record:
    """One user's line of a benchmark file, validated as far as every command needs."""

    path: str
    line: int
    data: dict[str, Any]

    @property
    def user_name(self) -> str | None:
        return self.data.get("metadata", {}).get("user_name")

    @property
    def uuid(self) -> object:
        return self.data.get("uuid")

    def user_turns(self) -> list[UserTurn]:
        return [
            UserTurn(i, turn["content"], turn) for i, turn in enumerate(self.data["dialogues"]) if turn["role"] == "user"
        ]

    def items(self, turn: UserTurn, key: str) -> list[PrivacyItem]:
        """The items under `key` (REFERENCES or PREDICTIONS) of a user turn."""
        where = f"dialogues[{turn.index}]"
        if key not in turn.raw:
            raise self.error(f"{where} (a user turn) has no {key!r} list")
        items = turn.raw[key]
        if not isinstance(items, list):
            raise self.error(f"{where}.{key} must be a list")
        parsed: list[PrivacyItem] = []
        for n, item in enumerate(items):
            if not isinstance(item, dict):
                raise self.error(f"{where}.{key}[{n}] must be an object")
            for field in _ITEM_KEYS:
                if not isinstance(item.get(field), str):
                    raise self.error(f"{where}.{key}[{n}].{field} must be a string")
            parsed.append(PrivacyItem(item["original_text"], item["privacy_type"], item["privacy_level"]))
        return parsed

    def error(self, problem: str) -> BenchmarkFormatError:
        return BenchmarkFormatError(self.path, self.line, problem)


def _validate(data: object, path: str, line: int) -> dict[str, Any]:
    def fail(problem: str) -> BenchmarkFormatError:
        return BenchmarkFormatError(path, line, problem)

    if not isinstance(data, dict):
        raise fail("a record must be a JSON object")
    metadata = data.get("metadata", {})
    if not isinstance(metadata, dict):
        raise fail("'metadata' must be an object")
    if metadata.get("user_name") is not None and not isinstance(metadata["user_name"], str):
        raise fail("'metadata.user_name' must be a string")
    dialogues = data.get("dialogues")
    if not isinstance(dialogues, list):
        raise fail("'dialogues' must be a list")
    for i, turn in enumerate(dialogues):
        if not isinstance(turn, dict):
            raise fail(f"dialogues[{i}] must be an object")
        if not isinstance(turn.get("role"), str):
            raise fail(f"dialogues[{i}].role must be a string")
        if not isinstance(turn.get("content"), str):
            raise fail(f"dialogues[{i}].content must be a string")
    return data


def read_records(path: Path | str) -> Iterator[Record]:
    """Records of a JSONL file, one at a time; blank lines are skipped.

    Raises BenchmarkFormatError for a line that is not UTF-8, not JSON or not a record, and
    OSError when the file cannot be read.
    """
    shown = str(path)
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise BenchmarkFormatError(shown, number, f"not UTF-8 text (bad byte at column {exc.start + 1})") from None
            if not text.strip():
                continue
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:  # exc.doc would hold the line: keep only the position
                raise BenchmarkFormatError(shown, number, f"not valid JSON ({exc.msg} at column {exc.colno})") from None
            yield Record(shown, number, _validate(data, shown, number))


def count_records(path: Path | str) -> int:
    """Non-blank lines of a file, without parsing them: the total a progress bar needs."""
    with open(path, "rb") as handle:
        return sum(1 for raw in handle if raw.strip())


@contextmanager
def record_writer(path: Path | str) -> Iterator[TextIO]:
    """A text stream for JSONL output that replaces `path` only once everything is written,
    so a run that fails half-way leaves no truncated file behind."""
    target = Path(path)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
        os.replace(temp, target)
    except BaseException:
        os.unlink(temp)
        raise


def write_record(handle: TextIO, record: Record) -> None:
    handle.write(json.dumps(record.data, ensure_ascii=False) + "\n")
