package engine

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/servicetags"
)

// addrs is one side of a flow: a concrete set of addresses, or a public
// service tag known only by its name because no catalog was given (sym).
// A symbolic side is indivisible: a rule either covers all of it or none.
type addrs struct {
	set cidr.Set
	sym string
}

func concrete(s cidr.Set) addrs    { return addrs{set: s} }
func symbolic(tag string) addrs    { return addrs{sym: tag} }
func (a addrs) isSym() bool        { return a.sym != "" }
func (a addrs) empty() bool        { return a.sym == "" && a.set.IsEmpty() }
func (a addrs) equal(b addrs) bool { return a.sym == b.sym && a.set.Equal(b.set) }
func (a addrs) single() (netip.Addr, bool) {
	if a.sym != "" {
		return netip.Addr{}, false
	}
	return a.set.IsSingleAddr()
}

// String renders the side for answers: "tag:NAME" or the minimal prefixes.
func (a addrs) String() string {
	if a.sym != "" {
		return "tag:" + a.sym
	}
	return a.set.String()
}

func (a addrs) union(b addrs) addrs {
	switch {
	case a.empty():
		return b
	case b.empty():
		return a
	case a.sym != "" || b.sym != "":
		return a // symbolic sides never merge with others; callers keep them apart
	}
	return concrete(a.set.Union(b.set))
}

// Reserved private ranges (RFC 1918 and RFC 6598), the default SNAT
// exemption of Azure Firewall (reference §7.3) and the blocks Azure's
// None system routes cover (§1.1).
var privateRanges = cidr.SetOf(
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("fc00::/7"),
)

// Non-routable or special ranges that are never "the internet".
var specialRanges = cidr.SetOf(
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("224.0.0.0/3"),
	netip.MustParsePrefix("::1/128"),
	netip.MustParsePrefix("fe80::/10"),
	netip.MustParsePrefix("ff00::/8"),
)

// nonPublic is every address that is never on the internet.
var nonPublic = privateRanges.Union(specialRanges)

// publicSpace is every address that may be on the internet.
var publicSpace = cidr.All().Subtract(nonPublic)

// wireServer is 168.63.129.16: Azure DNS, the load-balancer probe source and
// part of the VirtualNetwork tag (reference §3.6).
var wireServer = netip.MustParseAddr("168.63.129.16")

// matcher is a compiled address list of a rule: the concrete addresses it
// covers, and how it matches a symbolic side.
type matcher struct {
	set       cidr.Set
	tags      []string // tag names it matches symbolic sides by
	anyPublic bool     // covers every public tag (the rule says "*", 0.0.0.0/0 or Internet) ...
	except    []string // ... except these
	unknown   []string // tags it names whose addresses are unknown (no catalog)
}

// split divides a into the part the matcher covers and the rest.
//
// With an interner t and an interned a, the split is computed once per
// pair of sets (the matcher's set is compiled once and kept, so its
// storage names it) and its parts are interned.
func (m *matcher) split(t *cidr.Interner, a addrs) (in, out addrs) {
	if a.sym != "" {
		if (m.anyPublic && !tagListCovers(m.except, a.sym)) || tagListCovers(m.tags, a.sym) {
			return a, addrs{}
		}
		return addrs{}, a
	}
	if in, out, ok := a.set.SplitCheap(m.set); ok {
		return concrete(in), concrete(out)
	}
	if t != nil && t.Interned(a.set) {
		i, o := t.Split(a.set, m.set)
		return concrete(i), concrete(o)
	}
	if m.set.ContainsSet(a.set) {
		return a, addrs{}
	}
	return concrete(a.set.Intersect(m.set)), concrete(a.set.Subtract(m.set))
}

// tagListCovers reports whether one of the tag names covers tag t by name:
// the same tag, or the global tag of a regional one ("Storage" covers
// "Storage.WestEurope"), compared case-insensitively.
func tagListCovers(tags []string, t string) bool {
	for _, x := range tags {
		if tagCovers(x, t) {
			return true
		}
	}
	return false
}

func tagCovers(x, t string) bool {
	if strings.EqualFold(x, t) {
		return true
	}
	base, region := servicetags.Region(t)
	return region != "" && strings.EqualFold(x, base)
}

// describeAddrs renders an address side for answers, shortening long
// lists: "10.1.1.0/24", "10.2.0.4, 10.3.0.0/16 and 4 more", "service tag X".
func describeAddrs(a addrs) string {
	if a.isSym() {
		return "service tag " + a.sym
	}
	if ip, ok := a.single(); ok {
		return ip.String() // most destinations: a private endpoint, a server
	}
	ps := a.set.Prefixes()
	parts := make([]string, 0, 4)
	for i, p := range ps {
		if i == 3 {
			parts = append(parts, "and "+strconv.Itoa(len(ps)-3)+" more")
			break
		}
		if p.IsSingleIP() {
			parts = append(parts, p.Addr().String())
		} else {
			parts = append(parts, p.String())
		}
	}
	return strings.Join(parts, ", ")
}
