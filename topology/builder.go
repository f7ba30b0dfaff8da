package topology

import (
	"cmp"
	"errors"
	"fmt"
	"net/netip"
	"reflect"
	"slices"
	"strings"

	"github.com/vnetpath/vnetpath/cidr"
)

// Resource type names, as Azure spells them; the load summary counts by
// these.
const (
	TypeVNet                = "Microsoft.Network/virtualNetworks"
	TypeSubnet              = "Microsoft.Network/virtualNetworks/subnets"
	TypePeering             = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings"
	TypeRouteTable          = "Microsoft.Network/routeTables"
	TypeRoute               = "Microsoft.Network/routeTables/routes"
	TypeNSG                 = "Microsoft.Network/networkSecurityGroups"
	TypeSecurityRule        = "Microsoft.Network/networkSecurityGroups/securityRules"
	TypeASG                 = "Microsoft.Network/applicationSecurityGroups"
	TypeNIC                 = "Microsoft.Network/networkInterfaces"
	TypeFirewall            = "Microsoft.Network/azureFirewalls"
	TypeFirewallPolicy      = "Microsoft.Network/firewallPolicies"
	TypeRuleCollectionGroup = "Microsoft.Network/firewallPolicies/ruleCollectionGroups"
	TypeIPGroup             = "Microsoft.Network/ipGroups"
	TypeGateway             = "Microsoft.Network/virtualNetworkGateways"
	TypeLocalGateway        = "Microsoft.Network/localNetworkGateways"
	TypeConnection          = "Microsoft.Network/connections"
	TypeNATGateway          = "Microsoft.Network/natGateways"
	TypePublicIP            = "Microsoft.Network/publicIPAddresses"
	TypePrivateEndpoint     = "Microsoft.Network/privateEndpoints"
	TypePrivateZone         = "Microsoft.Network/privateDnsZones"
	TypeZoneLink            = "Microsoft.Network/privateDnsZones/virtualNetworkLinks"
	TypeDNSRecordA          = "Microsoft.Network/privateDnsZones/A"
	TypeDNSRecordAAAA       = "Microsoft.Network/privateDnsZones/AAAA"
	TypeDNSRecordCNAME      = "Microsoft.Network/privateDnsZones/CNAME"
	TypeDNSResolver         = "Microsoft.Network/dnsResolvers"
	TypeInboundEndpoint     = "Microsoft.Network/dnsResolvers/inboundEndpoints"
	TypeOutboundEndpoint    = "Microsoft.Network/dnsResolvers/outboundEndpoints"
	TypeRuleset             = "Microsoft.Network/dnsForwardingRulesets"
	TypeForwardingRule      = "Microsoft.Network/dnsForwardingRulesets/forwardingRules"
	TypeRulesetLink         = "Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks"
	TypeWorkspace           = "Microsoft.MachineLearningServices/workspaces"
)

// store keeps resources of one type by key, in insertion order.
type store[T any] struct {
	m     map[string]*T
	order []string
	// frozen holds the values in key order once the snapshot is built.
	frozen []*T
}

func (s *store[T]) get(key string) (*T, bool) {
	v, ok := s.m[key]
	return v, ok
}

// freeze fixes the key order for a built snapshot.
func (s *store[T]) freeze() {
	s.frozen = nil
	s.frozen = s.sorted()
}

func (s *store[T]) put(key string, v *T) {
	if s.m == nil {
		s.m = map[string]*T{}
	}
	if _, ok := s.m[key]; !ok {
		s.order = append(s.order, key)
	}
	s.m[key] = v
}

func (s *store[T]) del(key string) {
	if _, ok := s.m[key]; !ok {
		return
	}
	delete(s.m, key)
	s.order = slices.DeleteFunc(s.order, func(k string) bool { return k == key })
}

// all returns the values sorted by key.
func (s *store[T]) sorted() []*T {
	if s.frozen != nil {
		return s.frozen
	}
	keys := slices.Clone(s.order)
	slices.Sort(keys)
	out := make([]*T, 0, len(keys))
	for _, k := range keys {
		out = append(out, s.m[k])
	}
	return out
}

type metaHolder interface{ meta() *Meta }

func (m *Meta) meta() *Meta { return m }

// Builder collects resources and builds a [Snapshot]. The zero value is ready
// to use. Add methods copy their argument and record problems instead of
// returning errors; [Builder.Build] reports them. Child resources (subnets,
// peerings, routes, rules, records, links, endpoints) may be added before or
// after their parent. A Builder is not safe for concurrent use.
type Builder struct {
	vnets     store[VNet]
	subnets   store[Subnet]
	peerings  store[Peering]
	rts       store[RouteTable]
	routes    store[Route]
	nsgs      store[NSG]
	rules     store[SecurityRule]
	asgs      store[ASG]
	nics      store[NIC]
	fws       store[Firewall]
	policies  store[FirewallPolicy]
	rcgs      store[RuleCollectionGroup]
	ipgroups  store[IPGroup]
	gws       store[Gateway]
	lgws      store[LocalGateway]
	conns     store[Connection]
	nats      store[NATGateway]
	pips      store[PublicIP]
	pes       store[PrivateEndpoint]
	zones     store[PrivateZone]
	records   store[DNSRecord]
	zlinks    store[ZoneLink]
	resolvers store[DNSResolver]
	endpoints store[ResolverEndpoint]
	inbound   map[string]bool // endpoint key -> inbound
	rulesets  store[Ruleset]
	fwdrules  store[ForwardingRule]
	rslinks   store[RulesetLink]
	workspace store[Workspace]

	findings []*Finding
	skipped  map[string]int
	counts   map[string]int
}

// add stores v under its ID, checking duplicates: the same ID again with the
// same content is accepted once; different content is an error naming both
// places.
func add[T any](b *Builder, st *store[T], typ string, v *T) {
	m := any(v).(metaHolder).meta()
	if strings.TrimSpace(m.ID) == "" {
		b.findings = append(b.findings, findingAt(*m, ".id", "resource of type "+typ+" has no id", true))
		return
	}
	key := m.Key()
	if old, ok := st.get(key); ok {
		if sameContent(old, v) {
			return
		}
		om := any(old).(metaHolder).meta()
		where := om.Where()
		if where == "" {
			where = "an earlier resource"
		}
		b.findings = append(b.findings, findingAt(*m, "", "the same ID appears with different content in "+where, true))
		return
	}
	st.put(key, v)
	if b.counts == nil {
		b.counts = map[string]int{}
	}
	b.counts[typ]++
}

// sameContent compares two resources ignoring where they were read from
// (Meta.File and Meta.Path, at any depth) and the letter case of ARM IDs,
// which differs between az and Resource Graph exports. It does not modify
// either resource.
func sameContent[T any](a, b *T) bool {
	return equalContent(reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem())
}

func equalContent(x, y reflect.Value) bool {
	if x.Type() != y.Type() {
		return false
	}
	switch x.Kind() {
	case reflect.Pointer:
		if x.IsNil() || y.IsNil() {
			return x.IsNil() == y.IsNil()
		}
		return equalContent(x.Elem(), y.Elem())
	case reflect.Struct:
		if x.Type().PkgPath() != reflect.TypeFor[Meta]().PkgPath() {
			return reflect.DeepEqual(x.Interface(), y.Interface()) // netip.Addr, netip.Prefix, ...
		}
		meta := x.Type() == reflect.TypeFor[Meta]()
		for i := range x.NumField() {
			f := x.Type().Field(i)
			if !f.IsExported() || meta && (f.Name == "File" || f.Name == "Path") {
				continue
			}
			if !equalContent(x.Field(i), y.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if x.Len() != y.Len() {
			return false
		}
		for i := range x.Len() {
			if !equalContent(x.Index(i), y.Index(i)) {
				return false
			}
		}
		return true
	case reflect.String:
		a, b := x.String(), y.String()
		if strings.HasPrefix(a, "/") && strings.HasPrefix(b, "/") {
			return SameID(a, b)
		}
		return a == b
	}
	return reflect.DeepEqual(x.Interface(), y.Interface())
}

// Warn records a warning about the snapshot.
func (b *Builder) Warn(f *Finding) { f.Fatal = false; b.findings = append(b.findings, f) }

// Fail records an error about the snapshot. [Builder.Build] returns it;
// callers that drop the faulty resource themselves (lenient loading) use
// [Builder.Warn] instead.
func (b *Builder) Fail(f *Finding) { f.Fatal = true; b.findings = append(b.findings, f) }

// Skip counts a resource of a type vnetpath does not model.
func (b *Builder) Skip(typ string) {
	if b.skipped == nil {
		b.skipped = map[string]int{}
	}
	b.skipped[typ]++
}

// AddVNet adds a virtual network. Its Subnets and Peerings lists are ignored:
// add those with [Builder.AddSubnet] and [Builder.AddPeering].
func (b *Builder) AddVNet(v VNet) {
	v.AddressSpace = slices.Clone(v.AddressSpace)
	v.DNSServers = slices.Clone(v.DNSServers)
	v.Subnets, v.Peerings = nil, nil
	add(b, &b.vnets, TypeVNet, &v)
}

// AddSubnet adds a subnet. When VNet is empty it is taken from the ID.
func (b *Builder) AddSubnet(s Subnet) {
	if s.VNet == "" {
		s.VNet = Parent(s.ID)
	}
	s.Prefixes = slices.Clone(s.Prefixes)
	s.Delegations = slices.Clone(s.Delegations)
	s.ServiceEndpoints = slices.Clone(s.ServiceEndpoints)
	add(b, &b.subnets, TypeSubnet, &s)
}

// AddPeering adds one half of a peering. When VNet is empty it is taken from
// the ID.
func (b *Builder) AddPeering(p Peering) {
	if p.VNet == "" {
		p.VNet = Parent(p.ID)
	}
	add(b, &b.peerings, TypePeering, &p)
}

// AddRouteTable adds a route table and the routes it embeds.
func (b *Builder) AddRouteTable(t RouteTable) {
	routes := t.Routes
	t.Routes = nil
	add(b, &b.rts, TypeRouteTable, &t)
	for _, r := range routes {
		if r.Table == "" {
			r.Table = t.ID
		}
		b.AddRoute(r)
	}
}

// AddRoute adds a route. When Table is empty it is taken from the ID.
func (b *Builder) AddRoute(r Route) {
	if r.Table == "" {
		r.Table = Parent(r.ID)
	}
	if r.ID == "" && r.Table != "" && r.Name != "" {
		r.ID = r.Table + "/routes/" + r.Name
	}
	add(b, &b.routes, TypeRoute, &r)
}

// AddNSG adds a network security group and the custom rules it embeds.
// Default rules are always those of reference §3.2, whatever the input says.
func (b *Builder) AddNSG(n NSG) {
	rules := n.Rules
	n.Rules, n.DefaultRules = nil, nil
	add(b, &b.nsgs, TypeNSG, &n)
	for _, r := range rules {
		if r.NSG == "" {
			r.NSG = n.ID
		}
		b.AddSecurityRule(r)
	}
}

// AddSecurityRule adds a custom NSG rule. When NSG is empty it is taken from
// the ID.
func (b *Builder) AddSecurityRule(r SecurityRule) {
	if r.NSG == "" {
		r.NSG = Parent(r.ID)
	}
	if r.ID == "" && r.NSG != "" && r.Name != "" {
		r.ID = r.NSG + "/securityRules/" + r.Name
	}
	add(b, &b.rules, TypeSecurityRule, &r)
}

// AddASG adds an application security group.
func (b *Builder) AddASG(a ASG) { add(b, &b.asgs, TypeASG, &a) }

// AddNIC adds a network interface.
func (b *Builder) AddNIC(n NIC) {
	n.IPConfigs = slices.Clone(n.IPConfigs)
	for i := range n.IPConfigs {
		if n.IPConfigs[i].NIC == "" {
			n.IPConfigs[i].NIC = n.ID
		}
	}
	add(b, &b.nics, TypeNIC, &n)
}

// AddFirewall adds an Azure Firewall.
func (b *Builder) AddFirewall(f Firewall) { add(b, &b.fws, TypeFirewall, &f) }

// AddFirewallPolicy adds a firewall policy and the rule collection groups it
// embeds.
func (b *Builder) AddFirewallPolicy(p FirewallPolicy) {
	groups := p.Groups
	p.Groups = nil
	add(b, &b.policies, TypeFirewallPolicy, &p)
	for _, g := range groups {
		if g.Policy == "" {
			g.Policy = p.ID
		}
		b.AddRuleCollectionGroup(g)
	}
}

// AddRuleCollectionGroup adds a rule collection group. When Policy is empty
// it is taken from the ID.
func (b *Builder) AddRuleCollectionGroup(g RuleCollectionGroup) {
	if g.Policy == "" {
		g.Policy = Parent(g.ID)
	}
	add(b, &b.rcgs, TypeRuleCollectionGroup, &g)
}

// AddIPGroup adds an IP group.
func (b *Builder) AddIPGroup(g IPGroup) { add(b, &b.ipgroups, TypeIPGroup, &g) }

// AddGateway adds a virtual network gateway. When VNet is empty it is taken
// from the subnet of its first IP configuration.
func (b *Builder) AddGateway(g Gateway) {
	if g.VNet == "" {
		for _, c := range g.IPConfigs {
			if c.Subnet != "" {
				g.VNet = Parent(c.Subnet)
				break
			}
		}
	}
	add(b, &b.gws, TypeGateway, &g)
}

// AddLocalGateway adds a local network gateway.
func (b *Builder) AddLocalGateway(g LocalGateway) { add(b, &b.lgws, TypeLocalGateway, &g) }

// AddConnection adds a gateway connection.
func (b *Builder) AddConnection(c Connection) { add(b, &b.conns, TypeConnection, &c) }

// AddNATGateway adds a NAT gateway.
func (b *Builder) AddNATGateway(n NATGateway) { add(b, &b.nats, TypeNATGateway, &n) }

// AddPublicIP adds a public IP address.
func (b *Builder) AddPublicIP(p PublicIP) { add(b, &b.pips, TypePublicIP, &p) }

// AddPrivateEndpoint adds a private endpoint.
func (b *Builder) AddPrivateEndpoint(p PrivateEndpoint) { add(b, &b.pes, TypePrivateEndpoint, &p) }

// AddPrivateZone adds a private DNS zone and the records and links it
// embeds. The zone name is kept lower-case without a trailing dot.
func (b *Builder) AddPrivateZone(z PrivateZone) {
	records, links := z.Records, z.Links
	z.Records, z.Links = nil, nil
	z.Name = normName(z.Name)
	add(b, &b.zones, TypePrivateZone, &z)
	for _, r := range records {
		if r.Zone == "" {
			r.Zone = z.ID
		}
		b.AddDNSRecord(r)
	}
	for _, l := range links {
		if l.Zone == "" {
			l.Zone = z.ID
		}
		b.AddZoneLink(l)
	}
}

// AddDNSRecord adds a record set. When Zone is empty it is taken from the ID.
func (b *Builder) AddDNSRecord(r DNSRecord) {
	if r.Zone == "" {
		r.Zone = Parent(r.ID)
	}
	r.Type = strings.ToUpper(r.Type)
	r.CNAME = normName(r.CNAME)
	typ := TypePrivateZone + "/" + r.Type
	add(b, &b.records, typ, &r)
}

// AddZoneLink adds a virtual network link of a private zone. When Zone is
// empty it is taken from the ID.
func (b *Builder) AddZoneLink(l ZoneLink) {
	if l.Zone == "" {
		l.Zone = Parent(l.ID)
	}
	add(b, &b.zlinks, TypeZoneLink, &l)
}

// AddDNSResolver adds a DNS Private Resolver and the endpoints it embeds.
func (b *Builder) AddDNSResolver(r DNSResolver) {
	in, out := r.Inbound, r.Outbound
	r.Inbound, r.Outbound = nil, nil
	add(b, &b.resolvers, TypeDNSResolver, &r)
	for _, e := range in {
		b.AddResolverEndpoint(e, true)
	}
	for _, e := range out {
		b.AddResolverEndpoint(e, false)
	}
}

// AddResolverEndpoint adds an inbound (inbound true) or outbound endpoint of
// a DNS resolver. When Resolver is empty it is taken from the ID.
func (b *Builder) AddResolverEndpoint(e ResolverEndpoint, inbound bool) {
	if e.Resolver == "" {
		e.Resolver = Parent(e.ID)
	}
	typ := TypeOutboundEndpoint
	if inbound {
		typ = TypeInboundEndpoint
	}
	add(b, &b.endpoints, typ, &e)
	if b.inbound == nil {
		b.inbound = map[string]bool{}
	}
	b.inbound[e.Key()] = inbound
}

// AddRuleset adds a DNS forwarding ruleset and the rules and links it
// embeds.
func (b *Builder) AddRuleset(r Ruleset) {
	rules, links := r.Rules, r.Links
	r.Rules, r.Links = nil, nil
	add(b, &b.rulesets, TypeRuleset, &r)
	for _, x := range rules {
		if x.Ruleset == "" {
			x.Ruleset = r.ID
		}
		b.AddForwardingRule(x)
	}
	for _, l := range links {
		if l.Ruleset == "" {
			l.Ruleset = r.ID
		}
		b.AddRulesetLink(l)
	}
}

// AddForwardingRule adds a forwarding rule. When Ruleset is empty it is
// taken from the ID. The domain is kept lower-case and dot-terminated.
func (b *Builder) AddForwardingRule(r ForwardingRule) {
	if r.Ruleset == "" {
		r.Ruleset = Parent(r.ID)
	}
	r.Domain = normName(r.Domain) + "."
	if r.Domain == "." || r.Domain == ".." {
		r.Domain = "."
	}
	add(b, &b.fwdrules, TypeForwardingRule, &r)
}

// AddRulesetLink adds a VNet link of a forwarding ruleset. When Ruleset is
// empty it is taken from the ID.
func (b *Builder) AddRulesetLink(l RulesetLink) {
	if l.Ruleset == "" {
		l.Ruleset = Parent(l.ID)
	}
	add(b, &b.rslinks, TypeRulesetLink, &l)
}

// AddWorkspace adds an Azure Machine Learning workspace.
func (b *Builder) AddWorkspace(w Workspace) { add(b, &b.workspace, TypeWorkspace, &w) }

// normName lower-cases a DNS name and drops a trailing dot.
func normName(s string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".")
}

// Build checks references, fills the derived fields (VNet.Subnets, the
// routes of route tables, the rules of NSGs, the records of zones, ...) and
// returns the frozen snapshot.
//
// Problems come back as an errors.Join of [*Finding] values. A resource at
// fault is dropped and the snapshot is usable with the rest, which is what
// lenient loading relies on; warnings (findings that are not fatal) are in
// [Snapshot.Warnings] and not in the error. The Builder must not be used
// after Build.
func (b *Builder) Build() (*Snapshot, error) {
	s := newSnapshot()
	b.validate()
	b.assemble(s)
	s.index()
	var errs []error
	for _, f := range b.findings {
		if f.Fatal {
			errs = append(errs, f)
		} else {
			s.warnings = append(s.warnings, f)
		}
	}
	for k, v := range b.skipped {
		s.skipped[k] = v
	}
	for k, v := range b.counts {
		s.counts[k] = v
	}
	return s, errors.Join(errs...)
}

func (b *Builder) fail(m Meta, field, format string, args ...any) {
	b.findings = append(b.findings, findingAt(m, field, fmt.Sprintf(format, args...), true))
}

func (b *Builder) warn(m Meta, field, format string, args ...any) {
	b.findings = append(b.findings, findingAt(m, field, fmt.Sprintf(format, args...), false))
}

// drop removes a resource of store st and uncounts it.
func drop[T any](b *Builder, st *store[T], typ string, key string) {
	if _, ok := st.get(key); ok {
		st.del(key)
		b.counts[typ]--
		if b.counts[typ] == 0 {
			delete(b.counts, typ)
		}
	}
}

// validate checks references and Azure's constraints (reference §1.4, §2,
// SPEC §2). Errors drop the resource at fault: a child without its parent,
// a subnet outside its VNet's space, a reference to a route table, NSG, NAT
// gateway, subnet or firewall policy the snapshot lacks, a UDR next hop a
// UDR may not have. Warnings keep it: a peering whose remote VNet is
// missing (the answers name it), peered VNets or subnets of one VNet that
// overlap, references to ASGs, IP groups, public IPs, gateways or VNets the
// snapshot lacks.
func (b *Builder) validate() {
	has := func(m map[string]bool, id string) bool { return m[Key(id)] }
	keys := func(order []string) map[string]bool {
		out := make(map[string]bool, len(order))
		for _, k := range order {
			out[k] = true
		}
		return out
	}
	rtKeys, nsgKeys, natKeys := keys(b.rts.order), keys(b.nsgs.order), keys(b.nats.order)
	pipKeys, polKeys := keys(b.pips.order), keys(b.policies.order)

	// Subnets: parent VNet, prefixes inside its space, references.
	for _, k := range slices.Clone(b.subnets.order) {
		sn := b.subnets.m[k]
		v, ok := b.vnets.get(Key(sn.VNet))
		switch {
		case !ok:
			b.fail(sn.Meta, "", "subnet's virtual network %s is not in the snapshot", sn.VNet)
		case len(sn.Prefixes) == 0:
			b.fail(sn.Meta, ".properties.addressPrefix", "subnet has no address prefix")
		case sn.RouteTable != "" && !has(rtKeys, sn.RouteTable):
			b.fail(sn.Meta, ".properties.routeTable.id", "route table %s is not in the snapshot", sn.RouteTable)
		case sn.NSG != "" && !has(nsgKeys, sn.NSG):
			b.fail(sn.Meta, ".properties.networkSecurityGroup.id", "network security group %s is not in the snapshot", sn.NSG)
		case sn.NATGateway != "" && !has(natKeys, sn.NATGateway):
			b.fail(sn.Meta, ".properties.natGateway.id", "NAT gateway %s is not in the snapshot", sn.NATGateway)
		default:
			space := cidr.SetOf(v.AddressSpace...)
			bad := ""
			for _, p := range sn.Prefixes {
				if !space.ContainsPrefix(p) {
					bad = p.String()
					break
				}
			}
			if bad == "" {
				continue
			}
			b.fail(sn.Meta, ".properties.addressPrefix", "subnet prefix %s is outside the address space of VNet %s (%s)", bad, v.Name, prefixList(v.AddressSpace))
		}
		drop(b, &b.subnets, TypeSubnet, k)
	}
	subnetKeys := keys(b.subnets.order)
	b.checkSubnetOverlaps()

	// Peerings: owner must exist; a missing remote is kept and named.
	for _, k := range slices.Clone(b.peerings.order) {
		p := b.peerings.m[k]
		if _, ok := b.vnets.get(Key(p.VNet)); !ok {
			b.fail(p.Meta, "", "peering's virtual network %s is not in the snapshot", p.VNet)
			drop(b, &b.peerings, TypePeering, k)
			continue
		}
		if _, ok := b.vnets.get(Key(p.RemoteVNet)); !ok {
			b.warn(p.Meta, ".properties.remoteVirtualNetwork.id", "remote virtual network %s is not in the snapshot; answers name it but cannot follow it", p.RemoteVNet)
		}
	}
	// Peered VNets must not overlap (§2.6); one finding per pair, on the
	// first half of the peering read.
	reported := map[[2]string]bool{}
	for _, k := range b.peerings.order {
		p := b.peerings.m[k]
		l, ok1 := b.vnets.get(Key(p.VNet))
		r, ok2 := b.vnets.get(Key(p.RemoteVNet))
		if !ok1 || !ok2 {
			continue
		}
		pair := [2]string{l.Key(), r.Key()}
		if pair[0] > pair[1] {
			pair[0], pair[1] = pair[1], pair[0]
		}
		if reported[pair] {
			continue
		}
		reported[pair] = true
		if cidr.SetOf(l.AddressSpace...).Overlaps(cidr.SetOf(r.AddressSpace...)) {
			b.warn(p.Meta, "", "peered virtual networks %s (%s) and %s (%s) overlap; Azure refuses such a peering", l.Name, prefixList(l.AddressSpace), r.Name, prefixList(r.AddressSpace))
		}
	}

	// Routes: parent table, next hop types a UDR may have (§1.4).
	for _, k := range slices.Clone(b.routes.order) {
		r := b.routes.m[k]
		switch {
		case !has(rtKeys, r.Table):
			b.fail(r.Meta, "", "route's route table %s is not in the snapshot", r.Table)
		case !r.Prefix.IsValid() && r.Tag == "":
			b.fail(r.Meta, ".properties.addressPrefix", "route has no address prefix")
		case !udrNextHop(string(r.NextHopType)):
			b.fail(r.Meta, ".properties.nextHopType", "next hop type %q is not allowed in a user-defined route (allowed: VirtualAppliance, VirtualNetworkGateway, VnetLocal, Internet, None)", r.NextHopType)
		case strings.EqualFold(string(r.NextHopType), "VirtualAppliance") && !r.NextHopIP.IsValid():
			b.fail(r.Meta, ".properties.nextHopIpAddress", "route to VirtualAppliance has no next hop IP address")
		default:
			continue
		}
		drop(b, &b.routes, TypeRoute, k)
	}

	// Security rules: parent NSG; ASGs, when the snapshot lists ASGs at all.
	asgKeys := keys(b.asgs.order)
	for _, k := range slices.Clone(b.rules.order) {
		r := b.rules.m[k]
		if !has(nsgKeys, r.NSG) {
			b.fail(r.Meta, "", "security rule's network security group %s is not in the snapshot", r.NSG)
			drop(b, &b.rules, TypeSecurityRule, k)
			continue
		}
		for _, side := range []struct {
			field string
			asgs  []string
		}{
			{".properties.sourceApplicationSecurityGroups", r.SourceASGs},
			{".properties.destinationApplicationSecurityGroups", r.DestinationASGs},
		} {
			for i, a := range side.asgs {
				if len(asgKeys) > 0 && !has(asgKeys, a) {
					b.warn(r.Meta, fmt.Sprintf("%s[%d].id", side.field, i), "application security group %s is not in the snapshot; the rule still matches its members", a)
				}
			}
		}
	}

	// NICs: every IP configuration's subnet, the NIC's NSG.
nics:
	for _, k := range slices.Clone(b.nics.order) {
		n := b.nics.m[k]
		if n.NSG != "" && !has(nsgKeys, n.NSG) {
			b.fail(n.Meta, ".properties.networkSecurityGroup.id", "network security group %s is not in the snapshot", n.NSG)
			drop(b, &b.nics, TypeNIC, k)
			continue
		}
		for i, c := range n.IPConfigs {
			if c.Subnet != "" && !has(subnetKeys, c.Subnet) {
				b.fail(n.Meta, fmt.Sprintf(".properties.ipConfigurations[%d].properties.subnet.id", i), "subnet %s is not in the snapshot", c.Subnet)
				drop(b, &b.nics, TypeNIC, k)
				continue nics
			}
			if c.PublicIP != "" && !has(pipKeys, c.PublicIP) {
				b.warn(n.Meta, fmt.Sprintf(".properties.ipConfigurations[%d].properties.publicIPAddress.id", i), "public IP %s is not in the snapshot; its address is unknown", c.PublicIP)
			}
			for j, a := range c.ASGs {
				if len(asgKeys) > 0 && !has(asgKeys, a) {
					b.warn(n.Meta, fmt.Sprintf(".properties.ipConfigurations[%d].properties.applicationSecurityGroups[%d].id", i, j), "application security group %s is not in the snapshot; membership is still applied", a)
				}
			}
		}
	}

	for _, k := range slices.Clone(b.fws.order) {
		f := b.fws.m[k]
		if f.Policy != "" && !has(polKeys, f.Policy) {
			b.fail(f.Meta, ".properties.firewallPolicy.id", "firewall policy %s is not in the snapshot", f.Policy)
			drop(b, &b.fws, TypeFirewall, k)
			continue
		}
		for i, c := range f.IPConfigs {
			if c.Subnet != "" && !has(subnetKeys, c.Subnet) {
				b.fail(f.Meta, fmt.Sprintf(".properties.ipConfigurations[%d].properties.subnet.id", i), "subnet %s is not in the snapshot", c.Subnet)
				drop(b, &b.fws, TypeFirewall, k)
				break
			}
			if c.PublicIP != "" && !has(pipKeys, c.PublicIP) {
				b.warn(f.Meta, fmt.Sprintf(".properties.ipConfigurations[%d].properties.publicIPAddress.id", i), "public IP %s is not in the snapshot; the egress address is unknown", c.PublicIP)
			}
		}
	}
	ipgKeys := keys(b.ipgroups.order)
	checkIPGroups := func(m Meta, base string, cols []RuleCollection) {
		for i, c := range cols {
			for j, r := range c.Rules {
				for _, g := range slices.Concat(r.SourceIPGroups, r.DestinationIPGroups) {
					if !has(ipgKeys, g) {
						field := ""
						if base != "" {
							field = fmt.Sprintf("%s[%d].rules[%d]", base, i, j)
						}
						b.warn(m, field, "IP group %s of rule %s/%s is not in the snapshot; the rule matches no address through it", g, c.Name, r.Name)
					}
				}
			}
		}
	}
	for _, k := range b.fws.order {
		// Classic collections come from three lists: name the rule, not a path.
		f := b.fws.m[k]
		checkIPGroups(f.Meta, "", f.RuleCollections)
	}
	for _, k := range slices.Clone(b.rcgs.order) {
		g := b.rcgs.m[k]
		if !has(polKeys, g.Policy) {
			b.fail(g.Meta, "", "rule collection group's firewall policy %s is not in the snapshot", g.Policy)
			drop(b, &b.rcgs, TypeRuleCollectionGroup, k)
			continue
		}
		checkIPGroups(g.Meta, ".properties.ruleCollections", g.Collections)
	}
	for _, k := range slices.Clone(b.gws.order) {
		g := b.gws.m[k]
		for i, c := range g.IPConfigs {
			if c.Subnet != "" && !has(subnetKeys, c.Subnet) {
				b.fail(g.Meta, fmt.Sprintf(".properties.ipConfigurations[%d].properties.subnet.id", i), "subnet %s is not in the snapshot", c.Subnet)
				drop(b, &b.gws, TypeGateway, k)
				break
			}
		}
	}
	for _, k := range b.policies.order {
		p := b.policies.m[k]
		if p.BasePolicy != "" && !has(polKeys, p.BasePolicy) {
			b.warn(p.Meta, ".properties.basePolicy.id", "base policy %s is not in the snapshot; inherited rules are missing", p.BasePolicy)
		}
	}

	for _, k := range slices.Clone(b.pes.order) {
		p := b.pes.m[k]
		if !has(subnetKeys, p.Subnet) {
			b.fail(p.Meta, ".properties.subnet.id", "private endpoint's subnet %s is not in the snapshot", p.Subnet)
			drop(b, &b.pes, TypePrivateEndpoint, k)
		}
	}
	for _, k := range b.nats.order {
		n := b.nats.m[k]
		for i, ip := range n.PublicIPs {
			if !has(pipKeys, ip) {
				b.warn(n.Meta, fmt.Sprintf(".properties.publicIpAddresses[%d].id", i), "public IP %s is not in the snapshot; the egress address is unknown", ip)
			}
		}
		for i, sn := range n.Subnets {
			s, ok := b.subnets.get(Key(sn))
			switch {
			case !ok:
				b.warn(n.Meta, fmt.Sprintf(".properties.subnets[%d].id", i), "subnet %s is not in the snapshot", sn)
			case !SameID(s.NATGateway, n.ID):
				b.warn(n.Meta, fmt.Sprintf(".properties.subnets[%d].id", i), "the NAT gateway lists subnet %s, but the subnet does not name it as its NAT gateway; the subnet's own setting is used", sn)
			}
		}
	}

	zoneKeys := keys(b.zones.order)
	for _, k := range slices.Clone(b.records.order) {
		r := b.records.m[k]
		switch {
		case !has(zoneKeys, r.Zone):
			b.fail(r.Meta, "", "record's private DNS zone %s is not in the snapshot", r.Zone)
		case r.Type != "A" && r.Type != "AAAA" && r.Type != "CNAME":
			b.fail(r.Meta, ".type", "record type %q is not modelled (A, AAAA and CNAME are)", r.Type)
		default:
			continue
		}
		drop(b, &b.records, TypePrivateZone+"/"+r.Type, k)
	}
	for _, k := range slices.Clone(b.zlinks.order) {
		l := b.zlinks.m[k]
		if !has(zoneKeys, l.Zone) {
			b.fail(l.Meta, "", "link's private DNS zone %s is not in the snapshot", l.Zone)
			drop(b, &b.zlinks, TypeZoneLink, k)
			continue
		}
		if _, ok := b.vnets.get(Key(l.VNet)); !ok {
			b.warn(l.Meta, ".properties.virtualNetwork.id", "linked virtual network %s is not in the snapshot", l.VNet)
		}
	}
	resKeys := keys(b.resolvers.order)
	for _, k := range slices.Clone(b.endpoints.order) {
		e := b.endpoints.m[k]
		field := ".properties.subnet.id"
		if b.inbound[k] {
			field = ".properties.ipConfigurations[0].subnet.id"
		}
		switch {
		case !has(resKeys, e.Resolver):
			b.fail(e.Meta, "", "endpoint's DNS resolver %s is not in the snapshot", e.Resolver)
		case e.Subnet != "" && !has(subnetKeys, e.Subnet):
			b.fail(e.Meta, field, "subnet %s is not in the snapshot", e.Subnet)
		default:
			continue
		}
		typ := TypeOutboundEndpoint
		if b.inbound[k] {
			typ = TypeInboundEndpoint
		}
		drop(b, &b.endpoints, typ, k)
	}
	epKeys := keys(b.endpoints.order)
	for _, k := range b.resolvers.order {
		r := b.resolvers.m[k]
		if _, ok := b.vnets.get(Key(r.VNet)); !ok {
			b.warn(r.Meta, ".properties.virtualNetwork.id", "resolver's virtual network %s is not in the snapshot", r.VNet)
		}
	}
	for _, k := range b.rulesets.order {
		r := b.rulesets.m[k]
		for i, e := range r.OutboundEndpoints {
			if !has(epKeys, e) {
				b.warn(r.Meta, fmt.Sprintf(".properties.dnsResolverOutboundEndpoints[%d].id", i), "outbound endpoint %s is not in the snapshot", e)
			}
		}
	}
	rsKeys := keys(b.rulesets.order)
	for _, k := range slices.Clone(b.fwdrules.order) {
		r := b.fwdrules.m[k]
		if !has(rsKeys, r.Ruleset) {
			b.fail(r.Meta, "", "forwarding rule's ruleset %s is not in the snapshot", r.Ruleset)
			drop(b, &b.fwdrules, TypeForwardingRule, k)
		}
	}
	for _, k := range slices.Clone(b.rslinks.order) {
		l := b.rslinks.m[k]
		if !has(rsKeys, l.Ruleset) {
			b.fail(l.Meta, "", "link's forwarding ruleset %s is not in the snapshot", l.Ruleset)
			drop(b, &b.rslinks, TypeRulesetLink, k)
			continue
		}
		if _, ok := b.vnets.get(Key(l.VNet)); !ok {
			b.warn(l.Meta, ".properties.virtualNetwork.id", "linked virtual network %s is not in the snapshot", l.VNet)
		}
	}
	for _, k := range b.conns.order {
		c := b.conns.m[k]
		if _, ok := b.gws.get(Key(c.Gateway1)); c.Gateway1 != "" && !ok {
			b.warn(c.Meta, ".properties.virtualNetworkGateway1.id", "gateway %s is not in the snapshot", c.Gateway1)
		}
		if _, ok := b.lgws.get(Key(c.LocalGateway2)); c.LocalGateway2 != "" && !ok {
			b.warn(c.Meta, ".properties.localNetworkGateway2.id", "local network gateway %s is not in the snapshot", c.LocalGateway2)
		}
	}
}

// checkSubnetOverlaps warns about subnets of one VNet whose prefixes
// overlap, which Azure refuses.
func (b *Builder) checkSubnetOverlaps() {
	type entry struct {
		p   netip.Prefix
		key string
	}
	byVNet := map[string][]entry{}
	for _, k := range b.subnets.order {
		sn := b.subnets.m[k]
		for _, p := range sn.Prefixes {
			byVNet[Key(sn.VNet)] = append(byVNet[Key(sn.VNet)], entry{p, k})
		}
	}
	for _, k := range b.subnets.order {
		sn := b.subnets.m[k]
		for _, p := range sn.Prefixes {
			for _, o := range byVNet[Key(sn.VNet)] {
				if o.key != k && o.key < k && o.p.Overlaps(p) {
					other := b.subnets.m[o.key]
					b.warn(sn.Meta, ".properties.addressPrefix", "subnet prefix %s overlaps %s of subnet %s in the same VNet; Azure refuses overlapping subnets", p, o.p, other.Name)
				}
			}
		}
	}
}

func udrNextHop(t string) bool {
	switch strings.ToLower(t) {
	case "virtualappliance", "virtualnetworkgateway", "vnetlocal", "internet", "none":
		return true
	}
	return false
}

func prefixList(ps []netip.Prefix) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.String()
	}
	return strings.Join(parts, ", ")
}

// assemble moves the builder's resources into s, attaching children to
// their parents in a stable order.
func (b *Builder) assemble(s *Snapshot) {
	s.vnets = b.vnets
	s.subnets = b.subnets
	s.peerings = b.peerings
	s.rts = b.rts
	s.nsgs = b.nsgs
	s.asgs = b.asgs
	s.nics = b.nics
	s.fws = b.fws
	s.policies = b.policies
	s.ipgroups = b.ipgroups
	s.gws = b.gws
	s.lgws = b.lgws
	s.conns = b.conns
	s.nats = b.nats
	s.pips = b.pips
	s.pes = b.pes
	s.zones = b.zones
	s.resolvers = b.resolvers
	s.rulesets = b.rulesets
	s.workspaces = b.workspace

	for _, sn := range b.subnets.sorted() {
		v := b.vnets.m[Key(sn.VNet)]
		v.Subnets = append(v.Subnets, sn.ID)
	}
	for _, v := range b.vnets.m {
		slices.SortFunc(v.Subnets, func(x, y string) int {
			a, c := b.subnets.m[Key(x)], b.subnets.m[Key(y)]
			if c := a.Prefixes[0].Addr().Compare(c.Prefixes[0].Addr()); c != 0 {
				return c
			}
			return cmp.Compare(Key(x), Key(y))
		})
	}
	for _, p := range b.peerings.sorted() {
		v := b.vnets.m[Key(p.VNet)]
		v.Peerings = append(v.Peerings, p.ID)
	}
	for _, r := range b.routes.sorted() {
		t := b.rts.m[Key(r.Table)]
		t.Routes = append(t.Routes, *r)
	}
	for _, n := range b.nsgs.m {
		n.DefaultRules = DefaultRules(n.ID)
	}
	for _, r := range b.rules.sorted() {
		n := b.nsgs.m[Key(r.NSG)]
		n.Rules = append(n.Rules, *r)
	}
	for _, n := range b.nsgs.m {
		slices.SortStableFunc(n.Rules, func(x, y SecurityRule) int {
			if c := cmp.Compare(x.Direction, y.Direction); c != 0 {
				return c
			}
			return cmp.Compare(x.Priority, y.Priority)
		})
	}
	for _, g := range b.rcgs.sorted() {
		p := b.policies.m[Key(g.Policy)]
		p.Groups = append(p.Groups, *g)
	}
	for _, p := range b.policies.m {
		slices.SortStableFunc(p.Groups, func(x, y RuleCollectionGroup) int { return cmp.Compare(x.Priority, y.Priority) })
	}
	for _, r := range b.records.sorted() {
		z := b.zones.m[Key(r.Zone)]
		z.Records = append(z.Records, *r)
	}
	for _, l := range b.zlinks.sorted() {
		z := b.zones.m[Key(l.Zone)]
		z.Links = append(z.Links, *l)
	}
	for _, e := range b.endpoints.sorted() {
		r := b.resolvers.m[Key(e.Resolver)]
		if b.inbound[e.Key()] {
			r.Inbound = append(r.Inbound, *e)
		} else {
			r.Outbound = append(r.Outbound, *e)
		}
	}
	for _, x := range b.fwdrules.sorted() {
		r := b.rulesets.m[Key(x.Ruleset)]
		r.Rules = append(r.Rules, *x)
	}
	for _, l := range b.rslinks.sorted() {
		r := b.rulesets.m[Key(l.Ruleset)]
		r.Links = append(r.Links, *l)
	}
}

// DefaultRules returns the six default rules of an NSG with the given ID
// (reference §3.2), named and prioritised as Azure does.
func DefaultRules(nsgID string) []SecurityRule {
	any := []Address{{Raw: "*", Prefixes: []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0"), netip.MustParsePrefix("::/0")}}}
	tag := func(t string) []Address { return []Address{{Raw: t, Tag: t}} }
	all := []cidr.PortRange{cidr.AllPorts}
	mk := func(name string, prio int, dir Direction, access Access, src, dst []Address) SecurityRule {
		return SecurityRule{
			Meta:     Meta{ID: nsgID + "/defaultSecurityRules/" + name, Name: name},
			NSG:      nsgID,
			Priority: prio, Direction: dir, Access: access, Protocol: ProtocolAny,
			Sources: src, SourcePorts: all, Destinations: dst, DestinationPorts: all,
			Default: true,
		}
	}
	return []SecurityRule{
		mk("AllowVnetInBound", 65000, DirectionInbound, AccessAllow, tag("VirtualNetwork"), tag("VirtualNetwork")),
		mk("AllowAzureLoadBalancerInBound", 65001, DirectionInbound, AccessAllow, tag("AzureLoadBalancer"), any),
		mk("DenyAllInBound", 65500, DirectionInbound, AccessDeny, any, any),
		mk("AllowVnetOutBound", 65000, DirectionOutbound, AccessAllow, tag("VirtualNetwork"), tag("VirtualNetwork")),
		mk("AllowInternetOutBound", 65001, DirectionOutbound, AccessAllow, any, tag("Internet")),
		mk("DenyAllOutBound", 65500, DirectionOutbound, AccessDeny, any, any),
	}
}
