#!/usr/bin/env bash
# Compiles the benchmark module (Maven profile "bench", never part of the normal build or scripts/test.sh) and prints
# its runtime classpath: bench/target/classes plus the reactor's processors and shared-kernel classes and their jars.
# Usage: CP=$(scripts/bench-classpath.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -Pbench -pl bench -am compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=runtime >&2
echo "$PWD/bench/target/classes:$(cat bench/target/bench.classpath)"
