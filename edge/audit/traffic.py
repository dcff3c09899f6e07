"""A hashed log of what the edge client sent, and `memveil audit traffic` to check it.

To prove that no protected value left the device, the client (opt-in:
`MemoryClient(..., traffic_log=PATH)`) writes one JSON line per request: time, method,
route, and keyed hashes of every normalised token n-gram (1 to 8 tokens, joined without
separators; CJK characters are tokens of their own; digit runs add their sub-runs of 7 or
more digits, so `+8613812345678` still shows `13812345678`) of every string in the body and
the query. The key is derived from the secret inside the vault, so the log reveals nothing
to a dictionary attack (phone numbers are enumerable) without the vault and its key.

The check hashes each vault value the same way and reports every request whose hashes
hold all of a value's n-grams: the value, however it was spaced or punctuated, was in it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from memveil.edge.audit.normalise import tokens

if TYPE_CHECKING:
    from memveil.edge.audit.leaks import VaultValue
    from memveil.edge.vault import Vault

__all__ = ["MAX_NGRAM", "TrafficKey", "TrafficLog", "TrafficReport", "text_features", "verify_log", "write_traffic"]

LOG_VERSION = 1
PURPOSE = "memveil/traffic-log/v1"
MAX_NGRAM = 8
_DIGEST_BYTES = 12  # 96 bits: no accidental collision in any log's lifetime
_DIGIT_RUN_MIN, _DIGIT_RUN_MAX = 7, 24


class TrafficKey:
    """HMAC-SHA256 under the vault-derived key, truncated and base64url-encoded."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    @classmethod
    def from_vault(cls, vault: Vault) -> TrafficKey:
        return cls(vault.derive_secret(PURPOSE))

    def digest(self, feature: str) -> str:
        mac = hmac.new(self._key, feature.encode("utf-8", "surrogatepass"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac[:_DIGEST_BYTES]).decode("ascii")

    def __repr__(self) -> str:
        return "TrafficKey(<hidden>)"


def text_features(text: str) -> set[str]:
    """The normalised n-grams a text carries: what a request is checked against."""
    toks = tokens(text)
    found: set[str] = set()
    for i in range(len(toks)):
        joined = ""
        for n in range(min(MAX_NGRAM, len(toks) - i)):
            joined += toks[i + n]
            found.add(joined)
        token = toks[i]
        if token.isdigit() and _DIGIT_RUN_MIN < len(token) <= _DIGIT_RUN_MAX:
            for size in range(_DIGIT_RUN_MIN, len(token)):
                for start in range(len(token) - size + 1):
                    found.add(token[start : start + size])
    return found


def value_needs(value: str) -> list[str]:
    """The features a request must carry for value to be in it ([] when it has no token)."""
    toks = tokens(value)
    if len(toks) <= MAX_NGRAM:
        return ["".join(toks)] if toks else []
    return sorted({"".join(toks[i : i + MAX_NGRAM]) for i in range(len(toks) - MAX_NGRAM + 1)})


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, Mapping):
        for key, value in data.items():
            yield str(key)
            yield from _strings(value)
    elif isinstance(data, (list, tuple)):
        for item in data:
            yield from _strings(item)


class TrafficLog:
    """Appends one hashed line per request; thread-safe; the file is created owner-only."""

    def __init__(self, path: str | os.PathLike[str], vault: Vault) -> None:
        self.path = Path(os.fspath(path))
        self._key = TrafficKey.from_vault(vault)
        self._lock = threading.Lock()
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self._handle: TextIO | None = os.fdopen(fd, "a", encoding="utf-8", newline="\n")

    def record(self, method: str, route: str, params: Mapping[str, Any] | None, content: bytes | None) -> None:
        """Log what one request carries, before it is sent (a request that fails may still have left)."""
        strings: list[str] = list(_strings(dict(params))) if params else []
        if content:
            try:
                strings.extend(_strings(json.loads(content)))
            except (ValueError, UnicodeDecodeError):
                strings.append(content.decode("utf-8", "replace"))
        features: set[str] = set()
        for text in strings:
            features |= text_features(text)
        line = json.dumps(
            {
                "v": LOG_VERSION,
                "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
                "method": method,
                "route": route.split("?", 1)[0],
                "bytes": len(content or b""),
                "hashes": sorted(self._key.digest(f) for f in features),
            },
            separators=(",", ":"),
        )
        with self._lock:
            if self._handle is None:
                raise ValueError("the traffic log is closed")
            self._handle.write(line + "\n")
            self._handle.flush()

    def close(self) -> None:
        with self._lock:
            if self._handle is not None:
                self._handle.close()
                self._handle = None

    def __repr__(self) -> str:
        return f"TrafficLog(path={str(self.path)!r})"


# -- verification -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LeakingRequest:
    line: int
    time: str
    method: str
    route: str
    values: tuple[VaultValue, ...]


@dataclass
class TrafficReport:
    requests: int = 0
    leaking_requests: list[LeakingRequest] = field(default_factory=list)
    values_checked: int = 0
    values_unchecked: int = 0
    errors: list[str] = field(default_factory=list)


def verify_log(path: Path, key: TrafficKey, values: Sequence[VaultValue], min_length: int = 3) -> TrafficReport:
    """Every request of the log that carried one of the values (all of its n-grams)."""
    report = TrafficReport()
    needs: list[tuple[int, set[str]]] = []
    by_first: dict[str, list[int]] = {}
    for i, v in enumerate(values):
        features = value_needs(v.value)
        if not features or len("".join(features)) < min_length:
            report.values_unchecked += 1
            continue
        hashed = {key.digest(f) for f in features}
        needs.append((i, hashed))
        by_first.setdefault(min(hashed), []).append(len(needs) - 1)
    report.values_checked = len(needs)
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                entry = json.loads(raw)
                if not isinstance(entry, dict) or not isinstance(entry.get("hashes"), list):
                    raise TypeError
                hashes = {h for h in entry["hashes"] if isinstance(h, str)}
            except (ValueError, TypeError):
                report.errors.append(f"line {number}: not a traffic log entry; skipped")
                continue
            report.requests += 1
            found = [
                values[needs[n][0]]
                for first in hashes & by_first.keys()
                for n in by_first[first]
                if needs[n][1] <= hashes
            ]
            if found:
                report.leaking_requests.append(
                    LeakingRequest(
                        number, str(entry.get("time", "")), str(entry.get("method", "")), str(entry.get("route", "")), tuple(found)
                    )
                )
    return report


def write_traffic(stream: TextIO, report: TrafficReport, fmt: str, reveal: bool, *, plain: bool = False) -> None:
    from memveil.edge.audit.mask import shown
    from memveil.edge.audit.render import print_table, write_json

    def value_view(v: VaultValue) -> dict[str, str]:
        return {
            "placeholder": v.placeholder,
            "type": v.type,
            "level": v.level.value,
            "user": shown(v.user, None, "", reveal),
            "value": shown(v.value, v.level, v.type, reveal),
        }

    if fmt == "json":
        write_json(
            stream,
            {
                "tool": "memveil audit traffic",
                "values": "raw" if reveal else "masked",
                "clean": not report.leaking_requests,
                "requests": report.requests,
                "values_checked": report.values_checked,
                "values_unchecked": report.values_unchecked,
                "errors": report.errors,
                "leaking_requests": [
                    {"line": r.line, "time": r.time, "method": r.method, "route": r.route, "values": [value_view(v) for v in r.values]}
                    for r in report.leaking_requests
                ],
            },
        )
        return
    if report.leaking_requests:
        rows = [
            [f"line {r.line}", r.time, f"{r.method} {r.route}", v["level"], v["type"], v["placeholder"], v["user"], v["value"]]
            for r in report.leaking_requests
            for v in map(value_view, r.values)
        ]
        print_table(
            stream,
            "Requests that carried a protected value" + (" (RAW VALUES SHOWN)" if reveal else " (values masked)"),
            ["log", "time", "request", "level", "type", "placeholder", "user", "value"],
            rows,
            plain=plain,
        )
    for message in report.errors:
        stream.write(f"problem: {message}\n")
    verdict = (
        f"LEAKS: {len(report.leaking_requests)} of {report.requests} requests carried a protected value"
        if report.leaking_requests
        else f"CLEAN: none of {report.requests} requests carried a protected value"
    )
    stream.write(
        f"{verdict}; {report.values_checked} values checked"
        + (f", {report.values_unchecked} too short to check" if report.values_unchecked else "")
        + "\n"
    )
