"""Domain rules and use cases. No Flask request, no templates; use cases never commit."""


class DomainError(Exception):
    """A rule said no. The message is safe to show to the user (already translated).

    `field` names the form field the message belongs under (None: the form as a whole);
    `status` is how a view answers it (portal/usecases.run): 422, 409 for a conflict;
    `code` is the stable word the JSON API answers it with (problem+json `code`; empty: a
    word for the status). A subclass may add `pointers` ((JSON pointer, reason) pairs, one
    per refused item) and `extra` (more members of the problem) for the API.
    """

    status = 422
    field: str | None = None
    code: str = ""

    def __init__(self, message: str = "", field: str | None = None):
        super().__init__(message)
        if field is not None:
            self.field = field


class NotFound(LookupError):  # noqa: N818 (the word the views answer with: a 404)
    """What was asked for is not there for this user (missing, or another company's)."""


class NotAllowed(Exception):  # noqa: N818
    """This user may see it but not do this to it (a 403)."""
