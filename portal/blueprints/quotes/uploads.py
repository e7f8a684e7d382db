"""A file sent with a quote message, read from the form (checked later by services/storage)."""

from flask import request

from portal.services import quotes, storage


def upload_of() -> quotes.Upload | None:
    """The file sent with a message, at most the storage limit plus one byte read."""
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        return None
    limit = storage.upload_limit(sent.mimetype or "")
    return quotes.Upload(sent.stream.read(max(limit, storage.upload_limit()) + 1),
                         sent.filename, sent.mimetype or "")
