package engine_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/topology"
)

// The subnets of spoke-a share a route table and an NSG, so a run walks
// their flows once for all three, unless a rule tells them apart: the NSG
// denies snet-a2 the storage account's private endpoint and lets snet-a3
// reach a web range by a rule of its own; the firewall lets snet-a3 reach
// Entra ID by a rule of its own. A second web range and Azure Monitor
// they all reach alike, by one walk, but where the NSG also names snet-a3
// in a rule for Key Vault: without a catalog, that rule notes, for
// snet-a3 alone, that it matched each tag it met by name. Every answer is
// the one the per-pair path gives, with the source's own first hop,
// translated source and the rules that decided for it.
func TestClassMembersKeepTheirOwnAnswers(t *testing.T) {
	for _, kv := range []bool{false, true} {
		t.Run(fmt.Sprintf("key-vault-rule=%v", kv), func(t *testing.T) { classMembers(t, kv) })
	}
}

func classMembers(t *testing.T, kvRule bool) {
	h := newHubSpoke(t)
	a2 := h.subnet(h.a, "snet-a2", "10.1.2.0/24")
	a3 := h.subnet(h.a, "snet-a3", "10.1.3.0/24")
	a2.RouteTable, a3.RouteTable = h.rtA.ID, h.rtA.ID
	rules := []topology.SecurityRule{
		rule("deny-a2-storage", 100, topology.DirectionOutbound, topology.AccessDeny, "*", "10.1.2.0/24", "10.2.2.0/24", "*"),
		rule("allow-a3-web", 110, topology.DirectionOutbound, topology.AccessAllow, "Tcp", "10.1.3.0/24", "203.0.113.0/24", "443"),
	}
	if kvRule {
		rules = append(rules, rule("allow-a3-kv", 120, topology.DirectionOutbound, topology.AccessAllow, "Tcp", "10.1.3.0/24", "AzureKeyVault", "443"))
	}
	h.nsg("nsg-a", on(h.aSn, a2, a3), rules...)
	h.fw.RuleCollections = append(h.fw.RuleCollections,
		netColl("a3-aad", 105, "Allow", "TCP", "10.1.3.0/24", "AzureActiveDirectory", "443"),
		netColl("monitor", 120, "Allow", "TCP", "10.0.0.0/8", "AzureMonitor 203.0.113.0/24 198.51.100.0/24", "443"))
	snap := h.snapshot()

	prefixOf := map[string]string{aSubnet: "10.1.1.0/24", "spoke-a/snet-a2": "10.1.2.0/24", "spoke-a/snet-a3": "10.1.3.0/24"}
	var qs []engine.Query
	for _, from := range []string{aSubnet, "spoke-a/snet-a2", "spoke-a/snet-a3"} {
		for _, to := range []string{"tag:AzureActiveDirectory", storageFQDN, "tag:AzureMonitor", "203.0.113.10", "198.51.100.10"} {
			qs = append(qs, engine.Query{From: from, To: to, Protocol: engine.TCP, Port: 443})
		}
	}
	got := sameAsPerPair(t, snap, qs)
	for i, q := range qs {
		r := got.Results[i]
		wantV := answer.Reachable
		if q.From == "spoke-a/snet-a2" && q.To == storageFQDN {
			wantV = answer.DeniedByNSG
		}
		if r.Verdict != wantV {
			t.Errorf("%s → %s: verdict %s, want %s\n%s", q.From, q.To, r.Verdict, wantV, describe(r))
		}
		if len(r.Hops) == 0 || topology.ShortName(r.Hops[0].Node) != q.From {
			t.Fatalf("%s → %s: first hop %v, want the source's subnet", q.From, q.To, r.Hops)
		}
		a3 := q.From == "spoke-a/snet-a3"
		if q.To == "203.0.113.10" && a3 != slices.Contains(r.Hops[0].Rules, "nsg-a/allow-a3-web") {
			t.Errorf("%s → %s: rules %v at the source", q.From, q.To, r.Hops[0].Rules)
		}
		if q.To != storageFQDN {
			fwRule := "fw-hub/aad/aad-rule"
			switch {
			case q.To == "tag:AzureMonitor" || q.To == "203.0.113.10" || q.To == "198.51.100.10":
				fwRule = "fw-hub/monitor/monitor-rule"
			case a3:
				fwRule = "fw-hub/a3-aad/a3-aad-rule"
			}
			if i := slices.IndexFunc(r.Hops, func(h answer.Hop) bool { return h.Kind == answer.HopAzureFirewall }); i < 0 || !slices.Equal(r.Hops[i].Rules, []string{fwRule}) {
				t.Errorf("%s → %s: the firewall's rules are not %s\n%s", q.From, q.To, fwRule, describe(r))
			}
			var from []string
			for _, h := range r.Hops {
				for _, st := range h.Steps {
					if st.SNAT != nil {
						from = append(from, st.SNAT.From)
					}
				}
			}
			if want := prefixOf[q.From]; !slices.Equal(from, []string{want}) {
				t.Errorf("%s → %s: translated from %v, want %s", q.From, q.To, from, want)
			}
		}
	}
}

// The subnets of spoke-a send a web range straight to the Internet (a
// route with next hop Internet), each through its own default outbound
// access: the class's walk stands for each, and each answer names the
// member's own subnet as the egress, in the Internet hop's step, in the
// reason and, where the subnets do not set defaultOutboundAccess, in the
// assumption that they have it: whether the class's first subnet asks
// first or last.
func TestClassMembersLeaveThroughTheirOwnSubnets(t *testing.T) {
	for _, c := range []struct {
		set      bool
		repFirst bool
	}{{false, true}, {true, true}, {false, false}, {true, false}} {
		set := c.set
		t.Run(fmt.Sprintf("defaultOutboundAccess-set=%v/first-subnet-first=%v", c.set, c.repFirst), func(t *testing.T) {
			h := newHubSpoke(t)
			a2 := h.subnet(h.a, "snet-a2", "10.1.2.0/24")
			a3 := h.subnet(h.a, "snet-a3", "10.1.3.0/24")
			a2.RouteTable, a3.RouteTable = h.rtA.ID, h.rtA.ID
			web := udr("web-direct", "198.51.100.0/24", "Internet")
			web.ID, web.Table = h.rtA.ID+"/routes/web-direct", h.rtA.ID
			h.rtA.Routes = append(h.rtA.Routes, web)
			if set {
				on := true
				h.aSn.DefaultOutboundAccess, a2.DefaultOutboundAccess, a3.DefaultOutboundAccess = &on, &on, &on
			}
			members := []string{aSubnet, "spoke-a/snet-a2", "spoke-a/snet-a3"}
			if !c.repFirst {
				members = []string{"spoke-a/snet-a2", "spoke-a/snet-a3", aSubnet}
			}
			var qs []engine.Query
			for _, from := range members {
				qs = append(qs, engine.Query{From: from, To: "198.51.100.10", Protocol: engine.TCP, Port: 443})
			}
			rep := sameAsPerPair(t, h.snapshot(), qs)
			for i, r := range rep.Results {
				from := qs[i].From
				if r.Verdict != answer.Reachable || r.Egress == nil || topology.ShortName(r.Egress.Via) != from {
					t.Fatalf("%s: verdict %s, egress %+v, want reachable through its own subnet\n%s", from, r.Verdict, r.Egress, describe(r))
				}
				var stepVia []string
				for _, hp := range r.Hops {
					for _, st := range hp.Steps {
						if st.Egress != nil {
							stepVia = append(stepVia, topology.ShortName(st.Egress.Via))
						}
					}
				}
				if !slices.Equal(stepVia, []string{from}) {
					t.Errorf("%s: the egress steps name %v", from, stepVia)
				}
				j, _ := json.Marshal(r)
				for _, other := range members {
					if other != from && regexp.MustCompile(regexp.QuoteMeta(other)+`\b`).Match(j) {
						t.Errorf("%s: the answer names %s\n%s", from, other, j)
					}
				}
				assumed := slices.ContainsFunc(r.Assumptions, func(a string) bool {
					return strings.HasPrefix(a, "subnet "+from+" does not set defaultOutboundAccess")
				})
				if assumed == set {
					t.Errorf("%s: assumptions %q", from, r.Assumptions)
				}
			}
		})
	}
}

// A subnet peering carries some subnets of a VNet and not others. When
// the spoke's own half names them (its requests to the hub), its subnets
// form no class; when the hub's half back to it does (the replies of the
// DNS server in the hub), they form none either, and the hub's routes to
// the spoke already tell the subnet left out from the others. Either way
// that subnet is cut off and the others are not, as on the per-pair path.
func TestClassNeedsPeeringsOfWholeVNets(t *testing.T) {
	t.Run("the spoke's half", func(t *testing.T) {
		h := newHubSpoke(t)
		a2 := h.subnet(h.a, "snet-a2", "10.1.2.0/24")
		a3 := h.subnet(h.a, "snet-a3", "10.1.3.0/24")
		a2.RouteTable, a3.RouteTable = h.rtA.ID, h.rtA.ID
		h.aToHub.PeerCompleteVNets = false
		h.aToHub.LocalSubnetNames, h.aToHub.RemoteSubnetNames = []string{"snet-a", "snet-a3"}, []string{topology.SubnetFirewall, "snet-hub"}
		var qs []engine.Query
		for _, from := range []string{aSubnet, "spoke-a/snet-a2", "spoke-a/snet-a3"} {
			qs = append(qs, engine.Query{From: from, To: "tag:AzureActiveDirectory", Protocol: engine.TCP, Port: 443})
		}
		rep := sameAsPerPair(t, h.snapshot(), qs)
		for i, r := range rep.Results {
			want := answer.Reachable
			if qs[i].From == "spoke-a/snet-a2" {
				want = answer.BlockedByPeering
			}
			if r.Verdict != want {
				t.Errorf("%s: verdict %s, want %s\n%s", qs[i].From, r.Verdict, want, describe(r))
			}
		}
	})
	t.Run("the hub's half", func(t *testing.T) {
		m := newMLEstate(t)
		m.app.DNSServers = append(m.app.DNSServers, ip(resolverIP))
		m.subnet(m.app, "snet-app2", "10.2.3.0/24")
		m.subnet(m.app, "snet-app3", "10.2.4.0/24")
		for _, p := range m.peerings {
			if p.VNet == m.hub.ID && p.RemoteVNet == m.app.ID {
				p.PeerCompleteVNets = false
				p.LocalSubnetNames = []string{topology.SubnetFirewall, "snet-hub", "snet-dns", "snet-dns-out"}
				p.RemoteSubnetNames = []string{"snet-app", "snet-app3"}
			}
		}
		var qs []engine.Query
		for _, from := range []string{appSubnet, "spoke-app/snet-app2", "spoke-app/snet-app3"} {
			qs = append(qs, engine.Query{From: from, To: wsAPI, Protocol: engine.TCP, Port: 443, Workspace: m.ws.ID})
		}
		rep := sameAsPerPair(t, m.snapshot(), qs)
		for i, r := range rep.Results {
			if cutOff := qs[i].From == "spoke-app/snet-app2"; cutOff != (r.Verdict == answer.DNSUnresolved) {
				t.Errorf("%s: verdict %s; the DNS server's replies reach it: %v\n%s", qs[i].From, r.Verdict, !cutOff, describe(r))
			}
		}
	})
}

// sameAsPerPair runs qs on the shared path and fails the test for each
// answer that is not the one the per-pair path gives.
func sameAsPerPair(t *testing.T, snap *topology.Snapshot, qs []engine.Query) *engine.Report {
	t.Helper()
	got, err := engine.New(snap, nil).Run(qs)
	if err != nil {
		t.Fatal(err)
	}
	want, err := engine.NewWithOptions(snap, nil, engine.Options{PerPair: true}).Run(qs)
	if err != nil {
		t.Fatal(err)
	}
	for i, q := range qs {
		g, _ := json.Marshal(got.Results[i])
		w, _ := json.Marshal(want.Results[i])
		if string(g) != string(w) {
			t.Errorf("%s → %s: the run's answer differs from the per-pair one\nrun:      %s\nper-pair: %s", q.From, q.To, g, w)
		}
	}
	return got
}
