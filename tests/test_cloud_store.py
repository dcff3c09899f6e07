"""The memory stores, one suite for both backends: SQLiteStore and PostgresStore.

Each test runs against SQLite (a file in tmp_path) and PostgreSQL (a fresh schema in the
database of MEMVEIL_TEST_POSTGRES_DSN; see tests/conftest.py for when that skips or fails).
Hybrid retrieval runs through `MemoryService` with the real MiniLM embedder.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from urllib.parse import quote
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from memveil.cloud.embedder import shared_embedder
from memveil.cloud.engine import Operation
from memveil.cloud.memory import MemoryService, decode_cursor, encode_cursor
from memveil.cloud.retrieval import fuse
from memveil.cloud.store import MemoryStore, SQLiteStore
from memveil.shared.wire import Memory, Message


def _vector(*hot: int) -> np.ndarray:
    v = np.zeros(384, dtype=np.float32)
    v[list(hot)] = 1.0
    return v / np.linalg.norm(v)


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MemoryStore]:
    if request.param == "sqlite":
        s: MemoryStore = SQLiteStore(tmp_path / "memories.sqlite3")
    else:
        from memveil.cloud.postgres_store import PostgresStore

        dsn, schema = request.getfixturevalue("fresh_postgres_schema")
        s = PostgresStore(dsn, schema=schema, pool_size=4)
    yield s
    s.close()


def _everything(store: MemoryStore, tenant: str, user: str, ids: Sequence[str]) -> Any:
    """What a tenant can read of a user: the listing and each memory's history."""
    return store.list(tenant, user, limit=1000), [store.history(tenant, i) for i in ids]


# -- the basics ------------------------------------------------------------------------------


def test_add_get_list(store: MemoryStore) -> None:
    first = store.add("t1", "alice", None, "I like tea.", _vector(0))
    second = store.add("t1", "alice", "bot", "My email is <Email_1>.", _vector(1))
    assert len(first.id) == 32 and first.created_at == first.updated_at
    assert first.created_at.tzinfo is not None
    assert store.get("t1", first.id) == first
    assert [m.id for m in store.list("t1", "alice")] == [first.id, second.id]
    assert [m.id for m in store.list("t1", "alice", agent_id="bot")] == [second.id]
    assert [m.id for m in store.list("t1", "alice", limit=1, offset=1)] == [second.id]
    assert store.list("t1", "bob") == []


def test_add_many_keeps_order_and_pages_by_cursor(store: MemoryStore) -> None:
    texts = [f"Fact number {i} about the garden." for i in range(25)]
    added = store.add_many("t1", "alice", "bot", texts, np.stack([_vector(i) for i in range(25)]), "bulk import")
    assert [m.text for m in added] == texts
    assert [m.id for m in store.list("t1", "alice", limit=100)] == [m.id for m in added]
    pages, after = [], None
    while True:
        page = store.list("t1", "alice", limit=10, after=after)
        if not page:
            break
        pages.append([m.id for m in page])
        after = (page[-1].created_at, page[-1].id)
        if len(pages) == 1:
            store.delete("t1", added[3].id)  # deleting behind the cursor moves nothing
            late = store.add("t1", "alice", None, "A late fact.", _vector(1))
    assert [len(p) for p in pages] == [10, 10, 6]
    assert sum(pages, []) == [m.id for m in added] + [late.id]
    assert store.history("t1", added[0].id)[0].reason == "bulk import"


def test_every_method_is_tenant_scoped(store: MemoryStore) -> None:
    mine = store.add("t1", "alice", None, "I like green tea.", _vector(0))
    assert store.get("t2", mine.id) is None
    assert store.list("t2", "alice") == []
    assert store.search_vector("t2", "alice", None, _vector(0), 5) == []
    assert store.search_text("t2", "alice", None, "green tea", 5) == []
    assert store.update("t2", mine.id, "hijacked", _vector(1)) is None
    assert store.delete("t2", mine.id) is False
    assert store.history("t2", mine.id) == []
    # ...and a same-named user of another tenant sees only their own.
    theirs = store.add("t2", "alice", None, "I like green tea too.", _vector(0))
    assert [m.id for m, _ in store.search_text("t1", "alice", None, "green tea", 5)] == [mine.id]
    assert [m.id for m, _ in store.search_vector("t2", "alice", None, _vector(0), 5)] == [theirs.id]
    assert store.get("t1", mine.id) == mine


def test_update_and_history_with_reasons(store: MemoryStore) -> None:
    memory = store.add("t1", "alice", None, "I like tea.", _vector(0), reason="a new preference")
    updated = store.update("t1", memory.id, "I like green tea.", _vector(0, 1), reason="more specific")
    assert updated is not None and updated.text == "I like green tea."
    assert updated.created_at == memory.created_at and updated.updated_at >= memory.updated_at
    assert store.get("t1", memory.id) == updated
    history = store.history("t1", memory.id)
    assert [(h.event, h.before, h.after, h.reason) for h in history] == [
        ("ADD", None, "I like tea.", "a new preference"),
        ("UPDATE", "I like tea.", "I like green tea.", "more specific"),
    ]
    assert history[0].at == memory.created_at and history[1].at == updated.updated_at
    assert [h.reason for h in store.history("t1", store.add("t1", "alice", None, "No reason.", _vector(2)).id)] == [None]


def test_delete_forgets_text_and_reasons(store: MemoryStore, tmp_path: Path) -> None:
    secret = "My locker code is <Password_1> and I keep it at the gym on Fifth."
    memory = store.add("t1", "alice", None, secret, _vector(0), reason="locker details")
    store.update("t1", memory.id, secret + " Really.", _vector(0), reason="locker details again")
    assert store.delete("t1", memory.id) is True
    assert store.delete("t1", memory.id) is False
    assert store.get("t1", memory.id) is None
    assert [(h.event, h.before, h.after, h.reason) for h in store.history("t1", memory.id)] == [("DELETE", None, None, None)]
    assert store.search_text("t1", "alice", None, "locker gym", 5) == []
    if isinstance(store, SQLiteStore):
        for path in tmp_path.iterdir():
            data = path.read_bytes()
            assert b"locker code" not in data and b"locker details" not in data, path.name
            assert b"Fifth" not in data and b"fifth" not in data, path.name  # the text index's words too


# -- search ----------------------------------------------------------------------------------


def test_vector_search_ranks_by_cosine_within_the_user(store: MemoryStore) -> None:
    near = store.add("t1", "alice", None, "near", _vector(0, 1))
    far = store.add("t1", "alice", None, "far", _vector(5))
    store.add("t1", "bob", None, "someone else", _vector(0))
    hits = store.search_vector("t1", "alice", None, _vector(0), 10)
    assert [m.id for m, _ in hits] == [near.id, far.id]
    assert hits[0][1] == pytest.approx(2**-0.5, abs=1e-6) and hits[1][1] == pytest.approx(0.0, abs=1e-6)
    assert len(store.search_vector("t1", "alice", None, _vector(0), 1)) == 1
    assert store.search_vector("t1", "alice", None, _vector(0), 0) == []


def test_embeddings_returns_the_stored_vectors_of_the_tenants_memories_only(store: MemoryStore) -> None:
    a = store.add("t1", "alice", None, "a", _vector(0, 1))
    b = store.add("t1", "bob", None, "b", _vector(5))
    other = store.add("t2", "alice", None, "c", _vector(3))
    found = store.embeddings("t1", [a.id, b.id, other.id, "no-such-id", a.id])
    assert set(found) == {a.id, b.id}
    np.testing.assert_allclose(found[a.id], _vector(0, 1), atol=1e-6)
    np.testing.assert_allclose(found[b.id], _vector(5), atol=1e-6)
    assert store.embeddings("t1", []) == {}


def test_lexical_search_finds_words_stems_and_cjk(store: MemoryStore) -> None:
    tomatoes = store.add("t1", "alice", None, "I grow tomatoes on my balcony.", _vector(0))
    stamps = store.add("t1", "alice", None, "I collect vintage stamps from Japan.", _vector(1))
    peanuts = store.add("t1", "alice", None, "我对花生过敏。", _vector(2))
    assert [m.id for m, _ in store.search_text("t1", "alice", None, "a tomato plant", 5)] == [tomatoes.id]
    found = store.search_text("t1", "alice", None, "Japanese stamps or tomatoes?", 5)
    assert {m.id for m, _ in found} == {tomatoes.id, stamps.id}
    assert all(score > 0 for _, score in found)
    assert [m.id for m, _ in store.search_text("t1", "alice", None, "花生", 5)] == [peanuts.id]
    assert store.search_text("t1", "alice", None, "what is it that I have?", 5) == []  # stop words only
    assert store.search_text("t1", "alice", None, 'OR "NEAR( * ) AND -', 5) == []  # syntax is never syntax
    assert store.search_text("t1", "alice", None, "tomatoes", 0) == []


def test_placeholders_are_exact_lexical_keys(store: MemoryStore) -> None:
    one = store.add("t1", "alice", None, "My email is <Email_1>.", _vector(0))
    two = store.add("t1", "alice", None, "My email is <Email_2>.", _vector(0))
    eleven = store.add("t1", "alice", None, "Old address <Email_11>.", _vector(0))
    license_ = store.add("t1", "alice", None, "License <Driver's_License_Number_1> expires soon.", _vector(0))
    party = store.add("t1", "alice", None, "Ask <Third-Party_Identifiable_Info_2> about it.", _vector(0))
    assert [m.id for m, _ in store.search_text("t1", "alice", None, "send it to <Email_1>", 10)] == [one.id]
    assert [m.id for m, _ in store.search_text("t1", "alice", None, "<Email_2>", 10)] == [two.id]
    assert [m.id for m, _ in store.search_text("t1", "alice", None, "<Email_11>", 10)] == [eleven.id]
    assert [m.id for m, _ in store.search_text("t1", "alice", None, "<Driver's_License_Number_1>", 10)] == [license_.id]
    assert [m.id for m, _ in store.search_text("t1", "alice", None, "<Third-Party_Identifiable_Info_2>", 10)] == [party.id]
    # The tag's words alone are no key: "email" matches no placeholder.
    assert store.search_text("t1", "alice", None, "Email_3", 10) == []


def test_filters_by_agent_and_time(store: MemoryStore) -> None:
    early = store.add("t1", "alice", "travel", "I prefer window seats on flights.", _vector(0))
    time.sleep(0.005)
    middle = store.add("t1", "alice", "food", "I take my coffee black, flights or not.", _vector(0, 1))
    time.sleep(0.005)
    late = store.add("t1", "alice", "travel", "I collect airline flights miles.", _vector(0, 2))
    for search, query in ((store.search_vector, _vector(0)), (store.search_text, "flights")):
        ids = lambda **f: {m.id for m, _ in search("t1", "alice", f.pop("agent_id", None), query, 10, **f)}  # noqa: E731
        assert ids() == {early.id, middle.id, late.id}
        assert ids(agent_id="travel") == {early.id, late.id}
        assert ids(created_after=middle.created_at) == {middle.id, late.id}  # inclusive
        assert ids(created_before=middle.created_at) == {early.id}  # exclusive
        assert ids(created_after=middle.created_at, created_before=late.created_at) == {middle.id}
        assert ids(agent_id="food", created_after=late.created_at) == set()
    with pytest.raises(ValueError, match="timezone"):
        store.search_vector("t1", "alice", None, _vector(0), 5, created_after=datetime(2026, 1, 1))


def test_concurrent_adds_lose_nothing(store: MemoryStore) -> None:
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(20):
                store.add("t1", f"user-{n % 2}", None, f"Writer {n} fact {i}.", _vector(n, i + 8))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    listed = store.list("t1", "user-0", limit=1000) + store.list("t1", "user-1", limit=1000)
    assert len(listed) == len({m.id for m in listed}) == 120
    assert {m.text for m in listed} == {f"Writer {n} fact {i}." for n in range(6) for i in range(20)}


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad, message",
    [
        (np.ones(3, dtype=np.float32), "384 values"),
        (np.ones((2, 384), dtype=np.float32), "384 values"),
        (np.full(384, np.nan, dtype=np.float32), "finite"),
        (np.zeros(384, dtype=np.float32), "zeros"),
    ],
    ids=["short", "matrix", "nan", "zeros"],
)
def test_bad_vectors_are_refused_and_lose_nothing(store: MemoryStore, bad: np.ndarray, message: str) -> None:
    kept = store.add("t1", "alice", None, "I like tea.", _vector(0), reason="kept")
    before = _everything(store, "t1", "alice", [kept.id])
    with pytest.raises(ValueError, match=message):
        store.add("t1", "alice", None, "I like coffee.", bad)
    with pytest.raises(ValueError, match=message):
        store.add_many("t1", "alice", None, ["Fine.", "Not fine."], [_vector(1), bad])
    with pytest.raises(ValueError, match=message):
        store.update("t1", kept.id, "I like coffee.", bad)
    with pytest.raises(ValueError, match=message):
        store.search_vector("t1", "alice", None, bad, 5)
    assert _everything(store, "t1", "alice", [kept.id]) == before
    assert [m.id for m, _ in store.search_vector("t1", "alice", None, _vector(0), 5)] == [kept.id]


def test_bad_texts_are_refused_and_lose_nothing(store: MemoryStore) -> None:
    kept = store.add("t1", "alice", None, "I like tea.", _vector(0))
    before = _everything(store, "t1", "alice", [kept.id])
    for bad in ("", "nul \x00 inside"):
        with pytest.raises(ValueError, match="memory text"):
            store.add_many("t1", "alice", None, ["Fine.", bad], [_vector(1), _vector(2)])
        with pytest.raises(ValueError, match="memory text"):
            store.update("t1", kept.id, bad, _vector(1))
    with pytest.raises(ValueError, match="one embedding per text"):
        store.add_many("t1", "alice", None, ["One.", "Two."], [_vector(1)])
    assert _everything(store, "t1", "alice", [kept.id]) == before


# -- hybrid retrieval through the service ----------------------------------------------------


class _ScriptedEngine:
    """Formation by script: whatever operations the test hands it, reasons included."""

    def __init__(self) -> None:
        self.next: list[Operation] = []

    def form(self, messages: Sequence[Message], related: list[Memory]) -> list[Operation]:
        return self.next


@pytest.fixture
def service(store: MemoryStore) -> MemoryService:
    return MemoryService(store, _ScriptedEngine(), shared_embedder())


def _bulk(service: MemoryService, *texts: str, user: str = "alice") -> list[Memory]:
    return service.bulk_add("t1", user, None, texts)


def test_service_passes_the_engines_reasons_to_the_history(service: MemoryService) -> None:
    engine = service.engine
    assert isinstance(engine, _ScriptedEngine)
    engine.next = [Operation("ADD", "I like tea.", reason="a stated preference")]
    (added,) = service.add("t1", "alice", None, [Message(role="user", content="I like tea.")])
    engine.next = [Operation("UPDATE", "I like green tea.", added.id, reason="the user was more specific")]
    service.add("t1", "alice", None, [Message(role="user", content="Green tea, actually.")])
    history = service.store.history("t1", added.id)
    assert [(h.event, h.reason) for h in history] == [("ADD", "a stated preference"), ("UPDATE", "the user was more specific")]


def test_hybrid_search_prefers_the_exact_placeholder(service: MemoryService) -> None:
    one, two, _ = _bulk(service, "My email is <Email_1>.", "My email is <Email_2>.", "I like hiking in the Alps.")
    for query, wanted, other in (("What is my email <Email_2>?", two, one), ("Send the invoice to <Email_1>", one, two)):
        hits = service.search("t1", "alice", None, query, 3)
        assert hits[0].id == wanted.id, query
        assert hits[0].score > next(h.score for h in hits if h.id == other.id)
        assert all(0 < h.score <= 1 for h in hits)
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_hybrid_search_uses_both_meaning_and_words(service: MemoryService) -> None:
    dog, market, nurse, codename = _bulk(
        service,
        "I have a dog named Biscuit.",
        "The stock market fell sharply today.",
        "I work as a nurse at <Organization_1>.",
        "Our project codename is Zephyrine.",
    )
    # Meaning without shared words: only the dense list can find it.
    assert service.search("t1", "alice", None, "my pet puppy", 1)[0].id == dog.id
    # A rare word the embedding knows nothing about: the lexical list puts it first.
    assert service.search("t1", "alice", None, "zephyrine", 1)[0].id == codename.id
    assert service.search("t1", "alice", None, "equities and shares", 1)[0].id == market.id
    # The user's filters hold in a hybrid search too.
    assert service.search("t1", "alice", None, "Biscuit", 5, created_after=nurse.created_at)[0].id != dog.id
    assert service.search("t1", "bob", None, "Biscuit", 5) == []


def test_bulk_add_is_all_or_nothing_and_export_pages(service: MemoryService) -> None:
    texts = [f"Imported fact {i} mentions <Location_{i + 1}>." for i in range(7)]
    added = _bulk(service, *texts)
    assert [m.text for m in added] == texts
    exported, cursor = [], None
    while True:
        page, cursor = service.export("t1", "alice", None, cursor, 3)
        exported += page
        if cursor is None:
            break
    assert [m.id for m in exported] == [m.id for m in added]
    assert service.export("t2", "alice", None, None, 3) == ([], None)


# -- pieces ----------------------------------------------------------------------------------


def test_fuse_orders_by_keys_then_rank() -> None:
    now = datetime.now(timezone.utc)
    m = {n: Memory(id=n, user_id="u", text=t, created_at=now, updated_at=now) for n, t in
         (("a", "x <Email_1>"), ("b", "x <Email_2>"), ("c", "x"), ("d", "<Email_1> and <Phone_1>"))}
    dense = [(m["b"], 0.9), (m["c"], 0.8), (m["a"], 0.7), (m["d"], 0.1)]
    lexical = [(m["b"], 3.0), (m["a"], 2.0)]
    assert [x.id for x, _ in fuse([dense, lexical], set(), 4)] == ["b", "a", "c", "d"]
    ranked = fuse([dense, lexical], {"<Email_1>", "<Phone_1>"}, 4)
    assert [x.id for x, _ in ranked] == ["d", "a", "b", "c"]
    assert all(0 < s <= 1 for _, s in ranked)
    assert fuse([dense, lexical], set(), 0) == []
    assert fuse([[(m["a"], 1.0)], [(m["a"], 1.0)]], set(), 1)[0][1] == pytest.approx(1.0)


def test_cursor_round_trip_and_garbage() -> None:
    moment = datetime(2026, 11, 23, 12, 0, 0, 123456, tzinfo=timezone.utc)
    assert decode_cursor(encode_cursor((moment, "abc"))) == (moment, "abc")
    for garbage in ("", "!!!", "bm90IGEgY3Vyc29y", encode_cursor((moment, "x")).replace("M", "")):
        with pytest.raises(ValueError, match="not a cursor"):
            decode_cursor(garbage)


def test_sqlite_file_of_the_first_release_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "memories.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(
        """CREATE TABLE memories (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, user_id TEXT NOT NULL, agent_id TEXT,
               text TEXT NOT NULL, embedding BLOB NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
           CREATE TABLE memory_history (seq INTEGER PRIMARY KEY AUTOINCREMENT, tenant TEXT NOT NULL,
               memory_id TEXT NOT NULL, event TEXT NOT NULL, before TEXT, after TEXT, at TEXT NOT NULL);"""
    )
    at = (datetime.now(timezone.utc) - timedelta(days=1)).isoformat(timespec="microseconds")
    old.execute("INSERT INTO memories VALUES ('m1', 't1', 'alice', NULL, 'I grow tomatoes.', ?, ?, ?)", (_vector(0).tobytes(), at, at))
    old.execute("INSERT INTO memory_history (tenant, memory_id, event, after, at) VALUES ('t1', 'm1', 'ADD', 'I grow tomatoes.', ?)", (at,))
    old.commit()
    old.close()
    store = SQLiteStore(path)
    try:
        assert [m.id for m, _ in store.search_text("t1", "alice", None, "tomato", 5)] == ["m1"]
        assert [(h.event, h.reason) for h in store.history("t1", "m1")] == [("ADD", None)]
        assert store.delete("t1", "m1") and store.search_text("t1", "alice", None, "tomato", 5) == []
    finally:
        store.close()


# -- choosing the backend ----------------------------------------------------------------------


def test_serve_keeps_memories_in_postgres_when_given_a_database_url(
    tmp_path: Path, fresh_postgres_schema: tuple[str, str]
) -> None:
    import psycopg

    dsn, schema = fresh_postgres_schema
    with psycopg.connect(dsn, autocommit=True) as db:
        db.execute(f"CREATE SCHEMA {schema}")
    # The schema rides in the URL, as an operator's own options would.
    url = f"{dsn}{'&' if '?' in dsn else '?'}options={quote(f'-c search_path={schema},public')}"
    cli = [sys.executable, "-m", "memveil.shared.cli"]
    key = subprocess.run([*cli, "keys", "create", "--data-dir", str(tmp_path), "--tenant", "acme"], capture_output=True, text=True, check=True).stdout.strip()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "MEMVEIL_DATABASE_URL": url}
    server = subprocess.Popen([*cli, "serve", "--data-dir", str(tmp_path), "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, "server did not start"
            time.sleep(0.1)
        body = {"texts": ["I keep bees on my roof."], "user_id": "u1"}
        added = httpx.post(f"{base}/v1/memories/bulk", json=body, headers={"Authorization": f"Bearer {key}"}, timeout=30)
        assert added.status_code == 200, added.text
    finally:
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=30)
    with psycopg.connect(dsn, options=f"-c search_path={schema}") as db:
        assert db.execute("SELECT text FROM memories").fetchall() == [("I keep bees on my roof.",)]
    assert not (tmp_path / "memories.sqlite3").exists()


def test_serve_with_an_unreachable_database_says_so_without_the_password(tmp_path: Path) -> None:
    env = {**os.environ, "MEMVEIL_DATABASE_URL": "postgresql://someone:hunter2secret@127.0.0.1:1/nowhere"}
    done = subprocess.run(
        [sys.executable, "-m", "memveil.shared.cli", "serve", "--data-dir", str(tmp_path)], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "cannot open the database" in done.stderr and "hunter2secret" not in done.stderr + done.stdout


def test_postgres_schema_names_are_checked() -> None:
    from memveil.cloud.postgres_store import PostgresStore

    with pytest.raises(ValueError, match="schema name"):
        PostgresStore("postgresql://unused@127.0.0.1:1/x", schema="bad; DROP TABLE memories")
