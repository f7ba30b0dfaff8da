package jsonenc

import (
	"encoding/json"
	"testing"
)

// TestAppendValue checks the reflection-free encoder of fix bodies
// against encoding/json: the same values, keys sorted, strings escaped.
func TestAppendValue(t *testing.T) {
	v := map[string]any{"name": "a\"b\\c\x01é", "properties": map[string]any{"priority": 299, "on": true, "off": false, "none": nil,
		"list": []string{"10.0.0.0/8", "tag"}, "rules": []any{map[string]any{"z": 1, "a": []any{}}}, "empty": map[string]any{}}}
	got := AppendValue(nil, v)
	var a, b any
	if err := json.Unmarshal(got, &a); err != nil {
		t.Fatalf("%s: %v", got, err)
	}
	want, _ := json.Marshal(v)
	if err := json.Unmarshal(want, &b); err != nil {
		t.Fatal(err)
	}
	if ja, _ := json.Marshal(a); string(ja) != string(want) || string(got) != string(want) {
		t.Errorf("AppendValue = %s\nencoding/json = %s", got, want)
	}
}

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
		if got := AppendString(nil, s); string(got) != string(want) {
			t.Errorf("AppendString(%q) = %s, encoding/json writes %s", s, got, want)
		}
	})
}
