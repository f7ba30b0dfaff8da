package tfplan

import (
	"strings"

	"github.com/vnetpath/vnetpath/azure/deploy"
)

// tfType maps one azurerm resource type to ARM. Attribute names follow the
// azurerm provider documentation; where versions 3 and 4 of the provider
// differ, both names are read.
type tfType struct {
	arm string // the ARM type; "" for association resources, which change another resource
	// id builds the ARM ID from the attributes, as Azure names the
	// resource, for plans that leave "id" unknown.
	id func(c *conv) string
	// convert builds the ARM resource (properties, sku, zones) and any
	// further entries and changes to other resources.
	convert func(c *conv, e *entry) ([]*entry, []patch)
}

// entry is one resource of the result before it is encoded.
type entry struct {
	id, typ string
	addr    string // the Terraform address it comes from
	obj     map[string]any
	missing string
	notes   []string
	derived bool // written by Azure for another resource (a zone group's record)
}

func (e *entry) props() map[string]any {
	p, _ := e.obj["properties"].(map[string]any)
	if p == nil {
		p = map[string]any{}
		e.obj["properties"] = p
	}
	return p
}

// patch is a change an association resource makes to another resource (a
// route table associated with a subnet).
type patch struct {
	target     string // ID of the resource changed
	targetType string
	addr       string // the association's Terraform address
	what       string // "route table association" for messages
	missing    string // why the change is not known before apply
	apply      func(obj map[string]any)
}

func rg(c *conv) string { return c.str("resource_group_name") }

// named builds the ID of a resource of a resource group named by the
// "name" attribute and parent name attributes.
func named(arm string, parents ...string) func(c *conv) string {
	return func(c *conv) string {
		var names []string
		for _, p := range parents {
			names = append(names, c.str(p))
		}
		names = append(names, c.str("name"))
		g := rg(c)
		for _, n := range names {
			if n == "" {
				return ""
			}
		}
		if g == "" {
			return ""
		}
		return deploy.ResourceID(c.ev.sub, g, arm, names...)
	}
}

// under builds the ID of a child resource from its parent's ID attribute.
func under(parentAttr, segment string) func(c *conv) string {
	return func(c *conv) string {
		parent := c.ref(parentAttr)
		name := c.str("name")
		if parent == "" || name == "" {
			return ""
		}
		return strings.TrimRight(parent, "/") + "/" + segment + "/" + name
	}
}

var types map[string]tfType

func init() {
	types = map[string]tfType{
		"azurerm_virtual_network":                             {arm: "Microsoft.Network/virtualNetworks", id: named("Microsoft.Network/virtualNetworks"), convert: convVNet},
		"azurerm_subnet":                                      {arm: "Microsoft.Network/virtualNetworks/subnets", id: named("Microsoft.Network/virtualNetworks/subnets", "virtual_network_name"), convert: convSubnet},
		"azurerm_virtual_network_peering":                     {arm: "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", id: named("Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "virtual_network_name"), convert: convPeering},
		"azurerm_route_table":                                 {arm: "Microsoft.Network/routeTables", id: named("Microsoft.Network/routeTables"), convert: convRouteTable},
		"azurerm_route":                                       {arm: "Microsoft.Network/routeTables/routes", id: named("Microsoft.Network/routeTables/routes", "route_table_name"), convert: convRoute},
		"azurerm_network_security_group":                      {arm: "Microsoft.Network/networkSecurityGroups", id: named("Microsoft.Network/networkSecurityGroups"), convert: convNSG},
		"azurerm_network_security_rule":                       {arm: "Microsoft.Network/networkSecurityGroups/securityRules", id: named("Microsoft.Network/networkSecurityGroups/securityRules", "network_security_group_name"), convert: convSecurityRule},
		"azurerm_application_security_group":                  {arm: "Microsoft.Network/applicationSecurityGroups", id: named("Microsoft.Network/applicationSecurityGroups"), convert: convEmpty},
		"azurerm_ip_group":                                    {arm: "Microsoft.Network/ipGroups", id: named("Microsoft.Network/ipGroups"), convert: convIPGroup},
		"azurerm_network_interface":                           {arm: "Microsoft.Network/networkInterfaces", id: named("Microsoft.Network/networkInterfaces"), convert: convNIC},
		"azurerm_firewall":                                    {arm: "Microsoft.Network/azureFirewalls", id: named("Microsoft.Network/azureFirewalls"), convert: convFirewall},
		"azurerm_firewall_policy":                             {arm: "Microsoft.Network/firewallPolicies", id: named("Microsoft.Network/firewallPolicies"), convert: convFirewallPolicy},
		"azurerm_firewall_policy_rule_collection_group":       {arm: "Microsoft.Network/firewallPolicies/ruleCollectionGroups", id: under("firewall_policy_id", "ruleCollectionGroups"), convert: convRuleCollectionGroup},
		"azurerm_nat_gateway":                                 {arm: "Microsoft.Network/natGateways", id: named("Microsoft.Network/natGateways"), convert: convNATGateway},
		"azurerm_public_ip":                                   {arm: "Microsoft.Network/publicIPAddresses", id: named("Microsoft.Network/publicIPAddresses"), convert: convPublicIP},
		"azurerm_private_endpoint":                            {arm: "Microsoft.Network/privateEndpoints", id: named("Microsoft.Network/privateEndpoints"), convert: convPrivateEndpoint},
		"azurerm_private_dns_zone":                            {arm: "Microsoft.Network/privateDnsZones", id: named("Microsoft.Network/privateDnsZones"), convert: convPrivateZone},
		"azurerm_private_dns_a_record":                        {arm: "Microsoft.Network/privateDnsZones/A", id: named("Microsoft.Network/privateDnsZones/A", "zone_name"), convert: convRecord("A")},
		"azurerm_private_dns_aaaa_record":                     {arm: "Microsoft.Network/privateDnsZones/AAAA", id: named("Microsoft.Network/privateDnsZones/AAAA", "zone_name"), convert: convRecord("AAAA")},
		"azurerm_private_dns_cname_record":                    {arm: "Microsoft.Network/privateDnsZones/CNAME", id: named("Microsoft.Network/privateDnsZones/CNAME", "zone_name"), convert: convRecord("CNAME")},
		"azurerm_private_dns_ptr_record":                      {arm: "Microsoft.Network/privateDnsZones/PTR", id: named("Microsoft.Network/privateDnsZones/PTR", "zone_name"), convert: convRecord("PTR")},
		"azurerm_private_dns_zone_virtual_network_link":       {arm: "Microsoft.Network/privateDnsZones/virtualNetworkLinks", id: named("Microsoft.Network/privateDnsZones/virtualNetworkLinks", "private_dns_zone_name"), convert: convZoneLink},
		"azurerm_private_dns_resolver":                        {arm: "Microsoft.Network/dnsResolvers", id: named("Microsoft.Network/dnsResolvers"), convert: convResolver},
		"azurerm_private_dns_resolver_inbound_endpoint":       {arm: "Microsoft.Network/dnsResolvers/inboundEndpoints", id: under("private_dns_resolver_id", "inboundEndpoints"), convert: convInbound},
		"azurerm_private_dns_resolver_outbound_endpoint":      {arm: "Microsoft.Network/dnsResolvers/outboundEndpoints", id: under("private_dns_resolver_id", "outboundEndpoints"), convert: convOutbound},
		"azurerm_private_dns_resolver_dns_forwarding_ruleset": {arm: "Microsoft.Network/dnsForwardingRulesets", id: named("Microsoft.Network/dnsForwardingRulesets"), convert: convRuleset},
		"azurerm_private_dns_resolver_forwarding_rule":        {arm: "Microsoft.Network/dnsForwardingRulesets/forwardingRules", id: under("dns_forwarding_ruleset_id", "forwardingRules"), convert: convForwardingRule},
		"azurerm_private_dns_resolver_virtual_network_link":   {arm: "Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks", id: under("dns_forwarding_ruleset_id", "virtualNetworkLinks"), convert: convRulesetLink},
		"azurerm_machine_learning_workspace":                  {arm: "Microsoft.MachineLearningServices/workspaces", id: named("Microsoft.MachineLearningServices/workspaces"), convert: convWorkspace},
		"azurerm_virtual_network_gateway":                     {arm: "Microsoft.Network/virtualNetworkGateways", id: named("Microsoft.Network/virtualNetworkGateways"), convert: convGateway},
		"azurerm_local_network_gateway":                       {arm: "Microsoft.Network/localNetworkGateways", id: named("Microsoft.Network/localNetworkGateways"), convert: convLocalGateway},
		"azurerm_virtual_network_gateway_connection":          {arm: "Microsoft.Network/connections", id: named("Microsoft.Network/connections"), convert: convConnection},
		// Associations change another resource.
		"azurerm_subnet_route_table_association":                           {convert: assocSubnet("route_table_id", "routeTable", "route table association")},
		"azurerm_subnet_network_security_group_association":                {convert: assocSubnet("network_security_group_id", "networkSecurityGroup", "network security group association")},
		"azurerm_subnet_nat_gateway_association":                           {convert: assocSubnet("nat_gateway_id", "natGateway", "NAT gateway association")},
		"azurerm_network_interface_security_group_association":             {convert: assocNICSecurityGroup},
		"azurerm_network_interface_application_security_group_association": {convert: assocNICApplicationSecurityGroup},
		"azurerm_nat_gateway_public_ip_association":                        {convert: assocNATGateway("public_ip_address_id", "publicIpAddresses")},
		"azurerm_nat_gateway_public_ip_prefix_association":                 {convert: assocNATGateway("public_ip_prefix_id", "publicIpPrefixes")},
		"azurerm_firewall_network_rule_collection":                         {convert: classicCollection("network")},
		"azurerm_firewall_application_rule_collection":                     {convert: classicCollection("application")},
		"azurerm_firewall_nat_rule_collection":                             {convert: classicCollection("nat")},
	}
}

// resourceID returns the instance's ID: the planned "id" when known, else
// the ID Azure will give it, built from its attributes ("" when they are
// not known; c.missing says which).
func (c *conv) resourceID(t tfType) string {
	if id, ok := c.in.vals["id"].(string); ok && id != "" && strings.HasPrefix(strings.ToLower(id), "/subscriptions/") {
		return id
	}
	if t.id == nil {
		return ""
	}
	saved := c.missing
	id := t.id(c)
	if id != "" {
		c.missing = saved
	}
	return id
}
