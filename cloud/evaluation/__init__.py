"""Evaluations of the memory service: `memveil eval poisoning` (the memory guard)."""
