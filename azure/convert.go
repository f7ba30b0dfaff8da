package azure

import (
	"net/netip"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/privatedns/armprivatedns"
	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/topology"
)

// handler converts one resource type: the model type it decodes into, the
// conversion to topology values and where the model's fields are in ARM
// JSON.
type handler struct {
	typ     string // the type as Azure spells it
	model   reflect.Type
	plan    *plan // set by initHandlers
	convert func(c *rctx, v any)
	// fields maps the model fields the Builder names in findings and
	// references (topology.RefInfo.Field, "[]" for an index) to JSON paths
	// relative to the resource, with "[]" filled by the same indexes in
	// order.
	fields fieldPaths
}

// fieldPaths maps model field identifiers to ARM JSON paths.
type fieldPaths map[string]string

// typeDefaultSecurityRule is the type of an NSG's default rules listed on
// their own (`az network nsg rule list --include-default`).
const typeDefaultSecurityRule = "Microsoft.Network/networkSecurityGroups/defaultSecurityRules"

var (
	handlers     = map[string]*handler{} // lower-case type -> handler
	handlersOnce sync.Once
)

// register adds the converter of the ARM type typ, which must be one of
// topology.Types() (TestHandlersCoverTypes checks both ways).
func register[T any](typ string, conv func(*rctx, *T), fields fieldPaths) {
	handlers[strings.ToLower(typ)] = &handler{
		typ:     typ,
		model:   reflect.TypeFor[T](),
		convert: func(c *rctx, v any) { conv(c, v.(*T)) },
		fields:  fields,
	}
}

// Paths of the IP configurations of NICs, firewalls and gateways.
const (
	ipcSubnet   = ".properties.ipConfigurations[].properties.subnet.id"
	ipcPublicIP = ".properties.ipConfigurations[].properties.publicIPAddress.id"
)

func init() {
	register(topology.TypeVNet, convertVNet, nil)
	register(topology.TypeSubnet, func(c *rctx, v *armnetwork.Subnet) { convertSubnet(c, v) }, fieldPaths{
		"Prefixes":           ".properties.addressPrefix",
		"Prefixes[]":         ".properties.addressPrefix",
		"RouteTable":         ".properties.routeTable.id",
		"NSG":                ".properties.networkSecurityGroup.id",
		"NATGateway":         ".properties.natGateway.id",
		"IPConfigurations[]": ".properties.ipConfigurations[].id",
		"PrivateEndpoints[]": ".properties.privateEndpoints[].id",
	})
	register(topology.TypePeering, func(c *rctx, v *armnetwork.VirtualNetworkPeering) { convertPeering(c, v) }, fieldPaths{
		"RemoteVNet": ".properties.remoteVirtualNetwork.id",
	})
	register(topology.TypeRouteTable, convertRouteTable, nil)
	register(topology.TypeRoute, func(c *rctx, v *armnetwork.Route) { convertRoute(c, v) }, fieldPaths{
		"AddressPrefix": ".properties.addressPrefix",
		"NextHopType":   ".properties.nextHopType",
		"NextHopIP":     ".properties.nextHopIpAddress",
	})
	register(topology.TypeNSG, convertNSG, nil)
	register(topology.TypeSecurityRule, func(c *rctx, v *armnetwork.SecurityRule) { convertSecurityRule(c, v) }, fieldPaths{
		"SourceASGs[]":      ".properties.sourceApplicationSecurityGroups[].id",
		"DestinationASGs[]": ".properties.destinationApplicationSecurityGroups[].id",
	})
	register(topology.TypeASG, convertASG, nil)
	register(topology.TypeNIC, convertNIC, fieldPaths{
		"NSG":                   ".properties.networkSecurityGroup.id",
		"IPConfigs[].Subnet":    ipcSubnet,
		"IPConfigs[].PublicIP":  ipcPublicIP,
		"IPConfigs[].ASGs[]":    ".properties.ipConfigurations[].properties.applicationSecurityGroups[].id",
		"IPConfigs[].LBPools[]": ".properties.ipConfigurations[].properties.loadBalancerBackendAddressPools[].id",
		"PrivateEndpoint":       ".properties.privateEndpoint.id",
	})
	// Classic rule collections come from three lists: their indexes do not
	// map to one JSON path, so rule fields are left to the message.
	register(topology.TypeFirewall, convertFirewall, fieldPaths{
		"Policy":                                        ".properties.firewallPolicy.id",
		"IPConfigs[].Subnet":                            ipcSubnet,
		"IPConfigs[].PublicIP":                          ipcPublicIP,
		"ManagementIPConfig.Subnet":                     ".properties.managementIpConfiguration.properties.subnet.id",
		"ManagementIPConfig.PublicIP":                   ".properties.managementIpConfiguration.properties.publicIPAddress.id",
		"RuleCollections[].Rules[].SourceIPGroups":      "",
		"RuleCollections[].Rules[].DestinationIPGroups": "",
	})
	register(topology.TypeFirewallPolicy, convertFirewallPolicy, fieldPaths{
		"BasePolicy":             ".properties.basePolicy.id",
		"RuleCollectionGroups[]": ".properties.ruleCollectionGroups[].id",
	})
	register(topology.TypeRuleCollectionGroup, convertRuleCollectionGroup, fieldPaths{
		"Collections[].Rules[].SourceIPGroups":      ".properties.ruleCollections[].rules[].sourceIpGroups",
		"Collections[].Rules[].DestinationIPGroups": ".properties.ruleCollections[].rules[].destinationIpGroups",
	})
	register(topology.TypeIPGroup, convertIPGroup, nil)
	register(topology.TypeGateway, convertGateway, fieldPaths{
		"IPConfigs[].Subnet":   ipcSubnet,
		"IPConfigs[].PublicIP": ipcPublicIP,
	})
	register(topology.TypeLocalGateway, convertLocalGateway, nil)
	register(topology.TypeConnection, convertConnection, fieldPaths{
		"Gateway1":      ".properties.virtualNetworkGateway1.id",
		"Gateway2":      ".properties.virtualNetworkGateway2.id",
		"LocalGateway2": ".properties.localNetworkGateway2.id",
	})
	register(topology.TypeNATGateway, convertNATGateway, fieldPaths{
		"PublicIPs[]":        ".properties.publicIpAddresses[].id",
		"PublicIPPrefixes[]": ".properties.publicIpPrefixes[].id",
		"Subnets[]":          ".properties.subnets[].id",
	})
	register(topology.TypePublicIP, convertPublicIP, fieldPaths{
		"IPConfiguration": ".properties.ipConfiguration.id",
	})
	register(topology.TypePublicIPPrefix, convertPublicIPPrefix, nil)
	register(topology.TypePrivateEndpoint, convertPrivateEndpoint, fieldPaths{
		"Subnet":               ".properties.subnet.id",
		"NICs[]":               ".properties.networkInterfaces[].id",
		"Connections[].Target": ".properties.privateLinkServiceConnections[].properties.privateLinkServiceId",
	})
	register(topology.TypePrivateZone, convertPrivateZone, nil)
	for _, t := range []string{topology.TypeDNSRecordA, topology.TypeDNSRecordAAAA, topology.TypeDNSRecordCNAME, topology.TypeDNSRecordPTR} {
		register(t, convertRecord, fieldPaths{"Type": ".type"})
	}
	register(topology.TypeZoneLink, convertZoneLink, fieldPaths{"VNet": ".properties.virtualNetwork.id"})
	register(topology.TypeDNSResolver, convertResolver, fieldPaths{"VNet": ".properties.virtualNetwork.id"})
	register(topology.TypeInboundEndpoint, convertInbound, fieldPaths{"Subnet": ".properties.ipConfigurations[0].subnet.id"})
	register(topology.TypeOutboundEndpoint, convertOutbound, fieldPaths{"Subnet": ".properties.subnet.id"})
	register(topology.TypeRuleset, convertRuleset, fieldPaths{
		"OutboundEndpoints[]": ".properties.dnsResolverOutboundEndpoints[].id",
	})
	register(topology.TypeForwardingRule, convertForwardingRule, nil)
	register(topology.TypeRulesetLink, convertRulesetLink, fieldPaths{"VNet": ".properties.virtualNetwork.id"})
	register(topology.TypeWorkspace, convertWorkspace, fieldPaths{
		"PrivateEndpoints[]": ".properties.privateEndpointConnections[].properties.privateEndpoint.id",
	})
	register(topology.TypeLoadBalancer, convertLoadBalancer, fieldPaths{
		"Frontends[].Subnet":         ".properties.frontendIPConfigurations[].properties.subnet.id",
		"Frontends[].PublicIP":       ".properties.frontendIPConfigurations[].properties.publicIPAddress.id",
		"Frontends[].PublicIPPrefix": ".properties.frontendIPConfigurations[].properties.publicIPPrefix.id",
		"Pools[].IPConfigs[]":        ".properties.backendAddressPools[].properties.backendIPConfigurations[].id",
		"Pools[].Addresses[].VNet":   ".properties.backendAddressPools[].properties.loadBalancerBackendAddresses[].properties.virtualNetwork.id",
	})
	register(topology.TypeNetworkManager, convertNetworkManager, nil)
	register(topology.TypeSecurityAdminConfig, convertSecurityAdminConfig, nil)
	register(topology.TypeAdminRuleCollection, convertAdminRuleCollection, nil)
	register(topology.TypeVirtualHub, convertVirtualHub, fieldPaths{"VirtualWAN": ".properties.virtualWan.id"})
	register(topology.TypeVirtualWAN, convertVirtualWAN, nil)
}

// initHandlers builds the decoding plans of every model type once.
func initHandlers() {
	handlersOnce.Do(func() {
		for _, h := range handlers {
			h.plan = planFor(h.model)
		}
	})
}

// childID returns the ID of an embedded child: its own, or one made from
// the parent's ID, the child type segment and its name.
func childID(id *string, parent, segment string, name *string) string {
	if s := strings.TrimSpace(str(id)); s != "" {
		return s
	}
	if str(name) == "" || parent == "" {
		return ""
	}
	return parent + "/" + segment + "/" + str(name)
}

// --- virtual networks ---

func convertVNet(c *rctx, v *armnetwork.VirtualNetwork) {
	p := deref(v.Properties)
	vn := topology.VNet{
		Meta:     c.meta(str(v.Name)),
		Location: str(v.Location),
	}
	if p.AddressSpace != nil {
		vn.AddressSpace = c.prefixes(p.AddressSpace.AddressPrefixes, ".properties.addressSpace.addressPrefixes")
	}
	if p.DhcpOptions != nil {
		vn.DNSServers = c.addrs(p.DhcpOptions.DNSServers, ".properties.dhcpOptions.dnsServers")
	}
	c.add(topology.TypeVNet, vn)
	for i, s := range p.Subnets {
		if s == nil {
			continue
		}
		path := idx(c.path+".properties.subnets", i)
		convertSubnet(c.child(path, childID(s.ID, c.id, "subnets", s.Name)), s)
	}
	for i, pr := range p.VirtualNetworkPeerings {
		if pr == nil {
			continue
		}
		path := idx(c.path+".properties.virtualNetworkPeerings", i)
		convertPeering(c.child(path, childID(pr.ID, c.id, "virtualNetworkPeerings", pr.Name)), pr)
	}
}

func convertSubnet(c *rctx, s *armnetwork.Subnet) {
	p := deref(s.Properties)
	sn := topology.Subnet{Meta: c.meta(str(s.Name))}
	if a := strings.TrimSpace(str(p.AddressPrefix)); a != "" {
		if x, ok := c.prefix(a, ".properties.addressPrefix"); ok {
			sn.Prefixes = append(sn.Prefixes, x)
		}
	}
	for _, x := range c.prefixes(p.AddressPrefixes, ".properties.addressPrefixes") {
		if !slices.Contains(sn.Prefixes, x) {
			sn.Prefixes = append(sn.Prefixes, x)
		}
	}
	if p.RouteTable != nil {
		sn.RouteTable = str(p.RouteTable.ID)
	}
	if p.NetworkSecurityGroup != nil {
		sn.NSG = str(p.NetworkSecurityGroup.ID)
	}
	if p.NatGateway != nil {
		sn.NATGateway = str(p.NatGateway.ID)
	}
	sn.PrivateEndpointNetworkPolicies = enum(c, p.PrivateEndpointNetworkPolicies, ".properties.privateEndpointNetworkPolicies", armnetwork.PossibleVirtualNetworkPrivateEndpointNetworkPoliciesValues())
	if p.DefaultOutboundAccess != nil {
		b := *p.DefaultOutboundAccess
		sn.DefaultOutboundAccess = &b
	}
	for _, d := range p.Delegations {
		if d != nil && d.Properties != nil && str(d.Properties.ServiceName) != "" {
			sn.Delegations = append(sn.Delegations, str(d.Properties.ServiceName))
		}
	}
	for _, e := range p.ServiceEndpoints {
		if e != nil && str(e.Service) != "" {
			sn.ServiceEndpoints = append(sn.ServiceEndpoints, topology.ServiceEndpoint{Service: str(e.Service), Locations: strs(e.Locations)})
		}
	}
	sn.IPConfigurations = ids(p.IPConfigurations, func(r *armnetwork.IPConfiguration) *string { return r.ID })
	sn.PrivateEndpoints = ids(p.PrivateEndpoints, func(r *armnetwork.PrivateEndpoint) *string { return r.ID })
	c.add(topology.TypeSubnet, sn)
}

// convertPeering follows reference §2.1: allowVirtualNetworkAccess and
// peerCompleteVnets default to true, the other flags to false.
func convertPeering(c *rctx, pr *armnetwork.VirtualNetworkPeering) {
	p := deref(pr.Properties)
	out := topology.Peering{
		Meta:                      c.meta(str(pr.Name)),
		AllowVirtualNetworkAccess: boolOr(p.AllowVirtualNetworkAccess, true),
		AllowForwardedTraffic:     boolOr(p.AllowForwardedTraffic, false),
		AllowGatewayTransit:       boolOr(p.AllowGatewayTransit, false),
		UseRemoteGateways:         boolOr(p.UseRemoteGateways, false),
		State:                     topology.PeeringState(enum(c, p.PeeringState, ".properties.peeringState", armnetwork.PossibleVirtualNetworkPeeringStateValues())),
		SyncLevel:                 enum(c, p.PeeringSyncLevel, ".properties.peeringSyncLevel", armnetwork.PossibleVirtualNetworkPeeringLevelValues()),
		PeerCompleteVNets:         boolOr(p.PeerCompleteVnets, true),
		LocalSubnetNames:          strs(p.LocalSubnetNames),
		RemoteSubnetNames:         strs(p.RemoteSubnetNames),
		OnlyIPv6:                  boolOr(p.EnableOnlyIPv6Peering, false),
	}
	if p.RemoteVirtualNetwork != nil {
		out.RemoteVNet = str(p.RemoteVirtualNetwork.ID)
	}
	if out.RemoteVNet == "" {
		c.fail(".properties.remoteVirtualNetwork.id", "peering has no remote virtual network")
	}
	if p.RemoteAddressSpace != nil {
		out.RemoteAddressSpace = c.prefixes(p.RemoteAddressSpace.AddressPrefixes, ".properties.remoteAddressSpace.addressPrefixes")
	}
	if p.RemoteVirtualNetworkAddressSpace != nil {
		out.RemoteVNetAddressSpace = c.prefixes(p.RemoteVirtualNetworkAddressSpace.AddressPrefixes, ".properties.remoteVirtualNetworkAddressSpace.addressPrefixes")
	}
	c.add(topology.TypePeering, out)
}

// --- route tables ---

func convertRouteTable(c *rctx, t *armnetwork.RouteTable) {
	p := deref(t.Properties)
	c.add(topology.TypeRouteTable, topology.RouteTable{
		Meta:                       c.meta(str(t.Name)),
		Location:                   str(t.Location),
		DisableBGPRoutePropagation: boolOr(p.DisableBgpRoutePropagation, false),
	})
	for i, r := range p.Routes {
		if r == nil {
			continue
		}
		path := idx(c.path+".properties.routes", i)
		convertRoute(c.child(path, childID(r.ID, c.id, "routes", r.Name)), r)
	}
}

// convertRoute reads a UDR; its address prefix may be a service tag
// (reference §1.4).
func convertRoute(c *rctx, r *armnetwork.Route) {
	p := deref(r.Properties)
	out := topology.Route{
		Meta:          c.meta(str(r.Name)),
		AddressPrefix: strings.TrimSpace(str(p.AddressPrefix)),
		NextHopType:   topology.NextHopType(enum(c, p.NextHopType, ".properties.nextHopType", armnetwork.PossibleRouteNextHopTypeValues())),
		NextHopIP:     c.addr(str(p.NextHopIPAddress), ".properties.nextHopIpAddress"),
	}
	switch {
	case out.AddressPrefix == "":
	case cidr.IsAddress(out.AddressPrefix):
		out.Prefix, _ = c.prefix(out.AddressPrefix, ".properties.addressPrefix")
	default:
		out.Tag = out.AddressPrefix
	}
	c.add(topology.TypeRoute, out)
}

// --- network security groups ---

// convertNSG reads an NSG and its custom rules. defaultSecurityRules in the
// input are ignored: the Builder always adds the six default rules
// (reference §3.2).
func convertNSG(c *rctx, n *armnetwork.SecurityGroup) {
	p := deref(n.Properties)
	c.add(topology.TypeNSG, topology.NSG{Meta: c.meta(str(n.Name)), Location: str(n.Location)})
	for i, r := range p.SecurityRules {
		if r == nil {
			continue
		}
		path := idx(c.path+".properties.securityRules", i)
		convertSecurityRule(c.child(path, childID(r.ID, c.id, "securityRules", r.Name)), r)
	}
}

// convertSecurityRule merges the singular and plural address and port
// fields (reference §3.1).
func convertSecurityRule(c *rctx, r *armnetwork.SecurityRule) {
	p := deref(r.Properties)
	out := topology.SecurityRule{
		Meta:      c.meta(str(r.Name)),
		Direction: topology.Direction(enum(c, p.Direction, ".properties.direction", armnetwork.PossibleSecurityRuleDirectionValues())),
		Access:    topology.Access(enum(c, p.Access, ".properties.access", armnetwork.PossibleSecurityRuleAccessValues())),
		Protocol:  enum(c, p.Protocol, ".properties.protocol", armnetwork.PossibleSecurityRuleProtocolValues()),
	}
	if p.Priority != nil {
		out.Priority = int(*p.Priority)
	}
	// Lists of one token are shared between the rules that repeat it (see
	// listCache) and have no room to spare: appending the plural fields
	// copies them, appending none keeps them.
	out.Sources = append(c.addressList(str(p.SourceAddressPrefix), ".properties.sourceAddressPrefix"),
		c.addresses(p.SourceAddressPrefixes, ".properties.sourceAddressPrefixes")...)
	out.Destinations = append(c.addressList(str(p.DestinationAddressPrefix), ".properties.destinationAddressPrefix"),
		c.addresses(p.DestinationAddressPrefixes, ".properties.destinationAddressPrefixes")...)
	out.SourcePorts = append(c.sharedPortList(str(p.SourcePortRange), ".properties.sourcePortRange"),
		c.ports(p.SourcePortRanges, ".properties.sourcePortRanges")...)
	out.DestinationPorts = append(c.sharedPortList(str(p.DestinationPortRange), ".properties.destinationPortRange"),
		c.ports(p.DestinationPortRanges, ".properties.destinationPortRanges")...)
	out.SourceASGs = ids(p.SourceApplicationSecurityGroups, func(a *armnetwork.ApplicationSecurityGroup) *string { return a.ID })
	out.DestinationASGs = ids(p.DestinationApplicationSecurityGroups, func(a *armnetwork.ApplicationSecurityGroup) *string { return a.ID })
	c.add(topology.TypeSecurityRule, out)
}

func convertASG(c *rctx, a *armnetwork.ApplicationSecurityGroup) {
	c.add(topology.TypeASG, topology.ASG{Meta: c.meta(str(a.Name)), Location: str(a.Location)})
}

// --- network interfaces ---

func convertNIC(c *rctx, n *armnetwork.Interface) {
	p := deref(n.Properties)
	out := topology.NIC{
		Meta:               c.meta(str(n.Name)),
		Location:           str(n.Location),
		EnableIPForwarding: boolOr(p.EnableIPForwarding, false),
	}
	if p.NetworkSecurityGroup != nil {
		out.NSG = str(p.NetworkSecurityGroup.ID)
	}
	if p.DNSSettings != nil {
		out.DNSServers = strs(p.DNSSettings.DNSServers)
		out.InternalDomainNameSuffix = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(str(p.DNSSettings.InternalDomainNameSuffix))), ".")
	}
	if p.VirtualMachine != nil {
		out.VirtualMachine = str(p.VirtualMachine.ID)
	}
	if p.PrivateEndpoint != nil {
		out.PrivateEndpoint = str(p.PrivateEndpoint.ID)
	}
	for i, ic := range p.IPConfigurations {
		if ic == nil {
			continue
		}
		field := idx(".properties.ipConfigurations", i)
		ip := deref(ic.Properties)
		cfg := topology.IPConfig{
			Meta: topology.Meta{
				ID:   childID(ic.ID, c.id, "ipConfigurations", ic.Name),
				Name: str(ic.Name),
				File: c.file,
				Path: c.written(c.path + field),
			},
			NIC:     c.id,
			Primary: boolOr(ip.Primary, false),
		}
		if a := strings.TrimSpace(str(ip.PrivateIPAddress)); strings.Contains(a, "/") {
			if pf, ok := c.prefix(a, field+".properties.privateIPAddress"); ok {
				cfg.PrivatePrefix, cfg.PrivateIP = pf, pf.Addr()
			}
		} else {
			cfg.PrivateIP = c.addr(a, field+".properties.privateIPAddress")
		}
		if ip.PrivateIPAddressPrefixLength != nil && cfg.PrivateIP.IsValid() && !cfg.PrivatePrefix.IsValid() {
			pf, err := cfg.PrivateIP.Prefix(int(*ip.PrivateIPAddressPrefixLength))
			if err != nil || pf.Addr() != cfg.PrivateIP {
				c.fail(field+".properties.privateIPAddressPrefixLength", "prefix length does not fit the private IP address "+cfg.PrivateIP.String())
			} else {
				cfg.PrivatePrefix = pf
			}
		}
		if ip.Subnet != nil {
			cfg.Subnet = str(ip.Subnet.ID)
		}
		if ip.PublicIPAddress != nil {
			cfg.PublicIP = str(ip.PublicIPAddress.ID)
		}
		cfg.ASGs = ids(ip.ApplicationSecurityGroups, func(a *armnetwork.ApplicationSecurityGroup) *string { return a.ID })
		cfg.LBPools = ids(ip.LoadBalancerBackendAddressPools, func(a *armnetwork.BackendAddressPool) *string { return a.ID })
		if pl := ip.PrivateLinkConnectionProperties; pl != nil {
			cfg.PrivateLinkGroupID = str(pl.GroupID)
			cfg.PrivateLinkFQDNs = strs(pl.Fqdns)
		}
		out.IPConfigs = append(out.IPConfigs, cfg)
	}
	c.add(topology.TypeNIC, out)
}

// --- Azure Firewall ---

func (c *rctx) firewallIPConfig(ic *armnetwork.AzureFirewallIPConfiguration, field string) topology.FirewallIPConfig {
	p := deref(ic.Properties)
	out := topology.FirewallIPConfig{
		Name:      str(ic.Name),
		PrivateIP: c.addr(str(p.PrivateIPAddress), field+".properties.privateIPAddress"),
	}
	if p.Subnet != nil {
		out.Subnet = str(p.Subnet.ID)
	}
	if p.PublicIPAddress != nil {
		out.PublicIP = str(p.PublicIPAddress.ID)
	}
	return out
}

// additionalProperty returns an additionalProperties value by key, any case.
func additionalProperty(m map[string]*string, key string) (string, bool) {
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return str(v), true
		}
	}
	return "", false
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// convertFirewall reads a firewall with classic rule collections or a
// policy reference (reference §7.1, §7.2); classic DNS proxy and SNAT
// settings come from additionalProperties (§7.3, §7.5).
func convertFirewall(c *rctx, f *armnetwork.AzureFirewall) {
	p := deref(f.Properties)
	out := topology.Firewall{
		Meta:            c.meta(str(f.Name)),
		Location:        str(f.Location),
		ThreatIntelMode: enum(c, p.ThreatIntelMode, ".properties.threatIntelMode", armnetwork.PossibleAzureFirewallThreatIntelModeValues()),
	}
	if p.SKU != nil {
		out.SKU = enum(c, p.SKU.Name, ".properties.sku.name", armnetwork.PossibleAzureFirewallSKUNameValues())
		out.Tier = enum(c, p.SKU.Tier, ".properties.sku.tier", armnetwork.PossibleAzureFirewallSKUTierValues())
	}
	if p.FirewallPolicy != nil {
		out.Policy = str(p.FirewallPolicy.ID)
	}
	for i, ic := range p.IPConfigurations {
		if ic != nil {
			out.IPConfigs = append(out.IPConfigs, c.firewallIPConfig(ic, idx(".properties.ipConfigurations", i)))
		}
	}
	if p.ManagementIPConfiguration != nil {
		m := c.firewallIPConfig(p.ManagementIPConfiguration, ".properties.managementIpConfiguration")
		out.ManagementIPConfig = &m
	}
	if v, ok := additionalProperty(p.AdditionalProperties, "Network.DNS.EnableProxy"); ok {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true":
			out.DNSProxy = true
		case "false", "":
		default:
			c.warn(`.properties.additionalProperties["Network.DNS.EnableProxy"]`, "value "+quote(v)+" is neither true nor false; DNS proxy taken as off")
		}
	}
	if v, ok := additionalProperty(p.AdditionalProperties, "Network.DNS.Servers"); ok {
		out.DNSServers = splitList(v)
	}
	if v, ok := additionalProperty(p.AdditionalProperties, "Network.SNAT.PrivateRanges"); ok {
		out.SNATPrivateRanges = splitList(v)
	}
	for i, rc := range p.NetworkRuleCollections {
		if rc == nil {
			continue
		}
		field := idx(".properties.networkRuleCollections", i)
		rp := deref(rc.Properties)
		var action *armnetwork.AzureFirewallRCActionType
		if rp.Action != nil {
			action = rp.Action.Type
		}
		col := classicCollection(c, rc.Name, topology.RuleNetwork, rp.Priority, action, field, armnetwork.PossibleAzureFirewallRCActionTypeValues())
		for j, r := range rp.Rules {
			if r == nil {
				continue
			}
			rf := field + idx(".properties.rules", j)
			col.Rules = append(col.Rules, topology.FirewallRule{
				Name:                str(r.Name),
				Kind:                topology.RuleNetwork,
				Protocols:           enums(c, r.Protocols, rf+".protocols", armnetwork.PossibleAzureFirewallNetworkRuleProtocolValues()),
				Sources:             c.addresses(r.SourceAddresses, rf+".sourceAddresses"),
				SourceIPGroups:      strs(r.SourceIPGroups),
				Destinations:        c.addresses(r.DestinationAddresses, rf+".destinationAddresses"),
				DestinationIPGroups: strs(r.DestinationIPGroups),
				DestinationFQDNs:    strs(r.DestinationFqdns),
				DestinationPorts:    c.ports(r.DestinationPorts, rf+".destinationPorts"),
			})
		}
		out.RuleCollections = append(out.RuleCollections, col)
	}
	for i, rc := range p.ApplicationRuleCollections {
		if rc == nil {
			continue
		}
		field := idx(".properties.applicationRuleCollections", i)
		rp := deref(rc.Properties)
		var action *armnetwork.AzureFirewallRCActionType
		if rp.Action != nil {
			action = rp.Action.Type
		}
		col := classicCollection(c, rc.Name, topology.RuleApplication, rp.Priority, action, field, armnetwork.PossibleAzureFirewallRCActionTypeValues())
		for j, r := range rp.Rules {
			if r == nil {
				continue
			}
			rf := field + idx(".properties.rules", j)
			rule := topology.FirewallRule{
				Name:           str(r.Name),
				Kind:           topology.RuleApplication,
				Sources:        c.addresses(r.SourceAddresses, rf+".sourceAddresses"),
				SourceIPGroups: strs(r.SourceIPGroups),
				TargetFQDNs:    strs(r.TargetFqdns),
				FQDNTags:       strs(r.FqdnTags),
			}
			for k, pr := range r.Protocols {
				if pr == nil {
					continue
				}
				rule.AppProtocols = append(rule.AppProtocols, topology.AppProtocol{
					Type: enum(c, pr.ProtocolType, rf+idx(".protocols", k)+".protocolType", armnetwork.PossibleAzureFirewallApplicationRuleProtocolTypeValues()),
					Port: c.port(pr.Port, rf+idx(".protocols", k)+".port"),
				})
			}
			col.Rules = append(col.Rules, rule)
		}
		out.RuleCollections = append(out.RuleCollections, col)
	}
	for i, rc := range p.NatRuleCollections {
		if rc == nil {
			continue
		}
		field := idx(".properties.natRuleCollections", i)
		rp := deref(rc.Properties)
		var action *armnetwork.AzureFirewallNatRCActionType
		if rp.Action != nil {
			action = rp.Action.Type
		}
		col := classicCollection(c, rc.Name, topology.RuleNAT, rp.Priority, action, field, armnetwork.PossibleAzureFirewallNatRCActionTypeValues())
		for j, r := range rp.Rules {
			if r == nil {
				continue
			}
			rf := field + idx(".properties.rules", j)
			col.Rules = append(col.Rules, topology.FirewallRule{
				Name:              str(r.Name),
				Kind:              topology.RuleNAT,
				Protocols:         enums(c, r.Protocols, rf+".protocols", armnetwork.PossibleAzureFirewallNetworkRuleProtocolValues()),
				Sources:           c.addresses(r.SourceAddresses, rf+".sourceAddresses"),
				SourceIPGroups:    strs(r.SourceIPGroups),
				Destinations:      c.addresses(r.DestinationAddresses, rf+".destinationAddresses"),
				DestinationPorts:  c.ports(r.DestinationPorts, rf+".destinationPorts"),
				TranslatedAddress: firstNonEmpty(str(r.TranslatedAddress), str(r.TranslatedFqdn)),
				TranslatedPort:    str(r.TranslatedPort),
			})
		}
		out.RuleCollections = append(out.RuleCollections, col)
	}
	c.add(topology.TypeFirewall, out)
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}

// port returns an application rule port, which must be 0-65535.
func (c *rctx) port(p *int32, field string) uint16 {
	if p == nil {
		return 0
	}
	if *p < 0 || *p > 65535 {
		c.fail(field, "port "+itoa(int(*p))+" is outside 0-65535")
		return 0
	}
	return uint16(*p)
}

// enums is [enum] over a list, skipping nulls.
func enums[T ~string](c *rctx, vs []*T, field string, possible []T) []string {
	var out []string
	for i, v := range vs {
		if v != nil {
			out = append(out, enum(c, v, idx(field, i), possible))
		}
	}
	return out
}

// --- firewall policies ---

func convertFirewallPolicy(c *rctx, f *armnetwork.FirewallPolicy) {
	p := deref(f.Properties)
	out := topology.FirewallPolicy{
		Meta:            c.meta(str(f.Name)),
		Location:        str(f.Location),
		ThreatIntelMode: enum(c, p.ThreatIntelMode, ".properties.threatIntelMode", armnetwork.PossibleAzureFirewallThreatIntelModeValues()),
	}
	if p.BasePolicy != nil {
		out.BasePolicy = str(p.BasePolicy.ID)
	}
	if p.DNSSettings != nil {
		out.DNSProxy = boolOr(p.DNSSettings.EnableProxy, false)
		out.DNSServers = strs(p.DNSSettings.Servers)
	}
	if p.Snat != nil {
		out.SNATPrivateRanges = strs(p.Snat.PrivateRanges)
	}
	out.RuleCollectionGroups = ids(p.RuleCollectionGroups, func(r *armnetwork.SubResource) *string { return r.ID })
	c.add(topology.TypeFirewallPolicy, out)
}

// convertRuleCollectionGroup reads filter (network or application rules)
// and NAT rule collections (reference §7.1).
func convertRuleCollectionGroup(c *rctx, g *armnetwork.FirewallPolicyRuleCollectionGroup) {
	p := deref(g.Properties)
	out := topology.RuleCollectionGroup{Meta: c.meta(str(g.Name)), Priority: int(deref(p.Priority))}
	for i, rc := range p.RuleCollections {
		field := idx(".properties.ruleCollections", i)
		switch rc := rc.(type) {
		case *armnetwork.FirewallPolicyFilterRuleCollection:
			col := topology.RuleCollection{Name: str(rc.Name), Priority: int(deref(rc.Priority))}
			if rc.Action != nil {
				col.Action = enum(c, rc.Action.Type, field+".action.type", armnetwork.PossibleFirewallPolicyFilterRuleCollectionActionTypeValues())
			}
			col.Rules = c.policyRules(rc.Rules, field+".rules")
			col.Kind = topology.RuleNetwork
			if len(col.Rules) > 0 {
				col.Kind = col.Rules[0].Kind
			}
			out.Collections = append(out.Collections, col)
		case *armnetwork.FirewallPolicyNatRuleCollection:
			col := topology.RuleCollection{Name: str(rc.Name), Kind: topology.RuleNAT, Priority: int(deref(rc.Priority)), Action: "Dnat"}
			if rc.Action != nil {
				if a := enum(c, rc.Action.Type, field+".action.type", armnetwork.PossibleFirewallPolicyNatRuleCollectionActionTypeValues()); !strings.EqualFold(a, "DNAT") {
					col.Action = a
				}
			}
			col.Rules = c.policyRules(rc.Rules, field+".rules")
			out.Collections = append(out.Collections, col)
		case *armnetwork.FirewallPolicyRuleCollection:
			c.warn(field+".ruleCollectionType", "rule collection type "+quote(string(deref(rc.RuleCollectionType)))+" is not modelled (FirewallPolicyFilterRuleCollection and FirewallPolicyNatRuleCollection are); collection ignored")
		}
	}
	c.add(topology.TypeRuleCollectionGroup, out)
}

func (c *rctx) policyRules(rules []armnetwork.FirewallPolicyRuleClassification, field string) []topology.FirewallRule {
	var out []topology.FirewallRule
	for i, r := range rules {
		rf := idx(field, i)
		switch r := r.(type) {
		case *armnetwork.Rule:
			out = append(out, topology.FirewallRule{
				Name:                str(r.Name),
				Kind:                topology.RuleNetwork,
				Protocols:           enums(c, r.IPProtocols, rf+".ipProtocols", armnetwork.PossibleFirewallPolicyRuleNetworkProtocolValues()),
				Sources:             c.addresses(r.SourceAddresses, rf+".sourceAddresses"),
				SourceIPGroups:      strs(r.SourceIPGroups),
				Destinations:        c.addresses(r.DestinationAddresses, rf+".destinationAddresses"),
				DestinationIPGroups: strs(r.DestinationIPGroups),
				DestinationFQDNs:    strs(r.DestinationFqdns),
				DestinationPorts:    c.ports(r.DestinationPorts, rf+".destinationPorts"),
			})
		case *armnetwork.ApplicationRule:
			rule := topology.FirewallRule{
				Name:           str(r.Name),
				Kind:           topology.RuleApplication,
				Sources:        c.addresses(r.SourceAddresses, rf+".sourceAddresses"),
				SourceIPGroups: strs(r.SourceIPGroups),
				Destinations:   c.addresses(r.DestinationAddresses, rf+".destinationAddresses"),
				TargetFQDNs:    strs(r.TargetFqdns),
				FQDNTags:       strs(r.FqdnTags),
				WebCategories:  strs(r.WebCategories),
			}
			for k, pr := range r.Protocols {
				if pr == nil {
					continue
				}
				rule.AppProtocols = append(rule.AppProtocols, topology.AppProtocol{
					Type: enum(c, pr.ProtocolType, rf+idx(".protocols", k)+".protocolType", armnetwork.PossibleFirewallPolicyRuleApplicationProtocolTypeValues()),
					Port: c.port(pr.Port, rf+idx(".protocols", k)+".port"),
				})
			}
			out = append(out, rule)
		case *armnetwork.NatRule:
			out = append(out, topology.FirewallRule{
				Name:              str(r.Name),
				Kind:              topology.RuleNAT,
				Protocols:         enums(c, r.IPProtocols, rf+".ipProtocols", armnetwork.PossibleFirewallPolicyRuleNetworkProtocolValues()),
				Sources:           c.addresses(r.SourceAddresses, rf+".sourceAddresses"),
				SourceIPGroups:    strs(r.SourceIPGroups),
				Destinations:      c.addresses(r.DestinationAddresses, rf+".destinationAddresses"),
				DestinationPorts:  c.ports(r.DestinationPorts, rf+".destinationPorts"),
				TranslatedAddress: firstNonEmpty(str(r.TranslatedAddress), str(r.TranslatedFqdn)),
				TranslatedPort:    str(r.TranslatedPort),
			})
		case *armnetwork.FirewallPolicyRule:
			c.warn(rf+".ruleType", "rule type "+quote(string(deref(r.RuleType)))+" is not modelled (NetworkRule, ApplicationRule and NatRule are); rule ignored")
		}
	}
	return out
}

func convertIPGroup(c *rctx, g *armnetwork.IPGroup) {
	p := deref(g.Properties)
	c.add(topology.TypeIPGroup, topology.IPGroup{
		Meta:      c.meta(str(g.Name)),
		Location:  str(g.Location),
		Addresses: c.addresses(p.IPAddresses, ".properties.ipAddresses"),
	})
}

// --- gateways ---

func (c *rctx) bgp(b *armnetwork.BgpSettings, field string) *topology.BGPSettings {
	if b == nil {
		return nil
	}
	out := &topology.BGPSettings{ASN: deref(b.Asn)}
	addAddr := func(a netip.Addr) {
		if a.IsValid() && !slices.Contains(out.PeeringAddresses, a) {
			out.PeeringAddresses = append(out.PeeringAddresses, a)
		}
	}
	// Active-active gateways list both addresses, comma-separated.
	for _, s := range strings.Split(str(b.BgpPeeringAddress), ",") {
		addAddr(c.addr(s, field+".bgpPeeringAddress"))
	}
	for i, pa := range b.BgpPeeringAddresses {
		if pa == nil {
			continue
		}
		f := idx(field+".bgpPeeringAddresses", i)
		for _, a := range c.addrs(pa.DefaultBgpIPAddresses, f+".defaultBgpIpAddresses") {
			addAddr(a)
		}
		for _, a := range c.addrs(pa.CustomBgpIPAddresses, f+".customBgpIpAddresses") {
			addAddr(a)
		}
	}
	return out
}

func convertGateway(c *rctx, g *armnetwork.VirtualNetworkGateway) {
	p := deref(g.Properties)
	out := topology.Gateway{
		Meta:         c.meta(str(g.Name)),
		Location:     str(g.Location),
		GatewayType:  enum(c, p.GatewayType, ".properties.gatewayType", armnetwork.PossibleVirtualNetworkGatewayTypeValues()),
		VPNType:      enum(c, p.VPNType, ".properties.vpnType", armnetwork.PossibleVPNTypeValues()),
		ActiveActive: boolOr(p.Active, false),
		EnableBGP:    boolOr(p.EnableBgp, false),
		BGP:          c.bgp(p.BgpSettings, ".properties.bgpSettings"),
	}
	if p.SKU != nil {
		out.SKU = enum(c, p.SKU.Name, ".properties.sku.name", armnetwork.PossibleVirtualNetworkGatewaySKUNameValues())
	}
	for i, ic := range p.IPConfigurations {
		if ic == nil {
			continue
		}
		field := idx(".properties.ipConfigurations", i)
		ip := deref(ic.Properties)
		cfg := topology.FirewallIPConfig{Name: str(ic.Name), PrivateIP: c.addr(str(ip.PrivateIPAddress), field+".properties.privateIPAddress")}
		if ip.Subnet != nil {
			cfg.Subnet = str(ip.Subnet.ID)
		}
		if ip.PublicIPAddress != nil {
			cfg.PublicIP = str(ip.PublicIPAddress.ID)
		}
		out.IPConfigs = append(out.IPConfigs, cfg)
	}
	if p.CustomRoutes != nil {
		out.CustomRoutes = c.prefixes(p.CustomRoutes.AddressPrefixes, ".properties.customRoutes.addressPrefixes")
	}
	c.add(topology.TypeGateway, out)
}

func convertLocalGateway(c *rctx, g *armnetwork.LocalNetworkGateway) {
	p := deref(g.Properties)
	out := topology.LocalGateway{
		Meta:      c.meta(str(g.Name)),
		Location:  str(g.Location),
		GatewayIP: c.addr(str(p.GatewayIPAddress), ".properties.gatewayIpAddress"),
		FQDN:      str(p.Fqdn),
		BGP:       c.bgp(p.BgpSettings, ".properties.bgpSettings"),
	}
	if p.LocalNetworkAddressSpace != nil {
		out.AddressPrefixes = c.prefixes(p.LocalNetworkAddressSpace.AddressPrefixes, ".properties.localNetworkAddressSpace.addressPrefixes")
	}
	c.add(topology.TypeLocalGateway, out)
}

func convertConnection(c *rctx, g *armnetwork.VirtualNetworkGatewayConnection) {
	p := deref(g.Properties)
	out := topology.Connection{
		Meta:           c.meta(str(g.Name)),
		Location:       str(g.Location),
		ConnectionType: enum(c, p.ConnectionType, ".properties.connectionType", armnetwork.PossibleVirtualNetworkGatewayConnectionTypeValues()),
		Status:         enum(c, p.ConnectionStatus, ".properties.connectionStatus", armnetwork.PossibleVirtualNetworkGatewayConnectionStatusValues()),
		EnableBGP:      boolOr(p.EnableBgp, false),
	}
	if p.VirtualNetworkGateway1 != nil {
		out.Gateway1 = str(p.VirtualNetworkGateway1.ID)
	}
	if p.VirtualNetworkGateway2 != nil {
		out.Gateway2 = str(p.VirtualNetworkGateway2.ID)
	}
	if p.LocalNetworkGateway2 != nil {
		out.LocalGateway2 = str(p.LocalNetworkGateway2.ID)
	}
	if p.Peer != nil {
		out.Peer = str(p.Peer.ID)
	}
	c.add(topology.TypeConnection, out)
}

// --- egress ---

func convertNATGateway(c *rctx, n *armnetwork.NatGateway) {
	p := deref(n.Properties)
	sub := func(r *armnetwork.SubResource) *string { return r.ID }
	c.add(topology.TypeNATGateway, topology.NATGateway{
		Meta:             c.meta(str(n.Name)),
		Location:         str(n.Location),
		PublicIPs:        append(ids(p.PublicIPAddresses, sub), ids(p.PublicIPAddressesV6, sub)...),
		PublicIPPrefixes: append(ids(p.PublicIPPrefixes, sub), ids(p.PublicIPPrefixesV6, sub)...),
		Subnets:          ids(p.Subnets, sub),
	})
}

func convertPublicIP(c *rctx, ip *armnetwork.PublicIPAddress) {
	p := deref(ip.Properties)
	out := topology.PublicIP{
		Meta:     c.meta(str(ip.Name)),
		Location: str(ip.Location),
		Address:  c.addr(str(p.IPAddress), ".properties.ipAddress"),
		Version:  enum(c, p.PublicIPAddressVersion, ".properties.publicIPAddressVersion", armnetwork.PossibleIPVersionValues()),
	}
	if ip.SKU != nil {
		out.SKU = enum(c, ip.SKU.Name, ".sku.name", armnetwork.PossiblePublicIPAddressSKUNameValues())
	}
	if p.IPConfiguration != nil {
		out.IPConfiguration = str(p.IPConfiguration.ID)
	}
	c.add(topology.TypePublicIP, out)
}

func convertPublicIPPrefix(c *rctx, ip *armnetwork.PublicIPPrefix) {
	p := deref(ip.Properties)
	out := topology.PublicIPPrefix{
		Meta:     c.meta(str(ip.Name)),
		Location: str(ip.Location),
		Version:  enum(c, p.PublicIPAddressVersion, ".properties.publicIPAddressVersion", armnetwork.PossibleIPVersionValues()),
	}
	if a := strings.TrimSpace(str(p.IPPrefix)); a != "" {
		out.Prefix, _ = c.prefix(a, ".properties.ipPrefix")
	}
	c.add(topology.TypePublicIPPrefix, out)
}

// --- private endpoints ---

// peStatuses are the private-link connection states (reference §5.1).
var peStatuses = []string{"Approved", "Pending", "Rejected", "Disconnected"}

func convertPrivateEndpoint(c *rctx, pe *armnetwork.PrivateEndpoint) {
	p := deref(pe.Properties)
	out := topology.PrivateEndpoint{
		Meta:     c.meta(str(pe.Name)),
		Location: str(pe.Location),
		NICs:     ids(p.NetworkInterfaces, func(n *armnetwork.Interface) *string { return n.ID }),
	}
	if p.Subnet != nil {
		out.Subnet = str(p.Subnet.ID)
	}
	conns := func(list []*armnetwork.PrivateLinkServiceConnection, field string, manual bool) {
		for i, pc := range list {
			if pc == nil {
				continue
			}
			cp := deref(pc.Properties)
			conn := topology.PEConnection{
				Name:     str(pc.Name),
				Target:   str(cp.PrivateLinkServiceID),
				GroupIDs: strs(cp.GroupIDs),
				Manual:   manual,
			}
			if st := cp.PrivateLinkServiceConnectionState; st != nil {
				conn.Status = enum(c, st.Status, idx(field, i)+".properties.privateLinkServiceConnectionState.status", peStatuses)
			}
			out.Connections = append(out.Connections, conn)
		}
	}
	conns(p.PrivateLinkServiceConnections, ".properties.privateLinkServiceConnections", false)
	conns(p.ManualPrivateLinkServiceConnections, ".properties.manualPrivateLinkServiceConnections", true)
	for i, d := range p.CustomDNSConfigs {
		if d == nil {
			continue
		}
		out.CustomDNSConfigs = append(out.CustomDNSConfigs, topology.DNSConfig{
			FQDN: str(d.Fqdn),
			IPs:  c.addrs(d.IPAddresses, idx(".properties.customDnsConfigs", i)+".ipAddresses"),
		})
	}
	for i, ic := range p.IPConfigurations {
		if ic == nil {
			continue
		}
		ip := deref(ic.Properties)
		out.StaticIPs = append(out.StaticIPs, topology.PEIPConfig{
			Name:       str(ic.Name),
			GroupID:    str(ip.GroupID),
			MemberName: str(ip.MemberName),
			PrivateIP:  c.addr(str(ip.PrivateIPAddress), idx(".properties.ipConfigurations", i)+".properties.privateIPAddress"),
		})
	}
	c.add(topology.TypePrivateEndpoint, out)
}

// --- private DNS ---

// convertPrivateZone reads a zone with the counts it declares, which tell
// whether the snapshot holds all its record sets and links.
func convertPrivateZone(c *rctx, z *armprivatedns.PrivateZone) {
	p := deref(z.Properties)
	c.add(topology.TypePrivateZone, topology.PrivateZone{
		Meta:                        c.meta(str(z.Name)),
		NumberOfRecordSets:          deref(p.NumberOfRecordSets),
		NumberOfVirtualNetworkLinks: deref(p.NumberOfVirtualNetworkLinks),
	})
}

// convertRecord reads an A, AAAA, CNAME or PTR record set; its relative
// name is the resource name ("@" for the apex).
func convertRecord(c *rctx, r *armprivatedns.RecordSet) {
	p := deref(r.Properties)
	name := str(r.Name)
	if name == "" {
		name = topology.NameOf(c.id)
	}
	out := topology.DNSRecord{
		Meta: c.meta(name),
		Name: name,
		Type: c.typ[strings.LastIndex(c.typ, "/")+1:],
		TTL:  deref(p.TTL),
	}
	for i, a := range p.ARecords {
		if a != nil {
			if x := c.addr(str(a.IPv4Address), idx(".properties.aRecords", i)+".ipv4Address"); x.IsValid() {
				out.Addrs = append(out.Addrs, x)
			}
		}
	}
	for i, a := range p.AaaaRecords {
		if a != nil {
			if x := c.addr(str(a.IPv6Address), idx(".properties.aaaaRecords", i)+".ipv6Address"); x.IsValid() {
				out.Addrs = append(out.Addrs, x)
			}
		}
	}
	if p.CnameRecord != nil {
		out.CNAME = str(p.CnameRecord.Cname)
	}
	for i, r := range p.PtrRecords {
		if r == nil {
			continue
		}
		if n := strings.TrimSpace(str(r.Ptrdname)); n != "" {
			out.PTRs = append(out.PTRs, n)
		} else {
			c.fail(idx(".properties.ptrRecords", i)+".ptrdname", "PTR record has no name")
		}
	}
	c.add(c.typ, out)
}

func convertZoneLink(c *rctx, l *armprivatedns.VirtualNetworkLink) {
	p := deref(l.Properties)
	out := topology.ZoneLink{
		Meta:                c.meta(str(l.Name)),
		RegistrationEnabled: boolOr(p.RegistrationEnabled, false),
		ResolutionPolicy:    enum(c, p.ResolutionPolicy, ".properties.resolutionPolicy", armprivatedns.PossibleResolutionPolicyValues()),
		State:               enum(c, p.VirtualNetworkLinkState, ".properties.virtualNetworkLinkState", armprivatedns.PossibleVirtualNetworkLinkStateValues()),
	}
	if out.ResolutionPolicy == "" {
		out.ResolutionPolicy = topology.ResolutionDefault
	}
	if p.VirtualNetwork != nil {
		out.VNet = str(p.VirtualNetwork.ID)
	}
	if out.VNet == "" {
		c.fail(".properties.virtualNetwork.id", "link has no virtual network")
	}
	c.add(topology.TypeZoneLink, out)
}

// --- DNS Private Resolver ---

func convertResolver(c *rctx, r *dnsResolver) {
	out := topology.DNSResolver{Meta: c.meta(str(r.Name)), Location: str(r.Location)}
	if r.Properties != nil && r.Properties.VirtualNetwork != nil {
		out.VNet = str(r.Properties.VirtualNetwork.ID)
	}
	c.add(topology.TypeDNSResolver, out)
}

func convertInbound(c *rctx, e *inboundEndpoint) {
	out := topology.ResolverEndpoint{Meta: c.meta(str(e.Name))}
	if e.Properties != nil {
		for i, ic := range e.Properties.IPConfigurations {
			if ic == nil {
				continue
			}
			if ic.Subnet != nil && out.Subnet == "" {
				out.Subnet = str(ic.Subnet.ID)
			}
			if a := c.addr(str(ic.PrivateIPAddress), idx(".properties.ipConfigurations", i)+".privateIpAddress"); a.IsValid() {
				out.IPs = append(out.IPs, a)
			}
		}
	}
	c.add(topology.TypeInboundEndpoint, out)
}

func convertOutbound(c *rctx, e *outboundEndpoint) {
	out := topology.ResolverEndpoint{Meta: c.meta(str(e.Name))}
	if e.Properties != nil && e.Properties.Subnet != nil {
		out.Subnet = str(e.Properties.Subnet.ID)
	}
	c.add(topology.TypeOutboundEndpoint, out)
}

func convertRuleset(c *rctx, r *forwardingRuleset) {
	out := topology.Ruleset{Meta: c.meta(str(r.Name)), Location: str(r.Location)}
	if r.Properties != nil {
		out.OutboundEndpoints = ids(r.Properties.DNSResolverOutboundEndpoints, func(s *subResource) *string { return s.ID })
	}
	c.add(topology.TypeRuleset, out)
}

// convertForwardingRule reads a forwarding rule; a target without a port
// uses 53, and a rule without a state is enabled (reference §5.6).
func convertForwardingRule(c *rctx, r *forwardingRule) {
	out := topology.ForwardingRule{Meta: c.meta(str(r.Name)), Enabled: true}
	if p := r.Properties; p != nil {
		out.Domain = str(p.DomainName)
		for i, t := range p.TargetDNSServers {
			if t == nil {
				continue
			}
			f := idx(".properties.targetDnsServers", i)
			tgt := topology.DNSTarget{IP: c.addr(str(t.IPAddress), f+".ipAddress"), Port: 53}
			if t.Port != nil {
				if *t.Port < 1 || *t.Port > 65535 {
					c.fail(f+".port", "port "+itoa(int(*t.Port))+" is outside 1-65535")
				}
				tgt.Port = int(*t.Port)
			}
			out.Targets = append(out.Targets, tgt)
		}
		switch st := enum(c, p.ForwardingRuleState, ".properties.forwardingRuleState", []string{"Enabled", "Disabled"}); st {
		case "Disabled":
			out.Enabled = false
		}
	}
	if strings.TrimSpace(out.Domain) == "" {
		c.fail(".properties.domainName", "forwarding rule has no domain name")
	}
	c.add(topology.TypeForwardingRule, out)
}

func convertRulesetLink(c *rctx, l *rulesetLink) {
	out := topology.RulesetLink{Meta: c.meta(str(l.Name))}
	if l.Properties != nil && l.Properties.VirtualNetwork != nil {
		out.VNet = str(l.Properties.VirtualNetwork.ID)
	}
	if out.VNet == "" {
		c.fail(".properties.virtualNetwork.id", "link has no virtual network")
	}
	c.add(topology.TypeRulesetLink, out)
}

// --- Azure Machine Learning ---

// convertWorkspace reads a workspace; its workspaceId names its FQDNs
// (reference §6.1), its associated resources and managed network feed the
// Azure ML profile (reference §6.3, §6.5).
func convertWorkspace(c *rctx, w *workspace) {
	out := topology.Workspace{Meta: c.meta(str(w.Name)), Location: str(w.Location), Kind: str(w.Kind)}
	if p := w.Properties; p != nil {
		out.WorkspaceID = str(p.WorkspaceID)
		out.FriendlyName = str(p.FriendlyName)
		out.PublicNetworkAccess = enum(c, p.PublicNetworkAccess, ".properties.publicNetworkAccess", []string{topology.PublicAccessEnabled, topology.PublicAccessDisabled})
		out.StorageAccount = strings.TrimSpace(str(p.StorageAccount))
		out.KeyVault = strings.TrimSpace(str(p.KeyVault))
		out.ContainerRegistry = strings.TrimSpace(str(p.ContainerRegistry))
		for _, pc := range p.PrivateEndpointConnections {
			if pc.Properties != nil && pc.Properties.PrivateEndpoint != nil {
				if id := strings.TrimSpace(str(pc.Properties.PrivateEndpoint.ID)); id != "" {
					out.PrivateEndpoints = append(out.PrivateEndpoints, id)
				}
			}
		}
		if mn := p.ManagedNetwork; mn != nil {
			out.ManagedNetwork = enum(c, mn.IsolationMode, ".properties.managedNetwork.isolationMode",
				[]string{topology.IsolationDisabled, topology.IsolationAllowInternetOutbound, topology.IsolationAllowOnlyApprovedOutbound})
			if mn.Status != nil {
				out.ManagedNetworkStatus = str(mn.Status.Status)
			}
			if mn.OutboundRules != nil {
				out.OutboundRulesRead = true
				out.OutboundRules = outboundRules(c, mn.OutboundRules)
			}
		}
	}
	if out.WorkspaceID == "" {
		c.warn(".properties.workspaceId", "workspace has no workspaceId; the FQDNs of its endpoints cannot be derived")
	}
	c.add(topology.TypeWorkspace, out)
}

// outboundRules reads the rules of a managed network, sorted by name.
func outboundRules(c *rctx, rules map[string]outboundRule) []topology.OutboundRule {
	names := make([]string, 0, len(rules))
	for n := range rules {
		names = append(names, n)
	}
	slices.Sort(names)
	out := make([]topology.OutboundRule, 0, len(names))
	for _, n := range names {
		field := ".properties.managedNetwork.outboundRules[" + strconv.Quote(n) + "]"
		r := topology.OutboundRule{Name: n}
		switch x := rules[n].(type) {
		case *fqdnOutboundRule:
			r.Type, r.Category, r.Status = topology.OutboundFQDN, str(x.Category), str(x.Status)
			r.FQDN = strings.ToLower(strings.TrimSpace(str(x.Destination)))
			if r.FQDN == "" {
				c.fail(field+".destination", "FQDN rule has no destination")
			}
		case *serviceTagOutboundRule:
			r.Type, r.Category, r.Status = topology.OutboundServiceTag, str(x.Category), str(x.Status)
			if d := x.Destination; d != nil {
				r.ServiceTag, r.Protocol, r.PortRanges, r.Action = str(d.ServiceTag), str(d.Protocol), str(d.PortRanges), str(d.Action)
				r.AddressPrefixes = strs(d.AddressPrefixes)
			}
		case *peOutboundRule:
			r.Type, r.Category, r.Status = topology.OutboundPrivateEndpoint, str(x.Category), str(x.Status)
			if d := x.Destination; d != nil {
				r.ServiceResourceID, r.SubresourceTarget = str(d.ServiceResourceID), str(d.SubresourceTarget)
			}
		case *baseOutboundRule:
			r.Type, r.Category, r.Status = str(x.Type), str(x.Category), str(x.Status)
			c.warn(field+".type", "outbound rule type "+strconv.Quote(r.Type)+" is not one vnetpath knows (FQDN, ServiceTag, PrivateEndpoint)")
		default:
			continue
		}
		out = append(out, r)
	}
	return out
}

// classicCollection starts a classic firewall rule collection of one kind
// from its name, priority and action type (kept as written, checked against
// the SDK's values).
func classicCollection[T ~string](c *rctx, name *string, kind string, prio *int32, action *T, field string, possible []T) topology.RuleCollection {
	col := topology.RuleCollection{Name: str(name), Kind: kind, Priority: int(deref(prio))}
	if action != nil {
		col.Action = enum(c, action, field+".properties.action.type", possible)
	}
	return col
}

// --- load balancers ---

// convertLoadBalancer reads a load balancer's frontends, backend pools,
// load-balancing rules and outbound rules (reference §10 items 32, 43).
// Pools list their NIC IP configurations (backendIPConfigurations) or
// addresses; NICs may name their pools instead, which the snapshot joins.
func convertLoadBalancer(c *rctx, lb *armnetwork.LoadBalancer) {
	p := deref(lb.Properties)
	out := topology.LoadBalancer{Meta: c.meta(str(lb.Name)), Location: str(lb.Location)}
	if lb.SKU != nil {
		out.SKU = enum(c, lb.SKU.Name, ".sku.name", armnetwork.PossibleLoadBalancerSKUNameValues())
	}
	sub := func(r *armnetwork.SubResource) string {
		if r == nil {
			return ""
		}
		return str(r.ID)
	}
	for i, f := range p.FrontendIPConfigurations {
		if f == nil {
			continue
		}
		field := idx(".properties.frontendIPConfigurations", i)
		fp := deref(f.Properties)
		fe := topology.LBFrontend{ID: childID(f.ID, c.id, "frontendIPConfigurations", f.Name), Name: str(f.Name),
			PrivateIP: c.addr(str(fp.PrivateIPAddress), field+".properties.privateIPAddress"), PublicIPPrefix: sub(fp.PublicIPPrefix)}
		if fp.Subnet != nil {
			fe.Subnet = str(fp.Subnet.ID)
		}
		if fp.PublicIPAddress != nil {
			fe.PublicIP = str(fp.PublicIPAddress.ID)
		}
		out.Frontends = append(out.Frontends, fe)
	}
	for i, bp := range p.BackendAddressPools {
		if bp == nil {
			continue
		}
		field := idx(".properties.backendAddressPools", i)
		pp := deref(bp.Properties)
		pool := topology.LBPool{ID: childID(bp.ID, c.id, "backendAddressPools", bp.Name), Name: str(bp.Name),
			IPConfigs: ids(pp.BackendIPConfigurations, func(x *armnetwork.InterfaceIPConfiguration) *string { return x.ID })}
		for j, a := range pp.LoadBalancerBackendAddresses {
			if a == nil {
				continue
			}
			ap := deref(a.Properties)
			if ap.NetworkInterfaceIPConfiguration != nil {
				if id := str(ap.NetworkInterfaceIPConfiguration.ID); id != "" && !slices.Contains(pool.IPConfigs, id) {
					pool.IPConfigs = append(pool.IPConfigs, id)
				}
				continue
			}
			ba := topology.LBBackendAddress{Name: str(a.Name),
				IP:   c.addr(str(ap.IPAddress), idx(field+".properties.loadBalancerBackendAddresses", j)+".properties.ipAddress"),
				VNet: sub(ap.VirtualNetwork), Subnet: sub(ap.Subnet)}
			if ba.VNet == "" {
				ba.VNet = sub(pp.VirtualNetwork)
			}
			if ba.IP.IsValid() {
				pool.Addresses = append(pool.Addresses, ba)
			}
		}
		out.Pools = append(out.Pools, pool)
	}
	for _, r := range p.LoadBalancingRules {
		if r == nil {
			continue
		}
		rp := deref(r.Properties)
		rule := topology.LBRule{ID: childID(r.ID, c.id, "loadBalancingRules", r.Name), Name: str(r.Name),
			Frontend: sub(rp.FrontendIPConfiguration), Protocol: string(deref(rp.Protocol)),
			FrontendPort: int(deref(rp.FrontendPort)), BackendPort: int(deref(rp.BackendPort)),
			DisableOutboundSNAT: boolOr(rp.DisableOutboundSnat, false)}
		if id := sub(rp.BackendAddressPool); id != "" {
			rule.Pools = append(rule.Pools, id)
		}
		for _, x := range rp.BackendAddressPools {
			if id := sub(x); id != "" && !slices.Contains(rule.Pools, id) {
				rule.Pools = append(rule.Pools, id)
			}
		}
		out.Rules = append(out.Rules, rule)
	}
	for _, r := range p.OutboundRules {
		if r == nil {
			continue
		}
		rp := deref(r.Properties)
		or := topology.LBOutboundRule{ID: childID(r.ID, c.id, "outboundRules", r.Name), Name: str(r.Name),
			Pool: sub(rp.BackendAddressPool), Protocol: string(deref(rp.Protocol))}
		for _, f := range rp.FrontendIPConfigurations {
			if id := sub(f); id != "" {
				or.Frontends = append(or.Frontends, id)
			}
		}
		out.OutboundRules = append(out.OutboundRules, or)
	}
	c.add(topology.TypeLoadBalancer, out)
}

// --- Azure Virtual Network Manager and Virtual WAN (recognised, not modelled: reference §10 item 44) ---

func convertNetworkManager(c *rctx, m *armnetwork.Manager) {
	p := deref(m.Properties)
	out := topology.NetworkManager{Meta: c.meta(str(m.Name)), Location: str(m.Location)}
	if sc := p.NetworkManagerScopes; sc != nil {
		out.ScopeSubscriptions = strs(sc.Subscriptions)
		out.ScopeManagementGroups = strs(sc.ManagementGroups)
	}
	for _, a := range p.NetworkManagerScopeAccesses {
		if a != nil {
			out.ScopeAccesses = append(out.ScopeAccesses, string(*a))
		}
	}
	c.add(topology.TypeNetworkManager, out)
}

func convertSecurityAdminConfig(c *rctx, x *armnetwork.SecurityAdminConfiguration) {
	c.add(topology.TypeSecurityAdminConfig, topology.SecurityAdminConfiguration{Meta: c.meta(str(x.Name))})
}

func convertAdminRuleCollection(c *rctx, x *armnetwork.AdminRuleCollection) {
	p := deref(x.Properties)
	out := topology.AdminRuleCollection{Meta: c.meta(str(x.Name))}
	for _, g := range p.AppliesToGroups {
		if g != nil && g.NetworkGroupID != nil {
			out.NetworkGroups = append(out.NetworkGroups, *g.NetworkGroupID)
		}
	}
	c.add(topology.TypeAdminRuleCollection, out)
}

func convertVirtualHub(c *rctx, h *armnetwork.VirtualHub) {
	p := deref(h.Properties)
	out := topology.VirtualHub{Meta: c.meta(str(h.Name)), Location: str(h.Location)}
	if a := strings.TrimSpace(str(p.AddressPrefix)); a != "" {
		out.AddressPrefix, _ = c.prefix(a, ".properties.addressPrefix")
	}
	if p.VirtualWan != nil {
		out.VirtualWAN = str(p.VirtualWan.ID)
	}
	if p.AzureFirewall != nil {
		out.AzureFirewall = str(p.AzureFirewall.ID)
	}
	c.add(topology.TypeVirtualHub, out)
}

func convertVirtualWAN(c *rctx, w *armnetwork.VirtualWAN) {
	p := deref(w.Properties)
	c.add(topology.TypeVirtualWAN, topology.VirtualWAN{Meta: c.meta(str(w.Name)), Location: str(w.Location), Type: str(p.Type)})
}
