"""Reports for people (tables) and for programs (JSON), masked unless `--reveal`.

Tables use rich when it is installed (the `audit` extra) and fall back to aligned plain
text, so the audit works from the `edge` extra alone.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from memveil.edge.audit.findings import FileReport, ScanReport
from memveil.edge.audit.mask import shown
from memveil.shared.taxonomy import Level

__all__ = ["human_bytes", "print_table", "scan_json", "write_scan_table", "write_json"]

_PLAIN_WIDTH = 100  # longest cell in plain tables before it is cut


def print_table(
    stream: TextIO, title: str, headers: Sequence[str], rows: Sequence[Sequence[object]], *, plain: bool = False
) -> None:
    """A table on stream: rich's when available (and not `plain`), aligned text otherwise."""
    if not plain:
        try:
            from rich.console import Console
            from rich.table import Table
        except ImportError:
            pass
        else:
            table = Table(title=title, title_justify="left", show_lines=False)
            for header in headers:
                table.add_column(header, overflow="fold")
            for row in rows:
                table.add_row(*(str(cell) for cell in row))
            Console(file=stream, width=None if stream.isatty() else 140, highlight=False).print(table)
            return
    cells = [[_cut(str(c)) for c in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    stream.write(f"{title}\n")
    stream.write("  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip() + "\n")
    stream.write("  ".join("-" * w for w in widths) + "\n")
    for row in cells:
        stream.write("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() + "\n")
    stream.write("\n")


def human_bytes(size: int) -> str:
    return f"{size / 1e6:.2f} MB" if size >= 1e6 else f"{size / 1e3:.1f} kB"


def _cut(text: str) -> str:
    return text if len(text) <= _PLAIN_WIDTH else text[: _PLAIN_WIDTH - 1] + "…"


def write_json(stream: TextIO, data: Any) -> None:
    stream.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _rows(files: Sequence[FileReport], reveal: bool) -> list[list[object]]:
    rows: list[list[object]] = []
    for f in files:
        for (level, type_name), tally in sorted(f.tallies.items(), key=lambda kv: (-kv[0][0].rank, -kv[1].count)):
            examples = ", ".join(shown(v, level, type_name, reveal) for v in tally.examples)
            rows.append([f.path, level.value, type_name, tally.count, f"{tally.first_line}:{tally.first_column}", examples])
    return rows


def write_scan_table(stream: TextIO, report: ScanReport, reveal: bool, *, plain: bool = False) -> None:
    """Findings per file, level and type; then problems; then the risk summary."""
    with_findings = [f for f in report.files if f.tallies]
    if with_findings:
        print_table(
            stream,
            "Private data found" + (" (RAW VALUES SHOWN: --reveal)" if reveal else " (values masked)"),
            ["file", "level", "type", "count", "first at", "examples"],
            _rows(with_findings, reveal),
            plain=plain,
        )
    problems = [[f.path, f"skipped: {f.skipped}"] for f in report.files if f.skipped]
    problems += [[f.path, message] for f in report.files for message in f.errors]
    problems += [[f.path, f"... and {f.error_count - len(f.errors)} more problems"] for f in report.files if f.error_count > len(f.errors)]
    problems += [[path, "no such file or directory"] for path in report.missing]
    if problems:
        print_table(stream, "Not scanned, or scanned in part", ["file", "problem"], problems, plain=plain)
    s = report.summary()
    levels = ", ".join(f"{lv} {n}" for lv, n in s["by_level"].items()) or "none"
    speed = f", {s['mb_per_s']} MB/s" if s["mb_per_s"] is not None else ""
    stream.write(
        f"Risk: {s['risk'].upper()} - {s['why']}\n"
        f"Findings: {s['findings']} ({levels}) in {s['files_with_findings']} of {s['files_scanned']} files scanned"
        f" ({s['files_skipped']} skipped, {s['files_with_errors']} with unreadable parts)\n"
        f"Scanned {human_bytes(s['bytes'])}, {s['texts']} texts in {s['seconds']:.1f} s{speed}\n"
    )


def scan_json(report: ScanReport, reveal: bool, fail_on: Level | None) -> dict[str, Any]:
    """The report as data: summary, then per file the tallies with masked examples."""
    files = []
    for f in report.files:
        if not (f.tallies or f.skipped or f.error_count):
            continue
        files.append(
            {
                "path": f.path,
                "format": f.format or None,
                "bytes": f.bytes,
                "texts": f.texts,
                "skipped": f.skipped,
                "errors": f.errors,
                "error_count": f.error_count,
                "findings": [
                    {
                        "level": level.value,
                        "type": type_name,
                        "count": tally.count,
                        "first": {"line": tally.first_line, "column": tally.first_column},
                        "examples": [shown(v, level, type_name, reveal) for v in tally.examples],
                    }
                    for (level, type_name), tally in sorted(f.tallies.items(), key=lambda kv: (-kv[0][0].rank, kv[0][1]))
                ],
            }
        )
    return {
        "tool": "memveil audit scan",
        "values": "raw" if reveal else "masked",
        "fail_on": fail_on.value if fail_on else None,
        "summary": report.summary(),
        "missing": report.missing,
        "files": files,
    }
