"""aiosmtpd's Mailbox handler for crmledger's tests, refusing mailboxes named nobody@...

Stores each accepted message in a maildir like aiosmtpd.handlers.Mailbox; a recipient whose
local part is "nobody" is refused with 550 (mailbox unavailable), as a real server refuses an
unknown user, so tests can see a hard bounce.
"""
from aiosmtpd.handlers import Mailbox


class RefusingMailbox(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("nobody@"):
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"
