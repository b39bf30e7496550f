#!/usr/bin/env python3
"""Where a service's CPU went during a benchmark, per pipeline stage, from a Flight Recorder file.

Usage: scripts/jfr-breakdown.py recording.jfr [--top N]

Java code is sampled by jdk.ExecutionSample; code running inside a native library (the ONNX model, Lance, the
tokenizer) shows as jdk.NativeMethodSample of the thread that called it, so those samples count too when the
thread is in one of those libraries (a thread parked in a socket or epoll call is waiting, not working, and is
left out). Lance's own Rust worker threads are not Java threads and are invisible here: the Java thread waiting for
them is what shows, which is the time the index writer spends in Lance.

Each sample goes to the first stage (in the order below) whose marker appears anywhere in its stack, so the model
call inside the index step counts as embedding, and SQL inside a projection counts as SQL.
"""
import collections
import json
import subprocess
import sys

# (stage, markers): a frame "package.Class.method" containing a marker puts the sample in the stage
STAGES = [
    ("embedding: model (ONNX + tokenizer)", ["ai.onnxruntime.", "ai.djl.", "dev.langchain4j.model.embedding"]),
    ("embedding: token counting", ["com.knuddels.jtokkit", "TokenCounter"]),
    ("embedding: OpenAI client", ["com.openai.", "OpenAiEmbedder"]),
    ("index: Lance / Arrow", ["org.lance.", "org.apache.arrow.", "LanceTenant", "TenantDatasetCache"]),
    ("parse: Tika / jsoup", ["org.apache.tika.", "TikaDocumentParser", "org.jsoup.", "HtmlMainContent"]),
    ("chunk", ["io.dynamicrag.processing.chunking."]),
    ("artefacts: blob store", ["PipelineArtefacts", "FileSystemBlobStore", "S3BlobStore", "software.amazon."]),
    ("Axon: serialization", ["com.thoughtworks.xstream.", "org.axonframework.serialization."]),
    ("SQL: JDBC / R2DBC", ["org.postgresql.", "com.zaxxer.hikari.", "io.r2dbc.", "org.springframework.jdbc.",
                           "org.springframework.r2dbc."]),
    ("Axon: event processing, sagas, commands", ["org.axonframework."]),
    ("HTTP: Netty, WebFlux, security", ["io.netty.", "reactor.netty.", "org.springframework.web.",
                                        "org.springframework.security.", "io.dynamicrag.app.", "io.dynamicrag.command."]),
    ("JSON (Jackson)", ["com.fasterxml.jackson."]),
]
WORKING_NATIVE = ("ai.onnxruntime.", "ai.djl.", "org.lance.", "org.apache.arrow.", "com.github.luben.")


def frames(event):
    trace = event["values"].get("stackTrace") or {}
    for frame in trace.get("frames", []):
        method = frame.get("method") or {}
        owner = (method.get("type") or {}).get("name", "")
        yield owner.replace("/", ".") + "." + method.get("name", "")


def stage_of(stack):
    for stage, markers in STAGES:
        if any(marker in frame for frame in stack for marker in markers):
            return stage
    return "other (JVM, logging, scheduling)"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    path = sys.argv[1]
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 12
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "96", "--events",
                          "jdk.ExecutionSample,jdk.NativeMethodSample", path],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(out)["recording"]["events"]
    stages = collections.Counter()
    leaves = collections.Counter()
    total = 0
    for event in events:
        stack = list(frames(event))
        if not stack:
            continue
        if event["type"] == "jdk.NativeMethodSample" and not stack[0].startswith(WORKING_NATIVE):
            continue
        total += 1
        stages[stage_of(stack)] += 1
        leaves[stack[0]] += 1
    if total == 0:
        sys.exit("no samples in " + path)
    print(f"CPU samples of Java threads (incl. time inside the model and Lance): {total}")
    for stage, count in stages.most_common():
        print(f"  {100.0 * count / total:5.1f}%  {stage}")
    print(f"hottest methods:")
    for method, count in leaves.most_common(top):
        print(f"  {100.0 * count / total:5.1f}%  {method}")


if __name__ == "__main__":
    main()
