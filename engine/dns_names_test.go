package engine_test

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/topology"
)

// The tests in this file follow reference §10 items 33, 36, 38 and 42: how
// configured DNS servers, forwarding targets, reverse lookups and an
// incomplete export decide what a name resolves to.

// fixOf returns the fix of a failed resolution, or fails.
func fixOf(t testing.TB, r *engine.Resolution) answer.Fix {
	t.Helper()
	if r.Blocker == nil || r.Blocker.Fix == nil || len(r.Fixes) == 0 {
		t.Fatalf("no fix: %+v", r)
	}
	return r.Fixes[0]
}

// §10 item 42: a forwarding target that nothing owns, or that the
// ruleset's outbound endpoint cannot reach, does not answer; only a target
// outside the snapshot's address space is assumed to answer. The longest
// matching rule wins and "." matches everything.
func TestDNS42_ForwardingTargetsMustAnswer(t *testing.T) {
	for _, tc := range []struct {
		name  string
		bend  func(m *mlEstate, rs *topology.Ruleset)
		query string
		rcode string
		want  string // fragment of the reason (failures) or of an assumption or warning (answers)
		addrs []string
	}{
		{"target nothing owns inside the estate", func(m *mlEstate, rs *topology.Ruleset) {
			forward(rs, "aml", "api.azureml.ms.", "10.0.9.9")
		}, wsAPI, engine.ServFail, "10.0.9.9 is held by nothing in the snapshot", nil},
		{"wildcard rule to a dead target takes every name", func(m *mlEstate, rs *topology.Ruleset) {
			forward(rs, "all", ".", "10.0.9.9")
		}, "login.microsoftonline.com", engine.ServFail, "rule all (.)", nil},
		{"target the outbound endpoint cannot reach", func(m *mlEstate, rs *topology.Ruleset) {
			forward(rs, "aml", "api.azureml.ms.", resolverIP)
			m.nsg("nsg-dns-out", on(m.dnsOutSn), rule("deny-dns", 100, topology.DirectionOutbound, topology.AccessDeny, "Udp", "*", "*", "53"))
		}, wsAPI, engine.ServFail, "not reachable from outbound endpoint out", nil},
		{"firewall target without DNS proxy", func(m *mlEstate, rs *topology.Ruleset) {
			forward(rs, "aml", "api.azureml.ms.", fwIP)
		}, wsAPI, engine.ServFail, "does not have DNS proxy", nil},
		{"on-premises target without a route there", func(m *mlEstate, rs *topology.Ruleset) {
			forward(rs, "corp", "corp.contoso.com.", "192.168.10.53")
		}, "app.corp.contoso.com", engine.ServFail, "192.168.10.53 is not reachable", nil},
		{"on-premises target behind a gateway is assumed to answer", func(m *mlEstate, rs *topology.Ruleset) {
			gw := m.gateway("vgw-hub", m.hub, m.subnet(m.hub, topology.SubnetGateway, "10.0.255.0/27"), "10.0.255.4")
			m.siteToSite("onprem", gw, "192.168.0.0/16")
			forward(rs, "all", ".", "192.168.10.53")
		}, "login.microsoftonline.com", engine.NoError, "outside the snapshot's address space", nil},
		{"the longest matching rule wins over the wildcard", func(m *mlEstate, rs *topology.Ruleset) {
			forward(rs, "all", ".", "10.0.9.9")
			forward(rs, "aml", "api.azureml.ms.", resolverIP)
		}, wsAPI, engine.NoError, "", []string{wsPEIP}},
		{"a second target answers when the first does not", func(m *mlEstate, rs *topology.Ruleset) {
			forward(rs, "aml", "api.azureml.ms.", "10.0.9.9", resolverIP)
		}, wsAPI, engine.NoError, "Azure DNS went on to 10.0.5.4", []string{wsPEIP}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMLEstate(t)
			rs := m.ruleset("rs-spokes", m.app)
			tc.bend(m, rs)
			eng := m.engine()
			res := resolveFrom(t, eng, "spoke-app", tc.query)
			if res.Rcode != tc.rcode {
				t.Fatalf("rcode %s, want %s: %s (chain %+v)", res.Rcode, tc.rcode, res.Reason, res.Chain)
			}
			if tc.rcode == engine.NoError {
				if tc.addrs != nil && !slices.Equal(res.Addresses, tc.addrs) {
					t.Errorf("addresses %v, want %v", res.Addresses, tc.addrs)
				}
				wantIn(t, "assumptions and warnings", strings.Join(append(res.Assumptions, res.Warnings...), "|"), tc.want)
				return
			}
			if res.Blocker.Cause != answer.CauseDNSForwardTargetDown && res.Blocker.Cause != answer.CauseDNSProxyOff {
				t.Errorf("cause %s, want %s", res.Blocker.Cause, answer.CauseDNSForwardTargetDown)
			}
			wantIn(t, "reason", res.Reason, tc.want, "SERVFAIL")
			f := fixOf(t, res)
			if f.Kind != answer.FixSetProperty || len(f.Patch) == 0 || !strings.Contains(f.Resource, "/forwardingRules/") {
				t.Errorf("fix %+v: want a patch of the forwarding rule", f)
			}
			r := tcp443(t, eng, appSubnet, tc.query)
			wantVerdict(t, r, answer.DNSUnresolved)
		})
	}
	t.Run("the fix points the rule at a resolver that answers", func(t *testing.T) {
		m := newMLEstate(t)
		forward(m.ruleset("rs-spokes", m.app), "aml", "api.azureml.ms.", "10.0.9.9")
		f := fixOf(t, resolveFrom(t, m.engine(), "spoke-app", wsAPI))
		wantIn(t, "fix", f.Text, "point forwarding rule aml", resolverIP)
		if !strings.Contains(string(f.Patch[0].Value), `"ipAddress":"10.0.5.4"`) {
			t.Errorf("patch %s does not target %s", f.Patch[0].Value, resolverIP)
		}
	})
}

// §10 item 33: 168.63.129.16 listed as a DNS server, on the VNet or the
// NIC, is Azure-provided DNS: the client resolves in its own VNet with its
// linked zones.
func TestDNS33_WireServerAsConfiguredServer(t *testing.T) {
	for _, tc := range []struct {
		name    string
		bend    func(m *mlEstate)
		from    string
		private bool
	}{
		{"VNet linked to the zones", func(m *mlEstate) { m.ml.DNSServers = []netip.Addr{ip("168.63.129.16")} }, computeSubnet, true},
		{"VNet not linked", func(m *mlEstate) { m.app.DNSServers = []netip.Addr{ip("168.63.129.16")} }, appSubnet, false},
		{"NIC setting", func(m *mlEstate) {
			m.app.DNSServers = []netip.Addr{ip(resolverIP)}
			m.nic("vm-app", m.appSn, "10.2.1.4").DNSServers = []string{"168.63.129.16"}
		}, "10.2.1.4", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMLEstate(t)
			tc.bend(m)
			eng := m.engine()
			r := tcp443(t, eng, tc.from, wsAPI)
			if r.DNS == nil || r.DNS.Rcode != engine.NoError {
				t.Fatalf("DNS %+v, want NOERROR", r.DNS)
			}
			wantIn(t, "resolver", r.DNS.Resolver, "Azure-provided DNS (168.63.129.16")
			if tc.private {
				wantVerdict(t, r, answer.Reachable)
				if !slices.Equal(r.Addresses, []string{wsPEIP}) {
					t.Errorf("addresses %v, want the private endpoint", r.Addresses)
				}
				return
			}
			// Not linked: the public answer, which the workspace refuses.
			wantVerdict(t, r, answer.PrivateEndpointBypassed)
		})
	}
}

// §10 item 36: reverse lookups of private addresses answer from
// in-addr.arpa zones linked to the VNet, else with Azure-provided names of
// VMs in the VNet (and of VMs auto-registered in a linked zone), else
// NXDOMAIN.
func TestDNS36_ReverseLookups(t *testing.T) {
	type want struct {
		rcode string
		names []string
		fix   answer.FixKind
		text  string // fragment of the fix, the reason or an assumption
	}
	for _, tc := range []struct {
		name       string
		bend       func(m *mlEstate)
		from, addr string
		want       want
	}{
		{"private endpoint without a reverse zone", nil, "spoke-ml", wsPEIP,
			want{engine.NXDomain, nil, answer.FixCreateZone, "create reverse zone 2.1.10.in-addr.arpa with the PTR record 5 → " + wsAPI}},
		{"linked reverse zone with the PTR record", func(m *mlEstate) {
			z := m.zone("1.10.in-addr.arpa", m.ml)
			ptrRec(z, "5.2", wsAPI)
		}, "spoke-ml", wsPEIP, want{engine.NoError, []string{wsAPI}, "", ""}},
		{"linked reverse zone without the record", func(m *mlEstate) {
			m.zone("1.10.in-addr.arpa", m.ml)
		}, "spoke-ml", wsPEIP, want{engine.NXDomain, nil, answer.FixAddRecord, "add the PTR record 5.2 → " + wsAPI + " to zone 1.10.in-addr.arpa"}},
		{"reverse zone not linked to the client's VNet", func(m *mlEstate) {
			m.zone("1.10.in-addr.arpa", m.ml)
		}, "spoke-app", wsPEIP, want{engine.NXDomain, nil, answer.FixAddZoneLink, "link reverse zone 1.10.in-addr.arpa to VNet spoke-app and add the PTR record 5.2"}},
		{"VM in the same VNet", func(m *mlEstate) {
			n := vmNIC(m, "vm-hub")
			n.InternalDomainNameSuffix = "abcd.ax.internal.cloudapp.net"
		}, "hub", "10.0.2.4", want{engine.NoError, []string{"vm-hub.abcd.ax.internal.cloudapp.net"}, "", "taken to be its resource name"}},
		{"VM in the same VNet with a registration zone", func(m *mlEstate) {
			vmNIC(m, "vm-hub")
			z := m.zone("contoso.internal", m.hub)
			z.Links[0].RegistrationEnabled = true
		}, "hub", "10.0.2.4", want{engine.NoError, []string{"vm-hub.internal.cloudapp.net", "vm-hub.contoso.internal"}, "", "internal DNS suffix"}},
		{"VM auto-registered in a zone linked to the client's VNet", func(m *mlEstate) {
			vmNIC(m, "vm-hub")
			z := m.zone("contoso.internal", m.hub, m.app)
			z.Links[0].RegistrationEnabled = true
		}, "spoke-app", "10.0.2.4", want{engine.NoError, []string{"vm-hub.contoso.internal"}, "", "auto-registered"}},
		{"VM in another VNet", func(m *mlEstate) { vmNIC(m, "vm-hub") }, "spoke-app", "10.0.2.4",
			want{engine.NXDomain, nil, answer.FixReviewDNS, "Azure-provided DNS gives reverse names only to VMs in the VNet"}},
		{"rule forwards reverse lookups to the hub", func(m *mlEstate) {
			forward(m.ruleset("rs-spokes", m.app), "rev", "10.in-addr.arpa.", resolverIP)
			ptrRec(m.zone("2.1.10.in-addr.arpa", m.hub), "5", wsAPI)
		}, "spoke-app", wsPEIP, want{engine.NoError, []string{wsAPI}, "", ""}},
		{"public address", nil, "spoke-app", "20.190.128.10", want{engine.NoError, nil, "", ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMLEstate(t)
			if tc.bend != nil {
				tc.bend(m)
			}
			res := resolveFrom(t, m.engine(), tc.from, tc.addr)
			if res.Type != "PTR" || res.Address != tc.addr || res.Name != engine.ReverseName(ip(tc.addr)) {
				t.Errorf("type %q address %q name %q: not the reverse lookup of %s", res.Type, res.Address, res.Name, tc.addr)
			}
			if res.Rcode != tc.want.rcode || !slices.Equal(res.Names, append([]string{}, tc.want.names...)) {
				t.Fatalf("rcode %s names %v, want %s %v: %s (chain %+v)", res.Rcode, res.Names, tc.want.rcode, tc.want.names, res.Reason, res.Chain)
			}
			if tc.want.rcode == engine.NoError {
				wantIn(t, "assumptions", strings.Join(res.Assumptions, "|"), tc.want.text)
				return
			}
			f := fixOf(t, res)
			if f.Kind != tc.want.fix || f.Kind.Patchable() != (len(f.Patch) > 0) {
				t.Errorf("fix kind %s with %d patches, want %s", f.Kind, len(f.Patch), tc.want.fix)
			}
			wantIn(t, "fix and reason", f.Text+"|"+res.Reason, tc.want.text)
		})
	}
	t.Run("reverse names", func(t *testing.T) {
		for a, want := range map[string]string{
			"10.1.2.5":        "5.2.1.10.in-addr.arpa",
			"fd00:1::5":       "5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.0.0.d.f.ip6.arpa",
			"::ffff:10.1.2.5": "5.2.1.10.in-addr.arpa",
		} {
			if got := engine.ReverseName(ip(a)); got != want {
				t.Errorf("ReverseName(%s) = %s, want %s", a, got, want)
			}
		}
	})
}

// vmNIC attaches the estate's NIC name to a VM of the same name.
func vmNIC(m *mlEstate, name string) *topology.NIC {
	for _, n := range m.nics {
		if n.Name == name {
			n.VirtualMachine = rg + "Microsoft.Compute/virtualMachines/" + name
			return n
		}
	}
	m.t.Fatalf("no NIC %s", name)
	return nil
}

// ptrRec adds a PTR record (relative name) to z.
func ptrRec(z *topology.PrivateZone, name string, names ...string) {
	z.Records = append(z.Records, topology.DNSRecord{Meta: topology.Meta{ID: z.ID + "/PTR/" + name, Name: name}, Zone: z.ID, Name: name, Type: "PTR", TTL: 3600, PTRs: names})
}

// §10 item 38 (issue 9): what a lookup depends on but the snapshot lacks
// makes it unknown, naming what to export — never NXDOMAIN built on an
// absence.
func TestDNS38_MissingIsNotEmpty(t *testing.T) {
	for _, tc := range []struct {
		name    string
		bend    func(m *mlEstate)
		from    string
		query   string
		missing string // suffix of the missing ID; "" when the answer is known
		rcode   string
	}{
		{"zone declares record sets the snapshot lacks", func(m *mlEstate) {
			m.apiZone.Records = nil
			m.apiZone.NumberOfRecordSets = 3
		}, computeSubnet, wsAPI, "privatelink.api.azureml.ms/recordSets", answer.RcodeUnknown},
		{"the record is there although others are not", func(m *mlEstate) {
			m.apiZone.NumberOfRecordSets = 9
		}, computeSubnet, wsAPI, "", engine.NoError},
		{"only a wildcard answers and record sets are missing", func(m *mlEstate) {
			m.apiZone.Records = nil
			a(m.apiZone, "*.workspace.westeurope", wsPEIP)
			m.apiZone.NumberOfRecordSets = 5
		}, computeSubnet, wsAPI, "privatelink.api.azureml.ms/recordSets", answer.RcodeUnknown},
		{"zone declares links the snapshot lacks", func(m *mlEstate) {
			m.apiZone.NumberOfVirtualNetworkLinks = 3
		}, appSubnet, wsAPI, "privatelink.api.azureml.ms/virtualNetworkLinks", answer.RcodeUnknown},
		{"ruleset's outbound endpoint is missing", func(m *mlEstate) {
			rs := m.ruleset("rs-spokes", m.app)
			rs.OutboundEndpoints = []string{netID("dnsResolvers", "gone") + "/outboundEndpoints/out"}
			forward(rs, "aml", "api.azureml.ms.", resolverIP)
		}, appSubnet, wsAPI, "dnsResolvers/gone/outboundEndpoints/out", answer.RcodeUnknown},
		{"resolver endpoint's subnet is missing", func(m *mlEstate) {
			m.resolver.Inbound[0].Subnet = m.hub.ID + "/subnets/snet-gone"
			m.app.DNSServers = []netip.Addr{ip(resolverIP)}
		}, appSubnet, wsAPI, "virtualNetworks/hub/subnets/snet-gone", answer.RcodeUnknown},
		{"DNS server in a peered VNet the snapshot lacks", func(m *mlEstate) {
			other := &topology.VNet{Meta: topology.Meta{ID: netID("virtualNetworks", "vnet-dns-other-sub"), Name: "vnet-dns-other-sub"}, AddressSpace: prefixes("10.8.0.0/16")}
			_, back := m.peer(m.app, other)
			m.peerings = slices.DeleteFunc(m.peerings, func(p *topology.Peering) bool { return p == back })
			m.app.DNSServers = []netip.Addr{ip("10.8.0.4")}
		}, appSubnet, wsAPI, "virtualNetworks/vnet-dns-other-sub", answer.RcodeUnknown},
		{"forwarding target in a peered VNet the snapshot lacks", func(m *mlEstate) {
			// The hub peers with a VNet of another subscription, not exported.
			other := &topology.VNet{Meta: topology.Meta{ID: netID("virtualNetworks", "vnet-other-sub"), Name: "vnet-other-sub"}, AddressSpace: prefixes("10.9.0.0/16")}
			_, back := m.peer(m.hub, other)
			m.peerings = slices.DeleteFunc(m.peerings, func(p *topology.Peering) bool { return p == back })
			forward(m.ruleset("rs-spokes", m.app), "aml", "api.azureml.ms.", "10.9.0.4")
		}, appSubnet, wsAPI, "virtualNetworks/vnet-other-sub", answer.RcodeUnknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMLEstate(t)
			tc.bend(m)
			eng := m.engine()
			r := tcp443(t, eng, tc.from, wsAPI)
			if r.DNS == nil || r.DNS.Rcode != tc.rcode {
				t.Fatalf("DNS rcode %v, want %s\n%s", r.DNS, tc.rcode, describe(r))
			}
			if tc.missing == "" {
				wantVerdict(t, r, answer.Reachable)
				return
			}
			wantVerdict(t, r, answer.Unknown)
			if !slices.ContainsFunc(r.Missing, func(id string) bool { return strings.HasSuffix(strings.ToLower(id), strings.ToLower(tc.missing)) }) {
				t.Errorf("missing %v, want an ID ending in %s", r.Missing, tc.missing)
			}
			if len(r.Fixes) != 1 || r.Fixes[0].Kind != answer.FixExport || r.Fixes[0].Az == "" {
				t.Errorf("fixes %+v, want one export with its az command", r.Fixes)
			}
			wantIn(t, "reason", r.Reason, "is not in the snapshot, so the answer is unknown")
		})
	}
}

// The inference name of online endpoints carries no workspace: a profile
// resolves it to its own workspace's private endpoint; asked alone with
// several workspaces of the region behind private endpoints, it is unknown.
func TestInferenceNameWithSeveralWorkspaces(t *testing.T) {
	const guid2 = "9a8b7c6d-1111-2222-3333-444455556666"
	m := newMLEstate(t)
	ws2 := m.workspace("ws-two", guid2, "westeurope", topology.PublicAccessDisabled)
	m.privateEndpoint("pe-ws2", m.peSn, ws2.ID, "amlworkspace",
		guid2+".workspace.westeurope.api.azureml.ms", "10.1.2.20",
		"*.westeurope.inference.ml.azure.com", "10.1.2.22")
	a(m.apiZone, guid2+".workspace.westeurope", "10.1.2.20")
	a(m.apiZone, "*."+guid2+".inference.westeurope", "10.1.2.22")
	a(m.apiZone, "*."+wsGUID+".inference.westeurope", "10.1.2.7")
	eng := m.engine()
	const name = "endpoint.westeurope.inference.ml.azure.com"
	for ws, want := range map[string]string{m.ws.ID: "10.1.2.7", ws2.ID: "10.1.2.22"} {
		r := check(t, eng, engine.Query{From: computeSubnet, To: name, Workspace: ws})
		if r.DNS == nil || !slices.Equal(r.DNS.Addresses, []string{want}) {
			t.Errorf("for %s: DNS %+v, want %s", topology.NameOf(ws), r.DNS, want)
		}
	}
	r := tcp443(t, eng, computeSubnet, name)
	wantVerdict(t, r, answer.Unknown)
	wantIn(t, "reason", r.Reason, "which workspace owns online endpoint endpoint", "ws-contoso", "ws-two")
}

// §10 item 38: a DNS server whose VNet the snapshot lacks answers in that
// VNet's context, whose zone links are not known: a name no known link
// answers is unknown there, not public.
func TestDNS38_DNSContextOfAMissingVNet(t *testing.T) {
	m := newMLEstate(t)
	gone := netID("virtualNetworks", "vnet-gone")
	n := m.nic("vm-dns", m.appSn, "10.7.0.4")
	n.IPConfigs[0].Subnet = gone + "/subnets/snet-dns"
	m.app.DNSServers = []netip.Addr{ip("10.7.0.4")}
	res := resolveFrom(t, m.engine(), "spoke-app", wsAPI)
	if res.Rcode != answer.RcodeUnknown || res.Blocker == nil || !slices.Contains(res.Blocker.Missing, gone) {
		t.Fatalf("rcode %s, blocker %+v: want unknown naming %s", res.Rcode, res.Blocker, gone)
	}
	wantIn(t, "resolver", res.Resolver, "DNS server VM vm-dns in VNet vnet-gone")
}

// A DNS server nothing owns (or a value that is no address) gets a fix
// that is data: the VNet's or the NIC's DNS servers pointed at a DNS
// Private Resolver's inbound endpoint.
func TestDNSServerFixIsAPatch(t *testing.T) {
	for _, tc := range []struct {
		name, property string
		bend           func(m *mlEstate)
		from           string
	}{
		{"VNet server nothing owns", "properties.dhcpOptions.dnsServers", func(m *mlEstate) { m.app.DNSServers = []netip.Addr{ip("10.0.9.9")} }, appSubnet},
		{"NIC server that is no address", "properties.dnsSettings.dnsServers", func(m *mlEstate) {
			m.nic("vm-app", m.appSn, "10.2.1.4").DNSServers = []string{"dns.contoso.local"}
		}, "10.2.1.4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMLEstate(t)
			tc.bend(m)
			r := tcp443(t, m.engine(), tc.from, wsAPI)
			wantVerdict(t, r, answer.DNSUnresolved)
			f := r.Fixes[0]
			if f.Kind != answer.FixSetProperty || len(f.Patch) != 1 || f.Patch[0].Property != tc.property || string(f.Patch[0].Value) != `["`+resolverIP+`"]` {
				t.Errorf("fix %+v: want %s set to the resolver's inbound endpoint", f, tc.property)
			}
			wantIn(t, "fix", f.Text, "set the DNS servers of", resolverIP)
		})
	}
}
