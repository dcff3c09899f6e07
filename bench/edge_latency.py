"""Latency of `PrivacyGuard.sanitize` on 40-token chat messages, one thread.

Prints JSON. The baseline in the same run is `PrivacyDetector.detect` on the same messages,
so `ratio_sanitize_to_detect` shows what the vault round trip adds, whatever the machine's
speed. Usage: python bench/edge_latency.py [--messages 400] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from memveil.edge import PrivacyDetector, PrivacyGuard, Vault  # noqa: E402

_TEMPLATES = [
    "Hi, this is {name}. Please send the signed lease to {email} or text me on {phone} before Friday, because the landlord wants everything back by the end of the month and I will be travelling all week.",
    "My IBAN is {iban} and the card ending in the number {card} was charged twice last week for the same order, can you help me write a short dispute letter to the bank today?",
    "The staging database lives at {dsn} and the admin password is {password}, please rotate both after the audit finishes and tell the whole team on the usual channel as soon as it is done, then close the ticket for good.",
    "我的手机号是{cn_phone}，身份证号码是{cn_id}，请在明天上午之前帮我更新到保险理赔申请表里，谢谢。",
    "Can you recommend a quiet place to read on Sunday afternoons? I like long novels, strong coffee and not too much noise around me, and ideally somewhere with big windows, warm light, plenty of plants and very comfortable chairs.",
    "Remind me that the verification code is {code} and that my friend's number {phone} should get the invitation for the party too, along with the exact address of the venue, the dress code and the time we start.",
]


# The metric's tokens (docs/taxonomy): one per CJK character, one per run of other non-space characters.
_TOKEN = re.compile(r"[\u3400-\u9fff]|[^\s\u3400-\u9fff]+")


def _luhn_complete(prefix: str) -> str:
    digits = [int(d) for d in prefix]
    total = 0
    for i, d in enumerate(reversed(digits)):
        d = d * 2 if i % 2 == 0 else d
        total += d - 9 if d > 9 else d
    return prefix + str((10 - total % 10) % 10)


def _cn_id(rng: random.Random) -> str:
    body = f"110105{rng.randint(1960, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]
    return body + check


def messages(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        values = {
            "name": rng.choice(["Maya Chen", "Tom Baker", "Priya Natarajan", "Lucas Moreau"]),
            "email": f"user{i}@example.org",
            "phone": f"+1 415 555 {rng.randint(1000, 9999)}",
            "iban": "GB82 WEST 1234 5698 7654 32",
            "card": _luhn_complete("4" + "".join(str(rng.randint(0, 9)) for _ in range(14))),
            "dsn": f"postgresql://app:pw{i}@db.internal:5432/prod",
            "password": f"Tr0ub4dor&{i}",
            "cn_phone": f"13{rng.randint(100000000, 999999999)}",
            "cn_id": _cn_id(rng),
            "code": f"{rng.randint(100000, 999999)}",
        }
        out.append(_TEMPLATES[i % len(_TEMPLATES)].format(**values))
    return out


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"p50_ms": round(pick(0.50) * 1e3, 3), "p95_ms": round(pick(0.95) * 1e3, 3), "mean_ms": round(statistics.fmean(ordered) * 1e3, 3)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    texts = messages(args.messages)
    detector = PrivacyDetector(threads=1)
    with tempfile.TemporaryDirectory() as tmp:
        vault = Vault.open(Path(tmp) / "vault.db", os.urandom(32))
        guard = PrivacyGuard(vault, detector=detector)
        for text in texts[:20]:  # warm-up: caches, first-time placeholder inserts
            guard.sanitize(text, "warmup")
        detect_s: list[float] = []
        sanitize_s: list[float] = []
        for _ in range(args.repeat):
            for text in texts:
                t0 = time.perf_counter()
                detector.detect(text)
                detect_s.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                guard.sanitize(text, "bench-user")
                sanitize_s.append(time.perf_counter() - t0)
        vault.close()

    tokens = [len(_TOKEN.findall(t)) for t in texts]
    sanitize = _percentiles(sanitize_s)
    detect = _percentiles(detect_s)
    print(
        json.dumps(
            {
                "bench": "edge_latency",
                "messages": len(texts),
                "repeat": args.repeat,
                "tokens_per_message_mean": round(statistics.fmean(tokens), 1),
                "threads": 1,
                "sanitize": sanitize,
                "detect_baseline": detect,
                "ratio_sanitize_to_detect_p50": round(sanitize["p50_ms"] / detect["p50_ms"], 3),
                "python": sys.version.split()[0],
                "machine": platform.machine(),
                "cpus": os.cpu_count(),
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
