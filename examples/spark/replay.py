"""Replay events from an eventbind Parquet store on Spark.

Reads STORE/event_type=<name>/date=<YYYY-MM-DD>/*.parquet (written by `eventbind store write`)
with the typed schemas of `eventbind schema --format spark-json`, selects the chosen event types
in the window [--from, --to) of metadata.occurred_at, orders them as `eventbind replay` does
(occurred_at to the nanosecond, then the order of writing) and writes them out: one row per event
with its type, eid, occurred_at, the replay-order columns, the typed event as JSON and the fields
no schema declares.

Locally:
    eventbind schema --catalog events --format spark-json --type a.b --type c.d > schemas.json
    python replay.py --store STORE --schemas schemas.json --type a.b --type c.d \\
        --from 2024-05-01T00:00:00Z --to 2024-06-01T00:00:00Z --out OUT

On a cluster, unchanged (the store and OUT on a shared file system or object store):
    spark-submit --files schemas.json replay.py --store s3a://bucket/store --schemas schemas.json ...
"""

import argparse
import json
import re
from datetime import datetime, timezone
from functools import reduce

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import StructType

# The columns the store adds besides the event's own: from the folder names, and the order.
PARTITION_COLUMNS = ("event_type", "date")
ORDER_COLUMN = "_order"
UNKNOWN_COLUMN = "_unknown"

_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$"
)


def parse_time(text):
    """An RFC 3339 time as (UTC datetime to the microsecond, nanoseconds below the microsecond):
    Spark timestamps stop at microseconds, the store keeps the rest in _order.nanos."""
    m = _RFC3339.match(text)
    if not m:
        raise ValueError(f"not an RFC 3339 date-time: {text!r}")
    year, month, day, hour, minute, second, fraction, zone = m.groups()
    digits = (fraction or "").ljust(9, "0")
    micros, nanos = int(digits[:6]), int(digits[6:])
    offset = "+00:00" if zone in ("Z", "z") else zone
    local = datetime.fromisoformat(
        f"{year}-{month}-{day}T{hour}:{minute}:{second}.{micros:06d}{offset}"
    )
    return local.astimezone(timezone.utc), nanos


def path_exists(spark, path):
    """Through Hadoop's file system, so that the same job runs on HDFS, S3 or local disk."""
    jvm = spark.sparkContext._jvm
    hadoop_path = jvm.org.apache.hadoop.fs.Path(path)
    return hadoop_path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).exists(hadoop_path)


def at_or_after(bound):
    """occurred_at >= bound, to the nanosecond."""
    ts, nanos = bound
    occurred = F.col("metadata.occurred_at")
    return (occurred > F.lit(ts)) | ((occurred == F.lit(ts)) & (F.col(f"{ORDER_COLUMN}.nanos") >= nanos))


def select(spark, store, schemas, event_types, start=None, end=None):
    """The events of `event_types` in [start, end), in replay order. `schemas` maps each event
    type to its StructType (or the JSON that StructType.fromJson reads)."""
    store = store.rstrip("/")
    frames = []
    for event_type in event_types:
        schema = schemas[event_type]
        if not isinstance(schema, StructType):
            schema = StructType.fromJson(schema)
        path = f"{store}/event_type={event_type}"
        if not path_exists(spark, path):
            continue
        df = spark.read.schema(schema).option("basePath", store).parquet(path)
        # Partition pruning: only the days of the window are listed and read.
        if start is not None:
            df = df.where(F.col("date") >= F.lit(start[0].date())).where(at_or_after(start))
        if end is not None:
            df = df.where(F.col("date") <= F.lit(end[0].date())).where(~at_or_after(end))
        own = [c for c in df.columns if c not in PARTITION_COLUMNS + (ORDER_COLUMN, UNKNOWN_COLUMN)]
        frames.append(
            df.select(
                F.col("event_type"),
                F.col("metadata.eid").alias("eid"),
                F.col("metadata.occurred_at").alias("occurred_at"),
                F.col(f"{ORDER_COLUMN}.nanos").alias("nanos"),
                F.col(f"{ORDER_COLUMN}.seq").alias("seq"),
                # Backquoted: a field name may hold a dot, which would otherwise mean a nested field.
                F.to_json(F.struct(*[F.col(f"`{c.replace('`', '``')}`") for c in own])).alias("event"),
                F.col(UNKNOWN_COLUMN).alias("unknown"),
            )
        )
    if not frames:
        return None
    return reduce(DataFrame.unionByName, frames).orderBy("occurred_at", "nanos", "seq")


def replay(spark, store, schemas, event_types, start, end, out, output_format="parquet"):
    """Selects and writes the events; returns how many were written."""
    selected = select(spark, store, schemas, event_types, start, end)
    if selected is None:
        selected = spark.createDataFrame(
            [], "event_type string, eid string, occurred_at timestamp, nanos int, seq bigint, event string, unknown string"
        )
    selected.cache()
    count = selected.count()
    # A global sort writes part files in order: part-00000 holds the earliest events.
    selected.write.mode("errorifexists").format(output_format).save(out)
    selected.unpersist()
    return count


def session(app_name="eventbind-replay"):
    return (
        SparkSession.builder.appName(app_name)
        # Timestamps are UTC instants; dates of partitions are UTC dates.
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", required=True, help="the store's folder or URI")
    parser.add_argument("--schemas", required=True, help="the output of `eventbind schema --format spark-json`")
    parser.add_argument("--type", dest="event_types", action="append", required=True, help="an event type (repeat)")
    parser.add_argument("--from", dest="start", help="only events that occurred at or after this RFC 3339 time")
    parser.add_argument("--to", dest="end", help="only events that occurred before this RFC 3339 time")
    parser.add_argument("--out", required=True, help="where to write the selected events")
    parser.add_argument("--format", default="parquet", choices=["parquet", "json"], help="output format")
    args = parser.parse_args(argv)
    with open(args.schemas, encoding="utf-8") as f:
        schemas = json.load(f)
    if len(args.event_types) == 1 and "fields" in schemas:
        # One --type given to `eventbind schema` prints the schema alone.
        schemas = {args.event_types[0]: schemas}
    missing = [t for t in args.event_types if t not in schemas]
    if missing:
        parser.error(f"--schemas has no schema for: {', '.join(missing)}")
    start = parse_time(args.start) if args.start else None
    end = parse_time(args.end) if args.end else None
    spark = session()
    count = replay(spark, args.store, schemas, args.event_types, start, end, args.out, args.format)
    print(f"replayed {count} event(s) to {args.out}")
    spark.stop()


if __name__ == "__main__":
    main()
