// Conformance driver: decodes every case with the generated TypeScript bindings and prints, per
// case, one JSON line `{"id", "ok": true, "output": <canonical JSON>}` or `{"id", "ok": false,
// "error", "path"}`. tests/tests/conformance.rs compares the outputs with Rust's.

import { readFileSync } from "node:fs";
import { isLosslessNumber } from "lossless-json";
import { anyEventFromJson, encodeAnyEvent, EVENT_TYPES, reencodeAs, runtime } from "./events/src/index.js";

interface Case {
  readonly id: string;
  readonly eventType: string;
  readonly policy: runtime.UnknownFields;
  readonly input: string;
}

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? Object.getOwnPropertyDescriptor(value, key)?.value : undefined;
}

function text(value: unknown, key: string): string {
  const v = field(value, key);
  if (typeof v !== "string") throw new Error(`case without a string \`${key}\``);
  return v;
}

function policy(value: string): runtime.UnknownFields {
  if (value === "ignore" || value === "preserve" || value === "deny") return value;
  throw new Error(`unknown policy ${value}`);
}

function readCases(file: string): Case[] {
  const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (!Array.isArray(parsed)) throw new Error("cases must be an array");
  return parsed.map((c: unknown) => ({
    id: text(c, "id"),
    eventType: text(c, "event_type"),
    policy: policy(text(c, "policy")),
    input: text(c, "input"),
  }));
}

/** Sorted keys, no spaces, numbers as written (bigints exact). */
function canonical(value: runtime.JsonValue): string {
  if (value === null || typeof value === "boolean") return String(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`not a JSON number: ${value}`);
    return String(value);
  }
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return JSON.stringify(value);
  if (isLosslessNumber(value)) return value.value;
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k] ?? null)}`).join(",")}}`;
}

function run(c: Case): runtime.JsonValue {
  const options = { unknownFields: c.policy };
  if (EVENT_TYPES.includes(c.eventType)) {
    const event = anyEventFromJson(c.input, options);
    if (event.kind === "Unknown") throw new Error(`${c.id}: decoded as an unknown event`);
    return encodeAnyEvent(event);
  }
  const encoded = reencodeAs(c.eventType, runtime.parseJson(c.input), { unknownFields: c.policy });
  if (encoded === undefined) throw new Error(`${c.id}: unknown event type ${c.eventType}`);
  return encoded;
}

const file = process.argv[2];
if (file === undefined) throw new Error("usage: driver.js CASES.json");
const lines: string[] = [];
for (const c of readCases(file)) {
  try {
    lines.push(JSON.stringify({ id: c.id, ok: true, output: canonical(run(c)) }));
  } catch (e) {
    if (!(e instanceof runtime.DecodeError)) throw e;
    lines.push(JSON.stringify({ id: c.id, ok: false, error: e.message, path: e.path }));
  }
}
process.stdout.write(lines.join("\n") + "\n");
