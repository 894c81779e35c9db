"""A feed server for the poller tests that misbehaves on purpose: it stalls, sends too much
(plain, chunked, gzip-bombed), lies about its length, loops redirects, points them inside the
network (plainly or with the host disguised), answers 4xx/5xx with and without Retry-After, and
serves broken documents; and whatever a test puts in files (dated files, archives, feed pages
with the type in types), recording the order of every request. It listens on 127.0.0.1 (or the
host given) on a free port, in a thread of the test process, and stops with stop()."""
import email.utils
import gzip
import http.server
import sys
import threading
import time
import zlib


class QuietServer(http.server.ThreadingHTTPServer):
    """A client that hangs up mid-request (a worker killed on purpose, a timeout that gave up)
    is an ordinary event in these tests, not an error to print with a traceback. Its listen
    backlog holds a burst of connections (socketserver's default, 5, drops the SYNs of a
    notifier's or poller's many parallel requests, which then time out connecting)."""
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)

RSS = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
       '<title>T</title><link>http://feeds.test/{name}</link>{items}</channel></rss>')
ITEM = '<item><title>{title}</title><guid>{guid}</guid><pubDate>{date}</pubDate></item>'


def rss(name, n, date=None, prefix="item"):
    date = date or "Thu, 01 Jan 2026 10:00:00 GMT"
    items = "".join(ITEM.format(title=f"{prefix} {i}", guid=f"{name}-{i}", date=date)
                    for i in range(n))
    return RSS.format(name=name, items=items).encode()


class Server:
    def __init__(self, host="127.0.0.1"):
        self.host = host
        self.hits = {}
        self.order = []      # paths in the order they were asked for
        self.files = {}      # path -> bytes served 200 as they are (dated files, archives)
        self.types = {}      # path -> the Content-Type of a file (application/zip unless here)
        self.headers = {}
        self.release = threading.Event()
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                path = self.path.split("?")[0]
                with outer.lock:
                    outer.hits[path] = outer.hits.get(path, 0) + 1
                    outer.order.append(path)
                    outer.headers.setdefault(path, []).append(dict(self.headers))
                    n = outer.hits[path]
                try:
                    outer.route(self, path, n)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = QuietServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://{self.host}:{self.port}{path}"

    def stop(self):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def count(self, path):
        with self.lock:
            return self.hits.get(path, 0)

    @staticmethod
    def send(h, code, body=b"", ctype="application/rss+xml", extra=None):
        h.send_response(code)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)

    def route(self, h, path, n):
        send = self.send
        with self.lock:
            body = self.files.get(path)
            ctype = self.types.get(path, "application/zip")
        if body is not None:
            send(h, 200, body, ctype=ctype)
        elif path == "/ok":
            body = rss("ok", 3)
            if h.headers.get("If-None-Match") == '"v1"':
                h.send_response(304)
                h.send_header("ETag", '"v1"')
                h.send_header("Content-Length", "0")
                h.end_headers()
                return
            send(h, 200, body, extra={"ETag": '"v1"'})
        elif path == "/redated":
            # The same items, newly dated on every request.
            date = email.utils.formatdate(1767261600 + n * 3600, usegmt=True)
            send(h, 200, rss("redated", 4, date=date))
        elif path == "/stall":
            h.send_response(200)
            h.send_header("Content-Type", "application/rss+xml")
            h.send_header("Content-Length", "100000")
            h.end_headers()
            h.wfile.write(b"<rss><channel>")
            h.wfile.flush()
            self.release.wait(20)
        elif path == "/slow":
            # Answers only when the test says so (a poll in progress).
            self.release.wait(20)
            send(h, 200, rss("slow", 5))
        elif path == "/big-plain":
            body = b"<rss><channel>" + b"x" * (600 * 1024) + b"</channel></rss>"
            send(h, 200, body)
        elif path == "/big-chunked":
            h.send_response(200)
            h.send_header("Content-Type", "application/rss+xml")
            h.send_header("Transfer-Encoding", "chunked")
            h.end_headers()
            chunk = b"y" * 65536
            for _ in range(16):
                h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            h.wfile.write(b"0\r\n\r\n")
        elif path == "/gzip-bomb":
            raw = b"<rss><channel>" + b"\0" * (64 * 1024 * 1024)
            body = gzip.compress(raw, compresslevel=9)
            send(h, 200, body, extra={"Content-Encoding": "gzip"})
        elif path == "/lying-length":
            h.send_response(200)
            h.send_header("Content-Type", "application/rss+xml")
            h.send_header("Content-Length", "5000")
            h.send_header("Connection", "close")
            h.end_headers()
            h.wfile.write(rss("lie", 1)[:200])
            h.wfile.flush()
            h.close_connection = True
        elif path == "/loop":
            send(h, 302, extra={"Location": "/loop"})
        elif path.startswith("/to-private"):
            send(h, 302, extra={"Location": "http://10.255.255.1/feed"})
        elif path == "/to-loopback":
            send(h, 302, extra={"Location": f"http://127.0.0.2:{self.port}/ok"})
        elif path == "/to-localhost-dot":
            send(h, 302, extra={"Location": f"http://LOCALHOST.:{self.port}/ssrf-target"})
        elif path == "/to-percent-encoded":
            send(h, 302, extra={"Location": f"http://%31%32%37.0.0.1:{self.port}/ssrf-target"})
        elif path == "/to-percent-encoded-no-scheme":
            send(h, 302, extra={"Location": f"//%31%32%37.0.0.1:{self.port}/ssrf-target"})
        elif path == "/to-6to4":
            send(h, 302, extra={"Location": f"http://[2002:7f00:1::]:{self.port}/ssrf-target"})
        elif path == "/to-decimal-ip":
            send(h, 302, extra={"Location": f"http://2130706433:{self.port}/ssrf-target"})
        elif path == "/to-ftp":
            send(h, 302, extra={"Location": "ftp://127.0.0.1/feed.xml"})
        elif path == "/moved":
            send(h, 301, extra={"Location": "/ok"})
        elif path == "/moved-308":
            send(h, 308, extra={"Location": f"http://127.0.0.1:{self.port}/ok"})
        elif path == "/temp":
            send(h, 302, extra={"Location": "/ok"})
        elif path == "/e500":
            send(h, 500, b"oops", ctype="text/plain")
        elif path == "/e404":
            send(h, 404, b"no", ctype="text/plain")
        elif path == "/gone":
            send(h, 410, b"gone", ctype="text/plain")
        elif path == "/e429":
            send(h, 429, b"slow down", ctype="text/plain", extra={"Retry-After": "120"})
        elif path == "/e429-bare":
            send(h, 429, b"slow down", ctype="text/plain")
        elif path == "/e503-date":
            when = email.utils.formatdate(time.time() + 300, usegmt=True)
            send(h, 503, b"later", ctype="text/plain", extra={"Retry-After": when})
        elif path == "/broken":
            send(h, 200, rss("broken", 3)[:-60])
        elif path == "/garbage":
            send(h, 200, b"\x00\x01 this is not a feed", ctype="text/plain")
        elif path == "/cp1251":
            body = ('<rss><channel><link>http://feeds.test/cp1251</link><item>'
                    '<title>Цитата</title><guid>c1</guid></item></channel></rss>').encode("cp1251")
            send(h, 200, body, ctype="application/rss+xml; charset=windows-1251")
        elif path == "/deflate":
            body = zlib.compress(rss("deflate", 2))
            send(h, 200, body, extra={"Content-Encoding": "deflate"})
        else:
            send(h, 404, b"unknown test path", ctype="text/plain")
