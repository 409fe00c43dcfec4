#!/usr/bin/env python3
"""A throw-away SMTP server for the mail tests (aiosmtpd, Debian's python3-aiosmtpd).

Usage: smtp_sink.py PORT_FILE OUT_DIR [REJECT_DOMAIN]

Listens on 127.0.0.1 on a free port, writes the port to PORT_FILE (atomically)
once ready, and saves each message it receives as OUT_DIR/<n>.eml (raw DATA)
plus OUT_DIR/<n>.json ({"mail_from", "rcpt_tos", "to", "cc", "subject",
"text", "html"} decoded with Python's email parser, so the tests check what a
real MIME reader sees). Recipients in REJECT_DOMAIN get "550 no such user".
Runs until killed. GH_SMTP_SINK_PORT=N listens on port N instead (a sink
stopped and started again by a test keeps its address); a sink started on an
OUT_DIR that already holds messages numbers the new ones after them.
"""
import asyncio
import email
import email.policy
import json
import os
import socket
import sys
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out_dir, reject_domain):
        self.out_dir = out_dir
        self.reject_domain = reject_domain
        # Numbered after what an earlier sink on this folder saved.
        self.n = max([int(f[:-5]) for f in os.listdir(out_dir) if f.endswith(".json") and f[:-5].isdigit()],
                     default=0)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject_domain and address.lower().endswith("@" + self.reject_domain):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        base = os.path.join(self.out_dir, "%d" % self.n)
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        text = msg.get_body(preferencelist=("plain",))
        html = msg.get_body(preferencelist=("html",))
        info = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "to": str(msg.get("To", "")),
            "cc": str(msg.get("Cc", "")),
            "from": str(msg.get("From", "")),
            "subject": str(msg.get("Subject", "")),
            "message_id": str(msg.get("Message-ID", "")),
            "text": text.get_content() if text is not None else "",
            "html": html.get_content() if html is not None else "",
        }
        with open(base + ".eml.tmp", "wb") as f:
            f.write(raw)
        with open(base + ".json.tmp", "w", encoding="utf-8") as f:
            json.dump(info, f)
        os.rename(base + ".eml.tmp", base + ".eml")
        os.rename(base + ".json.tmp", base + ".json")
        return "250 Message accepted for delivery"


def main():
    port_file, out_dir = sys.argv[1], sys.argv[2]
    reject = sys.argv[3] if len(sys.argv) > 3 else ""
    # aiosmtpd 1.4 cannot listen on port 0 (its start-up self-check connects
    # to the configured port), so pick a free one first; retry on the rare race.
    fixed = int(os.environ.get("GH_SMTP_SINK_PORT", "0"))
    for attempt in range(20):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = fixed or s.getsockname()[1]
        controller = Controller(Sink(out_dir, reject), hostname="127.0.0.1", port=port)
        try:
            controller.start()
            break
        except Exception:
            if attempt == 19:
                raise
    with open(port_file + ".tmp", "w") as f:
        f.write(str(port))
    os.rename(port_file + ".tmp", port_file)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
