"""memveil.models.tagger: the learned span tagger's training side.

`memveil.models.tagger.corpus` generates the reproducible bilingual synthetic training corpus
(`generate(n, seed, zh_share)` and `python -m memveil.models.tagger.corpus`). It needs the
`train` extra (Faker), imported only when a corpus is generated; importing this package pulls
in nothing beyond the standard library.
"""

from __future__ import annotations
