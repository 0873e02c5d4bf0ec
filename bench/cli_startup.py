"""Wall time of fresh `uccn` processes: `--help`, and `cities list` on a loaded store."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 15
UCCN = str(Path(sys.executable).parent / "uccn")


def timed(arguments: list[str], env: dict[str, str]) -> list[float]:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([UCCN, *arguments], env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return sorted(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "UCCN_HOME": home}
        env.pop("UCCN_DATABASE_URL", None)
        subprocess.run([UCCN, "cities", "list"], env=env, check=True, capture_output=True)
        for label, arguments in (
            ("uccn --help", ["--help"]),
            ("uccn cities list", ["cities", "list"]),
            ("uccn cities list --field literature", ["cities", "list", "--field", "literature"]),
        ):
            times = timed(arguments, env)
            print(
                f"{label:40s} min {times[0] * 1000:6.0f} ms   median "
                f"{statistics.median(times) * 1000:6.0f} ms   max {times[-1] * 1000:6.0f} ms"
                f"   ({RUNS} runs)"
            )


if __name__ == "__main__":
    main()
