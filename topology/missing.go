package topology

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// Missing is a resource that the snapshot references (or declares, as a
// zone's numberOfRecordSets does) but does not hold (SPEC §2, "Incomplete
// snapshots"). Missing is not empty: an answer that depends on it is not
// known.
type Missing struct {
	ID           string // its ARM ID, as first referenced
	Type         string // its ARM type (TypeRecordSets for a zone's record sets)
	ReferencedBy []Ref  // who references it, by ID then field
	// Reason says why it is missing: "not in the snapshot", "malformed: "
	// and the finding (lenient loading), or, for declared counts, what the
	// resource declares and what the snapshot holds.
	Reason string
	// Export is the az command that would export it (for a child, the list
	// command of its parent); "" when the ID does not say.
	Export string
}

// Ref is a reference to a missing resource.
type Ref struct {
	ID    string // the referencing resource
	Field string // its field that holds the reference, such as "IPConfigs[0].Subnet" (see [RefInfo])
}

// Reasons of missing resources.
const (
	ReasonAbsent    = "not in the snapshot"
	ReasonMalformed = "malformed: "
)

// Missing returns the resources the snapshot references or declares but
// does not hold, in ID order. The result is a copy.
func (s *Snapshot) Missing() []Missing {
	out := slices.Clone(s.missing)
	for i := range out {
		out[i].ReferencedBy = slices.Clone(out[i].ReferencedBy)
	}
	return out
}

// MissingByID returns the missing resource with the given ID (any letter
// case).
func (s *Snapshot) MissingByID(id string) (Missing, bool) {
	i, ok := s.missingIdx[Key(id)]
	if !ok {
		return Missing{}, false
	}
	m := s.missing[i]
	m.ReferencedBy = slices.Clone(m.ReferencedBy)
	return m, true
}

// missingRef records that r references id, of type typ, which the snapshot
// does not hold.
func (b *Builder) missingRef(id, typ string, r Ref) {
	key := Key(id)
	m, ok := b.missing[key]
	if !ok {
		m = &Missing{ID: strings.TrimSpace(id), Type: typ}
		b.missing[key] = m
	}
	m.ReferencedBy = append(m.ReferencedBy, r)
}

// checkReferences lists every referenced resource the snapshot lacks. A
// reference whose target type is taken from the ID counts only when vnetpath
// models that type.
func (b *Builder) checkReferences() {
	report := func(from *Meta, r *refInfo, i, j int, id string) {
		target, tk := r.target, r.kind
		if tk == nil {
			owner, typ, ok := ownerOf(id)
			if !ok {
				return
			}
			id, target, tk = owner, typ, kindOf(typ)
		}
		if tk.has(&b.st, Key(id)) {
			return
		}
		b.missingRef(id, target, Ref{ID: from.ID, Field: fieldName(r.field, i, j)})
	}
	for _, k := range kinds {
		k.references(&b.st, report)
	}
}

// checkDeclared compares the counts private zones declare
// (numberOfRecordSets, numberOfVirtualNetworkLinks) with what the snapshot
// holds. Record sets of types vnetpath skips (SOA, TXT, ...) count: they
// were exported.
func (b *Builder) checkDeclared() {
	held := map[string]int{}
	for _, st := range []*store[DNSRecord]{&b.st.recA, &b.st.recAAAA, &b.st.recCNAME, &b.st.recPTR} {
		for _, r := range st.m {
			held[Key(r.Zone)]++
		}
	}
	links := map[string]int{}
	for _, l := range b.st.zlinks.m {
		links[Key(l.Zone)]++
	}
	for _, e := range b.st.zones.entries {
		key, z := e.key, e.v
		z.RecordSetsHeld = held[key] + b.children[key]
		if !b.soa[key] {
			// Azure creates one SOA record set with every zone and counts
			// it; exports of the record types that matter (az ...
			// record-set a list, templates, plans) leave it out.
			z.RecordSetsHeld++
		}
		if n := z.NumberOfRecordSets; n > int64(z.RecordSetsHeld) {
			m := b.declared(z.ID+"/recordSets", TypeRecordSets, Ref{ID: z.ID, Field: "NumberOfRecordSets"})
			m.Reason = fmt.Sprintf("zone %s declares %d record sets (numberOfRecordSets), the snapshot holds %d", z.Name, n, z.RecordSetsHeld)
			m.Export = exportFor(z.ID+"/A/x", TypeDNSRecordA)
		}
		if n := z.NumberOfVirtualNetworkLinks; n > int64(links[key]) {
			m := b.declared(z.ID+"/virtualNetworkLinks", TypeZoneLink, Ref{ID: z.ID, Field: "NumberOfVirtualNetworkLinks"})
			m.Reason = fmt.Sprintf("zone %s declares %d virtual network links (numberOfVirtualNetworkLinks), the snapshot holds %d", z.Name, n, links[key])
			m.Export = exportFor(z.ID+"/virtualNetworkLinks/x", TypeZoneLink)
		}
	}
	b.declareInboundEndpoints()
}

// declareInboundEndpoints lists as missing the inbound endpoints that DNS
// servers declare: a VNet's DNS server in a subnet delegated to DNS
// resolvers that no inbound endpoint of the snapshot holds is a resolver's
// inbound endpoint the export left out (az dns-resolver list does not
// list endpoints). It is listed under each resolver of the subnet's VNet;
// when the snapshot has none, the resolvers themselves are missing and
// listed already (their endpoints reference them) or not known at all. A
// resolver whose inbound endpoint a change deleted (ExplainAbsent) is not
// missing one: the DNS server is gone.
func (b *Builder) declareInboundEndpoints() {
	held := map[netip.Addr]bool{}
	for _, e := range b.st.inbound.m {
		for _, a := range e.IPs {
			held[a.Unmap()] = true
		}
	}
	// Computed at the first DNS server no endpoint holds: the subnets
	// delegated to DNS resolvers, and by VNet the resolvers no change
	// deleted an inbound endpoint of.
	var (
		delegated []*Subnet
		resolvers map[string][]*DNSResolver
	)
	for _, ve := range b.st.vnets.entries {
		v := ve.v
		for _, a := range v.DNSServers {
			a = a.Unmap()
			if held[a] {
				continue
			}
			if resolvers == nil {
				delegated, resolvers = b.delegatedSubnets(), map[string][]*DNSResolver{}
				for _, re := range b.st.resolvers.entries {
					if r := re.v; !b.deletedInbound(r) {
						resolvers[Key(r.VNet)] = append(resolvers[Key(r.VNet)], r)
					}
				}
			}
			i := slices.IndexFunc(delegated, func(sn *Subnet) bool {
				return slices.ContainsFunc(sn.Prefixes, func(p netip.Prefix) bool { return p.Contains(a) })
			})
			if i < 0 {
				continue
			}
			sn := delegated[i]
			for _, r := range resolvers[Key(sn.VNet)] {
				m := b.declared(r.ID+"/inboundEndpoints", TypeInboundEndpoint, Ref{ID: v.ID, Field: "DNSServers[]"})
				m.Reason = fmt.Sprintf("VNet %s uses DNS server %s, in subnet %s delegated to DNS resolvers; no inbound endpoint of the snapshot holds it",
					v.Name, a, NameOf(sn.VNet)+"/"+sn.Name)
				m.Export = exportFor(r.ID+"/inboundEndpoints/x", TypeInboundEndpoint)
			}
		}
	}
}

// deletedInbound reports whether a change deleted an inbound endpoint of
// resolver r (ExplainAbsent).
func (b *Builder) deletedInbound(r *DNSResolver) bool {
	prefix := Key(r.ID) + "/inboundendpoints/"
	for k := range b.setAside {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

// delegatedSubnets returns the subnets delegated to DNS resolvers, in ID
// order.
func (b *Builder) delegatedSubnets() []*Subnet {
	var out []*Subnet
	for _, e := range b.st.subnets.entries {
		if sn := e.v; sn.HasDelegation(DelegationDNSResolvers) {
			out = append(out, sn)
		}
	}
	return out
}

func (b *Builder) declared(id, typ string, r Ref) *Missing {
	b.missingRef(id, typ, r)
	return b.missing[Key(id)]
}

// missingList returns the missing resources in ID order, with their
// reasons and export commands; malformed resources nothing references are
// listed too.
func (b *Builder) missingList() []Missing {
	for key, m := range b.malformed {
		if _, ok := b.missing[key]; ok || b.present(m.ID) {
			continue
		}
		b.missing[key] = &Missing{ID: m.ID, Type: m.Type}
	}
	out := make([]Missing, 0, len(b.missing))
	for key, m := range b.missing {
		if m.Reason == "" {
			switch {
			case b.malformed[key] != nil:
				m.Reason = b.malformed[key].Reason
			case b.setAside[key] != "":
				m.Reason = ReasonAbsent + ": " + b.setAside[key]
			default:
				m.Reason = ReasonAbsent
			}
		}
		if m.Export == "" {
			m.Export = exportFor(m.ID, m.Type)
		}
		slices.SortFunc(m.ReferencedBy, func(x, y Ref) int {
			if c := cmp.Compare(Key(x.ID), Key(y.ID)); c != 0 {
				return c
			}
			return compareFields(x.Field, y.Field)
		})
		m.ReferencedBy = slices.CompactFunc(m.ReferencedBy, func(x, y Ref) bool { return SameID(x.ID, y.ID) && x.Field == y.Field })
		out = append(out, *m)
	}
	slices.SortFunc(out, func(x, y Missing) int { return cmp.Compare(Key(x.ID), Key(y.ID)) })
	return out
}

// compareFields orders field identifiers with their indexes as numbers.
func compareFields(a, b string) int {
	for a != "" && b != "" {
		na, ra := leadingInt(a)
		nb, rb := leadingInt(b)
		if ra != a && rb != b {
			if c := cmp.Compare(na, nb); c != 0 {
				return c
			}
			a, b = ra, rb
			continue
		}
		if a[0] != b[0] {
			return cmp.Compare(a[0], b[0])
		}
		a, b = a[1:], b[1:]
	}
	return cmp.Compare(len(a), len(b))
}

func leadingInt(s string) (int, string) {
	i := 0
	for i < len(s) && i < 9 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	n, _ := strconv.Atoi(s[:i])
	return n, s[i:]
}

// present reports whether the snapshot holds the resource id names.
func (b *Builder) present(id string) bool {
	k := kindOf(typeOfID(id))
	return k != nil && k.has(&b.st, Key(id))
}

// typeOfID returns the type an ARM ID names, spelled as vnetpath spells it
// when it models the type, or "" when the ID does not parse.
func typeOfID(id string) string {
	r, ok := ParseResourceID(id)
	if !ok {
		return ""
	}
	t := r.Type()
	if k := kindOf(t); k != nil {
		return k.info().Type
	}
	return t
}

// exportFor returns the az command that exports id as a resource of type
// typ (see [ExportCommand]).
func exportFor(id, typ string) string {
	k := kindOf(typ)
	r, ok := ParseResourceID(id)
	if k == nil || !ok {
		return ""
	}
	ti := k.info()
	if ti.Parent == "" {
		return fillCommand(ti.Show, id, r.Subscription, r.ResourceGroup, r.Name(), "")
	}
	parent, grandparent := "", ""
	if len(r.Names) > 1 {
		parent = r.Names[len(r.Names)-2]
	}
	if len(r.Names) > 2 {
		grandparent = r.Names[len(r.Names)-3]
	}
	return fillCommand(ti.List, id, r.Subscription, r.ResourceGroup, r.Name(), parent, grandparent)
}

// summarizeMissing returns the one warning that sums up the missing
// resources (malformed ones have their own findings), or nil.
func summarizeMissing(ms []Missing) *Finding {
	n := 0
	var first *Missing
	for i := range ms {
		if strings.HasPrefix(ms[i].Reason, ReasonMalformed) {
			continue
		}
		if first == nil {
			first = &ms[i]
		}
		n++
	}
	if n == 0 {
		return nil
	}
	what := "resources the snapshot references or declares are"
	if n == 1 {
		what = "resource the snapshot references or declares is"
	}
	msg := fmt.Sprintf("%d %s not in it (for one: %s)", n, what, describe(first))
	msg += "; answers that depend on them are unknown; they are listed as missing, each with the az command that exports it"
	return &Finding{Msg: msg}
}

// describe names a missing resource and its first referrer for a message:
// "route table rt-spoke (referenced by vnet-spoke/snet-a)", or, for a
// declared count, its reason.
func describe(m *Missing) string {
	noun := m.Type
	if k := kindOf(m.Type); k != nil {
		noun = k.noun()
	}
	if len(m.ReferencedBy) == 0 {
		// Declared missing (Builder.DeclareMissing): the reason says why.
		return noun + " " + ShortName(m.ID) + " (" + m.Reason + ")"
	}
	by := m.ReferencedBy[0]
	if by.Field == "NumberOfRecordSets" || by.Field == "NumberOfVirtualNetworkLinks" {
		return m.Reason
	}
	return noun + " " + ShortName(m.ID) + " (referenced by " + ShortName(by.ID) + ")"
}
