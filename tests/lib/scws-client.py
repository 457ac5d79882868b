#!/usr/bin/env python3
"""Test client for the netns tests: connects to SCWS ports and reports
exactly what the socket saw (connected, refused, reset, timeout)."""
import argparse
import errno
import signal
import socket
import sys
import time


def family_of(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def connect(host, port, timeout):
    s = socket.socket(family_of(host), socket.SOCK_STREAM)
    s.settimeout(timeout)
    t0 = time.monotonic()
    try:
        s.connect((host, port))
        return s, "connected", time.monotonic() - t0
    except ConnectionRefusedError:
        return None, "refused", time.monotonic() - t0
    except socket.timeout:
        return None, "timeout", time.monotonic() - t0
    except OSError as e:
        return None, "error:" + errno.errorcode.get(e.errno, str(e.errno)), time.monotonic() - t0


def read_state(s, timeout):
    """What happens next on a connected socket: data, eof, reset, open."""
    s.settimeout(timeout)
    try:
        data = s.recv(65536)
        return "data:" + data.decode(errors="replace") if data else "eof"
    except ConnectionResetError:
        return "reset"
    except (socket.timeout, BlockingIOError):
        return "open"


def cmd_connect(a):
    s, result, dt = connect(a.host, a.port, a.timeout)
    out = result
    if s and a.send is not None:
        s.sendall(a.send.encode())
        got = b""
        s.settimeout(a.timeout)
        try:
            while len(got) < len(a.send.encode()):
                chunk = s.recv(65536)
                if not chunk:
                    break
                got += chunk
            out = "echo:" + got.decode(errors="replace")
        except ConnectionResetError:
            out = "reset"
        except socket.timeout:
            out = "timeout"
    elif s and a.read:
        if a.ms:
            print("connected_at_ms=%d" % (time.time() * 1000), flush=True)
        out = read_state(s, a.timeout)
        if a.ms:
            out += "\nended_at_ms=%d" % (time.time() * 1000)
    print(out)
    if a.ms:
        print("ms=%d" % (dt * 1000))
    return 0


def cmd_hold(a):
    """Open N connections, report, then on SIGTERM/stdin EOF report how
    each one ended."""
    socks, results = [], {}
    for _ in range(a.count):
        s, result, _ = connect(a.host, a.port, a.timeout)
        results[result] = results.get(result, 0) + 1
        if s:
            socks.append(s)
    print("held " + " ".join("%s=%d" % kv for kv in sorted(results.items())), flush=True)
    signal.signal(signal.SIGTERM, lambda *_: None)
    sys.stdin.read() if not a.wait else time.sleep(a.wait)
    states = {}
    time.sleep(0.3)  # let resets in flight arrive, then look without waiting
    for s in socks:
        st = read_state(s, 0)
        st = st.split(":")[0]
        states[st] = states.get(st, 0) + 1
    print("ended " + " ".join("%s=%d" % kv for kv in sorted(states.items())), flush=True)
    return 0


def cmd_stream(a):
    """Echo round trips for a.seconds on one connection: proves an
    established connection survives what happens meanwhile."""
    s, result, _ = connect(a.host, a.port, a.timeout)
    if not s:
        print(result)
        return 1
    print("streaming", flush=True)
    s.settimeout(a.timeout)
    end, n = time.monotonic() + a.seconds, 0
    try:
        while time.monotonic() < end:
            msg = b"ping %d\n" % n
            s.sendall(msg)
            got = b""
            while len(got) < len(msg):
                chunk = s.recv(len(msg) - len(got))
                if not chunk:
                    raise ConnectionError("eof")
                got += chunk
            if got != msg:
                raise ConnectionError("garbled")
            n += 1
            time.sleep(0.05)
    except (OSError, ConnectionError) as e:
        print("stream broken after %d: %s" % (n, e))
        return 1
    print("stream ok %d" % n)
    return 0


def cmd_rate(a):
    """a.count connects back to back (each closed at once): connects/s."""
    counts = {}
    t0 = time.monotonic()
    for _ in range(a.count):
        s, result, _ = connect(a.host, a.port, a.timeout)
        counts[result] = counts.get(result, 0) + 1
        if s:
            s.close()
    dt = time.monotonic() - t0
    print("rate %s secs=%.3f per_s=%.1f" % (
        " ".join("%s=%d" % kv for kv in sorted(counts.items())), dt, a.count / dt))
    return 0


def cmd_slowget(a):
    """GET a.path with a tiny receive buffer, reading slowly: keeps a
    transfer in flight through the whole chain; prints the bytes received
    until the connection ended."""
    s = socket.socket(family_of(a.host), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.settimeout(a.timeout)
    s.connect((a.host, a.port))
    s.sendall(b"GET %s HTTP/1.0\r\n\r\n" % a.path.encode())
    total = 0
    try:
        while True:
            chunk = s.recv(1024)
            if not chunk:
                break
            total += len(chunk)
            time.sleep(0.01)
    except (ConnectionResetError, socket.timeout):
        pass
    print("received %d" % total)
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("connect")
    c.add_argument("host")
    c.add_argument("port", type=int)
    c.add_argument("--send")
    c.add_argument("--read", action="store_true", help="report what comes next")
    c.add_argument("--timeout", type=float, default=3)
    c.add_argument("--ms", action="store_true", help="print connect time")
    c.set_defaults(fn=cmd_connect)
    h = sub.add_parser("hold")
    h.add_argument("count", type=int)
    h.add_argument("host")
    h.add_argument("port", type=int)
    h.add_argument("--timeout", type=float, default=3)
    h.add_argument("--wait", type=float, help="seconds to hold instead of until stdin EOF")
    h.set_defaults(fn=cmd_hold)
    st = sub.add_parser("stream")
    st.add_argument("host")
    st.add_argument("port", type=int)
    st.add_argument("seconds", type=float)
    st.add_argument("--timeout", type=float, default=3)
    st.set_defaults(fn=cmd_stream)
    r = sub.add_parser("rate")
    r.add_argument("count", type=int)
    r.add_argument("host")
    r.add_argument("port", type=int)
    r.add_argument("--timeout", type=float, default=3)
    r.set_defaults(fn=cmd_rate)
    sg = sub.add_parser("slowget")
    sg.add_argument("host")
    sg.add_argument("port", type=int)
    sg.add_argument("path")
    sg.add_argument("--timeout", type=float, default=30)
    sg.set_defaults(fn=cmd_slowget)
    a = p.parse_args()
    return a.fn(a)


if __name__ == "__main__":
    sys.exit(main())
