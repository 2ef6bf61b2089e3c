#!/usr/bin/env python3
"""Writes N generated events as NDJSON for the store benchmarks: copies of the example catalog's
valid test vectors (general, data change, Avro and Protobuf twins), each with its own eid and an
occurred_at spread over 30 days. Standard library only.

    python3 store/bench/generate_events.py N OUT.ndjson
"""

import json
import os
import random
import sys
from datetime import datetime, timedelta, timezone

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
TYPES = [
    ("order.order_placed", "order.order_placed"),
    ("order.order_cancelled", "order.order_cancelled"),
    ("payment.refund_issued", "payment.refund_issued"),
    ("payment.refund_issued", "payment.refund_issued_avro"),
    ("payment.refund_issued", "payment.refund_issued_proto"),
    ("crm.contact", "crm.contact"),
    ("inventory.stock_level", "inventory.stock_level"),
    ("device.telemetry_reported", "device.telemetry_reported"),
]


def vectors(of, event_type):
    folder = os.path.join(ROOT, "fixtures", "vectors", of)
    out = []
    for name in sorted(os.listdir(folder)):
        if name.startswith("valid_") and "_closed_" not in name:
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                event = json.load(f)["input"]
            event["metadata"]["event_type"] = event_type
            out.append(json.dumps(event, separators=(",", ":")))
    return out


def main():
    count, path = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(42)
    pools = [vectors(of, t) for of, t in TYPES]
    base = datetime(2024, 5, 1, tzinfo=timezone.utc)
    with open(path, "w", encoding="utf-8") as out:
        for i in range(count):
            pool = pools[i % len(pools)]
            text = pool[rng.randrange(len(pool))]
            at = base + timedelta(microseconds=rng.randrange(30 * 86_400 * 1_000_000))
            eid = "%08x-%04x-4%03x-8%03x-%012x" % (i >> 16, i & 0xFFFF, rng.randrange(4096), rng.randrange(4096), i)
            event = json.loads(text)
            event["metadata"]["eid"] = eid
            event["metadata"]["occurred_at"] = at.isoformat().replace("+00:00", "Z")
            out.write(json.dumps(event, separators=(",", ":")))
            out.write("\n")


if __name__ == "__main__":
    main()
