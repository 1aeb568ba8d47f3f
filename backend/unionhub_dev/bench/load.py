"""Closed-loop HTTP load on loopback: `wrk` (Debian's package) when installed, else a small
asyncio HTTP/1.1 client. Both keep a few connections busy, cycle through a list of request
paths with a bearer token. wrk runs for the duration; the built-in client stops after the
duration or a request count, whichever is first (it keeps every latency in memory)."""

import asyncio
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

WRK_SCRIPT = """
-- Cycles through the paths in BENCH_PATHS (one per line) with a bearer token; prints the
-- summary as one JSON line. The run lasts wrk's -d: wrk divides by -d whether or not a thread
-- stopped early, so a request cap here would understate the throughput of fast endpoints.
local token = os.getenv("BENCH_TOKEN")
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], {["Authorization"] = "Bearer " .. token})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\nBENCH-JSON {"requests": %d, "seconds": %.3f, "bad_status": %d, "io_errors": %d, '
    .. '"p50": %.3f, "p95": %.3f, "p99": %.3f, "max": %.3f}\\n',
    summary.requests, summary.duration / 1e6, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3, latency:percentile(99) / 1e3,
    latency.max / 1e3))
end
"""


@dataclass
class LoadResult:
    requests: int
    seconds: float
    bad_status: int
    io_errors: int
    p50: float  # milliseconds
    p95: float
    p99: float
    max: float
    tool: str

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def tool_available() -> str:
    return "wrk" if shutil.which("wrk") else "python"


def run_load(
    base_url: str,
    paths: list[str],
    token: str,
    *,
    seconds: float,
    connections: int,
    max_requests: int,
    workdir: Path,
    tool: str = "auto",
) -> LoadResult:
    if tool == "auto":
        tool = tool_available()
    if tool == "wrk":
        return _wrk(base_url, paths, token, seconds, connections, workdir)
    return asyncio.run(_python(base_url, paths, token, seconds, connections, max_requests))


def _wrk(
    base_url: str,
    paths: list[str],
    token: str,
    seconds: float,
    connections: int,
    workdir: Path,
) -> LoadResult:
    workdir.mkdir(parents=True, exist_ok=True)
    script, listing = workdir / "bench.lua", workdir / "paths.txt"
    script.write_text(WRK_SCRIPT)
    listing.write_text("\n".join(paths) + "\n")
    env = {
        **os.environ,
        "BENCH_TOKEN": token,
        "BENCH_PATHS": str(listing),
    }
    command = [
        "wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "30s",
        "-s", str(script), base_url,
    ]  # fmt: skip
    out = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=seconds + 60, check=True
    )
    line = next(x for x in out.stdout.splitlines() if x.startswith("BENCH-JSON "))
    data = json.loads(line.removeprefix("BENCH-JSON "))
    return LoadResult(tool="wrk", **data)


async def _python(
    base_url: str,
    paths: list[str],
    token: str,
    seconds: float,
    connections: int,
    max_requests: int,
) -> LoadResult:
    host, port = base_url.removeprefix("http://").split(":")
    latencies: list[float] = []
    bad = errors = 0
    deadline = time.monotonic() + seconds
    counter = iter(range(max_requests))

    async def worker(offset: int) -> None:
        nonlocal bad, errors
        reader, writer = await asyncio.open_connection(host, int(port))
        i = offset
        try:
            while time.monotonic() < deadline and next(counter, None) is not None:
                path = paths[i % len(paths)]
                i += 1
                request = (
                    f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n\r\n"
                ).encode()
                started = time.perf_counter()
                writer.write(request)
                status = await _read_response(reader)
                latencies.append((time.perf_counter() - started) * 1000)
                bad += status >= 400
        except (OSError, asyncio.IncompleteReadError, IndexError, ValueError):
            errors += 1
        finally:
            writer.close()

    started = time.monotonic()
    await asyncio.gather(*(worker(n * 7919) for n in range(connections)))
    took = time.monotonic() - started
    ordered = sorted(latencies) or [0.0]

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    return LoadResult(
        requests=len(latencies),
        seconds=took,
        bad_status=bad,
        io_errors=errors,
        p50=pct(50),
        p95=pct(95),
        p99=pct(99),
        max=ordered[-1],
        tool="python",
    )


async def _read_response(reader: asyncio.StreamReader) -> int:
    status = int((await reader.readline()).split()[1])
    length, chunked = 0, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status
