#!/usr/bin/env python3
"""A real SMTP server (aiosmtpd) for the e-mail tests.

Listens on 127.0.0.1 (a free port unless --port is given) and prints `READY <port>` on stdout once it accepts
connections. Every accepted message is stored in --dir as `<n>.eml` (the bytes received after DATA, with the SMTP
dot-stuffing already undone) beside `<n>.json`: the envelope, the client's port, whether the session used TLS and who
authenticated, and (unless --no-parse) the message as Python's `email` package decodes it (headers decoded from RFC 2047, each part's payload decoded
from its transfer encoding), so the tests check the mail with an independent MIME parser.

Control lines on stdin (one per line) change behaviour while it runs:
  refuse <n> <code>   the next n messages are refused at the end of DATA with that reply code (e.g. 451 or 550)
  refuse-rcpt <n> <code>   the next n recipients are refused at RCPT TO
  stall <n>           the next n messages never get a reply to their data (the client must time out)
Each control line is answered with `OK` on stdout once applied. The server exits when stdin closes, so it never
outlives the test that started it.
"""

import argparse
import asyncio
import base64
import email
import email.policy
import email.utils
import json
import os
import ssl
import sys
import threading

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, directory, parse=True, helo_only=False):
        self.directory = directory
        self.parse = parse
        self.helo_only = helo_only
        self.count = 0
        self.refusals = []        # reply codes for the next messages at DATA
        self.rcpt_refusals = []   # reply codes for the next recipients
        self.stalls = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        if self.helo_only:
            # An old server: the client must fall back to HELO.
            return ["502 5.5.2 Error: command not recognized"]
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_refusals:
            code = self.rcpt_refusals.pop(0)
            return f"{code} {'Mailbox unavailable' if code >= 500 else 'Try again later'}"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.stalls > 0:
            self.stalls -= 1
            await asyncio.sleep(3600)
        if self.refusals:
            code = self.refusals.pop(0)
            return f"{code} {'Message refused' if code >= 500 else 'Try again later'}"
        self.count += 1
        name = os.path.join(self.directory, f"{self.count:06d}")
        raw = envelope.original_content or envelope.content
        with open(name + ".eml.part", "wb") as file:
            file.write(raw)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            # STARTTLS or implicit TLS: either way the transport is encrypted.
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "auth_user": session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None,
            # The client's port tells the messages of one connection apart from those of another.
            "peer_port": session.peer[1] if session.peer else None,
            "message": describe(raw) if self.parse else None,
        }
        with open(name + ".json", "w", encoding="utf-8") as file:
            json.dump(record, file, ensure_ascii=False, indent=1)
        # The .eml appears last and whole, so a reader that sees it also sees its .json.
        os.rename(name + ".eml.part", name + ".eml")
        return "250 Message accepted"


def describe(raw):
    """The message as a mail client would read it."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    headers = {}
    for key, value in message.items():
        headers.setdefault(key.lower(), []).append(str(value))
    parts = []
    for part in message.walk():
        if part.is_multipart():
            parts.append({"content_type": part.get_content_type(), "multipart": True})
            continue
        payload = part.get_payload(decode=True) or b""
        entry = {
            "content_type": part.get_content_type(),
            "params": {key: value for key, value in part.get_params()[1:]},
            "transfer_encoding": part.get("Content-Transfer-Encoding"),
            "filename": part.get_filename(),
            "disposition": part.get_content_disposition(),
            "base64": base64.b64encode(payload).decode(),
        }
        if part.get_content_maintype() == "text":
            entry["text"] = payload.decode(part.get_content_charset() or "ascii")
        parts.append(entry)
    date = message.get("Date")
    return {
        "headers": headers,
        "defects": [str(defect) for defect in message.defects],
        "date_epoch": email.utils.parsedate_to_datetime(str(date)).timestamp() if date else None,
        "from_address": [list(pair) for pair in email.utils.getaddresses([str(message.get("From", ""))])],
        "to_address": [list(pair) for pair in email.utils.getaddresses([str(message.get("To", ""))])],
        "parts": parts,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", required=True, help="where received messages are stored")
    parser.add_argument("--port", type=int, default=0, help="0 (default) picks a free port")
    parser.add_argument("--tls-cert", help="PEM certificate: offer STARTTLS and require it before MAIL")
    parser.add_argument("--tls-key", help="PEM private key for --tls-cert")
    parser.add_argument("--implicit-tls", action="store_true", help="speak TLS from the first byte (smtps)")
    parser.add_argument("--auth-user", help="require AUTH (PLAIN or LOGIN) with this user")
    parser.add_argument("--auth-password", help="the password for --auth-user")
    parser.add_argument("--auth-mechanisms", default="PLAIN,LOGIN", help="the AUTH mechanisms offered")
    parser.add_argument("--idle-timeout", type=float, default=60, help="seconds before an idle session is closed")
    parser.add_argument("--helo-only", action="store_true", help="refuse EHLO, as a pre-ESMTP server does")
    parser.add_argument("--no-parse", action="store_true",
                        help="store the envelope but do not parse the message (faster, for throughput runs)")
    arguments = parser.parse_args()

    sink = Sink(arguments.dir, parse=not arguments.no_parse, helo_only=arguments.helo_only)
    context = None
    if arguments.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(arguments.tls_cert, arguments.tls_key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login.decode() == arguments.auth_user
              and auth_data.password.decode() == arguments.auth_password)
        # handled=False: aiosmtpd itself answers a failure (535); otherwise it would answer nothing.
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    def factory():
        options = {"hostname": "sink.localhost", "enable_SMTPUTF8": True, "timeout": arguments.idle_timeout}
        if context is not None and not arguments.implicit_tls:
            options.update(tls_context=context, require_starttls=True)
        if arguments.auth_user:
            offered = {name.strip().upper() for name in arguments.auth_mechanisms.split(",")}
            options.update(authenticator=authenticator, auth_required=True,
                           auth_require_tls=context is not None,
                           auth_exclude_mechanism=[name for name in ("PLAIN", "LOGIN") if name not in offered])
        return SMTP(sink, **options)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(
        factory, host="127.0.0.1", port=arguments.port,
        ssl=context if arguments.implicit_tls else None))
    port = server.sockets[0].getsockname()[1]
    print(f"READY {port}", flush=True)

    def apply(line):
        words = line.split()
        if not words:
            return
        if words[0] == "refuse":
            sink.refusals.extend([int(words[2])] * int(words[1]))
        elif words[0] == "refuse-rcpt":
            sink.rcpt_refusals.extend([int(words[2])] * int(words[1]))
        elif words[0] == "stall":
            sink.stalls += int(words[1])
        else:
            print(f"ERROR unknown control line: {line}", flush=True)
            return
        print("OK", flush=True)

    def read_stdin():
        for line in sys.stdin:
            loop.call_soon_threadsafe(apply, line.strip())
        loop.call_soon_threadsafe(loop.stop)

    threading.Thread(target=read_stdin, daemon=True).start()
    loop.run_forever()
    server.close()


if __name__ == "__main__":
    main()
