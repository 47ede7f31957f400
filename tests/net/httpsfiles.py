#!/usr/bin/python3
# httpsfiles.py: a small HTTPS file server for ward's file tests, on
# loopback, with the test CA's server certificate. It logs every request
# (one line: METHOD PATH HOST) so a test can prove that nothing was fetched,
# and serves the shapes a hostile or broken server would:
#   GET /gen/SIZE/NAME        SIZE bytes (a known pattern), Content-Length
#   GET /chunked/SIZE/NAME    the same without Content-Length (chunked)
#   GET /cut/SIZE/NAME        announces SIZE, sends half, closes
#   GET /slow/SIZE/NAME       SIZE bytes, 1 KiB every 0.1 s
#   GET /redir?to=URL         302 to URL
#   GET /file/NAME            a file of --root (written by PUT)
#   PUT /file/NAME            stores the body under --root/NAME
# Prints "LISTEN port=N" to the log once it accepts connections.

import argparse
import http.server
import os
import socketserver
import ssl
import sys
import time
import urllib.parse


def pattern(n):
    block = bytes(range(256)) * 256
    out = bytearray()
    while len(out) < n:
        out += block[:n - len(out)]
    return bytes(out)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, fmt, *args):
        pass

    def note(self):
        with open(self.server.logpath, 'a') as f:
            f.write('%s %s %s\n' % (self.command, self.path,
                                    self.headers.get('Host', '-')))

    def send_body(self, data, length=True):
        self.send_response(200)
        self.send_header('Content-Type', 'application/octet-stream')
        if length:
            self.send_header('Content-Length', str(len(data)))
        else:
            self.send_header('Transfer-Encoding', 'chunked')
        self.end_headers()
        if length:
            self.wfile.write(data)
        else:
            for i in range(0, len(data), 65536):
                part = data[i:i + 65536]
                self.wfile.write(b'%x\r\n' % len(part) + part + b'\r\n')
            self.wfile.write(b'0\r\n\r\n')

    def do_GET(self):
        self.note()
        u = urllib.parse.urlsplit(self.path)
        parts = u.path.split('/')
        try:
            if u.path == '/redir':
                to = urllib.parse.parse_qs(u.query)['to'][0]
                self.send_response(302)
                self.send_header('Location', to)
                self.send_header('Content-Length', '0')
                self.end_headers()
            elif parts[1] == 'gen':
                self.send_body(pattern(int(parts[2])))
            elif parts[1] == 'chunked':
                self.send_body(pattern(int(parts[2])), length=False)
            elif parts[1] == 'cut':
                n = int(parts[2])
                self.send_response(200)
                self.send_header('Content-Length', str(n))
                self.end_headers()
                self.wfile.write(pattern(n // 2))
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(2)
            elif parts[1] == 'slow':
                n = int(parts[2])
                self.send_response(200)
                self.send_header('Content-Length', str(n))
                self.end_headers()
                data = pattern(n)
                for i in range(0, n, 1024):
                    self.wfile.write(data[i:i + 1024])
                    self.wfile.flush()
                    time.sleep(0.1)
            elif parts[1] == 'file':
                name = urllib.parse.unquote(parts[2])
                with open(os.path.join(self.server.root,
                                       os.path.basename(name)), 'rb') as f:
                    self.send_body(f.read())
            else:
                raise KeyError
        except (KeyError, IndexError, ValueError, FileNotFoundError):
            self.send_response(404)
            self.send_header('Content-Length', '0')
            self.end_headers()
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass

    def do_PUT(self):
        self.note()
        u = urllib.parse.urlsplit(self.path)
        parts = u.path.split('/')
        n = int(self.headers.get('Content-Length', '0'))
        body = self.rfile.read(n)
        if len(parts) < 3 or parts[1] != 'file':
            self.send_response(404)
        else:
            name = os.path.basename(urllib.parse.unquote(parts[2]))
            with open(os.path.join(self.server.root, name), 'wb') as f:
                f.write(body)
            self.send_response(201)
        self.send_header('Content-Length', '0')
        self.end_headers()


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--port', type=int, required=True)
    p.add_argument('--cert', required=True)
    p.add_argument('--key', required=True)
    p.add_argument('--log', required=True)
    p.add_argument('--root', required=True)
    p.add_argument('--plain', action='store_true', help='no TLS (http://)')
    a = p.parse_args()
    srv = Server(('127.0.0.1', a.port), Handler)
    srv.logpath = a.log
    srv.root = a.root
    if not a.plain:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.cert, a.key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    with open(a.log, 'a') as f:
        f.write('LISTEN port=%d\n' % a.port)
    srv.serve_forever()


if __name__ == '__main__':
    sys.exit(main())
