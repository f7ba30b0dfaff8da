package engine_test

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/servicetags"
	"github.com/vnetpath/vnetpath/topology"
)

// The tests in this file follow the rules of reference §10 items 32 to 44
// on paths (issue 10): where a packet leaves, address families, protocols
// at the edge, subnet peering, gateway types, load balancers, and what
// vnetpath does not model.

// dualCatalogJSON is a catalog whose tags hold IPv4 and IPv6 prefixes.
const dualCatalogJSON = `{"changeNumber": 8, "cloud": "Public", "values": [
 {"name": "AzureActiveDirectory", "id": "AzureActiveDirectory", "properties": {"changeNumber": 1, "region": "", "platform": "Azure", "systemService": "AzureAD",
  "addressPrefixes": ["20.190.128.0/18", "2603:1006:2000::/48"], "networkFeatures": ["API", "NSG", "UDR", "FW"]}},
 {"name": "Storage.WestEurope", "id": "Storage.WestEurope", "properties": {"changeNumber": 1, "region": "westeurope", "platform": "Azure", "systemService": "AzureStorage",
  "addressPrefixes": ["20.60.0.0/17", "2603:1020:200::/48"], "networkFeatures": ["API", "NSG", "UDR", "FW"]}}
]}`

func (e *estate) withDualCatalog() *estate {
	c, err := servicetags.Parse(strings.NewReader(dualCatalogJSON), servicetags.Options{})
	if err != nil {
		e.t.Fatalf("servicetags.Parse: %v", err)
	}
	e.catalog = c
	return e
}

// ipv6 adds an IPv6 IP configuration at addr, with a public IP (none when
// pub is ""), to NIC n in subnet sn.
func (e *estate) ipv6(n *topology.NIC, sn *topology.Subnet, addr, pub string) {
	c := topology.IPConfig{Meta: topology.Meta{ID: n.ID + "/ipConfigurations/ipv6", Name: "ipv6"}, NIC: n.ID, PrivateIP: ip(addr), Subnet: sn.ID}
	if pub != "" {
		c.PublicIP = e.publicIP(n.Name+"-pip6", pub)
		e.pips[len(e.pips)-1].Version = "IPv6"
	}
	n.IPConfigs = append(n.IPConfigs, c)
}

// dualStack makes spoke-a of a hub-and-spoke dual-stack: fd00:1::/48 in
// its space, fd00:1:0:1::/64 in snet-a, vm-a at fd00:1:0:1::4 too.
func dualStack(h *hubSpoke) *topology.NIC {
	h.a.AddressSpace = append(h.a.AddressSpace, pfx("fd00:1::/48"))
	h.aSn.Prefixes = append(h.aSn.Prefixes, pfx("fd00:1:0:1::/64"))
	h.hubToA.RemoteAddressSpace = slices.Clone(h.a.AddressSpace)
	vm := h.nics[1] // vm-a
	h.ipv6(vm, h.aSn, "fd00:1:0:1::4", "")
	return vm
}

func blockerCauses(r engine.Result) []answer.Cause {
	var out []answer.Cause
	for _, b := range r.Blockers {
		out = append(out, b.Cause)
	}
	return out
}

func fixKinds(r engine.Result) []answer.FixKind {
	var out []answer.FixKind
	for _, f := range r.Fixes {
		out = append(out, f.Kind)
	}
	return out
}

// partVerdict returns the verdict of the part whose destinations hold
// fragment, or "".
func partVerdict(r engine.Result, fragment string) answer.Verdict {
	for _, p := range r.Parts {
		if strings.Contains(p.Destinations, fragment) {
			return p.Verdict
		}
	}
	return ""
}

// §10 item 39: address families are separate paths. A dual-stack spoke
// forced through an IPv4 firewall reaches Entra ID over IPv4 through the
// firewall; its IPv6 part never meets the firewall (no IPv6 rule is asked
// for), goes to the Internet and has no IPv6 egress.
func TestPaths39_DualStackSpokeThroughIPv4Firewall(t *testing.T) {
	h := newHubSpoke(t)
	h.withDualCatalog()
	vm := dualStack(h)
	eng := h.engine()
	r := tcp443(t, eng, aSubnet, "login.microsoftonline.com")
	if r.Verdict == answer.DeniedByFirewall || slices.Contains(fixKinds(r), answer.FixAddFirewallRule) {
		t.Fatalf("the IPv6 source part met the IPv4 firewall\n%s", describe(r))
	}
	wantVerdict(t, r, answer.NoEgress)
	if v := partVerdict(r, "20.190.128.0/18"); v != answer.Reachable {
		t.Errorf("IPv4 part: %s, want reachable through the firewall\n%s", v, describe(r))
	}
	if v := partVerdict(r, "2603:1006:2000::/48"); v != answer.NoEgress {
		t.Errorf("IPv6 part: %s, want no-egress\n%s", v, describe(r))
	}
	if !slices.Contains(blockerCauses(r), answer.CauseNoIPv6Egress) {
		t.Errorf("blockers %v lack %s", blockerCauses(r), answer.CauseNoIPv6Egress)
	}
	for _, p := range r.Parts {
		if strings.Contains(p.Destinations, ":") && !strings.Contains(p.Sources, "fd00:1:0:1::/64") || !strings.Contains(p.Destinations, ":") && strings.Contains(p.Sources, "fd00") {
			t.Errorf("part %s has sources %q: a part's source is of its family", p.Destinations, p.Sources)
		}
	}
	wantIn(t, "assumptions", strings.Join(r.Assumptions, "|"), "§1.9")

	t.Run("the IPv6 address of a NIC with an IPv6 public IP leaves through it", func(t *testing.T) {
		h.pips = append(h.pips, &topology.PublicIP{Meta: topology.Meta{ID: netID("publicIPAddresses", "vm-a-pip6"), Name: "vm-a-pip6"}, Address: ip("2603:1030::5"), Version: "IPv6"})
		vm.IPConfigs[1].PublicIP = netID("publicIPAddresses", "vm-a-pip6")
		eng := h.engine()
		r := tcp443(t, eng, "fd00:1:0:1::4", "login.microsoftonline.com")
		wantVerdict(t, r, answer.Reachable)
		if r.Egress == nil || r.Egress.PublicIP != "2603:1030::5" || r.Egress.Method != answer.EgressInstancePublicIP {
			t.Errorf("egress %+v, want the NIC's IPv6 public IP", r.Egress)
		}
		r = tcp443(t, eng, "10.1.1.4", "login.microsoftonline.com")
		wantVerdict(t, r, answer.Reachable)
		if r.Egress == nil || r.Egress.PublicIP != fwPublicIP {
			t.Errorf("IPv4 egress %+v, want the firewall's %s", r.Egress, fwPublicIP)
		}
	})
}

// §10 item 39: rules see the source of the destination's family: an NSG
// that allows only the subnet's IPv4 prefix passes the IPv4 flow of a
// dual-stack subnet, instead of denying its IPv6 prefix.
func TestPaths39_RulesSeeTheSourceOfTheDestinationFamily(t *testing.T) {
	h := newHubSpoke(t)
	dualStack(h)
	h.nsg("nsg-a", on(h.aSn),
		rule("AllowHub", 100, topology.DirectionOutbound, topology.AccessAllow, "*", "10.1.1.0/24", "10.0.0.0/16", "*"),
		rule("DenyAll", 200, topology.DirectionOutbound, topology.AccessDeny, "*", "*", "*", "*"))
	r := tcp443(t, h.engine(), aSubnet, "10.0.2.4")
	wantVerdict(t, r, answer.Reachable)
	if len(r.Parts) > 0 {
		t.Errorf("parts %+v: an IPv4 destination is one path", r.Parts)
	}
	// The walk to a DNS server is cut the same way.
	h.a.DNSServers = []netip.Addr{ip("10.0.2.4")}
	h.nsgs[0].Rules = append(h.nsgs[0].Rules, rule("AllowEntra", 110, topology.DirectionOutbound, topology.AccessAllow, "Tcp", "10.1.1.0/24", "AzureActiveDirectory", "443"))
	h.nsgs[0].Rules[2].ID, h.nsgs[0].Rules[2].NSG = h.nsgs[0].ID+"/securityRules/AllowEntra", h.nsgs[0].ID
	r = tcp443(t, h.engine(), aSubnet, "login.microsoftonline.com")
	wantVerdict(t, r, answer.Reachable)
}

// §10 item 39: an IPv6 part routed to Azure Firewall (here by a user route
// written with a service tag) is dropped: the firewall carries IPv4 only.
// The fix routes the IPv6 prefixes elsewhere; it never asks for an IPv6
// firewall rule.
func TestPaths39_IPv6RoutedToFirewallIsDropped(t *testing.T) {
	h := newHubSpoke(t)
	h.withDualCatalog()
	dualStack(h)
	h.rtA.Routes = append(h.rtA.Routes, udr("aad-to-fw", "AzureActiveDirectory", "VirtualAppliance", fwIP))
	h.rtA.Routes[1].ID, h.rtA.Routes[1].Table = h.rtA.ID+"/routes/aad-to-fw", h.rtA.ID
	r := tcp443(t, h.engine(), aSubnet, "login.microsoftonline.com")
	wantVerdict(t, r, answer.Blackhole)
	if v := partVerdict(r, "2603:1006:2000::/48"); v != answer.Blackhole {
		t.Errorf("IPv6 part %s, want blackhole\n%s", v, describe(r))
	}
	var b *answer.Blocker
	for i := range r.Blockers {
		if r.Blockers[i].Cause == answer.CauseIPv4OnlyDevice {
			b = &r.Blockers[i]
		}
	}
	if b == nil || b.Data["kind"] != "Azure Firewall" {
		t.Fatalf("no ipv4OnlyDevice blocker for the firewall: %v\n%s", blockerCauses(r), describe(r))
	}
	if f := b.Fix; f == nil || f.Kind != answer.FixAddRoute || len(f.Patch) == 0 || !strings.Contains(f.Change, "2603:1006:2000::/48 → Internet") {
		t.Errorf("fix %+v, want a route for the IPv6 prefix to the Internet", f)
	}
	if slices.Contains(fixKinds(r), answer.FixAddFirewallRule) {
		t.Errorf("fixes %v ask for a firewall rule", fixKinds(r))
	}
	wantIn(t, "reason", r.Reason, "IPv4 only")
}

// §10 item 39: VPN gateways carry IPv4 only; an IPv6 prefix learned from
// on-premises is dropped at the gateway, and, being private, no patch can
// say where it should go instead.
func TestPaths39_IPv6ToVPNGatewayIsDropped(t *testing.T) {
	h := newHubSpoke(t)
	dualStack(h)
	gwSn := h.subnet(h.hub, topology.SubnetGateway, "10.0.3.0/27")
	g := h.gateway("vgw", h.hub, gwSn, "10.0.3.4")
	h.siteToSite("onprem", g, "192.168.0.0/16", "fd00:99::/48")
	h.hubToA.AllowGatewayTransit, h.aToHub.UseRemoteGateways = true, true
	r := tcp443(t, h.engine(), aSubnet, "fd00:99::10")
	wantVerdict(t, r, answer.Blackhole)
	if !slices.Contains(blockerCauses(r), answer.CauseIPv4OnlyDevice) {
		t.Fatalf("blockers %v\n%s", blockerCauses(r), describe(r))
	}
	wantIn(t, "reason", r.Reason, "VPN gateway vgw")
	if r.Fixes[0].Kind.Patchable() {
		t.Errorf("fix %+v: a private IPv6 prefix has no patch", r.Fixes[0])
	}
	if r := tcp443(t, h.engine(), aSubnet, "192.168.1.10"); r.Verdict != answer.Reachable {
		t.Errorf("IPv4 to on-premises: %s", r.Verdict)
	}
}

// §1.9, §10 item 39: a dual-stack subnet has a ::/0 system route to the
// Internet; an IPv4-only one has none.
func TestPaths39_DualStackEffectiveRoutes(t *testing.T) {
	h := newHubSpoke(t)
	dualStack(h)
	eng := h.engine()
	wantRoute(t, effective(t, eng, aSubnet), "::/0→Internet(Default,Active)", true)
	wantRoute(t, effective(t, eng, aSubnet), "fd00:1::/48→VnetLocal(Default,Active)", true)
	wantRoute(t, effective(t, eng, bSubnet), "::/0→Internet(Default,Active)", false)
}

// egressEstate is one VNet (10.5.0.0/16) whose subnets each leave for the
// Internet another way: snet-nat through NAT gateway ng (51.0.0.1), where
// vm-nat also has a public IP (52.0.0.1); snet-pip, where vm-pip has a
// public IP (52.0.0.2) and sits in load balancer lb-out's pool too;
// snet-lb, where vm-lb is in lb-out's pool (outbound rule, frontend
// 53.0.0.1); snet-doa with default outbound access; snet-priv, private.
func egressEstate(t *testing.T) *estate {
	e := newEstate(t)
	v := e.vnet("v", "10.5.0.0/16")
	snNat := e.subnet(v, "snet-nat", "10.5.1.0/24")
	snPip := e.subnet(v, "snet-pip", "10.5.2.0/24")
	snLB := e.subnet(v, "snet-lb", "10.5.3.0/24")
	snDOA := e.subnet(v, "snet-doa", "10.5.4.0/24")
	snPriv := e.subnet(v, "snet-priv", "10.5.5.0/24")
	off := false
	snPriv.DefaultOutboundAccess = &off
	e.natGateway("ng", "51.0.0.1", snNat)
	vmNat := e.nic("vm-nat", snNat, "10.5.1.4")
	vmNat.IPConfigs[0].PublicIP = e.publicIP("vm-nat-pip", "52.0.0.1")
	vmPip := e.nic("vm-pip", snPip, "10.5.2.4")
	vmPip.IPConfigs[0].PublicIP = e.publicIP("vm-pip-pip", "52.0.0.2")
	vmLB := e.nic("vm-lb", snLB, "10.5.3.4")
	e.nic("vm-doa", snDOA, "10.5.4.4")
	e.nic("vm-priv", snPriv, "10.5.5.4")
	lbID := netID("loadBalancers", "lb-out")
	pool := lbID + "/backendAddressPools/all"
	e.lbs = append(e.lbs, &topology.LoadBalancer{Meta: topology.Meta{ID: lbID, Name: "lb-out"}, SKU: "Standard",
		Frontends:     []topology.LBFrontend{{ID: lbID + "/frontendIPConfigurations/out", Name: "out", PublicIP: e.publicIP("lb-out-pip", "53.0.0.1")}},
		Pools:         []topology.LBPool{{ID: pool, Name: "all", IPConfigs: []string{vmPip.IPConfigs[0].ID, vmLB.IPConfigs[0].ID}}},
		OutboundRules: []topology.LBOutboundRule{{ID: lbID + "/outboundRules/o", Name: "o", Frontends: []string{lbID + "/frontendIPConfigurations/out"}, Pool: pool, Protocol: "All"}},
	})
	return e
}

// §10 item 32: at the source subnet, NAT gateway ≫ instance-level public
// IP ≫ load balancer outbound rules ≫ default outbound access.
func TestPaths32_EgressPrecedenceAtTheSource(t *testing.T) {
	eng := egressEstate(t).engine()
	tests := []struct {
		from   string
		ip     string
		method answer.EgressMethod
	}{
		{"10.5.1.4", "51.0.0.1", answer.EgressNATGateway},           // the NAT gateway beats the NIC's public IP
		{"10.5.2.4", "52.0.0.2", answer.EgressInstancePublicIP},     // the public IP beats the load balancer
		{"10.5.3.4", "53.0.0.1", answer.EgressLoadBalancerOutbound}, // the outbound rule beats default outbound access
		{"10.5.4.4", "", answer.EgressDefaultOutbound},
		{"v/snet-nat", "51.0.0.1", answer.EgressNATGateway},
	}
	for _, tt := range tests {
		t.Run(tt.from, func(t *testing.T) {
			r := tcp443(t, eng, tt.from, "tag:AzureActiveDirectory")
			wantVerdict(t, r, answer.Reachable)
			if r.Egress == nil || r.Egress.PublicIP != tt.ip || r.Egress.Method != tt.method {
				t.Errorf("egress %+v, want %s %q", r.Egress, tt.method, tt.ip)
			}
		})
	}
}

// §10 item 32: a NAT gateway on AzureFirewallSubnet gives the firewall's
// Internet traffic the NAT gateway's public IP, not the firewall's.
func TestPaths32_NATGatewayOnFirewallSubnet(t *testing.T) {
	h := newHubSpoke(t)
	h.natGateway("ng-fw", "51.1.1.1", h.fwSn)
	r := tcp443(t, h.engine(), aSubnet, "tag:AzureActiveDirectory")
	wantVerdict(t, r, answer.Reachable)
	if r.Egress == nil || r.Egress.PublicIP != "51.1.1.1" || r.Egress.Method != answer.EgressNATGateway {
		t.Errorf("egress %+v, want NAT gateway ng-fw 51.1.1.1", r.Egress)
	}
	if !hasHop(r, "azureFirewall", "fw-hub") {
		t.Errorf("the flow did not pass the firewall\n%s", describe(r))
	}
}

// §10 item 32: a NAT gateway on an appliance's subnet beats the appliance
// NIC's own public IP.
func TestPaths32_NATGatewayOnApplianceSubnet(t *testing.T) {
	for _, withNAT := range []bool{false, true} {
		h := newHubSpoke(t)
		nva := h.nic("nva", h.hubSn, "10.0.2.10")
		nva.EnableIPForwarding = true
		nva.IPConfigs[0].PublicIP = h.publicIP("nva-pip", "52.9.9.9")
		want := answer.Egress{PublicIP: "52.9.9.9", Via: nva.ID, Method: answer.EgressVirtualAppliance}
		if withNAT {
			ng := h.natGateway("ng-nva", "51.2.2.2", h.hubSn)
			want = answer.Egress{PublicIP: "51.2.2.2", Via: ng.ID, Method: answer.EgressNATGateway}
		}
		h.rtA.Routes[0].NextHopIP = ip("10.0.2.10")
		r := tcp443(t, h.engine(), aSubnet, "tag:AzureActiveDirectory")
		wantVerdict(t, r, answer.Reachable)
		if r.Egress == nil || *r.Egress != want {
			t.Errorf("NAT gateway %v: egress %+v, want %+v", withNAT, r.Egress, want)
		}
	}
}

// §10 item 40: ICMP does not leave through default outbound access, a NAT
// gateway or a load balancer outbound rule; an instance public IP carries
// it.
func TestPaths40_ICMPAtTheEdge(t *testing.T) {
	eng := egressEstate(t).engine()
	tests := []struct {
		from   string
		want   answer.Verdict
		method string
	}{
		{"10.5.4.4", answer.NoEgress, "defaultOutbound"},
		{"10.5.1.4", answer.NoEgress, "natGateway"},
		{"10.5.3.4", answer.NoEgress, "loadBalancerOutbound"},
		{"10.5.2.4", answer.Reachable, ""},
	}
	for _, tt := range tests {
		t.Run(tt.from, func(t *testing.T) {
			r := check(t, eng, engine.Query{From: tt.from, To: "tag:AzureActiveDirectory", Protocol: engine.ICMP})
			wantVerdict(t, r, tt.want)
			if tt.method != "" && (len(r.Blockers) == 0 || r.Blockers[0].Cause != answer.CauseICMPNoEgress || r.Blockers[0].Data["method"] != tt.method) {
				t.Errorf("blockers %+v, want icmpNoEgress by %s", r.Blockers, tt.method)
			}
		})
	}
	// TCP from the same sources leaves.
	if r := tcp443(t, eng, "10.5.4.4", "tag:AzureActiveDirectory"); r.Verdict != answer.Reachable {
		t.Errorf("TCP through default outbound access: %s", r.Verdict)
	}
}

// §10 item 41: a private subnet reaches Azure Storage of its own region
// without an outbound method, and nothing else.
func TestPaths41_PrivateSubnetReachesSameRegionStorage(t *testing.T) {
	for _, catalog := range []bool{false, true} {
		e := egressEstate(t)
		if catalog {
			e.withCatalog()
		}
		eng := e.engine()
		r := tcp443(t, eng, "v/snet-priv", "tag:Storage.WestEurope")
		wantVerdict(t, r, answer.Reachable)
		if r.Egress == nil || r.Egress.Method != answer.EgressSameRegionStorage {
			t.Errorf("catalog %v: egress %+v, want sameRegionStorage", catalog, r.Egress)
		}
		r = tcp443(t, eng, "v/snet-priv", "tag:AzureActiveDirectory")
		wantVerdict(t, r, answer.NoEgress)
		if catalog {
			// Storage holds other regions too: only the West Europe part leaves.
			r = tcp443(t, eng, "v/snet-priv", "tag:Storage")
			wantVerdict(t, r, answer.NoEgress)
			if v := partVerdict(r, "20.60.0.0/17"); v != answer.Reachable {
				t.Errorf("Storage.WestEurope part of Storage: %s\n%s", v, describe(r))
			}
		}
	}
}

// subnetPeering makes the hub and spoke-a peering a subnet peering between
// snet-a and the hub subnets named.
func subnetPeering(h *hubSpoke, hubSubnets ...string) {
	h.aToHub.PeerCompleteVNets, h.hubToA.PeerCompleteVNets = false, false
	h.aToHub.LocalSubnetNames, h.aToHub.RemoteSubnetNames = []string{"snet-a"}, hubSubnets
	h.hubToA.LocalSubnetNames, h.hubToA.RemoteSubnetNames = hubSubnets, []string{"snet-a"}
}

// §10 item 34: subnet peering limits every hop, not only delivery: a
// firewall, a private endpoint or a gateway outside the peered subnets
// cannot be reached over the peering.
func TestPaths34_SubnetPeeringLimitsEveryHop(t *testing.T) {
	t.Run("firewall outside the peered subnets", func(t *testing.T) {
		h := newHubSpoke(t)
		subnetPeering(h, "snet-hub")
		r := tcp443(t, h.engine(), aSubnet, "tag:AzureActiveDirectory")
		wantVerdict(t, r, answer.BlockedByPeering)
		if b := r.Blockers[0]; b.Cause != answer.CausePeeringSubnetScope || b.Data["subnet"] != topology.SubnetFirewall || b.Data["side"] != "remote" {
			t.Errorf("blocker %+v", b)
		}
		if f := r.Fixes[0]; f.Kind != answer.FixSetProperty || len(f.Patch) != 2 {
			t.Errorf("fix %+v, want AzureFirewallSubnet added to both halves", f)
		}
	})
	t.Run("firewall among the peered subnets", func(t *testing.T) {
		h := newHubSpoke(t)
		subnetPeering(h, "snet-hub", topology.SubnetFirewall)
		wantVerdict(t, tcp443(t, h.engine(), aSubnet, "tag:AzureActiveDirectory"), answer.Reachable)
	})
	t.Run("private endpoint outside the peered subnets", func(t *testing.T) {
		h := newHubSpoke(t)
		h.hubToB.PeerCompleteVNets, h.bToHub.PeerCompleteVNets = false, false
		h.hubToB.LocalSubnetNames, h.hubToB.RemoteSubnetNames = []string{"snet-hub"}, []string{"snet-b"}
		h.bToHub.LocalSubnetNames, h.bToHub.RemoteSubnetNames = []string{"snet-b"}, []string{"snet-hub"}
		r := tcp443(t, h.engine(), hubSubnet, peIP)
		wantVerdict(t, r, answer.BlockedByPeering)
		if b := r.Blockers[0]; b.Cause != answer.CausePeeringSubnetScope || b.Data["subnet"] != "snet-pe" {
			t.Errorf("blocker %+v", b)
		}
	})
	t.Run("gateway outside the peered subnets", func(t *testing.T) {
		h := newHubSpoke(t)
		gwSn := h.subnet(h.hub, topology.SubnetGateway, "10.0.3.0/27")
		g := h.gateway("vgw", h.hub, gwSn, "10.0.3.4")
		h.siteToSite("onprem", g, "192.168.0.0/16")
		h.hubToA.AllowGatewayTransit, h.aToHub.UseRemoteGateways = true, true
		subnetPeering(h, "snet-hub", topology.SubnetFirewall)
		r := tcp443(t, h.engine(), aSubnet, "192.168.1.10")
		wantVerdict(t, r, answer.BlockedByPeering)
		if b := r.Blockers[0]; b.Data["subnet"] != topology.SubnetGateway {
			t.Errorf("blocker %+v", b)
		}
		subnetPeering(h, "snet-hub", topology.SubnetFirewall, topology.SubnetGateway)
		wantVerdict(t, tcp443(t, h.engine(), aSubnet, "192.168.1.10"), answer.Reachable)
	})
	t.Run("an IPv6-only subnet peering carries no IPv4", func(t *testing.T) {
		h := newHubSpoke(t)
		h.aToHub.OnlyIPv6, h.hubToA.OnlyIPv6 = true, true
		r := tcp443(t, h.engine(), aSubnet, "10.0.2.4")
		wantVerdict(t, r, answer.BlockedByPeering)
		if !slices.Contains(blockerCauses(r), answer.CausePeeringIPv6Only) {
			t.Errorf("blockers %v\n%s", blockerCauses(r), describe(r))
		}
	})
}

// gatewayHub gives the hub a GatewaySubnet with the gateways of the given
// types and spoke-a a user route sending 192.168.0.0/16 to the virtual
// network gateway over gateway transit; spoke-a's route table disables
// gateway route propagation, so no route ExpressRoute learns by BGP can
// take the traffic instead.
func gatewayHub(h *hubSpoke, types ...string) {
	gwSn := h.subnet(h.hub, topology.SubnetGateway, "10.0.3.0/27")
	for i, typ := range types {
		g := h.gateway("gw-"+strings.ToLower(typ), h.hub, gwSn, "10.0.3."+string(rune('4'+i)))
		g.GatewayType = typ
	}
	h.hubToA.AllowGatewayTransit, h.aToHub.UseRemoteGateways = true, true
	h.rtA.DisableBGPRoutePropagation = true
	h.rtA.Routes = append(h.rtA.Routes, udr("onprem", "192.168.0.0/16", "VirtualNetworkGateway"))
	h.rtA.Routes[1].ID, h.rtA.Routes[1].Table = h.rtA.ID+"/routes/onprem", h.rtA.ID
}

// §10 item 35: a user route to VirtualNetworkGateway works only toward a
// VPN gateway; toward an ExpressRoute gateway, or where VPN and
// ExpressRoute gateways coexist, the traffic is dropped.
func TestPaths35_UserRouteToGatewayNeedsVPN(t *testing.T) {
	tests := []struct {
		types []string
		want  answer.Verdict
		typ   string
	}{
		{[]string{"Vpn"}, answer.Reachable, ""},
		{[]string{"ExpressRoute"}, answer.Blackhole, "ExpressRoute"},
		{[]string{"Vpn", "ExpressRoute"}, answer.Blackhole, "VPN and ExpressRoute"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.types, "+"), func(t *testing.T) {
			h := newHubSpoke(t)
			gatewayHub(h, tt.types...)
			r := tcp443(t, h.engine(), aSubnet, "192.168.1.10")
			wantVerdict(t, r, tt.want)
			if tt.typ == "" {
				return
			}
			b := r.Blockers[0]
			if b.Cause != answer.CauseGatewayNotVPN || b.Data["gatewayType"] != tt.typ {
				t.Errorf("blocker %+v", b)
			}
			wantIn(t, "reason", r.Reason, "only at a VPN gateway", "§10 item 35")
			// The route goes; what then carries the traffic ExpressRoute
			// learns by BGP, which no export holds: a person checks it.
			if f := r.Fixes[0]; f.Kind != answer.FixReviewRouting || !strings.Contains(f.Az, "az network route-table route delete") || len(f.Patch) != 0 {
				t.Errorf("fix %+v, want the user route removed by hand", f)
			}
		})
	}
	t.Run("without the user route, ExpressRoute's BGP routes are not known", func(t *testing.T) {
		h := newHubSpoke(t)
		gatewayHub(h, "ExpressRoute")
		h.rtA.Routes, h.rtA.DisableBGPRoutePropagation = h.rtA.Routes[:1], false
		r := tcp443(t, h.engine(), aSubnet, "192.168.1.10")
		wantVerdict(t, r, answer.Unknown)
		if b := r.Blockers[0]; b.Cause != answer.CauseNotModelled || b.Resource != netID("virtualNetworkGateways", "gw-expressroute") {
			t.Errorf("blocker %+v", b)
		}
	})
}

// lbHub puts two appliance NICs (10.0.2.11, 10.0.2.12) behind internal
// load balancer ilb (frontend 10.0.2.10, HA ports) in the hub's snet-hub,
// and points both spokes' default routes at the frontend.
func lbHub(h *hubSpoke) (nva1, nva2 *topology.NIC, lb *topology.LoadBalancer) {
	nva1, nva2 = h.nic("nva1", h.hubSn, "10.0.2.11"), h.nic("nva2", h.hubSn, "10.0.2.12")
	nva1.EnableIPForwarding, nva2.EnableIPForwarding = true, true
	lbID := netID("loadBalancers", "ilb")
	pool := lbID + "/backendAddressPools/nva"
	fe := lbID + "/frontendIPConfigurations/fe"
	lb = &topology.LoadBalancer{Meta: topology.Meta{ID: lbID, Name: "ilb"}, SKU: "Standard",
		Frontends: []topology.LBFrontend{{ID: fe, Name: "fe", PrivateIP: ip("10.0.2.10"), Subnet: h.hubSn.ID}},
		Pools:     []topology.LBPool{{ID: pool, Name: "nva", IPConfigs: []string{nva1.IPConfigs[0].ID, nva2.IPConfigs[0].ID}}},
		Rules:     []topology.LBRule{{ID: lbID + "/loadBalancingRules/ha", Name: "ha", Frontend: fe, Pools: []string{pool}, Protocol: "All"}},
	}
	h.lbs = append(h.lbs, lb)
	h.rtA.Routes[0].NextHopIP = ip("10.0.2.10")
	h.rtB.Routes[0].NextHopIP = ip("10.0.2.10")
	return nva1, nva2, lb
}

// §10 item 43: a user route may point at an internal load balancer's
// frontend; with HA ports it forwards to every member of its backend pool,
// and the answer is reachable when the path through every member is.
func TestPaths43_LoadBalancerNextHop(t *testing.T) {
	t.Run("HA ports to two appliances, both ways", func(t *testing.T) {
		h := newHubSpoke(t)
		lbHub(h)
		r := tcp443(t, h.engine(), aSubnet, "10.2.1.4")
		wantVerdict(t, r, answer.Reachable)
		if !hasHop(r, "loadBalancer", "ilb") || len(r.Parts) != 2 {
			t.Errorf("want the load balancer and a part per member\n%s", describe(r))
		}
		for _, p := range r.Parts {
			if p.Verdict != answer.Reachable {
				t.Errorf("part %+v", p)
			}
		}
		if r.ReturnPath == nil || !r.ReturnPath.OK {
			t.Errorf("return path %+v: replies come back through the same frontend", r.ReturnPath)
		}
	})
	t.Run("a member without IP forwarding drops", func(t *testing.T) {
		h := newHubSpoke(t)
		_, nva2, _ := lbHub(h)
		nva2.EnableIPForwarding = false
		r := tcp443(t, h.engine(), aSubnet, "10.2.1.4")
		wantVerdict(t, r, answer.Blackhole)
		if b := r.Blockers[0]; b.Cause != answer.CauseNextHopNoForwarding || b.Data["nic"] != "nva2" {
			t.Errorf("blocker %+v", b)
		}
	})
	t.Run("no rule for the flow", func(t *testing.T) {
		h := newHubSpoke(t)
		_, _, lb := lbHub(h)
		lb.Rules[0].Protocol, lb.Rules[0].FrontendPort, lb.Rules[0].BackendPort = "Udp", 53, 53
		r := tcp443(t, h.engine(), aSubnet, "10.2.1.4")
		wantVerdict(t, r, answer.Blackhole)
		if b := r.Blockers[0]; b.Cause != answer.CauseLBNoRule {
			t.Errorf("blocker %+v", b)
		}
		if f := r.Fixes[0]; !f.Kind.Patchable() || len(f.Patch) != 1 || !strings.Contains(string(f.Patch[0].Value), `"protocol":"All"`) {
			t.Errorf("fix %+v, want an HA-ports rule", f)
		}
	})
	t.Run("a pool member the snapshot lacks is unknown", func(t *testing.T) {
		h := newHubSpoke(t)
		_, _, lb := lbHub(h)
		lb.Pools[0].IPConfigs = append(lb.Pools[0].IPConfigs, netID("networkInterfaces", "nva3")+"/ipConfigurations/ipconfig1")
		r := tcp443(t, h.engine(), aSubnet, "10.2.1.4")
		wantVerdict(t, r, answer.Unknown)
		if !slices.Contains(r.Missing, netID("networkInterfaces", "nva3")) {
			t.Errorf("missing %v", r.Missing)
		}
	})
}

// §10 item 44: what vnetpath does not model answers unknown, naming it:
// an AVNM security admin configuration whose network manager's scope
// covers the VNet, and a Virtual WAN hub the VNet is connected to.
func TestPaths44_NotModelledIsUnknown(t *testing.T) {
	const sub = "/subscriptions/00000000-0000-0000-0000-000000000001"
	avnm := func(h *hubSpoke, scope topology.NetworkManager) string {
		id := netID("networkManagers", "avnm")
		scope.Meta = topology.Meta{ID: id, Name: "avnm"}
		h.managers = append(h.managers, &scope)
		cfg := id + "/securityAdminConfigurations/baseline"
		h.admin = append(h.admin, &topology.SecurityAdminConfiguration{Meta: topology.Meta{ID: cfg, Name: "baseline"}})
		return cfg
	}
	tests := []struct {
		name     string
		setup    func(h *hubSpoke) string // returns the resource the answer names, "" when none
		want     answer.Verdict
		fixKind  answer.FixKind
		fragment string
	}{
		{"admin configuration of a manager scoped to the subscription", func(h *hubSpoke) string {
			return avnm(h, topology.NetworkManager{ScopeSubscriptions: []string{sub}, ScopeAccesses: []string{"SecurityAdmin"}})
		}, answer.Unknown, answer.FixReviewRules, "evaluated before NSGs"},
		{"admin configuration of a manager scoped to management groups", func(h *hubSpoke) string {
			return avnm(h, topology.NetworkManager{ScopeManagementGroups: []string{"/providers/Microsoft.Management/managementGroups/mg"}})
		}, answer.Unknown, answer.FixReviewRules, "AVNM security admin configuration baseline"},
		{"admin configuration of a manager scoped elsewhere", func(h *hubSpoke) string {
			avnm(h, topology.NetworkManager{ScopeSubscriptions: []string{"/subscriptions/99999999-0000-0000-0000-000000000000"}})
			return ""
		}, answer.Reachable, "", ""},
		{"a manager without security admin access", func(h *hubSpoke) string {
			avnm(h, topology.NetworkManager{ScopeSubscriptions: []string{sub}, ScopeAccesses: []string{"Connectivity"}})
			return ""
		}, answer.Reachable, "", ""},
		{"peering with a Virtual WAN hub's VNet", func(h *hubSpoke) string {
			hub := &topology.VirtualHub{Meta: topology.Meta{ID: netID("virtualHubs", "hub-we"), Name: "hub-we"}, AddressPrefix: pfx("10.200.0.0/23")}
			h.hubs = append(h.hubs, hub)
			hv := "/subscriptions/aaaaaaaa-0000-0000-0000-000000000000/resourceGroups/RG_hub-we_1/providers/Microsoft.Network/virtualNetworks/HV_hub-we_6d1c"
			h.peerings = append(h.peerings, &topology.Peering{Meta: topology.Meta{ID: h.a.ID + "/virtualNetworkPeerings/RemoteVnetToHubPeering", Name: "RemoteVnetToHubPeering"},
				VNet: h.a.ID, RemoteVNet: hv, AllowVirtualNetworkAccess: true, State: topology.PeeringConnected, PeerCompleteVNets: true,
				RemoteAddressSpace: prefixes("10.200.0.0/23")})
			return hub.ID
		}, answer.Unknown, answer.FixReviewRouting, "Virtual WAN hub hub-we"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHubSpoke(t)
			id := tt.setup(h)
			r := tcp443(t, h.engine(), aSubnet, "tag:AzureActiveDirectory")
			wantVerdict(t, r, tt.want)
			if id == "" {
				return
			}
			b := r.Blockers[0]
			if b.Cause != answer.CauseNotModelled || !topology.SameID(b.Resource, id) {
				t.Errorf("blocker %+v, want notModelled naming %s", b, id)
			}
			wantIn(t, "reason", r.Reason, tt.fragment, "not modelled")
			if r.Fixes[0].Kind != tt.fixKind || r.Fixes[0].Kind.Patchable() {
				t.Errorf("fix %+v", r.Fixes[0])
			}
		})
	}
}

// §10 items 33 and 43: DNS servers behind an internal load balancer (a
// VNet's DNS server is the frontend) answer like a DNS server VM: assumed
// to forward to Azure DNS from their VNet, and said so. The frontend is
// not "a DNS server nothing owns".
func TestPaths43_LoadBalancedDNSServers(t *testing.T) {
	h := newHubSpoke(t)
	lbHub(h)
	h.a.DNSServers = []netip.Addr{ip("10.0.2.10")}
	r := tcp443(t, h.engine(), aSubnet, "login.microsoftonline.com")
	wantVerdict(t, r, answer.Reachable)
	if r.DNS == nil || !strings.Contains(r.DNS.Resolver, "load balancer ilb") {
		t.Errorf("resolver %+v, want the DNS servers behind load balancer ilb", r.DNS)
	}
	if r.DNS != nil && !slices.ContainsFunc(r.DNS.Assumptions, func(a string) bool { return strings.Contains(a, "forward to Azure DNS") }) {
		t.Errorf("assumptions %v do not say the backends are assumed to forward to Azure DNS", r.DNS.Assumptions)
	}
}
