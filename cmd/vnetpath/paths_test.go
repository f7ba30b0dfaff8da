package main

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/answer"
)

// The estates of the path rules of reference §10 items 32 to 44 (issue
// 10), hand-written ARM exports:
//
//   - dualstack: a hub with an IPv4 firewall and a VPN gateway (on-premises
//     192.168.0.0/16 and fd00:99::/48), and a dual-stack spoke whose
//     snet-app sends 0.0.0.0/0 to the firewall (nic-app has an IPv6 public
//     IP) and whose snet-tag also sends the AzureActiveDirectory tag to
//     it; tags.json holds IPv4 and IPv6 prefixes;
//   - edges: vnet-edge's subnets leave for the Internet through a NAT
//     gateway (vm-nat has a public IP too), a load balancer outbound rule,
//     default outbound access, or not at all (snet-priv, private);
//     vnet-app's default route points at internal load balancer ilb-nva
//     (HA ports to nva1 and nva2), its snet-er sends on-premises to an
//     ExpressRoute gateway with a user route (gateway route propagation
//     off, so no BGP route competes); vnet-sp's subnet peering
//     with vnet-nva covers neither snet-x nor the load balancer's subnet;
//   - unmodelled: an AVNM security admin configuration whose network
//     manager's scope is the subscription of vnet-governed and of
//     vnet-wan-spoke, which is also connected to a Virtual WAN hub; vnet-other
//     is in another subscription.
var (
	dualstack  = filepath.Join("testdata", "dualstack")
	edges      = filepath.Join("testdata", "edges")
	unmodelled = filepath.Join("testdata", "unmodelled")
	pathTags   = filepath.Join("testdata", "tags.json")
)

// checkPathsJSON runs check with --format json and returns the results, which
// must be in the order asked.
func checkPathsJSON(t *testing.T, args ...string) []answer.Result {
	t.Helper()
	code, out, errs := runCLI(append(append([]string{"check"}, args...), "--format", "json")...)
	if code == exitUsage {
		t.Fatalf("vnetpath check %s: exit %d: %s", strings.Join(args, " "), code, errs)
	}
	var rep answer.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("output is not a report: %v\n%.300s", err, out)
	}
	return rep.Results
}

func causesOf(r answer.Result) []answer.Cause {
	var out []answer.Cause
	for _, b := range r.Blockers {
		out = append(out, b.Cause)
	}
	return out
}

// §10 item 39 through the CLI: a dual-stack spoke forced through an IPv4
// firewall is not denied by the firewall and gets no firewall-rule fix;
// its IPv4 part leaves through the firewall, its IPv6 part has no IPv6
// egress (the subnet) or leaves through the NIC's IPv6 public IP (the
// NIC's IPv6 address); an IPv6 part a tag route sends to the firewall, or
// on-premises IPv6 sent to the VPN gateway, is dropped there.
func TestPathsCLI39_AddressFamilies(t *testing.T) {
	rs := checkPathsJSON(t, "--snapshot", dualstack, "--service-tags", pathTags,
		"--from", "vnet-spoke/snet-app", "--from", "fd00:1:0:1::4", "--from", "10.1.1.4", "--from", "vnet-spoke/snet-tag", "--to", "login.microsoftonline.com")
	if len(rs) != 4 {
		t.Fatalf("%d results", len(rs))
	}
	for _, r := range rs {
		if r.Verdict == answer.DeniedByFirewall || slices.ContainsFunc(r.Fixes, func(f answer.Fix) bool { return f.Kind == answer.FixAddFirewallRule }) {
			t.Errorf("%s: %s with fixes %v: IPv6 met the firewall", r.Source, r.Verdict, r.Fixes)
		}
	}
	subnet, v6, v4, tag := rs[0], rs[1], rs[2], rs[3]
	if subnet.Verdict != answer.NoEgress || !slices.Contains(causesOf(subnet), answer.CauseNoIPv6Egress) {
		t.Errorf("subnet: %s %v", subnet.Verdict, causesOf(subnet))
	}
	if !slices.ContainsFunc(subnet.Parts, func(p answer.Part) bool {
		return p.Verdict == answer.Reachable && strings.Contains(p.Destinations, "20.190.128.0/18") && !strings.Contains(p.Sources, ":")
	}) {
		t.Errorf("subnet: no reachable IPv4 part with an IPv4 source: %+v", subnet.Parts)
	}
	if v6.Verdict != answer.Reachable || v6.Egress == nil || v6.Egress.PublicIP != "2603:1030:20e:3::5" {
		t.Errorf("fd00:1:0:1::4: %s, egress %+v", v6.Verdict, v6.Egress)
	}
	if v4.Verdict != answer.Reachable || v4.Egress == nil || v4.Egress.PublicIP != "20.50.0.10" {
		t.Errorf("10.1.1.4: %s, egress %+v", v4.Verdict, v4.Egress)
	}
	if tag.Verdict != answer.Blackhole || !slices.Contains(causesOf(tag), answer.CauseIPv4OnlyDevice) ||
		!slices.ContainsFunc(tag.Fixes, func(f answer.Fix) bool {
			return f.Kind == answer.FixAddRoute && strings.Contains(f.Change, "2603:1006:2000::/48 → Internet")
		}) {
		t.Errorf("snet-tag: %s %v, fixes %v", tag.Verdict, causesOf(tag), tag.Fixes)
	}
	if !slices.ContainsFunc(subnet.Assumptions, func(a string) bool { return strings.Contains(a, "§1.9") }) {
		t.Errorf("no assumption about IPv6 routes: %q", subnet.Assumptions)
	}

	rs = checkPathsJSON(t, "--snapshot", dualstack, "--from", "vnet-spoke/snet-app", "--to", "fd00:99::10", "--to", "192.168.1.10")
	if rs[0].Verdict != answer.Blackhole || rs[0].Blockers[0].Data["kind"] != "VPN gateway" || rs[1].Verdict != answer.Reachable {
		t.Errorf("on-premises: %s %v, %s", rs[0].Verdict, causesOf(rs[0]), rs[1].Verdict)
	}
}

// §1.9 through the CLI: a dual-stack subnet's effective routes hold ::/0
// to the Internet.
func TestPathsCLI39_DualStackRoutes(t *testing.T) {
	code, out, errs := runCLI("routes", "--snapshot", dualstack, "--subnet", "vnet-spoke/snet-app", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rt answer.RouteTable
	if err := json.Unmarshal([]byte(out), &rt); err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(rt.Value, func(r answer.EffectiveRoute) bool {
		return slices.Equal(r.AddressPrefix, []string{"::/0"}) && r.NextHopType == "Internet" && r.State == "Active"
	}) {
		t.Errorf("no active ::/0 Internet route: %s", out)
	}
}

// §10 items 32, 40, 41 through the CLI: the egress of each subnet follows
// Azure's precedence; ICMP does not leave through a NAT gateway, a load
// balancer outbound rule or default outbound access; a private subnet
// reaches Storage of its own region and nothing else.
func TestPathsCLI32_40_41_Egress(t *testing.T) {
	rs := checkPathsJSON(t, "--snapshot", edges, "--service-tags", pathTags,
		"--from", "10.5.1.4", "--from", "10.5.3.4", "--from", "10.5.4.4", "--to", "login.microsoftonline.com")
	want := []answer.Egress{
		{PublicIP: "51.0.0.1", Method: answer.EgressNATGateway},           // §10 item 32: the NAT gateway beats vm-nat's public IP
		{PublicIP: "53.0.0.1", Method: answer.EgressLoadBalancerOutbound}, // the outbound rule beats default outbound access
		{Method: answer.EgressDefaultOutbound},
	}
	for i, r := range rs {
		if r.Verdict != answer.Reachable || r.Egress == nil || r.Egress.PublicIP != want[i].PublicIP || r.Egress.Method != want[i].Method {
			t.Errorf("%s: %s, egress %+v, want %+v", r.Source, r.Verdict, r.Egress, want[i])
		}
	}
	rs = checkPathsJSON(t, "--snapshot", edges, "--from", "10.5.1.4", "--from", "10.5.3.4", "--from", "10.5.4.4", "--to", "20.190.130.1", "--protocol", "icmp")
	for i, method := range []string{"natGateway", "loadBalancerOutbound", "defaultOutbound"} {
		if r := rs[i]; r.Verdict != answer.NoEgress || r.Blockers[0].Cause != answer.CauseICMPNoEgress || r.Blockers[0].Data["method"] != method {
			t.Errorf("§10 item 40: %s: %s %+v, want icmpNoEgress by %s", r.Source, r.Verdict, r.Blockers, method)
		}
	}
	rs = checkPathsJSON(t, "--snapshot", edges, "--service-tags", pathTags, "--from", "vnet-edge/snet-priv",
		"--to", "tag:Storage.WestEurope", "--to", "tag:Storage.NorthEurope", "--to", "login.microsoftonline.com")
	if r := rs[0]; r.Verdict != answer.Reachable || r.Egress == nil || r.Egress.Method != answer.EgressSameRegionStorage {
		t.Errorf("§10 item 41: Storage.WestEurope: %s, egress %+v", r.Verdict, r.Egress)
	}
	if rs[1].Verdict != answer.NoEgress || rs[2].Verdict != answer.NoEgress {
		t.Errorf("§10 item 41: other region %s, Entra ID %s; want no-egress", rs[1].Verdict, rs[2].Verdict)
	}
}

// §10 items 34, 35, 43 through the CLI: a user route to an internal load
// balancer reaches the Internet through every appliance of its pool; a
// user route to an ExpressRoute gateway drops; a subnet peering that does
// not cover the load balancer's subnet blocks the route that points at it.
func TestPathsCLI34_35_43_NextHops(t *testing.T) {
	rs := checkPathsJSON(t, "--snapshot", edges, "--from", "vnet-app/snet-app", "--to", "20.190.130.1")
	r := rs[0]
	if r.Verdict != answer.Reachable || len(r.Parts) != 2 {
		t.Errorf("§10 item 43: %s with %d parts, want reachable through both appliances", r.Verdict, len(r.Parts))
	}
	if !slices.ContainsFunc(r.Hops, func(h answer.Hop) bool { return h.Kind == answer.HopLoadBalancer && h.Name == "ilb-nva" }) {
		t.Errorf("§10 item 43: no load-balancer hop: %+v", r.Hops)
	}
	rs = checkPathsJSON(t, "--snapshot", edges, "--from", "vnet-app/snet-er", "--from", "vnet-sp/snet-x", "--to", "192.168.1.10")
	if r := rs[0]; r.Verdict != answer.Blackhole || r.Blockers[0].Cause != answer.CauseGatewayNotVPN || !strings.Contains(r.Fixes[0].Az, "route-table route delete") {
		t.Errorf("§10 item 35: %s %v %v", r.Verdict, causesOf(r), r.Fixes)
	}
	if r := rs[1]; r.Verdict != answer.BlockedByPeering || r.Blockers[0].Cause != answer.CausePeeringSubnetScope || r.Blockers[0].Data["subnet"] != "snet-nva" {
		t.Errorf("§10 item 34: %s %+v", r.Verdict, r.Blockers)
	}
}

// §10 item 44 through the CLI: answers an AVNM security admin
// configuration or a Virtual WAN hub may change are unknown, naming it;
// a VNet outside both is answered.
func TestPathsCLI44_NotModelled(t *testing.T) {
	rs := checkPathsJSON(t, "--snapshot", unmodelled, "--to", "tag:AzureActiveDirectory")
	got := map[string]answer.Result{}
	for _, r := range rs {
		got[r.Source[strings.Index(r.Source, "virtualNetworks/")+len("virtualNetworks/"):]] = r
	}
	for src, want := range map[string]string{"vnet-governed/subnets/snet-app": "securityAdminConfigurations/baseline", "vnet-wan-spoke/subnets/snet-app": "virtualHubs/vhub-we"} {
		r := got[src]
		if r.Verdict != answer.Unknown || !slices.ContainsFunc(r.Blockers, func(b answer.Blocker) bool {
			return b.Cause == answer.CauseNotModelled && strings.HasSuffix(b.Resource, want)
		}) {
			t.Errorf("%s: %s %+v, want unknown naming %s", src, r.Verdict, r.Blockers, want)
		}
	}
	if r := got["vnet-other/subnets/snet-app"]; r.Verdict != answer.Reachable {
		t.Errorf("vnet-other: %s", r.Verdict)
	}
}
