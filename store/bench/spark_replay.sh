#!/usr/bin/env bash
# The store at a million events: `eventbind store write` of 1,000,000 generated events, then the
# same replay (3 event types, 10 of the 30 days) by `eventbind replay` over the NDJSON files,
# `eventbind replay --store`, and the PySpark job on Spark in local mode. Prints wall times.
#
#   store/bench/spark_replay.sh [EVENTS]        (default 1000000; needs examples/spark/.venv)
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-1000000}
work=${EVENTBIND_BENCH_DIR:-$(mktemp -d)}
python=examples/spark/.venv/bin/python
cargo build --release -q -p eventbind-cli
bin=${CARGO_TARGET_DIR:-target}/release/eventbind
input=$work/events-$events.ndjson
[ -f "$input" ] || python3 store/bench/generate_events.py "$events" "$input"
echo "input: $events events, $(du -h "$input" | cut -f1)"
types=(--type payment.refund_issued_avro --type crm.contact --type order.order_placed)
window=(--from 2024-05-08T00:00:00Z --to 2024-05-18T00:00:00Z)
# `timed LOG CMD...`: runs CMD with its stdout and stderr in LOG, prints the wall time in seconds.
timed() { local log=$1; shift; local start=$(date +%s.%N); "$@" > "$log" 2>&1; echo "$(date +%s.%N) - $start" | bc; }

rm -rf "$work/store" "$work/spark-out"
t=$(timed "$work/write.log" "$bin" store write --no-progress --catalog fixtures/catalog --out "$work/store" "$input")
echo "store write: ${t}s ($(du -sh "$work/store" | cut -f1) of Parquet)"; tail -n 3 "$work/write.log"
t=$(timed "$work/replay-files.log" "$bin" replay --catalog fixtures/catalog "${types[@]}" "${window[@]}" --out "$work/replay-files.ndjson" "$input")
echo "eventbind replay FILES: ${t}s; $(tail -n 1 "$work/replay-files.log")"
t=$(timed "$work/replay-store.log" "$bin" replay --catalog fixtures/catalog "${types[@]}" "${window[@]}" --store "$work/store" --out "$work/replay-store.ndjson")
echo "eventbind replay --store: ${t}s; $(tail -n 1 "$work/replay-store.log")"
"$bin" schema --catalog fixtures/catalog --format spark-json "${types[@]}" > "$work/schemas.json"
t=$(timed "$work/spark.log" "$python" examples/spark/replay.py --store "$work/store" --schemas "$work/schemas.json" "${types[@]}" "${window[@]}" --out "$work/spark-out")
echo "Spark replay (local mode, session start included): ${t}s; $(grep '^replayed' "$work/spark.log")"
cmp <(python3 -c 'import json,sys; [print(json.loads(l)["metadata"]["eid"]) for l in open(sys.argv[1])]' "$work/replay-files.ndjson") \
    <(python3 -c 'import json,sys; [print(json.loads(l)["metadata"]["eid"]) for l in open(sys.argv[1])]' "$work/replay-store.ndjson") \
    && echo "replay --store selects what replay FILES selects, in the same order"
echo "work folder: $work"
