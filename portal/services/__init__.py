"""Domain rules and use cases. No Flask request, no templates; use cases never commit."""


class DomainError(Exception):
    """A rule said no. The message is safe to show to the user (already translated)."""
