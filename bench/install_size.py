"""Installed size of memveil with a given extra, in a fresh virtualenv. Prints JSON.

The baseline in the same run is the bare install (pydantic only), so `ratio_to_bare` is
comparable across machines. Usage: python bench/install_size.py [--extra edge]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def _install(spec: str, where: Path) -> dict[str, object]:
    venv.EnvBuilder(with_pip=True).create(where)
    python = where / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", spec], check=True)
    site = Path(subprocess.check_output([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True).strip())
    baseline_tools = sum(_dir_size(p) for p in site.iterdir() if p.name.startswith(("pip", "setuptools", "_distutils")))
    frozen = subprocess.check_output([python, "-m", "pip", "list", "--format=freeze"], text=True).split()
    packages = sorted(line.split("==")[0].lower() for line in frozen)
    return {
        "site_packages_mb": round((_dir_size(site) - baseline_tools) / 2**20, 1),
        "packages": len(packages),
        "has_torch": "torch" in packages,
        "largest": sorted(
            ({"name": p.name, "mb": round(_dir_size(p) / 2**20, 1)} for p in site.iterdir() if p.is_dir()),
            key=lambda row: -float(row["mb"]),  # type: ignore[arg-type]
        )[:8],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra", default="edge")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bare = _install(str(ROOT), Path(tmp) / "bare")
        extra = _install(f"{ROOT}[{args.extra}]", Path(tmp) / "extra")
    print(
        json.dumps(
            {
                "bench": "install_size",
                "extra": args.extra,
                "installed_mb": extra["site_packages_mb"],
                "bare_install_mb": bare["site_packages_mb"],
                "ratio_to_bare": round(float(extra["site_packages_mb"]) / max(float(bare["site_packages_mb"]), 0.1), 1),  # type: ignore[arg-type]
                "packages": extra["packages"],
                "has_torch": extra["has_torch"],
                "largest": extra["largest"],
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
