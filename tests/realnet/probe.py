# The realnet harness's helper (tests/realnet/mod.rs): runs inside a node's namespaces as
# `python3 -S probe.py MODE ARGS`, standard library only. Each probe's result is one of:
#   answered TEXT | refused | timeout | unreachable DETAIL | error DETAIL
import errno
import os
import select
import socket
import struct
import sys
import threading
import time


def init():
    # PID 1 of a node's PID namespace: reaps every orphan (wireguard-go daemonizes) until killed.
    while True:
        try:
            os.wait()
        except ChildProcessError:
            time.sleep(0.2)


def listen(node, specs):
    # specs: tcp:PORT or udp:PORT, bound to 0.0.0.0. Each TCP connection gets "NODE tcp PORT"
    # and is closed; each UDP datagram is answered with "NODE udp PORT".
    socks = {}
    for spec in specs:
        proto, port = spec.split(":")
        port = int(port)
        if proto == "tcp":
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("0.0.0.0", port))
            s.listen(64)
        else:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(("0.0.0.0", port))
        socks[s] = (proto, port)
    print("ready", flush=True)
    while True:
        ready, _, _ = select.select(list(socks), [], [])
        for s in ready:
            proto, port = socks[s]
            banner = f"{node} {proto} {port}\n".encode()
            try:
                if proto == "tcp":
                    c, _ = s.accept()
                    c.sendall(banner)
                    c.close()
                else:
                    _, peer = s.recvfrom(2048)
                    s.sendto(banner, peer)
            except OSError:
                pass


def unreachable(e):
    return "unreachable " + errno.errorcode.get(e.errno, str(e.errno))


def tcp(addr, port, timeout):
    deadline = time.monotonic() + timeout
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect((addr, port))
    except socket.timeout:
        return "timeout"
    except ConnectionRefusedError:
        return "refused"
    except OSError as e:
        return unreachable(e)
    s.settimeout(max(0.1, deadline - time.monotonic()))
    try:
        data = s.recv(256)
    except OSError:
        data = b""
    return "answered " + data.decode(errors="replace").strip()


def udp(addr, port, timeout):
    # Sends a datagram every 200 ms until an answer, an ICMP port unreachable (refused) or the
    # deadline.
    deadline = time.monotonic() + timeout
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect((addr, port))
    while True:
        now = time.monotonic()
        if now >= deadline:
            return "timeout"
        try:
            s.send(b"probe")
            r, _, _ = select.select([s], [], [], min(0.2, deadline - now))
            if r:
                data = s.recv(2048)
                return "answered " + data.decode(errors="replace").strip()
        except ConnectionRefusedError:
            return "refused"
        except OSError as e:
            return unreachable(e)


def checksum(b):
    if len(b) % 2:
        b += b"\0"
    total = sum(struct.unpack(f"!{len(b) // 2}H", b))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def ping(addr, timeout, ident):
    # ICMP echo over a raw socket (root): a request every 200 ms until a reply from ADDR, a
    # destination unreachable about ADDR, or the deadline.
    deadline = time.monotonic() + timeout
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    seq = 0
    next_send = 0.0
    while True:
        now = time.monotonic()
        if now >= deadline:
            return "timeout"
        if now >= next_send:
            seq += 1
            head = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
            body = b"cephspray-realnet"
            pkt = struct.pack("!BBHHH", 8, 0, checksum(head + body), ident, seq) + body
            try:
                s.sendto(pkt, (addr, 0))
            except OSError as e:
                return unreachable(e)
            next_send = now + 0.2
        r, _, _ = select.select([s], [], [], max(0.0, min(next_send, deadline) - now))
        if not r:
            continue
        data, src = s.recvfrom(2048)
        ihl = (data[0] & 0x0F) * 4
        kind, code = data[ihl], data[ihl + 1]
        if kind == 0 and src[0] == addr and struct.unpack("!H", data[ihl + 4 : ihl + 6])[0] == ident:
            return "answered " + src[0]
        if kind == 3 and len(data) >= ihl + 8 + 20 + 8:
            inner = data[ihl + 8 :]
            inner_ihl = (inner[0] & 0x0F) * 4
            dst = socket.inet_ntoa(inner[16:20])
            inner_id = struct.unpack("!H", inner[inner_ihl + 4 : inner_ihl + 6])[0]
            if dst == addr and inner_id == ident:
                return f"unreachable icmp code {code} from {src[0]}"


def probe(spec, ident):
    # spec: tcp:ADDR:PORT:SECS, udp:ADDR:PORT:SECS or ping:ADDR:SECS
    kind, *rest = spec.split(":")
    try:
        if kind == "tcp":
            return tcp(rest[0], int(rest[1]), float(rest[2]))
        if kind == "udp":
            return udp(rest[0], int(rest[1]), float(rest[2]))
        if kind == "ping":
            return ping(rest[0], float(rest[1]), ident)
        return f"error unknown probe {spec}"
    except Exception as e:  # reported, not raised: the other probes go on
        return f"error {type(e).__name__}: {e}"


def probes(specs):
    # Every probe in a thread of its own, all at once; prints "INDEX RESULT" lines in order.
    results = [None] * len(specs)

    def one(i):
        results[i] = probe(specs[i], (os.getpid() + i) & 0xFFFF)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(specs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i, r in enumerate(results):
        print(i, r)


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "init":
        init()
    elif mode == "listen":
        listen(args[0], args[1:])
    elif mode == "probe":
        probes(args)
    else:
        sys.exit(f"unknown mode {mode}")


main()
