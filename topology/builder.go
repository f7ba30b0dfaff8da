package topology

import (
	"cmp"
	"errors"
	"fmt"
	"net/netip"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/vnetpath/vnetpath/cidr"
)

// store keeps resources of one type by key, in insertion order.
type store[T any] struct {
	m map[string]*T
	// entries holds the keys and values in insertion order, so that going
	// through a store in order needs no lookups by key.
	entries []entry[T]
	// frozen holds the values in key order once the snapshot is built.
	frozen []*T
	stale  bool // entries holds deleted keys
}

// entry is a key of a store and its value.
type entry[T any] struct {
	key string
	v   *T
}

func (s *store[T]) get(key string) (*T, bool) {
	if s.m == nil && s.frozen != nil {
		// A store shared with its parents' lists (see share) keeps no map:
		// its values are in key order.
		i, ok := slices.BinarySearchFunc(s.frozen, key, func(v *T, key string) int { return compareKey(metaOf(v).ID, key) })
		if !ok {
			return nil, false
		}
		return s.frozen[i], true
	}
	v, ok := s.m[key]
	return v, ok
}

// compareKey compares Key(id) with key without making Key(id).
func compareKey(id, key string) int {
	id = strings.TrimRight(strings.TrimSpace(id), "/")
	for i := 0; i < len(id) && i < len(key); i++ {
		c := id[i]
		if c >= utf8.RuneSelf {
			return strings.Compare(Key(id), key)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != key[i] {
			return cmp.Compare(c, key[i])
		}
	}
	// An equal prefix of ASCII letters: the longer string is greater,
	// whatever lower-casing the rest does.
	return cmp.Compare(len(id), len(key))
}

// freeze fixes the key order for a built snapshot.
func (s *store[T]) freeze() {
	s.frozen = nil
	s.frozen = s.sorted()
}

// put stores v under key, which get has just not found.
func (s *store[T]) put(key string, v *T) {
	if s.m == nil {
		s.m = map[string]*T{}
	}
	s.entries = append(s.entries, entry[T]{key, v})
	s.m[key] = v
}

// del removes the resource with the given key and reports whether it was
// there. The order is compacted by the next compact or sorted.
func (s *store[T]) del(key string) bool {
	if _, ok := s.m[key]; !ok {
		return false
	}
	delete(s.m, key)
	s.stale = true
	return true
}

// compact drops the deleted keys from the insertion order, and the
// earlier entry of a key deleted and put again.
func (s *store[T]) compact() {
	if !s.stale {
		return
	}
	s.entries = slices.DeleteFunc(s.entries, func(e entry[T]) bool { return s.m[e.key] != e.v })
	s.stale = false
}

// sorted returns the values sorted by key.
func (s *store[T]) sorted() []*T {
	if s.frozen != nil {
		return s.frozen
	}
	s.compact()
	all := slices.Clone(s.entries)
	slices.SortFunc(all, func(a, b entry[T]) int { return strings.Compare(a.key, b.key) })
	out := make([]*T, len(all))
	for i := range all {
		out[i] = all[i].v
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
	// Locate, when set, is called on every finding the Builder records
	// about a model field (Finding.Field set), so that a loader that knows
	// where the field is in its input can put that place in Path and clear
	// Field.
	Locate func(f *Finding)

	st stores

	findings []*Finding
	lastFail *Finding
	skipped  map[string]int
	counts   map[string]int
	// children counts, by parent key, the resources of types vnetpath does
	// not model that were read as children (a zone's SOA or TXT record
	// sets): declared counts include them.
	children map[string]int
	soa      map[string]bool // zone key -> its SOA record set was read
	// malformed holds the resources read but not kept because they are
	// malformed, by key.
	malformed map[string]*Missing
	// setAside holds, by key, why a child that was read was not kept (its
	// parent is not in the snapshot).
	setAside map[string]string
	missing  map[string]*Missing
}

// add stores v under its ID, checking duplicates: the same ID again with the
// same content is accepted once; different content is an error naming both
// places.
func add[T any](b *Builder, st *store[T], typ string, v *T) {
	m := metaOf(v)
	if strings.TrimSpace(m.ID) == "" {
		b.record(findingAt(*m, "ID", "resource of type "+typ+" has no id", true))
		return
	}
	key := m.Key()
	if old, ok := st.get(key); ok {
		if sameContent(old, v) {
			return
		}
		where := metaOf(old).Where()
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
// [Builder.Warn] and [Builder.Malformed] instead.
func (b *Builder) Fail(f *Finding) { f.Fatal = true; b.findings = append(b.findings, f) }

// Skip counts a resource of a type vnetpath does not model.
func (b *Builder) Skip(typ string) {
	if b.skipped == nil {
		b.skipped = map[string]int{}
	}
	b.skipped[typ]++
}

// SkipResource counts a resource of a type vnetpath does not model, as
// [Builder.Skip] does, and remembers that its parent (taken from the ID)
// holds it: a private zone's numberOfRecordSets counts every record set,
// SOA and TXT included.
func (b *Builder) SkipResource(typ, id string) {
	b.Skip(typ)
	if p := Parent(id); p != "" {
		if b.children == nil {
			b.children = map[string]int{}
		}
		b.children[Key(p)]++
		if strings.EqualFold(typ, typeSOARecordSet) {
			if b.soa == nil {
				b.soa = map[string]bool{}
			}
			b.soa[Key(p)] = true
		}
	}
}

// typeSOARecordSet is the SOA record set Azure creates with every private
// zone; vnetpath reads it only to count it.
const typeSOARecordSet = TypePrivateZone + "/SOA"

// Malformed records that the resource id was read but not added because it
// is malformed (lenient loading drops it): f is the finding about it, or
// about the resource that embeds it. The snapshot lists it as missing, with
// the reason "malformed: " and the finding, so that what depends on it is
// not answered as if it did not exist. The first finding of an ID gives the
// reason; an empty id is ignored.
func (b *Builder) Malformed(id string, f *Finding) {
	id = strings.TrimSpace(id)
	if id == "" {
		return
	}
	key := Key(id)
	if b.malformed == nil {
		b.malformed = map[string]*Missing{}
	}
	if _, ok := b.malformed[key]; ok {
		return
	}
	b.malformed[key] = &Missing{ID: id, Type: typeOfID(id), Reason: ReasonMalformed + f.Error()}
}

// Add adds a resource of the ARM type typ (any letter case): v is its model
// value or a pointer to it (a VNet for Microsoft.Network/virtualNetworks, a
// DNSRecord for Microsoft.Network/privateDnsZones/A, a ResolverEndpoint for
// .../inboundEndpoints, ...; [Types] lists the types). It is what the typed
// Add methods do. A type vnetpath does not model, or a value of the wrong Go
// type, is recorded as an error.
func (b *Builder) Add(typ string, v any) {
	k := kindOf(typ)
	if k == nil {
		b.Fail(&Finding{ID: idOf(v), Msg: "resource type " + typ + " is not modelled"})
		return
	}
	if !k.addAny(b, v) {
		b.Fail(&Finding{ID: idOf(v), Msg: fmt.Sprintf("a %T is not a resource of type %s", v, k.info().Type)})
	}
}

// idOf returns the ID of a model value, or "".
func idOf(v any) string {
	if m, ok := v.(metaHolder); ok && !reflect.ValueOf(v).IsNil() {
		return m.meta().ID
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Struct {
		if f := rv.FieldByName("Meta"); f.IsValid() && f.Type() == reflect.TypeFor[Meta]() {
			return f.Interface().(Meta).ID
		}
	}
	return ""
}

// AddVNet adds a virtual network. Its Subnets and Peerings lists are ignored:
// add those with [Builder.AddSubnet] and [Builder.AddPeering].
func (b *Builder) AddVNet(v VNet) { kVNet.addValue(b, v) }

// AddSubnet adds a subnet. When VNet is empty it is taken from the ID.
func (b *Builder) AddSubnet(s Subnet) { kSubnet.addValue(b, s) }

// AddPeering adds one half of a peering. When VNet is empty it is taken from
// the ID.
func (b *Builder) AddPeering(p Peering) { kPeering.addValue(b, p) }

// AddRouteTable adds a route table and the routes it embeds.
func (b *Builder) AddRouteTable(t RouteTable) { kRouteTable.addValue(b, t) }

// AddRoute adds a route. When Table is empty it is taken from the ID.
func (b *Builder) AddRoute(r Route) { kRoute.addValue(b, r) }

// AddNSG adds a network security group and the custom rules it embeds.
// Default rules are always those of reference §3.2, whatever the input says.
func (b *Builder) AddNSG(n NSG) { kNSG.addValue(b, n) }

// AddSecurityRule adds a custom NSG rule. When NSG is empty it is taken from
// the ID.
func (b *Builder) AddSecurityRule(r SecurityRule) { kSecurityRule.addValue(b, r) }

// AddASG adds an application security group.
func (b *Builder) AddASG(a ASG) { kASG.addValue(b, a) }

// AddNIC adds a network interface.
func (b *Builder) AddNIC(n NIC) { kNIC.addValue(b, n) }

// AddFirewall adds an Azure Firewall.
func (b *Builder) AddFirewall(f Firewall) { kFirewall.addValue(b, f) }

// AddFirewallPolicy adds a firewall policy and the rule collection groups it
// embeds.
func (b *Builder) AddFirewallPolicy(p FirewallPolicy) { kFirewallPolicy.addValue(b, p) }

// AddRuleCollectionGroup adds a rule collection group. When Policy is empty
// it is taken from the ID.
func (b *Builder) AddRuleCollectionGroup(g RuleCollectionGroup) {
	kRuleCollectionGroup.addValue(b, g)
}

// AddIPGroup adds an IP group.
func (b *Builder) AddIPGroup(g IPGroup) { kIPGroup.addValue(b, g) }

// AddGateway adds a virtual network gateway. When VNet is empty it is taken
// from the subnet of its first IP configuration.
func (b *Builder) AddGateway(g Gateway) { kGateway.addValue(b, g) }

// AddLocalGateway adds a local network gateway.
func (b *Builder) AddLocalGateway(g LocalGateway) { kLocalGateway.addValue(b, g) }

// AddConnection adds a gateway connection.
func (b *Builder) AddConnection(c Connection) { kConnection.addValue(b, c) }

// AddNATGateway adds a NAT gateway.
func (b *Builder) AddNATGateway(n NATGateway) { kNATGateway.addValue(b, n) }

// AddPublicIP adds a public IP address.
func (b *Builder) AddPublicIP(p PublicIP) { kPublicIP.addValue(b, p) }

// AddPublicIPPrefix adds a public IP prefix.
func (b *Builder) AddPublicIPPrefix(p PublicIPPrefix) { kPublicIPPrefix.addValue(b, p) }

// AddPrivateEndpoint adds a private endpoint.
func (b *Builder) AddPrivateEndpoint(p PrivateEndpoint) { kPrivateEndpoint.addValue(b, p) }

// AddPrivateZone adds a private DNS zone and the records and links it
// embeds. The zone name is kept lower-case without a trailing dot.
func (b *Builder) AddPrivateZone(z PrivateZone) { kPrivateZone.addValue(b, z) }

// AddDNSRecord adds a record set of type A, AAAA, CNAME or PTR; another
// type is an error. When Zone is empty it is taken from the ID.
func (b *Builder) AddDNSRecord(r DNSRecord) {
	switch strings.ToUpper(r.Type) {
	case "A":
		kRecordA.addValue(b, r)
	case "AAAA":
		kRecordAAAA.addValue(b, r)
	case "CNAME":
		kRecordCNAME.addValue(b, r)
	case "PTR":
		kRecordPTR.addValue(b, r)
	default:
		b.fail(r.Meta, "Type", "record type %q is not modelled (A, AAAA, CNAME and PTR are)", r.Type)
	}
}

// AddZoneLink adds a virtual network link of a private zone. When Zone is
// empty it is taken from the ID.
func (b *Builder) AddZoneLink(l ZoneLink) { kZoneLink.addValue(b, l) }

// AddDNSResolver adds a DNS Private Resolver and the endpoints it embeds.
func (b *Builder) AddDNSResolver(r DNSResolver) { kDNSResolver.addValue(b, r) }

// AddResolverEndpoint adds an inbound (inbound true) or outbound endpoint of
// a DNS resolver. When Resolver is empty it is taken from the ID.
func (b *Builder) AddResolverEndpoint(e ResolverEndpoint, inbound bool) {
	if inbound {
		kInbound.addValue(b, e)
	} else {
		kOutbound.addValue(b, e)
	}
}

// AddRuleset adds a DNS forwarding ruleset and the rules and links it
// embeds.
func (b *Builder) AddRuleset(r Ruleset) { kRuleset.addValue(b, r) }

// AddForwardingRule adds a forwarding rule. When Ruleset is empty it is
// taken from the ID. The domain is kept lower-case and dot-terminated.
func (b *Builder) AddForwardingRule(r ForwardingRule) { kForwardingRule.addValue(b, r) }

// AddRulesetLink adds a VNet link of a forwarding ruleset. When Ruleset is
// empty it is taken from the ID.
func (b *Builder) AddRulesetLink(l RulesetLink) { kRulesetLink.addValue(b, l) }

// AddWorkspace adds an Azure Machine Learning workspace.
func (b *Builder) AddWorkspace(w Workspace) { kWorkspace.addValue(b, w) }

// AddLoadBalancer adds a load balancer.
func (b *Builder) AddLoadBalancer(lb LoadBalancer) { kLoadBalancer.addValue(b, lb) }

// AddNetworkManager adds an Azure Virtual Network Manager.
func (b *Builder) AddNetworkManager(m NetworkManager) { kNetworkManager.addValue(b, m) }

// AddSecurityAdminConfiguration adds a security admin configuration of a
// network manager (its Manager taken from its ID when empty).
func (b *Builder) AddSecurityAdminConfiguration(c SecurityAdminConfiguration) {
	kSecurityAdminConfig.addValue(b, c)
}

// AddAdminRuleCollection adds a rule collection of a security admin
// configuration (its Configuration taken from its ID when empty).
func (b *Builder) AddAdminRuleCollection(c AdminRuleCollection) { kAdminRuleCollection.addValue(b, c) }

// AddVirtualHub adds a Virtual WAN hub.
func (b *Builder) AddVirtualHub(h VirtualHub) { kVirtualHub.addValue(b, h) }

// AddVirtualWAN adds a Virtual WAN.
func (b *Builder) AddVirtualWAN(w VirtualWAN) { kVirtualWAN.addValue(b, w) }

// normName lower-cases a DNS name and drops a trailing dot.
func normName(s string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".")
}

// Build checks the resources, fills the derived fields (VNet.Subnets, the
// routes of route tables, the rules of NSGs, the records of zones, ...) and
// returns the frozen snapshot.
//
// A reference to a resource the snapshot does not hold is not an error: the
// resource is listed in [Snapshot.Missing] with who references it, and the
// referencing resource is kept as it is (a subnet keeps its RouteTable ID
// even though [Snapshot.RouteTable] does not find it). A child whose parent
// is absent cannot be attached and is set aside, and the parent is listed
// as missing. One warning sums the missing resources up.
//
// Problems come back as an errors.Join of [*Finding] values: a malformed
// resource (a subnet outside its VNet's space, a route with a next hop a
// user route may not have, the same ID with different content) is dropped,
// listed as missing with the reason "malformed: ...", and the snapshot is
// usable with the rest, which is what lenient loading relies on. Warnings
// (findings that are not fatal) are in [Snapshot.Warnings] and not in the
// error. The Builder must not be used after Build.
func (b *Builder) Build() (*Snapshot, error) {
	if b.setAside == nil {
		b.setAside = map[string]string{}
	}
	b.missing = map[string]*Missing{}
	for _, k := range kinds {
		k.orphans(b)
	}
	for _, k := range kinds {
		k.validate(b)
	}
	b.checkReferences()
	b.checkDeclared()

	s := newSnapshot()
	s.missing = b.missingList()
	// The Builder lets go of its stores: the originals of the routes and
	// rules that attach copies into their parents' lists are then freed as
	// they are copied, not at the end of Build.
	s.st, b.st = b.st, stores{}
	// Fix the ID order once; attaching children follows it.
	s.exact = map[string]any{}
	for _, k := range kinds {
		k.freeze(&s.st, s.exact)
	}
	for _, k := range kinds {
		k.attach(&s.st)
	}
	for _, k := range kinds {
		k.finish(&s.st)
	}
	if f := summarizeMissing(s.missing); f != nil {
		b.findings = append(b.findings, f)
	}
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
	f := findingAt(m, field, fmt.Sprintf(format, args...), true)
	b.record(f)
	b.lastFail = f
}

func (b *Builder) warn(m Meta, field, format string, args ...any) {
	b.record(findingAt(m, field, fmt.Sprintf(format, args...), false))
}

// record keeps a finding of the Builder's own, placed by Locate.
func (b *Builder) record(f *Finding) {
	if f.Field != "" && b.Locate != nil {
		b.Locate(f)
	}
	b.findings = append(b.findings, f)
}

// uncount removes a resource of store st and uncounts it.
func (b *Builder) uncount(typ string, st interface{ del(string) bool }, key string) {
	if st.del(key) {
		b.counts[typ]--
		if b.counts[typ] == 0 {
			delete(b.counts, typ)
		}
	}
}

// drop removes a malformed resource (its check has just failed) and
// records it as missing.
func (b *Builder) drop(typ string, st interface{ del(string) bool }, key string) {
	b.uncount(typ, st, key)
	if f := b.lastFail; f != nil && Key(f.ID) == key {
		b.Malformed(f.ID, f)
	}
}

func prefixList(ps []netip.Prefix) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.String()
	}
	return strings.Join(parts, ", ")
}

// DefaultRules returns the six default rules of an NSG with the given ID
// (reference §3.2), named and prioritised as Azure does.
func DefaultRules(nsgID string) []SecurityRule { return newDefaultLists().rules(nsgID) }

// defaultLists are the address and port lists of the default rules
// (reference §3.2). The NSGs of one snapshot share one set: they are the
// same for every NSG and never modified.
type defaultLists struct {
	any, vnet, lb, internet []Address
	all                     []cidr.PortRange
}

func newDefaultLists() *defaultLists {
	tag := func(t string) []Address { return []Address{{Raw: t, Tag: t}} }
	return &defaultLists{
		any:      []Address{{Raw: "*", Prefixes: []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0"), netip.MustParsePrefix("::/0")}}},
		vnet:     tag("VirtualNetwork"),
		lb:       tag("AzureLoadBalancer"),
		internet: tag("Internet"),
		all:      []cidr.PortRange{cidr.AllPorts},
	}
}

// rules returns the six default rules of the NSG nsgID, with the lists of d.
func (d *defaultLists) rules(nsgID string) []SecurityRule {
	mk := func(name string, prio int, dir Direction, access Access, src, dst []Address) SecurityRule {
		return SecurityRule{
			Meta:     Meta{ID: nsgID + "/defaultSecurityRules/" + name, Name: name},
			NSG:      nsgID,
			Priority: prio, Direction: dir, Access: access, Protocol: ProtocolAny,
			Sources: src, SourcePorts: d.all, Destinations: dst, DestinationPorts: d.all,
			Default: true,
		}
	}
	return []SecurityRule{
		mk("AllowVnetInBound", 65000, DirectionInbound, AccessAllow, d.vnet, d.vnet),
		mk("AllowAzureLoadBalancerInBound", 65001, DirectionInbound, AccessAllow, d.lb, d.any),
		mk("DenyAllInBound", 65500, DirectionInbound, AccessDeny, d.any, d.any),
		mk("AllowVnetOutBound", 65000, DirectionOutbound, AccessAllow, d.vnet, d.vnet),
		mk("AllowInternetOutBound", 65001, DirectionOutbound, AccessAllow, d.any, d.internet),
		mk("DenyAllOutBound", 65500, DirectionOutbound, AccessDeny, d.any, d.any),
	}
}
