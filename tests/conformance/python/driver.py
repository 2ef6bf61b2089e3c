"""Conformance driver: decodes every case with the generated Python bindings and prints, per case,
one JSON line ``{"id", "ok": true, "output": <canonical JSON>}`` or ``{"id", "ok": false, "error",
"path"}``. tests/tests/conformance.rs compares the outputs with Rust's."""

from __future__ import annotations

import json
import sys
import typing

import events
from events import _runtime


def canonical(value: typing.Any) -> str:
    """Sorted keys, no spaces, integers exact."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


POLICIES: dict[str, _runtime.UnknownFields] = {"ignore": "ignore", "preserve": "preserve", "deny": "deny"}


def policy(value: str) -> _runtime.UnknownFields:
    return POLICIES[value]


def run(event_type: str, unknown_fields: _runtime.UnknownFields, text: str) -> typing.Any:
    if event_type in events.EVENT_TYPES:
        event = events.any_event_from_json(text, unknown_fields)
        if isinstance(event, events.UnknownEvent):
            raise RuntimeError(f"{event_type}: decoded as an unknown event")
        return events.encode_any_event(event)
    return events.reencode_as(event_type, _runtime.parse_json(text), _runtime.Ctx(unknown_fields))


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as f:
        cases = json.load(f)
    out = []
    for case in cases:
        try:
            encoded = run(case["event_type"], policy(case["policy"]), case["input"])
            out.append({"id": case["id"], "ok": True, "output": canonical(encoded)})
        except _runtime.DecodeError as e:
            out.append({"id": case["id"], "ok": False, "error": str(e), "path": e.path})
    sys.stdout.write("".join(json.dumps(line) + "\n" for line in out))


if __name__ == "__main__":
    main()
