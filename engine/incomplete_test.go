package engine_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/topology"
)

// TestMissingOnThePath is issue 9 on the engine side (SPEC §2, §5;
// reference §10 item 38): an answer whose path depends on a resource the
// snapshot references but lacks is unknown, names it in missing, has a
// blocker of cause missingResource and an export fix carrying the az
// command the snapshot lists for it; an answer that does not pass there
// keeps its verdict.
func TestMissingOnThePath(t *testing.T) {
	gone := func(typ string) string { return netID(typ, "gone") }
	tests := []struct {
		name    string
		from    string
		to      string
		setup   func(h *hubSpoke)
		missing string // "" when the answer must stay what it is
		want    answer.Verdict
	}{
		{name: "the source subnet's route table", from: aSubnet, to: "tag:AzureActiveDirectory",
			setup:   func(h *hubSpoke) { h.aSn.RouteTable = gone("routeTables") },
			missing: gone("routeTables")},
		{name: "the source subnet's NSG", from: aSubnet, to: "tag:AzureActiveDirectory",
			setup:   func(h *hubSpoke) { h.aSn.NSG = gone("networkSecurityGroups") },
			missing: gone("networkSecurityGroups")},
		{name: "the source NIC's NSG", from: "10.1.1.4", to: "tag:AzureActiveDirectory",
			setup:   func(h *hubSpoke) { h.nics[1].NSG = gone("networkSecurityGroups") },
			missing: gone("networkSecurityGroups")},
		{name: "the destination subnet's NSG", from: aSubnet, to: "10.2.1.4",
			setup:   func(h *hubSpoke) { h.bSn.NSG = gone("networkSecurityGroups") },
			missing: gone("networkSecurityGroups")},
		{name: "the destination subnet's route table, which carries the replies", from: aSubnet, to: "10.2.1.4",
			setup:   func(h *hubSpoke) { h.bSn.RouteTable = gone("routeTables") },
			missing: gone("routeTables")},
		{name: "the firewall's subnet's NAT gateway, whose public IP is the egress", from: aSubnet, to: "tag:AzureActiveDirectory",
			setup:   func(h *hubSpoke) { h.fwSn.NATGateway = gone("natGateways") },
			missing: gone("natGateways")},
		{name: "the firewall's public IP", from: aSubnet, to: "tag:AzureActiveDirectory",
			setup:   func(h *hubSpoke) { h.fw.IPConfigs[0].PublicIP = gone("publicIPAddresses") },
			missing: gone("publicIPAddresses")},
		{name: "the firewall's policy (not \"no rules\")", from: aSubnet, to: "tag:AzureActiveDirectory",
			setup:   func(h *hubSpoke) { h.fw.Policy, h.fw.RuleCollections = gone("firewallPolicies"), nil },
			missing: gone("firewallPolicies")},
		{name: "a rule collection group the policy declares", from: aSubnet, to: "tag:AzureActiveDirectory",
			setup: func(h *hubSpoke) {
				p := &topology.FirewallPolicy{Meta: topology.Meta{ID: netID("firewallPolicies", "fwp"), Name: "fwp"},
					Groups:               []topology.RuleCollectionGroup{{Meta: topology.Meta{ID: netID("firewallPolicies", "fwp") + "/ruleCollectionGroups/app", Name: "app"}, Priority: 200, Collections: h.fw.RuleCollections}},
					RuleCollectionGroups: []string{netID("firewallPolicies", "fwp") + "/ruleCollectionGroups/app", netID("firewallPolicies", "fwp") + "/ruleCollectionGroups/gone"}}
				h.policies = append(h.policies, p)
				h.fw.Policy, h.fw.RuleCollections = p.ID, nil
			},
			missing: netID("firewallPolicies", "fwp") + "/ruleCollectionGroups/gone"},
		{name: "an IP group a firewall rule names", from: aSubnet, to: "tag:AzureActiveDirectory",
			setup: func(h *hubSpoke) {
				h.fw.RuleCollections[1].Rules[0].SourceIPGroups = []string{gone("ipGroups")}
			},
			missing: gone("ipGroups")},
		{name: "the appliance NIC a subnet lists at the next hop", from: bSubnet, to: "tag:AzureActiveDirectory",
			setup: func(h *hubSpoke) {
				h.rtB.Routes[0].NextHopIP = ip("10.0.2.9")
				h.hubSn.IPConfigurations = []string{gone("networkInterfaces") + "/ipConfigurations/ipconfig1"}
			},
			missing: gone("networkInterfaces")},
		{name: "the private endpoint's NIC", from: hubSubnet, to: peIP,
			setup: func(h *hubSpoke) {
				h.nics = slices.DeleteFunc(h.nics, func(n *topology.NIC) bool { return n.Name == "pe-st.nic" })
			},
			missing: netID("networkInterfaces", "pe-st.nic")},
		{name: "a peered VNet beyond its synced range: the next hop is there", from: aSubnet, to: "tag:AzureActiveDirectory",
			setup: func(h *hubSpoke) {
				peerGone(h)
				h.rtA.Routes[0].NextHopIP = ip("10.9.0.4")
			},
			missing: gone("virtualNetworks")},
		{name: "a peered VNet beyond its synced range: the destination is there", from: aSubnet, to: "10.9.1.4",
			setup:   peerGone,
			missing: gone("virtualNetworks")},
		{name: "an NSG of a subnet the path does not pass", from: aSubnet, to: "tag:AzureActiveDirectory",
			setup: func(h *hubSpoke) { h.bSn.NSG = gone("networkSecurityGroups") },
			want:  answer.Reachable},
		{name: "a NAT gateway of a subnet whose traffic leaves elsewhere", from: aSubnet, to: "10.2.1.4",
			setup: func(h *hubSpoke) { h.fwSn.NATGateway = gone("natGateways") },
			want:  answer.Reachable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHubSpoke(t)
			tt.setup(h)
			eng := h.engine()
			r := tcp443(t, eng, tt.from, tt.to)
			if tt.missing == "" {
				wantVerdict(t, r, tt.want)
				if len(r.Missing) > 0 {
					t.Errorf("missing %v for an answer that does not depend on it", r.Missing)
				}
				return
			}
			wantVerdict(t, r, answer.Unknown)
			if !slices.Contains(r.Missing, tt.missing) {
				t.Errorf("missing %v, want %s", r.Missing, tt.missing)
			}
			if b := r.Blockers[0]; b.Cause != answer.CauseMissingResource || !slices.Contains(b.Missing, tt.missing) {
				t.Errorf("first blocker %+v", b)
			}
			m, ok := eng.Snapshot().MissingByID(tt.missing)
			if !ok {
				t.Fatalf("the snapshot does not list %s as missing", tt.missing)
			}
			i := slices.IndexFunc(r.Fixes, func(f answer.Fix) bool { return f.Kind == answer.FixExport })
			if i < 0 || !strings.Contains(r.Fixes[i].Az, m.Export) || m.Export == "" {
				t.Errorf("fixes %v: want an export fix with %q", fixTexts(r.Fixes), m.Export)
			}
			wantIn(t, "reason", r.Reason, "is not in the snapshot, so the answer is unknown")
		})
	}
}

// peerGone peers spoke-a with VNet "gone" (10.9.0.0/16), which the
// snapshot lacks: only spoke-a's half, Connected, is in it.
func peerGone(h *hubSpoke) {
	h.peerings = append(h.peerings, &topology.Peering{Meta: topology.Meta{ID: h.a.ID + "/virtualNetworkPeerings/to-gone", Name: "to-gone"},
		VNet: h.a.ID, RemoteVNet: netID("virtualNetworks", "gone"), AllowVirtualNetworkAccess: true, AllowForwardedTraffic: true,
		State: topology.PeeringConnected, PeerCompleteVNets: true, RemoteAddressSpace: prefixes("10.9.0.0/16")})
}

// TestSummaryListsMissing: the report's snapshot summary lists every
// missing resource with who references it and the az command that
// exports it (SPEC §2).
func TestSummaryListsMissing(t *testing.T) {
	h := newHubSpoke(t)
	h.aSn.RouteTable = netID("routeTables", "gone")
	eng := h.engine()
	sum := eng.Summary()
	if len(sum.Missing) != 1 {
		t.Fatalf("missing %+v", sum.Missing)
	}
	m := sum.Missing[0]
	if m.ID != netID("routeTables", "gone") || m.Type != topology.TypeRouteTable || !slices.Equal(m.ReferencedBy, []string{h.aSn.ID}) ||
		m.Export != "az network route-table show -g rg-test -n gone --subscription 00000000-0000-0000-0000-000000000001 -o json" {
		t.Errorf("missing %+v", m)
	}
}
