"""`memveil audit ...`: argument parsing and the four handlers. Imports stay light here.

Exit codes, the same for every audit command: 0 nothing to report, 1 findings (at or above
`--fail-on` for a scan; any leak; a failed integrity check), 2 usage errors and inputs
that cannot be used (a missing path, a wrong key), 3 a missing extra (from `memveil`).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from memveil.shared.cli import positive_int, require_extra

if TYPE_CHECKING:
    from memveil.edge.vault import Vault

__all__ = ["register"]

_LEVEL_CHOICES = ("PL1", "PL2", "PL3", "PL4", "none")


def _size(value: str) -> int:
    from memveil.edge.audit.files import parse_size

    try:
        return parse_size(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    audit = subparsers.add_parser(
        "audit",
        help="privacy audit: private data in files, the vault, leaks to the cloud",
        description=(
            "Privacy audit for developers and compliance staff. Values are shown masked "
            "(j***@e***.com) unless --reveal is given. Exit codes: 0 clean, 1 findings, 2 usage errors."
        ),
    )
    actions = audit.add_subparsers(dest="audit_action", metavar="ACTION", required=True)
    _register_scan(actions)
    _register_vault(actions)
    _register_leaks(actions)
    _register_traffic(actions)


def _register_scan(actions: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    scan = actions.add_parser(
        "scan",
        allow_abbrev=False,  # `--key` must never be taken for `--key-env`
        help="find private data in text, JSON/JSONL chat exports, CSV files and directories",
        description=(
            "Run the detector over files: plain text, JSON and JSONL (chat exports in the OpenAI messages "
            "format or the benchmark format), CSV/TSV, and directories (recursive). Reports counts per file, "
            "level and type with masked examples, and a risk summary."
        ),
    )
    scan.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or directories")
    scan.add_argument("--format", choices=("table", "json", "sarif"), default="table", help="(default: %(default)s)")
    scan.add_argument("--output", type=Path, help="write the report here instead of stdout")
    scan.add_argument(
        "--fail-on", choices=_LEVEL_CHOICES, default="PL3",
        help="exit 1 when findings at or above this level exist; 'none' never fails (default: %(default)s)",
    )
    scan.add_argument("--levels", default="PL2+", help="levels to report: PL2+, PL3+, PL4, ... (default: %(default)s)")
    scan.add_argument("--reveal", action="store_true", help="show raw values in examples (never in SARIF)")
    scan.add_argument("--include", action="append", default=[], metavar="GLOB", help="in directories, scan only matching files (repeatable)")
    scan.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="in directories, skip matching files and folders (repeatable)")
    scan.add_argument("--max-file-bytes", type=_size, metavar="SIZE", help="skip larger files (e.g. 50MB)")
    scan.add_argument("--threads", type=positive_int, default=1, help="detector threads per batch (default: %(default)s)")
    scan.add_argument("--batch-size", type=positive_int, default=256, help="texts per detector call (default: %(default)s)")
    scan.add_argument("--examples", type=int, default=3, help="masked examples per file and type (default: %(default)s)")
    scan.add_argument("--max-results", type=positive_int, default=25_000, help="SARIF results kept (default: %(default)s)")
    scan.add_argument("--progress", choices=("auto", "always", "never"), default="auto", help="progress on stderr (default: %(default)s: on a terminal)")
    scan.add_argument("--plain", action="store_true", help="plain-text tables even when rich is installed")
    scan.set_defaults(handler=_scan)


def _register_vault(actions: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    vault = actions.add_parser(
        "vault",
        allow_abbrev=False,  # `--key` must never be taken for `--key-env`
        help="what a vault holds, its integrity; rekey it; export or erase one user",
        description=(
            "Counts per type and level and the age range of a vault, with SQLCipher's integrity check. "
            "The key comes from --key-env VAR or a prompt, never from a flag value."
        ),
    )
    vault.add_argument("path", type=Path, metavar="PATH", help="the vault file")
    vault.add_argument("--key-env", metavar="VAR", help="environment variable holding the key (passphrase, hex:..., base64:...)")
    vault.add_argument("--format", choices=("table", "json"), default="table", help="(default: %(default)s)")
    vault.add_argument("--plain", action="store_true", help="plain-text tables even when rich is installed")
    todo = vault.add_mutually_exclusive_group()
    todo.add_argument("--rekey", action="store_true", help="re-encrypt under a new key (from --new-key-env or a prompt)")
    todo.add_argument("--export-user", metavar="ID", help="write the user's entries (raw values) as JSONL to --output")
    todo.add_argument("--erase-user", metavar="ID", help="delete the user's entries and scrub them from the file")
    vault.add_argument("--new-key-env", metavar="VAR", help="environment variable holding the new key for --rekey")
    vault.add_argument("--output", type=Path, help="file for --export-user (created with owner-only permissions)")
    vault.add_argument("--yes", action="store_true", help="do not ask before --erase-user")
    vault.set_defaults(handler=_vault)


def _register_leaks(actions: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    leaks = actions.add_parser(
        "leaks",
        allow_abbrev=False,  # `--key` must never be taken for `--key-env`
        help="check that no vault value appears in data exported from the cloud",
        description=(
            "Look for every vault value, and its normalised variants (case, spacing, punctuation, digits "
            "only, full-width forms), in a cloud export (JSON, JSONL or text). Exit 1 when any is found."
        ),
    )
    leaks.add_argument("--vault", type=Path, required=True, metavar="PATH")
    leaks.add_argument("--cloud-export", type=Path, required=True, action="append", metavar="FILE", help="repeatable")
    leaks.add_argument("--key-env", metavar="VAR", help="environment variable holding the vault key")
    leaks.add_argument("--levels", default="PL2+", help="vault values to look for (default: %(default)s)")
    leaks.add_argument("--min-length", type=positive_int, default=3, help="shorter values are not looked for (default: %(default)s)")
    leaks.add_argument("--format", choices=("table", "json"), default="table", help="(default: %(default)s)")
    leaks.add_argument("--reveal", action="store_true", help="show raw values")
    leaks.add_argument("--plain", action="store_true", help="plain-text tables even when rich is installed")
    leaks.set_defaults(handler=_leaks)


def _register_traffic(actions: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    traffic = actions.add_parser(
        "traffic",
        allow_abbrev=False,  # `--key` must never be taken for `--key-env`
        help="check a client's hashed traffic log: did any protected value leave the device?",
        description=(
            "MemoryClient(..., traffic_log=PATH) keeps keyed hashes of what each request carried. This checks "
            "every protected vault value against them and reports the requests that carried one."
        ),
    )
    traffic.add_argument("--vault", type=Path, required=True, metavar="PATH")
    traffic.add_argument("--log", type=Path, required=True, metavar="FILE", help="the client's traffic log")
    traffic.add_argument("--key-env", metavar="VAR", help="environment variable holding the vault key")
    traffic.add_argument("--levels", default="PL2+", help="vault values that must not leave (default: %(default)s)")
    traffic.add_argument("--min-length", type=positive_int, default=3, help="shorter values are not checked (default: %(default)s)")
    traffic.add_argument("--format", choices=("table", "json"), default="table", help="(default: %(default)s)")
    traffic.add_argument("--reveal", action="store_true", help="show raw values")
    traffic.add_argument("--plain", action="store_true", help="plain-text tables even when rich is installed")
    traffic.set_defaults(handler=_traffic)


# -- shared plumbing -----------------------------------------------------------------------


def _fail(message: object) -> int:
    print(f"memveil audit: {message}", file=sys.stderr)
    return 2


@contextmanager
def _output(path: Path | None, *, private: bool = False) -> Iterator[TextIO]:
    """stdout, or a file replaced only once fully written (owner-only when private)."""
    if path is None:
        yield sys.stdout
        return
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent if str(path.parent) else ".")
    try:
        if not private:
            os.chmod(temp, 0o644 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _levels(text: str, flag: str = "--levels"):  # type: ignore[no-untyped-def]
    from memveil.shared.taxonomy import parse_levels

    try:
        return parse_levels(text)
    except ValueError:
        raise ValueError(f"{flag}: expected PL2+, PL3+, PL4 or similar, not {text!r}") from None


def _open_vault(path: Path, key_env: str | None) -> Vault:
    from memveil.edge.audit.keys import read_key
    from memveil.edge.vault import Vault

    if not path.is_file() or path.stat().st_size == 0:  # Vault.open would create one
        raise FileNotFoundError(f"{path}: no such vault file (or an empty one)")
    return Vault.open(path, read_key(key_env))


# -- handlers ------------------------------------------------------------------------------


def _scan(args: argparse.Namespace) -> int:
    require_extra("edge", "phonenumbers")
    from memveil.edge.audit.files import expand_paths
    from memveil.edge.audit.progress import make_progress
    from memveil.edge.audit.render import scan_json, write_json, write_scan_table
    from memveil.edge.audit.sarif import SarifCollector, to_sarif
    from memveil.edge.audit.scan import Scanner
    from memveil.edge.detector import PrivacyDetector
    from memveil.shared.taxonomy import Level

    try:
        levels = _levels(args.levels)
    except ValueError as exc:
        return _fail(exc)
    fail_on = None if args.fail_on == "none" else Level(args.fail_on)
    if args.examples < 0:
        return _fail("--examples must not be negative")
    if args.output is not None and not args.output.parent.is_dir():
        return _fail(f"--output: the folder {args.output.parent} does not exist")
    if args.reveal and args.format != "sarif":
        print("memveil audit: --reveal: raw private values will be shown", file=sys.stderr)
    candidates = list(expand_paths(args.paths, args.include, args.exclude, args.max_file_bytes))
    for c in candidates:
        if c.missing:
            print(f"memveil audit: {c.path}: no such file or directory (scanning the rest)", file=sys.stderr)
    total = sum(c.size for c in candidates if not c.missing)
    scanner = Scanner(PrivacyDetector(threads=args.threads), levels, batch_size=args.batch_size, max_examples=args.examples)
    collector = SarifCollector(args.max_results) if args.format == "sarif" else None
    progress = make_progress(args.progress, total)
    try:
        report = scanner.scan(args.paths, on_finding=collector, progress=progress, candidates=candidates)
    finally:
        progress.close()
    with _output(args.output) as out:
        if args.format == "sarif":
            assert collector is not None
            write_json(out, to_sarif(report, collector))
        elif args.format == "json":
            write_json(out, scan_json(report, args.reveal, fail_on))
        else:
            write_scan_table(out, report, args.reveal, plain=args.plain)
    if report.missing:
        return 2
    return 1 if fail_on is not None and report.at_or_above(fail_on) else 0


def _vault(args: argparse.Namespace) -> int:
    require_extra("edge", "sqlcipher3")
    from memveil.edge.audit import vaultreport
    from memveil.edge.audit.keys import KeyInputError
    from memveil.edge.errors import VaultCorruptError, VaultError

    if args.export_user is not None and args.output is None:
        return _fail("--export-user needs --output FILE")
    if args.new_key_env and not args.rekey:
        return _fail("--new-key-env goes with --rekey")
    try:
        vault = _open_vault(args.path, args.key_env)
    except VaultCorruptError as exc:
        print(f"memveil audit: integrity check FAILED: {exc}", file=sys.stderr)
        return 1
    except (KeyInputError, VaultError, FileNotFoundError) as exc:
        return _fail(exc)
    try:
        with vault:
            if args.rekey:
                return vaultreport.rekey(vault, args.new_key_env)
            if args.export_user is not None:
                with _output(args.output, private=True) as out:
                    count = vaultreport.export_user(vault, args.export_user, out)
                print(f"exported {count} entries of user {args.export_user!r} to {args.output} (raw values: keep it safe)", file=sys.stderr)
                return 0 if count else 1
            if args.erase_user is not None:
                return vaultreport.erase_user(vault, args.erase_user, confirmed=args.yes)
            return vaultreport.report(vault, sys.stdout, args.format, plain=args.plain)
    except (KeyInputError, VaultError) as exc:
        return _fail(exc)


def _leaks(args: argparse.Namespace) -> int:
    require_extra("edge", "sqlcipher3")
    from memveil.edge.audit.keys import KeyInputError
    from memveil.edge.audit.leaks import find_leaks, vault_values, write_leaks
    from memveil.edge.errors import VaultError

    try:
        levels = _levels(args.levels)
        for export in args.cloud_export:
            if not export.is_file():
                raise FileNotFoundError(f"{export}: no such file")
        with _open_vault(args.vault, args.key_env) as vault:
            values = vault_values(vault, levels)
    except (ValueError, KeyInputError, VaultError, FileNotFoundError) as exc:
        return _fail(exc)
    report = find_leaks(values, args.cloud_export, min_length=args.min_length)
    write_leaks(sys.stdout, report, args.format, args.reveal, plain=args.plain)
    return 1 if report.leaks else 0


def _traffic(args: argparse.Namespace) -> int:
    require_extra("edge", "sqlcipher3")
    from memveil.edge.audit.keys import KeyInputError
    from memveil.edge.audit.leaks import vault_values
    from memveil.edge.audit.traffic import TrafficKey, verify_log, write_traffic
    from memveil.edge.errors import VaultError

    try:
        levels = _levels(args.levels)
        if not args.log.is_file():
            raise FileNotFoundError(f"{args.log}: no such file")
        with _open_vault(args.vault, args.key_env) as vault:
            values = vault_values(vault, levels)
            key = TrafficKey.from_vault(vault)
    except (ValueError, KeyInputError, VaultError, FileNotFoundError) as exc:
        return _fail(exc)
    report = verify_log(args.log, key, values, min_length=args.min_length)
    write_traffic(sys.stdout, report, args.format, args.reveal, plain=args.plain)
    return 1 if report.leaking_requests else 0
