package azure_test

import (
	"net/netip"
	"path/filepath"
	"testing"

	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/topology"
)

// TestExampleEstate loads examples/contoso, the quick start's estate: az
// CLI output (flattened resources), az rest lists and a Resource Graph
// answer, with no error and no warning.
func TestExampleEstate(t *testing.T) {
	res, err := azure.Load([]string{filepath.Join("..", "examples", "contoso")}, azure.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		t.Errorf("warning: %v", w)
	}
	s := res.Snapshot
	// The zones' SOA record sets are exported, and skipped: numberOfRecordSets counts them.
	if len(res.Files) != 20 || !mapsEqual(s.Skipped(), map[string]int{"Microsoft.Network/privateDnsZones/SOA": 2}) {
		t.Errorf("files = %d, skipped = %v", len(res.Files), s.Skipped())
	}
	if m := s.Missing(); len(m) != 0 {
		t.Errorf("Missing() = %+v, want the example complete", m)
	}
	want := map[string]int{
		topology.TypeVNet: 4, topology.TypeSubnet: 9, topology.TypePeering: 6,
		topology.TypeRouteTable: 2, topology.TypeRoute: 2, topology.TypeNSG: 2, topology.TypeSecurityRule: 5,
		topology.TypeNIC: 3, topology.TypePrivateEndpoint: 1, topology.TypeFirewall: 1,
		topology.TypeFirewallPolicy: 1, topology.TypeRuleCollectionGroup: 1, topology.TypePublicIP: 3,
		topology.TypeGateway: 1, topology.TypeLocalGateway: 1, topology.TypeConnection: 1, topology.TypeNATGateway: 1,
		topology.TypePrivateZone: 2, topology.TypeDNSRecordA: 4, topology.TypeZoneLink: 2,
		topology.TypeDNSResolver: 1, topology.TypeInboundEndpoint: 1, topology.TypeOutboundEndpoint: 1, topology.TypeWorkspace: 1,
	}
	if got := s.Counts(); !mapsEqual(got, want) {
		t.Errorf("Counts() = %v\nwant %v", got, want)
	}

	// Flattened az output: the spoke's DNS servers and subnet references.
	ml := s.FindVNets("vnet-spoke-ml")
	if len(ml) != 1 || len(ml[0].DNSServers) != 1 || ml[0].DNSServers[0] != netip.MustParseAddr("10.100.4.4") {
		t.Fatalf("vnet-spoke-ml = %+v", ml)
	}
	train := s.FindSubnets("vnet-spoke-ml/snet-train")[0]
	if topology.NameOf(train.RouteTable) != "rt-spoke-ml" || topology.NameOf(train.NSG) != "nsg-train" {
		t.Errorf("snet-train = %+v", train)
	}
	// az rest list: the route table with its route.
	rt, _ := s.RouteTable(train.RouteTable)
	if !rt.DisableBGPRoutePropagation || rt.Routes[0].NextHopIP != netip.MustParseAddr("10.100.1.4") {
		t.Errorf("rt-spoke-ml = %+v", rt)
	}
	// Resource Graph: the firewall's public IP.
	if fw := s.FirewallInSubnet(s.FindSubnets("vnet-hub/AzureFirewallSubnet")[0].ID); fw == "" {
		t.Error("no firewall in AzureFirewallSubnet")
	} else {
		f, _ := s.Firewall(fw)
		pip, _ := s.PublicIP(f.IPConfigs[0].PublicIP)
		if pip == nil || pip.Address != netip.MustParseAddr("51.105.10.20") {
			t.Errorf("firewall public IP = %+v", pip)
		}
		pol, _ := s.FirewallPolicy(f.Policy)
		if !pol.DNSProxy || len(pol.Groups) != 1 || len(pol.Groups[0].Collections[0].Rules) != 12 {
			t.Errorf("policy = %+v", pol)
		}
	}
	// The deliberate faults are in the data.
	batch := s.FindSubnets("vnet-spoke-data/snet-batch")[0]
	nsg, _ := s.NSG(batch.NSG)
	deny := nsg.Rules[len(nsg.Rules)-1]
	if deny.Name != "DenyAzureResourceManagerOutbound" || deny.Priority != 300 || deny.Access != "Deny" || deny.Destinations[0].Tag != "AzureResourceManager" {
		t.Errorf("nsg-batch rules = %+v", nsg.Rules)
	}
	app := s.FindVNets("vnet-spoke-app")[0]
	if len(app.DNSServers) != 0 || len(s.ZoneLinksOf(app.ID)) != 0 || len(s.ZoneLinksOf(s.FindVNets("vnet-hub")[0].ID)) != 2 {
		t.Errorf("spoke-app DNS = %v, links %v", app.DNSServers, s.ZoneLinksOf(app.ID))
	}
	// The workspace's private endpoint owns its three addresses.
	for _, a := range []string{"10.110.2.4", "10.110.2.5", "10.110.2.6"} {
		o := s.OwnersOf(netip.MustParseAddr(a))
		if len(o) != 1 || o[0].Kind != topology.OwnerPrivateEndpoint || topology.NameOf(o[0].ID) != "pe-mlw-contoso" {
			t.Errorf("OwnersOf(%s) = %+v", a, o)
		}
	}
	ws := s.PrivateEndpointsFor("/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-contoso")
	if len(ws) != 1 {
		t.Errorf("PrivateEndpointsFor(mlw-contoso) = %q", ws)
	}
	if o := s.OwnersOf(netip.MustParseAddr("10.100.4.4")); len(o) != 1 || o[0].Kind != topology.OwnerResolverInbound {
		t.Errorf("OwnersOf(10.100.4.4) = %+v", o)
	}
}
