package engine

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/internal/syncmap"
	"github.com/vnetpath/vnetpath/route"
	"github.com/vnetpath/vnetpath/servicetags"
	"github.com/vnetpath/vnetpath/topology"
)

// subnetCtx is everything the walk needs about one subnet, computed once:
// its effective routes and the per-subnet meaning of the VirtualNetwork and
// Internet tags (reference §3.7).
type subnetCtx struct {
	sn      *topology.Subnet
	name    string        // "vnet/subnet"
	in      string        // "in subnet vnet/subnet", the note of what is delivered there
	self    cidr.Set      // the subnet's prefixes
	selfStr string        // self as answers write it
	nsg     *topology.NSG // nil when none
	vnet    *topology.VNet
	rt      *topology.RouteTable // nil when none
	table   *route.Table
	sym     []route.ID // routes written with a tag that could not be expanded
	// publicUDRs are active user routes for public prefixes (other than
	// 0.0.0.0/0): a tag known only by name may or may not fall in them.
	publicUDRs []route.Route
	notes      []string // warnings about the routes
	// routesMissing lists what the subnet's gateway routes come from that
	// the snapshot lacks (a local network gateway, the other gateway of a
	// VNet-to-VNet connection): its routes are not known.
	routesMissing []string
	// admin are the AVNM security admin configurations that may filter
	// traffic in the subnet's VNet, hubs the Virtual WAN hubs that may
	// route it: vnetpath models neither (reference §10 item 44).
	admin, hubs []unmodelled
	// er is the ExpressRoute gateway whose BGP routes the subnet gets, or
	// nil: those routes are not in a snapshot.
	er *topology.Gateway

	vnetTag     matcher
	internetTag matcher
	lbTag       matcher

	// fwd is what the fields above come from, shared by the subnets whose
	// forwarding state is the same; it also holds the compiled NSGs and
	// the route lookups of whole tag destinations.
	fwd *fwdState

	// dnsShared is what sharedDNSVNet found for the whole subnet, once
	// asked.
	dnsShared atomic.Pointer[dnsShare]
}

// fwdState is what a subnet's forwarding depends on beyond the subnet
// itself: its effective routes and the meaning of the VirtualNetwork,
// Internet and AzureLoadBalancer tags follow from its VNet, the VNet's
// peerings and gateways, its route table and its service endpoints
// (reference §1, §3.7). Subnets of one VNet with the same route table and
// no service endpoints share one; a subnet with service endpoints has its
// own (their routes name it).
type fwdState struct {
	*fwdCore

	mu    sync.Mutex
	rules map[nsgKey]*compiledNSG

	// pieces memoises route lookups of whole tag destinations, the same
	// set for every check of that tag, read-only.
	pieces syncmap.Map[pieceKey, []route.Piece]
	// sets memoises route lookups of interned sets, read-only.
	sets syncmap.Map[cidr.Key, []route.Piece]
	// refs memoises the answers' references to routes, read-only.
	refs syncmap.Map[refKey, *answer.RouteRef]
}

// fwdCore is what a forwarding state is made of, read-only once built:
// the engines of a run's segments share the cores of VNets with many
// peerings (see [Engine.fwdOf]), each keeping its own memos beside them.
type fwdCore struct {
	table         *route.Table
	sym           []route.ID
	publicUDRs    []route.Route
	routesMissing []string
	admin, hubs   []unmodelled
	er            *topology.Gateway
	rt            *topology.RouteTable

	vnetTag     matcher
	internetTag matcher
	lbTag       matcher

	// The notes about the routes: those of the gateways, the gateway
	// whose routes the table's propagation setting turns away (the note
	// names the subnet), those of service endpoints and user routes, and
	// why the table could not be built (the note names the subnet).
	notesHead []string
	propGW    string
	notesTail []string
	buildErr  string

	// routes holds the table's routes as route.Table.Route returns them,
	// their prefix lists shared read-only (nil on the per-pair path).
	routes []route.Route
}

// refKey names a route reference: the route and the destination whose
// matching prefix it shows.
type refKey struct {
	id  route.ID
	dst cidr.Key
	sym string
}

// route returns route id of the subnet's table.
func (c *subnetCtx) route(id route.ID) route.Route {
	if c.fwd.routes != nil && int(id) < len(c.fwd.routes) {
		return c.fwd.routes[id]
	}
	return c.table.Route(id)
}

// routeRef renders route id for a hop, showing the prefix that matched
// dst; the same reference for every check that meets the route with an
// interned destination.
func (c *subnetCtx) routeRef(e *Engine, id route.ID, dst addrs) *answer.RouteRef {
	if c.fwd.routes == nil || !dst.isSym() && !e.in.Interned(dst.set) {
		return routeRef(c.route(id), dst)
	}
	k := refKey{id, dst.set.Key(), dst.sym}
	if v, ok := c.fwd.refs.Load(k); ok {
		return v
	}
	ref := routeRef(c.route(id), dst)
	c.fwd.refs.Store(k, ref)
	return ref
}

// fwdKey names a shared forwarding state: the VNet and route table as the
// subnet spells them, and the subnet itself when its state is its own.
type fwdKey struct {
	vnet, rt, subnet string
}

type fwdOnce struct {
	once sync.Once
	fwd  *fwdState
}

type ctxOnce struct {
	once sync.Once
	ctx  *subnetCtx
}

// ctx returns the context of a subnet, building it on first use.
func (e *Engine) ctx(sn *topology.Subnet) *subnetCtx {
	c, ok := e.ctxs.Load(sn)
	if !ok {
		c, _ = e.ctxs.LoadOrStore(sn, &ctxOnce{})
	}
	c.once.Do(func() { c.ctx = e.buildCtx(sn) })
	return c.ctx
}

func (e *Engine) buildCtx(sn *topology.Subnet) *subnetCtx {
	c := &subnetCtx{sn: sn, name: topology.ShortName(sn.ID), self: e.intern(cidr.SetOf(sn.Prefixes...))}
	c.in = "in subnet " + c.name
	c.selfStr = c.self.String()
	if sn.NSG != "" {
		c.nsg, _ = e.snap.NSG(sn.NSG)
	}
	c.vnet, _ = e.snap.VNet(sn.VNet)
	if c.vnet == nil {
		c.vnet = &topology.VNet{Meta: topology.Meta{ID: sn.VNet, Name: topology.NameOf(sn.VNet)}}
	}
	key := fwdKey{vnet: sn.VNet, rt: sn.RouteTable}
	if len(sn.ServiceEndpoints) > 0 || e.opts.PerPair {
		key.subnet = sn.ID
	}
	f := fwdIn(&e.fwds, key, func() *fwdState { return e.fwdOf(c, key) })
	c.fwd = f
	c.rt, c.table, c.sym, c.publicUDRs, c.routesMissing = f.rt, f.table, f.sym, f.publicUDRs, f.routesMissing
	c.admin, c.hubs, c.er = f.admin, f.hubs, f.er
	c.vnetTag, c.internetTag, c.lbTag = f.vnetTag, f.internetTag, f.lbTag
	c.notes = f.notesHead
	if f.propGW != "" || len(f.notesTail) > 0 || f.buildErr != "" {
		c.notes = slices.Clone(f.notesHead)
		if f.propGW != "" {
			c.notes = append(c.notes, fmt.Sprintf("route table %s disables gateway route propagation, so %s gets no routes from gateway %s (reference §1.7)",
				f.rt.Name, c.name, f.propGW))
		}
		c.notes = append(c.notes, f.notesTail...)
		if f.buildErr != "" {
			c.notes = append(c.notes, "routes of "+topology.ShortName(sn.ID)+": "+f.buildErr)
		}
	}
	return c
}

// sharedFwdPeerings is how many peerings a VNet has at least for the
// segments of a run to share its forwarding states' cores. A hub's states
// hold a route for every spoke: at 10,000 spokes, each of a run's 40
// segments building them again (and collecting them) cost a seventh of
// the run's CPU, and grew with the square of the estate. A spoke's
// states are built in the one segment that answers its subnets.
const sharedFwdPeerings = 32

// fwdOf returns the forwarding state of subnet c (see buildFwd), whose key
// is key. On a segment's engine, the core of a state of a VNet with at
// least sharedFwdPeerings peerings is built once by the engine the
// segments are made from and kept for the run, and the segment's state
// holds its own memos beside it.
func (e *Engine) fwdOf(c *subnetCtx, key fwdKey) *fwdState {
	r := e.root()
	least := sharedFwdPeerings
	if r.sharedFwdMin > 0 {
		least = r.sharedFwdMin
	}
	if r == e || e.opts.PerPair || len(e.peerings[topology.Key(c.sn.VNet)]) < least {
		return e.buildFwd(c)
	}
	core := fwdIn(&r.sharedFwds, key, func() *fwdState { return r.buildFwd(c) }).fwdCore
	return &fwdState{fwdCore: core, rules: map[nsgKey]*compiledNSG{}}
}

// fwdIn returns the forwarding state m holds under key, which build makes
// the first time it is asked for, once however many ask at once.
func fwdIn(m *syncmap.Map[fwdKey, *fwdOnce], key fwdKey, build func() *fwdState) *fwdState {
	o, ok := m.Load(key)
	if !ok {
		o, _ = m.LoadOrStore(key, &fwdOnce{})
	}
	o.once.Do(func() { o.fwd = build() })
	return o.fwd
}

// buildFwd computes the forwarding state of subnet c (whose subnet, NSG
// and VNet are set), for every subnet that shares it.
func (e *Engine) buildFwd(c *subnetCtx) *fwdState {
	f := &fwdState{fwdCore: &fwdCore{}, rules: map[nsgKey]*compiledNSG{}}
	if c.sn.RouteTable != "" {
		c.rt, _ = e.snap.RouteTable(c.sn.RouteTable)
	}
	f.rt = c.rt
	f.admin = e.adminConfigs(c.vnet)
	f.hubs = e.virtualHubs(c.vnet)
	eff := e.effectiveRoutes(c, f)
	var b route.Builder
	g, members := e.routeGroup(eff)
	for i, r := range eff {
		if k := len(members); g != nil && k > 0 && members[0] == i {
			b.AddGroup(g, g.Len()-k, r)
			members = members[1:]
			continue
		}
		b.Add(r)
	}
	t, err := b.Build()
	if err != nil {
		f.buildErr = err.Error()
	}
	f.table = t
	// The routes decoded once, for the loops below and (shared path) for
	// every hop that meets them.
	routes := make([]route.Route, t.Len())
	for i := range routes {
		routes[i] = t.RouteShared(route.ID(i))
		if r := routes[i]; r.Tag != "" && len(r.Prefixes) == 0 {
			f.sym = append(f.sym, route.ID(i))
		}
	}
	if !e.opts.PerPair {
		f.routes = routes
	}
	e.buildTags(f, c.vnet, routes)
	c.rt = f.rt
	f.er = e.expressRouteGateway(c)
	for i, r := range routes {
		if t.State(route.ID(i)) != route.Active || r.Source != route.SourceUser || r.Tag != "" {
			continue
		}
		for _, p := range r.Prefixes {
			if p.Bits() > 0 && p.Addr().Is4() && !privateRanges.ContainsPrefix(p) && !f.vnetTag.set.ContainsPrefix(p) {
				f.publicUDRs = append(f.publicUDRs, route.Route{Name: r.Name, Prefixes: []netip.Prefix{p}})
			}
		}
	}
	return f
}

// routeGroupKey names the route.Group of a list of routes written with
// service tags by what selection reads of them. Groups are kept in
// e.tagPfx beside the tags' prefix lists they are made of.
type routeGroupKey string

type routeGroupOnce struct {
	once sync.Once
	g    *route.Group
}

// routeGroup returns the route.Group of the routes of eff written with a
// service tag that expanded (service-endpoint and user routes), made once
// per distinct list and shared by every forwarding state with that list,
// and the positions of those routes in eff; nil on the per-pair path and
// when there are none. A spoke's tag routes expand to thousands of
// prefixes, the same in every spoke naming the same tags: their trie is
// built once and each table adds its own routes to it.
func (e *Engine) routeGroup(eff []route.Route) (*route.Group, []int) {
	if e.opts.PerPair {
		return nil, nil
	}
	var (
		members []int
		key     strings.Builder
	)
	for i, r := range eff {
		if r.Tag == "" || len(r.Prefixes) == 0 {
			continue
		}
		members = append(members, i)
		fmt.Fprintf(&key, "%s\x00%d\x00%s\x00%d\x01", strings.ToLower(r.Tag), r.Source, r.NextHopType, r.SummaryBits)
	}
	if len(members) == 0 {
		return nil, nil
	}
	k := routeGroupKey(key.String())
	v, ok := e.tagPfx.Load(k)
	if !ok {
		v, _ = e.tagPfx.LoadOrStore(k, &routeGroupOnce{})
	}
	o := v.(*routeGroupOnce)
	o.once.Do(func() {
		rs := make([]route.Route, len(members))
		for j, i := range members {
			r := eff[i]
			rs[j] = route.Route{Prefixes: r.Prefixes, Tag: r.Tag, Source: r.Source, NextHopType: r.NextHopType, SummaryBits: r.SummaryBits}
		}
		// An error (none is expected of a tag's expansion) leaves the
		// routes to route.Builder.Add, which reports it.
		if g, err := route.NewGroup(rs); err == nil {
			o.g = g
		}
	})
	if o.g == nil {
		return nil, nil
	}
	return o.g, members
}

// remoteHalf returns the peering of p's remote VNet that points back at p's
// VNet, or nil.
func (e *Engine) remoteHalf(p *topology.Peering) *topology.Peering {
	return e.peeringTo(p.RemoteVNet, p.VNet)
}

// peeringTo returns the peering half owned by VNet from that points at VNet
// to, or nil.
func (e *Engine) peeringTo(from, to string) *topology.Peering {
	if p, ok := e.peerExact[[2]string{from, to}]; ok {
		return p
	}
	// Every peering between two VNets the snapshot holds is in peerExact
	// under their IDs as they spell them: a miss between two such IDs is
	// no peering, found without lower-casing both.
	if e.spelledAsVNet(from) && e.spelledAsVNet(to) {
		return nil
	}
	return e.peerings[topology.Key(from)][topology.Key(to)]
}

// spelledAsVNet reports whether id is a VNet's ID as the VNet spells it
// (found without lower-casing it).
func (e *Engine) spelledAsVNet(id string) bool {
	v, ok := e.snap.VNet(id)
	return ok && v.ID == id
}

// peeredVNets returns the VNets whose peering with v is Connected on v's
// side, with the peering half owned by v.
func (e *Engine) connectedPeerings(v *topology.VNet) []*topology.Peering {
	var out []*topology.Peering
	for _, id := range v.Peerings {
		p, _ := e.snap.Peering(id)
		if p != nil && p.State == topology.PeeringConnected {
			out = append(out, p)
		}
	}
	return out
}

// effectiveRoutes lists the routes of a subnet in Azure's order: system
// routes (§1.1), peering routes, private-endpoint routes, gateway routes,
// service-endpoint routes, then the user-defined routes of its table (§1.2,
// §1.4).
func (e *Engine) effectiveRoutes(c *subnetCtx, f *fwdState) []route.Route {
	var (
		out   []route.Route
		notes []string
		v     = c.vnet
	)
	hasDefaultUDR := false
	if c.rt != nil {
		for _, r := range c.rt.Routes {
			if r.Prefix.IsValid() && r.Prefix.Bits() == 0 && r.Prefix.Addr().Is4() {
				hasDefaultUDR = true
			}
		}
	}
	for _, r := range route.SystemRoutes(v.AddressSpace, hasDefaultUDR) {
		if r.NextHopType == topology.NextHopVnetLocal {
			r.Origin = v.ID
		}
		out = append(out, r)
	}

	// Peerings: the remote ranges as synced (§2.6), VNetGlobalPeering
	// across regions.
	peers := e.connectedPeerings(v)
	for _, p := range peers {
		rv, _ := e.snap.VNet(p.RemoteVNet)
		prefixes := p.RemoteAddressSpace
		if len(prefixes) == 0 {
			prefixes = p.RemoteVNetAddressSpace
		}
		if len(prefixes) == 0 && rv != nil {
			prefixes = rv.AddressSpace
		}
		if !p.PeerCompleteVNets && rv != nil && len(p.RemoteSubnetNames) > 0 {
			prefixes = nil
			for _, id := range rv.Subnets {
				sn, _ := e.snap.Subnet(id)
				if sn != nil && containsFold(p.RemoteSubnetNames, sn.Name) {
					prefixes = append(prefixes, sn.Prefixes...)
				}
			}
		}
		if p.OnlyIPv6 {
			// An IPv6-only subnet peering routes the IPv6 ranges only
			// (reference §2.7).
			var v6 []netip.Prefix
			for _, x := range prefixes {
				if x.Addr().Is6() {
					v6 = append(v6, x)
				}
			}
			prefixes = v6
		}
		nh := topology.NextHopVNetPeering
		if rv != nil && v.Location != "" && rv.Location != "" && !strings.EqualFold(rv.Location, v.Location) {
			nh = topology.NextHopVNetGlobalPeering
		}
		out = append(out, route.Route{Prefixes: slices.Clone(prefixes), NextHopType: nh, Source: route.SourceDefault, Origin: p.ID})
	}

	// Private endpoints of this VNet and of directly peered VNets (§1.8).
	peVNets := []string{v.ID}
	for _, p := range peers {
		peVNets = append(peVNets, p.RemoteVNet)
	}
	for _, vid := range peVNets {
		for _, pa := range e.peByVNet[topology.Key(vid)] {
			r := route.Route{
				Prefixes:    []netip.Prefix{netip.PrefixFrom(pa.addr, pa.addr.BitLen())},
				NextHopType: topology.NextHopInterfaceEndpoint,
				Source:      route.SourceDefault,
				Origin:      pa.pe.ID,
			}
			if pa.subnet.PERouteTableEnabled() {
				if pv, ok := e.snap.VNet(pa.subnet.VNet); ok {
					for _, sp := range pv.AddressSpace {
						if sp.Contains(pa.addr) {
							r.SummaryBits = max(sp.Bits(), 1)
						}
					}
				}
			}
			out = append(out, r)
		}
	}

	// Gateway routes, unless the route table disables propagation (§1.7).
	if c.rt == nil || !c.rt.DisableBGPRoutePropagation {
		gr, gn, gm := e.gatewayRoutes(v, peers)
		out = append(out, gr...)
		f.notesHead = gn
		f.routesMissing = gm
	} else if gws := e.servingGateways(v, peers); len(gws) > 0 {
		f.propGW = shortName(gws[0].ID)
	}

	// Service endpoints (§1.2): the service's public prefixes, this subnet only.
	for _, se := range c.sn.ServiceEndpoints {
		tag, ok := serviceEndpointTag(se.Service)
		if !ok {
			notes = append(notes, fmt.Sprintf("service endpoint %s on %s is not mapped to a service tag; its routes are not modelled", se.Service, c.name))
			continue
		}
		names := []string{tag}
		if len(se.Locations) > 0 && !slices.Contains(se.Locations, "*") {
			names = nil
			for _, l := range se.Locations {
				names = append(names, tag+"."+l)
			}
		}
		for _, n := range names {
			r := route.Route{Tag: n, NextHopType: topology.NextHopVirtualNetworkServiceEndpoint, Source: route.SourceDefault, Origin: c.sn.ID}
			if x := e.expandTag(n); x.ok {
				r.Prefixes = e.tagPrefixes(n, x.set)
			}
			out = append(out, r)
		}
	}

	// User-defined routes.
	if c.rt != nil {
		for _, ur := range c.rt.Routes {
			nh, err := topology.ParseNextHopType(string(ur.NextHopType))
			if err != nil {
				notes = append(notes, fmt.Sprintf("route %s of %s: %v; ignored", ur.Name, c.rt.Name, err))
				continue
			}
			r := route.Route{NextHopType: nh, NextHopIP: ur.NextHopIP, Source: route.SourceUser, Name: ur.Name, Origin: c.rt.ID}
			if ur.Prefix.IsValid() {
				r.Prefixes = []netip.Prefix{ur.Prefix}
			} else {
				r.Tag = ur.Tag
				if x := e.expandTag(ur.Tag); x.ok {
					r.Prefixes = e.tagPrefixes(ur.Tag, x.set)
					if err := e.tags.CheckUse(ur.Tag, servicetags.FeatureUDR); err != nil {
						notes = append(notes, fmt.Sprintf("route %s of %s: %v", ur.Name, c.rt.Name, err))
					}
				} else if e.tags != nil {
					notes = append(notes, fmt.Sprintf("route %s of %s names service tag %q, which the catalog does not have; it matches only destinations named by that tag", ur.Name, c.rt.Name, ur.Tag))
				}
			}
			out = append(out, r)
		}
	}
	f.notesTail = notes
	return out
}

// servingGateways returns the gateways whose routes reach VNet v: its own,
// or through a peering that uses the remote gateways (§2.4).
func (e *Engine) servingGateways(v *topology.VNet, peers []*topology.Peering) []*topology.Gateway {
	var out []*topology.Gateway
	for _, id := range e.snap.GatewaysInVNet(v.ID) {
		if g, ok := e.snap.Gateway(id); ok {
			out = append(out, g)
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, p := range peers {
		if !p.UseRemoteGateways {
			continue
		}
		q := e.remoteHalf(p)
		if q == nil || !q.AllowGatewayTransit || q.State != topology.PeeringConnected {
			continue
		}
		for _, id := range e.snap.GatewaysInVNet(p.RemoteVNet) {
			if g, ok := e.snap.Gateway(id); ok {
				out = append(out, g)
			}
		}
	}
	return out
}

// gatewayRoutes returns the routes a VNet learns from the gateways that
// serve it: the local network gateways' prefixes of its site-to-site
// connections, the remote VNets of VNet-to-VNet connections, and BGP peer
// addresses. ExpressRoute routes are learned over BGP and are not in a
// snapshot: a note says so.
func (e *Engine) gatewayRoutes(v *topology.VNet, peers []*topology.Peering) ([]route.Route, []string, []string) {
	var (
		out     []route.Route
		notes   []string
		missing []string // what routes come from that the snapshot lacks
	)
	for _, g := range e.servingGateways(v, peers) {
		var hop netip.Addr
		for _, c := range g.IPConfigs {
			if c.PrivateIP.IsValid() {
				hop = c.PrivateIP
				break
			}
		}
		for _, cid := range e.snap.ConnectionsOf(g.ID) {
			cn, ok := e.snap.Connection(cid)
			if !ok {
				continue
			}
			if cn.Status != "" && !strings.EqualFold(cn.Status, "Connected") && !strings.EqualFold(cn.Status, "Unknown") {
				notes = append(notes, fmt.Sprintf("connection %s of gateway %s is %s; its routes are not installed", cn.Name, g.Name, cn.Status))
				continue
			}
			var prefixes []netip.Prefix
			switch strings.ToLower(cn.ConnectionType) {
			case "ipsec":
				if _, ok := e.snap.LocalGateway(cn.LocalGateway2); !ok && cn.LocalGateway2 != "" {
					missing = append(missing, cn.LocalGateway2)
				}
				if lg, ok := e.snap.LocalGateway(cn.LocalGateway2); ok {
					prefixes = append(prefixes, lg.AddressPrefixes...)
					if lg.BGP != nil {
						for _, a := range lg.BGP.PeeringAddresses {
							prefixes = append(prefixes, netip.PrefixFrom(a, a.BitLen()))
						}
					}
				}
			case "vnet2vnet":
				other := cn.Gateway2
				if topology.SameID(other, g.ID) {
					other = cn.Gateway1
				}
				if og, ok := e.snap.Gateway(other); ok {
					if ov, ok := e.snap.VNet(og.VNet); ok {
						prefixes = append(prefixes, ov.AddressSpace...)
					} else if og.VNet != "" {
						missing = append(missing, og.VNet)
					}
				} else if other != "" {
					missing = append(missing, other)
				}
			case "expressroute":
				notes = append(notes, fmt.Sprintf("gateway %s learns on-premises routes over ExpressRoute connection %s by BGP; they are not in the snapshot", g.Name, cn.Name))
			}
			if len(prefixes) == 0 {
				continue
			}
			r := route.Route{Prefixes: prefixes, NextHopType: topology.NextHopVirtualNetworkGateway, Source: route.SourceGateway, Origin: g.ID}
			if hop.IsValid() {
				r.NextHopIP = hop
			}
			out = append(out, r)
		}
	}
	return out, notes, missing
}

// serviceEndpointTag maps a service endpoint's service name to the service
// tag whose prefixes its routes carry.
func serviceEndpointTag(service string) (string, bool) {
	m := map[string]string{
		"microsoft.storage":              "Storage",
		"microsoft.storage.global":       "Storage",
		"microsoft.sql":                  "Sql",
		"microsoft.azureactivedirectory": "AzureActiveDirectory",
		"microsoft.keyvault":             "AzureKeyVault",
		"microsoft.servicebus":           "ServiceBus",
		"microsoft.eventhub":             "EventHub",
		"microsoft.azurecosmosdb":        "AzureCosmosDB",
		"microsoft.web":                  "AppService",
		"microsoft.containerregistry":    "AzureContainerRegistry",
		"microsoft.cognitiveservices":    "CognitiveServicesManagement",
	}
	t, ok := m[strings.ToLower(service)]
	return t, ok
}

// buildTags computes the subnet's VirtualNetwork, Internet and
// AzureLoadBalancer tags (reference §3.7): VirtualNetwork is the VNet's
// ranges, the synced ranges of Connected peers, gateway-learned prefixes,
// the prefixes of the subnet's user-defined routes and 168.63.129.16;
// Internet is every other public address.
func (e *Engine) buildTags(c *fwdState, v *topology.VNet, routes []route.Route) {
	// The state's own prefixes come in route order, not address order:
	// SetOfPrefixes sorts them once.
	ps := slices.Clone(v.AddressSpace)
	ps = append(ps, netip.PrefixFrom(wireServer, wireServer.BitLen()))
	var tags []string
	var tagNames []string // the tags user routes name, whose expansions are merged as sets
	for _, r := range routes {
		switch {
		case r.Source == route.SourceGateway,
			r.Source == route.SourceUser,
			r.NextHopType == topology.NextHopVNetPeering, r.NextHopType == topology.NextHopVNetGlobalPeering:
			if r.Source == route.SourceUser && r.Tag != "" && len(r.Prefixes) > 0 && !e.opts.PerPair {
				// The route's prefixes are the tag's expansion: merged
				// as a set rather than prefix by prefix (the per-pair
				// path adds them one by one, and the equivalence test
				// holds the two equal).
				if x := e.expandTag(r.Tag); x.ok {
					tagNames = append(tagNames, r.Tag)
					continue
				}
			}
			ps = append(ps, r.Prefixes...)
			if r.Source == route.SourceUser && r.Tag != "" && len(r.Prefixes) == 0 {
				tags = append(tags, r.Tag)
			}
		}
	}
	own := cidr.SetOfPrefixes(ps)
	vn, inet := own, publicSpace.Subtract(own)
	if len(tagNames) > 0 {
		// The tags' part is the same in every state naming the same
		// tags: their union and the public space outside it are made
		// once (tagSpace). Most states' own addresses are the same too
		// (a 0.0.0.0/0 user route makes them every IPv4 address), so
		// adding them is memoised per pair of interned sets, and states
		// share the result.
		ts := e.tagSpace(tagNames)
		if e.in != nil {
			own = e.intern(own)
			vn = e.in.Union(own, ts.union)
			_, inet = e.in.Split(ts.outside, own)
		} else {
			vn, inet = own.Union(ts.union), ts.outside.Subtract(own)
		}
	}
	c.vnetTag = matcher{set: vn, tags: tags, anyPublic: vn.ContainsPrefix(netip.MustParsePrefix("0.0.0.0/0"))}
	// A public tag that a UDR names belongs to VirtualNetwork, not Internet.
	c.internetTag = matcher{set: inet, anyPublic: !c.vnetTag.anyPublic, except: tags}
	c.lbTag = matcher{set: cidr.SetOfAddr(wireServer)}
}

// tagSpaceKey names the tagSpace of a list of tags (lower-case, in
// order); tag spaces are kept in e.tagPfx beside the tags' prefix lists.
type tagSpaceKey string

// tagSpace is the union of the expansions of a list of tags, and the
// public space outside it, both interned.
type tagSpace struct {
	once           sync.Once
	union, outside cidr.Set
}

// tagSpace returns the tagSpace of names, every one of which expands,
// computed once per list.
func (e *Engine) tagSpace(names []string) *tagSpace {
	k := tagSpaceKey(strings.ToLower(strings.Join(names, "\x00")))
	v, ok := e.tagPfx.Load(k)
	if !ok {
		v, _ = e.tagPfx.LoadOrStore(k, &tagSpace{})
	}
	ts := v.(*tagSpace)
	ts.once.Do(func() {
		var u cidr.Set
		for _, n := range names {
			u = u.Union(e.expandTag(n).set)
		}
		ts.union = e.intern(u)
		ts.outside = e.intern(publicSpace.Subtract(u))
	})
	return ts
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// tagPrefixes returns the prefixes of a tag's expansion set, computed once
// per tag and shared read-only: route.Builder.Add copies what it is given,
// a route.Group (routeGroup) keeps the list and every table built with it
// shares it.
func (e *Engine) tagPrefixes(name string, set cidr.Set) []netip.Prefix {
	if e.opts.PerPair {
		return set.Prefixes()
	}
	key := strings.ToLower(name)
	if v, ok := e.tagPfx.Load(key); ok {
		return v.([]netip.Prefix)
	}
	ps := slices.Clip(set.Prefixes())
	e.tagPfx.Store(key, ps)
	return ps
}
