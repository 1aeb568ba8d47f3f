"""The installed dependencies are the ones the lock promises (backend/pyproject.toml, uv.lock)."""

import importlib.util
import os
import subprocess
from pathlib import Path

import pytest
from jose import jwt
from jose.backends import ECKey, HMACKey, RSAKey


@pytest.mark.parametrize("module", ["ecdsa", "rsa", "pyasn1"])
def test_pure_python_jose_backends_are_not_installed(module: str) -> None:
    # python-jose falls back to these when cryptography is missing; ecdsa has an unfixed timing
    # side channel (CVE-2024-23342). [tool.uv] override-dependencies keeps all three out.
    assert importlib.util.find_spec(module) is None


def test_jose_signs_with_the_cryptography_backend() -> None:
    for key_class in (HMACKey, RSAKey, ECKey):
        assert key_class.__module__ == "jose.backends.cryptography_backend"
    token = jwt.encode({"sub": "u"}, "s" * 32, algorithm="HS256")
    assert jwt.decode(token, "s" * 32, algorithms=["HS256"]) == {"sub": "u"}


# scripts/audit-deps.sh (make lint, make audit) with stand-ins for pip-audit: what each of its
# outcomes does to the build.
ROOT = Path(__file__).resolve().parents[3]
UV = ROOT / "backend" / ".venv-tools" / "bin" / "uv"  # installed by `make install`
STAND_INS = {  # what pip-audit prints (stderr) and its exit status
    "clean": ("No known vulnerabilities found", 0),
    "vulnerable": ("Found 1 known vulnerability in 1 package", 1),
    "unreachable": ("alembic: Dependency not found on PyPI and could not be audited", 1),
}


def _audit(tmp_path: Path, outcome: str, mode: str) -> subprocess.CompletedProcess[str]:
    stand_in = tmp_path / "pip-audit"
    said, status = STAND_INS[outcome]
    stand_in.write_text(f"#!/bin/sh\necho '{said}' >&2\nexit {status}\n")
    stand_in.chmod(0o755)
    return subprocess.run(
        [str(ROOT / "scripts" / "audit-deps.sh"), str(UV), str(stand_in)],
        env={**os.environ, "AUDIT": mode},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("outcome", "mode", "status", "says"),
    [
        ("clean", "require", 0, "audit: No known vulnerabilities found"),
        ("vulnerable", "warn", 1, "make lock UPGRADE=1"),
        ("vulnerable", "require", 1, "Found 1 known vulnerability"),
        ("unreachable", "warn", 0, "WARNING: continuing without the audit"),
        ("unreachable", "require", 1, "the locked packages were NOT audited"),
    ],
)
def test_the_audit_fails_on_vulnerabilities_and_says_when_it_could_not_run(
    tmp_path: Path, outcome: str, mode: str, status: int, says: str
) -> None:
    done = _audit(tmp_path, outcome, mode)
    assert done.returncode == status, done.stdout + done.stderr
    assert says in done.stdout + done.stderr
