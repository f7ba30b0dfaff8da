package jsonscan

import (
	"encoding/json"
	"os"
	"testing"
	"unicode/utf8"
)

// FuzzSkip checks Skip and the step functions against encoding/json on any
// input: both accept exactly what json.Valid accepts (within the depth
// bound), agree with each other on where a value ends or what is wrong
// with it, decode a top-level string as json.Unmarshal does, and keep the
// contract streaming callers rely on for a valid document cut short.
// Seeds: the documents of the table tests and the small ARM REST examples
// of ../shared/testdata.
func FuzzSkip(f *testing.F) {
	for _, s := range cases {
		f.Add([]byte(s))
	}
	for _, p := range jsonFiles(sharedTestdata) {
		if b, err := os.ReadFile(p); err == nil && len(b) < 16<<10 {
			f.Add(b)
		}
	}
	const depth = 64
	f.Fuzz(func(t *testing.T, data []byte) {
		send, serr := Skip(data, 0, depth)
		wend, werr := walk(data, 0, depth)
		if (serr == nil) != (werr == nil) || serr == nil && send != wend ||
			serr != nil && (serr.Off != werr.Off || serr.Kind != werr.Kind) {
			t.Fatalf("%q: Skip gives %d, %v; the step functions %d, %v", data, send, serr, wend, werr)
		}
		if serr != nil && (serr.Off < 0 || serr.Off > len(data) || serr.Kind == End && serr.Off != len(data)) {
			t.Fatalf("%q: error %v at offset %d of %d bytes", data, serr, serr.Off, len(data))
		}
		got := serr == nil && Space(data, send) == len(data)
		if want := json.Valid(data); got != want {
			// The depth bound is one encoding/json does not have.
			if !(want && serr != nil && serr.Kind == TooDeep) {
				t.Fatalf("%q: valid = %v (%v), json.Valid = %v", data, got, serr, want)
			}
		}
		if !got {
			return
		}
		if i := Space(data, 0); data[i] == '"' {
			var want string
			if err := json.Unmarshal(data, &want); err != nil {
				t.Fatal(err)
			}
			end, _, _ := String(data, i)
			raw := data[i+1 : end-1]
			if s := Unescape(nil, raw); utf8.Valid(raw) && string(s) != want {
				t.Fatalf("%q: Unescape gives %q, json.Unmarshal %q", data, s, want)
			}
		}
		if len(data) <= 256 {
			checkTruncated(t, data)
		}
	})
}
