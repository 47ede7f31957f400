#!/usr/bin/python3
# tcpproxy.py: a plain TCP relay on loopback for tests that need to cut a
# client's connection while the server stays up (stream resumption), or to
# slow a client's upload down (an HTTP PUT still running when the test
# cancels it).
# Usage: tcpproxy.py LISTEN_PORT TARGET_PORT [RATE]   (both on 127.0.0.1)
# RATE: bytes a second relayed from each client to the target (the other
# way is not slowed); with it the relay's receive buffer is small, so the
# client's bytes wait in the client, not in the relay, and each relayed
# connection's end is printed as "CLOSED BYTES eof|reset" (the bytes passed
# on to the target; reset: the client reset its connection, and what the
# relay had not read yet was dropped).
# Killing it (SIGTERM/SIGKILL) drops every relayed connection at once.
import selectors
import socket
import sys
import threading
import time

CHUNK = 4096


def close_pair(a, b):
    for x in (a, b):
        try:
            x.close()
        except OSError:
            pass


def pump(src, dst, rate):
    """Copies src to dst, at most RATE bytes a second when RATE > 0; then
    prints "CLOSED BYTES HOW" for the slowed direction (HOW: eof, or reset
    when the client reset its connection)."""
    start, sent, how = time.monotonic(), 0, 'eof'
    while True:
        try:
            data = src.recv(CHUNK if rate else 65536)
        except OSError:
            data, how = b'', 'reset'
        if not data:
            close_pair(src, dst)
            if rate:
                print('CLOSED %d %s' % (sent, how), flush=True)
            return
        try:
            dst.sendall(data)
        except OSError:
            close_pair(src, dst)
            return
        sent += len(data)
        if rate:
            ahead = sent / rate - (time.monotonic() - start)
            if ahead > 0:
                time.sleep(ahead)


def slow_relay(lsock, target_port, rate):
    while True:
        c, _ = lsock.accept()
        try:
            u = socket.create_connection(('127.0.0.1', target_port))
        except OSError:
            c.close()
            continue
        threading.Thread(target=pump, args=(c, u, rate), daemon=True).start()
        threading.Thread(target=pump, args=(u, c, 0), daemon=True).start()


def main():
    listen_port, target_port = int(sys.argv[1]), int(sys.argv[2])
    rate = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rate:
        # inherited by accepted sockets: a small window
        lsock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)
    lsock.bind(('127.0.0.1', listen_port))
    lsock.listen(16)
    if rate:
        slow_relay(lsock, target_port, rate)
        return
    sel = selectors.DefaultSelector()
    sel.register(lsock, selectors.EVENT_READ, None)
    peers = {}
    while True:
        for key, _ in sel.select():
            s = key.fileobj
            if s is lsock:
                c, _ = lsock.accept()
                u = socket.create_connection(('127.0.0.1', target_port))
                peers[c], peers[u] = u, c
                sel.register(c, selectors.EVENT_READ, None)
                sel.register(u, selectors.EVENT_READ, None)
                continue
            try:
                data = s.recv(65536)
            except OSError:
                data = b''
            other = peers.get(s)
            if not data or other is None:
                for x in (s, other):
                    if x is not None and x in peers:
                        sel.unregister(x)
                        peers.pop(x, None)
                        x.close()
                continue
            other.sendall(data)


if __name__ == '__main__':
    main()
