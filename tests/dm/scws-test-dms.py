#!/usr/bin/env python3
# SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
"""scws-test-dms: a DM server for the tests of scws-dmc (TEST TOOLING).

It is not a DM server product: it runs one scripted SyncML DM 1.2 session
at a time over HTTP on loopback, builds package #0 notifications, and has
fault modes for the bad-input tests.

  notify --state F --session N [--ui-mode M] [--initiator I] [--version V]
         [--wrong-secret]                 package #0 on stdout
  serve --state F --port P --script F --log F [--fault MODE]
        [--tls-cert PEM --tls-key PEM]   (HTTPS)

The state file (JSON) holds both sides' names, secrets and nonces, as the
server keeps them; nonces are updated as the session moves them.  The
script (JSON) is a list of packages, each a list of commands:
  {"cmd": "Add"|"Replace"|"Get"|"Delete"|"Exec", "target": URI,
   "format": F, "type": T, "data": D}
The log gets one JSON line per client message: its statuses and results,
and the items of its Generic Alerts (source, type, format, data).
Fault modes: bad-server-cred, no-server-cred, malformed, challenge-first,
abort (Alert 1223 in the first package), no-final (the first package
without Final, so the client has to ask for more with Alert 1222).
"""
import argparse
import base64
import hashlib
import http.server
import json
import os
import ssl
import sys
import xml.etree.ElementTree as ET

SYNCML_NS = "SYNCML:SYNCML1.2"
METINF_NS = "syncml:metinf"
CTYPE = "application/vnd.syncml.dm+xml"


def b64(b):
    return base64.b64encode(b).decode()


def md5(b):
    return hashlib.md5(b).digest()


def md5_cred(name, secret, nonce):
    """B64(H(B64(H(name:secret)):nonce)), OMA DM Security 1.2."""
    a = b64(md5(f"{name}:{secret}".encode())).encode()
    return b64(md5(a + b":" + nonce))


def notify_digest(server_id, secret, nonce, trigger):
    """H(B64(H(server-id:secret)):nonce:B64(H(trigger))), DM Notification 1.2."""
    a = b64(md5(f"{server_id}:{secret}".encode())).encode()
    return md5(a + b":" + nonce + b":" + b64(md5(trigger)).encode())


def load_state(path):
    with open(path) as f:
        return json.load(f)


def save_state(path, st):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(st, f)
    os.replace(tmp, path)


def make_notification(st, session, ui_mode=0, initiator=1, version=12,
                      wrong_secret=False, vendor=b""):
    sid = st["server_id"].encode()
    hdr = (version << 54) | (ui_mode << 52) | (initiator << 51) | \
          (session << 8) | len(sid)
    trigger = hdr.to_bytes(8, "big") + sid + vendor
    secret = st["server_secret"] + ("x" if wrong_secret else "")
    nonce = base64.b64decode(st.get("server_nonce", ""))
    return notify_digest(st["server_id"], secret, nonce, trigger) + trigger


def local(tag):
    return tag.rsplit("}", 1)[-1]


def find(el, *path):
    for p in path:
        if el is None:
            return None
        el = next((c for c in el if local(c.tag) == p), None)
    return el


def text(el, *path):
    e = find(el, *path)
    return e.text.strip() if e is not None and e.text else None


class Msg:
    """Builds the server's answer."""

    def __init__(self, sessionid, msgid, target, source):
        self.root = ET.Element(f"{{{SYNCML_NS}}}SyncML")
        hdr = self.sub(self.root, "SyncHdr")
        self.sub(hdr, "VerDTD", "1.2")
        self.sub(hdr, "VerProto", "DM/1.2")
        self.sub(hdr, "SessionID", sessionid)
        self.sub(hdr, "MsgID", str(msgid))
        self.sub(self.sub(hdr, "Target"), "LocURI", target)
        self.sub(self.sub(hdr, "Source"), "LocURI", source)
        self.hdr = hdr
        self.body = self.sub(self.root, "SyncBody")
        self.cmdid = 0

    def sub(self, parent, tag, txt=None, ns=SYNCML_NS):
        e = ET.SubElement(parent, f"{{{ns}}}{tag}")
        if txt is not None:
            e.text = txt
        return e

    def next_id(self, el):
        self.cmdid += 1
        self.sub(el, "CmdID", str(self.cmdid))

    def cred(self, data):
        c = self.sub(self.hdr, "Cred")
        m = self.sub(c, "Meta")
        self.sub(m, "Format", "b64", METINF_NS)
        self.sub(m, "Type", "syncml:auth-md5", METINF_NS)
        self.sub(c, "Data", data)

    def status(self, msgref, cmdref, cmd, code, chal=None):
        s = self.sub(self.body, "Status")
        self.next_id(s)
        self.sub(s, "MsgRef", msgref)
        self.sub(s, "CmdRef", cmdref)
        self.sub(s, "Cmd", cmd)
        if chal:
            m = self.sub(self.sub(s, "Chal"), "Meta")
            self.sub(m, "Format", "b64", METINF_NS)
            self.sub(m, "Type", "syncml:auth-md5", METINF_NS)
            self.sub(m, "NextNonce", chal, METINF_NS)
        self.sub(s, "Data", str(code))

    def command(self, c):
        e = self.sub(self.body, c["cmd"])
        self.next_id(e)
        if c["cmd"] == "Alert":
            self.sub(e, "Data", str(c["data"]))
            return
        item = self.sub(e, "Item")
        self.sub(self.sub(item, "Target"), "LocURI", c["target"])
        if "format" in c or "type" in c:
            m = self.sub(item, "Meta")
            if "format" in c:
                self.sub(m, "Format", c["format"], METINF_NS)
            if "type" in c:
                self.sub(m, "Type", c["type"], METINF_NS)
        if "data" in c:
            self.sub(item, "Data", c["data"])

    def final(self):
        self.sub(self.body, "Final")

    def bytes(self):
        return ET.tostring(self.root, encoding="utf-8", xml_declaration=True)


class Server:
    def __init__(self, args):
        self.args = args
        with open(args.script) as f:
            self.script = json.load(f)
        self.session = None

    def log(self, entry):
        with open(self.args.log, "a") as f:
            f.write(json.dumps(entry) + "\n")

    def handle(self, body):
        st = load_state(self.args.state)
        fault = self.args.fault
        root = ET.fromstring(body)
        hdr, sbody = find(root, "SyncHdr"), find(root, "SyncBody")
        sid, msgid = text(hdr, "SessionID"), text(hdr, "MsgID")
        devid = text(hdr, "Source", "LocURI")
        cmds = list(sbody)
        alerts = [text(c, "Data") for c in cmds if local(c.tag) == "Alert"]
        entry = {"session": sid, "msgid": msgid, "alerts": alerts,
                 "status": [], "results": [], "replace": [], "generic": []}
        for c in cmds:
            t = local(c.tag)
            if t == "Alert" and text(c, "Data") == "1226":
                for it in c:
                    if local(it.tag) == "Item":
                        entry["generic"].append({
                            "source": text(it, "Source", "LocURI"),
                            "type": text(it, "Meta", "Type"),
                            "format": text(it, "Meta", "Format"),
                            "data": text(it, "Data")})
            elif t == "Status":
                entry["status"].append({
                    "cmd": text(c, "Cmd"), "cmdref": text(c, "CmdRef"),
                    "target": text(c, "TargetRef"), "code": text(c, "Data")})
                if text(c, "CmdRef") == "0":
                    nn = text(c, "Chal", "Meta", "NextNonce")
                    if nn:
                        st["server_nonce"] = nn
            elif t == "Results":
                for it in c:
                    if local(it.tag) == "Item":
                        entry["results"].append({
                            "uri": text(it, "Source", "LocURI"),
                            "data": text(it, "Data")})
            elif t == "Replace":
                for it in c:
                    if local(it.tag) == "Item":
                        entry["replace"].append({
                            "uri": text(it, "Source", "LocURI"),
                            "data": text(it, "Data")})
        out = Msg(sid, msgid, devid, st["server_id"])
        new_session = "1200" in alerts or "1201" in alerts
        if new_session and (self.session is None or self.session["id"] != sid):
            self.session = {"id": sid, "pkg": 0, "authed": False,
                            "challenged": False}
        sess = self.session
        if sess is None or sess["id"] != sid:
            entry["error"] = "unknown session"
            self.log(entry)
            out.status(msgid, "0", "SyncHdr", 403)
            out.final()
            return out.bytes(), st
        if not sess["authed"]:
            want = md5_cred(st["client_name"], st["client_secret"],
                            base64.b64decode(st.get("client_nonce", "")))
            got = text(hdr, "Cred", "Data")
            if fault == "challenge-first" and not sess["challenged"]:
                got = None
            if got != want:
                sess["challenged"] = True
                st["client_nonce"] = b64(os.urandom(16))
                entry["auth"] = "client rejected"
                self.log(entry)
                out.status(msgid, "0", "SyncHdr", 401 if got else 407,
                           st["client_nonce"])
                out.final()
                return out.bytes(), st
            sess["authed"] = True
            entry["auth"] = "client accepted"
            if fault == "bad-server-cred":
                out.cred(md5_cred(st["server_name"], "not-the-secret",
                                  base64.b64decode(st.get("server_nonce", ""))))
            elif fault != "no-server-cred":
                out.cred(md5_cred(st["server_name"], st["server_secret"],
                                  base64.b64decode(st.get("server_nonce", ""))))
            st["client_nonce"] = b64(os.urandom(16))
            out.status(msgid, "0", "SyncHdr", 212, st["client_nonce"])
        else:
            out.status(msgid, "0", "SyncHdr", 200)
        for c in cmds:
            t = local(c.tag)
            if t not in ("Status", "Results", "Final"):
                out.status(msgid, text(c, "CmdID"), t, 200)
        self.log(entry)
        pkg = sess["pkg"]
        if fault == "malformed" and pkg == 0:
            return b"<SyncML><SyncHdr><VerDTD>1.2</Ver", st
        if "1222" in alerts and sess.get("held"):
            for c in sess.pop("held"):
                out.command(c)
        elif pkg < len(self.script) and (pkg == 0 or "1222" not in alerts):
            cmds_out = list(self.script[pkg])
            if fault == "abort" and pkg == 0:
                cmds_out.append({"cmd": "Alert", "data": 1223})
            if fault == "no-final" and pkg == 0 and len(cmds_out) > 1:
                sess["held"] = cmds_out[1:]
                cmds_out = cmds_out[:1]
                for c in cmds_out:
                    out.command(c)
                sess["pkg"] += 1
                return out.bytes(), st
            for c in cmds_out:
                out.command(c)
            sess["pkg"] += 1
        out.final()
        return out.bytes(), st


def serve(args):
    server = Server(args)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            n = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(n)
            if self.headers.get("Content-Type", "").split(";")[0] != CTYPE:
                self.send_error(415)
                return
            try:
                resp, st = server.handle(body)
            except ET.ParseError as e:
                server.log({"error": f"client sent malformed XML: {e}"})
                self.send_error(400)
                return
            save_state(args.state, st)
            self.send_response(200)
            self.send_header("Content-Type", CTYPE)
            self.send_header("Content-Length", str(len(resp)))
            self.end_headers()
            self.wfile.write(resp)

        def log_message(self, fmt, *a):
            sys.stderr.write("scws-test-dms: " + fmt % a + "\n")

    httpd = http.server.HTTPServer(("127.0.0.1", args.port), Handler)
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as f:
            f.write(str(httpd.server_address[1]))
        os.replace(args.port_file + ".tmp", args.port_file)
    httpd.serve_forever()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sp = ap.add_subparsers(dest="cmd", required=True)
    n = sp.add_parser("notify")
    n.add_argument("--state", required=True)
    n.add_argument("--session", type=int, required=True)
    n.add_argument("--ui-mode", type=int, default=0)
    n.add_argument("--initiator", type=int, default=1)
    n.add_argument("--version", type=int, default=12)
    n.add_argument("--wrong-secret", action="store_true")
    s = sp.add_parser("serve")
    s.add_argument("--state", required=True)
    s.add_argument("--port", type=int, default=0)
    s.add_argument("--port-file")
    s.add_argument("--script", required=True)
    s.add_argument("--log", required=True)
    s.add_argument("--fault")
    s.add_argument("--tls-cert", help="serve HTTPS with this certificate (PEM)")
    s.add_argument("--tls-key", help="its private key (PEM)")
    args = ap.parse_args()
    if args.cmd == "notify":
        st = load_state(args.state)
        sys.stdout.buffer.write(make_notification(
            st, args.session, args.ui_mode, args.initiator, args.version,
            args.wrong_secret))
    else:
        serve(args)


if __name__ == "__main__":
    main()
