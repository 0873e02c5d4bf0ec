"""Wall time of fresh `uccn` processes: `--help`, and `cities list` on a loaded store.

Python writes its bytecode caches as it does on a user's machine (PYTHONDONTWRITEBYTECODE is
unset for the runs), and one run before the timed ones writes them.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import calibration

RUNS = 15
UCCN = str(Path(sys.executable).parent / "uccn")


def timed(arguments: list[str], env: dict[str, str]) -> tuple[list[float], list[float]]:
    """Wall times and CPU times (user + system) of `RUNS` fresh processes, each sorted."""
    times, cpu = [], []
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([UCCN, *arguments], env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return sorted(times), sorted(cpu)


def main() -> None:
    print(calibration())
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "UCCN_HOME": home}
        env.pop("UCCN_DATABASE_URL", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([UCCN, "cities", "list"], env=env, check=True, capture_output=True)
        for label, arguments in (
            ("uccn --help", ["--help"]),
            ("uccn cities list", ["cities", "list"]),
            ("uccn cities list --field literature", ["cities", "list", "--field", "literature"]),
        ):
            times, cpu = timed(arguments, env)
            print(
                f"{label:38s} wall min {times[0] * 1000:5.0f} median "
                f"{statistics.median(times) * 1000:5.0f} max {times[-1] * 1000:5.0f} ms;"
                f" CPU median {statistics.median(cpu) * 1000:5.0f} ms  ({RUNS} runs)"
            )


if __name__ == "__main__":
    main()
