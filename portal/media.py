"""Stored files answered over HTTP, one way for every route that serves one.

The type comes from the key (the stored type), never from the bytes; `nosniff` stops a browser
guessing otherwise, and a file is never answered as HTML. Public files (`/media/<key>`) are
cached for a year: their key is the hash of their bytes. A private file (a quote attachment, a
delivery photo) is served by its owner's route after its access check, with `private=True`.
"""

from flask import Response, abort

from portal.services import storage

# Nothing in a stored file may run: no script, no plugin, no frame of ours around it.
FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"


def stored_response(key: str, *, download_name: str | None = None,
                    private: bool = False) -> Response:
    """The file, or a 404 for a key that is malformed or not stored."""
    content_type = storage.content_type_of(key)
    data = storage.get(key) if content_type else None
    if data is None:
        abort(404)
    response = Response(data, content_type=content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = FILE_CSP
    disposition = "inline"
    if download_name:
        safe = "".join(c for c in download_name if c.isalnum() or c in "-_. ")[:80].strip()
        disposition += f'; filename="{safe or "file"}"'
    response.headers["Content-Disposition"] = disposition
    if private:
        response.headers["Cache-Control"] = "private, no-store"
    else:
        response.headers["Cache-Control"] = storage.CACHE_FOREVER
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response
