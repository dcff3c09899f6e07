"""What the lexical (full-text) indexes see: placeholders as single keys, CJK as characters.

Both backends index `lexical_text(memory.text)` and search `lexical_terms(query)`, so a
query behaves the same on SQLite FTS5 and on PostgreSQL full-text search.

A placeholder such as `<Email_1>` becomes one opaque word, `ph` + 20 decimal digits of a
hash of the exact token. Word tokenizers would otherwise split it into `email` and `1`, and
`<Email_1>` would match `<Email_2>`; the key cannot be split, stemmed (digits have no
suffixes) or confused with another placeholder, whatever the tag's hyphens or apostrophes.

Chinese and Japanese have no spaces between words, so each CJK character is indexed as a
word of its own (unigrams): crude, but it lets `花生` find `我对花生过敏`.

Queries drop stop words ("I", "the", "我", "的"...), as PostgreSQL's english configuration
does: on SQLite they would otherwise vote for every memory that says "I" when ranks are fused.
"""

from __future__ import annotations

import hashlib
import re

from memveil.shared.placeholder import PLACEHOLDER_RE, find_placeholders

#: Most distinct terms one query contributes; the rest of a very long query is ignored.
MAX_TERMS = 64

_STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself yourselves s t don
    我 你 他 她 它 的 了 是 在 和 有 也 就 都 吗 呢 吧 啊 这 那 个 一 不""".split()
)
_CJK = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")
_WORD = re.compile(r"\w+")


def placeholder_key(token: str) -> str:
    """The one word that stands for a placeholder token in the lexical index."""
    digest = hashlib.blake2b(token.encode("utf-8"), digest_size=8, person=b"memveil-ph").digest()
    return f"ph{int.from_bytes(digest, 'big'):020d}"


def lexical_text(text: str) -> str:
    """The text as the lexical index stores it."""
    keyed = PLACEHOLDER_RE.sub(lambda m: f" {placeholder_key(m.group(0))} ", text)
    return _CJK.sub(r" \1 ", keyed)


def lexical_terms(query: str) -> list[str]:
    """The distinct words of a query, lower-cased, placeholders as keys; at most `MAX_TERMS`."""
    words = (word.lower() for word in _WORD.findall(lexical_text(query)))
    terms = dict.fromkeys(word for word in words if word not in _STOP_WORDS)
    return list(terms)[:MAX_TERMS]


def query_keys(query: str) -> set[str]:
    """The placeholder tokens a query mentions: the exact-match keys of a search."""
    return set(find_placeholders(query))
