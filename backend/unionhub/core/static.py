"""The built web app's files, served at / with a fallback to index.html for client-side routes.

`npm run build` writes a `.br` and a `.gz` beside every compressible file (scripts/compress.mjs),
so the server never compresses on the request path: it picks the smallest encoding the browser
accepts and sends the file as it lies on disk. Hashed files under /assets/ are cached for a year
(their names change with their content); index.html is revalidated on every load.
"""

import mimetypes
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.responses import FileResponse

from unionhub.core.errors import NotFound

# Paths the API and the health checks own: never answered with the web app.
_RESERVED = ("api/", "docs", "redoc", "healthz", "readyz", ".well-known/")

# The web app's own routes are short, printable paths; anything else is not one of them.
_MAX_SPA_PATH = 1024
_MAX_SPA_SEGMENT = 255

# Encodings in order of preference, with the suffix the build gives the file.
_ENCODINGS = (("br", ".br"), ("gzip", ".gz"))

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def plausible(url: str) -> bool:
    return (
        len(url) <= _MAX_SPA_PATH
        and url.isprintable()
        and all(len(part) <= _MAX_SPA_SEGMENT for part in url.split("/"))
    )


def accepted_encodings(header: str) -> set[str]:
    """Codings the client accepts (RFC 9110 section 12.5.3); q=0 refuses one."""
    accepted: set[str] = set()
    for item in header.split(","):
        name, _, params = item.strip().partition(";")
        name = name.strip().lower()
        if not name:
            continue
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0:
            accepted.add(name)
    return accepted


def file_response(path: Path, request: Request, cache_control: str) -> FileResponse:
    """The file, or its pre-compressed twin when the client accepts that encoding."""
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    accepted = accepted_encodings(request.headers.get("accept-encoding", ""))
    headers = {"Cache-Control": cache_control, "Vary": "Accept-Encoding"}
    for coding, suffix in _ENCODINGS:
        twin = path.with_name(path.name + suffix)
        if (coding in accepted or "*" in accepted) and twin.is_file():
            headers["Content-Encoding"] = coding
            return FileResponse(twin, media_type=media_type, headers=headers)
    return FileResponse(path, media_type=media_type, headers=headers)


def mount_spa(app: FastAPI, dist: Path) -> None:
    root = dist.resolve()
    index = root / "index.html"

    @app.get("/{resource:path}", include_in_schema=False)
    async def spa(resource: str, request: Request) -> Response:
        if resource.startswith(_RESERVED) or not plausible(resource):
            raise NotFound("Nothing here.")
        try:
            candidate = (root / resource).resolve()
            is_file = bool(resource) and candidate.is_file() and root in candidate.parents
        except (OSError, ValueError):  # a name the file system refuses: no such file
            raise NotFound("Nothing here.") from None
        if is_file and candidate.suffix in (".br", ".gz"):
            is_file = False  # the twins are served only through Content-Encoding
        if is_file:
            hashed = "/assets/" in f"/{resource}"
            return file_response(candidate, request, IMMUTABLE if hashed else REVALIDATE)
        if resource.startswith("assets/"):
            # A hashed file from an older release: a 404, not index.html served as script.
            raise NotFound("Nothing here.")
        if index.is_file():
            return file_response(index, request, REVALIDATE)
        raise NotFound("The web app is not built.")
