"""memveil.edge: what an app embeds (detection, the encrypted vault, the guard, the client)."""
