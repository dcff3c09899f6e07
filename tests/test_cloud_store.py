"""SQLiteStore: tenant scoping, history, vector search, and forgetting on delete."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from memveil.cloud.store import SQLiteStore


def _vector(*hot: int) -> np.ndarray:
    v = np.zeros(384, dtype=np.float32)
    v[list(hot)] = 1.0
    return v / np.linalg.norm(v)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    s = SQLiteStore(tmp_path / "memories.sqlite3")
    yield s
    s.close()


def test_add_get_list(store: SQLiteStore) -> None:
    first = store.add("t1", "alice", None, "I like tea.", _vector(0))
    second = store.add("t1", "alice", "bot", "My email is <Email_1>.", _vector(1))
    assert len(first.id) == 32 and first.created_at == first.updated_at
    assert store.get("t1", first.id) == first
    assert [m.id for m in store.list("t1", "alice")] == [first.id, second.id]
    assert [m.id for m in store.list("t1", "alice", agent_id="bot")] == [second.id]
    assert [m.id for m in store.list("t1", "alice", limit=1, offset=1)] == [second.id]
    assert store.list("t1", "bob") == []


def test_every_method_is_tenant_scoped(store: SQLiteStore) -> None:
    mine = store.add("t1", "alice", None, "I like tea.", _vector(0))
    assert store.get("t2", mine.id) is None
    assert store.list("t2", "alice") == []
    assert store.search_vector("t2", "alice", None, _vector(0), 5) == []
    assert store.update("t2", mine.id, "hijacked", _vector(1)) is None
    assert store.delete("t2", mine.id) is False
    assert store.history("t2", mine.id) == []
    assert store.get("t1", mine.id) == mine


def test_update_and_history(store: SQLiteStore) -> None:
    memory = store.add("t1", "alice", None, "I like tea.", _vector(0))
    updated = store.update("t1", memory.id, "I like green tea.", _vector(0, 1))
    assert updated is not None and updated.text == "I like green tea."
    assert updated.created_at == memory.created_at and updated.updated_at >= memory.updated_at
    events = [(h.event, h.before, h.after) for h in store.history("t1", memory.id)]
    assert events == [("ADD", None, "I like tea."), ("UPDATE", "I like tea.", "I like green tea.")]


def test_search_ranks_by_cosine_within_the_user(store: SQLiteStore) -> None:
    near = store.add("t1", "alice", None, "near", _vector(0, 1))
    far = store.add("t1", "alice", None, "far", _vector(5))
    store.add("t1", "bob", None, "someone else", _vector(0))
    hits = store.search_vector("t1", "alice", None, _vector(0), 10)
    assert [m.id for m, _ in hits] == [near.id, far.id]
    assert hits[0][1] == pytest.approx(2**-0.5, abs=1e-6) and hits[1][1] == pytest.approx(0.0, abs=1e-6)
    assert len(store.search_vector("t1", "alice", None, _vector(0), 1)) == 1


def test_delete_forgets_the_text(store: SQLiteStore, tmp_path: Path) -> None:
    secret = "My locker code is <Password_1> and I keep it at the gym on Fifth."
    memory = store.add("t1", "alice", None, secret, _vector(0))
    store.update("t1", memory.id, secret + " Really.", _vector(0))
    assert store.delete("t1", memory.id) is True
    assert store.delete("t1", memory.id) is False
    assert store.get("t1", memory.id) is None
    assert [h.event for h in store.history("t1", memory.id)] == ["DELETE"]
    for path in tmp_path.iterdir():
        assert b"locker code" not in path.read_bytes(), path.name
