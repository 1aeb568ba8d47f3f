"""The malicious-import scenario (issue 8, "Done when"): crafted spreadsheets are uploaded two
at a time, over and over, while another officer lists members. Measured: that officer's p95
and the web process's resident memory, each against the same load without the uploads, and
the queue worker's memory (where the files are read).

Before the imports moved to the queue, two of the issue's files at once took the web process
to 1.3 GB each and other users' lists from p50 20 ms to 3.6 s.
"""

import io
import random
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from openpyxl import Workbook  # type: ignore[import-untyped]

from unionhub_dev.bench.load import LoadResult

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan</t></is></c>'
    b"</row>"
)
SHEET_TAIL = b"</sheetData></worksheet>"
SST = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def _parts() -> dict[str, bytes]:
    wb = Workbook()
    wb.active.append(["Họ và tên"])
    out = io.BytesIO()
    wb.save(out)
    with zipfile.ZipFile(out) as z:
        return {n: z.read(n) for n in z.namelist() if n != "xl/worksheets/sheet1.xml"}


def noise(size: int, seed: int) -> bytes:
    """Cells of names and numbers: they compress like a real sheet, so ratio checks pass."""
    rng = random.Random(seed)
    out = bytearray()
    while len(out) < size:
        out += b'<c t="inlineStr"><is><t>Nguy\xe1\xbb\x85n V\xc4\x83n %d</t></is></c>' % (
            rng.randrange(4)
        )
    return bytes(out[:size])


def workbook(sheet: Iterator[bytes], extra: dict[str, bytes] | None = None) -> bytes:
    """A workbook whose first sheet is the streamed `sheet` bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in {**_parts(), **(extra or {})}.items():
            z.writestr(name, data)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            for piece in sheet:
                fh.write(piece)
    return out.getvalue()


def endless_row(total: int) -> Iterator[bytes]:
    """A second row of `total` bytes that never closes."""
    yield SHEET_HEAD + b'<row r="2">'
    block = noise(1 << 20, 7)
    for _ in range(total >> 20):
        yield block


def crafted_files() -> dict[str, bytes]:
    """The issue's file and the zip-bomb variants, each a few MB at most."""
    cell = b"<c><v>1</v></c>"
    strings = b"".join(b"<si><t>%d</t></si>" % n for n in range(1_300_000))
    return {
        # The reported file: 3 MB, one 240 MB row without its closing tag.
        "row 240 MB, no closing tag": workbook(endless_row(240 << 20)),
        # The same under the per-part limit: it reaches a worker, whose row bound refuses it.
        "row 100 MB, no closing tag": workbook(endless_row(100 << 20)),
        "compression ratio 1000:1": workbook(
            iter([SHEET_HEAD, b'<row r="2">', cell * (30_000_000 // len(cell)), b"</row>"])
        ),
        "1.3 million shared strings": workbook(
            iter([SHEET_HEAD + SHEET_TAIL]), {"xl/sharedStrings.xml": SST + strings + b"</sst>"}
        ),
    }


@dataclass
class Attack:
    """Uploads of the crafted files, `parallel` at a time, until stopped."""

    base_url: str
    token: str
    files: dict[str, bytes]
    parallel: int = 2
    outcomes: dict[str, dict[str, int]] = field(default_factory=dict)
    uploads: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _one(self, name: str, content: bytes) -> str:
        headers = {"Authorization": f"Bearer {self.token}"}
        with httpx.Client(base_url=self.base_url, headers=headers, timeout=300) as client:
            r = client.post(
                "/api/v1/imports",
                files={"file": ("tan-cong.xlsx", content, XLSX_TYPE)},
                data={"kind": "members"},
            )
            if r.status_code >= 400:
                return f"{r.status_code} {r.json().get('code')}"
            job = r.json()
            deadline = time.monotonic() + 120
            while job["status"] in ("validating", "committing") and time.monotonic() < deadline:
                time.sleep(0.3)
                job = client.get(f"/api/v1/imports/{job['id']}").json()
            codes = ",".join(e["code"] for e in (job.get("errors") or [])[:1])
            return f"job {job['status']} {codes}".strip()

    def _loop(self) -> None:
        while not self._stop.is_set():
            for name, content in self.files.items():
                if self._stop.is_set():
                    return
                outcome = self._one(name, content)
                with self._lock:
                    self.uploads += 1
                    counts = self.outcomes.setdefault(name, {})
                    counts[outcome] = counts.get(outcome, 0) + 1

    def run_during(self, work: Callable[[], LoadResult]) -> LoadResult:
        threads = [
            threading.Thread(target=self._loop, name=f"attack-{i}", daemon=True)
            for i in range(self.parallel)
        ]
        for t in threads:
            t.start()
        time.sleep(1.0)  # the first uploads are in flight before the measured load starts
        try:
            return work()
        finally:
            self._stop.set()
            for t in threads:
                t.join(timeout=150)


def summary_of(
    run: dict[str, Any], rss_mib: dict[str, float], worker_rss_mib: dict[str, float]
) -> dict[str, Any]:
    """The figures of a run (baseline and attacked loads, the attack) with the memory peaks
    of its two phases."""
    baseline, attacked, attack = run["baseline"], run["attacked"], run["attack"]
    return {
        "baseline_p50": baseline.p50,
        "baseline_p95": baseline.p95,
        "attacked_p50": attacked.p50,
        "attacked_p95": attacked.p95,
        "ratio_p95": attacked.p95 / baseline.p95 if baseline.p95 else 0.0,
        "bad_status": attacked.bad_status + attacked.io_errors,
        "web_rss_baseline_mib": rss_mib.get("malicious-baseline", 0.0),
        "web_rss_attacked_mib": rss_mib.get("malicious", 0.0),
        "worker_rss_baseline_mib": worker_rss_mib.get("malicious-baseline", 0.0),
        "worker_rss_attacked_mib": worker_rss_mib.get("malicious", 0.0),
        "uploads": attack.uploads,
        "outcomes": attack.outcomes,
        "file_mib": {k: len(v) / 1048576 for k, v in attack.files.items()},
    }
