package engine_test

import (
	"errors"
	"github.com/vnetpath/vnetpath/answer"
	"slices"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/topology"
)

// The tests in this file are named after the subtle cases of reference §10
// that concern routing, NSGs, peering and firewalls. Cases vnetpath does
// not model (17 Basic ILB over global peering, 18 NSG changes on live
// flows, 24 to 27) have no test.

const (
	storageFQDN = "stcontoso.blob.core.windows.net"
	peIP        = "10.2.2.5"
	fwIP        = "10.0.1.4"
	fwPublicIP  = "20.10.10.10"
)

// hubSpoke is the estate most cases bend:
//
//   - hub 10.0.0.0/16: AzureFirewallSubnet 10.0.1.0/26 with firewall fw-hub
//     at 10.0.1.4 (public IP 20.10.10.10), and snet-hub 10.0.2.0/24 with VM
//     NIC vm-hub at 10.0.2.4;
//   - spoke-a 10.1.0.0/16: snet-a 10.1.1.0/24 with vm-a at 10.1.1.4; route
//     table rt-a sends 0.0.0.0/0 to the firewall;
//   - spoke-b 10.2.0.0/16: snet-b 10.2.1.0/24 with vm-b at 10.2.1.4, and
//     snet-pe 10.2.2.0/24 with private endpoint pe-st at 10.2.2.5 for the
//     blob service of storage account stcontoso; route table rt-b sends
//     0.0.0.0/0 to the firewall;
//   - the hub is peered with both spokes; the spokes are not peered;
//   - zone privatelink.blob.core.windows.net holds stcontoso → 10.2.2.5 and
//     is linked to all three VNets;
//   - the firewall's classic rules: network rule spokes (TCP, any port,
//     between 10.1.0.0/16 and 10.2.0.0/16 both ways), network rule aad (TCP
//     443 from 10.0.0.0/8 to AzureActiveDirectory), and application rule
//     storage (Https:443 from 10.0.0.0/8 to stcontoso.blob.core.windows.net).
type hubSpoke struct {
	*estate
	hub, a, b                   *topology.VNet
	fwSn, hubSn, aSn, bSn, peSn *topology.Subnet
	fw                          *topology.Firewall
	rtA, rtB                    *topology.RouteTable
	pe                          *topology.PrivateEndpoint
	zone                        *topology.PrivateZone
	hubToA, aToHub              *topology.Peering
	hubToB, bToHub              *topology.Peering
}

func newHubSpoke(t testing.TB) *hubSpoke {
	e := newEstate(t)
	h := &hubSpoke{estate: e}
	h.hub = e.vnet("hub", "10.0.0.0/16")
	h.a = e.vnet("spoke-a", "10.1.0.0/16")
	h.b = e.vnet("spoke-b", "10.2.0.0/16")
	h.fwSn = e.subnet(h.hub, topology.SubnetFirewall, "10.0.1.0/26")
	h.hubSn = e.subnet(h.hub, "snet-hub", "10.0.2.0/24")
	h.aSn = e.subnet(h.a, "snet-a", "10.1.1.0/24")
	h.bSn = e.subnet(h.b, "snet-b", "10.2.1.0/24")
	h.peSn = e.subnet(h.b, "snet-pe", "10.2.2.0/24")
	e.nic("vm-hub", h.hubSn, "10.0.2.4")
	e.nic("vm-a", h.aSn, "10.1.1.4")
	e.nic("vm-b", h.bSn, "10.2.1.4")
	h.hubToA, h.aToHub = e.peer(h.hub, h.a)
	h.hubToB, h.bToHub = e.peer(h.hub, h.b)
	h.fw = e.firewall("fw-hub", h.fwSn, fwIP, fwPublicIP,
		netColl("spokes", 100, "Allow", "TCP", "10.1.0.0/16 10.2.0.0/16", "10.1.0.0/16 10.2.0.0/16", "*"),
		netColl("aad", 110, "Allow", "TCP", "10.0.0.0/8", "AzureActiveDirectory", "443"),
		appColl("storage", 200, "Allow", "10.0.0.0/8", storageFQDN),
	)
	h.rtA = e.routeTable("rt-a", on(h.aSn), udr("default-to-fw", "0.0.0.0/0", "VirtualAppliance", fwIP))
	h.rtB = e.routeTable("rt-b", on(h.bSn), udr("default-to-fw", "0.0.0.0/0", "VirtualAppliance", fwIP))
	h.pe = e.privateEndpoint("pe-st", h.peSn, rg+"Microsoft.Storage/storageAccounts/stcontoso", "blob", storageFQDN, peIP)
	h.zone = e.zone("privatelink.blob.core.windows.net", h.hub, h.a, h.b)
	a(h.zone, "stcontoso", peIP)
	return h
}

const (
	hubSubnet = "hub/snet-hub"
	aSubnet   = "spoke-a/snet-a"
	bSubnet   = "spoke-b/snet-b"
)

// effective returns the effective routes of a subnet as
// "prefix→type(source,state)" strings.
func effective(t testing.TB, eng *engine.Engine, subnet string) []string {
	t.Helper()
	rt, err := eng.EffectiveRoutes(subnet)
	if err != nil {
		t.Fatalf("EffectiveRoutes(%q): %v", subnet, err)
	}
	var out []string
	for _, r := range rt.Value {
		for _, p := range r.AddressPrefix {
			out = append(out, p+"→"+string(r.NextHopType)+"("+r.Source+","+r.State+")")
		}
	}
	return out
}

func wantRoute(t testing.TB, got []string, want string, present bool) {
	t.Helper()
	if slices.Contains(got, want) != present {
		t.Errorf("effective routes %v: %s present %v, want %v", got, want, !present, present)
	}
}

// §10.1, §1.8: the /32 of a private endpoint reaches directly peered VNets
// and beats a 0/0 UDR; only an exact /32 UDR, or route summarisation with
// RouteTableEnabled and a UDR at least as long as the endpoint VNet's
// range, steers the traffic through the firewall.
func TestSubtle01_PrivateEndpointRouteLeaksIntoPeeredVNets(t *testing.T) {
	t.Run("hub VM bypasses its 0/0 UDR", func(t *testing.T) {
		h := newHubSpoke(t)
		h.routeTable("rt-hub", on(h.hubSn), udr("default-to-fw", "0.0.0.0/0", "VirtualAppliance", fwIP))
		eng := h.engine()
		wantRoute(t, effective(t, eng, hubSubnet), peIP+"/32→InterfaceEndpoint(Default,Active)", true)
		r := tcp443(t, eng, hubSubnet, storageFQDN)
		wantVerdict(t, r, answer.Reachable)
		if rt := firstRoute(t, r); rt.AddressPrefix != peIP+"/32" || rt.NextHopType != "InterfaceEndpoint" {
			t.Errorf("first route %+v, want %s/32 InterfaceEndpoint", rt, peIP)
		}
		if hasHop(r, "azureFirewall", "") {
			t.Errorf("the flow passed the firewall\n%s", describe(r))
		}
		if !hasHop(r, "privateEndpoint", "pe-st") {
			t.Errorf("not delivered to pe-st\n%s", describe(r))
		}
	})
	t.Run("firewall subnet reaches the endpoint directly", func(t *testing.T) {
		h := newHubSpoke(t)
		eng := h.engine()
		wantRoute(t, effective(t, eng, "hub/"+topology.SubnetFirewall), peIP+"/32→InterfaceEndpoint(Default,Active)", true)
	})
	t.Run("spoke not peered with the endpoint's VNet has no /32", func(t *testing.T) {
		h := newHubSpoke(t)
		eng := h.engine()
		wantRoute(t, effective(t, eng, aSubnet), peIP+"/32→InterfaceEndpoint(Default,Active)", false)
	})
	t.Run("exact /32 UDR steers through the firewall", func(t *testing.T) {
		h := newHubSpoke(t)
		h.routeTable("rt-hub", on(h.hubSn),
			udr("default-to-fw", "0.0.0.0/0", "VirtualAppliance", fwIP),
			udr("pe-to-fw", peIP+"/32", "VirtualAppliance", fwIP))
		eng := h.engine()
		eff := effective(t, eng, hubSubnet)
		wantRoute(t, eff, peIP+"/32→InterfaceEndpoint(Default,Invalid)", true)
		wantRoute(t, eff, peIP+"/32→VirtualAppliance(User,Active)", true)
		r := tcp443(t, eng, hubSubnet, storageFQDN)
		wantVerdict(t, r, answer.Reachable)
		if rt := firstRoute(t, r); rt.NextHopType != "VirtualAppliance" || rt.Name != "pe-to-fw" {
			t.Errorf("first route %+v, want pe-to-fw to VirtualAppliance", rt)
		}
		if !hasHop(r, "azureFirewall", "fw-hub") || !slices.Contains(allRules(r), "fw-hub/storage/storage-rule") {
			t.Errorf("not through fw-hub's application rule\n%s", describe(r))
		}
		if r.ReturnPath == nil || !r.ReturnPath.OK {
			t.Errorf("the application rule translates the source, so replies return through the firewall\n%s", describe(r))
		}
	})
	// Route summarisation (§1.8 way 2): the UDR invalidates the /32 only
	// when the endpoint's subnet enables route tables for private
	// endpoints and the UDR is at least as long as the endpoint VNet's
	// range (10.2.0.0/16).
	for _, tc := range []struct {
		name     string
		policy   string
		prefix   string
		steered  bool
		routeTyp string
	}{
		{"RouteTableEnabled with the VNet range", topology.PolicyRouteTableEnabled, "10.2.0.0/16", true, "VirtualAppliance"},
		{"Enabled with a /24 inside the range", topology.PolicyEnabled, "10.2.2.0/24", true, "VirtualAppliance"},
		{"RouteTableEnabled with a UDR shorter than the range", topology.PolicyRouteTableEnabled, "10.0.0.0/8", false, "InterfaceEndpoint"},
		{"RouteTableEnabled with 0/0 only", topology.PolicyRouteTableEnabled, "0.0.0.0/0", false, "InterfaceEndpoint"},
		{"Disabled with the VNet range", topology.PolicyDisabled, "10.2.0.0/16", false, "InterfaceEndpoint"},
		{"NetworkSecurityGroupEnabled with the VNet range", topology.PolicyNSGEnabled, "10.2.0.0/16", false, "InterfaceEndpoint"},
	} {
		t.Run("summarisation/"+tc.name, func(t *testing.T) {
			h := newHubSpoke(t)
			h.peSn.PrivateEndpointNetworkPolicies = tc.policy
			h.routeTable("rt-hub", on(h.hubSn),
				udr("default-to-fw", "0.0.0.0/0", "VirtualAppliance", fwIP),
				udr("summary-to-fw", tc.prefix, "VirtualAppliance", fwIP))
			eng := h.engine()
			state := "Active"
			if tc.steered {
				state = "Invalid"
			}
			wantRoute(t, effective(t, eng, hubSubnet), peIP+"/32→InterfaceEndpoint(Default,"+state+")", true)
			r := tcp443(t, eng, hubSubnet, storageFQDN)
			wantVerdict(t, r, answer.Reachable)
			if rt := firstRoute(t, r); string(rt.NextHopType) != tc.routeTyp {
				t.Errorf("first route %+v, want next hop %s", rt, tc.routeTyp)
			}
			if hasHop(r, "azureFirewall", "fw-hub") != tc.steered {
				t.Errorf("through the firewall: %v, want %v\n%s", !tc.steered, tc.steered, describe(r))
			}
		})
	}
}

// §10.7, §3.7: a 0/0 UDR makes the subnet's VirtualNetwork tag the whole
// address space, so AllowVnetOutBound allows what a rule denying Internet
// was meant to stop.
func TestSubtle07_VirtualNetworkTagGrowsWithUDRPrefixes(t *testing.T) {
	for _, tc := range []struct {
		name     string
		udr      bool
		verdict  answer.Verdict
		rule     string
		firewall bool
	}{
		{"without a 0/0 UDR the Internet deny applies", false, answer.DeniedByNSG, "nsg-a/deny-internet", false},
		{"with a 0/0 UDR VirtualNetwork covers everything", true, answer.Reachable, "nsg-a/AllowVnetOutBound", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHubSpoke(t)
			if !tc.udr {
				h.aSn.RouteTable = ""
			}
			h.nsg("nsg-a", on(h.aSn), rule("deny-internet", 100, topology.DirectionOutbound, topology.AccessDeny, "*", "*", "Internet", "*"))
			r := tcp443(t, h.engine(), aSubnet, "login.microsoftonline.com")
			wantVerdict(t, r, tc.verdict)
			if !slices.Contains(r.Hops[0].Rules, tc.rule) {
				t.Errorf("first hop rules %v, want %s", r.Hops[0].Rules, tc.rule)
			}
			if hasHop(r, "azureFirewall", "fw-hub") != tc.firewall {
				t.Errorf("through the firewall: %v, want %v", !tc.firewall, tc.firewall)
			}
			if !tc.udr {
				wantIn(t, "reason", r.Reason, "deny-internet")
				wantIn(t, "fix", fixTexts(r.Fixes), "nsg-a")
			}
		})
	}
}

// §10.8, §3.7: a UDR written with a service tag moves the tag's prefixes
// into the subnet's VirtualNetwork tag, out of Internet: the default
// AllowInternetOutBound no longer decides, AllowVnetOutBound does, and a
// rule denying VirtualNetwork now catches the flow. Holds with the
// catalog's prefixes and with tags matched by name.
func TestSubtle08_ServiceTagUDRMovesPrefixesIntoVirtualNetwork(t *testing.T) {
	for _, withCatalog := range []bool{false, true} {
		for _, tc := range []struct {
			name    string
			tagUDR  bool
			denyVN  bool
			verdict answer.Verdict
			rule    string
		}{
			{"no tag route", false, false, answer.Reachable, "nsg-a/AllowInternetOutBound"},
			{"tag route", true, false, answer.Reachable, "nsg-a/AllowVnetOutBound"},
			{"no tag route, VirtualNetwork denied", false, true, answer.Reachable, "nsg-a/AllowInternetOutBound"},
			{"tag route, VirtualNetwork denied", true, true, answer.DeniedByNSG, "nsg-a/deny-vnet"},
		} {
			name := tc.name
			if withCatalog {
				name += " (catalog)"
			}
			t.Run(name, func(t *testing.T) {
				h := newHubSpoke(t)
				if withCatalog {
					h.withCatalog()
				}
				h.aSn.RouteTable = ""
				if tc.tagUDR {
					h.routeTable("rt-aad", on(h.aSn), udr("aad-direct", "AzureActiveDirectory", "Internet"))
				}
				var rules []topology.SecurityRule
				if tc.denyVN {
					rules = append(rules, rule("deny-vnet", 4000, topology.DirectionOutbound, topology.AccessDeny, "*", "*", "VirtualNetwork", "*"))
				}
				h.nsg("nsg-a", on(h.aSn), rules...)
				r := tcp443(t, h.engine(), aSubnet, "login.microsoftonline.com")
				wantVerdict(t, r, tc.verdict)
				if got := allRules(r); !slices.Contains(got, tc.rule) {
					t.Errorf("rules %v, want %s", got, tc.rule)
				}
				if rt := firstRoute(t, r); rt.NextHopType != "Internet" {
					t.Errorf("route %+v, want Internet", rt)
				}
			})
		}
	}
}

// §10.9, §1.1: a 0/0 UDR removes the reserved None routes, so an
// unassigned private destination follows the UDR to the appliance instead
// of being dropped at the source.
func TestSubtle09_DefaultUDRRemovesNoneRoutes(t *testing.T) {
	t.Run("without the UDR", func(t *testing.T) {
		h := newHubSpoke(t)
		h.aSn.RouteTable = ""
		eng := h.engine()
		eff := effective(t, eng, aSubnet)
		for _, p := range []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"} {
			wantRoute(t, eff, p+"→None(Default,Active)", true)
		}
		r := tcp443(t, eng, aSubnet, "10.50.0.4")
		wantVerdict(t, r, answer.Blackhole)
		if rt := firstRoute(t, r); rt.AddressPrefix != "10.0.0.0/8" || rt.NextHopType != "None" {
			t.Errorf("route %+v, want 10.0.0.0/8 None", rt)
		}
		if hasHop(r, "azureFirewall", "") {
			t.Error("dropped at the source, yet a firewall hop is listed")
		}
	})
	t.Run("with the UDR", func(t *testing.T) {
		h := newHubSpoke(t)
		eng := h.engine()
		eff := effective(t, eng, aSubnet)
		for _, p := range []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"} {
			wantRoute(t, eff, p+"→None(Default,Active)", false)
		}
		r := tcp443(t, eng, aSubnet, "10.50.0.4")
		if rt := firstRoute(t, r); rt.AddressPrefix != "0.0.0.0/0" || rt.NextHopType != "VirtualAppliance" {
			t.Errorf("route %+v, want the 0/0 UDR", rt)
		}
		if !hasHop(r, "azureFirewall", "fw-hub") {
			t.Errorf("did not reach the firewall\n%s", describe(r))
		}
		if a := strings.Join(r.Assumptions, "|"); strings.Contains(a, "172.16.0.0/12") {
			t.Errorf("assumptions %q mention 172.16.0.0/12 for a destination outside it", a)
		}
	})
	t.Run("172.16/12 removal rests on a reading by analogy", func(t *testing.T) {
		h := newHubSpoke(t)
		h.fw.RuleCollections = append(h.fw.RuleCollections, netColl("any", 300, "Allow", "Any", "*", "*", "*"))
		r := tcp443(t, h.engine(), aSubnet, "172.16.5.4")
		if rt := firstRoute(t, r); rt.NextHopType != "VirtualAppliance" {
			t.Errorf("route %+v, want the 0/0 UDR", rt)
		}
		wantIn(t, "assumptions", strings.Join(r.Assumptions, "|"), "172.16.0.0/12")
	})
}

// §10.10, §1.5: routes a gateway learns never beat the VNet's own or
// peering routes, even when longer; a user route does.
func TestSubtle10_BGPNeverBeatsVNetRoutes(t *testing.T) {
	build := func(t *testing.T, extra ...topology.Route) *engine.Engine {
		h := newHubSpoke(t)
		gwSn := h.subnet(h.hub, topology.SubnetGateway, "10.0.255.0/27")
		g := h.gateway("vpngw", h.hub, gwSn, "10.0.255.4")
		// On-premises advertises a range of its own and, wrongly, parts of
		// the hub and of spoke-a.
		h.siteToSite("onprem", g, "192.168.10.0/24", "10.0.2.0/25", "10.1.1.0/25")
		if len(extra) > 0 {
			h.routeTable("rt-hub", on(h.hubSn), extra...)
		}
		return h.engine()
	}
	for _, tc := range []struct {
		name, to, prefix, nextHop string
	}{
		{"own VNet beats a longer gateway route", "10.0.2.5", "10.0.0.0/16", "VnetLocal"},
		{"peering beats a longer gateway route", "10.1.1.4", "10.1.0.0/16", "VNetPeering"},
		{"gateway route used where nothing else covers", "192.168.10.5", "192.168.10.0/24", "VirtualNetworkGateway"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			eng := build(t)
			r := tcp443(t, eng, hubSubnet, tc.to)
			if rt := firstRoute(t, r); rt.AddressPrefix != tc.prefix || string(rt.NextHopType) != tc.nextHop {
				t.Errorf("route %s→%s, want %s→%s\n%s", rt.AddressPrefix, rt.NextHopType, tc.prefix, tc.nextHop, describe(r))
			}
		})
	}
	t.Run("a user route beats the peering route", func(t *testing.T) {
		eng := build(t, udr("a-via-fw", "10.1.1.0/24", "VirtualAppliance", fwIP))
		r := tcp443(t, eng, hubSubnet, "10.1.1.4")
		if rt := firstRoute(t, r); rt.NextHopType != "VirtualAppliance" || rt.Source != "User" {
			t.Errorf("route %+v, want the user route", rt)
		}
	})
	t.Run("effective routes list the gateway routes", func(t *testing.T) {
		eng := build(t)
		eff := effective(t, eng, hubSubnet)
		wantRoute(t, eff, "10.1.1.0/25→VirtualNetworkGateway(VirtualNetworkGateway,Active)", true)
		wantRoute(t, eff, "10.1.0.0/16→VNetPeering(Default,Active)", true)
	})
}

// §10.11, §1.6: service-endpoint routes carry the service's prefixes,
// which are longer than a 0/0 UDR, so storage traffic skips the firewall.
func TestSubtle11_ServiceEndpointBeatsDefaultUDR(t *testing.T) {
	for _, tc := range []struct {
		name, to string
		catalog  bool
	}{
		{"tag matched by name", "tag:Storage", false},
		{"tag with the catalog's prefixes", "tag:Storage", true},
		{"an address of the service", "20.60.1.1", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHubSpoke(t)
			if tc.catalog {
				h.withCatalog()
			}
			h.aSn.ServiceEndpoints = []topology.ServiceEndpoint{{Service: "Microsoft.Storage", Locations: []string{"*"}}}
			r := tcp443(t, h.engine(), aSubnet, tc.to)
			wantVerdict(t, r, answer.Reachable)
			if rt := firstRoute(t, r); rt.NextHopType != "VirtualNetworkServiceEndpoint" {
				t.Errorf("route %+v, want VirtualNetworkServiceEndpoint", rt)
			}
			if hasHop(r, "azureFirewall", "") {
				t.Errorf("passed the firewall\n%s", describe(r))
			}
			if r.Egress == nil || r.Egress.Method != "serviceEndpoint" {
				t.Errorf("egress %+v, want the service endpoint", r.Egress)
			}
		})
	}
	t.Run("without the endpoint the 0/0 UDR wins", func(t *testing.T) {
		h := newHubSpoke(t)
		r := tcp443(t, h.engine(), aSubnet, "tag:Storage")
		if rt := firstRoute(t, r); rt.NextHopType != "VirtualAppliance" {
			t.Errorf("route %+v, want the 0/0 UDR", rt)
		}
	})
}

// §10.12, §1.6: a route to Internet is not a way out: a private subnet
// without a NAT gateway or public IP has no egress.
func TestSubtle12_InternetNextHopIsNotEgress(t *testing.T) {
	off := false
	for _, tc := range []struct {
		name     string
		dfo      *bool
		nat      bool
		verdict  answer.Verdict
		method   string
		publicIP string
	}{
		{"private subnet", &off, false, answer.NoEgress, "", ""},
		{"private subnet with a NAT gateway", &off, true, answer.Reachable, "natGateway", "20.20.20.20"},
		{"defaultOutboundAccess unset", nil, false, answer.Reachable, "defaultOutbound", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHubSpoke(t)
			h.aSn.RouteTable = ""
			h.aSn.DefaultOutboundAccess = tc.dfo
			if tc.nat {
				h.natGateway("nat-a", "20.20.20.20", h.aSn)
			}
			r := tcp443(t, h.engine(), aSubnet, "login.microsoftonline.com")
			wantVerdict(t, r, tc.verdict)
			if rt := firstRoute(t, r); rt.NextHopType != "Internet" {
				t.Errorf("route %+v, want Internet", rt)
			}
			if tc.verdict == answer.NoEgress {
				wantIn(t, "reason", r.Reason, "no outbound method")
				wantIn(t, "fix", fixTexts(r.Fixes), "NAT gateway")
				if r.Egress != nil {
					t.Errorf("egress %+v without an outbound method", r.Egress)
				}
				return
			}
			if r.Egress == nil || string(r.Egress.Method) != tc.method || r.Egress.PublicIP != tc.publicIP {
				t.Errorf("egress %+v, want %s %q", r.Egress, tc.method, tc.publicIP)
			}
			if tc.dfo == nil {
				wantIn(t, "assumptions", strings.Join(r.Assumptions, "|"), "defaultOutboundAccess")
			}
		})
	}
}

// §10.13, §2.2: a peering carries traffic only when both halves exist, are
// Connected and allow virtual network access.
func TestSubtle13_PeeringNeedsTwoConnectedHalves(t *testing.T) {
	for _, tc := range []struct {
		name    string
		bend    func(ab, ba *topology.Peering) []*topology.Peering // returns the halves to keep
		from    string
		peering string // the peering the fix must name
		reason  string // a fragment of the reason
	}{
		{"Initiated, from the initiating side", func(ab, ba *topology.Peering) []*topology.Peering {
			ab.State = topology.PeeringInitiated
			return []*topology.Peering{ab}
		}, "vnet-x/snet-x", "vnet-x-to-vnet-y", "Initiated"},
		{"Initiated, from the other side", func(ab, ba *topology.Peering) []*topology.Peering {
			ab.State = topology.PeeringInitiated
			return []*topology.Peering{ab}
		}, "vnet-y/snet-y", "vnet-x-to-vnet-y", "Initiated"},
		{"Disconnected after the other half was deleted", func(ab, ba *topology.Peering) []*topology.Peering {
			ab.State = topology.PeeringDisconnected
			return []*topology.Peering{ab}
		}, "vnet-x/snet-x", "vnet-x-to-vnet-y", "Disconnected"},
		{"one half missing", func(ab, ba *topology.Peering) []*topology.Peering {
			return []*topology.Peering{ab}
		}, "vnet-x/snet-x", "vnet-x-to-vnet-y", "only one half"},
		{"allowVirtualNetworkAccess off on the far half", func(ab, ba *topology.Peering) []*topology.Peering {
			ba.AllowVirtualNetworkAccess = false
			return []*topology.Peering{ab, ba}
		}, "vnet-x/snet-x", "vnet-y-to-vnet-x", "allowVirtualNetworkAccess off"},
		{"allowVirtualNetworkAccess off on the near half", func(ab, ba *topology.Peering) []*topology.Peering {
			ab.AllowVirtualNetworkAccess = false
			return []*topology.Peering{ab, ba}
		}, "vnet-x/snet-x", "vnet-x-to-vnet-y", "allowVirtualNetworkAccess off"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEstate(t)
			x, y := e.vnet("vnet-x", "10.10.0.0/16"), e.vnet("vnet-y", "10.20.0.0/16")
			sx, sy := e.subnet(x, "snet-x", "10.10.1.0/24"), e.subnet(y, "snet-y", "10.20.1.0/24")
			e.nic("vm-x", sx, "10.10.1.4")
			e.nic("vm-y", sy, "10.20.1.4")
			ab, ba := e.peer(x, y)
			e.peerings = tc.bend(ab, ba)
			to := "10.20.1.4"
			if tc.from == "vnet-y/snet-y" {
				to = "10.10.1.4"
			}
			r := tcp443(t, e.engine(), tc.from, to)
			wantVerdict(t, r, answer.BlockedByPeering)
			wantIn(t, "reason", r.Reason, tc.reason)
			wantIn(t, "fixes", fixTexts(r.Fixes), tc.peering)
		})
	}
	t.Run("both halves Connected", func(t *testing.T) {
		e := newEstate(t)
		x, y := e.vnet("vnet-x", "10.10.0.0/16"), e.vnet("vnet-y", "10.20.0.0/16")
		e.subnet(x, "snet-x", "10.10.1.0/24")
		e.nic("vm-y", e.subnet(y, "snet-y", "10.20.1.0/24"), "10.20.1.4")
		e.peer(x, y)
		r := tcp443(t, e.engine(), "vnet-x/snet-x", "10.20.1.4")
		wantVerdict(t, r, answer.Reachable)
		if rt := firstRoute(t, r); rt.NextHopType != "VNetPeering" {
			t.Errorf("route %+v, want VNetPeering", rt)
		}
	})
}

// §10.14, §2.1, §2.4: a packet the firewall forwards into a spoke needs
// allowForwardedTraffic on the receiving spoke's half of its peering with
// the hub; the hub's halves do not matter, and a VPN gateway's transit
// needs no such flag.
func TestSubtle14_AllowForwardedTrafficOnReceivingSide(t *testing.T) {
	for _, tc := range []struct {
		name    string
		off     func(h *hubSpoke) *topology.Peering
		verdict answer.Verdict
	}{
		{"receiving spoke's half", func(h *hubSpoke) *topology.Peering { return h.bToHub }, answer.BlockedByPeering},
		{"hub's half toward the receiving spoke", func(h *hubSpoke) *topology.Peering { return h.hubToB }, answer.Reachable},
		{"hub's half toward the sending spoke", func(h *hubSpoke) *topology.Peering { return h.hubToA }, answer.Reachable},
	} {
		t.Run("allowForwardedTraffic off on "+tc.name, func(t *testing.T) {
			// rt-a and rt-b send 0.0.0.0/0 to the firewall, which covers the
			// other spoke: spoke-a reaches spoke-b through fw-hub.
			h := newHubSpoke(t)
			p := tc.off(h)
			p.AllowForwardedTraffic = false
			r := tcp443(t, h.engine(), aSubnet, "10.2.1.4")
			if !hasHop(r, "azureFirewall", "fw-hub") {
				t.Fatalf("not through the firewall\n%s", describe(r))
			}
			wantVerdict(t, r, tc.verdict)
			if tc.verdict == answer.BlockedByPeering {
				wantIn(t, "reason", r.Reason, p.Name, "forwarded", "reference §2.1")
				wantIn(t, "fix", fixTexts(r.Fixes), "allowForwardedTraffic", p.Name)
			}
		})
	}
	t.Run("VPN gateway transit needs no forwarded traffic", func(t *testing.T) {
		h := newHubSpoke(t)
		gwSn := h.subnet(h.hub, topology.SubnetGateway, "10.0.255.0/27")
		g := h.gateway("vpngw", h.hub, gwSn, "10.0.255.4")
		h.siteToSite("onprem", g, "192.168.10.0/24")
		h.hubToA.AllowGatewayTransit, h.aToHub.UseRemoteGateways = true, true
		for _, p := range []*topology.Peering{h.hubToA, h.aToHub, h.hubToB, h.bToHub} {
			p.AllowForwardedTraffic = false
		}
		h.aSn.RouteTable = ""
		r := tcp443(t, h.engine(), aSubnet, "192.168.10.5")
		wantVerdict(t, r, answer.Reachable)
		if rt := firstRoute(t, r); rt.NextHopType != "VirtualNetworkGateway" {
			t.Errorf("route %+v, want VirtualNetworkGateway", rt)
		}
		if !hasHop(r, "gateway", "vpngw") {
			t.Errorf("not handed to vpngw\n%s", describe(r))
		}
	})
}

// §10.15, §1.7: a spoke that uses the hub's gateway gets its routes unless
// the spoke's route table disables gateway route propagation.
func TestSubtle15_GatewayTransitSuppressedByPropagationOff(t *testing.T) {
	for _, disable := range []bool{false, true} {
		name := "propagation on"
		if disable {
			name = "propagation off"
		}
		t.Run(name, func(t *testing.T) {
			h := newHubSpoke(t)
			gwSn := h.subnet(h.hub, topology.SubnetGateway, "10.0.255.0/27")
			g := h.gateway("vpngw", h.hub, gwSn, "10.0.255.4")
			h.siteToSite("onprem", g, "192.168.10.0/24")
			h.hubToA.AllowGatewayTransit, h.aToHub.UseRemoteGateways = true, true
			h.rtA.Routes = nil
			h.rtA.DisableBGPRoutePropagation = disable
			eng := h.engine()
			wantRoute(t, effective(t, eng, aSubnet), "192.168.10.0/24→VirtualNetworkGateway(VirtualNetworkGateway,Active)", !disable)
			rt, err := eng.EffectiveRoutes(aSubnet)
			if err != nil {
				t.Fatal(err)
			}
			noted := strings.Contains(strings.Join(rt.Warnings, "|"), "disables gateway route propagation")
			if noted != disable {
				t.Errorf("warnings %q: propagation note %v, want %v", rt.Warnings, noted, disable)
			}
			for _, er := range rt.Value {
				if er.DisableBGPRoutePropagation != disable {
					t.Errorf("route %v: disableBgpRoutePropagation %v, want %v", er.AddressPrefix, er.DisableBGPRoutePropagation, disable)
				}
			}
			r := tcp443(t, eng, aSubnet, "192.168.10.5")
			if disable {
				wantVerdict(t, r, answer.Blackhole)
				if rt := firstRoute(t, r); rt.AddressPrefix != "192.168.0.0/16" || rt.NextHopType != "None" {
					t.Errorf("route %+v, want 192.168.0.0/16 None", rt)
				}
				return
			}
			wantVerdict(t, r, answer.Reachable)
			if !hasHop(r, "gateway", "vpngw") {
				t.Errorf("not handed to vpngw\n%s", describe(r))
			}
		})
	}
}

// §10.16, §2.7: with subnet peering, every subnet of the VNet gets routes
// to the peered remote subnets, but only the listed local subnets'
// packets are accepted at the far end.
func TestSubtle16_SubnetPeeringDropsAtFarEnd(t *testing.T) {
	build := func(t *testing.T) *engine.Engine {
		e := newEstate(t)
		x, y := e.vnet("vnet-x", "10.10.0.0/16"), e.vnet("vnet-y", "10.20.0.0/16")
		e.subnet(x, "snet-x1", "10.10.1.0/24")
		e.subnet(x, "snet-x2", "10.10.2.0/24")
		e.nic("vm-y1", e.subnet(y, "snet-y1", "10.20.1.0/24"), "10.20.1.4")
		e.nic("vm-y2", e.subnet(y, "snet-y2", "10.20.2.0/24"), "10.20.2.4")
		xy, yx := e.peer(x, y)
		xy.PeerCompleteVNets, yx.PeerCompleteVNets = false, false
		xy.LocalSubnetNames, xy.RemoteSubnetNames = []string{"snet-x1"}, []string{"snet-y1"}
		yx.LocalSubnetNames, yx.RemoteSubnetNames = []string{"snet-y1"}, []string{"snet-x1"}
		xy.RemoteAddressSpace, yx.RemoteAddressSpace = prefixes("10.20.1.0/24"), prefixes("10.10.1.0/24")
		return e.engine()
	}
	t.Run("peered subnets", func(t *testing.T) {
		r := tcp443(t, build(t), "vnet-x/snet-x1", "10.20.1.4")
		wantVerdict(t, r, answer.Reachable)
	})
	t.Run("a non-participating subnet gets the route", func(t *testing.T) {
		wantRoute(t, effective(t, build(t), "vnet-x/snet-x2"), "10.20.1.0/24→VNetPeering(Default,Active)", true)
	})
	t.Run("a non-participating source is dropped at the far end", func(t *testing.T) {
		r := tcp443(t, build(t), "vnet-x/snet-x2", "10.20.1.4")
		if rt := firstRoute(t, r); rt.NextHopType != "VNetPeering" {
			t.Errorf("route %+v, want VNetPeering", rt)
		}
		wantVerdict(t, r, answer.BlockedByPeering)
		wantIn(t, "reason", r.Reason, "snet-x2")
		wantIn(t, "fix", fixTexts(r.Fixes), "snet-x2")
	})
	t.Run("a subnet outside the peering is not routed", func(t *testing.T) {
		r := tcp443(t, build(t), "vnet-x/snet-x1", "10.20.2.4")
		wantVerdict(t, r, answer.BlockedByPeering)
		wantIn(t, "reason", r.Reason, "vnet-x-to-vnet-y", "snet-y2")
		wantIn(t, "fix", fixTexts(r.Fixes), "snet-y2", "remote subnet names")
	})
}

// §10.19, §3.8: the NSG of a private endpoint's subnet filters traffic to
// the endpoint only when the subnet enables network policies for NSGs;
// then source ports count as "*".
func TestSubtle19_NSGOnPrivateEndpointOnlyWithNetworkPolicies(t *testing.T) {
	for _, tc := range []struct {
		policy   string
		srcPorts string
		verdict  answer.Verdict
	}{
		{"", "*", answer.Reachable},
		{topology.PolicyDisabled, "*", answer.Reachable},
		{topology.PolicyRouteTableEnabled, "*", answer.Reachable},
		{topology.PolicyNSGEnabled, "*", answer.DeniedByNSG},
		{topology.PolicyEnabled, "*", answer.DeniedByNSG},
		{topology.PolicyEnabled, "80", answer.DeniedByNSG},
	} {
		t.Run(tc.policy+"/source ports "+tc.srcPorts, func(t *testing.T) {
			h := newHubSpoke(t)
			h.peSn.PrivateEndpointNetworkPolicies = tc.policy
			deny := rule("deny-hub", 100, topology.DirectionInbound, topology.AccessDeny, "*", "10.0.0.0/16", "*", "*")
			pr, err := cidrPorts(tc.srcPorts)
			if err != nil {
				t.Fatal(err)
			}
			deny.SourcePorts = pr
			h.nsg("nsg-pe", on(h.peSn), deny)
			r := tcp443(t, h.engine(), hubSubnet, storageFQDN)
			wantVerdict(t, r, tc.verdict)
			if tc.verdict == answer.DeniedByNSG {
				if !slices.Contains(allRules(r), "nsg-pe/deny-hub") {
					t.Errorf("rules %v do not name nsg-pe/deny-hub", allRules(r))
				}
				return
			}
			wantIn(t, "warnings", strings.Join(r.Warnings, "|"), "nsg-pe", "does not apply to private endpoint pe-st")
		})
	}
	t.Run("a VM in the same subnet is always filtered", func(t *testing.T) {
		h := newHubSpoke(t)
		h.nic("vm-pe", h.peSn, "10.2.2.10")
		h.nsg("nsg-pe", on(h.peSn), rule("deny-hub", 100, topology.DirectionInbound, topology.AccessDeny, "*", "10.0.0.0/16", "*", "*"))
		r := tcp443(t, h.engine(), hubSubnet, "10.2.2.10")
		wantVerdict(t, r, answer.DeniedByNSG)
	})
}

// §10.20, §3.6: 168.63.129.16 and 169.254.169.254 are reached without
// routes and NSGs filter them only through the AzurePlatform* tags.
func TestSubtle20_WireServerBypassesNSG(t *testing.T) {
	for _, tc := range []struct {
		name    string
		to      string
		proto   engine.Protocol
		port    int
		rule    *topology.SecurityRule
		verdict answer.Verdict
	}{
		{"DNS despite a deny-all rule", "168.63.129.16", engine.UDP, 53, nil, answer.Reachable},
		{"IMDS despite a deny-all rule", "169.254.169.254", engine.TCP, 80, nil, answer.Reachable},
		{"DNS blocked by AzurePlatformDNS", "168.63.129.16", engine.UDP, 53,
			ptr(rule("deny-dns", 90, topology.DirectionOutbound, topology.AccessDeny, "*", "*", "AzurePlatformDNS", "*")), answer.DeniedByNSG},
		{"IMDS blocked by AzurePlatformIMDS", "169.254.169.254", engine.TCP, 80,
			ptr(rule("deny-imds", 90, topology.DirectionOutbound, topology.AccessDeny, "*", "*", "AzurePlatformIMDS", "*")), answer.DeniedByNSG},
		{"DNS not blocked by AzurePlatformIMDS", "168.63.129.16", engine.UDP, 53,
			ptr(rule("deny-imds", 90, topology.DirectionOutbound, topology.AccessDeny, "*", "*", "AzurePlatformIMDS", "*")), answer.Reachable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHubSpoke(t)
			rules := []topology.SecurityRule{rule("deny-all", 100, topology.DirectionOutbound, topology.AccessDeny, "*", "*", "*", "*")}
			if tc.rule != nil {
				rules = append(rules, *tc.rule)
			}
			h.nsg("nsg-a", on(h.aSn), rules...)
			r := check(t, h.engine(), engine.Query{From: aSubnet, To: tc.to, Protocol: tc.proto, Port: tc.port})
			wantVerdict(t, r, tc.verdict)
			if tc.verdict == answer.DeniedByNSG {
				if !slices.Contains(r.Hops[0].Rules, "nsg-a/"+tc.rule.Name) {
					t.Errorf("rules %v, want nsg-a/%s", r.Hops[0].Rules, tc.rule.Name)
				}
				return
			}
			if !hasHop(r, "platform", "") {
				t.Errorf("no platform hop\n%s", describe(r))
			}
			if hasHop(r, "azureFirewall", "") {
				t.Errorf("the 0/0 UDR was followed\n%s", describe(r))
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// §10.21, §7.3: network rules do not translate private destinations, so a
// client whose VNet is directly peered with the private endpoint's gets
// replies straight from the endpoint, bypassing the firewall; application
// rules always translate and keep the flow symmetric.
func TestSubtle21_NetworkRuleNoSNATToPrivateEndpointIsAsymmetric(t *testing.T) {
	build := func(t *testing.T, app bool) *engine.Engine {
		h := newHubSpoke(t)
		h.peer(h.a, h.b) // spoke-a now sees the endpoint's /32 directly
		h.rtA.Routes = append(h.rtA.Routes, udr("pe-to-fw", peIP+"/32", "VirtualAppliance", fwIP))
		h.rtA.Routes[len(h.rtA.Routes)-1].ID = h.rtA.ID + "/routes/pe-to-fw"
		h.rtA.Routes[len(h.rtA.Routes)-1].Table = h.rtA.ID
		if app {
			// Only the application rule matches: drop the network rule
			// that covers spoke to spoke.
			h.fw.RuleCollections = slices.DeleteFunc(h.fw.RuleCollections, func(c topology.RuleCollection) bool { return c.Name == "spokes" })
		}
		return h.engine()
	}
	t.Run("network rule", func(t *testing.T) {
		r := tcp443(t, build(t, false), aSubnet, storageFQDN)
		wantVerdict(t, r, answer.ReturnPathBroken)
		if !slices.Contains(allRules(r), "fw-hub/spokes/spokes-rule") {
			t.Errorf("rules %v, want the network rule", allRules(r))
		}
		wantIn(t, "return path", r.ReturnPath.Reason, "without SNAT", "pe-st")
		wantIn(t, "fix", fixTexts(r.Fixes), "application rule")
	})
	t.Run("application rule", func(t *testing.T) {
		r := tcp443(t, build(t, true), aSubnet, storageFQDN)
		wantVerdict(t, r, answer.Reachable)
		if !slices.Contains(allRules(r), "fw-hub/storage/storage-rule") {
			t.Errorf("rules %v, want the application rule", allRules(r))
		}
		if r.ReturnPath == nil || !r.ReturnPath.OK {
			t.Errorf("return path %+v, want OK", r.ReturnPath)
		}
	})
}

// §10.22, §7.1: network rules are evaluated first and are terminating, so
// a network-rule allow wins over an application-rule deny for the name.
func TestSubtle22_NetworkRuleAllowShortCircuitsAppRuleDeny(t *testing.T) {
	for _, tc := range []struct {
		name    string
		network bool
		verdict answer.Verdict
		rule    string
	}{
		{"network allow present", true, answer.Reachable, "fw-hub/aad/aad-rule"},
		{"application deny alone", false, answer.DeniedByFirewall, "fw-hub/deny-login/deny-login-rule"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHubSpoke(t)
			colls := []topology.RuleCollection{appColl("deny-login", 100, "Deny", "*", "login.microsoftonline.com")}
			if tc.network {
				colls = append(colls, netColl("aad", 300, "Allow", "TCP", "10.0.0.0/8", "AzureActiveDirectory", "443"))
			}
			h.fw.RuleCollections = colls
			r := tcp443(t, h.engine(), aSubnet, "login.microsoftonline.com")
			wantVerdict(t, r, tc.verdict)
			if !slices.Contains(allRules(r), tc.rule) {
				t.Errorf("rules %v, want %s", allRules(r), tc.rule)
			}
			if tc.verdict == answer.DeniedByFirewall {
				wantIn(t, "reason", r.Reason, "deny-login")
				return
			}
			if r.Egress == nil || r.Egress.PublicIP != fwPublicIP {
				t.Errorf("egress %+v, want the firewall's %s", r.Egress, fwPublicIP)
			}
		})
	}
}

// §10.23, §7.5: a network rule naming an FQDN matches only when the
// firewall runs DNS proxy.
func TestSubtle23_FQDNNetworkRuleNeedsDNSProxy(t *testing.T) {
	for _, proxy := range []bool{false, true} {
		name := "DNS proxy off"
		if proxy {
			name = "DNS proxy on"
		}
		t.Run(name, func(t *testing.T) {
			h := newHubSpoke(t)
			fqdnRule := netColl("login-fqdn", 100, "Allow", "TCP", "10.0.0.0/8", "", "443")
			fqdnRule.Rules[0].DestinationFQDNs = []string{"login.microsoftonline.com"}
			h.fw.RuleCollections = []topology.RuleCollection{fqdnRule}
			h.fw.DNSProxy = proxy
			r := tcp443(t, h.engine(), aSubnet, "login.microsoftonline.com")
			if !proxy {
				wantVerdict(t, r, answer.DeniedByFirewall)
				wantIn(t, "warnings", strings.Join(r.Warnings, "|"), "login-fqdn", "DNS proxy")
				return
			}
			wantVerdict(t, r, answer.Reachable)
			if !slices.Contains(allRules(r), "fw-hub/login-fqdn/login-fqdn-rule") {
				t.Errorf("rules %v, want the FQDN rule", allRules(r))
			}
		})
	}
}

// §10.29, §2.6: after an address range is added to a peered VNet, the peer
// routes only the ranges synced into its peering (remoteAddressSpace).
func TestSubtle29_PeeringRoutesUseSyncedRemoteSpace(t *testing.T) {
	for _, synced := range []bool{false, true} {
		name := "not in sync"
		if synced {
			name = "synced"
		}
		t.Run(name, func(t *testing.T) {
			h := newHubSpoke(t)
			h.b.AddressSpace = prefixes("10.2.0.0/16", "10.3.0.0/16")
			h.nic("vm-b3", h.subnet(h.b, "snet-b3", "10.3.1.0/24"), "10.3.1.4")
			h.hubToB.RemoteVNetAddressSpace = prefixes("10.2.0.0/16", "10.3.0.0/16")
			h.hubToB.SyncLevel = "LocalNotInSync"
			if synced {
				h.hubToB.RemoteAddressSpace = prefixes("10.2.0.0/16", "10.3.0.0/16")
				h.hubToB.SyncLevel = "FullyInSync"
			}
			eng := h.engine()
			wantRoute(t, effective(t, eng, hubSubnet), "10.3.0.0/16→VNetPeering(Default,Active)", synced)
			r := tcp443(t, eng, hubSubnet, "10.3.1.4")
			if synced {
				wantVerdict(t, r, answer.Reachable)
				return
			}
			wantVerdict(t, r, answer.BlockedByPeering)
			wantIn(t, "reason", r.Reason, "hub-to-spoke-b", "LocalNotInSync", "10.2.0.0/16")
			wantIn(t, "fixes", fixTexts(r.Fixes), "sync", "hub-to-spoke-b")
		})
	}
}

// §10.31: a private endpoint answers as if attached to the client's side,
// so a missing route back from its subnet does not break the flow; a VM in
// the same place does break it.
func TestSubtle31_PrivateEndpointReturnPathNotFlagged(t *testing.T) {
	for _, tc := range []struct {
		name, to string
		verdict  answer.Verdict
	}{
		{"private endpoint", storageFQDN, answer.Reachable},
		{"VM in the same spoke", "10.2.1.4", answer.ReturnPathBroken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHubSpoke(t)
			h.bSn.RouteTable = "" // spoke-b has no route back to spoke-a
			r := tcp443(t, h.engine(), aSubnet, tc.to)
			if !hasHop(r, "azureFirewall", "fw-hub") {
				t.Fatalf("not through the firewall\n%s", describe(r))
			}
			wantVerdict(t, r, tc.verdict)
			if r.ReturnPath == nil {
				t.Fatal("no return path")
			}
			if tc.verdict == answer.ReturnPathBroken {
				wantIn(t, "return path", r.ReturnPath.Reason, "10.1.1.0/24")
				wantIn(t, "fix", fixTexts(r.Fixes), "route back")
			}
		})
	}
}

// Every blocker on a path is listed: the NSG that denies at the source and
// the firewall that would deny next give one fix each (SPEC §5 "fixes").
func TestFixesListEveryBlocker(t *testing.T) {
	h := newHubSpoke(t)
	h.nsg("nsg-a", on(h.aSn), rule("deny-arm", 100, topology.DirectionOutbound, topology.AccessDeny, "*", "*", "AzureResourceManager", "*"))
	r := tcp443(t, h.engine(), aSubnet, "management.azure.com")
	wantVerdict(t, r, answer.DeniedByNSG)
	if len(r.Fixes) < 2 {
		t.Fatalf("%d fixes, want one for the NSG and one for the firewall: %q", len(r.Fixes), r.Fixes)
	}
	fixes := fixTexts(r.Fixes)
	wantIn(t, "fixes", fixes, "nsg-a", "deny-arm", "fw-hub")
	if !slices.ContainsFunc(r.Then, func(h answer.Hop) bool { return h.Kind == "azureFirewall" && h.Action == "denied" }) {
		t.Errorf("the firewall that denies next is not among the hops after the blocker\n%s", describe(r))
	}
}

// Next hops that cannot forward: an address nothing owns, a NIC without IP
// forwarding, and two appliances whose subnets route to each other.
func TestNextHopFailures(t *testing.T) {
	t.Run("address nothing owns", func(t *testing.T) {
		h := newHubSpoke(t)
		h.rtA.Routes[0].NextHopIP = ip("10.0.1.99")
		r := tcp443(t, h.engine(), aSubnet, "login.microsoftonline.com")
		wantVerdict(t, r, answer.Blackhole)
		wantIn(t, "reason", r.Reason, "10.0.1.99", "no firewall or NIC")
		wantIn(t, "fix", fixTexts(r.Fixes), "default-to-fw", "rt-a")
	})
	t.Run("NIC without IP forwarding", func(t *testing.T) {
		h := newHubSpoke(t)
		h.rtA.Routes[0].NextHopIP = ip("10.0.2.4") // vm-hub
		r := tcp443(t, h.engine(), aSubnet, "login.microsoftonline.com")
		wantVerdict(t, r, answer.Blackhole)
		wantIn(t, "reason", r.Reason, "vm-hub", "IP forwarding")
		wantIn(t, "fix", fixTexts(r.Fixes), "enable IP forwarding on NIC vm-hub")
	})
	t.Run("NIC with IP forwarding", func(t *testing.T) {
		h := newHubSpoke(t)
		h.nics[0].EnableIPForwarding = true // vm-hub
		h.rtA.Routes[0].NextHopIP = ip("10.0.2.4")
		r := tcp443(t, h.engine(), aSubnet, "login.microsoftonline.com")
		wantVerdict(t, r, answer.Reachable)
		if !hasHop(r, "virtualAppliance", "vm-hub") {
			t.Errorf("no appliance hop\n%s", describe(r))
		}
		wantIn(t, "assumptions", strings.Join(r.Assumptions, "|"), "vm-hub", "not modelled")
	})
	t.Run("UDR loop between two appliances", func(t *testing.T) {
		h := newHubSpoke(t)
		s1, s2 := h.subnet(h.hub, "snet-nva1", "10.0.3.0/24"), h.subnet(h.hub, "snet-nva2", "10.0.4.0/24")
		n1, n2 := h.nic("nva1", s1, "10.0.3.4"), h.nic("nva2", s2, "10.0.4.4")
		n1.EnableIPForwarding, n2.EnableIPForwarding = true, true
		h.routeTable("rt-nva1", on(s1), udr("default", "0.0.0.0/0", "VirtualAppliance", "10.0.4.4"))
		h.routeTable("rt-nva2", on(s2), udr("default", "0.0.0.0/0", "VirtualAppliance", "10.0.3.4"))
		h.rtA.Routes[0].NextHopIP = ip("10.0.3.4")
		r := tcp443(t, h.engine(), aSubnet, "login.microsoftonline.com")
		wantVerdict(t, r, answer.Loop)
		wantIn(t, "reason", r.Reason, "nva1", "nva2")
		wantIn(t, "fix", fixTexts(r.Fixes), "loop")
	})
}

// A source or destination that names nothing, or several things, is an
// *engine.InputError that lists what it could have meant, in the query's
// words (the CLI maps Arg to its flags).
func TestInputErrors(t *testing.T) {
	h := newHubSpoke(t)
	// A second spoke-a in another resource group, with the same subnet
	// name, and an overlapping unpeered VNet.
	other := &topology.VNet{Meta: topology.Meta{ID: strings.Replace(h.a.ID, "rg-test", "rg-other", 1), Name: "spoke-a"}, Location: "westeurope", AddressSpace: prefixes("10.1.0.0/16")}
	h.vnets = append(h.vnets, other)
	h.subnet(other, "snet-a", "10.1.1.0/24")
	h.subnet(other, "snet-z", "10.1.9.0/24")
	eng := h.engine()
	for _, tc := range []struct {
		name, from, to string
		arg            string
		candidates     []string // fragments some candidate must contain
	}{
		{"subnet that does not exist", "spoke-b/snet-none", "10.0.2.4", "from", []string{"spoke-b/snet-b", "spoke-b/snet-pe"}},
		{"subnet name in two VNets", "spoke-a/snet-a", "10.0.2.4", "from", []string{"rg-test", "rg-other"}},
		{"address in two subnets", "10.1.1.4", "10.0.2.4", "from", []string{"rg-test", "rg-other"}},
		{"address in no subnet", "10.99.0.1", "10.0.2.4", "from", nil},
		{"destination that is no name", hubSubnet, "not a name", "to", nil},
		{"tag without fixed addresses", hubSubnet, "tag:Internet", "to", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := eng.Check(engine.Query{From: tc.from, To: tc.to})
			var ie *engine.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v (%T), want *engine.InputError", err, err)
			}
			if ie.Arg != tc.arg {
				t.Errorf("Arg %q, want %q", ie.Arg, tc.arg)
			}
			word := map[string]string{"from": "source ", "to": "destination "}[tc.arg]
			wantIn(t, "error", err.Error(), word, ie.Value)
			if strings.Contains(err.Error(), "--") {
				t.Errorf("error %q names a CLI flag", err)
			}
			for _, c := range tc.candidates {
				if !slices.ContainsFunc(ie.Candidates, func(s string) bool { return strings.Contains(s, c) }) {
					t.Errorf("candidates %q: none contains %q", ie.Candidates, c)
				}
			}
		})
	}
	t.Run("unknown tag with a catalog", func(t *testing.T) {
		h := newHubSpoke(t)
		h.withCatalog()
		_, err := h.engine().Check(engine.Query{From: hubSubnet, To: "tag:NoSuchTag"})
		var ie *engine.InputError
		if !errors.As(err, &ie) || ie.Arg != "to" {
			t.Fatalf("error %v, want an *engine.InputError for --to", err)
		}
	})
	t.Run("bad protocol and port", func(t *testing.T) {
		for _, q := range []engine.Query{{From: hubSubnet, To: "10.0.2.4", Protocol: "sctp"}, {From: hubSubnet, To: "10.0.2.4", Port: 70000}} {
			_, err := eng.Check(q)
			var ie *engine.InputError
			if !errors.As(err, &ie) {
				t.Errorf("Check(%+v): error %v, want *engine.InputError", q, err)
			}
		}
	})
}

// A tag destination whose prefixes take different routes is answered in
// parts: here a UDR sends one range of AzureActiveDirectory straight to
// the Internet while the rest goes to a firewall without a rule for it.
func TestTagDestinationSplitsIntoParts(t *testing.T) {
	h := newHubSpoke(t)
	h.withCatalog()
	h.rtA.Routes = append(h.rtA.Routes, topology.Route{Meta: topology.Meta{ID: h.rtA.ID + "/routes/aad-direct", Name: "aad-direct"},
		Table: h.rtA.ID, AddressPrefix: "20.190.128.0/18", Prefix: pfx("20.190.128.0/18"), NextHopType: "Internet"})
	h.fw.RuleCollections = slices.DeleteFunc(h.fw.RuleCollections, func(c topology.RuleCollection) bool { return c.Name == "aad" })
	r := tcp443(t, h.engine(), aSubnet, "tag:AzureActiveDirectory")
	wantVerdict(t, r, answer.DeniedByFirewall)
	if len(r.Parts) != 2 {
		t.Fatalf("%d parts, want 2\n%s", len(r.Parts), describe(r))
	}
	got := map[string]answer.Verdict{}
	for _, p := range r.Parts {
		got[p.Destinations] = p.Verdict
	}
	want := map[string]answer.Verdict{"20.190.128.0/18": answer.Reachable, "40.126.0.0/18": answer.DeniedByFirewall}
	for d, v := range want {
		if got[d] != v {
			t.Errorf("part %s: verdict %q, want %s (parts %v)", d, got[d], v, got)
		}
	}
	if r.Parts[len(r.Parts)-1].Verdict != answer.Reachable {
		t.Errorf("reachable parts should come last: %v", r.Parts)
	}
}

// Protocol any is reachable only when TCP, UDP and ICMP all are; the
// answer is the first that fails, with one part per protocol.
func TestProtocolAny(t *testing.T) {
	h := newHubSpoke(t)
	h.nsg("nsg-b", on(h.bSn), rule("deny-udp", 100, topology.DirectionInbound, topology.AccessDeny, "Udp", "*", "*", "*"))
	h.fw.RuleCollections = append(h.fw.RuleCollections, netColl("spokes-any", 120, "Allow", "Any", "10.1.0.0/16 10.2.0.0/16", "10.1.0.0/16 10.2.0.0/16", "*"))
	r := check(t, h.engine(), engine.Query{From: aSubnet, To: "10.2.1.4", Protocol: engine.Any})
	wantVerdict(t, r, answer.DeniedByNSG)
	if r.Protocol != "any" || len(r.Parts) < 3 {
		t.Fatalf("protocol %s with %d parts, want any with one part per protocol\n%s", r.Protocol, len(r.Parts), describe(r))
	}
	got := map[string]answer.Verdict{}
	for _, p := range r.Parts[:3] {
		proto, _, _ := strings.Cut(p.Destinations, " ")
		got[proto] = p.Verdict
	}
	want := map[string]answer.Verdict{"tcp": answer.Reachable, "udp": answer.DeniedByNSG, "icmp": answer.Reachable}
	for p, v := range want {
		if got[p] != v {
			t.Errorf("%s: %q, want %s (parts %v)", p, got[p], v, got)
		}
	}
	if !slices.Contains(allRules(r), "nsg-b/deny-udp") {
		t.Errorf("rules %v, want nsg-b/deny-udp", allRules(r))
	}
}

// An any-protocol answer is to the query: it says the port asked even when
// the part that decided is ICMP, whose answers say port 0.
func TestProtocolAnyKeepsThePort(t *testing.T) {
	h := newHubSpoke(t)
	h.nsg("nsg-b", on(h.bSn), rule("deny-icmp", 100, topology.DirectionInbound, topology.AccessDeny, "Icmp", "*", "*", "*"))
	h.fw.RuleCollections = append(h.fw.RuleCollections, netColl("spokes-any", 120, "Allow", "Any", "10.1.0.0/16 10.2.0.0/16", "10.1.0.0/16 10.2.0.0/16", "*"))
	r := check(t, h.engine(), engine.Query{From: aSubnet, To: "10.2.1.4", Protocol: engine.Any, Port: 443})
	wantVerdict(t, r, answer.DeniedByNSG)
	if r.Protocol != "any" || r.Port != 443 {
		t.Errorf("protocol %s port %d, want any 443\n%s", r.Protocol, r.Port, describe(r))
	}
	if len(r.Parts) < 3 || !strings.HasPrefix(r.Parts[2].Destinations, "icmp ") || r.Parts[2].Verdict != answer.DeniedByNSG {
		t.Errorf("parts %v, want the ICMP part denied", r.Parts)
	}
}
