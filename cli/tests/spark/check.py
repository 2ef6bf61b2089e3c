"""The Spark half of cli/tests/store_spark.rs, in one Spark session (starting one takes 25-40 s):

1. every event type's `eventbind schema` StructType JSON and DDL read as the same StructType;
2. Spark reads each stored type's Parquet files with that schema, and the types it finds in the
   files themselves are the schema's (partition columns and comments aside);
3. typed values read back: per type, the count of rows and a checksum the Rust side computes too;
4. the replay job of examples/spark selects the window and writes it in order (JSON output, read
   back part file by part file).

Arguments: a JSON file {store, job, schemas_json, schemas_ddl, event_types, from, to, out, checks};
writes the results as JSON to the path in `result`.
"""

import glob
import importlib.util
import json
import os
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import ArrayType, MapType, StructField, StructType


def bare(data_type):
    """A type without nullability and metadata, for comparing what Spark infers from the files."""
    if isinstance(data_type, StructType):
        return StructType([StructField(f.name, bare(f.dataType), True) for f in data_type.fields])
    if isinstance(data_type, ArrayType):
        return ArrayType(bare(data_type.elementType), True)
    if isinstance(data_type, MapType):
        return MapType(bare(data_type.keyType), bare(data_type.valueType), True)
    return data_type


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        args = json.load(f)
    spec = importlib.util.spec_from_file_location("replay_job", args["job"])
    job = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(job)

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("eventbind-store-test")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "3")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    result = {"schema_mismatches": [], "file_mismatches": [], "counts": {}, "checksums": {}}

    with open(args["schemas_json"], encoding="utf-8") as f:
        schemas_json = json.load(f)
    with open(args["schemas_ddl"], encoding="utf-8") as f:
        schemas_ddl = json.load(f)
    schemas = {}
    for name, schema_json in schemas_json.items():
        from_json = StructType.fromJson(schema_json)
        from_ddl = StructType.fromDDL(schemas_ddl[name])
        schemas[name] = from_json
        if from_json != from_ddl:
            result["schema_mismatches"].append({"type": name, "json": from_json.simpleString(), "ddl": from_ddl.simpleString()})

    store = args["store"]
    for name in sorted(os.listdir(store)):
        if not name.startswith("event_type="):
            continue
        event_type = name[len("event_type="):]
        expected = bare(StructType([f for f in schemas[event_type].fields if f.name not in ("event_type", "date")]))
        inferred = spark.read.parquet(os.path.join(store, name)).schema
        inferred = bare(StructType([f for f in inferred.fields if f.name != "date"]))
        if inferred != expected:
            result["file_mismatches"].append({"type": event_type, "files": inferred.simpleString(), "schema": expected.simpleString()})
        df = spark.read.schema(schemas[event_type]).option("basePath", store).parquet(os.path.join(store, name))
        result["counts"][event_type] = df.count()

    # Typed values, each against the same figure computed in Rust from the input events.
    for check in args["checks"]:
        df = spark.read.schema(schemas[check["type"]]).parquet(store).where(F.col("event_type") == check["type"])
        value = df.select(F.expr(check["expr"]).alias("v")).collect()[0]["v"]
        result["checksums"][check["name"]] = str(value)

    start = job.parse_time(args["from"])
    end = job.parse_time(args["to"])
    count = job.replay(spark, store, schemas, args["event_types"], start, end, args["out"], "json")
    replayed = []
    for part in sorted(glob.glob(os.path.join(args["out"], "part-*.json"))):
        with open(part, encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                replayed.append({"event_type": row["event_type"], "eid": row["eid"], "event": json.loads(row["event"])})
    result["replay_count"] = count
    result["replayed"] = replayed
    spark.stop()
    with open(args["result"], "w", encoding="utf-8") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
