"""Files as streams of located texts: lines of text, strings of JSON and JSONL, cells of CSV.

Every reader holds at most one line (or one JSON token, or one CSV record) in memory, so
a scan's memory does not grow with the file. A problem with part of a file (a line that
is not UTF-8, a malformed JSON line, a broken CSV record) is reported through `on_error`,
by line and column, never with its content, and the reader goes on with the next part.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from memveil.edge.audit.jsonstream import JsonSyntaxError, iter_json_strings, raw_offset

__all__ = ["Format", "TextUnit", "detect_format", "read_units", "sniff_binary"]

Format = Literal["text", "jsonl", "json", "csv", "tsv"]
ErrorSink = Callable[[int | None, str], None]
ByteSink = Callable[[int], None]

LINE_LIMIT = 1 << 20  # a text line longer than this is read in pieces of this size
RECORD_LIMIT = 32 << 20  # a JSONL line or CSV record longer than this is skipped
_CHUNK = 1 << 20
_SNIFF = 8192


@dataclass(frozen=True, slots=True)
class TextUnit:
    """A text to scan and where it sits: `text` decodes `raw`, which starts at (line, column).

    `where` is the logical place (a JSON path, a CSV column name), None for plain text.
    `kind` says how `raw` encodes `text`, so an offset in the text maps back to the file.
    """

    text: str
    line: int
    column: int
    where: str | None = None
    raw: str | None = None
    kind: Literal["plain", "json", "csv"] = "plain"
    user_name: str | None = None
    is_key: bool = False

    def locate(self, offset: int) -> tuple[int, int]:
        """(line, column), 1-based, of the text's character `offset` in the file."""
        if self.kind == "plain" or self.raw is None:
            return self.line, self.column + offset
        skip = raw_offset(self.raw, offset) if self.kind == "json" else _csv_raw_offset(self.raw, offset)
        before = self.raw[:skip]
        newlines = before.count("\n")
        if not newlines:
            return self.line, self.column + skip
        return self.line + newlines, skip - before.rindex("\n")

    def __repr__(self) -> str:
        return f"TextUnit(line={self.line}, column={self.column}, where={self.where!r}, kind={self.kind!r})"


def detect_format(path: Path) -> Format:
    """By extension; a `.json` file whose first line is a whole JSON value is read as JSONL."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    if suffix == ".tsv":
        return "tsv"
    if suffix == ".json":
        with path.open("rb") as handle:
            first = handle.readline(LINE_LIMIT)
        if len(first) >= LINE_LIMIT and not first.endswith(b"\n"):
            return "json"  # a long first line: stream it as a document rather than load it
        try:
            for _ in iter_json_strings([first.decode("utf-8-sig")]):
                pass
        except (JsonSyntaxError, UnicodeDecodeError):
            return "json"
        return "jsonl"
    return "text"


def sniff_binary(path: Path) -> str | None:
    """Why the file is not text at all, or None. Text that is merely not UTF-8 in places is
    read line by line, and each bad line is reported (and skipped) on its own."""
    with path.open("rb") as handle:
        head = handle.read(_SNIFF)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16 text (convert it to UTF-8 to scan it)"
    if b"\x00" in head:
        return "binary file"
    return None


def read_units(path: Path, fmt: Format, on_error: ErrorSink, on_bytes: ByteSink) -> Iterator[TextUnit]:
    """The texts of a file in order. Keys of JSON objects come too (`is_key`); callers filter."""
    with path.open("rb") as handle:
        if fmt == "text":
            yield from _text_units(handle, on_error, on_bytes)
        elif fmt == "jsonl":
            yield from _jsonl_units(handle, on_error, on_bytes)
        elif fmt == "json":
            yield from _json_units(handle, on_error, on_bytes)
        else:
            yield from _csv_units(handle, "," if fmt == "csv" else "\t", on_error, on_bytes)


# -- lines ------------------------------------------------------------------------------


def _lines(handle: BinaryIO, limit: int, on_bytes: ByteSink) -> Iterator[tuple[int, bytes, bool]]:
    """(line number, bytes without the line break, whether the line was complete) pieces."""
    number = 1
    first = True
    while True:
        piece = handle.readline(limit)
        if not piece:
            return
        on_bytes(len(piece))
        if first and piece.startswith(b"\xef\xbb\xbf"):
            piece = piece[3:]
        first = False
        complete = piece.endswith(b"\n")
        yield number, piece.rstrip(b"\r\n") if complete else piece, complete
        if complete:
            number += 1


def _utf8_error(exc: UnicodeDecodeError, column_base: int = 0) -> str:
    return f"not UTF-8 text (bad byte at byte {column_base + exc.start + 1} of the line); skipped"


def _text_units(handle: BinaryIO, on_error: ErrorSink, on_bytes: ByteSink) -> Iterator[TextUnit]:
    carry = b""  # the start of a character cut by a piece boundary
    column = 1
    skipping = 0  # a line already reported as bad
    for number, piece, complete in _lines(handle, LINE_LIMIT, on_bytes):
        data = carry + piece
        carry = b""
        if not complete:  # keep a cut multi-byte character for the next piece
            cut = _incomplete_tail(data)
            data, carry = data[: len(data) - cut], data[len(data) - cut :]
        if skipping != number:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                on_error(number, _utf8_error(exc))
                skipping = number
            else:
                if text.strip():
                    yield TextUnit(text, number, column)
                column += len(text)
        if complete:
            column, carry = 1, b""


def _incomplete_tail(data: bytes) -> int:
    """How many bytes at the end start a UTF-8 character that is not finished."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte & 0xC0 != 0x80:  # a lead byte (or ASCII)
            need = 2 if byte & 0xE0 == 0xC0 else 3 if byte & 0xF0 == 0xE0 else 4 if byte & 0xF8 == 0xF0 else 1
            return back if need > back else 0
    return 0


# -- JSON -------------------------------------------------------------------------------


def _json_line_units(text: str, number: int) -> list[TextUnit]:
    strings = list(iter_json_strings([text], first_line=number))
    user_name = next(
        (s.value for s in strings if not s.is_key and s.path in ("metadata.user_name", "user_name")), None
    )
    return [
        TextUnit(s.value, s.line, s.column, s.path, s.raw, "json", user_name, s.is_key) for s in strings
    ]


def _jsonl_units(handle: BinaryIO, on_error: ErrorSink, on_bytes: ByteSink) -> Iterator[TextUnit]:
    too_long = 0
    for number, piece, complete in _lines(handle, RECORD_LIMIT, on_bytes):
        if too_long == number:
            continue
        if not complete and len(piece) >= RECORD_LIMIT:
            on_error(number, f"line longer than {RECORD_LIMIT >> 20} MiB; skipped")
            too_long = number
            continue
        try:
            text = piece.decode("utf-8")
        except UnicodeDecodeError as exc:
            on_error(number, _utf8_error(exc))
            continue
        if not text.strip():
            continue
        try:
            units = _json_line_units(text, number)
        except JsonSyntaxError as exc:
            on_error(number, f"not valid JSON ({exc.problem} at column {exc.column}); line skipped")
            continue
        yield from units


def _json_units(handle: BinaryIO, on_error: ErrorSink, on_bytes: ByteSink) -> Iterator[TextUnit]:
    """One JSON document, streamed. The user name of a benchmark record (or any top-level
    element's `metadata.user_name`) applies to the strings that follow it in that element."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")("strict")
    read = 0

    def chunks() -> Iterator[str]:
        nonlocal read
        while True:
            data = handle.read(_CHUNK)
            on_bytes(len(data))
            text = decoder.decode(data, final=not data)
            read += len(data)
            if text:
                yield text
            if not data:
                return

    top: str | None = None
    user_name: str | None = None
    try:
        for s in iter_json_strings(chunks()):
            element = s.path[: s.path.index("]") + 1] if s.path.startswith("[") else s.path.split(".", 1)[0]
            if element != top:
                top, user_name = element, None
            if not s.is_key and s.path.endswith("metadata.user_name"):
                user_name = s.value
            yield TextUnit(s.value, s.line, s.column, s.path, s.raw, "json", user_name, s.is_key)
    except JsonSyntaxError as exc:
        on_error(exc.line, f"not valid JSON ({exc.problem} at column {exc.column}); the rest of the file is skipped")
    except UnicodeDecodeError as exc:
        on_error(None, f"not UTF-8 text (bad byte near byte {read + exc.start + 1}); the rest of the file is skipped")


# -- CSV --------------------------------------------------------------------------------


def _csv_field_re(delimiter: str) -> re.Pattern[str]:
    d = re.escape(delimiter)
    return re.compile(rf'"((?:[^"]|"")*)"(?=$|{d}|\r?\n)|([^{d}\r\n]*)')


def _csv_units(handle: BinaryIO, delimiter: str, on_error: ErrorSink, on_bytes: ByteSink) -> Iterator[TextUnit]:
    field = _csv_field_re(delimiter)
    header: list[str] | None = None
    record: list[str] = []
    start = 0
    for number, piece, complete in _lines(handle, RECORD_LIMIT, on_bytes):
        try:
            text = piece.decode("utf-8")
        except UnicodeDecodeError as exc:
            on_error(number, _utf8_error(exc) + " (and the record it belongs to)")
            record = []
            continue
        if not record:
            start = number
        record.append(text)
        joined = "\n".join(record)
        if joined.count('"') % 2 and complete and sum(map(len, record)) < RECORD_LIMIT:
            continue  # a quoted field goes on over the next line
        record = []
        cells = _split_record(joined, field, delimiter)
        if cells is None:
            on_error(start, "malformed CSV record (a quote in the wrong place); skipped")
            continue
        if header is None:
            header = [value for value, _, _ in cells]
        for index, (value, offset, raw) in enumerate(cells):
            if not value.strip():
                continue
            before = joined[:offset]
            line = start + before.count("\n")
            column = offset - (before.rindex("\n") + 1 if "\n" in before else 0) + 1
            name = header[index] if index < len(header) and header[index] else f"[{index}]"
            yield TextUnit(value, line, column, name, raw, "csv")
    if record:
        on_error(start, "unterminated quoted CSV field at the end of the file; skipped")


def _split_record(text: str, field: re.Pattern[str], delimiter: str) -> list[tuple[str, int, str]] | None:
    """[(value, offset, raw)] of a record, or None when it is malformed."""
    cells: list[tuple[str, int, str]] = []
    pos = 0
    while True:
        m = field.match(text, pos)
        if m is None:
            return None
        quoted = m.group(1)
        value = quoted.replace('""', '"') if quoted is not None else m.group(2)
        if quoted is None and '"' in value and value.startswith('"'):
            return None
        cells.append((value, pos, m.group(0)))
        pos = m.end()
        if pos >= len(text):
            return cells
        if text[pos] != delimiter:
            return None
        pos += 1
        if pos == len(text):
            cells.append(("", pos, ""))
            return cells


def _csv_raw_offset(raw: str, offset: int) -> int:
    if not raw.startswith('"'):
        return offset
    i, seen = 1, 0
    while seen < offset and i < len(raw):
        i += 2 if raw.startswith('""', i) else 1
        seen += 1
    return i
