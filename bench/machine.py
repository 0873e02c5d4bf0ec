"""This machine's speed, printed by the benchmarks so that figures taken on different days (a
virtual machine's speed moves with its neighbours' load) can be compared."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time


def calibration() -> str:
    """A fresh Python that does nothing, and one that sums ten million integers."""
    bare = timed_python("pass")
    work = timed_python("sum(range(10**7))")
    return f"calibration: python -c pass {bare:.0f} ms; sum(range(10**7)) {work:.0f} ms (medians)"


def timed_python(code: str) -> float:
    """The median wall time, in milliseconds, of five fresh `python -c code`."""
    times = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000
