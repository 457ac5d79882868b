#!/usr/bin/env python3
# SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
"""Many HTTP/1.1 clients at once against the gateway, every body compared
with the card's content folder byte for byte.

  http-swarm.py PORT CONTENT FILE[,FILE...] [options]

  --n N          clients (default 100), all connected first, then all ask
  --slow K       the first K clients read slowly (1 KiB per 10 ms, 4 KiB
                 receive buffer): the card's answer backs up to the pump
  --slow-file F  what the slow ones fetch (default: the same files)
  --tls          HTTPS (the card's certificate is not checked)
  --sequential   one client after the other (the comparison)
  --hold S       keep-alive: each client asks once, stays connected and
                 idle S seconds, then asks again on the same connection
  --ready FILE   with --hold: FILE is created once every client has its
                 first answer (all idle on their connections)
  --timeout T    per client (default 120 s)

Prints one JSON line: ok, resets, bad (wrong status or body), errors,
total seconds, slowest client seconds; exit 0 when every client is ok.
"""
import json
import os
import socket
import ssl
import sys
import threading
import time


def parse_args(argv):
    a = {"n": 100, "slow": 0, "slow_file": None, "tls": False,
         "sequential": False, "hold": 0.0, "timeout": 120.0, "ready": None}
    pos = []
    i = 0
    while i < len(argv):
        o = argv[i]
        if o in ("--n", "--slow", "--slow-file", "--hold", "--timeout",
                 "--ready"):
            v = argv[i + 1]
            i += 1
            key = o[2:].replace("-", "_")
            a[key] = v if key in ("slow_file", "ready") else (
                float(v) if key in ("hold", "timeout") else int(v))
        elif o == "--tls":
            a["tls"] = True
        elif o == "--sequential":
            a["sequential"] = True
        else:
            pos.append(o)
        i += 1
    a["port"], a["content"], files = int(pos[0]), pos[1], pos[2]
    a["files"] = files.split(",")
    return a


answered = 0
answered_lock = threading.Lock()


def first_answered(a):
    """Counts first answers; the last one creates the --ready file."""
    global answered
    with answered_lock:
        answered += 1
        if answered == a["n"] and a["ready"]:
            open(a["ready"], "w").close()


class Client:
    def __init__(self, a, i):
        self.a, self.i = a, i
        self.slow = i < a["slow"]
        f = a["slow_file"] if self.slow and a["slow_file"] else \
            a["files"][i % len(a["files"])]
        self.path = f
        with open(os.path.join(a["content"], f.lstrip("/")), "rb") as fh:
            self.want = fh.read()
        self.result = "error"
        self.detail = ""
        self.secs = 0.0
        self.sock = None

    def connect(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if self.slow:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.settimeout(self.a["timeout"])
        s.connect(("127.0.0.1", self.a["port"]))
        if self.a["tls"]:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            s = ctx.wrap_socket(s, do_handshake_on_connect=False)
        self.sock = s

    def recv(self, n):
        if self.slow:
            time.sleep(0.01)
            n = min(n, 1024)
        return self.sock.recv(n)

    def exchange(self, close):
        req = ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n" %
               (self.path, "Connection: close\r\n" if close else ""))
        self.sock.sendall(req.encode())
        buf = b""
        while b"\r\n\r\n" not in buf:
            d = self.recv(65536)
            if not d:
                raise EOFError("closed before the header")
            buf += d
        head, _, body = buf.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        if not lines[0].startswith("HTTP/1.1 200"):
            raise ValueError(lines[0])
        length = None
        for l in lines[1:]:
            k, _, v = l.partition(":")
            if k.strip().lower() == "content-length":
                length = int(v.strip())
        if length is None:
            raise ValueError("no Content-Length")
        while len(body) < length:
            d = self.recv(65536)
            if not d:
                raise EOFError("closed in the body")
            body += d
        if body != self.want:
            raise ValueError("body differs (%d bytes, want %d)" %
                             (len(body), len(self.want)))

    def run(self, barrier=None):
        err = None
        try:
            self.connect()
        except Exception as e:
            err = e
        if barrier:
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                pass
        t0 = time.monotonic()
        try:
            if err:
                raise err
            if self.a["tls"]:
                self.sock.do_handshake()
            hold = self.a["hold"]
            self.exchange(close=not hold)
            if hold:
                first_answered(self.a)
                time.sleep(hold)
                self.exchange(close=True)
            self.result = "ok"
        except (ConnectionResetError, BrokenPipeError) as e:
            self.result, self.detail = "reset", str(e)
        except (ValueError, EOFError) as e:
            self.result, self.detail = "bad", str(e)
        except Exception as e:  # timeouts, TLS errors
            self.result, self.detail = "error", "%s: %s" % (type(e).__name__, e)
        finally:
            self.secs = time.monotonic() - t0
            if self.sock:
                self.sock.close()


def main():
    a = parse_args(sys.argv[1:])
    clients = [Client(a, i) for i in range(a["n"])]
    t0 = time.monotonic()
    if a["sequential"]:
        for c in clients:
            c.run()
    else:
        # every client connected first, then all ask at once
        barrier = threading.Barrier(a["n"] + 1)
        threads = [threading.Thread(target=c.run, args=(barrier,))
                   for c in clients]
        for t in threads:
            t.start()
        barrier.wait()
        t0 = time.monotonic()
        for t in threads:
            t.join()
    total = time.monotonic() - t0
    out = {r: sum(1 for c in clients if c.result == r)
           for r in ("ok", "reset", "bad", "error")}
    out["total_s"] = round(total, 3)
    out["slowest_s"] = round(max(c.secs for c in clients), 3)
    out["problems"] = ["%d %s: %s" % (c.i, c.result, c.detail)
                       for c in clients if c.result != "ok"][:5]
    print(json.dumps(out))
    return 0 if out["ok"] == a["n"] else 1


if __name__ == "__main__":
    sys.exit(main())
