package topology_test

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/vnetpath/vnetpath/topology"
)

const otherRG = sub + "/resourceGroups/rg-other/providers/Microsoft.Network/"

// lookupEstate is a hub with a firewall, a resolver and a gateway, a spoke
// with a VM and a private endpoint, and a second VNet named "spoke" in
// another resource group.
func lookupEstate(t *testing.T) *topology.Snapshot {
	t.Helper()
	var b topology.Builder
	b.AddVNet(topology.VNet{Meta: meta(vnetID("hub")), AddressSpace: pfx("10.0.0.0/16")})
	b.AddVNet(topology.VNet{Meta: meta(vnetID("spoke")), AddressSpace: pfx("10.1.0.0/16")})
	b.AddVNet(topology.VNet{Meta: meta(otherRG + "virtualNetworks/spoke"), AddressSpace: pfx("10.1.0.0/16")})
	for _, s := range []struct{ vnet, name, prefix string }{
		{"hub", "AzureFirewallSubnet", "10.0.1.0/26"},
		{"hub", "GatewaySubnet", "10.0.2.0/27"},
		{"spoke", "b", "10.1.1.0/24"},
		{"spoke", "b-small", "10.1.1.0/28"}, // overlaps b on purpose: SubnetAt picks the longest prefix
		{"spoke", "pe", "10.1.2.0/24"},
	} {
		b.AddSubnet(topology.Subnet{Meta: meta(subnetID(s.vnet, s.name)), Prefixes: pfx(s.prefix)})
	}
	b.AddSubnet(topology.Subnet{Meta: meta(otherRG + "virtualNetworks/spoke/subnets/b"), Prefixes: pfx("10.1.1.0/24")})
	b.AddSubnet(topology.Subnet{Meta: meta(subnetID("hub", "snet-dns-in")), Prefixes: pfx("10.0.4.0/28"), Delegations: []string{topology.DelegationDNSResolvers}})
	b.AddPublicIP(topology.PublicIP{Meta: meta(net + "publicIPAddresses/pip-fw"), Address: netip.MustParseAddr("20.1.2.3")})
	b.AddFirewall(topology.Firewall{Meta: meta(net + "azureFirewalls/fw"), IPConfigs: []topology.FirewallIPConfig{
		{Name: "c", PrivateIP: netip.MustParseAddr("10.0.1.4"), Subnet: subnetID("hub", "AzureFirewallSubnet"), PublicIP: net + "publicIPAddresses/pip-fw"},
	}})
	b.AddGateway(topology.Gateway{Meta: meta(net + "virtualNetworkGateways/gw"), IPConfigs: []topology.FirewallIPConfig{
		{Name: "c", PrivateIP: netip.MustParseAddr("10.0.2.4"), Subnet: subnetID("hub", "GatewaySubnet")},
	}})
	b.AddDNSResolver(topology.DNSResolver{Meta: meta(net + "dnsResolvers/r"), VNet: vnetID("hub"), Inbound: []topology.ResolverEndpoint{
		{Meta: meta(net + "dnsResolvers/r/inboundEndpoints/in"), Subnet: subnetID("hub", "snet-dns-in"), IPs: []netip.Addr{netip.MustParseAddr("10.0.4.4")}},
	}})
	b.AddNIC(topology.NIC{Meta: meta(net + "networkInterfaces/vm"), IPConfigs: []topology.IPConfig{
		{Meta: topology.Meta{ID: net + "networkInterfaces/vm/ipConfigurations/c", Name: "c"}, PrivateIP: netip.MustParseAddr("10.1.1.4"), Subnet: subnetID("spoke", "b-small")},
	}})
	// The same address in the unpeered look-alike VNet.
	b.AddNIC(topology.NIC{Meta: meta(otherRG + "networkInterfaces/vm"), IPConfigs: []topology.IPConfig{
		{Meta: topology.Meta{Name: "c"}, PrivateIP: netip.MustParseAddr("10.1.1.4"), Subnet: otherRG + "virtualNetworks/spoke/subnets/b"},
	}})
	ws := sub + "/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/ws"
	b.AddNIC(topology.NIC{Meta: meta(net + "networkInterfaces/pe.nic"), PrivateEndpoint: net + "privateEndpoints/pe", IPConfigs: []topology.IPConfig{
		{Meta: topology.Meta{Name: "c0"}, PrivateIP: netip.MustParseAddr("10.1.2.5"), Subnet: subnetID("spoke", "pe"), PrivateLinkGroupID: "amlworkspace"},
	}})
	b.AddPrivateEndpoint(topology.PrivateEndpoint{Meta: meta(net + "privateEndpoints/pe"), Subnet: subnetID("spoke", "pe"),
		NICs: []string{net + "networkInterfaces/pe.nic"}, Connections: []topology.PEConnection{{Name: "c", Target: ws, GroupIDs: []string{"amlworkspace"}, Status: "Approved"}}})
	b.AddPrivateZone(topology.PrivateZone{Meta: meta(net + "privateDnsZones/privatelink.api.azureml.ms")})
	snap, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

func TestFindSubnets(t *testing.T) {
	snap := lookupEstate(t)
	tests := []struct {
		ref  string
		want []string
	}{
		{"hub/snet-dns-in", []string{subnetID("hub", "snet-dns-in")}},
		{"HUB/SNET-DNS-IN", []string{subnetID("hub", "snet-dns-in")}},
		{subnetID("spoke", "b"), []string{subnetID("spoke", "b")}},
		{"spoke/b", []string{otherRG + "virtualNetworks/spoke/subnets/b", subnetID("spoke", "b")}}, // ambiguous: both, in ID order
		{"spoke/nope", nil},
		{"nope/b", nil},
		{"b", nil},
		{"hub/a/b", nil},
		{"rg/spoke/b", []string{subnetID("spoke", "b")}},                            // the resource group settles it
		{"RG-OTHER/Spoke/B", []string{otherRG + "virtualNetworks/spoke/subnets/b"}}, // in any case
		{"rg-nope/spoke/b", nil},                                                    //
		{"x/rg/spoke/b", nil},                                                       //
	}
	for _, tt := range tests {
		var got []string
		for _, s := range snap.FindSubnets(tt.ref) {
			got = append(got, s.ID)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("FindSubnets(%q) = %q, want %q", tt.ref, got, tt.want)
		}
	}
	if got := snap.FindVNets("Spoke"); len(got) != 2 {
		t.Errorf("FindVNets(Spoke) = %d VNets, want 2", len(got))
	}
}

func TestSubnetAt(t *testing.T) {
	snap := lookupEstate(t)
	tests := []struct {
		vnet, addr, want string
	}{
		{vnetID("spoke"), "10.1.1.4", "b-small"},
		{vnetID("spoke"), "10.1.1.200", "b"},
		{vnetID("spoke"), "10.1.9.9", ""},
		{vnetID("hub"), "10.0.1.4", "AzureFirewallSubnet"},
		{vnetID("nope"), "10.0.1.4", ""},
		{vnetID("spoke"), "::ffff:10.1.2.5", "pe"},
	}
	for _, tt := range tests {
		sn, ok := snap.SubnetAt(tt.vnet, netip.MustParseAddr(tt.addr))
		got := ""
		if ok {
			got = sn.Name
		}
		if got != tt.want {
			t.Errorf("SubnetAt(%s, %s) = %q, want %q", topology.ShortName(tt.vnet), tt.addr, got, tt.want)
		}
	}
}

func TestOwnersOf(t *testing.T) {
	snap := lookupEstate(t)
	tests := []struct {
		addr  string
		kinds []topology.OwnerKind
		ids   []string
	}{
		{"10.0.1.4", []topology.OwnerKind{topology.OwnerFirewall}, []string{net + "azureFirewalls/fw"}},
		{"10.0.2.4", []topology.OwnerKind{topology.OwnerGateway}, []string{net + "virtualNetworkGateways/gw"}},
		{"10.0.4.4", []topology.OwnerKind{topology.OwnerResolverInbound}, []string{net + "dnsResolvers/r/inboundEndpoints/in"}},
		{"10.1.2.5", []topology.OwnerKind{topology.OwnerPrivateEndpoint}, []string{net + "privateEndpoints/pe"}},
		// Two VNets reuse 10.1.1.4: both owners, in ID order.
		{"10.1.1.4", []topology.OwnerKind{topology.OwnerNIC, topology.OwnerNIC}, []string{otherRG + "networkInterfaces/vm", net + "networkInterfaces/vm"}},
		{"10.9.9.9", nil, nil},
	}
	for _, tt := range tests {
		var kinds []topology.OwnerKind
		var ids []string
		for _, o := range snap.OwnersOf(netip.MustParseAddr(tt.addr)) {
			kinds, ids = append(kinds, o.Kind), append(ids, o.ID)
		}
		if !slices.Equal(kinds, tt.kinds) || !slices.Equal(ids, tt.ids) {
			t.Errorf("OwnersOf(%s) = %v %q, want %v %q", tt.addr, kinds, ids, tt.kinds, tt.ids)
		}
		if got := snap.OwnersShared(netip.MustParseAddr(tt.addr)); !slices.Equal(got, snap.OwnersOf(netip.MustParseAddr(tt.addr))) {
			t.Errorf("OwnersShared(%s) = %v, OwnersOf returns %v", tt.addr, got, snap.OwnersOf(netip.MustParseAddr(tt.addr)))
		}
	}
	owners := snap.OwnersOf(netip.MustParseAddr("10.1.2.5"))
	if owners[0].NIC != net+"networkInterfaces/pe.nic" || owners[0].VNet != vnetID("spoke") {
		t.Errorf("private endpoint owner = %+v, want its NIC and VNet", owners[0])
	}
}

func TestSnapshotIndexes(t *testing.T) {
	snap := lookupEstate(t)
	ws := sub + "/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/WS"
	if got := snap.PrivateEndpointsFor(ws); !slices.Equal(got, []string{net + "privateEndpoints/pe"}) {
		t.Errorf("PrivateEndpointsFor = %q", got)
	}
	if got := snap.NICsInSubnet(subnetID("spoke", "b-small")); !slices.Equal(got, []string{net + "networkInterfaces/vm"}) {
		t.Errorf("NICsInSubnet = %q", got)
	}
	if got := snap.FirewallInSubnet(subnetID("hub", "azurefirewallsubnet")); got != net+"azureFirewalls/fw" {
		t.Errorf("FirewallInSubnet = %q", got)
	}
	if got := snap.GatewaysInVNet(vnetID("hub")); !slices.Equal(got, []string{net + "virtualNetworkGateways/gw"}) {
		t.Errorf("GatewaysInVNet = %q (the gateway's VNet comes from its subnet)", got)
	}
	if got := snap.ZonesNamed("PrivateLink.API.AzureML.ms."); len(got) != 1 {
		t.Errorf("ZonesNamed = %q, want the zone whatever the case and trailing dot", got)
	}
	if got := snap.ResolversInVNet(vnetID("hub")); len(got) != 1 {
		t.Errorf("ResolversInVNet = %q", got)
	}
	// Returned slices are copies.
	got := snap.NICsInSubnet(subnetID("spoke", "b-small"))
	got[0] = "changed"
	if snap.NICsInSubnet(subnetID("spoke", "b-small"))[0] == "changed" {
		t.Errorf("NICsInSubnet handed out its internal slice")
	}
	var workload []string
	for s := range snap.Subnets() {
		if s.IsWorkload() {
			workload = append(workload, s.Name)
		}
	}
	if want := []string{"b", "b", "b-small", "pe"}; !slices.Equal(workload, want) {
		t.Errorf("workload subnets = %q, want %q", workload, want)
	}
}
