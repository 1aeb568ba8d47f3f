"""The installed dependencies are the ones the lock promises (backend/pyproject.toml, uv.lock)."""

import importlib.util

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
