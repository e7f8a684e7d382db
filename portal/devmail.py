"""A loopback SMTP server that prints messages: the demo's and the tests' mailbox."""

import asyncio
from email import message_from_bytes, policy


class PrintingHandler:
    def __init__(self, sink=None):
        self.messages = []
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)
        if self.sink is not None:
            body = message.get_body(("plain",))
            self.sink(f"\n--- mail to {message['To']}: {message['Subject']}\n"
                      f"{body.get_content() if body else ''}---")
        return "250 Message accepted"


def start(host: str, port: int, sink=None):
    from aiosmtpd.controller import Controller

    handler = PrintingHandler(sink)
    controller = Controller(handler, hostname=host, port=port)
    controller.start()
    return controller, handler


def serve_forever(host: str, port: int) -> None:
    controller, _ = start(host, port, sink=lambda text: print(text, flush=True))
    try:
        asyncio.run(asyncio.Event().wait())
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()
