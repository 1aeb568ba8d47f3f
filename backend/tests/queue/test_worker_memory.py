"""A worker's memory is capped (WORKER_MEMORY_MB): past the cap an allocation fails with
MemoryError - which fails the import at hand (tests/imports/test_jobs.py) - instead of the
machine running out of memory."""

import subprocess
import sys

PROBE = """
from unionhub.cli import limit_memory
limit_memory(400)
small = bytearray(100 * 1024 * 1024)
try:
    bytearray(600 * 1024 * 1024)
except MemoryError:
    print("refused")
else:
    print("allowed")
"""


def test_a_worker_cannot_grow_past_its_memory_cap() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "refused", out.stderr
