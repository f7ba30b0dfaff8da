package render

import (
	"cmp"
	"io"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/vnetpath/vnetpath/topology"
)

// Node types of an [Estate].
const (
	NodeVNet            = "vnet"
	NodeSubnet          = "subnet"
	NodeFirewall        = "firewall"
	NodeGateway         = "gateway"
	NodeLocalGateway    = "localGateway"
	NodeNATGateway      = "natGateway"
	NodeAppliance       = "appliance" // a NIC with IP forwarding
	NodePrivateEndpoint = "privateEndpoint"
	NodePrivateZone     = "privateZone"
	NodeDNSResolver     = "dnsResolver"
	NodeRuleset         = "ruleset"
	NodeWorkspace       = "workspace"
	NodeExternal        = "external" // referenced, not in the snapshot (missing, or a type vnetpath does not model)
)

// Edge types of an [Estate].
const (
	EdgePeering     = "peering"     // a peering half, from its VNet to the remote one
	EdgeNATGateway  = "natGateway"  // a NAT gateway serves a subnet
	EdgePrivateLink = "privateLink" // a private endpoint reaches its target
	EdgeZoneLink    = "zoneLink"    // a private zone is linked to a VNet
	EdgeRulesetLink = "rulesetLink" // a forwarding ruleset is linked to a VNet
	EdgeOutbound    = "outbound"    // a ruleset forwards through a resolver's outbound endpoint
	EdgeConnection  = "connection"  // a gateway connection
)

// Estate is a drawing of an estate: nodes with their types, ARM IDs and
// the node that contains them, and typed edges between them. [Graph]
// builds it from a snapshot; [Estate.Dot], [Estate.Mermaid] and
// [Estate.JSON] write it. Its order is stable: the same snapshot gives
// the same bytes.
type Estate struct {
	Nodes []EstateNode `json:"nodes"`
	Edges []EstateEdge `json:"edges"`
}

// EstateNode is one resource of an [Estate].
type EstateNode struct {
	ID      string   `json:"id"` // ARM ID
	Type    string   `json:"type"`
	Name    string   `json:"name"`
	Parent  string   `json:"parent,omitempty"`  // ID of the node that contains it: a subnet's VNet, a firewall's subnet
	Details []string `json:"details,omitempty"` // address spaces, addresses, NSG and route table, SKU, ...
}

// EstateEdge is one relation of an [Estate]. Problem marks what does not
// carry traffic: a peering half that is not Connected or denies virtual
// network access, a private endpoint connection that is not Approved, a
// gateway connection that is not Connected.
type EstateEdge struct {
	Type    string `json:"type"`
	ID      string `json:"id,omitempty"` // ARM ID of the resource the edge is (a peering, a link), when it is one
	From    string `json:"from"`
	To      string `json:"to"`
	Label   string `json:"label,omitempty"`
	Problem bool   `json:"problem,omitempty"`
}

var nodeRank = map[string]int{NodeVNet: 0, NodeSubnet: 1, NodeFirewall: 2, NodeGateway: 3, NodeAppliance: 4, NodePrivateEndpoint: 5,
	NodeDNSResolver: 6, NodeNATGateway: 7, NodeLocalGateway: 8, NodePrivateZone: 9, NodeRuleset: 10, NodeWorkspace: 11, NodeExternal: 12}

// Graph draws the estate of a snapshot: VNets with their address spaces
// containing their subnets (with prefixes, NSG and route table), the
// firewalls, gateways, appliances, private endpoints and DNS resolvers in
// them; peering halves labelled with their state and flags; NAT gateways
// and the subnets they serve; private zones and the VNets they are linked
// to; forwarding rulesets, their links and resolvers; gateway connections
// and local network gateways; workspaces that private endpoints reach. A
// resource referenced but not in the snapshot is a node of type
// [NodeExternal]. Nodes are ordered by type, then ID; edges by type, then
// their ends.
func Graph(s *topology.Snapshot) *Estate {
	g := &estateBuilder{s: s, nodes: map[string]*EstateNode{}}
	for v := range s.VNets() {
		d := []string{prefixes(v.AddressSpace)}
		if len(v.DNSServers) > 0 {
			d = append(d, "DNS servers "+addrs(v.DNSServers))
		}
		g.node(v.ID, NodeVNet, v.Name, "", d...)
		for _, pid := range v.Peerings {
			if p, ok := s.Peering(pid); ok {
				g.peering(p)
			}
		}
		for _, gid := range s.GatewaysInVNet(v.ID) {
			g.gateway(gid, v.ID)
		}
		for _, rid := range s.RulesetsLinkedTo(v.ID) {
			g.ruleset(rid)
			g.edge(EstateEdge{Type: EdgeRulesetLink, From: rid, To: v.ID, Label: "ruleset link"})
		}
		for _, l := range s.ZoneLinksOf(v.ID) {
			g.zone(l.Zone)
			lbl := "link"
			if l.RegistrationEnabled {
				lbl += " · autoregistration"
			}
			if l.ResolutionPolicy != "" && l.ResolutionPolicy != topology.ResolutionDefault {
				lbl += " · " + l.ResolutionPolicy
			}
			g.edge(EstateEdge{Type: EdgeZoneLink, ID: l.ID, From: l.Zone, To: v.ID, Label: lbl})
		}
	}
	for sn := range s.Subnets() {
		d := []string{prefixes(sn.Prefixes)}
		if sn.NSG != "" {
			d = append(d, "NSG "+topology.NameOf(sn.NSG))
		}
		if sn.RouteTable != "" {
			d = append(d, "route table "+topology.NameOf(sn.RouteTable))
		}
		if sn.DefaultOutboundAccess != nil && !*sn.DefaultOutboundAccess {
			d = append(d, "private (no default outbound access)")
		}
		for _, del := range sn.Delegations {
			d = append(d, "delegated to "+del)
		}
		g.node(sn.ID, NodeSubnet, sn.Name, sn.VNet, d...)
		if sn.NATGateway != "" {
			g.nat(sn.NATGateway)
			g.edge(EstateEdge{Type: EdgeNATGateway, From: sn.NATGateway, To: sn.ID, Label: "outbound"})
		}
	}
	for fw := range s.Firewalls() {
		var d []string
		parent := ""
		for _, c := range fw.IPConfigs {
			if parent == "" {
				parent = c.Subnet
			}
			if c.PrivateIP.IsValid() {
				d = append(d, c.PrivateIP.String())
			}
			if pip := g.publicIP(c.PublicIP); pip != "" {
				d = append(d, "public "+pip)
			}
		}
		if fw.Policy != "" {
			d = append(d, "policy "+topology.NameOf(fw.Policy))
		}
		if fw.SKU != "" || fw.Tier != "" {
			d = append(d, strings.TrimSpace(fw.SKU+" "+fw.Tier))
		}
		g.node(fw.ID, NodeFirewall, fw.Name, parent, d...)
	}
	for nic := range s.NICs() {
		if !nic.EnableIPForwarding {
			continue
		}
		var d []string
		parent := ""
		for _, c := range nic.IPConfigs {
			if parent == "" {
				parent = c.Subnet
			}
			if c.PrivateIP.IsValid() {
				d = append(d, c.PrivateIP.String())
			}
		}
		g.node(nic.ID, NodeAppliance, nic.Name, parent, append(d, "IP forwarding")...)
	}
	for pe := range s.PrivateEndpoints() {
		var d []string
		for _, id := range pe.NICs {
			if nic, ok := s.NIC(id); ok {
				for _, c := range nic.IPConfigs {
					if c.PrivateIP.IsValid() {
						d = append(d, c.PrivateIP.String())
					}
				}
			}
		}
		for _, ip := range pe.StaticIPs {
			if ip.PrivateIP.IsValid() && !slices.Contains(d, ip.PrivateIP.String()) {
				d = append(d, ip.PrivateIP.String())
			}
		}
		g.node(pe.ID, NodePrivateEndpoint, pe.Name, pe.Subnet, d...)
		for _, c := range pe.Connections {
			if c.Target == "" {
				continue
			}
			if w, ok := s.Workspace(c.Target); ok {
				wd := []string{"public network access " + cmp.Or(w.PublicNetworkAccess, "not set")}
				g.node(w.ID, NodeWorkspace, w.Name, "", wd...)
			}
			lbl := strings.Join(c.GroupIDs, ", ")
			if c.Status != "" {
				lbl = strings.TrimPrefix(lbl+" · "+c.Status, " · ")
			}
			g.edge(EstateEdge{Type: EdgePrivateLink, From: pe.ID, To: c.Target, Label: lbl, Problem: c.Status != "" && c.Status != topology.ConnectionApproved})
		}
	}
	for r := range s.DNSResolvers() {
		var d []string
		for _, in := range r.Inbound {
			d = append(d, "inbound "+addrs(in.IPs))
		}
		if len(r.Outbound) > 0 {
			d = append(d, count(len(r.Outbound), "outbound endpoint", "outbound endpoints"))
		}
		g.node(r.ID, NodeDNSResolver, r.Name, r.VNet, d...)
	}
	for z := range s.PrivateZones() {
		g.zone(z.ID)
	}
	return g.finish()
}

type estateBuilder struct {
	s     *topology.Snapshot
	nodes map[string]*EstateNode
	edges []EstateEdge
}

func (g *estateBuilder) node(id, typ, name, parent string, details ...string) {
	k := topology.Key(id)
	if n, ok := g.nodes[k]; ok && n.Type != NodeExternal {
		return
	}
	g.nodes[k] = &EstateNode{ID: id, Type: typ, Name: name, Parent: parent, Details: details}
}

func (g *estateBuilder) edge(e EstateEdge) { g.edges = append(g.edges, e) }

func (g *estateBuilder) peering(p *topology.Peering) {
	flags := []string{string(p.State)}
	for _, f := range []struct {
		on   bool
		name string
	}{
		{p.AllowVirtualNetworkAccess, "vnet access"}, {p.AllowForwardedTraffic, "forwarded traffic"},
		{p.AllowGatewayTransit, "gateway transit"}, {p.UseRemoteGateways, "remote gateways"},
	} {
		if f.on {
			flags = append(flags, f.name)
		}
	}
	if !p.AllowVirtualNetworkAccess {
		flags = append(flags, "no vnet access")
	}
	if !p.PeerCompleteVNets {
		flags = append(flags, "subnets "+strings.Join(p.LocalSubnetNames, ",")+" → "+strings.Join(p.RemoteSubnetNames, ","))
	}
	g.edge(EstateEdge{Type: EdgePeering, ID: p.ID, From: p.VNet, To: p.RemoteVNet, Label: p.Name + ": " + strings.Join(flags, " · "),
		Problem: p.State != topology.PeeringConnected || !p.AllowVirtualNetworkAccess})
}

func (g *estateBuilder) gateway(id, vnet string) {
	gw, ok := g.s.Gateway(id)
	if !ok {
		return
	}
	d := []string{strings.TrimSpace(gw.GatewayType + " " + gw.SKU)}
	parent := vnet
	for _, c := range gw.IPConfigs {
		if c.Subnet != "" {
			parent = c.Subnet
		}
		if pip := g.publicIP(c.PublicIP); pip != "" {
			d = append(d, "public "+pip)
		}
	}
	if gw.BGP != nil && gw.EnableBGP {
		d = append(d, "BGP ASN "+strconv.FormatInt(gw.BGP.ASN, 10))
	}
	g.node(gw.ID, NodeGateway, gw.Name, parent, d...)
	for _, cid := range g.s.ConnectionsOf(gw.ID) {
		c, ok := g.s.Connection(cid)
		if !ok {
			continue
		}
		to := cmp.Or(c.LocalGateway2, c.Gateway2, c.Peer)
		if to == "" || topology.SameID(to, gw.ID) {
			continue
		}
		if lg, ok := g.s.LocalGateway(c.LocalGateway2); ok {
			ld := []string{prefixes(lg.AddressPrefixes)}
			if lg.GatewayIP.IsValid() {
				ld = append(ld, "gateway "+lg.GatewayIP.String())
			}
			g.node(lg.ID, NodeLocalGateway, lg.Name, "", ld...)
		}
		lbl := c.Name + ": " + c.ConnectionType
		if c.Status != "" {
			lbl += " · " + c.Status
		}
		g.edge(EstateEdge{Type: EdgeConnection, ID: c.ID, From: gw.ID, To: to, Label: lbl, Problem: c.Status != "" && c.Status != "Connected"})
	}
}

func (g *estateBuilder) nat(id string) {
	n, ok := g.s.NATGateway(id)
	if !ok {
		return
	}
	var d []string
	for _, p := range n.PublicIPs {
		if a := g.publicIP(p); a != "" {
			d = append(d, "public "+a)
		}
	}
	for _, p := range n.PublicIPPrefixes {
		if pp, ok := g.s.PublicIPPrefix(p); ok && pp.Prefix.IsValid() {
			d = append(d, "public "+pp.Prefix.String())
		}
	}
	g.node(n.ID, NodeNATGateway, n.Name, "", d...)
}

func (g *estateBuilder) zone(id string) {
	z, ok := g.s.PrivateZone(id)
	if !ok {
		return
	}
	d := []string{count(len(z.Records), "record set", "record sets")}
	if len(z.Links) == 0 {
		d = append(d, "linked to no VNet")
	}
	g.node(z.ID, NodePrivateZone, z.Name, "", d...)
}

func (g *estateBuilder) ruleset(id string) {
	r, ok := g.s.Ruleset(id)
	if !ok {
		return
	}
	var d []string
	for _, fr := range r.Rules {
		var ts []string
		for _, t := range fr.Targets {
			ts = append(ts, netip.AddrPortFrom(t.IP, uint16(t.Port)).String())
		}
		s := fr.Domain + " → " + strings.Join(ts, ", ")
		if !fr.Enabled {
			s += " (disabled)"
		}
		d = append(d, s)
	}
	g.node(r.ID, NodeRuleset, r.Name, "", d...)
	for _, oe := range r.OutboundEndpoints {
		res := topology.Parent(oe)
		if res == "" {
			continue
		}
		g.edge(EstateEdge{Type: EdgeOutbound, From: r.ID, To: res, Label: "outbound endpoint " + topology.NameOf(oe)})
	}
}

// publicIP is the address of a public IP resource, its name when it has
// none, or "".
func (g *estateBuilder) publicIP(id string) string {
	if id == "" {
		return ""
	}
	if p, ok := g.s.PublicIP(id); ok && p.Address.IsValid() {
		return p.Address.String()
	}
	return topology.NameOf(id)
}

// finish adds a node for every end of an edge or parent that is not in
// the snapshot, and sorts.
func (g *estateBuilder) finish() *Estate {
	external := func(id string) {
		if id == "" {
			return
		}
		if _, ok := g.nodes[topology.Key(id)]; ok {
			return
		}
		what := "not in the snapshot"
		if r, ok := topology.ParseResourceID(id); ok && len(r.Types) > 0 {
			what = r.Provider + "/" + strings.Join(r.Types, "/")
			if _, missing := g.s.MissingByID(id); missing {
				what += ", missing from the snapshot"
			}
		}
		g.nodes[topology.Key(id)] = &EstateNode{ID: id, Type: NodeExternal, Name: topology.NameOf(id), Details: []string{what}}
	}
	for _, e := range g.edges {
		external(e.From)
		external(e.To)
	}
	for _, n := range slices.Collect(maps.Values(g.nodes)) {
		if n.Parent != "" {
			external(n.Parent)
		}
	}
	est := &Estate{Nodes: make([]EstateNode, 0, len(g.nodes)), Edges: g.edges}
	for _, n := range g.nodes {
		est.Nodes = append(est.Nodes, *n)
	}
	slices.SortFunc(est.Nodes, func(a, b EstateNode) int {
		return cmp.Or(cmp.Compare(nodeRank[a.Type], nodeRank[b.Type]), strings.Compare(topology.Key(a.ID), topology.Key(b.ID)), strings.Compare(a.ID, b.ID))
	})
	slices.SortStableFunc(est.Edges, func(a, b EstateEdge) int {
		return cmp.Or(strings.Compare(a.Type, b.Type), strings.Compare(topology.Key(a.From), topology.Key(b.From)),
			strings.Compare(topology.Key(a.To), topology.Key(b.To)), strings.Compare(a.ID, b.ID))
	})
	est.Edges = slices.CompactFunc(est.Edges, func(a, b EstateEdge) bool { return a == b })
	return est
}

func prefixes(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ", ")
}

func addrs(as []netip.Addr) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.String()
	}
	return strings.Join(s, ", ")
}

// JSON writes the estate as indented JSON: {"nodes": [...], "edges":
// [...]}.
func (e *Estate) JSON(w io.Writer) error {
	out := *e
	if out.Nodes == nil {
		out.Nodes = []EstateNode{}
	}
	if out.Edges == nil {
		out.Edges = []EstateEdge{}
	}
	return indented(w, out)
}

// children indexes the nodes by parent, keeping their order.
func (e *Estate) children() (map[string][]int, map[string]string) {
	kids := map[string][]int{}
	ids := map[string]string{}
	for i, n := range e.Nodes {
		ids[topology.Key(n.ID)] = "n" + strconv.Itoa(i)
		kids[topology.Key(n.Parent)] = append(kids[topology.Key(n.Parent)], i)
	}
	return kids, ids
}

var estateDotStyles = map[string]string{
	NodeVNet:            `shape=box, style="filled,bold", fillcolor="#dde7f7"`,
	NodeSubnet:          `shape=box, style=filled, fillcolor="#ffffff"`,
	NodeFirewall:        `shape=box, style="rounded,filled", fillcolor="#ffe9cc"`,
	NodeGateway:         `shape=box, style="rounded,filled", fillcolor="#e8e0f7"`,
	NodeLocalGateway:    `shape=box, style="rounded,filled", fillcolor="#f0f0f0"`,
	NodeNATGateway:      `shape=box, style="rounded,filled", fillcolor="#e0f3f0"`,
	NodeAppliance:       `shape=box, style="rounded,filled", fillcolor="#fff6c8"`,
	NodePrivateEndpoint: `shape=box, style="rounded,filled", fillcolor="#e6f4ea"`,
	NodePrivateZone:     `shape=note, style=filled, fillcolor="#eef0fb"`,
	NodeDNSResolver:     `shape=box, style="rounded,filled", fillcolor="#eef0fb"`,
	NodeRuleset:         `shape=note, style=filled, fillcolor="#f5eefb"`,
	NodeWorkspace:       `shape=box3d, style=filled, fillcolor="#fdf0e6"`,
	NodeExternal:        `shape=box, style="dashed", color="#888888"`,
}

// nodeLabel is the type, name and details of a node, one per line.
func nodeLabel(n EstateNode) []string {
	return append([]string{n.Type + " " + n.Name}, n.Details...)
}

// anchorLabel is the label of the node that stands for a VNet or subnet
// inside its cluster, whose title names it: its details.
func anchorLabel(n EstateNode) []string {
	if len(n.Details) == 0 {
		return []string{n.Name}
	}
	return n.Details
}

// Dot writes the estate as a Graphviz digraph: a cluster per VNet holding
// the VNet's node and a cluster per subnet with what is in it; other
// resources outside; edges labelled, red where [EstateEdge] Problem is
// set.
func (e *Estate) Dot(w io.Writer) error {
	ew := &errWriter{w: w}
	kids, ids := e.children()
	ew.printf("digraph estate {\n")
	ew.printf("  graph [rankdir=LR, compound=true, fontname=\"Helvetica\", fontsize=11, nodesep=0.3, ranksep=0.8];\n")
	ew.printf("  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n")
	var walk func(i int, depth int)
	walk = func(i int, depth int) {
		n := e.Nodes[i]
		pad := strings.Repeat("  ", depth+1)
		sub := kids[topology.Key(n.ID)]
		if len(sub) > 0 && (n.Type == NodeVNet || n.Type == NodeSubnet) {
			ew.printf("%ssubgraph cluster_%s {\n%s  label=%s; style=rounded; color=\"#8899bb\";\n", pad, ids[topology.Key(n.ID)], pad, dotQuote(n.Type+" "+n.Name))
			ew.printf("%s  %s [label=%s, %s];\n", pad, ids[topology.Key(n.ID)], dotQuote(strings.Join(anchorLabel(n), "\n")), estateDotStyles[n.Type])
			for _, k := range sub {
				walk(k, depth+1)
			}
			ew.printf("%s}\n", pad)
			return
		}
		ew.printf("%s%s [label=%s, %s];\n", pad, ids[topology.Key(n.ID)], dotQuote(strings.Join(nodeLabel(n), "\n")), cmp.Or(estateDotStyles[n.Type], estateDotStyles[NodeExternal]))
		for _, k := range sub {
			walk(k, depth)
		}
	}
	for _, i := range e.roots(ids) {
		walk(i, 0)
	}
	for _, ed := range e.Edges {
		style := `color="#555555"`
		switch {
		case ed.Problem:
			style = `color="#cc0000", fontcolor="#cc0000", penwidth=2`
		case ed.Type == EdgePeering:
			style = `color="#3355aa", fontcolor="#3355aa"`
		case ed.Type == EdgeZoneLink || ed.Type == EdgeRulesetLink || ed.Type == EdgeOutbound:
			style = `color="#5566aa", style=dashed`
		}
		ew.printf("  %s -> %s [label=%s, %s];\n", ids[topology.Key(ed.From)], ids[topology.Key(ed.To)], dotQuote(ed.Label), style)
	}
	ew.printf("}\n")
	return ew.err
}

// roots lists the nodes without a parent in the estate.
func (e *Estate) roots(ids map[string]string) []int {
	var out []int
	for i, n := range e.Nodes {
		if _, ok := ids[topology.Key(n.Parent)]; n.Parent == "" || !ok {
			out = append(out, i)
		}
	}
	return out
}

var estateMermaidClasses = map[string]string{
	NodeVNet: "fill:#dde7f7,stroke:#3355aa", NodeSubnet: "fill:#ffffff,stroke:#555555", NodeFirewall: "fill:#ffe9cc,stroke:#aa6600",
	NodeGateway: "fill:#e8e0f7,stroke:#6644aa", NodeLocalGateway: "fill:#f0f0f0,stroke:#666666", NodeNATGateway: "fill:#e0f3f0,stroke:#227766",
	NodeAppliance: "fill:#fff6c8,stroke:#887700", NodePrivateEndpoint: "fill:#e6f4ea,stroke:#1f7a3a", NodePrivateZone: "fill:#eef0fb,stroke:#5566aa",
	NodeDNSResolver: "fill:#eef0fb,stroke:#5566aa", NodeRuleset: "fill:#f5eefb,stroke:#774499", NodeWorkspace: "fill:#fdf0e6,stroke:#aa5500",
	NodeExternal: "fill:#ffffff,stroke:#888888,stroke-dasharray:4 3",
}

// Mermaid writes the estate as a Mermaid flowchart: a subgraph per VNet
// and per subnet with what it holds, the other resources outside, edges
// labelled, red where [EstateEdge] Problem is set.
func (e *Estate) Mermaid(w io.Writer) error {
	ew := &errWriter{w: w}
	kids, ids := e.children()
	ew.printf("flowchart LR\n")
	var walk func(i int, depth int)
	walk = func(i int, depth int) {
		n := e.Nodes[i]
		pad := strings.Repeat("  ", depth+1)
		id := ids[topology.Key(n.ID)]
		sub := kids[topology.Key(n.ID)]
		typ := n.Type
		if _, ok := estateMermaidClasses[typ]; !ok {
			typ = NodeExternal
		}
		if len(sub) > 0 && (n.Type == NodeVNet || n.Type == NodeSubnet) {
			ew.printf("%ssubgraph %s_g[\"%s\"]\n", pad, id, mermaidText(n.Type+" "+n.Name))
			ew.printf("%s  %s[\"%s\"]:::%s\n", pad, id, mermaidText(strings.Join(anchorLabel(n), "\n")), typ)
			for _, k := range sub {
				walk(k, depth+1)
			}
			ew.printf("%send\n", pad)
			return
		}
		ew.printf("%s%s[\"%s\"]:::%s\n", pad, id, mermaidText(strings.Join(nodeLabel(n), "\n")), typ)
		for _, k := range sub {
			walk(k, depth)
		}
	}
	for _, i := range e.roots(ids) {
		walk(i, 0)
	}
	var bad []string
	for k, ed := range e.Edges {
		arrow := "-->"
		if ed.Type == EdgeZoneLink || ed.Type == EdgeRulesetLink || ed.Type == EdgeOutbound {
			arrow = "-.->"
		}
		ew.printf("  %s %s|\"%s\"| %s\n", ids[topology.Key(ed.From)], arrow, mermaidText(ed.Label), ids[topology.Key(ed.To)])
		if ed.Problem {
			bad = append(bad, strconv.Itoa(k))
		}
	}
	types := make([]string, 0, len(estateMermaidClasses))
	for t := range estateMermaidClasses {
		types = append(types, t)
	}
	slices.Sort(types)
	for _, t := range types {
		ew.printf("  classDef %s %s\n", t, estateMermaidClasses[t])
	}
	if len(bad) > 0 {
		ew.printf("  linkStyle %s stroke:#cc0000,stroke-width:2px\n", strings.Join(bad, ","))
	}
	return ew.err
}
