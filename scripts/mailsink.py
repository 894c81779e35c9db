#!/usr/bin/env python3
"""A local SMTP server that keeps every message it accepts as a file: the mailbox of the demo
stack (make run) and of the tests. Listens on 127.0.0.1 only.

    mailsink.py --port PORT --dir FOLDER

Each accepted message becomes FOLDER/<n>.eml (written to a temporary name, then renamed, so a
reader never sees half a message). Recipients whose local part starts with "refuse" are
refused (550); one starting with "drop" makes the server close the connection without a word;
"tempfail" gets 451 - so tests can drive the notifier's failure paths.
"""
import argparse
import os
import signal
import socketserver
import sys
import threading

MAX_MESSAGE = 10 * 1024 * 1024


class Handler(socketserver.StreamRequestHandler):
    # A client silent this long is told so and dropped (RFC 5321 4.5.3.2 allows minutes; a
    # mailbox for tests and the demo need not wait that long). Clients that keep a connection
    # for reuse (libcurl does) meet this often: it is an ordinary end, not an error.
    timeout = 30

    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        try:
            self.session()
        except TimeoutError:
            try:
                self.reply("421 4.4.2 mailsink closing an idle connection")
            except OSError:
                pass
        except (ConnectionError, BrokenPipeError):
            pass

    def session(self):
        self.reply("220 mailsink ESMTP ready")
        sender, rcpts = None, []
        while True:
            line = self.rfile.readline(4096)
            if not line:
                return
            cmd = line.decode("utf-8", "replace").strip()
            verb = cmd.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.wfile.write(b"250-mailsink\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n"
                                 b"250 SIZE %d\r\n" % MAX_MESSAGE)
                self.wfile.flush()
            elif verb == "MAIL":
                sender, rcpts = cmd[10:].strip(), []
                self.reply("250 OK")
            elif verb == "RCPT":
                addr = cmd[8:].strip().strip("<>")
                local = addr.split("@", 1)[0].lower()
                if local.startswith("drop"):
                    return
                if local.startswith("refuse"):
                    self.reply("550 5.1.1 mailbox unavailable")
                elif local.startswith("tempfail"):
                    self.reply("451 4.3.0 try again later")
                else:
                    rcpts.append(addr)
                    self.reply("250 OK")
            elif verb == "DATA":
                if not rcpts:
                    self.reply("503 5.5.1 no valid recipients")
                    continue
                self.reply("354 end with <CRLF>.<CRLF>")
                data, size = [], 0
                while True:
                    chunk = self.rfile.readline(65536)
                    if not chunk:
                        return
                    if chunk in (b".\r\n", b".\n"):
                        break
                    if chunk.startswith(b".."):
                        chunk = chunk[1:]
                    size += len(chunk)
                    if size <= MAX_MESSAGE:
                        data.append(chunk)
                if size > MAX_MESSAGE:
                    self.reply("552 5.3.4 message too big")
                    continue
                self.server.store(sender, rcpts, b"".join(data))
                self.reply("250 OK queued")
            elif verb == "RSET":
                sender, rcpts = None, []
                self.reply("250 OK")
            elif verb == "NOOP":
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 5.5.2 command not implemented")


class Sink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port, folder):
        super().__init__(("127.0.0.1", port), Handler)
        self.folder = folder
        self.lock = threading.Lock()
        self.count = len([n for n in os.listdir(folder) if n.endswith(".eml")])

    def store(self, sender, rcpts, body):
        with self.lock:
            self.count += 1
            n = self.count
        tmp = os.path.join(self.folder, f".{n}.tmp")
        with open(tmp, "wb") as f:
            f.write(b"X-Sink-From: " + sender.encode() + b"\r\n")
            f.write(b"X-Sink-To: " + ", ".join(rcpts).encode() + b"\r\n")
            f.write(body)
        os.rename(tmp, os.path.join(self.folder, f"{n}.eml"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--dir", required=True)
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    srv = Sink(args.port, args.dir)
    # SIGTERM (stack.sh stop) and SIGINT end the server quietly, without a traceback.
    def stop(signum, _frame):
        print(f"mailsink stopping (signal {signum})", flush=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"mailsink listening on 127.0.0.1:{args.port}, messages in {args.dir}", flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
