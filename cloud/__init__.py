"""memveil.cloud: the memory service that only ever sees placeholders."""
