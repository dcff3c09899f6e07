"""SARIF 2.1.0 output, so CI code scanning shows where private data sits in a repository.

One rule per type found, results at their line and column, levels mapped PL4 -> error,
PL3 -> warning, PL2 -> note. A SARIF file is uploaded and kept by CI services, so it holds
no value at all, not even masked: the message names the type and level, the location does
the rest. Results are capped (GitHub code scanning takes at most 25,000 per run); the
tallies in the run's properties still count everything.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote
from typing import Any

from memveil.edge.audit.findings import Finding, ScanReport
from memveil.shared import __version__
from memveil.shared.placeholder import type_to_tag
from memveil.shared.taxonomy import Level, lookup_type

__all__ = ["SCHEMA_URI", "SarifCollector", "to_sarif"]

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
DEFAULT_MAX_RESULTS = 25_000
_SARIF_LEVEL = {Level.PL4: "error", Level.PL3: "warning", Level.PL2: "note", Level.PL1: "none"}
_SECURITY_SEVERITY = {Level.PL4: "9.0", Level.PL3: "7.0", Level.PL2: "4.0", Level.PL1: "0.0"}


class SarifCollector:
    """Keeps the locations of up to max_results findings (without their values)."""

    def __init__(self, max_results: int = DEFAULT_MAX_RESULTS) -> None:
        self.max_results = max_results
        self.results: list[tuple[str, int, int, int, int, str | None, str, Level]] = []
        self.dropped = 0

    def __call__(self, finding: Finding) -> None:
        if len(self.results) < self.max_results:
            f = finding
            self.results.append((f.path, f.line, f.column, f.end_line, f.end_column, f.where, f.type, f.level))
        else:
            self.dropped += 1


def rule_id(type_name: str, level: Level) -> str:
    return f"memveil/{level.value}/{type_to_tag(type_name)}"


def _uri(path: str, base: Path) -> str:
    """A path relative to base with forward slashes when it lies under base, else absolute."""
    resolved = Path(path).resolve()
    try:
        return quote(resolved.relative_to(base).as_posix())
    except ValueError:
        return resolved.as_uri()


def to_sarif(report: ScanReport, collector: SarifCollector, base: Path | None = None) -> dict[str, Any]:
    """The whole SARIF log; paths are relative to base (default: the working directory)."""
    root = (base or Path(os.getcwd())).resolve()
    kinds = sorted({(r[7], r[6]) for r in collector.results} | _kinds(report), key=lambda k: (-k[0].rank, k[1]))
    index = {rule_id(t, lv): i for i, (lv, t) in enumerate(kinds)}
    rules = [_rule(t, lv) for lv, t in kinds]
    results = []
    for path, line, column, end_line, end_column, where, type_name, level in collector.results:
        rid = rule_id(type_name, level)
        location: dict[str, Any] = {
            "physicalLocation": {
                "artifactLocation": {"uri": _uri(path, root), **({"uriBaseId": "%SRCROOT%"} if _under(path, root) else {})},
                "region": {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column},
            }
        }
        if where:
            location["logicalLocations"] = [{"fullyQualifiedName": where, "kind": "member"}]
        results.append(
            {
                "ruleId": rid,
                "ruleIndex": index[rid],
                "level": _SARIF_LEVEL[level],
                "message": {"text": f"{type_name} ({level.value}) in plain text: a private value of this type is stored here."},
                "locations": [location],
            }
        )
    notifications = [
        {"level": "warning", "message": {"text": f"{f.path}: {message}"}} for f in report.files for message in f.errors
    ] + [{"level": "note", "message": {"text": f"{f.path}: skipped ({f.skipped})"}} for f in report.files if f.skipped]
    notifications += [{"level": "error", "message": {"text": f"{p}: no such file or directory"}} for p in report.missing]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "memveil audit",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": root.as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "invocations": [
                    {
                        "executionSuccessful": not report.missing,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": results,
                "properties": {"summary": report.summary(), "resultsDropped": collector.dropped},
            }
        ],
    }


def _under(path: str, root: Path) -> bool:
    try:
        Path(path).resolve().relative_to(root)
    except ValueError:
        return False
    return True


def _kinds(report: ScanReport) -> set[tuple[Level, str]]:
    return {key for f in report.files for key in f.tallies}


def _rule(type_name: str, level: Level) -> dict[str, Any]:
    tag = lookup_type(type_name)
    standard = f" (standard type {tag.name})" if tag and tag.name != type_name else ""
    return {
        "id": rule_id(type_name, level),
        "name": type_to_tag(type_name).replace("'", ""),
        "shortDescription": {"text": f"{type_name} ({level.value}) stored in plain text"},
        "fullDescription": {
            "text": (
                f"A value of type {type_name}{standard}, privacy level {level.value}, appears in plain text. "
                "Remove it, or keep it only in the encrypted vault and store its placeholder instead."
            )
        },
        "help": {"text": "See docs/audit.md and docs/taxonomy.md for the levels and what each type covers."},
        "defaultConfiguration": {"level": _SARIF_LEVEL[level]},
        "properties": {
            "tags": ["privacy", "security", level.value],
            "security-severity": _SECURITY_SEVERITY[level],
            "precision": "high" if level is not Level.PL2 else "medium",
        },
    }
