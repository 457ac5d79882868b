#!/usr/bin/env python3
"""Attacker's tools for the netns tests (test tooling): segments to an SCWS
port that no TCP socket sent, and a TCP Fast Open socket handed to another
program.  Prints "sent" or "error:ERRNO" for the forged segments."""
import errno
import os
import socket
import struct
import sys


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def tcp_syn(sport, dport, pseudo):
    hdr = struct.pack("!HHIIBBHHH", sport, dport, 1, 0, 5 << 4, 0x02, 65535, 0, 0)
    c = csum(pseudo + hdr)
    return hdr[:16] + struct.pack("!H", c) + hdr[18:]


def send(sock, pkt, addr):
    try:
        sock.sendto(pkt, addr)
        return "sent"
    except OSError as e:
        return "error:" + errno.errorcode.get(e.errno, str(e.errno))


def syn4(port, fragment):
    """A SYN from a raw socket; split in two IPv4 fragments if asked."""
    src = dst = socket.inet_aton("127.0.0.1")
    tcp = tcp_syn(40000, port, src + dst + struct.pack("!BBH", 0, 6, 20))
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    if not fragment:
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40, 1, 0, 64, 6, 0, src, dst)
        return send(s, ip + tcp, ("127.0.0.1", 0))
    first = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28, 7, 0x2000, 64, 6, 0, src, dst)
    rest = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 32, 7, 1, 64, 6, 0, src, dst)
    out = send(s, first + tcp[:8], ("127.0.0.1", 0))
    return out if out != "sent" else send(s, rest + tcp[8:], ("127.0.0.1", 0))


def syn6_exthdr(port):
    """A SYN behind a Destination Options header holding a PadN option."""
    lo = socket.inet_pton(socket.AF_INET6, "::1")
    tcp = tcp_syn(40001, port, lo + lo + struct.pack("!I3xB", 20, 6))
    dopt = struct.pack("!BBBB4x", 6, 0, 1, 4)
    ip6 = struct.pack("!IHBB16s16s", 6 << 28, len(dopt) + len(tcp), 60, 64, lo, lo)
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
    return send(s, ip6 + dopt + tcp, ("::1", 0))


def tfo_handoff(port, prog):
    """connect() with TCP_FASTOPEN_CONNECT (no SYN yet), then exec @prog
    with the socket as its stdout: its first write sends the SYN."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.IPPROTO_TCP, 30, 1)    # TCP_FASTOPEN_CONNECT
    s.setsockopt(socket.IPPROTO_TCP, 34, 1)    # TCP_FASTOPEN_NO_COOKIE
    s.connect(("127.0.0.1", port))
    os.dup2(s.fileno(), 1)
    os.execv(prog[0], prog)


def main():
    cmd, port = sys.argv[1], int(sys.argv[2])
    if cmd == "syn4":
        print(syn4(port, False))
    elif cmd == "frag4":
        print(syn4(port, True))
    elif cmd == "exthdr6":
        print(syn6_exthdr(port))
    elif cmd == "tfo-exec":
        tfo_handoff(port, sys.argv[3:])
    else:
        sys.exit("usage: forge.py syn4|frag4|exthdr6 PORT | tfo-exec PORT PROG...")


if __name__ == "__main__":
    main()
