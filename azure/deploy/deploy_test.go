package deploy

import (
	"encoding/json"
	"testing"
)

func TestResultJSONIsTheLoaderArray(t *testing.T) {
	var empty *Result
	if got := string(empty.JSON()); got != "[]\n" {
		t.Errorf("nil result JSON = %q", got)
	}
	r := &Result{Resources: []Resource{
		{ID: "/a", Type: "t", JSON: json.RawMessage(`{"id":"/a"}`)},
		{ID: "/b", Type: "t", JSON: json.RawMessage(`{"id":"/b"}`)},
	}}
	want := "[\n{\"id\":\"/a\"},\n{\"id\":\"/b\"}\n]\n"
	if got := string(r.JSON()); got != want {
		t.Errorf("JSON = %q, want %q", got, want)
	}
	var arr []map[string]string
	if err := json.Unmarshal(r.JSON(), &arr); err != nil || len(arr) != 2 || arr[1]["id"] != "/b" {
		t.Errorf("JSON does not decode as the array: %v %v", arr, err)
	}
}

func TestSkipCountsTypesCaseInsensitively(t *testing.T) {
	var r Result
	r.Skip("Microsoft.Compute/virtualMachines")
	r.Skip("microsoft.compute/virtualmachines")
	r.Skip("aws_vpc")
	if len(r.Skipped) != 2 || r.Skipped["Microsoft.Compute/virtualMachines"] != 2 || r.Skipped["aws_vpc"] != 1 {
		t.Errorf("Skipped = %v", r.Skipped)
	}
}

func TestLookupsIgnoreCase(t *testing.T) {
	r := &Result{
		Resources: []Resource{{ID: "/subscriptions/s/resourceGroups/G/providers/Microsoft.Network/virtualNetworks/hub"}},
		Missing:   []Missing{{ID: "/subscriptions/s/resourceGroups/G/providers/Microsoft.Network/publicIPAddresses/pip", Reason: "r"}},
	}
	if _, ok := r.Resource("/SUBSCRIPTIONS/s/resourcegroups/g/providers/microsoft.network/virtualnetworks/HUB"); !ok {
		t.Error("Resource is case-sensitive")
	}
	if m, ok := r.MissingID("/subscriptions/s/resourcegroups/g/providers/Microsoft.Network/publicIPAddresses/PIP"); !ok || m.Reason != "r" {
		t.Error("MissingID is case-sensitive")
	}
	if _, ok := r.Resource("/nope"); ok {
		t.Error("Resource found an absent ID")
	}
}

func TestIsModelled(t *testing.T) {
	for typ, want := range map[string]bool{
		"Microsoft.Network/virtualNetworks":                       true,
		"microsoft.network/virtualnetworks/subnets":               true,
		"Microsoft.Network/privateDnsZones/PTR":                   true,
		"Microsoft.MachineLearningServices/workspaces":            true,
		"Microsoft.MachineLearningServices/workspaces/computes":   false,
		"Microsoft.Network/privateEndpoints/privateDnsZoneGroups": false,
		"Microsoft.Compute/virtualMachines":                       false,
	} {
		if got := IsModelled(typ); got != want {
			t.Errorf("IsModelled(%q) = %v", typ, got)
		}
	}
}

func TestResourceID(t *testing.T) {
	tests := []struct {
		sub, rg, typ string
		names        []string
		want         string
	}{
		{"s", "rg", "Microsoft.Network/virtualNetworks", []string{"hub"}, "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub"},
		{"s", "rg", "Microsoft.Network/virtualNetworks/subnets", []string{"hub", "a"}, "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub/subnets/a"},
		{"s", "rg", "Microsoft.Network/privateDnsZones/A", []string{"privatelink.blob.core.windows.net", "acct"}, "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net/A/acct"},
		{"s", "", "Microsoft.Authorization/roleDefinitions", []string{"r"}, "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/r"},
	}
	for _, tt := range tests {
		if got := ResourceID(tt.sub, tt.rg, tt.typ, tt.names...); got != tt.want {
			t.Errorf("ResourceID(%q, %q, %q, %q) = %q, want %q", tt.sub, tt.rg, tt.typ, tt.names, got, tt.want)
		}
	}
}

func TestMarshalKeepsCharacters(t *testing.T) {
	b, err := Marshal(map[string]any{"fqdn": "*.a&b<c>"})
	if err != nil || string(b) != `{"fqdn":"*.a&b<c>"}` {
		t.Errorf("Marshal = %s, %v", b, err)
	}
}
