#!/usr/bin/python3
"""@file html_check.py
@brief Loads an HTML report in headless Chromium (Debian's `chromium`),
       driven over the DevTools protocol on a pipe, and checks it the way a
       reader would meet it.

Usage: html_check.py FILE [--screenshot PNG] [--text STRING]... [--size WxH]
Prints `ok - ...` / `FAIL - ...` lines; exits 0 when it ran (the caller
counts FAIL lines), 3 when Chromium is not installed (the caller decides
whether that may be skipped), 2 on a usage error.

Checks:
- the page loads (load event) within the time limit;
- no console error, uncaught exception or log error (a Content-Security-
  Policy violation shows up as one);
- no network request besides the file itself (no external assets);
- the DOM holds no script, no element outside the report's own tag set and
  no on* event-handler attribute: input text never became markup;
- every --text STRING appears literally in the rendered text (markup in
  names is shown as text), and no b/i/u element holds just "x", "1" or
  "tags" (what the markup fixture's names would produce if parsed);
- the screenshot is not blank: many distinct colours, and a good share of
  pixels differ from the background. --screenshot saves it.
"""
import base64
import fcntl
import json
import os
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

LIMIT = 25.0  # seconds for the whole run
ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p",
                "nav", "a", "main", "section", "div", "b", "span", "details", "summary", "table",
                "thead", "tbody", "tr", "th", "td", "ul", "li", "code", "footer", "br"}
results = []


def check(cond, what, detail=""):
    results.append((bool(cond), what, detail))
    return bool(cond)


class Browser:
    """Chromium with --remote-debugging-pipe: we write NUL-terminated JSON
    to its fd 3 and read replies and events from its fd 4."""

    def __init__(self, exe, profile):
        to_r, self.to_w = os.pipe()
        self.from_r, from_w = os.pipe()

        def wire():
            # Move both ends above 4 first (either may sit on 3 or 4), then
            # onto 3 and 4: dup2 to another number clears close-on-exec.
            a = fcntl.fcntl(to_r, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(from_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)
            os.close(a)
            os.close(b)

        args = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                "--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--disable-background-networking", "--disable-sync",
                "--disable-component-update", "--disable-dev-shm-usage", "--mute-audio",
                "--hide-scrollbars", "about:blank"]
        self.log = open(os.path.join(profile, "chromium.log"), "wb")
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=self.log, preexec_fn=wire, close_fds=False)
        os.close(to_r)
        os.close(from_w)
        self.buf = b""
        self.next_id = 0
        self.events = []
        self.deadline = time.monotonic() + LIMIT

    def _read_message(self, until):
        while b"\0" not in self.buf:
            left = until - time.monotonic()
            if left <= 0:
                raise TimeoutError("no reply from chromium in time")
            ready, _, _ = select.select([self.from_r], [], [], left)
            if ready:
                chunk = os.read(self.from_r, 1 << 20)
                if not chunk:
                    raise EOFError("chromium closed the pipe")
                self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_w, json.dumps(msg).encode() + b"\0")
        want = self.next_id
        while True:
            m = self._read_message(self.deadline)
            if m.get("id") == want:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method, seconds):
        until = min(self.deadline, time.monotonic() + seconds)
        while True:
            for i, e in enumerate(self.events):
                if e.get("method") == method:
                    return self.events.pop(i)
            self.events.append(self._read_message(until))

    def pump(self, seconds):
        until = min(self.deadline, time.monotonic() + seconds)
        try:
            while True:
                self.events.append(self._read_message(until))
        except TimeoutError:
            pass

    def close(self):
        try:
            self.send("Browser.close")
        except Exception:  # noqa: BLE001 - it may already be gone
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.to_w)
        os.close(self.from_r)
        self.log.close()


def png_pixels(data):
    """Decode an 8-bit, non-interlaced RGB or RGBA PNG into (w, h, rows)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype in (2, 6) and interlace == 0, "unsupported PNG"
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


DOM_PROBE = r"""
(() => {
  const all = [...document.querySelectorAll('*')];
  const tags = [...new Set(all.map(e => e.localName))].sort();
  const handlers = all.filter(e => [...e.attributes].some(a => /^on/i.test(a.name))).length;
  const parsed = [...document.querySelectorAll('b,i,u')]
      .filter(e => ['x', '1', 'tags'].includes(e.textContent.trim())).length;
  return JSON.stringify({scripts: document.scripts.length, tags, handlers, parsed,
                         text: document.body ? document.body.innerText : '',
                         height: document.documentElement.scrollHeight});
})()
"""


def main(argv):
    path, shot, texts, width, height = None, None, [], 1280, 2000
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--screenshot", "--text", "--size") and i + 1 < len(argv):
            if a == "--screenshot":
                shot = argv[i + 1]
            elif a == "--text":
                texts.append(argv[i + 1])
            else:
                width, height = (int(v) for v in argv[i + 1].split("x"))
            i += 2
        elif path is None and not a.startswith("--"):
            path = a
            i += 1
        else:
            print("usage: html_check.py FILE [--screenshot PNG] [--text S]... [--size WxH]",
                  file=sys.stderr)
            return 2
    if path is None:
        print("usage: html_check.py FILE [--screenshot PNG] [--text S]... [--size WxH]",
              file=sys.stderr)
        return 2
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        print("# chromium is not installed")
        return 3
    url = "file://" + os.path.abspath(path)
    name = os.path.basename(path)
    profile = tempfile.mkdtemp(prefix="bs-chromium.")
    b = Browser(exe, profile)
    try:
        targets = b.send("Target.getTargets")["targetInfos"]
        pages = [t for t in targets if t["type"] == "page"]
        tid = pages[0]["targetId"] if pages else \
            b.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        s = b.send("Target.attachToTarget", {"targetId": tid, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            b.send(domain + ".enable", session=s)
        b.send("Emulation.setDeviceMetricsOverride",
               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
               session=s)
        b.events.clear()
        b.send("Page.navigate", {"url": url}, session=s)
        loaded = b.wait_event("Page.loadEventFired", LIMIT)
        check(loaded, "%s: loads in headless Chromium" % name)
        b.pump(0.3)  # late console messages, if any
        errors = []
        requests = []
        for e in b.events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.exceptionThrown":
                errors.append(p.get("exceptionDetails", {}).get("text", "exception"))
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                errors.append(" ".join(str(a.get("value", a.get("description", "")))
                                       for a in p.get("args", [])))
            elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                errors.append(p["entry"].get("text", ""))
            elif m == "Network.requestWillBeSent":
                requests.append(p.get("request", {}).get("url", ""))
        check(not errors, "%s: no console errors" % name, "; ".join(errors[:3]))
        check(requests and all(r == url for r in requests),
              "%s: no network requests besides the file itself" % name,
              "requests: %s" % requests[:5])
        probe = b.send("Runtime.evaluate", {"expression": DOM_PROBE, "returnByValue": True},
                       session=s)
        dom = json.loads(probe["result"]["value"])
        check(dom["scripts"] == 0, "%s: no script elements" % name, "%d" % dom["scripts"])
        extra = sorted(set(dom["tags"]) - ALLOWED_TAGS)
        check(not extra, "%s: only the report's own elements" % name, "unexpected: %s" % extra)
        check(dom["handlers"] == 0, "%s: no event-handler attributes" % name)
        check(dom["parsed"] == 0, "%s: no b/i/u element made from input markup" % name,
              "%d found" % dom["parsed"])
        for t in texts:
            check(t in dom["text"], "%s: shows %r as text" % (name, t))
        png = base64.b64decode(b.send("Page.captureScreenshot", {"format": "png"},
                                      session=s)["data"])
        if shot:
            with open(shot, "wb") as f:
                f.write(png)
        w, h, bpp, rows = png_pixels(png)
        counts = {}
        for row in rows[::2]:
            for x in range(0, w * bpp, 2 * bpp):
                px = row[x:x + 3]
                counts[px] = counts.get(px, 0) + 1
        total = sum(counts.values())
        background = max(counts.values())
        check(len(counts) >= 16 and (total - background) >= total // 20,
              "%s: the screenshot is not blank" % name,
              "%d colours, %.1f%% off the background" % (len(counts),
                                                         100.0 * (total - background) / total))
    except Exception as e:  # noqa: BLE001 - report, do not crash the suite
        check(False, "%s: Chromium run" % name, "%s: %s" % (type(e).__name__, e))
        try:
            with open(os.path.join(profile, "chromium.log"), "rb") as f:
                tail = f.read()[-1500:].decode("utf-8", "replace")
            print("# chromium log:\n# " + tail.replace("\n", "\n# "))
        except OSError:
            pass
    finally:
        b.close()
        shutil.rmtree(profile, ignore_errors=True)
    for ok, what, detail in results:
        print(("ok - %s" % what) if ok else ("FAIL - %s%s" % (what, ": " + detail if detail else "")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
