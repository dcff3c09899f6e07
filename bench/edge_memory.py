"""Resident memory of a process that has loaded the detector, with and without the tagger.

Each configuration runs in a fresh interpreter, so nothing loaded by one counts for another.
Prints JSON: peak RSS (VmHWM) after importing memveil.edge, after building the detector and
after 200 detections on mixed English/Chinese messages. The baseline in the same run is the
rules-only detector (`tagger=False`), so `tagger_mb` is what the learned model adds.
Usage: python bench/edge_memory.py
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import textwrap

_CHILD = textwrap.dedent(
    """
    import json, sys

    def peak_mb():
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    out = {"python": peak_mb()}
    from memveil.edge import PrivacyDetector
    out["imported"] = peak_mb()
    detector = PrivacyDetector(threads=1, tagger=sys.argv[1] == "tagger")
    out["built"] = peak_mb()
    texts = [
        "Hi, I'm Dana Whitfield; my sister Rosa was diagnosed with type 2 diabetes last spring.",
        "我上周在协和医院做了胃镜检查，花了1800元，医生说是慢性胃炎。",
        "Please mail the lease to dana.whitfield@example.org before my flight to Lisbon on May 3.",
        "我的同事张伟在阿里巴巴做产品经理，他的手机号是13812345678。",
    ] * 50
    for text in texts:
        detector.detect(text, user_name="Dana Whitfield")
    detector.detect_many(texts, user_name="Dana Whitfield")
    out["after_200_detections"] = peak_mb()
    print(json.dumps({k: round(v, 1) for k, v in out.items()}))
    """
)


def measure(config: str) -> dict[str, float]:
    result = subprocess.run([sys.executable, "-c", _CHILD, config], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    rules = measure("rules")
    tagger = measure("tagger")
    print(
        json.dumps(
            {
                "bench": "edge_memory",
                "machine": {"python": platform.python_version(), "platform": platform.platform()},
                "unit": "MB peak RSS (VmHWM)",
                "rules_only": rules,
                "with_tagger": tagger,
                "tagger_mb": round(tagger["after_200_detections"] - rules["after_200_detections"], 1),
                "ratio_with_tagger_to_rules_only": round(tagger["after_200_detections"] / rules["after_200_detections"], 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
