package topology

import (
	"cmp"
	"net/netip"
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
	TypePublicIPPrefix      = "Microsoft.Network/publicIPPrefixes"
	TypePrivateEndpoint     = "Microsoft.Network/privateEndpoints"
	TypePrivateZone         = "Microsoft.Network/privateDnsZones"
	TypeZoneLink            = "Microsoft.Network/privateDnsZones/virtualNetworkLinks"
	TypeDNSRecordA          = "Microsoft.Network/privateDnsZones/A"
	TypeDNSRecordAAAA       = "Microsoft.Network/privateDnsZones/AAAA"
	TypeDNSRecordCNAME      = "Microsoft.Network/privateDnsZones/CNAME"
	TypeDNSRecordPTR        = "Microsoft.Network/privateDnsZones/PTR"
	TypeDNSResolver         = "Microsoft.Network/dnsResolvers"
	TypeInboundEndpoint     = "Microsoft.Network/dnsResolvers/inboundEndpoints"
	TypeOutboundEndpoint    = "Microsoft.Network/dnsResolvers/outboundEndpoints"
	TypeRuleset             = "Microsoft.Network/dnsForwardingRulesets"
	TypeForwardingRule      = "Microsoft.Network/dnsForwardingRulesets/forwardingRules"
	TypeRulesetLink         = "Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks"
	TypeWorkspace           = "Microsoft.MachineLearningServices/workspaces"
	TypeLoadBalancer        = "Microsoft.Network/loadBalancers"
	TypeNetworkManager      = "Microsoft.Network/networkManagers"
	TypeSecurityAdminConfig = "Microsoft.Network/networkManagers/securityAdminConfigurations"
	TypeAdminRuleCollection = "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections"
	TypeVirtualHub          = "Microsoft.Network/virtualHubs"
	TypeVirtualWAN          = "Microsoft.Network/virtualWans"

	// TypeRecordSets is the type of the record sets of a private zone taken
	// together, whatever their record type: a zone whose numberOfRecordSets
	// is above what the snapshot holds lists "ZONE-ID/recordSets" of this
	// type as missing.
	TypeRecordSets = "Microsoft.Network/privateDnsZones/recordSets"
)

// stores holds the resources of a snapshot, one store per type. The
// Builder fills it; Build hands it to the Snapshot.
type stores struct {
	// defaults are the lists the NSGs' default rules share.
	defaults  *defaultLists
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
	prefixes  store[PublicIPPrefix]
	pes       store[PrivateEndpoint]
	zones     store[PrivateZone]
	recA      store[DNSRecord]
	recAAAA   store[DNSRecord]
	recCNAME  store[DNSRecord]
	recPTR    store[DNSRecord]
	zlinks    store[ZoneLink]
	resolvers store[DNSResolver]
	inbound   store[ResolverEndpoint]
	outbound  store[ResolverEndpoint]
	rulesets  store[Ruleset]
	fwdrules  store[ForwardingRule]
	rslinks   store[RulesetLink]
	workspace store[Workspace]
	lbs       store[LoadBalancer]
	managers  store[NetworkManager]
	admincfgs store[SecurityAdminConfiguration]
	admincols store[AdminRuleCollection]
	hubs      store[VirtualHub]
	wans      store[VirtualWAN]
}

// kinds lists every modelled type, parents before children. Adding a type
// means adding its model struct, a store above and a kind here; the loader
// adds its converter.
var kinds = []kindAPI{
	&kVNet, &kSubnet, &kPeering,
	&kRouteTable, &kRoute,
	&kNSG, &kSecurityRule, &kASG,
	&kNIC,
	&kFirewall, &kFirewallPolicy, &kRuleCollectionGroup, &kIPGroup,
	&kGateway, &kLocalGateway, &kConnection,
	&kNATGateway, &kPublicIP, &kPublicIPPrefix,
	&kPrivateEndpoint,
	&kPrivateZone, &kRecordA, &kRecordAAAA, &kRecordCNAME, &kRecordPTR, &kZoneLink,
	&kDNSResolver, &kInbound, &kOutbound,
	&kRuleset, &kForwardingRule, &kRulesetLink,
	&kWorkspace,
	&kLoadBalancer,
	&kNetworkManager, &kSecurityAdminConfig, &kAdminRuleCollection,
	&kVirtualWAN, &kVirtualHub,
}

// ipConfigRefs reads a reference of every IP configuration of a NIC.
func ipConfigRefs(field func(c *IPConfig) string) func(n *NIC, emit func(string, int, int)) {
	return func(n *NIC, emit func(string, int, int)) {
		for i := range n.IPConfigs {
			if id := field(&n.IPConfigs[i]); id != "" {
				emit(id, i, -1)
			}
		}
	}
}

// fwConfigRefs reads a reference of every IP configuration of a firewall
// or a gateway.
func fwConfigRefs[T any](configs func(*T) []FirewallIPConfig, field func(c *FirewallIPConfig) string) func(v *T, emit func(string, int, int)) {
	return func(v *T, emit func(string, int, int)) {
		cs := configs(v)
		for i := range cs {
			if id := field(&cs[i]); id != "" {
				emit(id, i, -1)
			}
		}
	}
}

// ipGroupRefs reads the IP groups of the rules of rule collections.
func ipGroupRefs(cols []RuleCollection, source bool, emit func(string, int, int)) {
	for i, c := range cols {
		for j, r := range c.Rules {
			groups := r.DestinationIPGroups
			if source {
				groups = r.SourceIPGroups
			}
			for _, g := range groups {
				if g != "" {
					emit(g, i, j)
				}
			}
		}
	}
}

var kVNet = kind[VNet]{
	TypeInfo: TypeInfo{Type: TypeVNet, List: "az network vnet list", Show: "az network vnet show -g {resourceGroup} -n {name}"},
	what:     "virtual network",
	store:    func(s *stores) *store[VNet] { return &s.vnets },
	add: func(b *Builder, v *VNet) {
		v.AddressSpace = slices.Clone(v.AddressSpace)
		v.DNSServers = slices.Clone(v.DNSServers)
		v.Subnets, v.Peerings = nil, nil
		add(b, &b.st.vnets, TypeVNet, v)
	},
	done: func(st *stores, v *VNet) {
		slices.SortFunc(v.Subnets, func(x, y string) int {
			a, c := st.subnets.m[Key(x)], st.subnets.m[Key(y)]
			if c := a.Prefixes[0].Addr().Compare(c.Prefixes[0].Addr()); c != 0 {
				return c
			}
			return cmp.Compare(Key(x), Key(y))
		})
	},
}

var kSubnet = kind[Subnet]{
	TypeInfo: TypeInfo{Type: TypeSubnet, Parent: TypeVNet, Embedded: true, List: "az network vnet subnet list -g {resourceGroup} --vnet-name {parent}"},
	what:     "subnet",
	store:    func(s *stores) *store[Subnet] { return &s.subnets },
	add: func(b *Builder, s *Subnet) {
		if s.VNet == "" {
			s.VNet = Parent(s.ID)
		}
		s.Prefixes = slices.Clone(s.Prefixes)
		s.Delegations = slices.Clone(s.Delegations)
		s.ServiceEndpoints = slices.Clone(s.ServiceEndpoints)
		s.IPConfigurations = slices.Clone(s.IPConfigurations)
		s.PrivateEndpoints = slices.Clone(s.PrivateEndpoints)
		add(b, &b.st.subnets, TypeSubnet, s)
	},
	parent:      func(s *Subnet) string { return s.VNet },
	parentField: "VNet",
	refs: []ref[Subnet]{
		one("RouteTable", TypeRouteTable, func(s *Subnet) string { return s.RouteTable }),
		one("NSG", TypeNSG, func(s *Subnet) string { return s.NSG }),
		one("NATGateway", TypeNATGateway, func(s *Subnet) string { return s.NATGateway }),
		many("IPConfigurations[]", "", func(s *Subnet) []string { return s.IPConfigurations }),
		many("PrivateEndpoints[]", TypePrivateEndpoint, func(s *Subnet) []string { return s.PrivateEndpoints }),
	},
	// A subnet needs a prefix inside its VNet's space (reference §1.1).
	check: func(b *Builder, sn *Subnet) bool {
		v := b.st.vnets.m[Key(sn.VNet)]
		if len(sn.Prefixes) == 0 {
			b.fail(sn.Meta, "Prefixes", "subnet has no address prefix")
			return false
		}
		space := cidr.SetOf(v.AddressSpace...)
		for i, p := range sn.Prefixes {
			if !space.ContainsPrefix(p) {
				b.fail(sn.Meta, fieldName("Prefixes[]", i, -1), "subnet prefix %s is outside the address space of VNet %s (%s)", p, v.Name, prefixList(v.AddressSpace))
				return false
			}
		}
		return true
	},
	checkAll: (*Builder).checkSubnetOverlaps,
	link: func(st *stores, sn *Subnet) {
		v := st.vnets.m[Key(sn.VNet)]
		v.Subnets = append(v.Subnets, sn.ID)
	},
}

var kPeering = kind[Peering]{
	TypeInfo: TypeInfo{Type: TypePeering, Parent: TypeVNet, Embedded: true, List: "az network vnet peering list -g {resourceGroup} --vnet-name {parent}"},
	what:     "peering",
	store:    func(s *stores) *store[Peering] { return &s.peerings },
	add: func(b *Builder, p *Peering) {
		if p.VNet == "" {
			p.VNet = Parent(p.ID)
		}
		add(b, &b.st.peerings, TypePeering, p)
	},
	parent:      func(p *Peering) string { return p.VNet },
	parentField: "VNet",
	refs: []ref[Peering]{
		one("RemoteVNet", TypeVNet, func(p *Peering) string { return p.RemoteVNet }),
	},
	checkAll: (*Builder).checkPeeredOverlaps,
	link: func(st *stores, p *Peering) {
		v := st.vnets.m[Key(p.VNet)]
		v.Peerings = append(v.Peerings, p.ID)
	},
}

var kRouteTable = kind[RouteTable]{
	TypeInfo: TypeInfo{Type: TypeRouteTable, List: "az network route-table list", Show: "az network route-table show -g {resourceGroup} -n {name}"},
	what:     "route table",
	store:    func(s *stores) *store[RouteTable] { return &s.rts },
	add: func(b *Builder, t *RouteTable) {
		routes := t.Routes
		t.Routes = nil
		add(b, &b.st.rts, TypeRouteTable, t)
		for _, r := range routes {
			if r.Table == "" {
				r.Table = t.ID
			}
			b.AddRoute(r)
		}
	},
}

var kRoute = kind[Route]{
	TypeInfo: TypeInfo{Type: TypeRoute, Parent: TypeRouteTable, Embedded: true, List: "az network route-table route list -g {resourceGroup} --route-table-name {parent}"},
	what:     "route",
	store:    func(s *stores) *store[Route] { return &s.routes },
	add: func(b *Builder, r *Route) {
		if r.Table == "" {
			r.Table = Parent(r.ID)
		}
		if r.ID == "" && r.Table != "" && r.Name != "" {
			r.ID = r.Table + "/routes/" + r.Name
		}
		add(b, &b.st.routes, TypeRoute, r)
	},
	parent:      func(r *Route) string { return r.Table },
	parentField: "Table",
	inParent:    true,
	// The next hop types a UDR may have (reference §1.4).
	check: func(b *Builder, r *Route) bool {
		switch {
		case !r.Prefix.IsValid() && r.Tag == "":
			b.fail(r.Meta, "AddressPrefix", "route has no address prefix")
		case !udrNextHop(string(r.NextHopType)):
			b.fail(r.Meta, "NextHopType", "next hop type %q is not allowed in a user-defined route (allowed: VirtualAppliance, VirtualNetworkGateway, VnetLocal, Internet, None)", r.NextHopType)
		case strings.EqualFold(string(r.NextHopType), string(NextHopVirtualAppliance)) && !r.NextHopIP.IsValid():
			b.fail(r.Meta, "NextHopIP", "route to VirtualAppliance has no next hop IP address")
		default:
			return true
		}
		return false
	},
	owner: func(st *stores, r *Route, find *parentFinder) *[]Route {
		return &st.rts.m[find.keyOf(r.Table)].Routes
	},
}

var kNSG = kind[NSG]{
	TypeInfo: TypeInfo{Type: TypeNSG, List: "az network nsg list", Show: "az network nsg show -g {resourceGroup} -n {name}"},
	what:     "network security group",
	store:    func(s *stores) *store[NSG] { return &s.nsgs },
	// Default rules are always those of reference §3.2, whatever the input
	// says.
	add: func(b *Builder, n *NSG) {
		rules := n.Rules
		n.Rules, n.DefaultRules = nil, nil
		add(b, &b.st.nsgs, TypeNSG, n)
		for _, r := range rules {
			if r.NSG == "" {
				r.NSG = n.ID
			}
			b.AddSecurityRule(r)
		}
	},
	done: func(st *stores, n *NSG) {
		if st.defaults == nil {
			st.defaults = newDefaultLists()
		}
		n.DefaultRules = st.defaults.rules(n.ID)
		// The rules were attached in this order (see kSecurityRule), and
		// the store points into the list: sorting again moves nothing.
	},
}

// bySecurityOrder orders the rules of an NSG by direction, then priority.
func bySecurityOrder(x, y *SecurityRule) int {
	if c := cmp.Compare(x.Direction, y.Direction); c != 0 {
		return c
	}
	return cmp.Compare(x.Priority, y.Priority)
}

var kSecurityRule = kind[SecurityRule]{
	TypeInfo: TypeInfo{Type: TypeSecurityRule, Parent: TypeNSG, Embedded: true, List: "az network nsg rule list -g {resourceGroup} --nsg-name {parent}"},
	what:     "security rule",
	store:    func(s *stores) *store[SecurityRule] { return &s.rules },
	add: func(b *Builder, r *SecurityRule) {
		if r.NSG == "" {
			r.NSG = Parent(r.ID)
		}
		if r.ID == "" && r.NSG != "" && r.Name != "" {
			r.ID = r.NSG + "/securityRules/" + r.Name
		}
		add(b, &b.st.rules, TypeSecurityRule, r)
	},
	parent:      func(r *SecurityRule) string { return r.NSG },
	parentField: "NSG",
	inParent:    true,
	refs: []ref[SecurityRule]{
		many("SourceASGs[]", TypeASG, func(r *SecurityRule) []string { return r.SourceASGs }),
		many("DestinationASGs[]", TypeASG, func(r *SecurityRule) []string { return r.DestinationASGs }),
	},
	owner: func(st *stores, r *SecurityRule, find *parentFinder) *[]SecurityRule {
		return &st.nsgs.m[find.keyOf(r.NSG)].Rules
	},
	within: bySecurityOrder,
}

var kASG = kind[ASG]{
	TypeInfo: TypeInfo{Type: TypeASG, List: "az network asg list", Show: "az network asg show -g {resourceGroup} -n {name}"},
	what:     "application security group",
	store:    func(s *stores) *store[ASG] { return &s.asgs },
}

var kNIC = kind[NIC]{
	TypeInfo: TypeInfo{Type: TypeNIC, List: "az network nic list", Show: "az network nic show -g {resourceGroup} -n {name}"},
	what:     "network interface",
	store:    func(s *stores) *store[NIC] { return &s.nics },
	add: func(b *Builder, n *NIC) {
		n.IPConfigs = slices.Clone(n.IPConfigs)
		for i := range n.IPConfigs {
			if n.IPConfigs[i].NIC == "" {
				n.IPConfigs[i].NIC = n.ID
			}
		}
		add(b, &b.st.nics, TypeNIC, n)
	},
	refs: []ref[NIC]{
		one("NSG", TypeNSG, func(n *NIC) string { return n.NSG }),
		{refInfo: refInfo{field: "IPConfigs[].Subnet", target: TypeSubnet}, each: ipConfigRefs(func(c *IPConfig) string { return c.Subnet })},
		{refInfo: refInfo{field: "IPConfigs[].PublicIP", target: TypePublicIP}, each: ipConfigRefs(func(c *IPConfig) string { return c.PublicIP })},
		{refInfo: refInfo{field: "IPConfigs[].ASGs[]", target: TypeASG}, each: func(n *NIC, emit func(string, int, int)) {
			for i, c := range n.IPConfigs {
				for j, a := range c.ASGs {
					if a != "" {
						emit(a, i, j)
					}
				}
			}
		}},
		one("PrivateEndpoint", TypePrivateEndpoint, func(n *NIC) string { return n.PrivateEndpoint }),
		{refInfo: refInfo{field: "IPConfigs[].LBPools[]"}, each: func(n *NIC, emit func(string, int, int)) {
			for i, c := range n.IPConfigs {
				for j, p := range c.LBPools {
					if p != "" {
						emit(p, i, j)
					}
				}
			}
		}},
	},
}

var kFirewall = kind[Firewall]{
	TypeInfo: TypeInfo{Type: TypeFirewall, List: "az network firewall list", Show: "az network firewall show -g {resourceGroup} -n {name}"},
	what:     "Azure Firewall",
	store:    func(s *stores) *store[Firewall] { return &s.fws },
	refs: []ref[Firewall]{
		one("Policy", TypeFirewallPolicy, func(f *Firewall) string { return f.Policy }),
		{refInfo: refInfo{field: "IPConfigs[].Subnet", target: TypeSubnet}, each: fwConfigRefs(func(f *Firewall) []FirewallIPConfig { return f.IPConfigs }, func(c *FirewallIPConfig) string { return c.Subnet })},
		{refInfo: refInfo{field: "IPConfigs[].PublicIP", target: TypePublicIP}, each: fwConfigRefs(func(f *Firewall) []FirewallIPConfig { return f.IPConfigs }, func(c *FirewallIPConfig) string { return c.PublicIP })},
		one("ManagementIPConfig.Subnet", TypeSubnet, func(f *Firewall) string {
			if f.ManagementIPConfig == nil {
				return ""
			}
			return f.ManagementIPConfig.Subnet
		}),
		one("ManagementIPConfig.PublicIP", TypePublicIP, func(f *Firewall) string {
			if f.ManagementIPConfig == nil {
				return ""
			}
			return f.ManagementIPConfig.PublicIP
		}),
		{refInfo: refInfo{field: "RuleCollections[].Rules[].SourceIPGroups", target: TypeIPGroup}, each: func(f *Firewall, emit func(string, int, int)) {
			ipGroupRefs(f.RuleCollections, true, emit)
		}},
		{refInfo: refInfo{field: "RuleCollections[].Rules[].DestinationIPGroups", target: TypeIPGroup}, each: func(f *Firewall, emit func(string, int, int)) {
			ipGroupRefs(f.RuleCollections, false, emit)
		}},
	},
}

var kFirewallPolicy = kind[FirewallPolicy]{
	TypeInfo: TypeInfo{Type: TypeFirewallPolicy, List: "az network firewall policy list", Show: "az network firewall policy show -g {resourceGroup} -n {name}"},
	what:     "firewall policy",
	store:    func(s *stores) *store[FirewallPolicy] { return &s.policies },
	add: func(b *Builder, p *FirewallPolicy) {
		groups := p.Groups
		p.Groups = nil
		p.RuleCollectionGroups = slices.Clone(p.RuleCollectionGroups)
		add(b, &b.st.policies, TypeFirewallPolicy, p)
		for _, g := range groups {
			if g.Policy == "" {
				g.Policy = p.ID
			}
			b.AddRuleCollectionGroup(g)
		}
	},
	refs: []ref[FirewallPolicy]{
		one("BasePolicy", TypeFirewallPolicy, func(p *FirewallPolicy) string { return p.BasePolicy }),
		many("RuleCollectionGroups[]", TypeRuleCollectionGroup, func(p *FirewallPolicy) []string { return p.RuleCollectionGroups }),
	},
	done: func(_ *stores, p *FirewallPolicy) {
		slices.SortStableFunc(p.Groups, func(x, y RuleCollectionGroup) int { return cmp.Compare(x.Priority, y.Priority) })
	},
}

var kRuleCollectionGroup = kind[RuleCollectionGroup]{
	TypeInfo: TypeInfo{Type: TypeRuleCollectionGroup, Parent: TypeFirewallPolicy, List: "az network firewall policy rule-collection-group list -g {resourceGroup} --policy-name {parent}"},
	what:     "rule collection group",
	store:    func(s *stores) *store[RuleCollectionGroup] { return &s.rcgs },
	add: func(b *Builder, g *RuleCollectionGroup) {
		if g.Policy == "" {
			g.Policy = Parent(g.ID)
		}
		add(b, &b.st.rcgs, TypeRuleCollectionGroup, g)
	},
	parent:      func(g *RuleCollectionGroup) string { return g.Policy },
	parentField: "Policy",
	inParent:    true,
	refs: []ref[RuleCollectionGroup]{
		{refInfo: refInfo{field: "Collections[].Rules[].SourceIPGroups", target: TypeIPGroup}, each: func(g *RuleCollectionGroup, emit func(string, int, int)) {
			ipGroupRefs(g.Collections, true, emit)
		}},
		{refInfo: refInfo{field: "Collections[].Rules[].DestinationIPGroups", target: TypeIPGroup}, each: func(g *RuleCollectionGroup, emit func(string, int, int)) {
			ipGroupRefs(g.Collections, false, emit)
		}},
	},
	link: func(st *stores, g *RuleCollectionGroup) {
		p := st.policies.m[Key(g.Policy)]
		p.Groups = append(p.Groups, *g)
	},
}

var kIPGroup = kind[IPGroup]{
	TypeInfo: TypeInfo{Type: TypeIPGroup, List: "az network ip-group list", Show: "az network ip-group show -g {resourceGroup} -n {name}"},
	what:     "IP group",
	store:    func(s *stores) *store[IPGroup] { return &s.ipgroups },
}

var kGateway = kind[Gateway]{
	TypeInfo: TypeInfo{Type: TypeGateway, List: "az network vnet-gateway list -g {resourceGroup}", Show: "az network vnet-gateway show -g {resourceGroup} -n {name}"},
	what:     "virtual network gateway",
	store:    func(s *stores) *store[Gateway] { return &s.gws },
	// The gateway's VNet is the one of the subnet of its first IP
	// configuration.
	add: func(b *Builder, g *Gateway) {
		if g.VNet == "" {
			for _, c := range g.IPConfigs {
				if c.Subnet != "" {
					g.VNet = Parent(c.Subnet)
					break
				}
			}
		}
		add(b, &b.st.gws, TypeGateway, g)
	},
	refs: []ref[Gateway]{
		{refInfo: refInfo{field: "IPConfigs[].Subnet", target: TypeSubnet}, each: fwConfigRefs(func(g *Gateway) []FirewallIPConfig { return g.IPConfigs }, func(c *FirewallIPConfig) string { return c.Subnet })},
		{refInfo: refInfo{field: "IPConfigs[].PublicIP", target: TypePublicIP}, each: fwConfigRefs(func(g *Gateway) []FirewallIPConfig { return g.IPConfigs }, func(c *FirewallIPConfig) string { return c.PublicIP })},
	},
}

var kLocalGateway = kind[LocalGateway]{
	TypeInfo: TypeInfo{Type: TypeLocalGateway, List: "az network local-gateway list -g {resourceGroup}", Show: "az network local-gateway show -g {resourceGroup} -n {name}"},
	what:     "local network gateway",
	store:    func(s *stores) *store[LocalGateway] { return &s.lgws },
}

var kConnection = kind[Connection]{
	TypeInfo: TypeInfo{Type: TypeConnection, List: "az network vpn-connection list -g {resourceGroup}", Show: "az network vpn-connection show -g {resourceGroup} -n {name}"},
	what:     "connection",
	store:    func(s *stores) *store[Connection] { return &s.conns },
	refs: []ref[Connection]{
		one("Gateway1", TypeGateway, func(c *Connection) string { return c.Gateway1 }),
		one("Gateway2", TypeGateway, func(c *Connection) string { return c.Gateway2 }),
		one("LocalGateway2", TypeLocalGateway, func(c *Connection) string { return c.LocalGateway2 }),
	},
}

var kNATGateway = kind[NATGateway]{
	TypeInfo: TypeInfo{Type: TypeNATGateway, List: "az network nat gateway list", Show: "az network nat gateway show -g {resourceGroup} -n {name}"},
	what:     "NAT gateway",
	store:    func(s *stores) *store[NATGateway] { return &s.nats },
	refs: []ref[NATGateway]{
		many("PublicIPs[]", TypePublicIP, func(n *NATGateway) []string { return n.PublicIPs }),
		many("PublicIPPrefixes[]", TypePublicIPPrefix, func(n *NATGateway) []string { return n.PublicIPPrefixes }),
		many("Subnets[]", TypeSubnet, func(n *NATGateway) []string { return n.Subnets }),
	},
	// A NAT gateway lists the subnets it serves; the subnet's own setting
	// is what Azure uses.
	check: func(b *Builder, n *NATGateway) bool {
		for i, sn := range n.Subnets {
			if s, ok := b.st.subnets.get(Key(sn)); ok && !SameID(s.NATGateway, n.ID) {
				b.warn(n.Meta, fieldName("Subnets[]", i, -1), "the NAT gateway lists subnet %s, but the subnet does not name it as its NAT gateway; the subnet's own setting is used", sn)
			}
		}
		return true
	},
}

var kPublicIP = kind[PublicIP]{
	TypeInfo: TypeInfo{Type: TypePublicIP, List: "az network public-ip list", Show: "az network public-ip show -g {resourceGroup} -n {name}"},
	what:     "public IP address",
	store:    func(s *stores) *store[PublicIP] { return &s.pips },
	refs: []ref[PublicIP]{
		one("IPConfiguration", "", func(p *PublicIP) string { return p.IPConfiguration }),
	},
}

var kPublicIPPrefix = kind[PublicIPPrefix]{
	TypeInfo: TypeInfo{Type: TypePublicIPPrefix, List: "az network public-ip prefix list", Show: "az network public-ip prefix show -g {resourceGroup} -n {name}"},
	what:     "public IP prefix",
	store:    func(s *stores) *store[PublicIPPrefix] { return &s.prefixes },
}

var kPrivateEndpoint = kind[PrivateEndpoint]{
	TypeInfo: TypeInfo{Type: TypePrivateEndpoint, List: "az network private-endpoint list", Show: "az network private-endpoint show -g {resourceGroup} -n {name}"},
	what:     "private endpoint",
	store:    func(s *stores) *store[PrivateEndpoint] { return &s.pes },
	refs: []ref[PrivateEndpoint]{
		one("Subnet", TypeSubnet, func(p *PrivateEndpoint) string { return p.Subnet }),
		many("NICs[]", TypeNIC, func(p *PrivateEndpoint) []string { return p.NICs }),
		{refInfo: refInfo{field: "Connections[].Target"}, each: func(p *PrivateEndpoint, emit func(string, int, int)) {
			for i, c := range p.Connections {
				if c.Target != "" {
					emit(c.Target, i, -1)
				}
			}
		}},
	},
}

var kPrivateZone = kind[PrivateZone]{
	TypeInfo: TypeInfo{Type: TypePrivateZone, List: "az network private-dns zone list", Show: "az network private-dns zone show -g {resourceGroup} -n {name}"},
	what:     "private DNS zone",
	store:    func(s *stores) *store[PrivateZone] { return &s.zones },
	// The zone name is kept lower-case without a trailing dot.
	add: func(b *Builder, z *PrivateZone) {
		records, links := z.Records, z.Links
		z.Records, z.Links = nil, nil
		z.Name = normName(z.Name)
		z.RecordSetsHeld = 0
		add(b, &b.st.zones, TypePrivateZone, z)
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
	},
	done: func(_ *stores, z *PrivateZone) {
		slices.SortFunc(z.Records, func(x, y DNSRecord) int { return cmp.Compare(Key(x.ID), Key(y.ID)) })
	},
}

// recordKind is the kind of one record type of a private zone.
func recordKind(typ string, st func(*stores) *store[DNSRecord]) kind[DNSRecord] {
	return kind[DNSRecord]{
		TypeInfo: TypeInfo{Type: typ, Parent: TypePrivateZone, List: "az network private-dns record-set list -g {resourceGroup} -z {parent}"},
		what:     "record set",
		store:    st,
		// The record type is the kind's; the CNAME target is kept
		// lower-case without a trailing dot.
		add: func(b *Builder, r *DNSRecord) {
			if r.Zone == "" {
				r.Zone = Parent(r.ID)
			}
			r.Type = typ[strings.LastIndex(typ, "/")+1:]
			r.CNAME = normName(r.CNAME)
			r.Addrs = slices.Clone(r.Addrs)
			r.PTRs = slices.Clone(r.PTRs)
			for i, n := range r.PTRs {
				r.PTRs[i] = normName(n)
			}
			add(b, st(&b.st), typ, r)
		},
		parent:      func(r *DNSRecord) string { return r.Zone },
		parentField: "Zone",
		inParent:    true,
		link: func(s *stores, r *DNSRecord) {
			z := s.zones.m[Key(r.Zone)]
			z.Records = append(z.Records, *r)
		},
	}
}

var (
	kRecordA     = recordKind(TypeDNSRecordA, func(s *stores) *store[DNSRecord] { return &s.recA })
	kRecordAAAA  = recordKind(TypeDNSRecordAAAA, func(s *stores) *store[DNSRecord] { return &s.recAAAA })
	kRecordCNAME = recordKind(TypeDNSRecordCNAME, func(s *stores) *store[DNSRecord] { return &s.recCNAME })
	kRecordPTR   = recordKind(TypeDNSRecordPTR, func(s *stores) *store[DNSRecord] { return &s.recPTR })
)

var kZoneLink = kind[ZoneLink]{
	TypeInfo: TypeInfo{Type: TypeZoneLink, Parent: TypePrivateZone, List: "az network private-dns link vnet list -g {resourceGroup} -z {parent}"},
	what:     "virtual network link",
	store:    func(s *stores) *store[ZoneLink] { return &s.zlinks },
	add: func(b *Builder, l *ZoneLink) {
		if l.Zone == "" {
			l.Zone = Parent(l.ID)
		}
		add(b, &b.st.zlinks, TypeZoneLink, l)
	},
	parent:      func(l *ZoneLink) string { return l.Zone },
	parentField: "Zone",
	inParent:    true,
	refs: []ref[ZoneLink]{
		one("VNet", TypeVNet, func(l *ZoneLink) string { return l.VNet }),
	},
	link: func(st *stores, l *ZoneLink) {
		z := st.zones.m[Key(l.Zone)]
		z.Links = append(z.Links, *l)
	},
}

var kDNSResolver = kind[DNSResolver]{
	TypeInfo: TypeInfo{Type: TypeDNSResolver, List: "az dns-resolver list", Show: "az dns-resolver show -g {resourceGroup} -n {name}"},
	what:     "DNS resolver",
	store:    func(s *stores) *store[DNSResolver] { return &s.resolvers },
	add: func(b *Builder, r *DNSResolver) {
		in, out := r.Inbound, r.Outbound
		r.Inbound, r.Outbound = nil, nil
		add(b, &b.st.resolvers, TypeDNSResolver, r)
		for _, e := range in {
			b.AddResolverEndpoint(e, true)
		}
		for _, e := range out {
			b.AddResolverEndpoint(e, false)
		}
	},
	refs: []ref[DNSResolver]{
		one("VNet", TypeVNet, func(r *DNSResolver) string { return r.VNet }),
	},
}

// endpointKind is the kind of the inbound or outbound endpoints of DNS
// resolvers.
func endpointKind(typ, list string, st func(*stores) *store[ResolverEndpoint], inbound bool) kind[ResolverEndpoint] {
	return kind[ResolverEndpoint]{
		TypeInfo: TypeInfo{Type: typ, Parent: TypeDNSResolver, List: list},
		what:     "resolver endpoint",
		store:    st,
		add: func(b *Builder, e *ResolverEndpoint) {
			if e.Resolver == "" {
				e.Resolver = Parent(e.ID)
			}
			e.IPs = slices.Clone(e.IPs)
			add(b, st(&b.st), typ, e)
		},
		parent:      func(e *ResolverEndpoint) string { return e.Resolver },
		parentField: "Resolver",
		inParent:    true,
		refs: []ref[ResolverEndpoint]{
			one("Subnet", TypeSubnet, func(e *ResolverEndpoint) string { return e.Subnet }),
		},
		link: func(s *stores, e *ResolverEndpoint) {
			r := s.resolvers.m[Key(e.Resolver)]
			if inbound {
				r.Inbound = append(r.Inbound, *e)
			} else {
				r.Outbound = append(r.Outbound, *e)
			}
		},
	}
}

var (
	kInbound = endpointKind(TypeInboundEndpoint, "az dns-resolver inbound-endpoint list -g {resourceGroup} --dns-resolver-name {parent}",
		func(s *stores) *store[ResolverEndpoint] { return &s.inbound }, true)
	kOutbound = endpointKind(TypeOutboundEndpoint, "az dns-resolver outbound-endpoint list -g {resourceGroup} --dns-resolver-name {parent}",
		func(s *stores) *store[ResolverEndpoint] { return &s.outbound }, false)
)

var kRuleset = kind[Ruleset]{
	TypeInfo: TypeInfo{Type: TypeRuleset, List: "az dns-resolver forwarding-ruleset list", Show: "az dns-resolver forwarding-ruleset show -g {resourceGroup} -n {name}"},
	what:     "DNS forwarding ruleset",
	store:    func(s *stores) *store[Ruleset] { return &s.rulesets },
	add: func(b *Builder, r *Ruleset) {
		rules, links := r.Rules, r.Links
		r.Rules, r.Links = nil, nil
		r.OutboundEndpoints = slices.Clone(r.OutboundEndpoints)
		add(b, &b.st.rulesets, TypeRuleset, r)
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
	},
	refs: []ref[Ruleset]{
		many("OutboundEndpoints[]", TypeOutboundEndpoint, func(r *Ruleset) []string { return r.OutboundEndpoints }),
	},
}

var kForwardingRule = kind[ForwardingRule]{
	TypeInfo: TypeInfo{Type: TypeForwardingRule, Parent: TypeRuleset, List: "az dns-resolver forwarding-rule list -g {resourceGroup} --ruleset-name {parent}"},
	what:     "forwarding rule",
	store:    func(s *stores) *store[ForwardingRule] { return &s.fwdrules },
	// The domain is kept lower-case and dot-terminated.
	add: func(b *Builder, r *ForwardingRule) {
		if r.Ruleset == "" {
			r.Ruleset = Parent(r.ID)
		}
		r.Domain = normName(r.Domain) + "."
		if r.Domain == "." || r.Domain == ".." {
			r.Domain = "."
		}
		add(b, &b.st.fwdrules, TypeForwardingRule, r)
	},
	parent:      func(r *ForwardingRule) string { return r.Ruleset },
	parentField: "Ruleset",
	inParent:    true,
	link: func(st *stores, x *ForwardingRule) {
		r := st.rulesets.m[Key(x.Ruleset)]
		r.Rules = append(r.Rules, *x)
	},
}

var kRulesetLink = kind[RulesetLink]{
	TypeInfo: TypeInfo{Type: TypeRulesetLink, Parent: TypeRuleset, List: "az dns-resolver vnet-link list -g {resourceGroup} --ruleset-name {parent}"},
	what:     "ruleset virtual network link",
	store:    func(s *stores) *store[RulesetLink] { return &s.rslinks },
	add: func(b *Builder, l *RulesetLink) {
		if l.Ruleset == "" {
			l.Ruleset = Parent(l.ID)
		}
		add(b, &b.st.rslinks, TypeRulesetLink, l)
	},
	parent:      func(l *RulesetLink) string { return l.Ruleset },
	parentField: "Ruleset",
	inParent:    true,
	refs: []ref[RulesetLink]{
		one("VNet", TypeVNet, func(l *RulesetLink) string { return l.VNet }),
	},
	link: func(st *stores, l *RulesetLink) {
		r := st.rulesets.m[Key(l.Ruleset)]
		r.Links = append(r.Links, *l)
	},
}

var kWorkspace = kind[Workspace]{
	TypeInfo: TypeInfo{Type: TypeWorkspace,
		List: "az rest --method get --url https://management.azure.com/subscriptions/{subscription}/providers/Microsoft.MachineLearningServices/workspaces?api-version=2024-10-01",
		Show: "az resource show --ids {id}"},
	what:  "Azure Machine Learning workspace",
	store: func(s *stores) *store[Workspace] { return &s.workspace },
	add: func(b *Builder, w *Workspace) {
		w.PrivateEndpoints = slices.Clone(w.PrivateEndpoints)
		w.OutboundRules = slices.Clone(w.OutboundRules)
		add(b, &b.st.workspace, TypeWorkspace, w)
	},
	refs: []ref[Workspace]{
		many("PrivateEndpoints[]", TypePrivateEndpoint, func(w *Workspace) []string { return w.PrivateEndpoints }),
	},
}

var kLoadBalancer = kind[LoadBalancer]{
	TypeInfo: TypeInfo{Type: TypeLoadBalancer, List: "az network lb list", Show: "az network lb show -g {resourceGroup} -n {name}"},
	what:     "load balancer",
	store:    func(s *stores) *store[LoadBalancer] { return &s.lbs },
	add: func(b *Builder, lb *LoadBalancer) {
		lb.Frontends = slices.Clone(lb.Frontends)
		lb.Pools = slices.Clone(lb.Pools)
		lb.Rules = slices.Clone(lb.Rules)
		lb.OutboundRules = slices.Clone(lb.OutboundRules)
		add(b, &b.st.lbs, TypeLoadBalancer, lb)
	},
	refs: []ref[LoadBalancer]{
		{refInfo: refInfo{field: "Frontends[].Subnet", target: TypeSubnet}, each: func(lb *LoadBalancer, emit func(string, int, int)) {
			for i, f := range lb.Frontends {
				if f.Subnet != "" {
					emit(f.Subnet, i, -1)
				}
			}
		}},
		{refInfo: refInfo{field: "Frontends[].PublicIP", target: TypePublicIP}, each: func(lb *LoadBalancer, emit func(string, int, int)) {
			for i, f := range lb.Frontends {
				if f.PublicIP != "" {
					emit(f.PublicIP, i, -1)
				}
			}
		}},
		{refInfo: refInfo{field: "Frontends[].PublicIPPrefix", target: TypePublicIPPrefix}, each: func(lb *LoadBalancer, emit func(string, int, int)) {
			for i, f := range lb.Frontends {
				if f.PublicIPPrefix != "" {
					emit(f.PublicIPPrefix, i, -1)
				}
			}
		}},
		{refInfo: refInfo{field: "Pools[].IPConfigs[]"}, each: func(lb *LoadBalancer, emit func(string, int, int)) {
			for i, p := range lb.Pools {
				for j, c := range p.IPConfigs {
					if c != "" {
						emit(c, i, j)
					}
				}
			}
		}},
		{refInfo: refInfo{field: "Pools[].Addresses[].VNet", target: TypeVNet}, each: func(lb *LoadBalancer, emit func(string, int, int)) {
			for i, p := range lb.Pools {
				for j, a := range p.Addresses {
					if a.VNet != "" {
						emit(a.VNet, i, j)
					}
				}
			}
		}},
	},
}

var kNetworkManager = kind[NetworkManager]{
	TypeInfo: TypeInfo{Type: TypeNetworkManager, List: "az network manager list", Show: "az network manager show -g {resourceGroup} -n {name}"},
	what:     "network manager",
	store:    func(s *stores) *store[NetworkManager] { return &s.managers },
}

var kSecurityAdminConfig = kind[SecurityAdminConfiguration]{
	TypeInfo: TypeInfo{Type: TypeSecurityAdminConfig, Parent: TypeNetworkManager,
		List: "az network manager security-admin-config list -g {resourceGroup} --network-manager-name {parent}"},
	what:  "security admin configuration",
	store: func(s *stores) *store[SecurityAdminConfiguration] { return &s.admincfgs },
	add: func(b *Builder, c *SecurityAdminConfiguration) {
		if c.Manager == "" {
			c.Manager = Parent(c.ID)
		}
		add(b, &b.st.admincfgs, TypeSecurityAdminConfig, c)
	},
	parent:      func(c *SecurityAdminConfiguration) string { return c.Manager },
	parentField: "Manager",
}

var kAdminRuleCollection = kind[AdminRuleCollection]{
	TypeInfo: TypeInfo{Type: TypeAdminRuleCollection, Parent: TypeSecurityAdminConfig,
		List: "az network manager security-admin-config rule-collection list -g {resourceGroup} --network-manager-name {grandparent} --configuration-name {parent}"},
	what:  "admin rule collection",
	store: func(s *stores) *store[AdminRuleCollection] { return &s.admincols },
	add: func(b *Builder, c *AdminRuleCollection) {
		if c.Configuration == "" {
			c.Configuration = Parent(c.ID)
		}
		c.NetworkGroups = slices.Clone(c.NetworkGroups)
		add(b, &b.st.admincols, TypeAdminRuleCollection, c)
	},
	parent:      func(c *AdminRuleCollection) string { return c.Configuration },
	parentField: "Configuration",
}

var kVirtualWAN = kind[VirtualWAN]{
	TypeInfo: TypeInfo{Type: TypeVirtualWAN, List: "az network vwan list", Show: "az network vwan show -g {resourceGroup} -n {name}"},
	what:     "Virtual WAN",
	store:    func(s *stores) *store[VirtualWAN] { return &s.wans },
}

var kVirtualHub = kind[VirtualHub]{
	TypeInfo: TypeInfo{Type: TypeVirtualHub, List: "az network vhub list", Show: "az network vhub show -g {resourceGroup} -n {name}"},
	what:     "virtual hub",
	store:    func(s *stores) *store[VirtualHub] { return &s.hubs },
	refs: []ref[VirtualHub]{
		one("VirtualWAN", TypeVirtualWAN, func(h *VirtualHub) string { return h.VirtualWAN }),
	},
}

func init() {
	kindsByType = make(map[string]kindAPI, len(kinds))
	kindsBySpelling = make(map[string]kindAPI, len(kinds))
	for _, k := range kinds {
		kindsByType[strings.ToLower(k.info().Type)] = k
		kindsBySpelling[k.info().Type] = k
	}
	// Fill TypeInfo.Refs from the kinds' reference lists, and resolve their
	// targets.
	for _, k := range kinds {
		k.(interface{ fillRefs() }).fillRefs()
	}
}

func (k *kind[T]) fillRefs() {
	k.Refs = make([]RefInfo, len(k.refs))
	for i := range k.refs {
		r := &k.refs[i]
		k.Refs[i] = RefInfo{Field: r.field, Target: r.target}
		if r.target != "" {
			r.kind = kindOf(r.target)
		}
	}
}

// checkSubnetOverlaps warns about subnets of one VNet whose prefixes
// overlap, which Azure refuses.
func (b *Builder) checkSubnetOverlaps() {
	type prefixOf struct {
		p   netip.Prefix
		key string
		sn  *Subnet
	}
	byVNet := map[string][]prefixOf{}
	for _, e := range b.st.subnets.entries {
		v := Key(e.v.VNet)
		for _, p := range e.v.Prefixes {
			byVNet[v] = append(byVNet[v], prefixOf{p, e.key, e.v})
		}
	}
	for _, e := range b.st.subnets.entries {
		k, sn := e.key, e.v
		others := byVNet[Key(sn.VNet)]
		for i, p := range sn.Prefixes {
			for _, o := range others {
				if o.key < k && o.p.Overlaps(p) {
					b.warn(sn.Meta, fieldName("Prefixes[]", i, -1), "subnet prefix %s overlaps %s of subnet %s in the same VNet; Azure refuses overlapping subnets", p, o.p, o.sn.Name)
				}
			}
		}
	}
}

// checkPeeredOverlaps warns about peered VNets whose spaces overlap
// (reference §2.6): one finding per pair, on the first half read.
func (b *Builder) checkPeeredOverlaps() {
	reported := map[[2]string]bool{}
	for _, e := range b.st.peerings.entries {
		p := e.v
		l, ok1 := b.st.vnets.get(Key(p.VNet))
		r, ok2 := b.st.vnets.get(Key(p.RemoteVNet))
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
}

func udrNextHop(t string) bool {
	nh, err := ParseNextHopType(t)
	return err == nil && nh.AllowedInUDR()
}
