"""The encrypted on-device vault: private values <-> stable placeholders, per user.

The vault is the only place a replaced value exists after it leaves the text, so it is an
SQLCipher 4 database (AES-256 pages, HMAC-SHA512 per page) and the numbering it hands out
must never fork: the cloud links facts by placeholder, so two different values sharing
`<Email_1>`, or one value getting two placeholders, corrupts a user's memory for good.

Keys. 32 raw bytes key the database directly (`x'<64 hex>'`). Anything else is a passphrase,
stretched ONCE per `Vault.open` with scrypt (N=2**17, r=8, p=1: 128 MiB, about 0.3 s on one
laptop core; OWASP's minimum for scrypt, memory-hard, in the stdlib). The salt is SQLCipher's
own: the first 16 bytes of the file, random at creation. Connections are then keyed with
SQLCipher's raw-key-with-salt form `x'<64 hex key><32 hex salt>'`, so SQLCipher runs no KDF
of its own and a reconnect costs nothing. The scrypt parameters are part of the file format:
changing them makes existing passphrase vaults unopenable without a rekey migration.

Concurrency. One connection per `Vault`, used under a lock: every operation is well under a
millisecond, and per-thread connections would outlive their threads. Across processes (and
Vault objects) SQLite's locks do the work: WAL, a busy timeout, and `BEGIN IMMEDIATE` around
assignment, which re-reads inside the write lock so two writers agree on one placeholder; the
UNIQUE constraints make any disagreement an error rather than a silent fork. A forked child
gets its own connection (SQLite connections must not cross `fork`); that is why the derived
key stays in memory for the Vault's lifetime.

Durability. `synchronous=FULL`: in WAL mode NORMAL already survives a killed process, but a
power cut could roll back a commit whose placeholder has already been sent to the cloud; the
next new value would then be given the same number and the cloud would merge two values.
FULL costs one fsync per commit that assigns new values; lookups of known values never write.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
import unicodedata
import weakref
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

import sqlcipher3

from memveil.edge.errors import VaultCorruptError, VaultError, VaultKeyError
from memveil.shared.placeholder import Placeholder, parse_placeholder, type_to_tag
from memveil.shared.taxonomy import Level

__all__ = ["SCHEMA_VERSION", "ErasedUser", "Vault", "VaultEntry", "VaultStats", "normalize_value"]

#: Version of the tables below, kept in `meta` so later releases can migrate.
SCHEMA_VERSION = 1

KEY_BYTES = 32
SALT_BYTES = 16  # SQLCipher 4 keeps its random salt in the file's first 16 bytes
PAGE_BYTES = 4096  # SQLCipher 4's page size; a healthy vault is a whole number of pages
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
_SCRYPT_MAXMEM = 2 * 128 * SCRYPT_N * SCRYPT_R * SCRYPT_P  # twice what scrypt needs
BUSY_TIMEOUT_S = 10.0
_CHUNK = 500  # bound parameters per IN (...) query

# SQLite primary result codes.
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_CORRUPT, _SQLITE_NOTADB = 5, 6, 11, 26

_KEY_MESSAGE = "the vault key is wrong, or the file is not a memveil vault"

_SCHEMA = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE entries (
    id          INTEGER PRIMARY KEY,
    user_id     TEXT NOT NULL,
    norm        TEXT NOT NULL,     -- normalized value: what "the same value" means
    value       TEXT NOT NULL,     -- the text first seen, for restoration
    type_name   TEXT NOT NULL,
    tag         TEXT NOT NULL,     -- placeholder tag; numbering is per (user, tag)
    number      INTEGER NOT NULL CHECK (number >= 1),
    placeholder TEXT NOT NULL,
    level       TEXT NOT NULL,
    created_at  REAL NOT NULL,
    UNIQUE (user_id, norm),
    UNIQUE (user_id, placeholder),
    UNIQUE (user_id, tag, number)
);
"""


@dataclass(frozen=True)
class VaultEntry:
    """One mapping, for audits. Its repr leaves the value out: reprs end up in logs."""

    placeholder: str
    value: str = field(repr=False)
    type_name: str
    level: Level
    created_at: datetime


@dataclass(frozen=True)
class VaultStats:
    """What a vault holds, counted, never shown: for audits and compliance reports."""

    users: int
    entries: int
    #: (type name, level) -> number of mappings
    by_type: dict[tuple[str, Level], int]
    first_assigned: datetime | None
    last_assigned: datetime | None
    created_at: str | None


class ErasedUser(NamedTuple):
    """The outcome of `Vault.erase_user`: how many mappings went, and whether the file was
    scrubbed (no old page left in the WAL); False while another connection pins old pages."""

    entries: int
    scrubbed: bool


class _Item(NamedTuple):
    norm: str
    value: str
    type_name: str
    tag: str
    level: Level


class Vault:
    """Per-user map between private values and stable placeholders, in an SQLCipher file.

    Open with `Vault.open(path, key)`; it is thread-safe and may be shared by processes.
    """

    def __init__(self, path: Path, key_literal: str, cloud_secret: bytes) -> None:
        """Internal: use `Vault.open`, which checks the key and the file first."""
        self.path = path
        self._key_literal = key_literal
        self._cloud_secret = cloud_secret
        self._lock = threading.RLock()
        self._conn: sqlcipher3.Connection | None = _connect_writer(path, key_literal)
        self._connections = 1  # how many connections this object has opened: part of `revision`
        self._closed = False
        self._inherited: list[sqlcipher3.Connection] = []
        _OPEN_VAULTS.add(self)

    # -- opening ------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str], key: str | bytes) -> Vault:
        """Open the vault at path, creating it when absent (or empty).

        Raises VaultKeyError for a wrong key, VaultCorruptError for a damaged file; neither
        writes to the file.
        """
        path = Path(os.fspath(path))
        secret, raw = _parse_key(key)
        try:
            size: int | None = path.stat().st_size
        except FileNotFoundError:
            size = None
        literal = _create(path, secret, raw, replace_empty=size == 0) if not size else None
        if literal is None:  # an existing vault, or another process created it first
            literal = _existing_key_literal(path, secret, raw)
        meta = _probe(path, literal)
        return cls(path, literal, bytes.fromhex(meta["cloud_id_secret"]))

    # -- assignment and lookup ------------------------------------------------------------

    def placeholder_for(self, user_id: str, value: str, type_name: str, level: Level) -> str:
        """The user's placeholder for value, assigning the next number of its type if new."""
        return self.placeholders_for(user_id, [(value, type_name, level)])[0]

    def placeholders_for(self, user_id: str, items: Sequence[tuple[str, str, Level]]) -> list[str]:
        """Placeholders for (value, type_name, level) items, in order, in one transaction.

        A value already known keeps its placeholder even when seen with another type.
        """
        user = _check_user(user_id)
        prepared = [_prepare(item) for item in items]
        with self._session() as conn:
            if not prepared:
                return []
            norms = {p.norm for p in prepared}
            found = _lookup_norms(conn, user, norms)  # known values: a read, no write lock
            if len(found) < len(norms):
                conn.execute("BEGIN IMMEDIATE")
                try:  # look again under the write lock: another writer may have added some
                    found.update(_lookup_norms(conn, user, norms - found.keys()))
                    rows = _assign(conn, user, prepared, found)
                    conn.executemany(
                        "INSERT INTO entries (user_id, norm, value, type_name, tag, number, placeholder,"
                        " level, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        rows,
                    )
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        with suppress(sqlcipher3.Error):
                            conn.execute("ROLLBACK")
                    raise
        return [found[p.norm] for p in prepared]

    def value_of(self, user_id: str, placeholder: str) -> str | None:
        """The value behind the user's placeholder, or None when this user has no such one."""
        return self.values_of(user_id, [placeholder]).get(placeholder)

    def values_of(self, user_id: str, placeholders: Iterable[str]) -> dict[str, str]:
        """{placeholder: value} for the placeholders this user has; unknown ones are left out."""
        user = _check_user(user_id)
        if isinstance(placeholders, str):
            raise TypeError("placeholders must be an iterable of tokens, not one str")
        tokens = sorted({_check_placeholder(p) for p in placeholders})
        result: dict[str, str] = {}
        with self._session() as conn:
            for chunk in _chunks(tokens):
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    f"SELECT placeholder, value FROM entries WHERE user_id = ? AND placeholder IN ({marks})",
                    (user, *chunk),
                )
                result.update(rows)
        return result

    def entries(self, user_id: str) -> list[VaultEntry]:
        """Every mapping of the user, in the order they were assigned."""
        user = _check_user(user_id)
        with self._session() as conn:
            rows = conn.execute(
                "SELECT placeholder, value, type_name, level, created_at FROM entries"
                " WHERE user_id = ? ORDER BY id",
                (user,),
            ).fetchall()
        return [
            VaultEntry(placeholder, value, type_name, Level(level), datetime.fromtimestamp(created, timezone.utc))
            for placeholder, value, type_name, level, created in rows
        ]

    def values(self, user_id: str) -> list[tuple[str, str, Level]]:
        """(value, type name, level) of every mapping of the user: what the guard recognises
        again in later messages. A fifth of the cost of `entries` (no placeholders or times),
        since it runs on every message."""
        user = _check_user(user_id)
        with self._session() as conn:
            rows = conn.execute("SELECT value, type_name, level FROM entries WHERE user_id = ? ORDER BY id", (user,)).fetchall()
        levels = {level.value: level for level in Level}
        return [(value, type_name, levels[level]) for value, type_name, level in rows]

    def revision(self) -> tuple[int, int, int]:
        """A token that changes whenever the vault's content may have changed: a write through
        this object, or a commit by any other connection to the file (another process, another
        `Vault`). One pragma, so a caller can keep what it derives from `values` (the guard's
        known-value recognizer) and rebuild it only when the token moves."""
        with self._session() as conn:
            (data_version,) = conn.execute("PRAGMA data_version").fetchone()
            return (self._connections, data_version, conn.total_changes)

    def users(self) -> list[str]:
        """The users with at least one mapping, sorted."""
        with self._session() as conn:
            return [user for (user,) in conn.execute("SELECT DISTINCT user_id FROM entries ORDER BY user_id")]

    def cloud_user_id(self, user_id: str) -> str:
        """The pseudonym the cloud sees instead of the app's user id.

        HMAC-SHA256 under a random secret created with the vault, so it is stable for every
        process and device sharing the vault and meaningless to anyone without it.
        """
        user = _check_user(user_id)
        if self._closed:
            raise VaultError("the vault is closed")
        return "u_" + hmac.new(self._cloud_secret, user.encode("utf-8"), hashlib.sha256).hexdigest()[:32]

    # -- audit and compliance -------------------------------------------------------------

    def stats(self) -> VaultStats:
        """Counts per type and level, and the age range of the assignments; no value."""
        with self._session() as conn:
            users, count, first, last = conn.execute(
                "SELECT count(DISTINCT user_id), count(*), min(created_at), max(created_at) FROM entries"
            ).fetchone()
            rows = conn.execute("SELECT type_name, level, count(*) FROM entries GROUP BY type_name, level").fetchall()
            created = conn.execute("SELECT value FROM meta WHERE key = 'created_at'").fetchone()
        when = lambda ts: None if ts is None else datetime.fromtimestamp(ts, timezone.utc)  # noqa: E731
        return VaultStats(
            users=users,
            entries=count,
            by_type={(type_name, Level(level)): n for type_name, level, n in rows},
            first_assigned=when(first),
            last_assigned=when(last),
            created_at=created[0] if created else None,
        )

    def integrity_check(self) -> list[str]:
        """Problems found in the page HMACs (SQLCipher) and the b-trees (SQLite); [] when sound.

        `cipher_integrity_check` reads every page of the main file, free pages included,
        which the `quick_check` run at open does not.
        """
        with self._session() as conn:
            problems = [str(row[0]) for row in conn.execute("PRAGMA cipher_integrity_check")]
            check = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
        return problems + ([] if check == ["ok"] else check)

    def export_user(self, user_id: str) -> list[dict[str, str]]:
        """Every mapping of the user as JSON-ready records (a subject access request)."""
        return [
            {
                "placeholder": e.placeholder,
                "value": e.value,
                "type": e.type_name,
                "level": e.level.value,
                "created_at": e.created_at.isoformat(timespec="seconds"),
            }
            for e in self.entries(user_id)
        ]

    def erase_user(self, user_id: str) -> ErasedUser:
        """Forget the user: delete their mappings, then scrub the bytes from the file and its WAL.

        `secure_delete` zeroes what the DELETE frees; VACUUM rewrites every page, so copies
        left in free space by earlier writes go too; a TRUNCATE checkpoint moves the result
        into the main file and empties the WAL. Restoring the user's placeholders afterwards
        leaves them as placeholders.
        """
        user = _check_user(user_id)
        with self._session() as conn:
            conn.execute("PRAGMA secure_delete = ON")
            try:
                erased = conn.execute("DELETE FROM entries WHERE user_id = ?", (user,)).rowcount
                conn.execute("VACUUM")
                busy, wal_pages, moved = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            finally:
                conn.execute("PRAGMA secure_delete = OFF")
        return ErasedUser(max(erased, 0), not busy and wal_pages in (0, moved))

    def rekey(self, new_key: str | bytes) -> None:
        """Re-encrypt the vault under new_key; afterwards only new_key opens it.

        Safe against crashes: the vault is exported to a new file under the new key,
        verified (it opens, passes the integrity check and holds exactly the same rows),
        and only then moved over the old file. Offline: other processes must not have the
        vault open (their connections would keep writing to the replaced file).
        """
        secret, raw = _parse_key(new_key)
        salt = os.urandom(SALT_BYTES)
        literal = _key_literal(secret, raw, salt)
        tmp = self.path.with_name(f".{self.path.name}.{secrets.token_hex(8)}.rekeying")
        try:
            with self._session() as conn:
                busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                if busy:
                    raise VaultError(f"the vault {str(self.path)!r} is in use by another connection; close it before rekeying")
                conn.execute("ATTACH DATABASE ? AS rekeyed KEY ?", (str(tmp), literal))
                try:
                    conn.execute("BEGIN IMMEDIATE")  # no writer may slip in between export and digest
                    try:
                        conn.execute("SELECT sqlcipher_export('rekeyed')")
                        before = _content_digest(conn, "main")
                        conn.execute("COMMIT")
                    except BaseException:
                        with suppress(sqlcipher3.Error):
                            conn.execute("ROLLBACK")
                        raise
                finally:
                    conn.execute("DETACH DATABASE rekeyed")
                if not raw and tmp.read_bytes()[:SALT_BYTES] != salt:
                    raise VaultError("SQLCipher did not keep the salt it was given; the vault was not rekeyed")
                _probe(tmp, literal)
                check = _connect_writer(tmp, literal)  # also makes WAL the new file's journal mode
                try:
                    after = _content_digest(check, "main")
                    problems = [row[0] for row in check.execute("PRAGMA cipher_integrity_check")]
                finally:
                    check.close()
                if after != before or problems:
                    raise VaultError("the re-encrypted copy does not match the vault; the vault was not rekeyed")
                os.chmod(tmp, self.path.stat().st_mode & 0o7777)
                _fsync_file(tmp)
                conn.close()
                self._conn = None
                os.replace(tmp, self.path)
                for suffix in ("-wal", "-shm"):  # the old file's, already checkpointed and empty
                    with suppress(FileNotFoundError):
                        os.unlink(f"{self.path}{suffix}")
                with suppress(OSError):
                    _fsync_dir(self.path.parent)
                self._key_literal = literal
                self._conn = _connect_writer(self.path, literal)
                self._connections += 1
        finally:
            for suffix in ("", "-journal", "-wal", "-shm"):
                with suppress(FileNotFoundError):
                    os.unlink(f"{tmp}{suffix}")

    def derive_secret(self, purpose: str) -> bytes:
        """A 32-byte key for one purpose (e.g. keying an audit log's hashes).

        Derived (HKDF-style, so it is unrelated to the pseudonyms the cloud sees) from the
        random secret inside the vault: unknowable without the vault and its key, and the
        same after a rekey.
        """
        if self._closed:
            raise VaultError("the vault is closed")
        prk = hmac.new(b"memveil/derive/v1", self._cloud_secret, hashlib.sha256).digest()
        return hmac.new(prk, _check_text("purpose", purpose).encode("utf-8"), hashlib.sha256).digest()

    # -- lifetime -------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection; later calls raise VaultError. Closing twice is fine."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self._conn is not None:
                self._conn.close()
                self._conn = None
            _OPEN_VAULTS.discard(self)

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Vault(path={str(self.path)!r})"

    # -- plumbing -------------------------------------------------------------------------

    @contextmanager
    def _session(self) -> Iterator[sqlcipher3.Connection]:
        with self._lock, _mapped_errors(self.path):
            if self._closed:
                raise VaultError("the vault is closed")
            if self._conn is None:  # first use in a forked child
                self._conn = _connect_writer(self.path, self._key_literal)
                self._connections += 1
            yield self._conn

    def _after_fork_in_child(self) -> None:
        # The parent's connection must not be used, nor closed (that could disturb the
        # parent's locks), in the child: keep it referenced and reconnect lazily.
        self._lock = threading.RLock()
        if self._conn is not None:
            self._inherited.append(self._conn)
            self._conn = None


_OPEN_VAULTS: weakref.WeakSet[Vault] = weakref.WeakSet()


def _reset_after_fork() -> None:
    for vault in list(_OPEN_VAULTS):
        vault._after_fork_in_child()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)


# -- keys and files -----------------------------------------------------------------------


def _parse_key(key: str | bytes) -> tuple[bytes, bool]:
    """(secret bytes, is_raw_key). A str is always a passphrase; bytes are raw iff 32 long."""
    if isinstance(key, str):
        if not key:
            raise ValueError("a passphrase must not be empty")
        return unicodedata.normalize("NFC", key).encode("utf-8", "surrogatepass"), False
    if isinstance(key, (bytes, bytearray, memoryview)):
        data = bytes(key)
        if not data:
            raise ValueError("a vault key must not be empty")
        return data, len(data) == KEY_BYTES
    raise TypeError(f"a vault key must be str or bytes, not {type(key).__name__}")


def _derive(passphrase: bytes, salt: bytes) -> bytes:
    return hashlib.scrypt(
        passphrase, salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, maxmem=_SCRYPT_MAXMEM, dklen=KEY_BYTES
    )


def _key_literal(secret: bytes, raw: bool, salt: bytes) -> str:
    if raw:  # SQLCipher reads (or, for a new file, creates) the salt itself
        return f"x'{secret.hex()}'"
    return f"x'{_derive(secret, salt).hex()}{salt.hex()}'"


def _existing_key_literal(path: Path, secret: bytes, raw: bool) -> str:
    try:
        with path.open("rb") as f:
            size = os.fstat(f.fileno()).st_size
            salt = f.read(SALT_BYTES)
    except OSError as exc:
        raise VaultError(f"cannot read the vault file {str(path)!r}: {exc.strerror}") from None
    if size < PAGE_BYTES or size % PAGE_BYTES:
        raise VaultCorruptError(
            f"the vault file {str(path)!r} is not a whole number of pages: truncated, damaged,"
            " or not a memveil vault"
        )
    return _key_literal(secret, raw, salt)


def _create(path: Path, secret: bytes, raw: bool, *, replace_empty: bool) -> str | None:
    """Build a new vault beside path and move it into place atomically.

    Returns the key literal, or None when another process created path first. A crash
    leaves at most a stray temporary file, never a half-initialized vault.
    """
    salt = os.urandom(SALT_BYTES)
    literal = _key_literal(secret, raw, salt)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.creating")
    try:
        with _mapped_errors(path):
            conn = sqlcipher3.connect(str(tmp), isolation_level=None)
            try:
                conn.execute(f'PRAGMA key = "{literal}"')
                conn.executescript(_SCHEMA)
                conn.execute("BEGIN")
                conn.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [
                        ("schema_version", str(SCHEMA_VERSION)),
                        ("created_at", datetime.now(timezone.utc).isoformat(timespec="seconds")),
                        ("cloud_id_secret", secrets.token_bytes(32).hex()),
                    ],
                )
                conn.execute("COMMIT")
                conn.execute("PRAGMA journal_mode = WAL")  # persistent: every later connection uses WAL
            finally:
                conn.close()
        if not raw and tmp.read_bytes()[:SALT_BYTES] != salt:
            raise VaultError("SQLCipher did not store the salt it was given; refusing to create the vault")
        if replace_empty:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if path exists: two creators cannot both win
            except FileExistsError:
                return None
        with suppress(OSError):  # not every file system can sync a directory
            _fsync_dir(path.parent)
        return literal
    except OSError as exc:
        raise VaultError(f"cannot create the vault {str(path)!r}: {exc.strerror}") from None
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            with suppress(FileNotFoundError):
                os.unlink(f"{tmp}{suffix}")


def _fsync_file(path: Path) -> None:
    with path.open("rb+") as f:
        os.fsync(f.fileno())


def _content_digest(conn: sqlcipher3.Connection, schema: str) -> str:
    """SHA-256 over every row of the vault's tables, in a fixed order: equal iff the data is."""
    digest = hashlib.sha256()
    for table, order in (("meta", "key"), ("entries", "id")):
        for row in conn.execute(f"SELECT * FROM {schema}.{table} ORDER BY {order}"):
            digest.update(repr(row).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _probe(path: Path, literal: str) -> dict[str, str]:
    """Check key, integrity and schema on a read-only connection, then return `meta`.

    Read-only so a failed open cannot write: a read-write connection closing on a vault
    with a pending WAL would checkpoint it into the main file.
    """
    uri = path.resolve().as_uri() + "?mode=ro"
    try:
        conn = sqlcipher3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    except sqlcipher3.Error as exc:
        raise VaultError(f"cannot open the vault file {str(path)!r}: {exc}") from None
    try:
        conn.execute(f'PRAGMA key = "{literal}"')
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.Error as exc:
            if _code(exc) == _SQLITE_NOTADB:
                raise VaultKeyError(f"{_KEY_MESSAGE} ({str(path)!r})") from None
            raise _vault_error(exc, path) from None
        with _mapped_errors(path):
            check = conn.execute("PRAGMA quick_check").fetchall()
        if check != [("ok",)]:
            raise VaultCorruptError(f"the vault file {str(path)!r} is damaged (integrity check failed)")
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        except sqlcipher3.Error:
            raise VaultError(f"{str(path)!r} is an encrypted database but not a memveil vault") from None
    finally:
        conn.close()
    if not {"schema_version", "cloud_id_secret"} <= meta.keys():
        raise VaultError(f"{str(path)!r} is an encrypted database but not a memveil vault")
    if int(meta["schema_version"]) > SCHEMA_VERSION:
        raise VaultError(
            f"the vault {str(path)!r} has schema {meta['schema_version']}, newer than this memveil"
            f" understands ({SCHEMA_VERSION}); upgrade memveil"
        )
    return meta


def _connect_writer(path: Path, literal: str) -> sqlcipher3.Connection:
    with _mapped_errors(path):
        conn = sqlcipher3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        try:
            conn.execute(f'PRAGMA key = "{literal}"')
            conn.execute("PRAGMA temp_store = MEMORY")  # no temporary files outside the cipher
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise VaultError(f"the vault {str(path)!r} cannot use WAL mode (got {mode})")
            conn.execute("PRAGMA synchronous = FULL")
        except BaseException:
            conn.close()
            raise
    return conn


def _code(exc: BaseException) -> int:
    return int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


def _vault_error(exc: BaseException, path: Path) -> VaultError:
    # SQLite messages name tables and constraints, never bound values.
    code = _code(exc)
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return VaultCorruptError(f"the vault file {str(path)!r} is damaged: {exc}")
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return VaultError(f"the vault {str(path)!r} stayed locked by another writer for over {BUSY_TIMEOUT_S:g} s")
    return VaultError(f"vault operation failed on {str(path)!r}: {exc}")


@contextmanager
def _mapped_errors(path: Path) -> Iterator[None]:
    try:
        yield
    except sqlcipher3.Error as exc:
        raise _vault_error(exc, path) from exc


# -- validation and assignment ---------------------------------------------------------------


def _check_text(name: str, text: object) -> str:
    """Reject non-str and lone surrogates without ever echoing the text."""
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a str, not {type(text).__name__}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{name} is not valid Unicode text (lone surrogate)") from None
    return text


def _check_user(user_id: object) -> str:
    user = _check_text("user_id", user_id)
    if not user:
        raise ValueError("user_id must not be empty")
    return user


def normalize_value(value: str) -> str:
    """What makes two spellings the same value: NFKC, casefold, whitespace collapsed and stripped."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold())
    return " ".join(folded.split())


def _prepare(item: tuple[str, str, Level]) -> _Item:
    try:
        value, type_name, level = item
    except (TypeError, ValueError):
        raise TypeError("each item must be a (value, type_name, level) tuple") from None
    norm = normalize_value(_check_text("value", value))
    if not norm:
        raise ValueError("a value must not be empty or only whitespace")
    tag = type_to_tag(_check_text("type_name", type_name))
    return _Item(norm, value, type_name, tag, _check_level(level))


def _check_level(level: object) -> Level:
    if isinstance(level, Level):
        return level
    if isinstance(level, str):
        try:
            return Level(level.strip().upper())
        except ValueError:
            raise ValueError("level must be one of PL1, PL2, PL3, PL4") from None
    raise TypeError(f"level must be a Level, not {type(level).__name__}")


def _check_placeholder(token: object) -> str:
    return str(parse_placeholder(_check_text("placeholder", token)))


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _lookup_norms(conn: sqlcipher3.Connection, user: str, norms: set[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for chunk in _chunks(sorted(norms)):
        marks = ",".join("?" * len(chunk))
        found.update(
            conn.execute(f"SELECT norm, placeholder FROM entries WHERE user_id = ? AND norm IN ({marks})", (user, *chunk))
        )
    return found


def _assign(
    conn: sqlcipher3.Connection, user: str, items: list[_Item], found: dict[str, str]
) -> list[tuple[object, ...]]:
    """Number the unknown items (inside the write transaction) and record them in found."""
    next_number: dict[str, int] = {}
    now = time.time()
    rows: list[tuple[object, ...]] = []
    for item in items:
        if item.norm in found:
            continue
        number = next_number.get(item.tag)
        if number is None:
            number = conn.execute(
                "SELECT coalesce(max(number), 0) + 1 FROM entries WHERE user_id = ? AND tag = ?", (user, item.tag)
            ).fetchone()[0]
        placeholder = str(Placeholder(item.tag, number))
        rows.append((user, item.norm, item.value, item.type_name, item.tag, number, placeholder, item.level.value, now))
        found[item.norm] = placeholder
        next_number[item.tag] = number + 1
    return rows
