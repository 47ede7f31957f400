#!/usr/bin/python3
# tcpproxy.py: a plain TCP relay on loopback for tests that need to cut a
# client's connection while the server stays up (stream resumption).
# Usage: tcpproxy.py LISTEN_PORT TARGET_PORT   (both on 127.0.0.1)
# Killing it (SIGTERM/SIGKILL) drops every relayed connection at once.
import selectors
import socket
import sys


def main():
    listen_port, target_port = int(sys.argv[1]), int(sys.argv[2])
    sel = selectors.DefaultSelector()
    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(('127.0.0.1', listen_port))
    lsock.listen(16)
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
