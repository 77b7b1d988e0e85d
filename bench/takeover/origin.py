#!/usr/bin/env python3
"""origin.py NAME PORT: answers every GET with 200 "ok from NAME" on 0.0.0.0:PORT (so also on a VIP that arrives later)."""
import http.server
import sys

NAME = sys.argv[1]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = f"ok from {NAME}\n".encode("ascii")
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("0.0.0.0", int(sys.argv[2])), Handler).serve_forever()
