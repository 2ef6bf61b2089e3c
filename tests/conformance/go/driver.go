// Conformance driver: decodes every case with the generated Go bindings and prints, per case,
// one JSON line {"id", "ok": true, "output": <JSON>} or {"id", "ok": false, "error", "path"}.
// tests/tests/conformance.rs compares the outputs with Rust's.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"

	"events"
	rt "events/runtime"
)

type testCase struct {
	ID        string `json:"id"`
	EventType string `json:"event_type"`
	Policy    string `json:"policy"`
	Input     string `json:"input"`
}

type result struct {
	ID     string `json:"id"`
	OK     bool   `json:"ok"`
	Output string `json:"output,omitempty"`
	Error  string `json:"error,omitempty"`
	Path   string `json:"path,omitempty"`
}

func policy(value string) rt.UnknownFields {
	switch p := rt.UnknownFields(value); p {
	case rt.Ignore, rt.Preserve, rt.Deny:
		return p
	}
	panic("unknown policy " + value)
}

func run(c testCase) (any, error) {
	p := policy(c.Policy)
	if slices.Contains(events.EventTypes, c.EventType) {
		event, err := events.AnyEventFromJSON([]byte(c.Input), p)
		if err != nil {
			return nil, err
		}
		if _, unknown := event.(rt.UnknownEvent); unknown {
			panic(c.ID + ": decoded as an unknown event")
		}
		return event.EncodeValue(), nil
	}
	v, err := rt.ParseJSON([]byte(c.Input))
	if err != nil {
		return nil, err
	}
	encoded, known, err := events.ReencodeAs(c.EventType, v, rt.NewCtx(p))
	if !known {
		panic(c.ID + ": unknown event type " + c.EventType)
	}
	return encoded, err
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: driver CASES.json")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	var cases []testCase
	if err := json.Unmarshal(data, &cases); err != nil {
		panic(err)
	}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	lines := json.NewEncoder(out)
	for _, c := range cases {
		encoded, err := run(c)
		r := result{ID: c.ID}
		var decodeError *rt.DecodeError
		switch {
		case err == nil:
			text, err := rt.ToJSON(encoded)
			if err != nil {
				panic(fmt.Sprintf("%s: cannot write the output: %v", c.ID, err))
			}
			r.OK, r.Output = true, string(text)
		case errors.As(err, &decodeError):
			r.Error, r.Path = decodeError.Error(), decodeError.Path
		default:
			panic(fmt.Sprintf("%s: not a decode error: %v", c.ID, err))
		}
		if err := lines.Encode(r); err != nil {
			panic(err)
		}
	}
}
