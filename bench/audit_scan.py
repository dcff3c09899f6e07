"""Throughput and memory of `memveil audit scan` on a large synthetic JSONL chat export.

Generates a file in the benchmark format (one user per line: `metadata.user_name`,
`dialogues[].role/.content`; English and Chinese turns from templates filled by Faker, with
names, emails, phones, cards, ids, passwords; assistant replies of Faker sentences), then
runs the real command on it in a child process with `--progress always`, sampling the
child's RSS from /proc while it runs. Prints JSON: MB/s, turns/s, peak RSS, RSS at each
quarter of the scan (flat = constant memory), the progress lines seen, findings per level.

Usage: python bench/audit_scan.py [--mb 50] [--seed 7] [--keep DIR] [--threads 1]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from faker import Faker

_USER_EN = [
    "Hi, I'm {name}. Please send the lease to {email} or text me on {phone} before Friday. {s1}",
    "My card {card} was charged twice for the same order. {s1} Can you help me write to the bank?",
    "The staging database password is {password}, rotate it after the audit. {s1}",
    "{s1} {s2} What do you think I should do this weekend?",
    "Remind me that my friend {name} lives at {address} and her number is {phone}. {s1}",
    "I have been feeling tired lately. {s1} {s2}",
    "My SSN is {ssn} and my email is {email}; fill in the insurance form for me. {s1}",
]
_USER_ZH = [
    "我的手机号是{cn_phone}，身份证号码是{cn_id}，请帮我更新到保险理赔申请表里。",
    "请把合同发到{email}，我明天上午十点在公司等你。",
    "周末想去爬山，有什么推荐的路线吗？最好人少一点，风景好一点。",
]


def _luhn(prefix: str) -> str:
    total = 0
    for i, d in enumerate(int(c) for c in reversed(prefix)):
        d = d * 2 if i % 2 == 0 else d
        total += d - 9 if d > 9 else d
    return prefix + str((10 - total % 10) % 10)


def _cn_id(rng: random.Random) -> str:
    body = f"110105{rng.randint(1960, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]


def _user_turn(fake: Faker, rng: random.Random) -> str:
    template = rng.choice(_USER_ZH if rng.random() < 0.2 else _USER_EN)
    return template.format(
        name=fake.name(),
        email=fake.email(),
        phone=fake.phone_number(),
        card=_luhn("4" + "".join(rng.choices("0123456789", k=14))),
        password=fake.password(length=14),
        address=fake.address().replace("\n", ", "),
        ssn=fake.ssn(),
        cn_phone="1" + rng.choice("3589") + "".join(rng.choices("0123456789", k=9)),
        cn_id=_cn_id(rng),
        s1=fake.sentence(nb_words=14),
        s2=fake.sentence(nb_words=10),
    )


def generate(path: Path, megabytes: float, seed: int) -> dict[str, int]:
    """Write users (lines) until the file reaches the size; returns users and turns."""
    fake = Faker("en_US")
    Faker.seed(seed)
    rng = random.Random(seed)
    target = int(megabytes * 1e6)
    users = turns = 0
    written = 0
    with path.open("w", encoding="utf-8") as out:
        while written < target:
            dialogues = []
            for _ in range(rng.randint(3, 8)):
                dialogues.append({"role": "user", "content": _user_turn(fake, rng), "privacy_info": []})
                dialogues.append({"role": "assistant", "content": fake.paragraph(nb_sentences=rng.randint(2, 5)), "privacy_info": []})
            record = {"uuid": f"u-{users}", "metadata": {"user_name": fake.name()}, "dialogues": dialogues}
            line = json.dumps(record, ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
            users += 1
            turns += len(dialogues)
    return {"users": users, "turns": turns, "bytes": written}


def _rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def run_scan(path: Path, report: Path, threads: int) -> dict[str, Any]:
    command = [
        sys.executable, "-m", "memveil.shared.cli", "audit", "scan", str(path),
        "--format", "json", "--output", str(report), "--progress", "always", "--fail-on", "none",
        "--threads", str(threads),
    ]
    started = time.perf_counter()
    child = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
    samples: list[tuple[float, float]] = []

    def sample() -> None:
        while child.poll() is None:
            rss = _rss_mb(child.pid)
            if rss is not None:
                samples.append((time.perf_counter() - started, rss))
            time.sleep(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert child.stderr is not None
    progress = [line.rstrip("\n") for line in child.stderr]
    code = child.wait()
    elapsed = time.perf_counter() - started
    sampler.join()
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"exit_code": code, "wall_s": elapsed, "progress": progress, "samples": samples, "peak_rss_mb": peak_kb / 1024}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0, help="size of the generated file (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threads", type=int, default=1, help="detector threads (default: %(default)s)")
    parser.add_argument("--keep", type=Path, help="write the file and the report here and keep them")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        data, report_path = folder / "chats.jsonl", folder / "report.json"
        t0 = time.perf_counter()
        made = generate(data, args.mb, args.seed)
        generated_s = time.perf_counter() - t0
        load_before = os.getloadavg()
        run = run_scan(data, report_path, args.threads)
        load_after = os.getloadavg()
        if run["exit_code"] != 0:
            print("\n".join(run["progress"][-20:]), file=sys.stderr)
            return 1
        summary = json.loads(report_path.read_text())["summary"]
    samples = run["samples"]
    quarters = [
        round(max((rss for t, rss in samples if t <= run["wall_s"] * q / 4), default=0.0), 1) for q in (1, 2, 3, 4)
    ]
    progress_lines = [line for line in run["progress"] if line.startswith("scan: ")]
    print(
        json.dumps(
            {
                "file_mb": round(made["bytes"] / 1e6, 2),
                "users": made["users"],
                "turns_in_file": made["turns"],
                "generate_s": round(generated_s, 1),
                "scan_s": round(summary["seconds"], 1),
                "process_wall_s": round(run["wall_s"], 1),
                "mb_per_s": round(made["bytes"] / 1e6 / summary["seconds"], 4),
                "turns_per_s": round(made["turns"] / summary["seconds"], 1),
                "texts_scanned": summary["texts"],  # turns, plus each record's user name and uuid
                "cache_hits": summary.get("cache_hits"),
                "peak_rss_mb": round(run["peak_rss_mb"], 1),
                "rss_mb_by_quarter": quarters,
                "progress_lines": len(progress_lines),
                "progress_first": progress_lines[0] if progress_lines else None,
                "progress_last": progress_lines[-1] if progress_lines else None,
                "findings_by_level": summary["by_level"],
                "threads": args.threads,
                "loadavg_before_after": [round(load_before[0], 2), round(load_after[0], 2)],
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
