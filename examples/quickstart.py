"""memveil in about 40 lines: a memory service, a vault, and an agent memory that never sees private values.

Run: python examples/quickstart.py   (needs the edge and cloud extras: pip install "memveil[edge,cloud]")
In a real deployment the service runs elsewhere (`memveil serve`) and the app only needs `memveil[edge]`.
"""

import os
import tempfile
from pathlib import Path

from memveil.cloud.app import create_app
from memveil.cloud.auth import KeyStore, keys_path
from memveil.cloud.server import BackgroundServer
from memveil.edge import MemoryClient, Vault

with tempfile.TemporaryDirectory() as tmp:
    # The cloud: a memory service with one tenant (operators run `memveil serve` and `memveil keys create`).
    data_dir = Path(tmp, "cloud")
    data_dir.mkdir()
    keys = KeyStore(keys_path(data_dir))
    api_key, _ = keys.create("my-app")
    keys.close()

    # The device: an encrypted vault (keep its 32-byte key in the platform keystore).
    vault_key = os.urandom(32)
    with BackgroundServer(create_app(data_dir)) as server, Vault.open(Path(tmp, "vault.db"), vault_key) as vault:
        memory = MemoryClient(server.base_url, api_key, vault, user_name="Maya Chen")

        memory.add(
            [
                {"role": "user", "content": "I'm Maya Chen, write to me at maya.chen@example.org."},
                {"role": "user", "content": "My card is 4111 1111 1111 1111 and my PIN is 4821."},
            ],
            user_id="maya",
        )

        for hit in memory.search("How do I get in touch with Maya?", user_id="maya", limit=2):
            print(f"{hit.score:.2f}  {hit.text}")  # restored on the device: real values

        # What the cloud was sent and stored for the first message:
        print("cloud view:", memory.preview("I'm Maya Chen, write to me at maya.chen@example.org.", "maya"))
        memory.close()
