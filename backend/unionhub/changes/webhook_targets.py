"""Where a webhook may be delivered: never to private, loopback, link-local or other
non-public addresses (the server would become a way into the federation's own network),
unless an administrator allowed the network (WEBHOOK_ALLOWED_NETWORKS). Every address the name
resolves to is checked, at subscription and again before each delivery (a name can change)."""

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from unionhub.core.config import get_settings
from unionhub.core.error_codes import ErrorCode
from unionhub.core.middleware import parse_networks


class TargetRefused(Exception):
    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


async def check_target(url: str) -> None:
    """Raise TargetRefused unless `url` is https to public addresses (or http/https to
    allowlisted ones)."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise TargetRefused(ErrorCode.WEBHOOK_URL_INVALID, "The URL must be https://host/...")
    if parts.username or parts.password:
        raise TargetRefused(ErrorCode.WEBHOOK_URL_INVALID, "The URL must not carry credentials.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise TargetRefused(ErrorCode.WEBHOOK_URL_INVALID, "The URL's port is invalid.") from None
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            parts.hostname, port, type=socket.SOCK_STREAM
        )
    except OSError:
        raise TargetRefused(
            ErrorCode.WEBHOOK_URL_UNRESOLVABLE, "The URL's host name does not resolve."
        ) from None
    allowed = parse_networks(get_settings().webhook_allowed_networks)
    addresses = {ipaddress.ip_address(info[4][0]) for info in infos}
    all_allowed = True
    for address in addresses:
        if any(address in net for net in allowed):
            continue
        all_allowed = False
        if not address.is_global or address.is_multicast:
            raise TargetRefused(
                ErrorCode.WEBHOOK_URL_PRIVATE,
                f"The URL resolves to {address}, a private, loopback or link-local address; "
                "an administrator must allow that network first.",
            )
    if parts.scheme != "https" and not all_allowed:
        raise TargetRefused(
            ErrorCode.WEBHOOK_URL_NOT_HTTPS, "Webhooks are delivered over https only."
        )
