#!/usr/bin/env python3
"""An OpenAI-wire embeddings server on 127.0.0.1 that fails on request, for scripts/drill.sh openai.

Usage: openai-fault-server.py PORT LOG_FILE
POST /v1/embeddings answers by a marker found in the inputs (the drill puts one in each document's text):
  [fault:429-then-ok]  429 with Retry-After: 3 for the first two requests of that text, then vectors
  [fault:429]          always 429 with Retry-After: 3
  [fault:500]          always 500
  [fault:timeout]      never answers in time (sleeps 120 s; the service's client times out first)
  none                 vectors (deterministic, unit length, 1536 dimensions)
Every request is one JSON line in LOG_FILE: {at (epoch s), fault, answer, text (a hash of the inputs)}.
"""
import base64
import hashlib
import json
import math
import random
import re
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(sys.argv[1])
LOG = open(sys.argv[2], "a")
LOCK = threading.Lock()
SEEN = {}
MARKER = re.compile(r"\[fault:([a-z0-9-]+)\]")


def vector(text, dimensions=1536):
    rng = random.Random(hashlib.sha256(text.encode()).digest())
    v = [rng.uniform(-1, 1) for _ in range(dimensions)]
    norm = math.sqrt(sum(x * x for x in v))
    return [x / norm for x in v]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, headers=None):
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(raw)

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
        inputs = body.get("input", [])
        inputs = [inputs] if isinstance(inputs, str) else inputs
        found = MARKER.search(" ".join(inputs))
        fault = found.group(1) if found else None
        with LOCK:
            key = " ".join(inputs)
            SEEN[key] = SEEN.get(key, 0) + 1
            nth = SEEN[key]
        answer = "ok"
        if fault == "429" or (fault == "429-then-ok" and nth <= 2):
            answer = "429"
        elif fault == "500":
            answer = "500"
        elif fault == "timeout":
            answer = "timeout"
        with LOCK:
            LOG.write(json.dumps({"at": round(time.time(), 3), "fault": fault, "answer": answer,
                                 "text": hashlib.sha256(key.encode()).hexdigest()[:16]}) + "\n")
            LOG.flush()
        if answer == "429":
            self.answer(429, {"error": {"message": "Rate limit reached for requests", "type": "requests",
                                        "param": None, "code": "rate_limit_exceeded"}}, {"Retry-After": "3"})
        elif answer == "500":
            self.answer(500, {"error": {"message": "The server had an error while processing your request.",
                                        "type": "server_error", "param": None, "code": None}})
        elif answer == "timeout":
            time.sleep(120)
        else:
            as_base64 = body.get("encoding_format") == "base64"
            data = [{"object": "embedding", "index": i,
                     "embedding": base64.b64encode(struct.pack(f"<{1536}f", *vector(text))).decode()
                     if as_base64 else vector(text)} for i, text in enumerate(inputs)]
            tokens = sum(len(text.split()) for text in inputs)
            self.answer(200, {"object": "list", "data": data, "model": body.get("model"),
                              "usage": {"prompt_tokens": tokens, "total_tokens": tokens}})


server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
server.daemon_threads = True
server.serve_forever()
