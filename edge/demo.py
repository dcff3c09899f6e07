"""`memveil demo`: the whole path on one machine, offline.

Starts the memory service on a free loopback port, talks to it through `MemoryClient` with
a fresh vault, and prints side by side what the user typed, what the cloud stored and what a
search gives back to the user. Then it checks every byte the cloud wrote for the private
values and exits non-zero if one is there.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from memveil.shared.cli import require_extra

USER_ID = "maya"
USER_NAME = "Maya Chen"

CONVERSATION: tuple[str, ...] = (
    "Hi, I'm Maya Chen. You can reach me at maya.chen@example.org or +1 650 253 0199.",
    "My rent goes out from IBAN GB82 WEST 1234 5698 7654 32 and I pay everything else with my card 4111 1111 1111 1111.",
    "The password for my banking app is Tr0ub4dor&3x, please keep it for me.",
    "我的手机号是13812345678，身份证号是110105199003074579。",
    "I love hiking in the mountains on weekends.",
)

SEARCHES: tuple[str, ...] = (
    "How can people contact me?",
    "Which card do I pay with?",
    "我的身份证号是多少？",
)


def _width(text: str) -> int:
    """Columns a string takes in a terminal: CJK and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _wrap(text: str, width: int) -> list[str]:
    """Greedy wrap by display width; breaks at spaces, or between wide characters."""
    lines: list[str] = []
    line = ""
    for piece in re.findall(r"\s+|[\u2e80-\uffef]|[^\s\u2e80-\uffef]+", text):
        if piece.isspace():
            piece = "" if not line else " "
        if line and _width(line + piece) > width:
            lines.append(line.rstrip())
            line = piece.lstrip()
        else:
            line += piece
    return [*lines, line.rstrip()] if line or not lines else lines


def _columns(left: str, right: str, width: int, out: TextIO) -> None:
    lines_l, lines_r = _wrap(left, width), _wrap(right, width)
    for i in range(max(len(lines_l), len(lines_r))):
        a = lines_l[i] if i < len(lines_l) else ""
        b = lines_r[i] if i < len(lines_r) else ""
        out.write(f"  {a}{' ' * (width - _width(a))} │ {b}\n")


def _heading(title: str, left: str, right: str, width: int, out: TextIO) -> None:
    out.write(f"\n{title}\n")
    _columns(left.upper(), right.upper(), width, out)
    out.write(f"  {'─' * width}─┼─{'─' * width}\n")


def _leaks(data_dir: Path, values: Sequence[str]) -> list[str]:
    """Names of files under data_dir that contain any of the values, byte for byte."""
    found = []
    for path in sorted(data_dir.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if any(v.encode() in data for v in values):
                found.append(path.name)
    return found


def run_demo(out: TextIO = sys.stdout) -> int:
    require_extra("cloud", "fastapi", "uvicorn")
    import httpx

    from memveil.cloud.app import create_app
    from memveil.cloud.auth import KeyStore, keys_path
    from memveil.cloud.server import BackgroundServer
    from memveil.edge import MemoryClient, Vault
    from memveil.shared.wire import PROTOCOL_HEADER, PROTOCOL_VERSION

    width = max(30, min(60, (shutil.get_terminal_size((120, 20)).columns - 7) // 2))
    with tempfile.TemporaryDirectory(prefix="memveil-demo-") as tmp:
        data_dir = Path(tmp) / "cloud"
        data_dir.mkdir()
        keys = KeyStore(keys_path(data_dir))
        api_key, _ = keys.create("demo")
        keys.close()

        out.write("memveil demo: memory service on loopback, vault on this device, nothing leaves the machine.\n")
        with (
            Vault.open(Path(tmp) / "vault.db", os.urandom(32)) as vault,
            BackgroundServer(create_app(data_dir)) as server,
            MemoryClient(server.base_url, api_key, vault, user_name=USER_NAME) as client,
        ):
            out.write(f"cloud at {server.base_url}, data in {data_dir}\n")

            _heading("1. The user talks to the agent", "you typed", "what crosses the network", width, out)
            for message in CONVERSATION:
                _columns(message, client.preview(message, USER_ID), width, out)
                out.write("\n")
            client.add(list(({"role": "user", "content": m} for m in CONVERSATION)), user_id=USER_ID)

            # The cloud's own view, fetched without the client so nothing is restored.
            raw = httpx.get(
                f"{server.base_url}/v1/memories",
                params={"user_id": vault.cloud_user_id(USER_ID), "limit": 100},
                headers={"Authorization": f"Bearer {api_key}", PROTOCOL_HEADER: PROTOCOL_VERSION},
            ).json()["results"]
            restored = {m.id: m.text for m in client.get_all(USER_ID)}
            _heading("2. Memories", "what the cloud stored", "what the user's app shows", width, out)
            for memory in raw:
                _columns(memory["text"], restored.get(memory["id"], ""), width, out)

            _heading("3. Search", "the user asks", "what search returns to the user", width, out)
            for query in SEARCHES:
                hits = client.search(query, user_id=USER_ID, limit=1)
                _columns(query, hits[0].text if hits else "(nothing)", width, out)
                out.write("\n")

            values = [entry.value for entry in vault.entries(USER_ID)]
            leaked = _leaks(data_dir, values)

        out.write(f"\n{len(values)} private values stayed on the device; the cloud saw placeholders only.\n")
        if leaked:
            out.write(f"LEAK: private values found in the cloud's files: {', '.join(leaked)}\n")
            return 1
        out.write(f"Checked every byte the cloud wrote ({sum(1 for p in data_dir.rglob('*') if p.is_file())} files): no private value.\n")
    return 0
