package engine

import (
	"testing"
)

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
