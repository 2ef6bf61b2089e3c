// Conformance driver: decodes every case with the generated Java bindings and prints, per case,
// one JSON line {"id", "ok": true, "output": <JSON>} or {"id", "ok": false, "error", "path"}.
// tests/tests/conformance.rs compares the outputs with Rust's. One JVM runs every case.

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import events.Events;
import events.runtime.Ctx;
import events.runtime.DecodeError;
import events.runtime.Event;
import events.runtime.Rt;
import events.runtime.UnknownEvent;
import events.runtime.UnknownFields;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;

public final class Driver {
    private Driver() {}

    private static String text(JsonNode c, String key) {
        JsonNode v = c.get(key);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("case without a string `" + key + "`");
        }
        return v.textValue();
    }

    private static JsonNode run(String eventType, UnknownFields policy, String input) {
        if (Events.EVENT_TYPES.contains(eventType)) {
            Event event = Events.anyEventFromJson(input, policy);
            if (event instanceof UnknownEvent) {
                throw new IllegalStateException(eventType + ": decoded as an unknown event");
            }
            return Events.encodeAnyEvent(event);
        }
        JsonNode encoded = Events.reencodeAs(eventType, Rt.parse(input), Ctx.of(policy));
        if (encoded == null) {
            throw new IllegalStateException("unknown event type " + eventType);
        }
        return encoded;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: Driver CASES.json");
        }
        ObjectMapper mapper = new ObjectMapper();
        JsonNode cases = mapper.readTree(new File(args[0]));
        if (cases == null || !cases.isArray()) {
            throw new IllegalArgumentException("cases must be an array");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (JsonNode c : cases) {
            ObjectNode line = mapper.createObjectNode();
            line.put("id", text(c, "id"));
            try {
                JsonNode encoded = run(text(c, "event_type"), UnknownFields.byName(text(c, "policy")), text(c, "input"));
                line.put("ok", true);
                line.put("output", Rt.write(encoded));
            } catch (DecodeError e) {
                line.put("ok", false);
                line.put("error", e.getMessage());
                line.put("path", e.path());
            }
            out.write(mapper.writeValueAsBytes(line));
            out.write('\n');
        }
        System.out.write(out.toByteArray());
        System.out.flush();
    }
}
