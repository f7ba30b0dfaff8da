package engine_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/topology"
)

// The tests in this file are named after the DNS cases of reference §10
// (items 2 to 5) and cover how a client's resolver is chosen (§5.5, §5.6).

const (
	wsGUID     = "3f1c2b4a-9d7e-4c1b-8a2f-6e5d4c3b2a10"
	wsAPI      = wsGUID + ".workspace.westeurope.api.azureml.ms"
	wsNotebook = "ml-ws-contoso-westeurope-" + wsGUID + ".westeurope.notebooks.azure.net"
	wsPEIP     = "10.1.2.5"
	resolverIP = "10.0.5.4"
)

// mlEstate is an Azure ML estate:
//
//   - hub 10.0.0.0/16: AzureFirewallSubnet with fw-hub at 10.0.1.4 (no
//     rules, DNS proxy off), snet-hub with vm-hub at 10.0.2.4, snet-dns
//     10.0.5.0/28 holding the inbound endpoint of DNS resolver dns-hub at
//     10.0.5.4 and snet-dns-out 10.0.5.16/28 its outbound endpoint;
//   - spoke-ml 10.1.0.0/16: snet-compute 10.1.1.0/24 and snet-pe
//     10.1.2.0/24 with the workspace's private endpoint pe-ws (API and cert
//     at 10.1.2.5, notebooks at 10.1.2.6);
//   - spoke-app 10.2.0.0/16: snet-app 10.2.1.0/24, peered with the hub and
//     directly with spoke-ml, linked to no zone, using Azure DNS;
//   - workspace ws-contoso in westeurope, public network access Disabled;
//   - zones privatelink.api.azureml.ms and privatelink.notebooks.azure.net
//     with the endpoint's records, linked to the hub and spoke-ml.
type mlEstate struct {
	*estate
	hub, ml, app       *topology.VNet
	fwSn, hubSn, dnsSn *topology.Subnet
	dnsOutSn           *topology.Subnet
	resolver           *topology.DNSResolver
	computeSn, peSn    *topology.Subnet
	appSn              *topology.Subnet
	fw                 *topology.Firewall
	ws                 *topology.Workspace
	pe                 *topology.PrivateEndpoint
	apiZone, nbZone    *topology.PrivateZone
}

func newMLEstate(t testing.TB) *mlEstate {
	e := newEstate(t)
	m := &mlEstate{estate: e}
	m.hub = e.vnet("hub", "10.0.0.0/16")
	m.ml = e.vnet("spoke-ml", "10.1.0.0/16")
	m.app = e.vnet("spoke-app", "10.2.0.0/16")
	m.fwSn = e.subnet(m.hub, topology.SubnetFirewall, "10.0.1.0/26")
	m.hubSn = e.subnet(m.hub, "snet-hub", "10.0.2.0/24")
	m.dnsSn = e.subnet(m.hub, "snet-dns", "10.0.5.0/28")
	m.dnsOutSn = e.subnet(m.hub, "snet-dns-out", "10.0.5.16/28")
	m.computeSn = e.subnet(m.ml, "snet-compute", "10.1.1.0/24")
	m.peSn = e.subnet(m.ml, "snet-pe", "10.1.2.0/24")
	m.appSn = e.subnet(m.app, "snet-app", "10.2.1.0/24")
	e.nic("vm-hub", m.hubSn, "10.0.2.4")
	e.peer(m.hub, m.ml)
	e.peer(m.hub, m.app)
	e.peer(m.app, m.ml)
	m.fw = e.firewall("fw-hub", m.fwSn, fwIP, fwPublicIP)
	m.resolver = e.resolver("dns-hub", m.hub, m.dnsSn, resolverIP)
	e.outbound(m.resolver, m.dnsOutSn)
	m.ws = e.workspace("ws-contoso", wsGUID, "westeurope", topology.PublicAccessDisabled)
	m.pe = e.privateEndpoint("pe-ws", m.peSn, m.ws.ID, "amlworkspace",
		wsAPI, wsPEIP,
		wsGUID+".workspace.westeurope.cert.api.azureml.ms", wsPEIP,
		wsNotebook, "10.1.2.6")
	m.apiZone = e.zone("privatelink.api.azureml.ms", m.hub, m.ml)
	a(m.apiZone, wsGUID+".workspace.westeurope", wsPEIP)
	a(m.apiZone, wsGUID+".workspace.westeurope.cert", wsPEIP)
	m.nbZone = e.zone("privatelink.notebooks.azure.net", m.hub, m.ml)
	a(m.nbZone, "ml-ws-contoso-westeurope-"+wsGUID+".westeurope", "10.1.2.6")
	return m
}

const (
	appSubnet     = "spoke-app/snet-app"
	computeSubnet = "spoke-ml/snet-compute"
)

// resolveFrom resolves name from a VNet or subnet and fails on an error.
func resolveFrom(t testing.TB, eng *engine.Engine, from, name string) *engine.Resolution {
	t.Helper()
	r, err := eng.ResolveFrom(from, name)
	if err != nil {
		t.Fatalf("ResolveFrom(%q, %q): %v", from, name, err)
	}
	if r.Rcode != engine.NoError && r.Rcode != engine.NXDomain && r.Rcode != engine.ServFail && r.Rcode != answer.RcodeUnknown {
		t.Errorf("rcode %q is not NOERROR, NXDOMAIN, SERVFAIL or UNKNOWN", r.Rcode)
	}
	return r
}

func chainTypes(r *engine.Resolution) []string {
	var out []string
	for _, s := range r.Chain {
		out = append(out, s.Type)
	}
	return out
}

// §10.2, §5.2: the DNS context, not routing, decides whether a client uses
// the private endpoint. spoke-app routes to the endpoint over its direct
// peering, but resolves with Azure DNS in a VNet no zone is linked to.
func TestDNS02_ContextNotRoutingDecidesPrivateEndpointUse(t *testing.T) {
	t.Run("linked spoke resolves privately", func(t *testing.T) {
		eng := newMLEstate(t).engine()
		res := resolveFrom(t, eng, "spoke-ml", wsAPI)
		if !slices.Equal(res.Addresses, []string{wsPEIP}) || res.Public {
			t.Errorf("addresses %v public %v, want [%s]", res.Addresses, res.Public, wsPEIP)
		}
		r := tcp443(t, eng, computeSubnet, wsAPI)
		wantVerdict(t, r, answer.Reachable)
		if !hasHop(r, "privateEndpoint", "pe-ws") {
			t.Errorf("not delivered to pe-ws\n%s", describe(r))
		}
	})
	t.Run("unlinked spoke resolves publicly", func(t *testing.T) {
		eng := newMLEstate(t).engine()
		wantRoute(t, effective(t, eng, appSubnet), wsPEIP+"/32→InterfaceEndpoint(Default,Active)", true)
		res := resolveFrom(t, eng, "spoke-app", wsAPI)
		if !res.Public || len(res.Addresses) != 0 {
			t.Errorf("public %v addresses %v, want the public answer", res.Public, res.Addresses)
		}
		if !slices.Equal(res.Expected, []string{wsPEIP}) || !topology.SameID(res.Endpoint, rg+"Microsoft.Network/privateEndpoints/pe-ws") {
			t.Errorf("expected %v endpoint %s, want pe-ws at %s", res.Expected, res.Endpoint, wsPEIP)
		}
		wantIn(t, "reason", res.Reason, "pe-ws", "privatelink.api.azureml.ms", "not linked", "spoke-app")
	})
	t.Run("workspace refuses public access", func(t *testing.T) {
		r := tcp443(t, newMLEstate(t).engine(), appSubnet, wsAPI)
		wantVerdict(t, r, answer.PrivateEndpointBypassed)
		wantIn(t, "reason", r.Reason, "ws-contoso", "403")
		wantIn(t, "fix", r.Fixes[0].Text, "link private DNS zone privatelink.api.azureml.ms to VNet spoke-app")
		if r.DNS == nil || !r.DNS.Public {
			t.Errorf("DNS %+v, want the public answer", r.DNS)
		}
	})
	t.Run("workspace allows public access", func(t *testing.T) {
		m := newMLEstate(t)
		m.ws.PublicNetworkAccess = topology.PublicAccessEnabled
		r := tcp443(t, m.engine(), appSubnet, wsAPI)
		wantVerdict(t, r, answer.Reachable)
		if !slices.Equal(r.Addresses, []string{"tag:AzureMachineLearning"}) {
			t.Errorf("addresses %v, want the workspace's public tag", r.Addresses)
		}
		if rt := firstRoute(t, r); rt.NextHopType != "Internet" {
			t.Errorf("route %+v, want the public path", rt)
		}
		wantIn(t, "warnings", strings.Join(r.Warnings, "|"), "pe-ws", "allows public access")
	})
}

// §10.3, §5.2: a linked zone without the name's record answers NXDOMAIN,
// unless the link falls back to public resolution.
func TestDNS03_LinkedZoneWithoutRecordIsNXDOMAIN(t *testing.T) {
	build := func(t *testing.T, policy string) *engine.Engine {
		m := newMLEstate(t)
		m.ws.PublicNetworkAccess = topology.PublicAccessEnabled
		z := m.zone("privatelink.api.azureml.ms", m.app) // a second zone of that name, empty, linked to spoke-app
		z.ID = rg + "Microsoft.Network/privateDnsZones/privatelink.api.azureml.ms-app"
		z.Links[0].Zone = z.ID
		z.Links[0].ID = z.ID + "/virtualNetworkLinks/spoke-app"
		z.Links[0].ResolutionPolicy = policy
		return m.engine()
	}
	t.Run("Default", func(t *testing.T) {
		eng := build(t, topology.ResolutionDefault)
		res := resolveFrom(t, eng, "spoke-app", wsAPI)
		if res.Rcode != engine.NXDomain {
			t.Fatalf("rcode %s, want NXDOMAIN (chain %v)", res.Rcode, chainTypes(res))
		}
		r := tcp443(t, eng, appSubnet, wsAPI)
		wantVerdict(t, r, answer.DNSUnresolved)
		wantIn(t, "reason", r.Reason, "privatelink.api.azureml.ms", "no record", "NXDOMAIN")
		wantIn(t, "fix", fixTexts(r.Fixes), wsGUID+".workspace.westeurope", "NxDomainRedirect")
	})
	t.Run("NxDomainRedirect", func(t *testing.T) {
		eng := build(t, topology.ResolutionNxDomainRedirect)
		res := resolveFrom(t, eng, "spoke-app", wsAPI)
		if res.Rcode != engine.NoError || !res.Public {
			t.Fatalf("rcode %s public %v, want the public answer", res.Rcode, res.Public)
		}
		if !slices.ContainsFunc(res.Chain, func(s answer.DNSStep) bool { return strings.Contains(s.Source, "NxDomainRedirect") }) {
			t.Errorf("chain %+v does not show the redirect", res.Chain)
		}
		r := tcp443(t, eng, appSubnet, wsAPI)
		wantVerdict(t, r, answer.Reachable)
	})
}

// §10.4, §5.3: conditional forwarding must name the public zone; the
// query arrives with the public name, so a rule on the privatelink zone
// never applies.
func TestDNS04_ConditionalForwardersMustTargetPublicZone(t *testing.T) {
	for _, tc := range []struct {
		domain  string
		private bool
	}{
		{"privatelink.api.azureml.ms.", false},
		{"api.azureml.ms.", true},
	} {
		t.Run(tc.domain, func(t *testing.T) {
			m := newMLEstate(t)
			rs := m.ruleset("rs-spokes", m.app)
			forward(rs, "aml", tc.domain, resolverIP)
			eng := m.engine()
			res := resolveFrom(t, eng, "spoke-app", wsAPI)
			if !tc.private {
				if !res.Public {
					t.Errorf("addresses %v, want the public answer", res.Addresses)
				}
				wantIn(t, "warnings", strings.Join(res.Warnings, "|"), "aml", "privatelink.api.azureml.ms", "public zone")
				r := tcp443(t, eng, appSubnet, wsAPI)
				wantVerdict(t, r, answer.PrivateEndpointBypassed)
				return
			}
			if !slices.Equal(res.Addresses, []string{wsPEIP}) {
				t.Fatalf("addresses %v, want [%s] (chain %+v)", res.Addresses, wsPEIP, res.Chain)
			}
			if res.Chain[0].Type != "FORWARD" || res.Chain[0].Value != resolverIP {
				t.Errorf("first step %+v, want a FORWARD to %s", res.Chain[0], resolverIP)
			}
			wantIn(t, "chain source", res.Chain[len(res.Chain)-1].Source, "VNet hub")
			r := tcp443(t, eng, appSubnet, wsAPI)
			wantVerdict(t, r, answer.Reachable)
			if !hasHop(r, "privateEndpoint", "pe-ws") {
				t.Errorf("not delivered to pe-ws\n%s", describe(r))
			}
		})
	}
}

// §10.5, §6.1: compute instance names are answered by a zone the customer
// maintains, pointing at the workspace's private endpoint, not at the
// compute's own address.
func TestDNS05_ComputeInstanceNamesResolveToWorkspacePE(t *testing.T) {
	const ci = "ci1.westeurope.instances.azureml.ms"
	t.Run("with the zone", func(t *testing.T) {
		m := newMLEstate(t)
		m.nic("ci1", m.computeSn, "10.1.1.10") // the instance itself
		z := m.zone("instances.azureml.ms", m.app)
		a(z, "ci1.westeurope", wsPEIP)
		eng := m.engine()
		res := resolveFrom(t, eng, "spoke-app", ci)
		if !slices.Equal(res.Addresses, []string{wsPEIP}) {
			t.Fatalf("addresses %v, want the workspace endpoint %s", res.Addresses, wsPEIP)
		}
		r := tcp443(t, eng, appSubnet, ci)
		wantVerdict(t, r, answer.Reachable)
		if !hasHop(r, "privateEndpoint", "pe-ws") {
			t.Errorf("not delivered to the workspace endpoint\n%s", describe(r))
		}
	})
	t.Run("without it", func(t *testing.T) {
		res := resolveFrom(t, newMLEstate(t).engine(), "spoke-app", ci)
		if !res.Public || res.PublicTag != "AzureMachineLearning" {
			t.Errorf("public %v tag %q, want the public AzureMachineLearning answer", res.Public, res.PublicTag)
		}
	})
}

// §5.5, §5.6: a client's custom DNS server decides in which VNet its
// queries meet Azure DNS. spoke-app is linked to no zone; the hub is.
func TestDNSCustomServers(t *testing.T) {
	for _, tc := range []struct {
		name     string
		server   string
		bend     func(m *mlEstate)
		rcode    string
		resolver string // fragment of Resolution.Resolver
		assume   string // fragment of an assumption
		reason   string // fragment of the reason when it fails
	}{
		{"DNS Private Resolver inbound endpoint", resolverIP, nil, engine.NoError, "DNS Private Resolver inbound endpoint", "", ""},
		{"firewall with DNS proxy", fwIP, func(m *mlEstate) { m.fw.DNSProxy = true }, engine.NoError, "firewall fw-hub DNS proxy", "", ""},
		{"firewall without DNS proxy", fwIP, nil, engine.ServFail, "", "", "does not have DNS proxy"},
		{"VM", "10.0.2.4", nil, engine.NoError, "DNS server VM vm-hub", "assumed to forward to Azure DNS", ""},
		{"address nothing owns", "10.0.9.9", nil, engine.ServFail, "", "", "10.0.9.9"},
		{"server the NSG blocks", resolverIP, func(m *mlEstate) {
			m.nsg("nsg-app", on(m.appSn), rule("deny-dns", 100, topology.DirectionOutbound, topology.AccessDeny, "Udp", "*", "10.0.5.0/28", "53"))
		}, engine.ServFail, "", "", "deny-dns"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMLEstate(t)
			m.app.DNSServers = append(m.app.DNSServers, ip(tc.server))
			if tc.bend != nil {
				tc.bend(m)
			}
			eng := m.engine()
			r := tcp443(t, eng, appSubnet, wsAPI)
			if tc.rcode != engine.NoError {
				wantVerdict(t, r, answer.DNSUnresolved)
				wantIn(t, "reason", r.Reason, tc.reason)
				if r.DNS == nil || r.DNS.Rcode != tc.rcode {
					t.Errorf("DNS %+v, want rcode %s", r.DNS, tc.rcode)
				}
				return
			}
			wantVerdict(t, r, answer.Reachable)
			if !slices.Equal(r.Addresses, []string{wsPEIP}) {
				t.Errorf("addresses %v, want the private endpoint", r.Addresses)
			}
			wantIn(t, "resolver", r.DNS.Resolver, tc.resolver, tc.server)
			if tc.assume != "" {
				wantIn(t, "assumptions", strings.Join(r.DNS.Assumptions, "|"), tc.assume)
			}
		})
	}
	t.Run("NIC DNS servers override the VNet's", func(t *testing.T) {
		m := newMLEstate(t)
		m.app.DNSServers = append(m.app.DNSServers, ip("10.0.9.9"))
		n := m.nic("vm-app", m.appSn, "10.2.1.4")
		n.DNSServers = []string{resolverIP}
		eng := m.engine()
		wantVerdict(t, tcp443(t, eng, "10.2.1.4", wsAPI), answer.Reachable)
		wantVerdict(t, tcp443(t, eng, appSubnet, wsAPI), answer.DNSUnresolved)
	})
}

// Subnets of one VNet share how a name resolves there, but not their
// paths to the DNS server: a subnet whose NSG blocks UDP 53 cannot
// resolve, nor reverse-resolve the workspace's private endpoint, whether
// another subnet of the VNet is asked before or after it; and each
// answer's resolution is from its own subnet.
func TestDNSServerPathIsEachSubnets(t *testing.T) {
	const open, open3, blocked = "spoke-app/snet-app", "spoke-app/snet-app3", "spoke-app/snet-app2"
	// how snet-app2 is cut off: its own NSG; one NSG for the three
	// subnets, whose rule names snet-app2's prefix; or a route of the DNS
	// server's subnet that sends the replies to snet-app2 elsewhere. In
	// the last two the three subnets leave their VNet alike but for that
	// rule or route: a walk from all of them at once stands for none.
	const ownNSG, oneNSG, replyRoute = "own NSG", "one NSG", "reply route"
	for _, c := range []struct {
		order []string
		how   string
		why   string
	}{
		{[]string{open, open3, blocked}, ownNSG, "deny-dns"},
		{[]string{blocked, open3, open}, ownNSG, "deny-dns"},
		{[]string{open, open3, blocked}, oneNSG, "deny-dns"},
		{[]string{open, open3, blocked}, replyRoute, "return-path-broken"},
	} {
		order := c.order
		t.Run(fmt.Sprintf("%s first, %s", order[0], c.how), func(t *testing.T) {
			m := newMLEstate(t)
			m.app.DNSServers = append(m.app.DNSServers, ip(resolverIP))
			sn2 := m.subnet(m.app, "snet-app2", "10.2.3.0/24")
			sn3 := m.subnet(m.app, "snet-app3", "10.2.4.0/24")
			switch c.how {
			case ownNSG:
				m.nsg("nsg-app2", on(sn2), rule("deny-dns", 100, topology.DirectionOutbound, topology.AccessDeny, "Udp", "*", "10.0.5.0/28", "53"))
			case oneNSG:
				m.nsg("nsg-app", on(m.appSn, sn2, sn3), rule("deny-dns", 100, topology.DirectionOutbound, topology.AccessDeny, "Udp", "10.2.3.0/24", "10.0.5.0/28", "53"))
			case replyRoute:
				m.routeTable("rt-dns", on(m.dnsSn), udr("app2-via-nva", "10.2.3.0/24", "VirtualAppliance", "10.0.2.4"))
			}
			var qs []engine.Query
			for _, from := range order {
				qs = append(qs, engine.Query{From: from, To: wsAPI, Protocol: engine.TCP, Port: 443, Workspace: m.ws.ID, ReverseLookup: true})
			}
			rep, err := m.engine().Run(qs)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Results) != len(order) {
				t.Fatalf("%d results, want %d", len(rep.Results), len(order))
			}
			for _, r := range rep.Results {
				if r.DNS == nil || r.DNS.From != r.Source {
					t.Errorf("%s: resolution %+v is not from the subnet", r.Source, r.DNS)
				}
				if len(r.ReverseLookups) == 0 {
					t.Errorf("%s: no reverse lookups", r.Source)
				}
				blocked := strings.HasSuffix(r.Source, "/snet-app2")
				for _, rl := range r.ReverseLookups {
					if rl.Rcode != engine.NXDomain && !blocked || rl.Rcode != engine.ServFail && blocked {
						t.Errorf("%s: reverse lookup of %s answers %s: %s", r.Source, rl.Address, rl.Rcode, rl.Reason)
					}
				}
				warned := slices.ContainsFunc(r.Warnings, func(w string) bool { return strings.Contains(w, "reverse-resolve") })
				if blocked {
					wantVerdict(t, r, answer.DNSUnresolved)
					wantIn(t, "reason", r.Reason, c.why)
					if r.DNS.Blocker == nil || r.DNS.Blocker.Cause != answer.CauseDNSUnreachable {
						t.Errorf("%s: resolution blocker %+v, want cause %s", r.Source, r.DNS.Blocker, answer.CauseDNSUnreachable)
					}
					// The answer says why and how to fix it; the lookups
					// keep both, and no warning repeats them.
					for _, rl := range r.ReverseLookups {
						if !strings.Contains(rl.Reason, c.why) || rl.Fix == nil {
							t.Errorf("%s: reverse lookup of %s: reason %q, fix %v", r.Source, rl.Address, rl.Reason, rl.Fix)
						}
					}
					if warned {
						t.Errorf("%s: warnings %q repeat that the DNS server is not reachable", r.Source, r.Warnings)
					}
					continue
				}
				wantVerdict(t, r, answer.Reachable)
				if !warned {
					t.Errorf("%s: no warning that the private endpoint does not reverse-resolve: %q", r.Source, r.Warnings)
				}
			}
		})
	}
}

// A forwarding loop ends in SERVFAIL, and a CNAME loop inside private
// zones is cut; neither hangs.
func TestDNSLoopsAreBounded(t *testing.T) {
	t.Run("forwarding loop", func(t *testing.T) {
		m := newMLEstate(t)
		rs := m.ruleset("rs-all", m.app, m.hub) // also linked to the resolver's own VNet (§5.6)
		forward(rs, "aml", "api.azureml.ms.", resolverIP)
		eng := m.engine()
		res := within(t, func() *engine.Resolution { return resolveFrom(t, eng, "spoke-app", wsAPI) })
		if res.Rcode != engine.ServFail {
			t.Fatalf("rcode %s, want SERVFAIL (chain %+v)", res.Rcode, res.Chain)
		}
		wantIn(t, "reason", res.Reason, "loop")
		wantIn(t, "fix", fixTexts(res.Fixes), "rs-all")
		wantVerdict(t, tcp443(t, eng, appSubnet, wsAPI), answer.DNSUnresolved)
	})
	t.Run("CNAME loop", func(t *testing.T) {
		m := newMLEstate(t)
		z := m.zone("contoso.internal", m.app)
		cname(z, "a", "b.contoso.internal")
		cname(z, "b", "a.contoso.internal")
		eng := m.engine()
		res := within(t, func() *engine.Resolution { return resolveFrom(t, eng, "spoke-app", "a.contoso.internal") })
		if res.Rcode != engine.ServFail {
			t.Fatalf("rcode %s, want SERVFAIL", res.Rcode)
		}
		if len(res.Chain) > 20 {
			t.Errorf("chain of %d steps", len(res.Chain))
		}
		wantIn(t, "fix", fixTexts(res.Fixes), "CNAME")
		wantVerdict(t, tcp443(t, eng, appSubnet, "a.contoso.internal"), answer.DNSUnresolved)
	})
}

// within runs f and fails the test if it takes more than a few seconds.
func within[T any](t testing.TB, f func() T) T {
	t.Helper()
	done := make(chan T, 1)
	go func() { done <- f() }()
	select {
	case v := <-done:
		return v
	case <-time.After(10 * time.Second):
		t.Fatal("did not finish within 10s")
	}
	panic("unreachable")
}

// ResolveFrom names a VNet or subnet; anything else is an InputError.
func TestResolveFromInput(t *testing.T) {
	eng := newMLEstate(t).engine()
	for _, tc := range []struct{ from, name, arg string }{
		{"no-such-vnet", wsAPI, "from"},
		{"spoke-app", "not a name", "name"},
	} {
		_, err := eng.ResolveFrom(tc.from, tc.name)
		var ie *engine.InputError
		if !errors.As(err, &ie) || ie.Arg != tc.arg {
			t.Errorf("ResolveFrom(%q, %q): error %v, want an *engine.InputError for %s", tc.from, tc.name, err, tc.arg)
		}
	}
	for _, from := range []string{"spoke-app", appSubnet, rg + "Microsoft.Network/virtualNetworks/spoke-app"} {
		if res := resolveFrom(t, eng, from, wsAPI); !res.Public {
			t.Errorf("from %s: not the public answer", from)
		}
	}
}
