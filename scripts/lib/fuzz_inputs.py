"""Hostile inputs for scripts/drill.sh fuzz: every input is made from random.Random(f"{seed}:{target}:{index}") alone,
so one seed gives the same inputs on every run and one input can be made again from its seed, target and index.

Each generator returns an Input: the request's method, path (a template: {webhook} is filled in by the driver),
headers, body bytes and a short description of what was done to it (printed for every 5xx and hang).
Standard library only. No generated URL names a host that needs DNS: the service only ever contacts loopback,
IP literals in private or reserved ranges (refused by its outbound policy), or nothing.
"""
import io
import json
import random
import zipfile
import zlib
from dataclasses import dataclass, field


@dataclass
class Input:
    method: str
    path: str
    headers: dict
    body: bytes
    what: str
    follow: dict = field(default_factory=dict)   # what the driver does next (webhook steps)


def rng_for(seed, target, index):
    return random.Random(f"{seed}:{target}:{index}")


# ---- JSON values --------------------------------------------------------------------------------------------------

NASTY_STRINGS = [
    "", " ", "\u0000", "\u0000abc\u0000", "\ud83d\ude00 emoji", "\u202e right-to-left", "\ufeffBOM", "a\r\nb",
    "<script>alert(1)</script>", "<html><body><p>hi</p></body></html>", "../../etc/passwd", "%00%2e%2e",
    "${jndi:ldap://127.0.0.1/a}", "'; DROP TABLE documents; --", "\\u0000", "null", "true", "1e309",
    "\u00e9\u0301\u0065\u0301", "\u0430\u0440\u0440\u04cf\u0435", "\t\t\t", "\u2028\u2029", "A" * 600,
]


def nasty_string(rng, big=True):
    roll = rng.random()
    if roll < 0.35:
        return rng.choice(NASTY_STRINGS)
    if roll < 0.55:
        return "".join(chr(rng.choice([rng.randrange(0x20, 0x7f), rng.randrange(0xa0, 0xd7ff),
                                        rng.randrange(0xe000, 0xfffd), rng.randrange(0x10000, 0x10ffff)]))
                       for _ in range(rng.randrange(1, 200)))
    if roll < 0.65:
        return rng.choice("ab<&\"' ") * rng.choice([255, 256, 500, 501, 2048, 2049, 70_000])
    if roll < 0.7 and big:
        return "x" * rng.choice([1_000_000, 3_000_000])
    return "fuzz text %d " % rng.randrange(10 ** 9) * rng.randrange(1, 40)


def deep_json(rng, depth=None):
    depth = depth or rng.choice([50, 999, 1000, 1001, 5000, 100_000])
    if rng.random() < 0.5:
        return "[" * depth + "1" + "]" * depth
    return '{"a":' * depth + "1" + "}" * depth


def random_value(rng, depth=0, big=True):
    roll = rng.random()
    if depth > 3 or roll < 0.3:
        return rng.choice([None, True, False, 0, -1, 2 ** 31, 2 ** 63, -2 ** 64, 1.5, 1e308, -0.0,
                           nasty_string(rng, big)])
    if roll < 0.6:
        return [random_value(rng, depth + 1, big) for _ in range(rng.randrange(0, 5))]
    return {nasty_string(rng, False)[:50]: random_value(rng, depth + 1, big) for _ in range(rng.randrange(0, 5))}


def document(rng, token):
    doc_type = rng.choice(["txt", "md", "html", "txt"])
    content = {"txt": f"Fuzz document {token}. Quarterly revenue grew; churn fell.",
               "md": f"# Fuzz {token}\n\n* revenue\n* churn\n",
               "html": f"<html><body><h1>Fuzz {token}</h1><p>Revenue grew.</p></body></html>"}[doc_type]
    return {"title": f"fuzz {token}", "content": content, "doc_type": doc_type,
            "external_id": f"fuzz-{token}" if rng.random() < 0.3 else None,
            "source_url": "https://example.com/" + token if rng.random() < 0.2 else None,
            "metadata": {"k": "v", "n": 1} if rng.random() < 0.5 else None}


def mutate_document(rng, doc, big=True):
    doc = dict(doc)
    for _ in range(rng.randrange(1, 4)):
        key = rng.choice(["title", "content", "doc_type", "external_id", "source_url", "metadata", "extra"])
        roll = rng.random()
        if roll < 0.15:
            doc.pop(key, None)
        elif roll < 0.45:
            doc[key] = random_value(rng, 0, big)
        elif roll < 0.7:
            doc[key] = nasty_string(rng, big)
        elif key == "metadata" or roll < 0.8:
            doc["metadata"] = {f"k{i}" if rng.random() < 0.9 else nasty_string(rng, big)[:30]: random_value(rng, 2, big)
                               for i in range(rng.choice([1, 49, 50, 51, 200]))}
        elif key == "doc_type":
            doc[key] = rng.choice(["pdf", "docx", "TXT", "webpage", "html ", "", "exe", "md\u0000"])
        else:
            doc[key] = random_value(rng, 0, big)
    return doc


def encode_json(rng, value):
    """JSON text of value, sometimes broken at the byte level."""
    text = json.dumps(value, ensure_ascii=rng.random() < 0.3)
    data = text.encode("utf-8", "surrogatepass")
    roll = rng.random()
    if roll < 0.6:
        return data, "json"
    if roll < 0.68:
        return data[:rng.randrange(0, max(1, len(data)))], "truncated"
    if roll < 0.76:
        return flip_bytes(rng, data, rng.randrange(1, 6)), "bytes flipped"
    if roll < 0.8:
        return b"\xef\xbb\xbf" + data, "UTF-8 BOM"
    if roll < 0.84:
        return text.encode("utf-16", "surrogatepass"), "UTF-16"
    if roll < 0.88:
        return data + b"garbage" + data, "trailing garbage"
    if roll < 0.92:
        return deep_json(rng).encode(), "deep nesting"
    if roll < 0.95:
        return ('{"title":"n","doc_type":"txt","content":"c","n":' + "9" * rng.choice([999, 1001, 100_000])
                + "}").encode(), "long number"
    if roll < 0.97:
        return ('{"title":"d","title":"e","content":"dup","content":"x","doc_type":"txt"}').encode(), "duplicate keys"
    return bytes(rng.randrange(256) for _ in range(rng.randrange(0, 2000))), "random bytes"


def json_headers(rng):
    roll = rng.random()
    if roll < 0.85:
        return {"Content-Type": "application/json"}, ""
    choice = rng.choice(["text/plain", "application/json; charset=iso-8859-1", "application/xml",
                         "application/json; charset=utf-32", "application/x-www-form-urlencoded", "", "*/*",
                         "application/json;;;", "application/vnd.api+json", "application/json; boundary=x"])
    headers = {"Content-Type": choice} if choice else {}
    if rng.random() < 0.2:
        headers["Content-Encoding"] = rng.choice(["gzip", "br", "identity", "x"])
    return headers, f" Content-Type '{choice}'"


def gen_json_document(seed, index):
    rng = rng_for(seed, "json-document", index)
    token = f"fz{seed}x{index}"
    base = document(rng, token)
    value = mutate_document(rng, base) if rng.random() < 0.8 else base
    if rng.random() < 0.08:
        value = random_value(rng)
    body, how = encode_json(rng, value)
    headers, ct = json_headers(rng)
    return Input("POST", "/api/ingest/document", headers, body, f"{how}{ct}, {len(body)} bytes")


def gen_json_batch(seed, index):
    rng = rng_for(seed, "json-batch", index)
    count = rng.choice([0, 1, 2, 3, 5, 10, 20, 99, 100, 101, 300])
    items = []
    for i in range(count):
        doc = document(rng, f"fz{seed}b{index}i{i}")
        if count > 20:
            doc = {"title": f"t{i}", "content": f"fz{seed}b{index}i{i}", "doc_type": "txt"}
        roll = rng.random()
        big = count <= 3
        items.append(mutate_document(rng, doc, big) if roll < 0.4 else random_value(rng, 0, big) if roll < 0.5
                     else doc)
    value = {"documents": items} if rng.random() < 0.3 else items
    if rng.random() < 0.05:
        value = random_value(rng)
    body, how = encode_json(rng, value)
    headers, ct = json_headers(rng)
    return Input("POST", "/api/ingest/batch", headers, body, f"{count} items, {how}{ct}, {len(body)} bytes")


# ---- URL ingestion (only loopback, the drill's page server, or addresses the policy refuses) -------------------

PAGE_KINDS = ["deep-div", "deep-inline", "many-p", "nested-p-quadratic", "huge", "slow", "redirect-loop",
              "redirect-private", "binary", "gzip-bomb", "bad-length", "empty", "status-500", "pdf", "charset",
              "no-type", "long-title", "entities", "normal"]


def gen_url(seed, index, page_base):
    rng = rng_for(seed, "url", index)
    roll = rng.random()
    if roll < 0.6:
        kind = rng.choice(PAGE_KINDS)
        url = f"{page_base}/{kind}?seed={seed}&i={index}"
        what = f"page '{kind}'"
    elif roll < 0.8:
        url = rng.choice(["http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[::1]:1/",
                          "http://0.0.0.0/", "http://[fc00::1]/", "http://192.168.0.1:8080/x", "http://100.64.0.1/",
                          "http://[::ffff:10.0.0.1]/", "http://127.0.0.2/", "http://localhost:1/",
                          "http://224.0.0.1/", "http://255.255.255.255/", "https://10.1.1.1:443/"])
        what = "refused address"
    else:
        url = rng.choice(["", " ", "file:///etc/passwd", "gopher://10.0.0.1/", "ftp://10.0.0.1/", "javascript:1",
                          "http://", "http://[::1", "http://%00/", "http://10.0.0.1:99999/", "http:///x",
                          "data:text/html,<p>x</p>", "http://10.0.0.1/" + "a" * 3000, "\u0000", "//10.0.0.1/",
                          "http://user:pass@10.0.0.1/", "HTTP://10.0.0.1/", "http://10.0.0.1/\r\nX: y",
                          "http://[1:2:3:4:5:6:7:8:9]/", "http://10.0.0.1/#frag", nasty_string(rng)[:100]])
        what = "malformed URL"
    body = {"url": url}
    if rng.random() < 0.3:
        body["title"] = nasty_string(rng)[:600]
    if rng.random() < 0.2:
        body["metadata"] = random_value(rng)
    if rng.random() < 0.1:
        body["url"] = random_value(rng)
        what += ", url not a string"
    data, how = encode_json(rng, body) if rng.random() < 0.2 else (json.dumps(body).encode(), "json")
    return Input("POST", "/api/ingest/url", {"Content-Type": "application/json"}, data, f"{what}, {how}")


def hostile_page(kind, rng):
    """(status, headers, body chunks, seconds between chunks) for the page server."""
    html = {"Content-Type": "text/html; charset=utf-8"}
    if kind == "deep-div":
        depth = rng.choice([1000, 10_000, 100_000, 300_000])
        return 200, html, [b"<html><body>" + b"<div>" * depth + b"<p>deep text</p>" + b"</div>" * depth], 0
    if kind == "deep-inline":
        depth = rng.choice([10_000, 200_000])
        return 200, html, [b"<html><body><p>" + b"<b><i>" * depth + b"x"], 0
    if kind == "many-p":
        return 200, html, [b"<html><body>" + b"<p>paragraph of text here.</p>" * rng.choice([10_000, 300_000])], 0
    if kind == "nested-p-quadratic":
        depth = rng.choice([2000, 20_000])
        return 200, html, [b"<html><body>" + b"<section><p>words words words</p>" * depth
                           + b"</section>" * depth], 0
    if kind == "huge":
        return 200, html, [b"<html><body><p>" + b"a " * (6 * 1024 * 1024)], 0
    if kind == "slow":
        return 200, html, [b"<html><body><p>slow "] + [b"x"] * 40, 0.5
    if kind == "redirect-loop":
        return 302, {"Location": "/redirect-loop"}, [b""], 0
    if kind == "redirect-private":
        return 302, {"Location": "http://10.0.0.1/"}, [b""], 0
    if kind == "binary":
        return 200, html, [bytes(rng.randrange(256) for _ in range(50_000))], 0
    if kind == "gzip-bomb":
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
        bomb = compressor.compress(b"<p>" + b"a" * (50 * 1024 * 1024)) + compressor.flush()
        return 200, {**html, "Content-Encoding": "gzip"}, [bomb], 0
    if kind == "bad-length":
        return 200, {**html, "Content-Length": "100000"}, [b"<html><body><p>short"], 0
    if kind == "empty":
        return 200, html, [b""], 0
    if kind == "status-500":
        return 500, html, [b"<p>error page</p>"], 0
    if kind == "pdf":
        return 200, {"Content-Type": "application/pdf"}, [pdf(["a pdf page"])], 0
    if kind == "charset":
        return 200, {"Content-Type": "text/html; charset=x-no-such-charset"}, [b"<p>\xff\xfe text</p>"], 0
    if kind == "no-type":
        return 200, {}, [b"<p>no content type</p>"], 0
    if kind == "long-title":
        return 200, html, [b"<html><head><title>" + b"T" * 100_000 + b"</title></head><body><p>x</p>"], 0
    if kind == "entities":
        return 200, html, [b"<html><body><p>" + b"&amp;&lt;&#x1F600;&#0;&#xFFFFFFFF;" * 100_000], 0
    return 200, html, [b"<html><head><title>Normal</title></head><body><main><p>A normal page.</p></main>"], 0


# ---- webhooks ---------------------------------------------------------------------------------------------------

def mapping_path(rng):
    roll = rng.random()
    segments = [rng.choice(["ticket", "body", "items", "text", "a.b", "x", "0", "99", "999999", "~", "~0", "~1",
                            "", " ", "\u00e9", "$", "*", "..", "-1", "1e3", "00001", "999998"])
                for _ in range(rng.randrange(1, 12))]
    if roll < 0.3:
        return "/" + "/".join(segments)
    if roll < 0.5:
        return "$." + ".".join(segments)
    if roll < 0.85:
        return ".".join(segments)
    if roll < 0.9:
        return "/a~2b"
    return rng.choice([nasty_string(rng)[:250], "x" * 201, random_value(rng)])


def webhook_config(rng):
    config = {}
    if rng.random() < 0.8:
        config["field_mapping"] = {f: mapping_path(rng) for f in rng.sample(
            ["title", "content", "external_id", "source_url", "doc_type"], rng.randrange(0, 6))}
        if rng.random() < 0.1:
            config["field_mapping"]["unknown"] = "x"
    if rng.random() < 0.4:
        config["default_metadata"] = {(nasty_string(rng)[:120] if rng.random() < 0.2 else f"k{i}"):
                                      random_value(rng, 3) for i in range(rng.choice([0, 1, 5, 20, 21]))}
    if rng.random() < 0.25:
        # only addresses the outbound policy refuses, or no URL at all: nothing is ever called back
        config["callback_url"] = rng.choice(["http://10.0.0.1/cb", "ftp://10.0.0.1/", "http://[::1]/", "not a url",
                                             "http://user:pw@10.0.0.1/", "http://10.0.0.1/#f", "http://",
                                             "http://192.168.1.1/" + "a" * 2100, random_value(rng, 3)])
    if rng.random() < 0.3:
        config["doc_type"] = rng.choice(["txt", "md", "html", "pdf", "", None, 1, "HTML "])
    if rng.random() < 0.05:
        return random_value(rng)
    return config


def put_at(root, path, value):
    """Places value where a dotted path or pointer would find it (best effort), so the mapping is exercised."""
    if not isinstance(path, str) or not path:
        return
    segments = path[1:].split("/") if path.startswith("/") else (path[2:] if path.startswith("$.") else path).split(".")
    node = root
    for i, segment in enumerate(segments[:6]):
        last = i == len(segments) - 1 or i == 5
        if isinstance(node, dict):
            if last:
                node[segment] = value
                return
            node = node.setdefault(segment, [] if segments[i + 1].isdigit() else {})
        elif isinstance(node, list) and segment.isdigit() and int(segment) < 50:
            while len(node) <= int(segment):
                node.append({})
            if last:
                node[int(segment)] = value
                return
            node = node[int(segment)]
        else:
            return


def webhook_payload(rng, config, token):
    payload = {}
    mapping = config.get("field_mapping") if isinstance(config, dict) else None
    if isinstance(mapping, dict):
        for name, path in mapping.items():
            put_at(payload, path, f"mapped {name} {token}" if rng.random() < 0.8 else random_value(rng, 2))
    if rng.random() < 0.6:
        payload.update({rng.choice(["content", "text", "body", "html", "data"]): f"Webhook text {token}",
                        rng.choice(["title", "name", "subject"]): nasty_string(rng)[:200]})
    for _ in range(rng.randrange(0, 6)):
        payload[rng.choice(["metadata", "doc_type", "type", "id", "url", "link", nasty_string(rng)[:20]])] = \
            random_value(rng, 1)
    roll = rng.random()
    if roll < 0.1:
        return [payload] * rng.choice([0, 1, 3, 101])
    if roll < 0.15:
        return random_value(rng)
    return payload


def gen_webhook(seed, index):
    """Create a webhook with a hostile config; the driver then runs the follow-up steps on it."""
    rng = rng_for(seed, "webhook", index)
    config = webhook_config(rng)
    body = {"name": nasty_string(rng)[:300] if rng.random() < 0.2 else f"fuzz {index}", "config": config}
    if rng.random() < 0.1:
        body["trigger_type"] = rng.choice(["manual", "cron", 1, None])
    data, how = encode_json(rng, body) if rng.random() < 0.15 else (json.dumps(body).encode(), "json")
    steps = []
    token = f"fz{seed}w{index}"
    for step in range(rng.randrange(1, 4)):
        kind = rng.choice(["deliver", "deliver", "test", "test-empty", "update"])
        if kind == "update":
            steps.append(("PUT", "/api/webhooks/{id}", json.dumps({"config": webhook_config(rng)}).encode(), kind))
        elif kind == "test-empty":
            steps.append(("POST", "/api/webhooks/{id}/test", b"", kind))
        else:
            payload = webhook_payload(rng, config, f"{token}s{step}")
            raw, _ = encode_json(rng, payload) if rng.random() < 0.2 else (json.dumps(payload).encode(), "json")
            steps.append(("POST", "{webhook}" if kind == "deliver" else "/api/webhooks/{id}/test", raw, kind))
    return Input("POST", "/api/webhooks", {"Content-Type": "application/json"}, data,
                 f"config {json.dumps(config)[:160]}, {how}", follow={"steps": steps})


# ---- multipart ----------------------------------------------------------------------------------------------------

def part(boundary, name, value, filename=None, content_type=None, extra=b""):
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
    if filename is not None:
        head += f'; filename="{filename}"'
    head += "\r\n"
    if content_type:
        head += f"Content-Type: {content_type}\r\n"
    return head.encode("utf-8", "surrogatepass") + extra + b"\r\n" + value + b"\r\n"


def gen_multipart(seed, index):
    rng = rng_for(seed, "multipart", index)
    boundary = rng.choice(["fuzzboundary", "----WebKitFormBoundary7MA4YWxkTrZu0gW", "a", "x" * 70, "x" * 200,
                           "b=\"q\"", "sp ace", "\u00e9t\u00e9", "--", "x" * 5000])
    token = f"fz{seed}m{index}"
    parts = [part(boundary, "file", f"Multipart document {token}.".encode(), "doc.txt", "text/plain")]
    what = []
    roll = rng.random()
    if roll < 0.15:
        parts.append(part(boundary, "title", nasty_string(rng).encode("utf-8", "surrogatepass")))
        what.append("nasty title")
    if rng.random() < 0.2:
        meta = rng.choice([json.dumps(random_value(rng)), "{", deep_json(rng, 5000), json.dumps(
            {f"k{i}": i for i in range(rng.choice([50, 51]))}), "null"])
        parts.append(part(boundary, "metadata", meta.encode("utf-8", "surrogatepass")))
        what.append("metadata field")
    if rng.random() < 0.15:
        n = rng.choice([19, 20, 21, 100, 1000])
        parts += [part(boundary, f"f{i}", b"v") for i in range(n)]
        what.append(f"{n} extra parts")
    if rng.random() < 0.1:
        size = rng.choice([9_000, 10_241, 100_000, 1_000_000])
        parts.insert(0, part(boundary, "big", b"v", extra=b"X-Big: " + b"h" * size + b"\r\n"))
        what.append(f"part header of {size} bytes")
    if rng.random() < 0.1:
        parts.insert(0, part(boundary, "many", b"v",
                             extra=b"".join(b"X-H%d: v\r\n" % i for i in range(rng.choice([100, 5000])))))
        what.append("many part headers")
    if rng.random() < 0.15:
        parts[0] = part(boundary, "file", b"content", rng.choice(
            ["../../etc/passwd", "", "\u0000.txt", "a" * 5000 + ".txt", "x.exe", "\u202etxt.exe", "con", ".",
             "a\"b.txt", "a\r\nX-Injected: 1.txt"]), rng.choice([None, "text/plain", "application/pdf", "x/y",
                                                                 "text/plain; charset=nope", "multipart/mixed"]))
        what.append("odd file part")
    if rng.random() < 0.08:
        parts[0] = part(boundary, "file", b"no filename")
        what.append("file part without filename")
    if rng.random() < 0.05:
        parts = parts[1:]
        what.append("no file part")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode("utf-8", "surrogatepass")
    if rng.random() < 0.1:
        body = b"preamble junk\r\n" + body + b"epilogue junk" * 100
        what.append("preamble/epilogue")
    roll = rng.random()
    if roll < 0.1:
        body = body[:rng.randrange(len(body))]
        what.append("truncated")
    elif roll < 0.18:
        body = body.replace(b"\r\n", b"\n")
        what.append("LF line ends")
    elif roll < 0.26:
        body = flip_bytes(rng, body, rng.randrange(1, 10))
        what.append("bytes flipped")
    elif roll < 0.3:
        body = body.replace(f"--{boundary}--".encode("utf-8", "surrogatepass"), b"")
        what.append("no closing boundary")
    elif roll < 0.33:
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 5000)))
        what.append("random bytes")
    ct = f"multipart/form-data; boundary={boundary}"
    roll = rng.random()
    if roll < 0.08:
        ct = "multipart/form-data"
        what.append("no boundary parameter")
    elif roll < 0.14:
        ct = f"multipart/form-data; boundary=other{boundary}"
        what.append("other boundary")
    elif roll < 0.18:
        ct = rng.choice(["multipart/mixed; boundary=" + boundary, "application/json", "text/plain",
                         "multipart/form-data; boundary=", "multipart/form-data; boundary=\"unclosed",
                         "multipart/form-data; charset=utf-8; boundary=" + boundary + "; boundary=x"])
        what.append(f"Content-Type '{ct[:50]}'")
    headers = {"Content-Type": ct.encode("utf-8", "surrogatepass").decode("latin-1")}
    return Input("POST", "/api/ingest/file", headers, body,
                 f"boundary {boundary[:20]!r}, {', '.join(what) or 'well-formed'}, {len(body)} bytes")


# ---- files: PDF, DOCX, HTML fixtures and their mutations ----------------------------------------------------------

def pdf(pages, compress=False, extra_objects=None, kids_override=None, count_override=None):
    """A small valid PDF with one text page per entry (Helvetica), built by hand with a correct xref."""
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}
    kids = []
    number = 4
    for text in pages:
        stream = b"BT /F1 12 Tf 50 700 Td (" + text.replace("(", "[").replace(")", "]").encode("latin-1", "replace") \
            + b") Tj ET"
        if compress:
            data = zlib.compress(stream)
            objects[number + 1] = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data \
                + b"\nendstream"
        else:
            objects[number + 1] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
        objects[number] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                           b"/Resources << /Font << /F1 3 0 R >> >> >>" % (number + 1))
        kids.append(number)
        number += 2
    for body in extra_objects or []:
        objects[number] = body
        number += 1
    kid_refs = kids_override if kids_override is not None else b" ".join(b"%d 0 R" % k for k in kids)
    objects[2] = b"<< /Type /Pages /Kids [" + kid_refs + b"] /Count " \
        + (count_override if count_override is not None else b"%d" % len(kids)) + b" >>"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for n in sorted(objects):
        offsets[n] = out.tell()
        out.write(b"%d 0 obj\n" % n + objects[n] + b"\nendobj\n")
    xref = out.tell()
    size = max(objects) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for n in range(1, size):
        out.write(b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n")
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return out.getvalue()


DOCX_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/'
              'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
              'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
              'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
              'wordprocessingml.document.main+xml"/></Types>')
DOCX_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats'
             '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
             'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_xml(paragraphs, body_xml=None, prolog=""):
    body = body_xml if body_xml is not None else "".join(
        f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}<w:document xmlns:w="{W}"><w:body>'
            f"{body}</w:body></w:document>").encode()


def docx(document_xml, extra_entries=(), types=DOCX_TYPES):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", DOCX_RELS)
        z.writestr("word/document.xml", document_xml)
        for name, data in extra_entries:
            z.writestr(name, data)
    return out.getvalue()


def html_page(token):
    return (f"<!DOCTYPE html><html><head><title>Fuzz {token}</title><meta charset='utf-8'></head><body>"
            f"<nav><a href='/'>Home</a></nav><main><h1>Report {token}</h1><p>Revenue grew by 12% in the quarter."
            f"</p><ul><li>churn fell</li><li>hiring slowed</li></ul><table><tr><td>a</td><td>b</td></tr></table>"
            f"</main><footer>footer</footer></body></html>").encode()


def flip_bytes(rng, data, count):
    data = bytearray(data)
    for _ in range(count if data else 0):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def byte_mutation(rng, data, other):
    roll = rng.random()
    if roll < 0.3:
        n = rng.choice([1, 2, 5, 20, 100])
        return flip_bytes(rng, data, n), f"{n} bytes flipped"
    if roll < 0.5:
        cut = rng.randrange(len(data))
        return data[:cut], f"truncated at {cut} of {len(data)}"
    if roll < 0.65:
        i, j = rng.randrange(len(data)), rng.randrange(len(other))
        return data[:i] + other[j:], "spliced with another fixture"
    if roll < 0.8:
        i = rng.randrange(len(data))
        j = min(len(data), i + rng.randrange(1, 400))
        times = rng.choice([2, 10, 1000])
        return data[:i] + data[i:j] * times + data[j:], f"a chunk repeated {times} times"
    if roll < 0.9:
        i = rng.randrange(len(data))
        junk = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 2000)))
        return data[:i] + junk + data[i:], "random bytes inserted"
    i, j = sorted((rng.randrange(len(data)), rng.randrange(len(data))))
    return data[:i] + data[j:], "a range deleted"


def pdf_fixture(rng, token):
    roll = rng.random()
    if roll < 0.55:
        base = pdf([f"Fuzz PDF {token} page {i}" for i in range(rng.randrange(1, 4))], compress=rng.random() < 0.5)
        data, how = byte_mutation(rng, base, html_page(token))
        return data, f"pdf, {how}"
    if roll < 0.62:
        depth = rng.choice([1000, 10_000, 100_000])
        return pdf([token], extra_objects=[b"[" * depth + b"]" * depth]), f"pdf with an array nested {depth} deep"
    if roll < 0.68:
        depth = rng.choice([1000, 50_000])
        return pdf([token], extra_objects=[b"<< /A " * depth + b"1" + b" >>" * depth]), \
            f"pdf with a dictionary nested {depth} deep"
    if roll < 0.74:
        return pdf([token], kids_override=b"2 0 R 1 0 R"), "pdf whose page tree contains itself"
    if roll < 0.79:
        return pdf([token], count_override=b"2147483647"), "pdf claiming 2^31 pages"
    if roll < 0.86:
        size = rng.choice([20, 100, 200]) * 1024 * 1024
        compressor = zlib.compressobj(9)
        bomb = b"".join(compressor.compress(b"0 0 m 1 1 l S\n" * (1024 * 64)) for _ in range(size // (14 * 1024 * 64)))
        bomb += compressor.flush()
        stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb) + bomb + b"\nendstream"
        data = pdf([token])
        # the page's content stream replaced by the bomb (object 5)
        return data.replace(b"5 0 obj\n", b"5 0 obj\n" + stream + b"\nendobj\n99 0 obj\n", 1), \
            f"pdf with a content stream inflating to {size >> 20} MB"
    if roll < 0.92:
        return pdf([token] * rng.choice([200, 2000])), "pdf with many pages"
    return pdf([token]).replace(b"/Length", b"/Length 999999999 /X", 1), "pdf with a wrong stream length"


def docx_fixture(rng, token):
    roll = rng.random()
    paragraphs = [f"Fuzz DOCX {token} paragraph {i}" for i in range(rng.randrange(1, 6))]
    if roll < 0.4:
        base = docx(docx_xml(paragraphs))
        data, how = byte_mutation(rng, base, pdf([token]))
        return data, f"docx, {how}"
    if roll < 0.5:
        xml = bytearray(docx_xml(paragraphs))
        xml, how = byte_mutation(rng, bytes(xml), b"<w:p><w:r><w:t>x</w:t></w:r></w:p>")
        return docx(xml), f"docx whose document.xml is {how}"
    if roll < 0.6:
        depth = rng.choice([1000, 10_000, 100_000])
        body = "<w:tbl><w:tr><w:tc>" * depth + f"<w:p><w:r><w:t>{token}</w:t></w:r></w:p>" \
            + "</w:tc></w:tr></w:tbl>" * depth
        return docx(docx_xml([], body_xml=body)), f"docx with tables nested {depth} deep"
    if roll < 0.66:
        depth = rng.choice([10_000, 200_000])
        body = "<w:p><w:r><w:t>" + "<w:x>" * depth + token + "</w:x>" * depth + "</w:t></w:r></w:p>"
        return docx(docx_xml([], body_xml=body)), f"docx with unknown elements nested {depth} deep"
    if roll < 0.74:
        size = rng.choice([50, 150])
        run = f"<w:p><w:r><w:t>{token} lorem ipsum</w:t></w:r></w:p>"
        body = run * (size * 1024 * 1024 // len(run))
        return docx(docx_xml([], body_xml=body)), f"docx whose text inflates to {size} MB (zip bomb-lite)"
    if roll < 0.8:
        spaces = " " * (rng.choice([100, 200]) * 1024 * 1024)
        return docx(docx_xml([token]).replace(b"<w:body>", b"<w:body>" + spaces.encode())), \
            "docx inflating to hundreds of MB of spaces"
    if roll < 0.86:
        prolog = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
        return docx(docx_xml([], body_xml="<w:p><w:r><w:t>&lol3;</w:t></w:r></w:p>", prolog=prolog)), \
            "docx with entity expansion (billion laughs)"
    if roll < 0.9:
        entries = [(f"word/media/f{i}.xml", "<a/>") for i in range(rng.choice([1000, 20_000]))]
        return docx(docx_xml(paragraphs), entries), f"docx with {len(entries)} zip entries"
    if roll < 0.94:
        return docx(docx_xml(paragraphs), types="<Types/>"), "docx with empty content types"
    xml = docx_xml(paragraphs)
    return docx(xml, [("word/document.xml", b"<dup/>")]), "docx with a duplicated zip entry"


def html_fixture(rng, token):
    roll = rng.random()
    if roll < 0.35:
        data, how = byte_mutation(rng, html_page(token), pdf([token]))
        return data, f"html, {how}"
    if roll < 0.55:
        depth = rng.choice([1000, 10_000, 100_000, 500_000])
        tag = rng.choice([b"div", b"b", b"table", b"li", b"span"])
        return (b"<html><body>" + b"<" + tag + b">" * 1 + (b"<" + tag + b">") * depth + token.encode()
                + (b"</" + tag + b">") * rng.choice([0, depth])), f"html, <{tag.decode()}> nested {depth} deep"
    if roll < 0.62:
        return b"<html><body><p " + b"a=b " * rng.choice([10_000, 500_000]) + b">" + token.encode(), \
            "html with very many attributes"
    if roll < 0.68:
        return b"<html><body><!--" + b"-" * 2_000_000 + token.encode(), "html, unclosed comment"
    if roll < 0.74:
        return b"<html><body><p>" + b"&amp;&#x10FFFF;&#1114112;&#0;&bogus;" * 200_000 + token.encode(), \
            "html, entity soup"
    if roll < 0.8:
        return (b'<html><head><meta charset="' + rng.choice([b"x-nope", b"utf-7", b"utf-32", b"\xff\xfe"])
                + b'"></head><body><p>' + token.encode() + b"\xff\xfe\x00</p>"), "html, odd charset"
    if roll < 0.86:
        return b"<html><body><script>" + b"var a=1;" * 500_000 + b"</script><p>" + token.encode(), \
            "html, huge script"
    if roll < 0.92:
        return (b"<html><body>" + b"<p>" + b"word " * 2_000_000 + token.encode()), "html, 10 MB of text"
    return b"<html><body><svg>" + b"<g>" * 50_000 + token.encode() + b"</svg>", "html, deep svg"


def gen_file(seed, index):
    rng = rng_for(seed, "files", index)
    token = f"fz{seed}f{index}"
    kind = rng.choice(["pdf", "docx", "html"])
    data, what = {"pdf": pdf_fixture, "docx": docx_fixture, "html": html_fixture}[kind](rng, token)
    filename = {"pdf": "report.pdf", "docx": "report.docx", "html": "page.html"}[kind]
    declared = {"pdf": "application/pdf", "html": "text/html",
                "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}[kind]
    if rng.random() < 0.1:
        filename, declared = rng.choice([("report.txt", "text/plain"), ("x", "application/octet-stream"),
                                         ("page.html", "application/pdf")])
    boundary = "fuzzfileboundary%d" % index
    body = part(boundary, "file", data, filename, declared) + part(boundary, "title", token.encode()) \
        + f"--{boundary}--\r\n".encode()
    return Input("POST", "/api/ingest/file", {"Content-Type": f"multipart/form-data; boundary={boundary}"}, body,
                 f"{what}, {len(data)} bytes as {filename}")


GENERATORS = {
    "json-document": gen_json_document,
    "json-batch": gen_json_batch,
    "url": None,         # needs the page server's address: gen_url
    "webhook": gen_webhook,
    "multipart": gen_multipart,
    "files": gen_file,
}
