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
import http.client
import re
import secrets

CSRF_RE = re.compile(rb'name="csrf" value="([^"]*)"')
RECEIPT_RE = re.compile(rb'class="receipt"[^>]*>([^<]*)<')
MSGS_RE = re.compile(rb"<dt>Messages you added</dt><dd>(\d+)</dd>")
COOKIE_RE = re.compile(r"candour_s=([0-9a-f]{64})")

SERVER_GONE = (ConnectionError, TimeoutError, OSError, http.client.HTTPException)


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
        """(status, headers dict lower-cased, body) or raises SERVER_GONE."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            h = {"Connection": "close"}
            if ctype:
                h["Content-Type"] = ctype
            if self.cookie:
                h["Cookie"] = "candour_s=" + self.cookie
            c.request(method, path, body=body, headers=h)
            r = c.getresponse()
            data = r.read()
            hdrs = {k.lower(): v for k, v in r.getheaders()}
            m = COOKIE_RE.search(hdrs.get("set-cookie", ""))
            if m:
                self.cookie = m.group(1)
            elif "candour_s=;" in hdrs.get("set-cookie", ""):
                self.cookie = None
            return r.status, hdrs, data
        finally:
            c.close()

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
