package engine

import (
	"net/netip"
	"testing"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/topology"
)

// compiledNSGs counts the compiled NSGs every forwarding state holds.
func (e *Engine) compiledNSGs() int {
	n := 0
	e.fwds.Range(func(_ fwdKey, v *fwdOnce) bool {
		if f := v.fwd; f != nil {
			f.mu.Lock()
			n += len(f.rules)
			f.mu.Unlock()
		}
		return true
	})
	return n
}

// TestCompiledNSGCacheIsBounded is issue 10: checks delivered to a
// private endpoint whose subnet applies NSGs (reference §3.8, rules
// matching every source port) compile the endpoint subnet's NSG once, not
// once per check: the cache is keyed on the NSG's ID, the direction and
// the source-port treatment.
func TestCompiledNSGCacheIsBounded(t *testing.T) {
	const sub = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Network/"
	var b topology.Builder
	v := topology.VNet{Meta: topology.Meta{ID: sub + "virtualNetworks/v", Name: "v"}, Location: "westeurope", AddressSpace: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}}
	b.AddVNet(v)
	nsgID := sub + "networkSecurityGroups/nsg-pe"
	b.AddNSG(topology.NSG{Meta: topology.Meta{ID: nsgID, Name: "nsg-pe"}, Rules: []topology.SecurityRule{{
		Meta: topology.Meta{ID: nsgID + "/securityRules/in", Name: "in"}, Priority: 100, Direction: topology.DirectionInbound, Access: topology.AccessAllow,
		Protocol: "Tcp", Sources: []topology.Address{{Raw: "10.0.1.0/24", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.1.0/24")}}},
		SourcePorts: []cidr.PortRange{{Lo: 1024, Hi: 2048}}, Destinations: []topology.Address{{Raw: "*", Prefixes: []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0")}}},
	}}})
	b.AddSubnet(topology.Subnet{Meta: topology.Meta{ID: v.ID + "/subnets/client", Name: "client"}, VNet: v.ID, Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.1.0/24")}})
	b.AddSubnet(topology.Subnet{Meta: topology.Meta{ID: v.ID + "/subnets/pe", Name: "pe"}, VNet: v.ID, Prefixes: []netip.Prefix{netip.MustParsePrefix("10.0.2.0/24")},
		NSG: nsgID, PrivateEndpointNetworkPolicies: topology.PolicyEnabled})
	peID, nicID := sub+"privateEndpoints/pe-st", sub+"networkInterfaces/pe-st.nic"
	b.AddPrivateEndpoint(topology.PrivateEndpoint{Meta: topology.Meta{ID: peID, Name: "pe-st"}, Subnet: v.ID + "/subnets/pe", NICs: []string{nicID},
		Connections: []topology.PEConnection{{Name: "c", Target: "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st", GroupIDs: []string{"blob"}, Status: topology.ConnectionApproved}}})
	b.AddNIC(topology.NIC{Meta: topology.Meta{ID: nicID, Name: "pe-st.nic"}, PrivateEndpoint: peID,
		IPConfigs: []topology.IPConfig{{Meta: topology.Meta{ID: nicID + "/ipConfigurations/c", Name: "c"}, PrivateIP: netip.MustParseAddr("10.0.2.4"), Subnet: v.ID + "/subnets/pe", Primary: true}}})
	snap, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	e := New(snap, nil)
	q := Query{From: "v/client", To: "10.0.2.4", Protocol: TCP, Port: 443}
	r, err := e.Check(q)
	if err != nil {
		t.Fatal(err)
	}
	// The rule's source ports (1024-2048) would not be applied to a VM;
	// for a private endpoint they count as "*", so the rule allows.
	if r.Verdict != answer.Reachable {
		t.Fatalf("verdict %s (%s), want reachable: the endpoint's NSG matches every source port", r.Verdict, r.Reason)
	}
	first := e.compiledNSGs()
	for range 50 {
		if _, err := e.Check(q); err != nil {
			t.Fatal(err)
		}
	}
	// The same checks in parallel, with the endpoint subnet's NSG
	// run at once.
	qs := make([]Query, 64)
	for i := range qs {
		qs[i] = q
	}
	if _, err := e.Run(qs); err != nil {
		t.Fatal(err)
	}
	if got := e.compiledNSGs(); got != first {
		t.Errorf("compiled NSGs: %d after one check, %d after 115", first, got)
	}
}
