package tfplan

import (
	"fmt"
	"strings"

	"github.com/vnetpath/vnetpath/azure/deploy"
)

// Converters from azurerm resources to ARM resources. Each fills e.obj
// (whose id, name, type and location are set) and may return further
// entries and changes to other resources.

func location(c *conv, e *entry) {
	set(e.obj, "location", c.str("location"))
}

func zones(c *conv, e *entry) {
	if z := c.strs("zones"); len(z) > 0 {
		e.obj["zones"] = strList(z)
	}
}

func convEmpty(c *conv, e *entry) ([]*entry, []patch) {
	location(c, e)
	e.obj["properties"] = map[string]any{}
	return nil, nil
}

// --- virtual networks ---

func convVNet(c *conv, e *entry) ([]*entry, []patch) {
	location(c, e)
	p := e.props()
	p["addressSpace"] = map[string]any{"addressPrefixes": strList(c.strs("address_space"))}
	if dns := c.strs("dns_servers"); len(dns) > 0 {
		p["dhcpOptions"] = map[string]any{"dnsServers": strList(dns)}
	}
	// Inline subnet blocks; those an azurerm_subnet also manages are
	// dropped when the result is assembled.
	if n := c.blocks("subnet"); n > 0 {
		var subnets []any
		for i := range n {
			name := c.str("subnet", i, "name")
			sp := map[string]any{}
			prefixes := c.strs("subnet", i, "address_prefixes")
			if one := c.str("subnet", i, "address_prefix"); one != "" {
				prefixes = append(prefixes, one)
			}
			sp["addressPrefixes"] = strList(prefixes)
			set(sp, "networkSecurityGroup", sub(c.ref("subnet", i, "security_group")))
			set(sp, "routeTable", sub(c.ref("subnet", i, "route_table_id")))
			if b, ok := c.boolean("subnet", i, "default_outbound_access_enabled"); ok {
				sp["defaultOutboundAccess"] = b
			}
			set(sp, "privateEndpointNetworkPolicies", c.str("subnet", i, "private_endpoint_network_policies"))
			subnets = append(subnets, map[string]any{"name": name, "id": e.id + "/subnets/" + name, "properties": sp})
		}
		p["subnets"] = subnets
	}
	return nil, nil
}

func convSubnet(c *conv, e *entry) ([]*entry, []patch) {
	p := e.props()
	prefixes := c.strs("address_prefixes")
	if one := c.str("address_prefix"); one != "" {
		prefixes = append(prefixes, one)
	}
	p["addressPrefixes"] = strList(prefixes)
	var eps []any
	for _, s := range c.strs("service_endpoints") {
		eps = append(eps, map[string]any{"service": s})
	}
	if len(eps) > 0 {
		p["serviceEndpoints"] = eps
	}
	var dels []any
	for i := range c.blocks("delegation") {
		svc := c.str("delegation", i, "service_delegation", 0, "name")
		dels = append(dels, map[string]any{"name": c.str("delegation", i, "name"), "properties": map[string]any{"serviceName": svc}})
	}
	if len(dels) > 0 {
		p["delegations"] = dels
	}
	// Private endpoint network policies: a string in provider 4, a
	// boolean before; enforce_private_link_endpoint_network_policies = true
	// (provider 2) means the policies are disabled.
	switch {
	case c.has("private_endpoint_network_policies"):
		p["privateEndpointNetworkPolicies"] = c.str("private_endpoint_network_policies")
	case c.has("private_endpoint_network_policies_enabled"):
		b, _ := c.boolean("private_endpoint_network_policies_enabled")
		p["privateEndpointNetworkPolicies"] = enabled(b)
	case c.has("enforce_private_link_endpoint_network_policies"):
		b, _ := c.boolean("enforce_private_link_endpoint_network_policies")
		p["privateEndpointNetworkPolicies"] = enabled(!b)
	}
	if b, ok := c.boolean("default_outbound_access_enabled"); ok {
		p["defaultOutboundAccess"] = b
	}
	return nil, nil
}

func enabled(b bool) string {
	if b {
		return "Enabled"
	}
	return "Disabled"
}

func convPeering(c *conv, e *entry) ([]*entry, []patch) {
	p := e.props()
	p["remoteVirtualNetwork"] = sub(c.ref("remote_virtual_network_id"))
	p["allowVirtualNetworkAccess"] = true
	c.optBool(p, "allowVirtualNetworkAccess", "allow_virtual_network_access")
	c.optBool(p, "allowForwardedTraffic", "allow_forwarded_traffic")
	c.optBool(p, "allowGatewayTransit", "allow_gateway_transit")
	c.optBool(p, "useRemoteGateways", "use_remote_gateways")
	c.optBool(p, "peerCompleteVnets", "peer_complete_virtual_networks_enabled")
	c.optBool(p, "enableOnlyIPv6Peering", "only_ipv6_peering_enabled")
	if l := c.strs("local_subnet_names"); len(l) > 0 {
		p["localSubnetNames"] = strList(l)
	}
	if r := c.strs("remote_subnet_names"); len(r) > 0 {
		p["remoteSubnetNames"] = strList(r)
	}
	return nil, nil
}

// --- routes ---

func convRouteTable(c *conv, e *entry) ([]*entry, []patch) {
	location(c, e)
	p := e.props()
	if b, ok := c.boolean("bgp_route_propagation_enabled"); ok {
		p["disableBgpRoutePropagation"] = !b
	} else if b, ok := c.boolean("disable_bgp_route_propagation"); ok {
		p["disableBgpRoutePropagation"] = b
	}
	var routes []any
	for i := range c.blocks("route") {
		name := c.str("route", i, "name")
		routes = append(routes, map[string]any{"name": name, "id": e.id + "/routes/" + name, "properties": routeProps(c, "route", i)})
	}
	p["routes"] = nonNil(routes)
	return nil, nil
}

func routeProps(c *conv, prefix ...any) map[string]any {
	at := func(k string) []any { return append(append([]any{}, prefix...), k) }
	rp := map[string]any{
		"addressPrefix": c.str(at("address_prefix")...),
		"nextHopType":   c.str(at("next_hop_type")...),
	}
	set(rp, "nextHopIpAddress", c.str(at("next_hop_in_ip_address")...))
	return rp
}

func convRoute(c *conv, e *entry) ([]*entry, []patch) {
	e.obj["properties"] = routeProps(c)
	return nil, nil
}

func nonNil(xs []any) []any {
	if xs == nil {
		return []any{}
	}
	return xs
}

// --- network security groups ---

func convNSG(c *conv, e *entry) ([]*entry, []patch) {
	location(c, e)
	var rules []any
	for i := range c.blocks("security_rule") {
		name := c.str("security_rule", i, "name")
		rules = append(rules, map[string]any{"name": name, "id": e.id + "/securityRules/" + name, "properties": ruleProps(c, "security_rule", i)})
	}
	e.props()["securityRules"] = nonNil(rules)
	return nil, nil
}

func ruleProps(c *conv, prefix ...any) map[string]any {
	at := func(k string) []any { return append(append([]any{}, prefix...), k) }
	rp := map[string]any{
		"direction": c.str(at("direction")...),
		"access":    c.str(at("access")...),
		"protocol":  c.str(at("protocol")...),
	}
	c.optNum(rp, "priority", at("priority")...)
	for _, f := range [][2]string{
		{"source_port_range", "sourcePortRange"}, {"destination_port_range", "destinationPortRange"},
		{"source_address_prefix", "sourceAddressPrefix"}, {"destination_address_prefix", "destinationAddressPrefix"},
	} {
		set(rp, f[1], c.str(at(f[0])...))
	}
	for _, f := range [][2]string{
		{"source_port_ranges", "sourcePortRanges"}, {"destination_port_ranges", "destinationPortRanges"},
		{"source_address_prefixes", "sourceAddressPrefixes"}, {"destination_address_prefixes", "destinationAddressPrefixes"},
	} {
		if l := c.strs(at(f[0])...); len(l) > 0 {
			rp[f[1]] = strList(l)
		}
	}
	if ids := c.refs(at("source_application_security_group_ids")...); len(ids) > 0 {
		rp["sourceApplicationSecurityGroups"] = subs(ids)
	}
	if ids := c.refs(at("destination_application_security_group_ids")...); len(ids) > 0 {
		rp["destinationApplicationSecurityGroups"] = subs(ids)
	}
	return rp
}

func convSecurityRule(c *conv, e *entry) ([]*entry, []patch) {
	e.obj["properties"] = ruleProps(c)
	return nil, nil
}

func convIPGroup(c *conv, e *entry) ([]*entry, []patch) {
	location(c, e)
	e.props()["ipAddresses"] = strList(c.strs("cidrs"))
	return nil, nil
}

// --- network interfaces ---

func convNIC(c *conv, e *entry) ([]*entry, []patch) {
	location(c, e)
	p := e.props()
	if b, ok := c.boolean("ip_forwarding_enabled"); ok {
		p["enableIPForwarding"] = b
	} else if b, ok := c.boolean("enable_ip_forwarding"); ok {
		p["enableIPForwarding"] = b
	}
	if dns := c.strs("dns_servers"); len(dns) > 0 {
		p["dnsSettings"] = map[string]any{"dnsServers": strList(dns)}
	}
	var cfgs []any
	for i := range c.blocks("ip_configuration") {
		name := c.str("ip_configuration", i, "name")
		ip := map[string]any{}
		set(ip, "subnet", sub(c.ref("ip_configuration", i, "subnet_id")))
		set(ip, "publicIPAddress", sub(c.ref("ip_configuration", i, "public_ip_address_id")))
		set(ip, "privateIPAllocationMethod", c.str("ip_configuration", i, "private_ip_address_allocation"))
		set(ip, "privateIPAddressVersion", c.str("ip_configuration", i, "private_ip_address_version"))
		c.optBool(ip, "primary", "ip_configuration", i, "primary")
		// The address: given for a static configuration, assigned by
		// Azure for a dynamic one (unknown until the NIC exists).
		set(ip, "privateIPAddress", c.computed("ip_configuration", i, "private_ip_address"))
		cfgs = append(cfgs, map[string]any{"name": name, "id": e.id + "/ipConfigurations/" + name, "properties": ip})
	}
	p["ipConfigurations"] = nonNil(cfgs)
	return nil, nil
}

// --- Azure Firewall ---

func firewallIPConfig(c *conv, block string, i int) map[string]any {
	ip := map[string]any{}
	set(ip, "subnet", sub(c.ref(block, i, "subnet_id")))
	set(ip, "publicIPAddress", sub(c.ref(block, i, "public_ip_address_id")))
	if ip["subnet"] != nil {
		// Azure assigns the firewall's address in its subnet.
		set(ip, "privateIPAddress", c.computed(block, i, "private_ip_address"))
	}
	return map[string]any{"name": c.str(block, i, "name"), "properties": ip}
}

func convFirewall(c *conv, e *entry) ([]*entry, []patch) {
	location(c, e)
	zones(c, e)
	p := e.props()
	skuObj := map[string]any{}
	set(skuObj, "name", c.str("sku_name"))
	set(skuObj, "tier", c.str("sku_tier"))
	p["sku"] = skuObj
	set(p, "firewallPolicy", sub(c.ref("firewall_policy_id")))
	set(p, "threatIntelMode", c.str("threat_intel_mode"))
	var cfgs []any
	for i := range c.blocks("ip_configuration") {
		cfgs = append(cfgs, firewallIPConfig(c, "ip_configuration", i))
	}
	p["ipConfigurations"] = nonNil(cfgs)
	if c.blocks("management_ip_configuration") > 0 {
		p["managementIpConfiguration"] = firewallIPConfig(c, "management_ip_configuration", 0)
	}
	add := map[string]any{}
	if b, ok := c.boolean("dns_proxy_enabled"); ok {
		add["Network.DNS.EnableProxy"] = fmt.Sprint(b)
	}
	if s := c.strs("dns_servers"); len(s) > 0 {
		add["Network.DNS.Servers"] = strings.Join(s, ",")
	}
	if s := c.strs("private_ip_ranges"); len(s) > 0 {
		add["Network.SNAT.PrivateRanges"] = strings.Join(s, ",")
	}
	if len(add) > 0 {
		p["additionalProperties"] = add
	}
	p["networkRuleCollections"] = []any{}
	p["applicationRuleCollections"] = []any{}
	p["natRuleCollections"] = []any{}
	return nil, nil
}

func convFirewallPolicy(c *conv, e *entry) ([]*entry, []patch) {
	location(c, e)
	p := e.props()
	set(p, "basePolicy", sub(c.ref("base_policy_id")))
	if c.blocks("dns") > 0 {
		dns := map[string]any{"servers": strList(c.strs("dns", 0, "servers"))}
		c.optBool(dns, "enableProxy", "dns", 0, "proxy_enabled")
		p["dnsSettings"] = dns
	}
	if r := c.strs("private_ip_ranges"); len(r) > 0 {
		p["snat"] = map[string]any{"privateRanges": strList(r)}
	}
	set(p, "threatIntelMode", c.str("threat_intelligence_mode"))
	if s := c.str("sku"); s != "" {
		p["sku"] = map[string]any{"tier": s}
	}
	return nil, nil
}

func convRuleCollectionGroup(c *conv, e *entry) ([]*entry, []patch) {
	p := e.props()
	c.optNum(p, "priority", "priority")
	var cols []any
	collection := func(kind string, i int, ruleType string, rule func(j int) map[string]any) {
		col := map[string]any{"name": c.str(kind, i, "name")}
		c.optNum(col, "priority", kind, i, "priority")
		action := c.str(kind, i, "action")
		if ruleType == "NatRule" {
			col["ruleCollectionType"] = "FirewallPolicyNatRuleCollection"
			if strings.EqualFold(action, "Dnat") {
				action = "DNAT"
			}
		} else {
			col["ruleCollectionType"] = "FirewallPolicyFilterRuleCollection"
		}
		col["action"] = map[string]any{"type": action}
		var rules []any
		for j := range c.blocks(kind, i, "rule") {
			r := rule(j)
			r["ruleType"] = ruleType
			r["name"] = c.str(kind, i, "rule", j, "name")
			rules = append(rules, r)
		}
		col["rules"] = nonNil(rules)
		cols = append(cols, col)
	}
	list := func(r map[string]any, k string, p ...any) {
		if l := c.strs(p...); len(l) > 0 {
			r[k] = strList(l)
		}
	}
	for i := range c.blocks("network_rule_collection") {
		collection("network_rule_collection", i, "NetworkRule", func(j int) map[string]any {
			at := func(k string) []any { return []any{"network_rule_collection", i, "rule", j, k} }
			r := map[string]any{}
			list(r, "ipProtocols", at("protocols")...)
			list(r, "sourceAddresses", at("source_addresses")...)
			list(r, "destinationAddresses", at("destination_addresses")...)
			list(r, "destinationFqdns", at("destination_fqdns")...)
			list(r, "destinationPorts", at("destination_ports")...)
			if ids := c.refs(at("source_ip_groups")...); len(ids) > 0 {
				r["sourceIpGroups"] = strList(ids)
			}
			if ids := c.refs(at("destination_ip_groups")...); len(ids) > 0 {
				r["destinationIpGroups"] = strList(ids)
			}
			return r
		})
	}
	for i := range c.blocks("application_rule_collection") {
		collection("application_rule_collection", i, "ApplicationRule", func(j int) map[string]any {
			at := func(k string) []any { return []any{"application_rule_collection", i, "rule", j, k} }
			r := map[string]any{}
			var protos []any
			for k := range c.blocks(at("protocols")...) {
				pr := map[string]any{"protocolType": c.str(append(at("protocols"), k, "type")...)}
				c.optNum(pr, "port", append(at("protocols"), k, "port")...)
				protos = append(protos, pr)
			}
			if protos != nil {
				r["protocols"] = protos
			}
			list(r, "sourceAddresses", at("source_addresses")...)
			list(r, "destinationAddresses", at("destination_addresses")...)
			list(r, "targetFqdns", at("destination_fqdns")...)
			list(r, "fqdnTags", at("destination_fqdn_tags")...)
			list(r, "targetUrls", at("destination_urls")...)
			list(r, "webCategories", at("web_categories")...)
			c.optBool(r, "terminateTLS", at("terminate_tls")...)
			if ids := c.refs(at("source_ip_groups")...); len(ids) > 0 {
				r["sourceIpGroups"] = strList(ids)
			}
			return r
		})
	}
	for i := range c.blocks("nat_rule_collection") {
		collection("nat_rule_collection", i, "NatRule", func(j int) map[string]any {
			at := func(k string) []any { return []any{"nat_rule_collection", i, "rule", j, k} }
			r := map[string]any{}
			list(r, "ipProtocols", at("protocols")...)
			list(r, "sourceAddresses", at("source_addresses")...)
			list(r, "destinationPorts", at("destination_ports")...)
			if d := c.str(at("destination_address")...); d != "" {
				r["destinationAddresses"] = []any{d}
			}
			set(r, "translatedAddress", c.str(at("translated_address")...))
			set(r, "translatedFqdn", c.str(at("translated_fqdn")...))
			if n, ok := c.num(at("translated_port")...); ok {
				r["translatedPort"] = fmt.Sprint(n)
			}
			if ids := c.refs(at("source_ip_groups")...); len(ids) > 0 {
				r["sourceIpGroups"] = strList(ids)
			}
			return r
		})
	}
	p["ruleCollections"] = nonNil(cols)
	return nil, nil
}

// classicCollection adds a classic rule collection to its firewall.
func classicCollection(kind string) func(c *conv, e *entry) ([]*entry, []patch) {
	return func(c *conv, _ *entry) ([]*entry, []patch) {
		fw := ""
		if g, n := rg(c), c.str("azure_firewall_name"); g != "" && n != "" {
			fw = deploy.ResourceID(c.ev.sub, g, "Microsoft.Network/azureFirewalls", n)
		}
		col := map[string]any{"name": c.str("name")}
		cp := map[string]any{}
		c.optNum(cp, "priority", "priority")
		cp["action"] = map[string]any{"type": c.str("action")}
		var rules []any
		for j := range c.blocks("rule") {
			at := func(k string) []any { return []any{"rule", j, k} }
			r := map[string]any{"name": c.str(at("name")...)}
			list := func(k string, p []any) {
				if l := c.strs(p...); len(l) > 0 {
					r[k] = strList(l)
				}
			}
			list("sourceAddresses", at("source_addresses"))
			if ids := c.refs(at("source_ip_groups")...); len(ids) > 0 {
				r["sourceIpGroups"] = strList(ids)
			}
			switch kind {
			case "network":
				list("protocols", at("protocols"))
				list("destinationAddresses", at("destination_addresses"))
				list("destinationFqdns", at("destination_fqdns"))
				list("destinationPorts", at("destination_ports"))
				if ids := c.refs(at("destination_ip_groups")...); len(ids) > 0 {
					r["destinationIpGroups"] = strList(ids)
				}
			case "application":
				list("targetFqdns", at("target_fqdns"))
				list("fqdnTags", at("fqdn_tags"))
				var protos []any
				for k := range c.blocks(at("protocol")...) {
					pr := map[string]any{"protocolType": c.str("rule", j, "protocol", k, "type")}
					c.optNum(pr, "port", "rule", j, "protocol", k, "port")
					protos = append(protos, pr)
				}
				if protos != nil {
					r["protocols"] = protos
				}
			case "nat":
				list("protocols", at("protocols"))
				list("destinationAddresses", at("destination_addresses"))
				list("destinationPorts", at("destination_ports"))
				set(r, "translatedAddress", c.str(at("translated_address")...))
				set(r, "translatedPort", c.str(at("translated_port")...))
			}
			rules = append(rules, r)
		}
		cp["rules"] = nonNil(rules)
		col["properties"] = cp
		key := map[string]string{"network": "networkRuleCollections", "application": "applicationRuleCollections", "nat": "natRuleCollections"}[kind]
		return nil, []patch{{target: fw, targetType: "Microsoft.Network/azureFirewalls", what: kind + " rule collection " + c.str("name"), apply: func(obj map[string]any) {
			p := props(obj)
			arr, _ := p[key].([]any)
			p[key] = append(arr, col)
		}}}
	}
}

func props(obj map[string]any) map[string]any {
	p, _ := obj["properties"].(map[string]any)
	if p == nil {
		p = map[string]any{}
		obj["properties"] = p
	}
	return p
}

// --- egress ---

func convNATGateway(c *conv, e *entry) ([]*entry, []patch) {
	location(c, e)
	zones(c, e)
	if s := c.str("sku_name"); s != "" {
		e.obj["sku"] = map[string]any{"name": s}
	}
	p := e.props()
	c.optNum(p, "idleTimeoutInMinutes", "idle_timeout_in_minutes")
	p["publicIpAddresses"] = []any{}
	p["subnets"] = []any{}
	return nil, nil
}

func convPublicIP(c *conv, e *entry) ([]*entry, []patch) {
	location(c, e)
	zones(c, e)
	skuObj := map[string]any{}
	set(skuObj, "name", c.str("sku"))
	set(skuObj, "tier", c.str("sku_tier"))
	if len(skuObj) > 0 {
		e.obj["sku"] = skuObj
	}
	p := e.props()
	set(p, "publicIPAllocationMethod", c.str("allocation_method"))
	set(p, "publicIPAddressVersion", c.str("ip_version"))
	c.optNum(p, "idleTimeoutInMinutes", "idle_timeout_in_minutes")
	// Azure allocates the address when it creates the public IP.
	set(p, "ipAddress", c.computed("ip_address"))
	return nil, nil
}

// --- private endpoints and DNS ---

func convPrivateEndpoint(c *conv, e *entry) ([]*entry, []patch) {
	location(c, e)
	p := e.props()
	p["subnet"] = sub(c.ref("subnet_id"))
	var auto, manual []any
	for i := range c.blocks("private_service_connection") {
		conn := map[string]any{
			"privateLinkServiceId": c.ref("private_service_connection", i, "private_connection_resource_id"),
			"groupIds":             strList(c.strs("private_service_connection", i, "subresource_names")),
		}
		isManual, _ := c.boolean("private_service_connection", i, "is_manual_connection")
		name := c.str("private_service_connection", i, "name")
		if isManual {
			conn["privateLinkServiceConnectionState"] = map[string]any{"status": "Pending"}
			c.notes = append(c.notes, fmt.Sprintf("connection %q is taken as Pending: it asks for manual approval, which the plan does not show", name))
			manual = append(manual, map[string]any{"name": name, "properties": conn})
		} else {
			conn["privateLinkServiceConnectionState"] = map[string]any{"status": "Approved", "description": "Auto-Approved"}
			c.notes = append(c.notes, fmt.Sprintf("connection %q is taken as Approved: Azure approves a private link connection automatically when the deploying identity may approve connections to its target", name))
			auto = append(auto, map[string]any{"name": name, "properties": conn})
		}
	}
	p["privateLinkServiceConnections"] = nonNil(auto)
	p["manualPrivateLinkServiceConnections"] = nonNil(manual)
	// Addresses: static ip_configuration blocks, else the custom DNS
	// configurations Azure fills in (unknown until the endpoint exists).
	var ipcs []any
	for i := range c.blocks("ip_configuration") {
		ipcs = append(ipcs, map[string]any{"name": c.str("ip_configuration", i, "name"), "properties": map[string]any{
			"groupId":          c.str("ip_configuration", i, "subresource_name"),
			"memberName":       c.str("ip_configuration", i, "member_name"),
			"privateIPAddress": c.str("ip_configuration", i, "private_ip_address"),
		}})
	}
	p["ipConfigurations"] = nonNil(ipcs)
	var dns []any
	if len(ipcs) == 0 && c.isUnknown("custom_dns_configs") {
		c.unknown([]any{"custom_dns_configs"}, "the addresses of the endpoint are assigned by Azure when it creates the endpoint")
	}
	for i := range c.blocks("custom_dns_configs") {
		dns = append(dns, map[string]any{"fqdn": c.str("custom_dns_configs", i, "fqdn"), "ipAddresses": strList(c.strs("custom_dns_configs", i, "ip_addresses"))})
	}
	if len(dns) > 0 {
		p["customDnsConfigs"] = dns
	}
	if len(ipcs) == 0 && len(dns) == 0 {
		if a := c.computed("private_service_connection", 0, "private_ip_address"); a != "" {
			p["ipConfigurations"] = []any{map[string]any{"name": "default", "properties": map[string]any{"privateIPAddress": a}}}
		}
	}
	// The records its DNS zone group writes.
	var out []*entry
	if c.blocks("private_dns_zone_group") > 0 {
		group := c.str("private_dns_zone_group", 0, "name")
		groupID := e.id + "/privateDnsZoneGroups/" + group
		if c.isUnknown("private_dns_zone_configs") {
			out = append(out, &entry{id: groupID, typ: "Microsoft.Network/privateEndpoints/privateDnsZoneGroups", addr: c.in.addr,
				missing: "private_dns_zone_configs is not known before apply: the A records the DNS zone group " + group + " writes are known once the endpoint exists"})
		}
		for i := range c.blocks("private_dns_zone_configs") {
			zone := c.ref("private_dns_zone_configs", i, "private_dns_zone_id")
			for j := range c.blocks("private_dns_zone_configs", i, "record_sets") {
				at := func(k string) []any { return []any{"private_dns_zone_configs", i, "record_sets", j, k} }
				typ := strings.ToUpper(c.str(at("type")...))
				if typ == "" {
					typ = "A"
				}
				name := c.str(at("name")...)
				rec := &entry{id: zone + "/" + typ + "/" + name, typ: "Microsoft.Network/privateDnsZones/" + typ, addr: c.in.addr, obj: map[string]any{}, derived: true}
				rec.obj["id"], rec.obj["name"], rec.obj["type"] = rec.id, name, rec.typ
				rp := map[string]any{}
				c.optNum(rp, "ttl", at("ttl")...)
				set(rp, "fqdn", c.str(at("fqdn")...))
				var addrs []any
				for _, a := range c.strs(at("ip_addresses")...) {
					if typ == "AAAA" {
						addrs = append(addrs, map[string]any{"ipv6Address": a})
					} else {
						addrs = append(addrs, map[string]any{"ipv4Address": a})
					}
				}
				if typ == "AAAA" {
					rp["aaaaRecords"] = nonNil(addrs)
				} else {
					rp["aRecords"] = nonNil(addrs)
				}
				rec.obj["properties"] = rp
				out = append(out, rec)
			}
		}
	}
	return out, nil
}

func convPrivateZone(c *conv, e *entry) ([]*entry, []patch) {
	e.obj["location"] = "global"
	p := e.props()
	if !c.isUnknown("number_of_record_sets") {
		c.optNum(p, "numberOfRecordSets", "number_of_record_sets")
	}
	return nil, nil
}

func convRecord(kind string) func(c *conv, e *entry) ([]*entry, []patch) {
	return func(c *conv, e *entry) ([]*entry, []patch) {
		p := e.props()
		c.optNum(p, "ttl", "ttl")
		set(p, "fqdn", c.str("fqdn"))
		var recs []any
		switch kind {
		case "A":
			for _, a := range c.strs("records") {
				recs = append(recs, map[string]any{"ipv4Address": a})
			}
			p["aRecords"] = nonNil(recs)
		case "AAAA":
			for _, a := range c.strs("records") {
				recs = append(recs, map[string]any{"ipv6Address": a})
			}
			p["aaaaRecords"] = nonNil(recs)
		case "CNAME":
			p["cnameRecord"] = map[string]any{"cname": c.str("record")}
		case "PTR":
			for _, a := range c.strs("records") {
				recs = append(recs, map[string]any{"ptrdname": a})
			}
			p["ptrRecords"] = nonNil(recs)
		}
		return nil, nil
	}
}

func convZoneLink(c *conv, e *entry) ([]*entry, []patch) {
	e.obj["location"] = "global"
	p := e.props()
	p["virtualNetwork"] = sub(c.ref("virtual_network_id"))
	p["registrationEnabled"] = false
	c.optBool(p, "registrationEnabled", "registration_enabled")
	set(p, "resolutionPolicy", c.str("resolution_policy"))
	return nil, nil
}

func convResolver(c *conv, e *entry) ([]*entry, []patch) {
	location(c, e)
	e.props()["virtualNetwork"] = sub(c.ref("virtual_network_id"))
	return nil, nil
}

func convInbound(c *conv, e *entry) ([]*entry, []patch) {
	location(c, e)
	var cfgs []any
	for i := range c.blocks("ip_configurations") {
		ic := map[string]any{}
		ic["subnet"] = sub(c.ref("ip_configurations", i, "subnet_id"))
		set(ic, "privateIpAllocationMethod", c.str("ip_configurations", i, "private_ip_allocation_method"))
		// Azure assigns a dynamic address when it creates the endpoint.
		set(ic, "privateIpAddress", c.computed("ip_configurations", i, "private_ip_address"))
		cfgs = append(cfgs, ic)
	}
	e.props()["ipConfigurations"] = nonNil(cfgs)
	return nil, nil
}

func convOutbound(c *conv, e *entry) ([]*entry, []patch) {
	location(c, e)
	e.props()["subnet"] = sub(c.ref("subnet_id"))
	return nil, nil
}

func convRuleset(c *conv, e *entry) ([]*entry, []patch) {
	location(c, e)
	e.props()["dnsResolverOutboundEndpoints"] = subs(c.refs("private_dns_resolver_outbound_endpoint_ids"))
	return nil, nil
}

func convForwardingRule(c *conv, e *entry) ([]*entry, []patch) {
	p := e.props()
	p["domainName"] = c.str("domain_name")
	state := "Enabled"
	if b, ok := c.boolean("enabled"); ok && !b {
		state = "Disabled"
	}
	p["forwardingRuleState"] = state
	var targets []any
	for i := range c.blocks("target_dns_servers") {
		t := map[string]any{"ipAddress": c.str("target_dns_servers", i, "ip_address")}
		c.optNum(t, "port", "target_dns_servers", i, "port")
		targets = append(targets, t)
	}
	p["targetDnsServers"] = nonNil(targets)
	return nil, nil
}

func convRulesetLink(c *conv, e *entry) ([]*entry, []patch) {
	e.props()["virtualNetwork"] = sub(c.ref("virtual_network_id"))
	return nil, nil
}

// --- Azure Machine Learning ---

func convWorkspace(c *conv, e *entry) ([]*entry, []patch) {
	location(c, e)
	e.obj["kind"] = "Default"
	p := e.props()
	// The workspace's FQDNs are made of its workspaceId, which Azure
	// assigns when it creates the workspace.
	if id := c.computed("workspace_id"); id != "" {
		p["workspaceId"] = id
	} else if c.missing == "" {
		c.missing = "workspace_id is not set: the workspace's FQDNs are made of it"
	}
	set(p, "friendlyName", c.str("friendly_name"))
	set(p, "storageAccount", c.str("storage_account_id"))
	set(p, "keyVault", c.str("key_vault_id"))
	set(p, "containerRegistry", c.str("container_registry_id"))
	if b, ok := c.boolean("public_network_access_enabled"); ok {
		p["publicNetworkAccess"] = enabled(b)
	} else if b, ok := c.boolean("public_access_behind_virtual_network_enabled"); ok {
		p["publicNetworkAccess"] = enabled(b)
	}
	if c.blocks("managed_network") > 0 {
		p["managedNetwork"] = map[string]any{"isolationMode": c.str("managed_network", 0, "isolation_mode")}
	}
	return nil, nil
}

// --- gateways ---

func convGateway(c *conv, e *entry) ([]*entry, []patch) {
	location(c, e)
	p := e.props()
	set(p, "gatewayType", c.str("type"))
	set(p, "vpnType", c.str("vpn_type"))
	if s := c.str("sku"); s != "" {
		p["sku"] = map[string]any{"name": s, "tier": s}
	}
	c.optBool(p, "activeActive", "active_active")
	if b, ok := c.boolean("bgp_enabled"); ok {
		p["enableBgp"] = b
	} else {
		c.optBool(p, "enableBgp", "enable_bgp")
	}
	if c.blocks("bgp_settings") > 0 {
		bgp := map[string]any{}
		c.optNum(bgp, "asn", "bgp_settings", 0, "asn")
		c.optNum(bgp, "peerWeight", "bgp_settings", 0, "peer_weight")
		var addrs []any
		var first string
		for i := range c.blocks("bgp_settings", 0, "peering_addresses") {
			def := c.strs("bgp_settings", 0, "peering_addresses", i, "default_addresses")
			if first == "" && len(def) > 0 {
				first = def[0]
			}
			addrs = append(addrs, map[string]any{
				"defaultBgpIpAddresses": strList(def),
				"customBgpIpAddresses":  strList(c.strs("bgp_settings", 0, "peering_addresses", i, "apipa_addresses")),
			})
		}
		if addrs != nil {
			bgp["bgpPeeringAddresses"] = addrs
		}
		set(bgp, "bgpPeeringAddress", first)
		p["bgpSettings"] = bgp
	}
	var cfgs []any
	for i := range c.blocks("ip_configuration") {
		ip := map[string]any{}
		set(ip, "subnet", sub(c.ref("ip_configuration", i, "subnet_id")))
		set(ip, "publicIPAddress", sub(c.ref("ip_configuration", i, "public_ip_address_id")))
		set(ip, "privateIPAllocationMethod", c.str("ip_configuration", i, "private_ip_address_allocation"))
		cfgs = append(cfgs, map[string]any{"name": c.str("ip_configuration", i, "name"), "properties": ip})
	}
	p["ipConfigurations"] = nonNil(cfgs)
	if c.blocks("custom_route") > 0 {
		p["customRoutes"] = map[string]any{"addressPrefixes": strList(c.strs("custom_route", 0, "address_prefixes"))}
	}
	return nil, nil
}

func convLocalGateway(c *conv, e *entry) ([]*entry, []patch) {
	location(c, e)
	p := e.props()
	set(p, "gatewayIpAddress", c.str("gateway_address"))
	set(p, "fqdn", c.str("gateway_fqdn"))
	p["localNetworkAddressSpace"] = map[string]any{"addressPrefixes": strList(c.strs("address_space"))}
	if c.blocks("bgp_settings") > 0 {
		bgp := map[string]any{}
		c.optNum(bgp, "asn", "bgp_settings", 0, "asn")
		set(bgp, "bgpPeeringAddress", c.str("bgp_settings", 0, "bgp_peering_address"))
		c.optNum(bgp, "peerWeight", "bgp_settings", 0, "peer_weight")
		p["bgpSettings"] = bgp
	}
	return nil, nil
}

func convConnection(c *conv, e *entry) ([]*entry, []patch) {
	location(c, e)
	p := e.props()
	set(p, "connectionType", c.str("type"))
	set(p, "virtualNetworkGateway1", sub(c.ref("virtual_network_gateway_id")))
	set(p, "localNetworkGateway2", sub(c.ref("local_network_gateway_id")))
	set(p, "virtualNetworkGateway2", sub(c.ref("peer_virtual_network_gateway_id")))
	if b, ok := c.boolean("bgp_enabled"); ok {
		p["enableBgp"] = b
	} else {
		c.optBool(p, "enableBgp", "enable_bgp")
	}
	return nil, nil
}

// --- associations ---

// assocSubnet sets a subnet's route table, NSG or NAT gateway.
func assocSubnet(attr, field, what string) func(c *conv, e *entry) ([]*entry, []patch) {
	return func(c *conv, _ *entry) ([]*entry, []patch) {
		subnet := c.ref("subnet_id")
		target := c.ref(attr)
		pt := patch{target: subnet, targetType: "Microsoft.Network/virtualNetworks/subnets", what: what, missing: c.missing, apply: func(obj map[string]any) {
			props(obj)[field] = map[string]any{"id": target}
		}}
		return nil, []patch{pt}
	}
}

func assocNICSecurityGroup(c *conv, _ *entry) ([]*entry, []patch) {
	nic := c.ref("network_interface_id")
	nsg := c.ref("network_security_group_id")
	return nil, []patch{{target: nic, targetType: "Microsoft.Network/networkInterfaces", what: "network security group association", missing: c.missing, apply: func(obj map[string]any) {
		props(obj)["networkSecurityGroup"] = map[string]any{"id": nsg}
	}}}
}

func assocNICApplicationSecurityGroup(c *conv, _ *entry) ([]*entry, []patch) {
	nic := c.ref("network_interface_id")
	asg := c.ref("application_security_group_id")
	return nil, []patch{{target: nic, targetType: "Microsoft.Network/networkInterfaces", what: "application security group association", missing: c.missing, apply: func(obj map[string]any) {
		cfgs, _ := props(obj)["ipConfigurations"].([]any)
		for _, x := range cfgs {
			ic, _ := x.(map[string]any)
			if ic == nil {
				continue
			}
			ip := props(ic)
			list, _ := ip["applicationSecurityGroups"].([]any)
			ip["applicationSecurityGroups"] = append(list, map[string]any{"id": asg})
		}
	}}}
}

func assocNATGateway(attr, field string) func(c *conv, e *entry) ([]*entry, []patch) {
	return func(c *conv, _ *entry) ([]*entry, []patch) {
		ng := c.ref("nat_gateway_id")
		target := c.ref(attr)
		return nil, []patch{{target: ng, targetType: "Microsoft.Network/natGateways", what: "public IP association", missing: c.missing, apply: func(obj map[string]any) {
			p := props(obj)
			list, _ := p[field].([]any)
			p[field] = append(list, map[string]any{"id": target})
		}}}
	}
}
