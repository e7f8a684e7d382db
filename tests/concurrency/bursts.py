"""Requests released together by a barrier, each in its own app context (its own database
session and transaction): the way the race tests make several phones tap at once."""

import threading

from portal.extensions import db


def post_together(app, clients, path: str, forms: list[dict], headers=None) -> list:
    """Client n posts forms[n] to `path`; all at the same instant. Returns the answers."""
    barrier = threading.Barrier(len(clients))
    answers: list = [None] * len(clients)

    def submit(n):
        with app.app_context():
            try:
                barrier.wait()
                answers[n] = clients[n].post(path, data=forms[n], headers=headers)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers
