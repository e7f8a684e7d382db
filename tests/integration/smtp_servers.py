"""SMTP servers on loopback that misbehave on purpose, for the worker's delivery tests."""

import asyncio
import email
import socket
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SilentServer:
    """Accepts connections and never says a word: the client's read times out."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self):
        self.sock.close()
        for conn in self.held:
            conn.close()


class Recorder:
    """Keeps every message the server accepted; may stall before answering one of them."""

    def __init__(self):
        self.messages: list[email.message.Message] = []
        self.stall_on_subject = ""
        self.stall_seconds = 0.0

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        self.messages.append(message)  # taken: from here on the message is delivered
        if self.stall_on_subject and message["Subject"] == self.stall_on_subject:
            await asyncio.sleep(self.stall_seconds)  # ...but the answer comes too late
        return "250 OK"

    def ids(self) -> list[str]:
        return [m["Message-ID"] for m in self.messages]


class SmtpServer:
    """aiosmtpd on loopback; `password` set means AUTH is offered and only it is accepted."""

    def __init__(self, password: str = ""):
        self.recorder = Recorder()
        self.port = free_port()
        kwargs = {}
        if password:
            def check(server, session, envelope, mechanism, data):
                return AuthResult(success=data.password == password.encode(), handled=False)
            kwargs = {"authenticator": check, "auth_require_tls": False}
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port,
                                     server_hostname="smtp.test",
                                     **kwargs)
        self.controller.start()

    def stop(self):
        self.controller.stop()


def wait_for(condition, timeout: float = 30.0, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False
