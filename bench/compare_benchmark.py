"""How long `parallax compare` takes on the demo event, and how much of it is Prefect starting.

Side by side in one run, each in a fresh process:
  cold       first run: empty data folder (no translation cache), temporary Prefect server
  warm       rerun with the same data folder (translation cache filled), temporary Prefect server
  local      rerun against the lasting local server of `parallax server start`
  import     `import flows.compare` alone: Python, Prefect and the engine loading

Usage: .venv/bin/python bench/compare_benchmark.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "corpora" / "beijing-parade-2025"


def timed(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True, cwd=REPO)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    parallax = [sys.executable, "-m", "flows.cli"]
    base = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    base.update(DO_NOT_TRACK="1", PREFECT_SERVER_ANALYTICS_ENABLED="false")
    times: dict[str, list[float]] = {"cold": [], "warm": [], "local": [], "import": []}
    with tempfile.TemporaryDirectory() as scratch:
        out = str(Path(scratch) / "out")
        for round_ in range(args.repeat):
            env = {**base, "PARALLAX_HOME": str(Path(scratch) / f"home{round_}")}
            compare = [*parallax, "compare", str(DEMO), "--out", out]
            times["cold"].append(timed(compare, env))
            times["warm"].append(timed(compare, env))
            subprocess.run([*parallax, "server", "start"], env=env, check=True, capture_output=True)
            try:
                timed(compare, env)  # the server's first flow run creates its tables and deployments' rows
                times["local"].append(timed(compare, env))
            finally:
                subprocess.run([*parallax, "server", "stop"], env=env, check=True, capture_output=True)
            times["import"].append(timed([sys.executable, "-c", "import flows.compare"], env))
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"parallax compare on {DEMO.name}, median of {args.repeat} (seconds)")
    for name, value in median.items():
        print(f"  {name:<7} {value:6.2f}")
    print(f"  temporary Prefect server costs {median['warm'] - median['local']:.2f} s a run "
          f"({(median['warm'] - median['local']) / median['warm']:.0%} of a warm run); "
          f"local server run is {median['warm'] / median['local']:.1f}x faster than a warm temporary one")


if __name__ == "__main__":
    main()
