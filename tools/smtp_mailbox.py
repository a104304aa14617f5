"""aiosmtpd's Mailbox handler for crmledger's tests, with two misbehaving mailboxes.

Stores each accepted message in a maildir like aiosmtpd.handlers.Mailbox. A recipient whose
local part is "nobody" is refused with 550 (mailbox unavailable), as a real server refuses an
unknown user: a hard bounce. A message to "slow@..." is stored and then answered only after
5 seconds, so a client with a shorter timeout gives up not knowing it was accepted (RFC 1047).
"""
import asyncio

from aiosmtpd.handlers import Mailbox


class RefusingMailbox(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("nobody@"):
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        if any(rcpt.lower().startswith("slow@") for rcpt in envelope.rcpt_tos):
            await asyncio.sleep(5)
        return reply
