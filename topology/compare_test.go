package topology_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/topology"
)

func TestAllAndResourceHandOutEveryResource(t *testing.T) {
	var b topology.Builder
	baseEstate(&b)
	rt := net + "routeTables/rt"
	b.AddRouteTable(topology.RouteTable{Meta: meta(rt), Routes: []topology.Route{
		{Meta: meta(rt + "/routes/r"), Prefix: netip.MustParsePrefix("0.0.0.0/0"), AddressPrefix: "0.0.0.0/0", NextHopType: topology.NextHopNone}}})
	snap := build(t, &b)
	var ids []string
	for it := range snap.All() {
		ids = append(ids, it.Type+" "+topology.NameOf(it.ID))
		got, ok := snap.Resource(strings.ToUpper(it.ID))
		if !ok || got.Value != it.Value || got.Type != it.Type {
			t.Errorf("Resource(%s) = %+v, %v; want what All gave", it.ID, got, ok)
		}
	}
	want := []string{
		topology.TypeVNet + " hub", topology.TypeVNet + " spoke",
		topology.TypeSubnet + " a", topology.TypeSubnet + " b",
		topology.TypeRouteTable + " rt", topology.TypeRoute + " r",
	}
	if strings.Join(ids, "\n") != strings.Join(want, "\n") {
		t.Errorf("All:\n%s\nwant:\n%s", strings.Join(ids, "\n"), strings.Join(want, "\n"))
	}
	if len(ids) != snap.Resources() {
		t.Errorf("All gave %d resources, Resources() counts %d", len(ids), snap.Resources())
	}
	if _, ok := snap.Resource(net + "routeTables/other"); ok {
		t.Error("Resource found a resource the snapshot does not hold")
	}
	if _, ok := snap.Resource("not an id"); ok {
		t.Error("Resource found something for a malformed ID")
	}
}

func TestSameConfig(t *testing.T) {
	sn := func(mod func(*topology.Subnet)) *topology.Subnet {
		s := &topology.Subnet{Meta: topology.Meta{ID: subnetID("hub", "a"), Name: "a", File: "a.json", Path: "$[0]"},
			VNet: vnetID("hub"), Prefixes: pfx("10.0.1.0/24"), RouteTable: net + "routeTables/rt",
			IPConfigurations: []string{net + "networkInterfaces/n/ipConfigurations/c"}}
		if mod != nil {
			mod(s)
		}
		return s
	}
	yes, no := true, false
	tests := []struct {
		name string
		a, b any
		want bool
	}{
		{"identical", sn(nil), sn(nil), true},
		{"read from another file and place", sn(nil), sn(func(s *topology.Subnet) { s.File, s.Path = "b.json", "$.value[3]" }), true},
		{"IDs in another letter case", sn(nil), sn(func(s *topology.Subnet) { s.RouteTable = strings.ToUpper(s.RouteTable) }), true},
		{"back-references Azure keeps", sn(nil), sn(func(s *topology.Subnet) { s.IPConfigurations = nil }), true},
		{"default outbound access not set is true", sn(nil), sn(func(s *topology.Subnet) { s.DefaultOutboundAccess = &yes }), true},
		{"default outbound access turned off", sn(nil), sn(func(s *topology.Subnet) { s.DefaultOutboundAccess = &no }), false},
		{"another route table", sn(nil), sn(func(s *topology.Subnet) { s.RouteTable = net + "routeTables/rt2" }), false},
		{"another prefix", sn(nil), sn(func(s *topology.Subnet) { s.Prefixes = pfx("10.0.2.0/24") }), false},
		{"value and pointer", *sn(nil), sn(nil), true},
		{"different types", sn(nil), &topology.VNet{Meta: meta(subnetID("hub", "a"))}, false},
		{"location spelled as the portal does",
			&topology.VNet{Meta: meta(vnetID("hub")), Location: "West Europe"}, &topology.VNet{Meta: meta(vnetID("hub")), Location: "westeurope"}, true},
		{"children a parent lists are their own resources",
			&topology.RouteTable{Meta: meta(net + "routeTables/rt"), Routes: []topology.Route{{Meta: meta(net + "routeTables/rt/routes/r")}}},
			&topology.RouteTable{Meta: meta(net + "routeTables/rt")}, true},
		{"a route table's own setting",
			&topology.RouteTable{Meta: meta(net + "routeTables/rt"), DisableBGPRoutePropagation: true},
			&topology.RouteTable{Meta: meta(net + "routeTables/rt")}, false},
		{"a route's next hop",
			&topology.Route{Meta: meta(net + "routeTables/rt/routes/r"), NextHopType: topology.NextHopVirtualAppliance, NextHopIP: netip.MustParseAddr("10.0.0.4")},
			&topology.Route{Meta: meta(net + "routeTables/rt/routes/r"), NextHopType: topology.NextHopVirtualAppliance, NextHopIP: netip.MustParseAddr("10.0.0.5")}, false},
		{"nil and nil", nil, nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := topology.SameConfig(tc.a, tc.b); got != tc.want {
				t.Errorf("SameConfig = %v, want %v", got, tc.want)
			}
			if got := topology.SameConfig(tc.b, tc.a); got != tc.want {
				t.Errorf("SameConfig reversed = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestDeclaredMissingIsListedWithItsReason: SPEC §2, a resource whose
// content a deployment decides is missing, referenced or not.
func TestDeclaredMissingIsListedWithItsReason(t *testing.T) {
	var b topology.Builder
	baseEstate(&b)
	pip := net + "publicIPAddresses/pip-new"
	b.DeclareMissing(pip, "its address is allocated by Azure")
	b.DeclareMissing(pip, "a second reason is ignored")
	b.DeclareMissing(subnetID("hub", "a"), "held after all: not listed")
	b.DeclareMissing("  ", "ignored")
	snap := build(t, &b)
	ms := snap.Missing()
	if len(ms) != 1 || ms[0].ID != pip || ms[0].Type != topology.TypePublicIP || ms[0].Reason != "its address is allocated by Azure" || len(ms[0].ReferencedBy) != 0 {
		t.Fatalf("missing %+v", ms)
	}
	w := snap.Warnings()
	if len(w) != 1 || !strings.Contains(w[0].Msg, "public IP address pip-new (its address is allocated by Azure)") {
		t.Errorf("warnings %v", w)
	}
}

func TestExplainAbsentGivesTheReasonOnlyWhenReferenced(t *testing.T) {
	var b topology.Builder
	baseEstate(&b)
	rt, nsg := net+"routeTables/rt", net+"networkSecurityGroups/nsg"
	b.AddSubnet(topology.Subnet{Meta: meta(subnetID("spoke", "c")), Prefixes: pfx("10.1.2.0/24"), RouteTable: rt})
	b.ExplainAbsent(strings.ToUpper(rt), "deleted by plan.json")
	b.ExplainAbsent(nsg, "deleted by plan.json")
	snap := build(t, &b)
	ms := snap.Missing()
	if len(ms) != 1 || ms[0].ID != rt || ms[0].Reason != topology.ReasonAbsent+": deleted by plan.json" {
		t.Errorf("missing %+v, want only the route table, with the reason", ms)
	}
}
