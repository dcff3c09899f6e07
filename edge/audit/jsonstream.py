"""The strings of a JSON text, streamed, each with its JSON path and where it starts.

An audit needs every string of a chat export with a location a person (or a SARIF viewer)
can jump to, and must not load a 2 GB export to get them; `json.load` does both wrong. This
is a small validating tokenizer: a regex per token, a stack of containers for the path,
and the standard library's decoder for each string (escapes are checked there).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

__all__ = ["JsonString", "JsonSyntaxError", "iter_json_strings", "raw_offset"]

_WS = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\.)*"', re.S)
_STRING_OPEN = re.compile(r'"(?:[^"\\\x00-\x1f]|\\.)*\\?', re.S)  # as far as a valid string goes
_SCALAR = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LOOKAHEAD = 64  # a scalar token is never longer than this in practice; read ahead that far
_MAX_TOKEN = 64 * 1024 * 1024


class JsonSyntaxError(ValueError):
    """Not valid JSON; says where (line, column) and what, never the text."""

    def __init__(self, line: int, column: int, problem: str) -> None:
        super().__init__(f"line {line}, column {column}: {problem}")
        self.line, self.column, self.problem = line, column, problem


@dataclass(frozen=True, slots=True)
class JsonString:
    """One string token: its path (`[3].dialogues[1].content`), start, token and value."""

    path: str
    line: int
    column: int  # 1-based, in code points, of the opening quote
    raw: str
    value: str
    is_key: bool

    def __repr__(self) -> str:  # the value is private by assumption
        return f"JsonString(path={self.path!r}, line={self.line}, column={self.column}, is_key={self.is_key})"


class _Frame:
    __slots__ = ("is_object", "key", "index", "state")

    def __init__(self, is_object: bool) -> None:
        self.is_object = is_object
        self.key: str | None = None
        self.index = -1
        # object: "key|end", "key" (after a comma), "colon", "value", "comma|end";
        # array: "value|end", "value" (after a comma), "comma|end"
        self.state = "key|end" if is_object else "value|end"


def _path(stack: list[_Frame], key: str | None = None) -> str:
    parts: list[str] = []
    for frame in stack:
        if frame.is_object:
            name = key if frame is stack[-1] and key is not None else frame.key
            if name is None:
                continue
            parts.append(f".{name}" if _IDENT.fullmatch(name) else f"[{json.dumps(name, ensure_ascii=False)}]")
        else:
            parts.append(f"[{frame.index}]")
    return "".join(parts).lstrip(".") or "$"


def iter_json_strings(chunks: Iterable[str], first_line: int = 1) -> Iterator[JsonString]:
    """Every string of one JSON value read from text chunks, keys included, in order.

    Raises JsonSyntaxError at the first thing that is not JSON (after yielding what came
    before it), including anything but whitespace after the value.
    """
    source = iter(chunks)
    buf = ""
    pos = 0
    eof = False
    line, line_start = first_line, 0  # line_start: offset in buf of the current line (may be < 0)
    stack: list[_Frame] = []
    done = False

    def more() -> bool:
        nonlocal buf, pos, eof, line_start
        if eof:
            return False
        if pos > 65536:  # drop what has been consumed
            buf, line_start, pos = buf[pos:], line_start - pos, 0
        for chunk in source:
            if chunk:
                buf += chunk
                return True
        eof = True
        return False

    def fail(problem: str) -> JsonSyntaxError:
        return JsonSyntaxError(line, pos - line_start + 1, problem)

    while True:
        while True:  # whitespace, across chunks
            m = _WS.match(buf, pos)
            assert m is not None
            newlines = buf.count("\n", pos, m.end())
            if newlines:
                line += newlines
                line_start = buf.rindex("\n", pos, m.end()) + 1
            pos = m.end()
            if pos < len(buf) or not more():
                break
        if pos >= len(buf):
            if done:
                return
            raise fail("unexpected end of data" if stack or pos else "no JSON value")
        if done:
            raise fail("extra data after the JSON value")
        ch = buf[pos]
        frame = stack[-1] if stack else None
        state = frame.state if frame else "value"
        if ch == '"':
            while True:
                m = _STRING.match(buf, pos)
                if m:
                    break
                partial = _STRING_OPEN.match(buf, pos)
                assert partial is not None
                if partial.end() < len(buf) or len(buf) - pos > _MAX_TOKEN or not more():
                    raise fail("unterminated string" if partial.end() >= len(buf) else "invalid character in a string")
            raw = m.group(0)
            try:
                value = json.loads(raw)
            except json.JSONDecodeError:
                raise fail("invalid escape in a string") from None
            column = pos - line_start + 1
            if frame is not None and frame.is_object and state in ("key|end", "key"):
                frame.key = value
                frame.state = "colon"
                yield JsonString(_path(stack, value), line, column, raw, value, True)
            elif state in ("value", "value|end"):
                if frame is not None and not frame.is_object:
                    frame.index += 1
                yield JsonString(_path(stack), line, column, raw, value, False)
                _after_value(stack)
                done = not stack
            else:
                raise fail("unexpected string")
            pos = m.end()
            continue
        if ch in "{[":
            if state not in ("value", "value|end"):
                raise fail(f"unexpected {ch!r}")
            if frame is not None and not frame.is_object:
                frame.index += 1
            stack.append(_Frame(ch == "{"))
            pos += 1
            continue
        if ch in "}]":
            if frame is None or frame.is_object != (ch == "}") or state not in ("key|end", "value|end", "comma|end"):
                raise fail(f"unexpected {ch!r}")
            stack.pop()
            _after_value(stack)
            done = not stack
            pos += 1
            continue
        if ch == ":":
            if frame is None or state != "colon":
                raise fail("unexpected ':'")
            frame.state = "value"
            pos += 1
            continue
        if ch == ",":
            if frame is None or state != "comma|end":
                raise fail("unexpected ','")
            frame.state = "key" if frame.is_object else "value"
            if frame.is_object:
                frame.key = None
            pos += 1
            continue
        while len(buf) - pos < _LOOKAHEAD and more():
            pass
        m = _SCALAR.match(buf, pos)
        if not m or state not in ("value", "value|end"):
            raise fail("unexpected character" if not m else "unexpected value")
        if frame is not None and not frame.is_object:
            frame.index += 1
        _after_value(stack)
        done = not stack
        pos = m.end()


def _after_value(stack: list[_Frame]) -> None:
    if stack:
        stack[-1].state = "comma|end"


def raw_offset(raw: str, offset: int) -> int:
    """Where the decoded string's character `offset` starts in its token (quotes included)."""
    i, seen = 1, 0
    while seen < offset and i < len(raw) - 1:
        if raw[i] == "\\":
            if raw[i + 1] == "u":
                code = int(raw[i + 2 : i + 6], 16)
                i += 6
                # a surrogate pair is one character, two escapes
                if 0xD800 <= code <= 0xDBFF and raw[i : i + 2] == "\\u" and 0xDC00 <= int(raw[i + 2 : i + 6], 16) <= 0xDFFF:
                    i += 6
            else:
                i += 2
        else:
            i += 1
        seen += 1
    return i
