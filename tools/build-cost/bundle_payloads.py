"""Writes each event type's payload schema of a synthetic catalog as one self-contained JSON
Schema file (references to the shared file folded into `definitions`), the input typify takes.

    python3 bundle_payloads.py CATALOG OUT_DIR      (needs PyYAML)
"""
import json
import pathlib
import sys

import yaml


def rewrite(node):
    """`…shared.json#/definitions/X` → `#/definitions/X`, everywhere in the schema."""
    if isinstance(node, dict):
        return {k: ("#" + v.split("#", 1)[1] if k == "$ref" and "shared.json#" in v else rewrite(v))
                for k, v in node.items()}
    if isinstance(node, list):
        return [rewrite(v) for v in node]
    return node


def main():
    catalog, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    shared = json.loads((catalog / "schemas" / "shared.json").read_text())["definitions"]
    count = 0
    for definition in sorted(catalog.glob("ns*/*.yaml")):
        event = yaml.safe_load(definition.read_text())
        block = event["schema"]
        if "file" in block:
            schema = json.loads((definition.parent / block["file"]).read_text())
        elif isinstance(block["schema"], str):
            schema = json.loads(block["schema"])
        else:
            schema = block["schema"]
        schema = rewrite(schema)
        schema.setdefault("definitions", {}).update(shared)
        schema["$schema"] = "http://json-schema.org/draft-07/schema#"
        name = event["name"].split(".", 1)[1]
        (out / f"{name}.json").write_text(json.dumps(schema, indent=1))
        count += 1
    print(f"{count} payload schemas in {out}")


main()
