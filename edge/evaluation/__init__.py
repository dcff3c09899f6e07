"""Scoring memveil's extraction on the MemPrivacy benchmarks.

`benchmark` reads and writes the JSONL format, `metric` is the paper's per-turn metric,
`protection` what masking the predictions would hide, `report` the slices and their display,
`evaluate` ties them together for `memveil eval extraction`. Kept import-free here so that
`memveil.edge.extract` can use the format without loading the metric.
"""
