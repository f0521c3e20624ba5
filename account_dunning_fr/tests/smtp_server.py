"""A real SMTP server for the tests, on a free loopback port (aiosmtpd).

It refuses every recipient whose address starts with ``refuse`` (550 5.1.1,
permanent), defers those starting with ``defer`` (451 4.7.1, transient) and
keeps the messages it accepts, as bytes, the way a mailbox would.
"""

import email
import email.policy
import socket
from contextlib import closing, contextmanager

from aiosmtpd.controller import Controller


def free_port():
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class MailboxHandler:
    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0].lower()
        if local.startswith("refuse"):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        if local.startswith("defer"):
            return "451 4.7.1 <%s>: Try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"

    def received_by(self, address):
        """The messages delivered to ``address``, parsed as a mail client would."""
        return [
            email.message_from_bytes(content, policy=email.policy.default)
            for rcpt_tos, content in self.messages
            if address in rcpt_tos
        ]


@contextmanager
def smtp_server():
    """(host, port, handler) of a running server, stopped on exit."""
    handler = MailboxHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield "127.0.0.1", port, handler
    finally:
        controller.stop()
