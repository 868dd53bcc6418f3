#!/usr/bin/env python3
"""Client and server for tests/integration/egress.bats.

  egress-net.py serve [--ready FILE] PORT...
      Listen on every PORT (TCP, IPv4 and IPv6 on all addresses). Each
      connection gets one line back, after the client's line:
      "hello from ADDR:PORT". FILE is written once all ports listen.

  egress-net.py connect [-4|-6] [--udp] [--timeout S] HOST PORT
      Resolve HOST through the system resolver (getaddrinfo), connect,
      send a line and print the answer:
        ok hello from ADDR:PORT          exit 0
        fail ERRNO_NAME MSms             exit 1 (ECONNREFUSED, EPERM...)
        timeout MSms                     exit 2
        noname MESSAGE                   exit 3 (the name did not resolve)
      With --udp a DNS query (A probe.test, a name no list has) is sent
      instead and the answer's size printed: "ok N bytes".
"""

import errno
import socket
import struct
import sys
import time


def serve(args):
    import os
    import socketserver
    import threading

    ready = None
    if args and args[0] == "--ready":
        ready = args[1]
        args = args[2:]

    class Handler(socketserver.StreamRequestHandler):
        timeout = 3

        def handle(self):
            try:
                self.rfile.readline(200)
            except OSError:
                return
            addr, port = self.request.getsockname()[:2]
            if addr.startswith("::ffff:"):
                addr = addr[len("::ffff:"):]
            try:
                self.wfile.write(("hello from %s:%d\n" % (addr, port)).encode())
            except OSError:
                pass

    class Server(socketserver.ThreadingTCPServer):
        address_family = socket.AF_INET6
        allow_reuse_address = True
        daemon_threads = True

        def server_bind(self):
            self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            super().server_bind()

    servers = [Server(("::", int(p)), Handler) for p in args]
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    if ready:
        with open(ready, "w") as f:
            f.write("%d\n" % os.getpid())
    while True:
        time.sleep(3600)


def dns_query(name):
    q = struct.pack(">HHHHHH", 0x2b2b, 0x0100, 1, 0, 0, 0)
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\0" + struct.pack(">HH", 1, 1)


def connect(args):
    family = socket.AF_UNSPEC
    kind = socket.SOCK_STREAM
    timeout = 3.0
    while args and args[0].startswith("-"):
        opt = args.pop(0)
        if opt == "-4":
            family = socket.AF_INET
        elif opt == "-6":
            family = socket.AF_INET6
        elif opt == "--udp":
            kind = socket.SOCK_DGRAM
        elif opt == "--timeout":
            timeout = float(args.pop(0))
        else:
            sys.exit("unknown option " + opt)
    host, port = args
    start = time.monotonic()

    def ms():
        return "%dms" % ((time.monotonic() - start) * 1000)

    try:
        infos = socket.getaddrinfo(host, int(port), family, kind)
    except socket.gaierror as e:
        print("noname %s %s" % (e.strerror, ms()))
        return 3
    fam, _, _, _, addr = infos[0]
    s = socket.socket(fam, kind)
    s.settimeout(timeout)
    try:
        s.connect(addr)
        if kind == socket.SOCK_DGRAM:
            s.send(dns_query("probe.test"))
            print("ok %d bytes" % len(s.recv(512)))
            return 0
        s.sendall(b"hello\n")
        data = b""
        while not data.endswith(b"\n"):
            chunk = s.recv(200)
            if not chunk:
                break
            data += chunk
        print("ok " + data.decode(errors="replace").strip())
        return 0
    except socket.timeout:
        print("timeout " + ms())
        return 2
    except OSError as e:
        print("fail %s %s" % (errno.errorcode.get(e.errno, str(e.errno)), ms()))
        return 1
    finally:
        s.close()


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "serve":
        serve(args)
    elif cmd == "connect":
        sys.exit(connect(args))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
