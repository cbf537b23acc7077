#!/usr/bin/env python3
"""A stand-in Pushgateway on 127.0.0.1 for check_pushgateway.sh.

usage: pushgateway_receiver.py MODE PORT_FILE LOG_FILE TEXTFILE
MODE ok: answer 200; fail: answer 500 "boom"; hang: never answer.
Each request is logged as one JSON line: method, path, content type, body,
and whether TEXTFILE existed when the request arrived.
"""
import http.server
import json
import os
import sys
import time

mode, port_file, log_file, textfile = sys.argv[1:5]


class Handler(http.server.BaseHTTPRequestHandler):
    def handle_any(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode("utf-8")
        with open(log_file, "a", encoding="utf-8") as log:
            log.write(json.dumps({
                "method": self.command,
                "path": self.path,
                "content_type": self.headers.get("Content-Type", ""),
                "body": body,
                "textfile_existed": os.path.exists(textfile),
            }) + "\n")
        if mode == "hang":
            time.sleep(30)
            return
        status, reply = (200, b"") if mode == "ok" else (500, b"boom\n")
        self.send_response(status)
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    do_PUT = do_POST = do_GET = handle_any

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(port_file + ".tmp", "w", encoding="utf-8") as f:
    f.write(str(server.server_address[1]))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
