"""Limits on a tree of workers: depth, count, model calls and tokens.

A worker may spawn nested workers, and a worker reading hostile content may try to make
that tree as deep, wide or expensive as it can. One `Budget` is shared by every worker a
main context starts; crossing a limit raises `BudgetExceeded`, which ends the whole tree.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Limits:
    """`max_attempts`: tries per worker before its output is given up on."""

    max_depth: int = 2
    max_workers: int = 32
    max_model_calls: int = 32
    max_tokens: int = 200_000
    max_attempts: int = 3

    def __post_init__(self) -> None:
        if self.max_depth < 0 or min(self.max_workers, self.max_model_calls, self.max_tokens, self.max_attempts) < 1:
            raise ValueError("worker limits must be positive (max_depth may be 0)")


@dataclass(frozen=True, slots=True)
class Usage:
    workers: int = 0
    model_calls: int = 0
    tokens: int = 0


class BudgetExceeded(RuntimeError):
    """A worker tree went past one of its limits."""


class Budget:
    """Thread-safe counters against `Limits`."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._used = Usage()
        self._lock = threading.Lock()

    @property
    def used(self) -> Usage:
        return self._used

    def remaining(self) -> Limits:
        """The limits left, for a budget in another process (a worker pool's child). The worker
        already started here counts there again, so its place is given back."""
        with self._lock:
            return replace(
                self.limits,
                max_workers=self.limits.max_workers - self._used.workers + 1,
                max_model_calls=max(1, self.limits.max_model_calls - self._used.model_calls),
                max_tokens=max(1, self.limits.max_tokens - self._used.tokens),
            )

    def start_worker(self, depth: int) -> None:
        if depth > self.limits.max_depth:
            raise BudgetExceeded(f"nested workers may go {self.limits.max_depth} levels deep")
        self.charge(Usage(workers=1))

    def charge_call(self, tokens: int) -> None:
        """One model call of about `tokens` tokens (prompt and reply)."""
        self.charge(Usage(model_calls=1, tokens=tokens))

    def charge(self, usage: Usage) -> None:
        with self._lock:
            used = Usage(
                self._used.workers + usage.workers,
                self._used.model_calls + usage.model_calls,
                self._used.tokens + usage.tokens,
            )
            if used.workers > self.limits.max_workers:
                raise BudgetExceeded(f"a worker tree may start at most {self.limits.max_workers} workers")
            if used.model_calls > self.limits.max_model_calls:
                raise BudgetExceeded(f"a worker tree may make at most {self.limits.max_model_calls} model calls")
            if used.tokens > self.limits.max_tokens:
                raise BudgetExceeded(f"a worker tree may use at most {self.limits.max_tokens} tokens")
            self._used = used


def estimate_tokens(text: str) -> int:
    """Rough token count without a tokenizer: a CJK character is one, other text four characters each."""
    cjk = sum(1 for c in text if "\u3040" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af")
    return cjk + (len(text) - cjk + 3) // 4
