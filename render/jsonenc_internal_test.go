package render

import (
	"encoding/json"
	"testing"
)

// FuzzAppendString checks that strings are escaped exactly as
// encoding/json escapes them, whatever their bytes.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", "q\"b\\", "<>&", "\t\n\r\b\f\x00\x1f\x7f", "é漢字", "\xff\xc3", "\u2028\u2029", "\xe2\x80", "\xed\xa0\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendString(nil, s); string(got) != string(want) {
			t.Errorf("appendString(%q) = %s, encoding/json writes %s", s, got, want)
		}
	})
}
