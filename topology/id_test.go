package topology_test

import (
	"slices"
	"testing"

	"github.com/vnetpath/vnetpath/topology"
)

const sub = "/subscriptions/00000000-0000-0000-0000-00000000c0de"

func TestParseResourceID(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		ok         bool
		typ, short string
		rg         string
		names      []string
	}{
		{"vnet", sub + "/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/hub", true,
			"Microsoft.Network/virtualNetworks", "hub", "rg-net", []string{"hub"}},
		{"subnet", sub + "/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/hub/subnets/snet-a", true,
			"Microsoft.Network/virtualNetworks/subnets", "hub/snet-a", "rg-net", []string{"hub", "snet-a"}},
		{"any case and trailing slash", sub + "/RESOURCEGROUPS/Rg/PROVIDERS/microsoft.network/privateDnsZones/z.example/A/www/", true,
			"microsoft.network/privateDnsZones/A", "z.example/www", "Rg", []string{"z.example", "www"}},
		{"spaces trimmed", "  " + sub + "/resourceGroups/g/providers/Microsoft.MachineLearningServices/workspaces/ws  ", true,
			"Microsoft.MachineLearningServices/workspaces", "ws", "g", []string{"ws"}},
		{"type without name", sub + "/resourceGroups/g/providers/Microsoft.Network/virtualNetworks", false, "", "", "", nil},
		{"empty name", sub + "/resourceGroups/g/providers/Microsoft.Network/virtualNetworks//subnets/a", false, "", "", "", nil},
		{"no providers", sub + "/resourceGroups/g", false, "", "", "", nil},
		{"not an ID", "hub", false, "", "", "", nil},
		{"empty", "", false, "", "", "", nil},
		{"unknown segment", "/tenants/x/providers/Microsoft.Network/virtualNetworks/hub", false, "", "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, ok := topology.ParseResourceID(tt.in)
			if ok != tt.ok {
				t.Fatalf("ParseResourceID(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			}
			if !ok {
				return
			}
			if r.Type() != tt.typ || r.ShortName() != tt.short || r.ResourceGroup != tt.rg || !slices.Equal(r.Names, tt.names) {
				t.Errorf("ParseResourceID(%q) = type %q short %q rg %q names %q, want %q %q %q %q",
					tt.in, r.Type(), r.ShortName(), r.ResourceGroup, r.Names, tt.typ, tt.short, tt.rg, tt.names)
			}
			if r.Name() != tt.names[len(tt.names)-1] {
				t.Errorf("Name() = %q", r.Name())
			}
		})
	}
}

func TestParentNameOfShortName(t *testing.T) {
	vnet := sub + "/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/Hub"
	tests := []struct {
		in, parent, name, short string
	}{
		{vnet + "/subnets/a", vnet, "a", "Hub/a"},
		{vnet + "/subnets/a/", vnet, "a", "Hub/a"},
		{vnet, "", "Hub", "Hub"},
		{sub + "/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/z/A/@", sub + "/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/z", "@", "z/@"},
		{"plain-name", "", "plain-name", "plain-name"},
	}
	for _, tt := range tests {
		if got := topology.Parent(tt.in); got != tt.parent {
			t.Errorf("Parent(%q) = %q, want %q", tt.in, got, tt.parent)
		}
		if got := topology.NameOf(tt.in); got != tt.name {
			t.Errorf("NameOf(%q) = %q, want %q", tt.in, got, tt.name)
		}
		if got := topology.ShortName(tt.in); got != tt.short {
			t.Errorf("ShortName(%q) = %q, want %q", tt.in, got, tt.short)
		}
	}
}

func TestKeyAndSameID(t *testing.T) {
	a := sub + "/resourceGroups/RG-Net/providers/Microsoft.Network/virtualNetworks/Hub"
	b := "  " + sub + "/resourcegroups/rg-net/providers/microsoft.network/virtualnetworks/hub/ "
	if !topology.SameID(a, b) {
		t.Errorf("SameID(%q, %q) = false", a, b)
	}
	if topology.SameID(a, a+"2") {
		t.Errorf("SameID of different IDs = true")
	}
	if got, want := topology.Key(a), "/subscriptions/00000000-0000-0000-0000-00000000c0de/resourcegroups/rg-net/providers/microsoft.network/virtualnetworks/hub"; got != want {
		t.Errorf("Key(%q) = %q, want %q", a, got, want)
	}
}
