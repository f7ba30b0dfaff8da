package topology_test

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/topology"
)

// build builds b, failing the test on an error.
func build(t *testing.T, b *topology.Builder) *topology.Snapshot {
	t.Helper()
	snap, err := b.Build()
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return snap
}

func missingIDs(s *topology.Snapshot) []string {
	var out []string
	for _, m := range s.Missing() {
		out = append(out, m.ID)
	}
	return out
}

// TestDanglingReferenceIsListedNotDropped: SPEC §2, missing is not empty.
// The subnet keeps its route table ID although the snapshot lacks the
// table, Build does not fail, and Missing names the table, who references
// it and how to export it.
func TestDanglingReferenceIsListedNotDropped(t *testing.T) {
	var b topology.Builder
	baseEstate(&b)
	rt := net + "routeTables/rt-spoke"
	b.AddSubnet(topology.Subnet{Meta: meta(subnetID("spoke", "c")), Prefixes: pfx("10.1.2.0/24"), RouteTable: rt})
	b.AddNIC(topology.NIC{Meta: meta(net + "networkInterfaces/vm"), IPConfigs: []topology.IPConfig{
		{Meta: topology.Meta{Name: "c"}, PrivateIP: netip.MustParseAddr("10.1.2.4"), Subnet: subnetID("spoke", "c")},
		{Meta: topology.Meta{Name: "d"}, PrivateIP: netip.MustParseAddr("10.1.2.5"), Subnet: subnetID("spoke", "c"), PublicIP: net + "publicIPAddresses/pip"},
	}})
	snap := build(t, &b)
	sn, ok := snap.Subnet(subnetID("spoke", "c"))
	if !ok || sn.RouteTable != rt {
		t.Fatalf("subnet = %+v, want it kept with its route table ID", sn)
	}
	if _, ok := snap.RouteTable(rt); ok {
		t.Errorf("RouteTable(%s) found", rt)
	}
	if _, ok := snap.NIC(net + "networkInterfaces/vm"); !ok {
		t.Errorf("the NIC with a dangling public IP was dropped")
	}
	want := []topology.Missing{
		{ID: net + "publicIPAddresses/pip", Type: topology.TypePublicIP, Reason: "not in the snapshot",
			ReferencedBy: []topology.Ref{{ID: net + "networkInterfaces/vm", Field: "IPConfigs[1].PublicIP"}},
			Export:       "az network public-ip show -g rg -n pip --subscription " + sub[len("/subscriptions/"):] + " -o json"},
		{ID: rt, Type: topology.TypeRouteTable, Reason: "not in the snapshot",
			ReferencedBy: []topology.Ref{{ID: subnetID("spoke", "c"), Field: "RouteTable"}},
			Export:       "az network route-table show -g rg -n rt-spoke --subscription " + sub[len("/subscriptions/"):] + " -o json"},
	}
	got := snap.Missing()
	if !slices.EqualFunc(got, want, missingEqual) {
		t.Errorf("Missing() =\n%+v\nwant\n%+v", got, want)
	}
	m, ok := snap.MissingByID(strings.ToUpper(rt))
	if !ok || m.ID != rt {
		t.Errorf("MissingByID(upper case) = %+v, %v", m, ok)
	}
	ws := snap.Warnings()
	if len(ws) != 1 || !strings.Contains(ws[0].Msg, "2 resources the snapshot references or declares are not in it (for one: public IP address pip (referenced by vm))") {
		t.Errorf("warnings = %v, want one summary line", ws)
	}
	// Missing hands out copies.
	got[0].ReferencedBy[0].ID = "changed"
	if snap.Missing()[0].ReferencedBy[0].ID == "changed" {
		t.Error("Missing handed out its internal slice")
	}
}

func missingEqual(a, b topology.Missing) bool {
	return a.ID == b.ID && a.Type == b.Type && a.Reason == b.Reason && a.Export == b.Export && slices.Equal(a.ReferencedBy, b.ReferencedBy)
}

// TestOrphansAreSetAsideAndTheirParentListed: a child whose parent is absent
// cannot be attached; it is set aside without an error and the parent is
// listed, referenced by the child. A NIC in a subnet set aside so is kept.
func TestOrphansAreSetAsideAndTheirParentListed(t *testing.T) {
	var b topology.Builder
	baseEstate(&b)
	b.AddRoute(topology.Route{Meta: meta(net + "routeTables/gone/routes/r"), AddressPrefix: "0.0.0.0/0", Prefix: pfx("0.0.0.0/0")[0], NextHopType: "Internet"})
	b.AddDNSRecord(topology.DNSRecord{Meta: meta(net + "privateDnsZones/z.example/A/www"), Name: "www", Type: "A"})
	b.AddSubnet(topology.Subnet{Meta: meta(subnetID("other", "x")), Prefixes: pfx("10.9.0.0/24")})
	b.AddNIC(topology.NIC{Meta: meta(net + "networkInterfaces/vm"), IPConfigs: []topology.IPConfig{{Meta: topology.Meta{Name: "c"}, Subnet: subnetID("other", "x")}}})
	snap := build(t, &b)
	c := snap.Counts()
	if c[topology.TypeRoute] != 0 || c[topology.TypeDNSRecordA] != 0 || c[topology.TypeSubnet] != 2 || c[topology.TypeNIC] != 1 {
		t.Errorf("counts = %v, want the orphans out and the NIC in", c)
	}
	tests := []struct {
		id, typ string
		refs    []topology.Ref
		reason  string
		export  string
	}{
		{net + "privateDnsZones/z.example", topology.TypePrivateZone,
			[]topology.Ref{{ID: net + "privateDnsZones/z.example/A/www", Field: "Zone"}}, "not in the snapshot",
			"az network private-dns zone show -g rg -n z.example"},
		{net + "routeTables/gone", topology.TypeRouteTable,
			[]topology.Ref{{ID: net + "routeTables/gone/routes/r", Field: "Table"}}, "not in the snapshot",
			"az network route-table show -g rg -n gone"},
		{vnetID("other"), topology.TypeVNet,
			[]topology.Ref{{ID: subnetID("other", "x"), Field: "VNet"}}, "not in the snapshot",
			"az network vnet show -g rg -n other"},
		{subnetID("other", "x"), topology.TypeSubnet,
			[]topology.Ref{{ID: net + "networkInterfaces/vm", Field: "IPConfigs[0].Subnet"}},
			"not in the snapshot: read, but its virtual network " + vnetID("other") + " is not in the snapshot",
			"az network vnet subnet list -g rg --vnet-name other"},
	}
	if got := missingIDs(snap); len(got) != len(tests) {
		t.Fatalf("Missing() = %q, want %d", got, len(tests))
	}
	for _, tt := range tests {
		m, ok := snap.MissingByID(tt.id)
		if !ok {
			t.Errorf("%s not listed", tt.id)
			continue
		}
		if m.Type != tt.typ || !slices.Equal(m.ReferencedBy, tt.refs) || m.Reason != tt.reason || !strings.HasPrefix(m.Export, tt.export+" --subscription ") {
			t.Errorf("Missing %s = %+v\nwant type %s, refs %v, reason %q, export %q...", tt.id, m, tt.typ, tt.refs, tt.reason, tt.export)
		}
	}
}

// TestZoneDeclaredCounts: a zone declaring more record sets (SPEC §2
// numberOfRecordSets) or links than the snapshot holds lists them as
// missing; record sets of types vnetpath skips count as held.
func TestZoneDeclaredCounts(t *testing.T) {
	var b topology.Builder
	baseEstate(&b)
	full, short := net+"privateDnsZones/full.example", net+"privateDnsZones/short.example"
	b.AddPrivateZone(topology.PrivateZone{Meta: meta(full), NumberOfRecordSets: 3, NumberOfVirtualNetworkLinks: 1,
		Records: []topology.DNSRecord{{Meta: meta(full + "/A/a"), Name: "a", Type: "A"}, {Meta: meta(full + "/CNAME/c"), Name: "c", Type: "CNAME", CNAME: "a.full.example"}},
		Links:   []topology.ZoneLink{{Meta: meta(full + "/virtualNetworkLinks/l"), VNet: vnetID("hub")}}})
	b.SkipResource("Microsoft.Network/privateDnsZones/SOA", full+"/SOA/@")
	b.AddPrivateZone(topology.PrivateZone{Meta: meta(short), NumberOfRecordSets: 4, NumberOfVirtualNetworkLinks: 2,
		Links: []topology.ZoneLink{{Meta: meta(short + "/virtualNetworkLinks/l"), VNet: vnetID("hub")}}})
	b.AddDNSRecord(topology.DNSRecord{Meta: meta(short + "/AAAA/x"), Name: "x", Type: "aaaa"})
	b.SkipResource("Microsoft.Network/privateDnsZones/TXT", short+"/TXT/t")
	b.SkipResource("Microsoft.Network/privateDnsZones/SOA", short+"/SOA/@")
	snap := build(t, &b)

	f, _ := snap.PrivateZone(full)
	s, _ := snap.PrivateZone(short)
	if !f.RecordsComplete() || !f.LinksComplete() || f.RecordSetsHeld != 3 {
		t.Errorf("full zone: records complete %v, links complete %v, held %d; want true, true, 3", f.RecordsComplete(), f.LinksComplete(), f.RecordSetsHeld)
	}
	if s.RecordsComplete() || s.LinksComplete() || s.RecordSetsHeld != 3 {
		t.Errorf("short zone: records complete %v, links complete %v, held %d; want false, false, 3", s.RecordsComplete(), s.LinksComplete(), s.RecordSetsHeld)
	}
	if snap.Skipped()["Microsoft.Network/privateDnsZones/SOA"] != 2 {
		t.Errorf("Skipped() = %v, want the SOA record sets counted", snap.Skipped())
	}
	want := []topology.Missing{
		{ID: short + "/recordSets", Type: topology.TypeRecordSets,
			ReferencedBy: []topology.Ref{{ID: short, Field: "NumberOfRecordSets"}},
			Reason:       "zone short.example declares 4 record sets (numberOfRecordSets), the snapshot holds 3",
			Export:       "az network private-dns record-set list -g rg -z short.example --subscription " + sub[len("/subscriptions/"):] + " -o json"},
		{ID: short + "/virtualNetworkLinks", Type: topology.TypeZoneLink,
			ReferencedBy: []topology.Ref{{ID: short, Field: "NumberOfVirtualNetworkLinks"}},
			Reason:       "zone short.example declares 2 virtual network links (numberOfVirtualNetworkLinks), the snapshot holds 1",
			Export:       "az network private-dns link vnet list -g rg -z short.example --subscription " + sub[len("/subscriptions/"):] + " -o json"},
	}
	if got := snap.Missing(); !slices.EqualFunc(got, want, missingEqual) {
		t.Errorf("Missing() =\n%+v\nwant\n%+v", got, want)
	}
}

// TestMalformedIsMissing: what lenient loading drops as malformed is listed
// with the finding, and references to it name it; malformed resources have
// their own warnings, so the summary line leaves them out.
func TestMalformedIsMissing(t *testing.T) {
	var b topology.Builder
	baseEstate(&b)
	nsg := net + "networkSecurityGroups/nsg-bad"
	f := &topology.Finding{ID: nsg, File: "nsgs.json", Path: "$[0].properties.securityRules[1].properties.priority", Msg: "wrong JSON type: a string where a number is expected"}
	b.Malformed(nsg, f)
	b.Malformed(nsg, &topology.Finding{ID: nsg, Msg: "a second finding"})
	b.Malformed("", f)
	b.AddSubnet(topology.Subnet{Meta: meta(subnetID("hub", "c")), Prefixes: pfx("10.0.2.0/24"), NSG: nsg})
	snap := build(t, &b)
	m, ok := snap.MissingByID(nsg)
	if !ok || m.Reason != "malformed: nsgs.json: "+nsg+": $[0].properties.securityRules[1].properties.priority: wrong JSON type: a string where a number is expected" ||
		!slices.Equal(m.ReferencedBy, []topology.Ref{{ID: subnetID("hub", "c"), Field: "NSG"}}) || m.Type != topology.TypeNSG {
		t.Errorf("Missing = %+v, %v", m, ok)
	}
	if len(snap.Missing()) != 1 || len(snap.Warnings()) != 0 {
		t.Errorf("Missing() = %q, warnings %v; want the NSG only and no summary", missingIDs(snap), snap.Warnings())
	}
}

// TestReferencesToUnmodelledOwnersAreIgnored: a public IP on an
// application gateway, a VM scale set NIC listed in a subnet, a private
// endpoint to a storage account: vnetpath does not model those, so they
// are not missing. The same references to modelled resources are (a
// public IP on a load balancer, which vnetpath models).
func TestReferencesToUnmodelledOwnersAreIgnored(t *testing.T) {
	const compute = sub + "/resourceGroups/rg/providers/Microsoft.Compute/"
	var b topology.Builder
	baseEstate(&b)
	b.AddPublicIP(topology.PublicIP{Meta: meta(net + "publicIPAddresses/agw"), IPConfiguration: net + "applicationGateways/agw/frontendIPConfigurations/fe"})
	b.AddPublicIP(topology.PublicIP{Meta: meta(net + "publicIPAddresses/lb"), IPConfiguration: net + "loadBalancers/lb/frontendIPConfigurations/fe"})
	b.AddPublicIP(topology.PublicIP{Meta: meta(net + "publicIPAddresses/fw"), IPConfiguration: net + "azureFirewalls/fw/azureFirewallIpConfigurations/c"})
	b.AddSubnet(topology.Subnet{Meta: meta(subnetID("hub", "c")), Prefixes: pfx("10.0.2.0/24"), IPConfigurations: []string{
		compute + "virtualMachineScaleSets/ss/virtualMachines/0/networkInterfaces/n/ipConfigurations/c",
		net + "networkInterfaces/vm/ipConfigurations/ipconfig1",
	}})
	b.AddPrivateEndpoint(topology.PrivateEndpoint{Meta: meta(net + "privateEndpoints/pe"), Subnet: subnetID("hub", "a"), Connections: []topology.PEConnection{
		{Target: sub + "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st"},
		{Target: sub + "/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws"},
	}})
	snap := build(t, &b)
	want := []string{ // in ID order, whatever the case
		sub + "/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws",
		net + "azureFirewalls/fw",
		net + "loadBalancers/lb",
		net + "networkInterfaces/vm",
	}
	if got := missingIDs(snap); !slices.Equal(got, want) {
		t.Errorf("Missing() = %q\nwant %q", got, want)
	}
	if m, _ := snap.MissingByID(net + "networkInterfaces/vm"); !slices.Equal(m.ReferencedBy, []topology.Ref{{ID: subnetID("hub", "c"), Field: "IPConfigurations[1]"}}) {
		t.Errorf("NIC referenced by %v", m.ReferencedBy)
	}
}

func TestExportCommand(t *testing.T) {
	const s = "/subscriptions/s1/resourceGroups/rg-hub/providers/"
	tests := []struct{ id, want string }{
		{s + "Microsoft.Network/routeTables/rt-spoke-ml", "az network route-table show -g rg-hub -n rt-spoke-ml --subscription s1 -o json"},
		{s + "Microsoft.Network/virtualNetworks/hub/subnets/a", "az network vnet subnet list -g rg-hub --vnet-name hub --subscription s1 -o json"},
		{s + "microsoft.network/firewallpolicies/fwp/rulecollectiongroups/g", "az network firewall policy rule-collection-group list -g rg-hub --policy-name fwp --subscription s1 -o json"},
		{s + "Microsoft.Network/privateDnsZones/z.example/CNAME/www", "az network private-dns record-set list -g rg-hub -z z.example --subscription s1 -o json"},
		{s + "Microsoft.Network/dnsForwardingRulesets/rs/forwardingRules/r", "az dns-resolver forwarding-rule list -g rg-hub --ruleset-name rs --subscription s1 -o json"},
		{s + "Microsoft.MachineLearningServices/workspaces/ws", "az resource show --ids " + s + "Microsoft.MachineLearningServices/workspaces/ws -o json"},
		{s + "Microsoft.Compute/virtualMachines/vm", ""},
		{"not an ID", ""},
	}
	for _, tt := range tests {
		if got := topology.ExportCommand(tt.id); got != tt.want {
			t.Errorf("ExportCommand(%s)\n = %q\nwant %q", tt.id, got, tt.want)
		}
	}
}

// TestTypesDescribeEveryType checks the type list the loader, the
// missing-resource check and the README rely on: parents come first,
// references name modelled types, every type has an export command.
func TestTypesDescribeEveryType(t *testing.T) {
	types := topology.Types()
	seen := map[string]bool{}
	for _, ti := range types {
		if seen[strings.ToLower(ti.Type)] {
			t.Errorf("%s listed twice", ti.Type)
		}
		if ti.Parent != "" && !seen[strings.ToLower(ti.Parent)] {
			t.Errorf("%s: parent %s is not listed before it", ti.Type, ti.Parent)
		}
		if ti.Parent != "" && !strings.HasPrefix(strings.ToLower(ti.Type), strings.ToLower(ti.Parent)+"/") {
			t.Errorf("%s is not a child type of %s", ti.Type, ti.Parent)
		}
		seen[strings.ToLower(ti.Type)] = true
		if !strings.HasPrefix(ti.List, "az ") || (ti.Parent == "") != (ti.Show != "") {
			t.Errorf("%s: List %q, Show %q", ti.Type, ti.List, ti.Show)
		}
		if ti.Parent != "" && !strings.Contains(ti.List, "{parent}") {
			t.Errorf("%s: the list command %q does not name the parent", ti.Type, ti.List)
		}
		if ti.Embedded && ti.Parent == "" {
			t.Errorf("%s is embedded but has no parent", ti.Type)
		}
	}
	for _, ti := range types {
		for _, r := range ti.Refs {
			if r.Target != "" && !seen[strings.ToLower(r.Target)] {
				t.Errorf("%s.%s references %s, which is not modelled", ti.Type, r.Field, r.Target)
			}
		}
	}
	types[0].Refs = append(types[0].Refs, topology.RefInfo{Field: "x"})
	types[0].Type = "changed"
	if ti, ok := topology.LookupType(strings.ToUpper(topology.TypeVNet)); !ok || ti.Type != topology.TypeVNet || len(ti.Refs) != 0 {
		t.Errorf("LookupType(VNET) = %+v, %v; Types must return a copy", ti, ok)
	}
}
