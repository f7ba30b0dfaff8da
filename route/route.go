package route

import (
	"github.com/vnetpath/vnetpath/topology"
	"net/netip"
	"strconv"
	"strings"
)

// Route is one route of a subnet's route table with its Azure metadata, as
// one row of Azure's effective routes. The zero value is a Default route
// with no prefix and next hop None, which matches nothing.
//
// A Route is a plain value; [Builder.Add] copies it, and [Table.Route]
// returns a copy, so changing one never changes a table.
type Route struct {
	// Prefixes are the destinations: one for a CIDR route, many for a route
	// written with a service tag (the tag's prefixes), and none for a tag
	// route whose tag could not be expanded. A route without prefixes is
	// listed but never matches a lookup.
	Prefixes []netip.Prefix
	// Tag is the service tag a User route was written with ("Storage",
	// "Storage.EastUS", "AzureCloud"), or "" for a route written as a CIDR.
	// It orders User routes with equal prefixes (reference §1.4).
	Tag string
	// NextHopType is where the route sends traffic; "" means
	// [topology.NextHopNone].
	NextHopType topology.NextHopType
	// NextHopIP is the next hop's address (a virtual appliance, a gateway's
	// BGP peer), or the zero Addr when the next hop has none.
	NextHopIP netip.Addr
	// Source says who created the route.
	Source Source
	// Name is the user-defined route's name, or "" for other routes.
	Name string
	// Origin is the ARM ID of what created the route: the route table, the
	// peering, the private endpoint, the gateway, the virtual network.
	Origin string
	// SummaryBits is the prefix length of the address range of a private
	// endpoint's VNet, set on a Default InterfaceEndpoint route only when
	// the endpoint's subnet enables route-table network policies. Such a
	// route is Invalid when a User route's prefix holds it and is at least
	// that long (reference §1.8). Zero disables the rule; on other routes
	// it is ignored.
	SummaryBits int
}

// String returns a one-line form of r for logs and examples:
// "10.0.0.0/16 VnetLocal (Default)", with the next hop IP after the type
// and the name or tag in brackets when set.
func (r Route) String() string {
	var sb strings.Builder
	for i, p := range r.Prefixes {
		if i > 0 {
			sb.WriteByte(',')
		}
		if i == 3 && len(r.Prefixes) > 4 {
			sb.WriteString("... " + strconv.Itoa(len(r.Prefixes)-3) + " more")
			break
		}
		sb.WriteString(p.String())
	}
	if len(r.Prefixes) == 0 {
		sb.WriteString("(no prefixes)")
	}
	sb.WriteByte(' ')
	if r.NextHopType == "" {
		sb.WriteString(string(topology.NextHopNone))
	} else {
		sb.WriteString(string(r.NextHopType))
	}
	if r.NextHopIP.IsValid() {
		sb.WriteByte(' ')
		sb.WriteString(r.NextHopIP.String())
	}
	sb.WriteString(" (")
	sb.WriteString(r.Source.String())
	switch {
	case r.Name != "" && r.Tag != "":
		sb.WriteString(" " + r.Name + ", tag " + r.Tag)
	case r.Name != "":
		sb.WriteString(" " + r.Name)
	case r.Tag != "":
		sb.WriteString(" tag " + r.Tag)
	}
	sb.WriteByte(')')
	return sb.String()
}

// meta is everything of a Route but its prefixes. Tables keep one meta per
// distinct value and index it from every route that shares it: next hops
// repeat massively (every BGP route of a gateway shares one).
type meta struct {
	ip      netip.Addr
	name    string
	origin  string
	tag     string
	nh      topology.NextHopType
	src     Source
	summary uint8
}

// quickHash mixes the fields of m that are cheap to read; strings count by
// length only. It picks a slot of the Builder's metadata cache.
func (m *meta) quickHash() int {
	a := m.ip.As16()
	h := uint64(a[15]) | uint64(a[14])<<8 | uint64(a[13])<<16 | uint64(a[12])<<24
	h ^= uint64(len(m.name))<<32 ^ uint64(len(m.origin))<<40 ^ uint64(len(m.tag))<<48 ^ uint64(len(m.nh))<<16
	h ^= uint64(m.src)<<60 ^ uint64(m.summary)<<20
	h *= 0x9E3779B97F4A7C15
	return int(h >> 58)
}

func (m *meta) route() Route {
	return Route{
		Tag:         m.tag,
		NextHopType: m.nh,
		NextHopIP:   m.ip,
		Source:      m.src,
		Name:        m.name,
		Origin:      m.origin,
		SummaryBits: int(m.summary),
	}
}

// rank orders routes with equal prefixes; lower wins (reference §1.5 step
// 3): User before VirtualNetworkGateway before Default, and among User
// routes an explicit CIDR before a regional service tag, a global tag,
// AzureCloud.<region> and AzureCloud (reference §1.4). Equal ranks keep
// the route added first.
func (m *meta) rank() uint8 {
	var s uint8
	switch m.src {
	case SourceUser:
		s = 0
	case SourceGateway:
		s = 1
	default:
		s = 2
	}
	return s<<3 | tagRank(m.tag)
}

// tagRank is the tie order of reference §1.4 among User routes with equal
// prefixes.
func tagRank(tag string) uint8 {
	const cloud = "AzureCloud"
	switch {
	case tag == "":
		return 0 // an explicit CIDR
	case strings.EqualFold(tag, cloud):
		return 4
	case len(tag) > len(cloud) && tag[len(cloud)] == '.' && strings.EqualFold(tag[:len(cloud)], cloud):
		return 3 // AzureCloud.<region>
	case strings.Contains(tag, "."):
		return 1 // a regional tag such as Storage.EastUS
	}
	return 2 // a global tag such as Storage
}

// protects reports whether m is a system route that BGP never beats, even
// with a more specific prefix: the VNet's own ranges, peerings and service
// endpoints (reference §1.5 step 4).
func (m *meta) protects() bool {
	if m.src != SourceDefault {
		return false
	}
	switch m.nh {
	case topology.NextHopVnetLocal, topology.NextHopVNetPeering, topology.NextHopVNetGlobalPeering, topology.NextHopVirtualNetworkServiceEndpoint:
		return true
	}
	return false
}

// summarisable reports whether m is a private endpoint route that a broad
// enough User route invalidates (reference §1.8).
func (m *meta) summarisable() bool {
	return m.src == SourceDefault && m.nh == topology.NextHopInterfaceEndpoint && m.summary > 0
}
