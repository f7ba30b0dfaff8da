package engine

import (
	"encoding/json"
	"testing"
)

// TestRawJSON checks the reflection-free encoder of fix bodies against
// encoding/json: the same values, keys sorted, strings escaped.
func TestRawJSON(t *testing.T) {
	v := obj{"name": "a\"b\\c\x01é", "properties": obj{"priority": 299, "on": true, "off": false, "none": nil,
		"list": []string{"10.0.0.0/8", "tag"}, "rules": []any{obj{"z": 1, "a": []any{}}}, "empty": obj{}}}
	got := rawJSON(v)
	var a, b any
	if err := json.Unmarshal(got, &a); err != nil {
		t.Fatalf("%s: %v", got, err)
	}
	want, _ := json.Marshal(v)
	if err := json.Unmarshal(want, &b); err != nil {
		t.Fatal(err)
	}
	if ja, _ := json.Marshal(a); string(ja) != string(want) {
		t.Errorf("rawJSON = %s\nencoding/json = %s", got, want)
	}
}

// TestIDSegment checks the resource group and subscription that az
// commands name, read from ARM IDs in any letter case.
func TestIDSegment(t *testing.T) {
	const id = "/subscriptions/S-1/RESOURCEGROUPS/rg-net/providers/Microsoft.Network/virtualNetworks/v"
	for _, tc := range []struct{ key, want string }{{"resourceGroups", "rg-net"}, {"subscriptions", "S-1"}, {"providers", "Microsoft.Network"}, {"nope", ""}} {
		if got := idSegment(id, tc.key); got != tc.want {
			t.Errorf("idSegment(%q) = %q, want %q", tc.key, got, tc.want)
		}
	}
	if rg("not an id") != "-g ?" || sub("not an id") != "" {
		t.Errorf("rg/sub of a bad ID: %q %q", rg("x"), sub("x"))
	}
}
