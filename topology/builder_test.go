package topology_test

import (
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/topology"
)

const net = sub + "/resourceGroups/rg/providers/Microsoft.Network/"

func vnetID(name string) string         { return net + "virtualNetworks/" + name }
func subnetID(vnet, name string) string { return vnetID(vnet) + "/subnets/" + name }

func pfx(s ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(s))
	for i, x := range s {
		out[i] = cidr.MustParsePrefix(x)
	}
	return out
}

func meta(id string) topology.Meta {
	return topology.Meta{ID: id, Name: topology.NameOf(id), File: "snap.json", Path: "$[0]"}
}

// baseEstate adds two peered VNets with a subnet each.
func baseEstate(b *topology.Builder) {
	b.AddVNet(topology.VNet{Meta: meta(vnetID("hub")), AddressSpace: pfx("10.0.0.0/16")})
	b.AddVNet(topology.VNet{Meta: meta(vnetID("spoke")), AddressSpace: pfx("10.1.0.0/16")})
	b.AddSubnet(topology.Subnet{Meta: meta(subnetID("hub", "a")), Prefixes: pfx("10.0.1.0/24")})
	b.AddSubnet(topology.Subnet{Meta: meta(subnetID("spoke", "b")), Prefixes: pfx("10.1.1.0/24")})
}

// findings splits a Build error into its findings.
func findings(t *testing.T, err error) []*topology.Finding {
	t.Helper()
	if err == nil {
		return nil
	}
	var out []*topology.Finding
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var f *topology.Finding
		if !errors.As(e, &f) {
			t.Fatalf("Build error %v is not a *Finding", e)
		}
		out = append(out, f)
	}
	return out
}

func TestBuilderValidation(t *testing.T) {
	tests := []struct {
		name     string
		add      func(b *topology.Builder)
		errs     []string // substrings, each in one error finding (ID, path and field included)
		warns    []string // substrings, each in one warning
		dropType string   // a type whose count must be absent after Build
		missing  []string // the IDs Missing lists: the malformed resources
	}{
		{
			name: "subnet outside its VNet",
			add: func(b *topology.Builder) {
				b.AddSubnet(topology.Subnet{Meta: meta(subnetID("hub", "wide")), Prefixes: pfx("10.0.0.0/15")})
			},
			errs:    []string{subnetID("hub", "wide") + ": $[0]: Prefixes[0]: subnet prefix 10.0.0.0/15 is outside the address space of VNet hub (10.0.0.0/16)"},
			missing: []string{subnetID("hub", "wide")},
		},
		{
			name: "overlapping subnets",
			add: func(b *topology.Builder) {
				b.AddSubnet(topology.Subnet{Meta: meta(subnetID("hub", "z")), Prefixes: pfx("10.0.1.128/25")})
			},
			warns: []string{subnetID("hub", "z") + ": $[0]: Prefixes[0]: subnet prefix 10.0.1.128/25 overlaps 10.0.1.0/24 of subnet a"},
		},
		{
			name: "overlapping peered VNets, reported from either half",
			add: func(b *topology.Builder) {
				b.AddVNet(topology.VNet{Meta: meta(vnetID("zz")), AddressSpace: pfx("10.0.128.0/17")})
				b.AddPeering(topology.Peering{Meta: meta(vnetID("zz") + "/virtualNetworkPeerings/to-hub"), RemoteVNet: vnetID("hub")})
			},
			warns: []string{"peered virtual networks zz (10.0.128.0/17) and hub (10.0.0.0/16) overlap"},
		},
		{
			name: "UDR with a system-only next hop",
			add: func(b *topology.Builder) {
				b.AddRouteTable(topology.RouteTable{Meta: meta(net + "routeTables/rt"), Routes: []topology.Route{
					{Meta: topology.Meta{Name: "peer", File: "snap.json", Path: "$[0].properties.routes[0]"}, AddressPrefix: "10.1.0.0/16", Prefix: cidr.MustParsePrefix("10.1.0.0/16"), NextHopType: "VNetPeering"},
				}})
			},
			errs:     []string{net + "routeTables/rt/routes/peer: $[0].properties.routes[0]: NextHopType: next hop type \"VNetPeering\" is not allowed in a user-defined route"},
			dropType: topology.TypeRoute,
			missing:  []string{net + "routeTables/rt/routes/peer"},
		},
		{
			name: "UDR to an appliance without an address",
			add: func(b *topology.Builder) {
				b.AddRoute(topology.Route{Meta: meta(net + "routeTables/rt/routes/r"), AddressPrefix: "0.0.0.0/0", Prefix: cidr.MustParsePrefix("0.0.0.0/0"), NextHopType: "VirtualAppliance"})
				b.AddRouteTable(topology.RouteTable{Meta: meta(net + "routeTables/rt")})
			},
			errs:    []string{"$[0]: NextHopIP: route to VirtualAppliance has no next hop IP address"},
			missing: []string{net + "routeTables/rt/routes/r"},
		},
		{
			name: "NAT gateway listing a subnet that does not name it",
			add: func(b *topology.Builder) {
				b.AddNATGateway(topology.NATGateway{Meta: meta(net + "natGateways/ng"), Subnets: []string{subnetID("hub", "a")}})
			},
			warns: []string{"$[0]: Subnets[0]: the NAT gateway lists subnet " + subnetID("hub", "a") + ", but the subnet does not name it"},
		},
		{
			name: "record set of a type vnetpath does not model",
			add: func(b *topology.Builder) {
				b.AddPrivateZone(topology.PrivateZone{Meta: meta(net + "privateDnsZones/z.example")})
				b.AddDNSRecord(topology.DNSRecord{Meta: meta(net + "privateDnsZones/z.example/TXT/x"), Name: "x", Type: "TXT"})
			},
			errs: []string{net + "privateDnsZones/z.example/TXT/x: $[0]: Type: record type \"TXT\" is not modelled (A, AAAA, CNAME and PTR are)"},
		},
		{
			name: "Add with a type vnetpath does not model, or a value of another type, is an error, not a panic",
			add: func(b *topology.Builder) {
				b.Add("Microsoft.Compute/virtualMachines", topology.VNet{Meta: meta(vnetID("x"))})
				b.Add(topology.TypeSubnet, topology.VNet{Meta: meta(vnetID("y"))})
				b.Add(topology.TypeSubnet, (*topology.Subnet)(nil))
			},
			errs: []string{
				vnetID("x") + ": resource type Microsoft.Compute/virtualMachines is not modelled",
				vnetID("y") + ": a topology.VNet is not a resource of type Microsoft.Network/virtualNetworks/subnets",
				"a *topology.Subnet is not a resource of type Microsoft.Network/virtualNetworks/subnets",
			},
		},
		{
			name: "same ID with different content",
			add: func(b *topology.Builder) {
				m := meta(subnetID("hub", "a"))
				m.File, m.Path = "other.json", "$[4]"
				b.AddSubnet(topology.Subnet{Meta: m, Prefixes: pfx("10.0.9.0/24")})
			},
			errs: []string{"other.json: " + subnetID("hub", "a") + ": $[4]: the same ID appears with different content in snap.json at $[0]"},
		},
		{
			name: "Add takes the type in any letter case",
			add: func(b *topology.Builder) {
				m := meta(subnetID("hub", "a"))
				m.File, m.Path = "other.json", "$[5]"
				b.Add(strings.ToLower(topology.TypeSubnet), topology.Subnet{Meta: m, Prefixes: pfx("10.0.9.0/24")})
			},
			errs: []string{"other.json: " + subnetID("hub", "a") + ": $[5]: the same ID appears with different content in snap.json at $[0]"},
		},
		{
			name: "same ID with the same content, from another file",
			add: func(b *topology.Builder) {
				m := meta(subnetID("hub", "a"))
				m.File, m.Path = "other.json", "$[4]"
				b.AddSubnet(topology.Subnet{Meta: m, Prefixes: pfx("10.0.1.0/24")})
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b topology.Builder
			baseEstate(&b)
			tt.add(&b)
			snap, err := b.Build()
			fs := findings(t, err)
			if len(fs) != len(tt.errs) {
				t.Fatalf("Build errors = %v, want %d matching %q", err, len(tt.errs), tt.errs)
			}
			for i, want := range tt.errs {
				if !strings.Contains(fs[i].Error(), want) || !fs[i].Fatal {
					t.Errorf("error %d = %q (fatal %v), want it to contain %q", i, fs[i].Error(), fs[i].Fatal, want)
				}
			}
			ws := snap.Warnings()
			if len(ws) != len(tt.warns) {
				t.Fatalf("warnings = %v, want %d matching %q", ws, len(tt.warns), tt.warns)
			}
			for i, want := range tt.warns {
				if !strings.Contains(ws[i].Error(), want) || ws[i].Fatal {
					t.Errorf("warning %d = %q (fatal %v), want it to contain %q", i, ws[i].Error(), ws[i].Fatal, want)
				}
			}
			var missing []string
			for _, m := range snap.Missing() {
				missing = append(missing, m.ID)
				if !strings.HasPrefix(m.Reason, "malformed: ") || !strings.Contains(m.Reason, m.ID) {
					t.Errorf("Missing %s: reason %q, want malformed: and the finding", m.ID, m.Reason)
				}
			}
			if !slices.Equal(missing, tt.missing) {
				t.Errorf("Missing() = %q, want %q", missing, tt.missing)
			}
			if tt.dropType != "" && snap.Counts()[tt.dropType] != 0 {
				t.Errorf("Counts()[%s] = %d after the resource was dropped", tt.dropType, snap.Counts()[tt.dropType])
			}
			// The base estate survives whatever was added.
			if _, ok := snap.Subnet(subnetID("hub", "a")); !ok {
				t.Errorf("subnet hub/a was dropped")
			}
		})
	}
}

func TestBuilderChildrenInAnyOrder(t *testing.T) {
	var b topology.Builder
	// Children first, parents last.
	b.AddSecurityRule(topology.SecurityRule{Meta: meta(net + "networkSecurityGroups/n/securityRules/deny"), Priority: 200, Direction: "Outbound", Access: "Deny", Protocol: "*"})
	b.AddSecurityRule(topology.SecurityRule{Meta: meta(net + "networkSecurityGroups/n/securityRules/allow"), Priority: 100, Direction: "Outbound", Access: "Allow", Protocol: "Tcp"})
	b.AddSubnet(topology.Subnet{Meta: meta(subnetID("hub", "b")), Prefixes: pfx("10.0.2.0/24")})
	b.AddSubnet(topology.Subnet{Meta: meta(subnetID("hub", "a")), Prefixes: pfx("10.0.1.0/24")})
	b.AddNSG(topology.NSG{Meta: meta(net + "networkSecurityGroups/n")})
	b.AddVNet(topology.VNet{Meta: meta(vnetID("hub")), AddressSpace: pfx("10.0.0.0/16")})
	snap, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	v, _ := snap.VNet(vnetID("HUB"))
	if want := []string{subnetID("hub", "a"), subnetID("hub", "b")}; strings.Join(v.Subnets, ",") != strings.Join(want, ",") {
		t.Errorf("VNet.Subnets = %q, want %q (sorted by prefix)", v.Subnets, want)
	}
	n, _ := snap.NSG(net + "networkSecurityGroups/n")
	if len(n.Rules) != 2 || n.Rules[0].Name != "allow" || n.Rules[1].Name != "deny" {
		t.Errorf("NSG rules = %+v, want allow (100) then deny (200)", n.Rules)
	}
	if len(n.DefaultRules) != 6 || n.DefaultRules[5].Name != "DenyAllOutBound" || n.DefaultRules[5].Priority != 65500 {
		t.Errorf("default rules = %+v, want the six of reference §3.2", n.DefaultRules)
	}
	if got := snap.Counts()[topology.TypeSecurityRule]; got != 2 {
		t.Errorf("Counts()[securityRules] = %d, want 2", got)
	}
}

func TestBuilderSkip(t *testing.T) {
	var b topology.Builder
	b.Skip("Microsoft.Compute/virtualMachines")
	b.Skip("Microsoft.Compute/virtualMachines")
	b.Skip("Microsoft.Storage/storageAccounts")
	snap, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if got := snap.Skipped(); got["Microsoft.Compute/virtualMachines"] != 2 || got["Microsoft.Storage/storageAccounts"] != 1 || len(got) != 2 {
		t.Errorf("Skipped() = %v", got)
	}
	if snap.Resources() != 0 {
		t.Errorf("Resources() = %d, want 0", snap.Resources())
	}
}

// TestDuplicateIgnoresOriginAndIDCase checks that the same resource read
// from two exports (az and Resource Graph spell IDs in different cases) is
// one resource, and that comparing them leaves the first one's origin
// intact.
func TestDuplicateIgnoresOriginAndIDCase(t *testing.T) {
	const vnet = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub"
	var b topology.Builder
	b.AddVNet(topology.VNet{Meta: topology.Meta{ID: vnet, Name: "hub", File: "az.json", Path: "$[0]"}, AddressSpace: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}})
	nic := func(id, subnet, file string) topology.NIC {
		return topology.NIC{Meta: topology.Meta{ID: id, Name: "nic1", File: file, Path: "$[1]"}, IPConfigs: []topology.IPConfig{{
			Meta:      topology.Meta{ID: id + "/ipConfigurations/ip1", Name: "ip1", File: file, Path: "$[1].properties.ipConfigurations[0]"},
			PrivateIP: netip.MustParseAddr("10.0.1.4"), Subnet: subnet}}}
	}
	b.AddSubnet(topology.Subnet{Meta: topology.Meta{ID: vnet + "/subnets/a", Name: "a"}, Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.1.0/24")}})
	const nicID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nic1"
	b.AddNIC(nic(nicID, vnet+"/subnets/a", "az.json"))
	b.AddNIC(nic(strings.ToLower(nicID), strings.ToLower(vnet+"/subnets/a"), "graph.json"))
	snap, err := b.Build()
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	n, ok := snap.NIC(nicID)
	if !ok {
		t.Fatal("topology.NIC missing")
	}
	if n.File != "az.json" || n.IPConfigs[0].File != "az.json" {
		t.Errorf("origin changed by the comparison: %q, %q", n.File, n.IPConfigs[0].File)
	}
	if got := snap.Counts()[topology.TypeNIC]; got != 1 {
		t.Errorf("%d NICs, want 1", got)
	}
}

// TestChildrenHeldOnce: routes and security rules are held once, in their
// route table's or NSG's list; looking one up by ID (any letter case, a
// trailing slash, even a non-ASCII name) or listing every resource hands
// out that copy, and an ID the snapshot lacks is not found.
func TestChildrenHeldOnce(t *testing.T) {
	var b topology.Builder
	baseEstate(&b)
	nsg := net + "networkSecurityGroups/nsg"
	rt := net + "routeTables/rt"
	b.AddNSG(topology.NSG{Meta: meta(nsg), Rules: []topology.SecurityRule{
		{Meta: meta(nsg + "/securityRules/deny-b"), Priority: 200, Direction: topology.DirectionOutbound, Access: topology.AccessDeny, Protocol: "*"},
		{Meta: meta(nsg + "/securityRules/Allow-Ä"), Priority: 100, Direction: topology.DirectionOutbound, Access: topology.AccessAllow, Protocol: "*"},
		{Meta: meta(nsg + "/securityRules/in"), Priority: 300, Direction: topology.DirectionInbound, Access: topology.AccessAllow, Protocol: "*"},
	}})
	b.AddRouteTable(topology.RouteTable{Meta: meta(rt)})
	b.AddRoute(topology.Route{Meta: meta(rt + "/routes/r2"), AddressPrefix: "10.9.0.0/16", Prefix: cidr.MustParsePrefix("10.9.0.0/16"), NextHopType: topology.NextHopNone})
	b.AddRoute(topology.Route{Meta: meta(rt + "/routes/R1"), AddressPrefix: "0.0.0.0/0", Prefix: cidr.MustParsePrefix("0.0.0.0/0"), NextHopType: topology.NextHopInternet})
	s, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	n, _ := s.NSG(nsg)
	table, _ := s.RouteTable(rt)
	if n == nil || len(n.Rules) != 3 || table == nil || len(table.Routes) != 2 {
		t.Fatalf("NSG = %+v, route table = %+v", n, table)
	}
	// Rules come in direction, then priority order; the lists are sized
	// exactly (no room left from growing).
	var order []string
	for _, r := range n.Rules {
		order = append(order, r.Name)
	}
	if want := []string{"in", "Allow-Ä", "deny-b"}; !slices.Equal(order, want) {
		t.Errorf("rules in order %v, want %v", order, want)
	}
	if cap(n.Rules) != len(n.Rules) || cap(table.Routes) != len(table.Routes) {
		t.Errorf("capacities %d rules, %d routes; want %d, %d", cap(n.Rules), cap(table.Routes), len(n.Rules), len(table.Routes))
	}
	held := map[any]bool{}
	for i := range n.Rules {
		held[&n.Rules[i]] = true
	}
	for i := range table.Routes {
		held[&table.Routes[i]] = true
	}
	spellings := func(id string) []string {
		return []string{id, strings.ToUpper(id), strings.ToLower(id) + "/", " " + id}
	}
	for v := range held {
		var id string
		switch x := v.(type) {
		case *topology.SecurityRule:
			id = x.ID
		case *topology.Route:
			id = x.ID
		}
		for _, sp := range spellings(id) {
			it, ok := s.Resource(sp)
			if !ok || it.Value != v || !s.Has(sp) {
				t.Errorf("Resource(%q) = %v, %v; want the copy in its parent's list", sp, it.Value, ok)
			}
		}
	}
	listed := 0
	for it := range s.All() {
		if it.Type == topology.TypeSecurityRule || it.Type == topology.TypeRoute {
			listed++
			if !held[it.Value] {
				t.Errorf("All yields %s outside its parent's list", it.ID)
			}
		}
	}
	if listed != len(held) {
		t.Errorf("All lists %d routes and rules, want %d", listed, len(held))
	}
	for _, id := range []string{nsg + "/securityRules/nope", nsg + "/securityRules/allow-", rt + "/routes/r", rt + "/routes/r10", nsg + "/securityRules/deny-b-c"} {
		if _, ok := s.Resource(id); ok || s.Has(id) {
			t.Errorf("Resource(%q) found a resource the snapshot lacks", id)
		}
	}
}
