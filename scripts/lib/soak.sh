# Sourced by scripts/drill.sh: the soak drill (issue 15). No fault: RAG_SOAK_MINUTES of a fixed-rate mix of requests
# from 4 tenants against the packaged app (scripts/lib/soak.py), the app sampled every RAG_SOAK_SAMPLE seconds; the
# series goes to RAG_SOAK_OUT as soak.csv and soak.png (gnuplot from Debian's gnuplot-nox).

readonly SOAK_HEADER='| drill | load | requests (an MCP exchange counts once) | errors | documents accepted / completed | p99 first window after warm-up -> last | RSS first window after warm-up -> last | open fds | fds on .lance files / Lance handles (gauge) | heap live after GC |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |'

# gnuplot draws the chart; installed through apt-get when missing (as scripts/ensure-*.sh install what they need)
soak_ensure_gnuplot() {
  command -v gnuplot >/dev/null 2>&1 && return 0
  fail() { echo "drill soak: $*" >&2; exit 1; }
  # shellcheck source=as-root.sh
  source scripts/lib/as-root.sh
  command -v apt-get >/dev/null 2>&1 || fail "gnuplot is missing and apt-get is not available: install gnuplot"
  echo "drill soak: installing gnuplot-nox with apt-get" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gnuplot-nox >/dev/null 2>&1 \
    || { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gnuplot-nox >/dev/null; }
  command -v gnuplot >/dev/null 2>&1 || fail "apt-get ran but gnuplot is still missing"
}

drill_soak() {
  local minutes=${RAG_SOAK_MINUTES:-30}
  [[ $minutes =~ ^[0-9]+$ ]] && (( minutes >= 1 && minutes <= 600 )) || { echo "RAG_SOAK_MINUTES: 1..600" >&2; exit 2; }
  local sample=${RAG_SOAK_SAMPLE:-}
  [[ -n $sample ]] || { (( minutes >= 10 )) && sample=30 || sample=10; }
  [[ $sample =~ ^[0-9]+$ ]] && (( sample >= 5 && sample <= 300 )) || { echo "RAG_SOAK_SAMPLE: 5..300 seconds" >&2; exit 2; }
  local out=${RAG_SOAK_OUT:-target/drill-soak}
  # warm-up: the first fifth of the run, at most 5 minutes (JIT, the first Lance opens, the Session caches filling)
  local seconds=$(( minutes * 60 )) warmup=$(( minutes * 60 / 5 ))
  (( warmup > 300 )) && warmup=300
  soak_ensure_gnuplot
  mkdir -p "$out"
  WORK=$(mktemp -d /tmp/rag-drill-soak-XXXXXX)
  start_app soak
  local limits='{"rate_limit_requests_per_minute":100000,"rate_limit_requests_per_day":100000000}'
  local tenants=() i
  for i in 1 2 3 4; do
    tenants+=("$(drill tenant "$BASE" "t$i" "$limits")")
  done
  sleep 6   # tenants' limits are cached for 5 s
  local tenants_json
  tenants_json=$(printf '%s\n' "${tenants[@]}" | python3 -c 'import json,sys; print(json.dumps([json.loads(l) for l in sys.stdin if l.strip()]))')
  echo "drill soak: $minutes min, a sample every $sample s, warm-up $warmup s; series in $out" >&2
  local row
  row=$(python3 scripts/lib/soak.py run "$BASE" "$APP_PID" "$out" "$seconds" "$sample" "$warmup" "$tenants_json")
  SOAK_ROWS+=("$row")
  gnuplot "$out/soak.gnuplot" || echo "drill soak: gnuplot could not draw $out/soak.png" >&2
  echo "  series: $out/soak.csv, chart: $out/soak.png; app log lines with ERROR: $(grep -c ' ERROR ' "$WORK/app.log" || true)" >&2
}
