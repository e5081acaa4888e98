"""A reporter's side of the intake, for the crash and flood drivers: the
form, a submission (multipart, with attachments), receipt entry and a
follow-up message. Python standard library only, 127.0.0.1 only.

Every call returns what the reporter saw, never raises on a server's
failure: ("ok", value), ("refused", code) for an HTTP answer that is not
success, or ("none", reason) when no answer came (connection refused,
reset, timed out). The crash driver needs the difference: a concern with
no answer may or may not be stored; one refused with a 503 page was told
"no receipt was made"; one answered with a receipt must be there.
"""
import re
import secrets
import socket

CSRF_RE = re.compile(rb'name="csrf" value="([^"]*)"')
RECEIPT_RE = re.compile(rb'class="receipt"[^>]*>([^<]*)<')
MSGS_RE = re.compile(rb"<dt>Messages you added</dt><dd>(\d+)</dd>")
COOKIE_RE = re.compile(r"candour_s=([0-9a-f]{64})")

STATUS_RE = re.compile(rb"HTTP/1\.[01] (\d{3})[^\r\n]*\r\n")

SERVER_GONE = (ConnectionError, TimeoutError, OSError)


def parse_answer(raw):
    """(status, headers dict lower-cased, body) of a whole HTTP/1.x answer
    read to the close; ConnectionError when it is not whole."""
    head, sep, rest = raw.partition(b"\r\n\r\n")
    m = STATUS_RE.match(head + b"\r\n")
    if not sep or not m:
        raise ConnectionError(f"no whole HTTP answer ({len(raw)} bytes)")
    hdrs = {}
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.decode("latin-1").partition(":")
        hdrs[k.strip().lower()] = v.strip()
    if "chunked" in hdrs.get("transfer-encoding", "").lower():
        rest = unchunk(rest)
    elif "content-length" in hdrs and len(rest) != int(hdrs["content-length"]):
        raise ConnectionError(f"{len(rest)} bytes of a {hdrs['content-length']}-byte answer")
    return int(m.group(1)), hdrs, rest


def unchunk(b):
    """The body of a chunked answer; ConnectionError when cut short."""
    out, i = [], 0
    while True:
        j = b.find(b"\r\n", i)
        if j < 0:
            raise ConnectionError("a chunked answer cut short")
        n = int(b[i:j].split(b";")[0], 16)
        if n == 0:
            return b"".join(out)
        if j + 2 + n + 2 > len(b):
            raise ConnectionError("a chunked answer cut short")
        out.append(b[j + 2:j + 2 + n])
        i = j + 2 + n + 2


def multipart(fields, files):
    """(content type, body) of a multipart/form-data body: fields is a
    list of (name, str), files a list of (name, filename, bytes)."""
    b = "----candourcrash" + secrets.token_hex(12)
    out = []
    for k, v in fields:
        out.append(f'--{b}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'.encode())
        out.append(v.encode() + b"\r\n")
    for k, fn, data in files:
        out.append(
            f'--{b}\r\nContent-Disposition: form-data; name="{k}"; filename="{fn}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
        )
        out.append(data + b"\r\n")
    out.append(f"--{b}--\r\n".encode())
    return "multipart/form-data; boundary=" + b, b"".join(out)


class Reporter:
    """One reporter's browser: a cookie, one connection per request."""

    def __init__(self, port, timeout=15.0):
        self.port = port
        self.timeout = timeout
        self.cookie = None

    def request(self, method, path, body=None, ctype=None):
        """(status, headers dict lower-cased, body) or raises SERVER_GONE.
        HTTP/1.1 by hand on a socket: http.client parsed each answer's
        headers with the email package, ~0.2-0.5 ms of CPU a request, most
        of the client's cost (the crash driver makes ~10,000 a run). An
        answer cut short (no status line, fewer bytes than its
        Content-Length, chunks unfinished) raises, as http.client did."""
        h = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", "Connection: close"]
        if ctype:
            h.append("Content-Type: " + ctype)
        if body is not None:
            h.append(f"Content-Length: {len(body)}")
        if self.cookie:
            h.append("Cookie: candour_s=" + self.cookie)
        s = socket.create_connection(("127.0.0.1", self.port), timeout=self.timeout)
        try:
            s.sendall(("\r\n".join(h) + "\r\n\r\n").encode() + (body or b""))
            parts = []
            while True:
                d = s.recv(1 << 16)
                if not d:
                    break
                parts.append(d)
        finally:
            s.close()
        status, hdrs, data = parse_answer(b"".join(parts))
        m = COOKIE_RE.search(hdrs.get("set-cookie", ""))
        if m:
            self.cookie = m.group(1)
        elif "candour_s=;" in hdrs.get("set-cookie", ""):
            self.cookie = None
        return status, hdrs, data

    def csrf(self, path):
        st, _, body = self.request("GET", path)
        m = CSRF_RE.search(body)
        if st != 200 or not m:
            raise ConnectionError(f"GET {path} gave {st} without a form")
        return m.group(1).decode()

    def submit(self, what, files=()):
        """A new concern. ("ok", receipt) | ("refused", code, body) | ("none", why)"""
        try:
            tok = self.csrf("/report")
            ct, body = multipart(
                [("csrf", tok), ("category", "recording"), ("risk", "no"),
                 ("raised_before", "no"), ("what", what)],
                [("file", f"a{i}.bin", d) for i, d in enumerate(files)],
            )
            st, _, page = self.request("POST", "/report", body, ct)
        except SERVER_GONE as e:
            return ("none", type(e).__name__)
        m = RECEIPT_RE.search(page)
        if st == 200 and m:
            return ("ok", m.group(1).decode())
        return ("refused", st, page)

    def open_receipt(self, receipt):
        """Enters a receipt; ("ok", messages shown) | ("refused", code, body) | ("none", why)"""
        self.cookie = None
        try:
            tok = self.csrf("/followup")
            body = f"csrf={tok}&receipt={receipt}".encode()
            st, _, page = self.request("POST", "/followup", body,
                                       "application/x-www-form-urlencoded")
            if st != 303:
                return ("refused", st, page)
            st, _, page = self.request("GET", "/followup")
        except SERVER_GONE as e:
            return ("none", type(e).__name__)
        m = MSGS_RE.search(page)
        if st == 200 and m:
            return ("ok", int(m.group(1)))
        return ("refused", st, page)

    def message(self, text, files=()):
        """A follow-up message in the open session. ("ok", None) | ..."""
        try:
            tok = self.csrf("/followup")
            ct, body = multipart([("csrf", tok), ("text", text)],
                                 [("file", f"m{i}.bin", d) for i, d in enumerate(files)])
            st, _, page = self.request("POST", "/followup/message", body, ct)
        except SERVER_GONE as e:
            return ("none", type(e).__name__)
        if st == 200 and b"message has been received" in page:
            return ("ok", None)
        return ("refused", st, page)
