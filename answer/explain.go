package answer

import (
	"strconv"
	"strings"

	"github.com/vnetpath/vnetpath/topology"
)

// Explain returns the sentence that says why b stops a flow (or, for an
// outcome cause, how the flow arrived): what Result.Reason, Part.Reason
// and ReturnPath.Reason hold. It reads only b's fields, as its Cause
// documents them, and cites the reference where the rule comes from.
func Explain(b Blocker) string {
	if f, ok := explainers[b.Cause]; ok {
		return f(b)
	}
	return string(b.Verdict) + " (" + string(b.Cause) + ")"
}

// FixText returns the sentence that says what f changes to lift b: what
// Fix.Text holds.
func FixText(f Fix, b Blocker) string {
	if t, ok := fixTexts[b.Cause]; ok {
		return t(f, b)
	}
	return f.Change
}

var explainers map[Cause]func(Blocker) string

var fixTexts map[Cause]func(Fix, Blocker) string

func init() {
	explainers = map[Cause]func(Blocker) string{
		CauseNSGRuleDenies:             explainNSGRuleDenies,
		CauseNSGDefaultDenies:          explainNSGDefaultDenies,
		CauseFirewallRuleDenies:        explainFirewallRuleDenies,
		CauseFirewallNoRule:            explainFirewallNoRule,
		CauseNotPeered:                 explainNotPeered,
		CausePeeringMissingHalf:        explainPeeringMissingHalf,
		CausePeeringNotConnected:       explainPeeringNotConnected,
		CausePeeringNoVNetAccess:       explainPeeringNoVNetAccess,
		CausePeeringNoForwardedTraffic: explainPeeringNoForwardedTraffic,
		CausePeeringSubnetScope:        explainPeeringSubnetScope,
		CausePeeringNotSynced:          explainPeeringNotSynced,
		CausePeeringIPv6Only:           explainPeeringIPv6Only,
		CauseIPv4OnlyDevice:            explainIPv4OnlyDevice,
		CauseGatewayNotVPN:             explainGatewayNotVPN,
		CauseLBNoRule:                  explainLBNoRule,
		CauseLBEmptyPool:               explainLBEmptyPool,
		CauseNoIPv6Egress:              explainNoIPv6Egress,
		CauseICMPNoEgress:              explainICMPNoEgress,
		CauseDestinationNotPeered:      explainDestinationNotPeered,
		CauseSystemRouteNone:           explainSystemRouteNone,
		CauseRouteNone:                 explainRouteNone,
		CauseNoRoute:                   explainNoRoute,
		CauseNextHopNotFound:           explainNextHopNotFound,
		CauseNextHopNotPeered:          explainNextHopNotPeered,
		CauseNextHopNoForwarding:       explainNextHopNoForwarding,
		CauseNextHopNotForwarder:       explainNextHopNotForwarder,
		CauseDestinationNotInSubnet:    explainDestinationNotInSubnet,
		CauseTagIntoVNet:               explainTagIntoVNet,
		CauseGatewayMissing:            explainGatewayMissing,
		CausePrivateToInternet:         explainPrivateToInternet,
		CausePEConnectionNotApproved:   explainPEConnectionNotApproved,
		CauseLoop:                      explainLoop,
		CausePathTooLong:               explainPathTooLong,
		CauseNoEgress:                  explainNoEgress,
		CauseFirewallNoPublicIP:        explainFirewallNoPublicIP,
		CauseReturnNoRoute:             explainReturnNoRoute,
		CauseReturnAsymmetric:          explainReturnAsymmetric,
		CauseReturnBypassesDevice:      explainReturnBypassesDevice,
		CauseReturnToUnseenDevice:      explainReturnToUnseenDevice,
		CauseReturnDropped:             explainReturnDropped,
		CauseReturnLeaves:              explainReturnLeaves,
		CauseReturnUnowned:             explainReturnUnowned,
		CauseReturnLoop:                explainReturnLoop,
		CauseDNSNXDomain:               explainDNSNXDomain,
		CauseDNSServerInvalid:          explainDNSServerInvalid,
		CauseDNSServerUnknown:          explainDNSServerUnknown,
		CauseDNSServerNotResolver:      explainDNSServerNotResolver,
		CauseDNSProxyOff:               explainDNSProxyOff,
		CauseDNSUnreachable:            explainDNSUnreachable,
		CauseDNSServerLoop:             explainDNSServerLoop,
		CauseDNSForwardLoop:            explainDNSForwardLoop,
		CauseDNSNoTarget:               explainDNSNoTarget,
		CauseDNSForwardTargetDown:      explainDNSForwardTargetDown,
		CauseDNSNoReverse:              explainDNSNoReverse,
		CauseDNSCNAMELoop:              explainDNSCNAMELoop,
		CausePrivateEndpointBypassed:   explainPrivateEndpointBypassed,
		CauseMissingResource:           explainMissingResource,
		CauseNotModelled:               explainNotModelled,
		CauseNoPath:                    explainNoPath,
		CauseDelivered:                 explainDelivered,
		CauseLeftAzure:                 explainLeftAzure,
		CauseServiceEndpoint:           explainServiceEndpoint,
		CauseHandedToGateway:           explainHandedToGateway,
		CausePlatform:                  explainPlatform,
	}
	fixTexts = map[Cause]func(Fix, Blocker) string{
		CauseNSGRuleDenies:             fixNSGRuleDenies,
		CauseNSGDefaultDenies:          fixNSGDefaultDenies,
		CauseFirewallRuleDenies:        fixFirewallRuleDenies,
		CauseFirewallNoRule:            fixFirewallNoRule,
		CauseNotPeered:                 fixNotPeered,
		CausePeeringMissingHalf:        fixPeeringMissingHalf,
		CausePeeringNotConnected:       fixPeeringNotConnected,
		CausePeeringNoVNetAccess:       fixPeeringNoVNetAccess,
		CausePeeringNoForwardedTraffic: fixPeeringNoForwardedTraffic,
		CausePeeringSubnetScope:        fixPeeringSubnetScope,
		CausePeeringNotSynced:          fixPeeringNotSynced,
		CausePeeringIPv6Only:           fixPeeringIPv6Only,
		CauseIPv4OnlyDevice:            fixIPv4OnlyDevice,
		CauseGatewayNotVPN:             fixGatewayNotVPN,
		CauseLBNoRule:                  fixLBNoRule,
		CauseLBEmptyPool:               fixLBEmptyPool,
		CauseNoIPv6Egress:              fixNoIPv6Egress,
		CauseICMPNoEgress:              fixICMPNoEgress,
		CauseDestinationNotPeered:      fixDestinationNotPeered,
		CauseSystemRouteNone:           fixSystemRouteNone,
		CauseRouteNone:                 fixRouteNone,
		CauseNoRoute:                   fixNoRoute,
		CauseNextHopNotFound:           fixNextHopNotFound,
		CauseNextHopNotPeered:          fixNextHopNotPeered,
		CauseNextHopNoForwarding:       fixNextHopNoForwarding,
		CauseNextHopNotForwarder:       fixNextHopNotForwarder,
		CauseDestinationNotInSubnet:    fixDestinationNotInSubnet,
		CauseTagIntoVNet:               fixTagIntoVNet,
		CauseGatewayMissing:            fixGatewayMissing,
		CausePrivateToInternet:         fixPrivateToInternet,
		CausePEConnectionNotApproved:   fixPEConnectionNotApproved,
		CauseLoop:                      fixLoop,
		CausePathTooLong:               fixPathTooLong,
		CauseNoEgress:                  fixNoEgress,
		CauseFirewallNoPublicIP:        fixNoEgress,
		CauseReturnNoRoute:             fixReturnRoute,
		CauseReturnAsymmetric:          fixReturnSymmetric,
		CauseReturnBypassesDevice:      fixReturnSymmetric,
		CauseReturnToUnseenDevice:      fixReturnToUnseenDevice,
		CauseReturnDropped:             fixReturnRoute,
		CauseReturnLeaves:              fixReturnFollow,
		CauseReturnUnowned:             fixReturnFollow,
		CauseReturnLoop:                fixReturnFollow,
		CauseDNSNXDomain:               fixDNSNXDomain,
		CauseDNSServerInvalid:          fixDNSServerInvalid,
		CauseDNSServerUnknown:          fixDNSServerUnknown,
		CauseDNSServerNotResolver:      fixDNSServerNotResolver,
		CauseDNSProxyOff:               fixDNSProxyOff,
		CauseDNSUnreachable:            fixDNSUnreachable,
		CauseDNSServerLoop:             fixDNSServerLoop,
		CauseDNSForwardLoop:            fixDNSForwardLoop,
		CauseDNSNoTarget:               fixDNSNoTarget,
		CauseDNSForwardTargetDown:      fixDNSForwardTargetDown,
		CauseDNSNoReverse:              fixDNSNoReverse,
		CauseDNSCNAMELoop:              fixDNSCNAMELoop,
		CausePrivateEndpointBypassed:   fixPrivateEndpointBypassed,
		CauseMissingResource:           fixMissingResource,
		CauseNotModelled:               fixNotModelled,
		CauseNoPath:                    fixNoPath,
	}
}

// --- shared phrases ---

// flow names the protocol and port: "TCP 443", "UDP 53", "ICMP".
func flow(b Blocker) string {
	p := strings.ToUpper(b.Protocol)
	if p == "ICMP" || p == "" {
		return p
	}
	return p + " " + strconv.Itoa(b.Port)
}

// side names one side of a flow as a rule would: "service tag X" for
// "tag:X", the addresses otherwise.
func side(s string) string {
	if t, ok := strings.CutPrefix(s, "tag:"); ok {
		return "service tag " + t
	}
	return s
}

// route names a route: "name (prefix → type)", or "prefix → type
// (source)" for a route without a name.
func route(r *RouteRef) string {
	if r == nil {
		return "the route"
	}
	if r.Name != "" {
		return r.Name + " (" + r.AddressPrefix + " → " + string(r.NextHopType) + ")"
	}
	return r.AddressPrefix + " → " + string(r.NextHopType) + " (" + r.Source + ")"
}

func name(id string) string { return topology.NameOf(id) }

func peering(b Blocker) string {
	if b.Peering == nil {
		return name(b.Resource)
	}
	return name(b.Peering.ID)
}

func direction(r *RuleRef) string {
	if r == nil {
		return ""
	}
	return strings.ToLower(string(r.Direction))
}

// fwOwner names a firewall and its policy: "firewall fw-hub (policy p)".
func fwOwner(b Blocker) string {
	s := "firewall " + name(b.Resource)
	if p := b.Data["policy"]; p != "" {
		s += " (policy " + p + ")"
	}
	return s
}

// fwWhere names where a firewall's rules live: "policy p" or "firewall
// fw's classic rules".
func fwWhere(b Blocker) string {
	if p := b.Data["policy"]; p != "" {
		return "policy " + p
	}
	return "firewall " + name(b.Resource) + "'s classic rules"
}

func fwTarget(b Blocker) string {
	t := side(b.Destination)
	if f := b.Data["fqdn"]; f != "" {
		t += " (" + f + ")"
	}
	return t
}

// --- denied-by-nsg ---

func explainNSGRuleDenies(b Blocker) string {
	r := b.Rule
	if r == nil {
		return "NSG " + name(b.Resource) + " drops " + flow(b)
	}
	return "NSG " + name(r.Owner) + " rule " + r.Name + " (priority " + strconv.Itoa(r.Priority) + ", " + string(r.Direction) + ", Deny) drops " +
		flow(b) + " from " + b.Source + " to " + side(b.Destination)
}

func fixNSGRuleDenies(f Fix, b Blocker) string {
	r := b.Rule
	if r == nil {
		return "allow " + flow(b) + " from " + b.Source + " to " + side(b.Destination) + " in NSG " + name(b.Resource)
	}
	nsg := name(r.Owner)
	if f.Data["rule"] == "" {
		return "in NSG " + nsg + ", remove or narrow rule " + r.Name + ": no priority below " + strconv.Itoa(r.Priority) +
			" is free for a rule allowing " + direction(r) + " " + flow(b) + " to " + side(b.Destination)
	}
	s := "in NSG " + nsg + ", allow " + direction(r) + " " + flow(b) + " from " + b.Source + " to " + side(b.Destination) +
		" with rule " + f.Data["rule"] + " at priority " + f.Data["priority"]
	if m := f.Data["moved"]; m != "" {
		s += ", moving rule " + r.Name + " to priority " + m + " (no rule lies between, so it keeps its place against every other)"
	} else {
		s += ", below the " + strconv.Itoa(r.Priority) + " of rule " + r.Name
	}
	return s + "; or remove or narrow rule " + r.Name
}

func explainNSGDefaultDenies(b Blocker) string {
	r := b.Rule
	if r == nil {
		return "NSG " + name(b.Resource) + " drops " + flow(b)
	}
	return "NSG " + name(r.Owner) + " has no rule allowing " + direction(r) + " " + flow(b) + " from " + b.Source + " to " +
		side(b.Destination) + "; its default rule " + r.Name + " drops it (" + b.Data["outside"] +
		" is outside the subnet's VirtualNetwork tag)"
}

func fixNSGDefaultDenies(f Fix, b Blocker) string {
	r := b.Rule
	nsg := name(b.Resource)
	dir := direction(r)
	s := "add an " + dir + " Allow rule"
	if n := f.Data["rule"]; n != "" {
		s += " " + n
	}
	s += " to NSG " + nsg + " for " + flow(b) + " from " + b.Source + " to " + side(b.Destination)
	if p := f.Data["priority"]; p != "" {
		s += " (priority " + p + ", below the default rules' 65000)"
	} else {
		s += " (priority below 65000)"
	}
	if v := b.Data["vnetRule"]; v != "" {
		s += "; a user route or peering that reaches " + b.Data["outside"] + " also adds it to the VirtualNetwork tag, which the default rule " + v + " allows"
	}
	return s
}

// --- denied-by-firewall ---

func explainFirewallRuleDenies(b Blocker) string {
	label := ""
	if b.Rule != nil {
		label = b.Rule.Label
	}
	return fwOwner(b) + " denies " + flow(b) + " from " + b.Source + " to " + fwTarget(b) + " with rule " + label
}

func fixFirewallRuleDenies(f Fix, b Blocker) string {
	label := ""
	if b.Rule != nil {
		label = b.Rule.Label
	}
	if f.Data["rule"] == "" {
		return "in " + fwWhere(b) + ", change rule " + label + " or allow " + flow(b) + " to " + fwTarget(b) + " in a collection evaluated before it"
	}
	return "in " + fwWhere(b) + ", allow " + flow(b) + " from " + b.Source + " to " + side(b.Destination) + " with network rule " +
		f.Data["rule"] + " in a new collection " + f.Data["collection"] + " (priority " + f.Data["priority"] +
		") evaluated before rule " + label + "; or change rule " + label
}

func explainFirewallNoRule(b Blocker) string {
	return fwOwner(b) + " has no rule allowing " + flow(b) + " from " + b.Source + " to " + fwTarget(b) + "; Azure Firewall denies what no rule allows"
}

func fixFirewallNoRule(f Fix, b Blocker) string {
	s := "add to " + fwWhere(b) + " a network rule"
	if n := f.Data["rule"]; n != "" {
		s += " " + n + " (collection " + f.Data["collection"] + ", priority " + f.Data["priority"] + ")"
	}
	s += " allowing " + flow(b) + " from " + b.Source + " to " + side(b.Destination)
	if fq := b.Data["fqdn"]; fq != "" && strings.EqualFold(b.Protocol, "tcp") && (b.Port == 443 || b.Port == 80) {
		scheme := "Https"
		if b.Port == 80 {
			scheme = "Http"
		}
		s += ", or an application rule allowing " + scheme + ":" + strconv.Itoa(b.Port) + " to " + fq
	}
	return s
}

// --- blocked-by-peering ---

func explainNotPeered(b Blocker) string {
	return "VNets " + b.Data["from"] + " and " + b.Data["to"] + " are not peered"
}

func fixNotPeered(f Fix, b Blocker) string {
	return "peer " + b.Data["from"] + " with " + b.Data["to"] + " (both halves)"
}

func explainPeeringMissingHalf(b Blocker) string {
	state := ""
	if b.Peering != nil {
		state = string(b.Peering.State)
	}
	return "only one half of the peering exists: " + peering(b) + " (owned by " + b.Data["owner"] + ", " + state + "); " +
		b.Data["other"] + " has no peering to " + b.Data["owner"]
}

func fixPeeringMissingHalf(f Fix, b Blocker) string {
	s := "create the peering from " + b.Data["other"] + " to " + b.Data["owner"] + " so that " + peering(b) + " becomes Connected"
	if b.Peering != nil && b.Peering.State == topology.PeeringDisconnected {
		s = "re-create peering " + peering(b) + " (a Disconnected peering never recovers; reference §2.2) and create the peering from " +
			b.Data["other"] + " to " + b.Data["owner"]
	}
	return s
}

func explainPeeringNotConnected(b Blocker) string {
	state := ""
	if b.Peering != nil {
		state = string(b.Peering.State)
	}
	return "peering " + peering(b) + " is " + state + " (" + b.Data["other"] + " is " + b.Data["otherState"] + "); both halves must be Connected"
}

func fixPeeringNotConnected(f Fix, b Blocker) string {
	if b.Peering != nil && b.Peering.State == topology.PeeringInitiated {
		return "create the matching half of peering " + peering(b) + " so both sides are Connected"
	}
	return "re-create peering " + peering(b) + " (a Disconnected peering never recovers; reference §2.2)"
}

func explainPeeringNoVNetAccess(b Blocker) string {
	return "peering " + peering(b) + " has allowVirtualNetworkAccess off"
}

func fixPeeringNoVNetAccess(f Fix, b Blocker) string {
	return "turn on allowVirtualNetworkAccess on peering " + peering(b)
}

func explainPeeringNoForwardedTraffic(b Blocker) string {
	return "peering " + peering(b) + " (owned by " + b.Data["owner"] + ") does not allow forwarded traffic, and this packet was forwarded by an appliance (reference §2.1; field reports differ, the verdict follows the documentation)"
}

func fixPeeringNoForwardedTraffic(f Fix, b Blocker) string {
	return "turn on allowForwardedTraffic on peering " + peering(b)
}

func explainPeeringSubnetScope(b Blocker) string {
	s := "peering " + peering(b) + " covers only subnets " + b.Data["subnets"] + " of " + b.Data["vnet"] + "; " + b.Data["subnet"]
	switch {
	case b.Data["side"] == "local":
		return s + " is not one of them, so its packets are dropped at the far end although it has the route (reference §2.7)"
	case b.Data["address"] != "":
		return s + ", which holds " + b.Data["address"] + ", is not one of them (reference §2.7)"
	}
	return s + " is not one of them, so packets are dropped at the far end (reference §2.7)"
}

func fixPeeringSubnetScope(f Fix, b Blocker) string {
	if b.Data["side"] == "local" {
		return "add " + b.Data["subnet"] + " to the local subnet names of peering " + peering(b) + " (and to the remote subnet names of its other half)"
	}
	return "add " + b.Data["subnet"] + " to the remote subnet names of peering " + peering(b) + " (and to the local subnet names of its other half)"
}

func explainPeeringNotSynced(b Blocker) string {
	return "peering " + peering(b) + " has not synced the range of VNet " + b.Data["vnet"] + " that holds " + b.Data["address"] +
		" (peeringSyncLevel " + b.Data["syncLevel"] + "), so it routes only " + b.Data["routes"] + " (reference §2.6)"
}

func fixPeeringNotSynced(f Fix, b Blocker) string {
	return "sync peering " + peering(b) + " (and the half owned by " + b.Data["vnet"] + ") so that it routes " + b.Data["vnet"] + "'s current address space"
}

func explainPeeringIPv6Only(b Blocker) string {
	return "peering " + peering(b) + " carries only IPv6 (enableOnlyIPv6Peering), and " + b.Destination + " is IPv4 (reference §2.7)"
}

func fixPeeringIPv6Only(f Fix, b Blocker) string {
	return "turn off enableOnlyIPv6Peering on peering " + peering(b) + " and its other half, so that it carries IPv4 too"
}

// --- blackhole ---

func explainDestinationNotPeered(b Blocker) string {
	prefix := ""
	if b.Route != nil {
		prefix = b.Route.AddressPrefix
	}
	return b.Data["address"] + " is in VNet " + b.Data["vnet"] + ", which is not peered with " + b.Data["from"] +
		" (peering is not transitive), so only the system route " + prefix + " → None matches"
}

func fixDestinationNotPeered(f Fix, b Blocker) string {
	s := "peer " + b.Data["from"] + " with " + b.Data["vnet"] + " (both halves)"
	if fw := b.Data["firewall"]; fw != "" {
		return s + ", or add a user route on " + b.Data["subnet"] + " sending " + b.Data["space"] + " to next hop VirtualAppliance " + fw +
			", with the matching route back on " + b.Data["vnet"] + "'s side"
	}
	return s + ", or add a user route on " + b.Data["subnet"] + " sending " + b.Data["space"] + " to an appliance in a VNet peered with both (for example the hub firewall)"
}

func explainSystemRouteNone(b Blocker) string {
	prefix := ""
	if b.Route != nil {
		prefix = b.Route.AddressPrefix
	}
	return b.Destination + " matches only the system route " + prefix + " → None in " + b.Data["subnet"] + ": no peering, gateway or user route covers it"
}

func fixSystemRouteNone(f Fix, b Blocker) string {
	return "route " + b.Destination + " from " + b.Data["subnet"] + " somewhere: add a user route (for example through a hub appliance) or a peering"
}

func routeName(b Blocker) string {
	if b.Route == nil {
		return ""
	}
	return b.Route.Name
}

func routeTable(b Blocker) string {
	if b.Route == nil {
		return ""
	}
	return name(b.Route.Origin)
}

func explainRouteNone(b Blocker) string {
	return "route " + routeName(b) + " of route table " + routeTable(b) + " drops traffic to " + b.Destination
}

func fixRouteNone(f Fix, b Blocker) string {
	return "remove route " + routeName(b) + " from " + routeTable(b) + " or give it a next hop"
}

func explainNoRoute(b Blocker) string {
	return "no route of " + b.Data["subnet"] + " covers " + b.Destination
}

func fixNoRoute(f Fix, b Blocker) string {
	return "add a route for " + b.Destination + " to the route table of " + b.Data["subnet"] + ", or give VNet " + b.Data["vnet"] + " address space of that family"
}

func explainNextHopNotFound(b Blocker) string {
	return "route " + route(b.Route) + " sends " + b.Destination + " to " + b.Data["ip"] + ", but no firewall or NIC in the snapshot has that address"
}

func fixNextHopNotFound(f Fix, b Blocker) string {
	if hop := f.Data["nextHop"]; hop != "" {
		return "point route " + routeName(b) + " of " + routeTable(b) + " at " + hop + " instead of " + b.Data["ip"] + ", or deploy the appliance at " + b.Data["ip"]
	}
	return "point route " + routeName(b) + " of " + routeTable(b) + " at an existing appliance, or deploy the appliance at " + b.Data["ip"]
}

func explainNextHopNotPeered(b Blocker) string {
	return "route " + route(b.Route) + " sends " + b.Destination + " to " + b.Data["ip"] + " in VNet " + b.Data["vnet"] + ", which is not peered with " + b.Data["from"]
}

func fixNextHopNotPeered(f Fix, b Blocker) string {
	return "peer " + b.Data["from"] + " with " + b.Data["vnet"] + " (both halves), or point route " + routeName(b) + " at an appliance it can reach"
}

func explainNextHopNoForwarding(b Blocker) string {
	return "next hop " + b.Data["ip"] + " is NIC " + b.Data["nic"] + ", which does not have IP forwarding enabled, so Azure drops what it would forward"
}

func fixNextHopNoForwarding(f Fix, b Blocker) string {
	return "enable IP forwarding on NIC " + b.Data["nic"] + " (and forwarding in its guest OS)"
}

func explainNextHopNotForwarder(b Blocker) string {
	return "next hop " + b.Data["ip"] + " belongs to " + b.Data["kind"] + " " + b.Data["owner"] + ", which does not forward traffic"
}

func fixNextHopNotForwarder(f Fix, b Blocker) string {
	if hop := f.Data["nextHop"]; hop != "" {
		return "point route " + routeName(b) + " of " + routeTable(b) + " at " + hop + ", a firewall or appliance"
	}
	return "point route " + routeName(b) + " at a firewall or appliance"
}

func explainDestinationNotInSubnet(b Blocker) string {
	return "no subnet of VNet " + b.Data["vnet"] + " holds " + b.Destination
}

func fixDestinationNotInSubnet(f Fix, b Blocker) string {
	return "check the destination address: " + b.Destination + " is in VNet " + b.Data["vnet"] + "'s space but in none of its subnets"
}

func explainTagIntoVNet(b Blocker) string {
	return "route " + route(b.Route) + " sends " + b.Destination + " into VNet " + b.Data["vnet"] + ", which does not hold it"
}

func fixTagIntoVNet(f Fix, b Blocker) string {
	nh := ""
	if b.Route != nil {
		nh = string(b.Route.NextHopType)
	}
	if r := f.Data["route"]; r != "" {
		return "add route " + r + " to route table " + f.Data["table"] + " sending " + b.Destination + " to the Internet instead of " + nh
	}
	return "route " + b.Destination + " to Internet or to an appliance instead of " + nh
}

func explainGatewayMissing(b Blocker) string {
	return "route " + route(b.Route) + " sends " + b.Destination + " to a virtual network gateway, but VNet " + b.Data["vnet"] + " has none and uses no remote gateway"
}

func fixGatewayMissing(f Fix, b Blocker) string {
	if f.Kind == FixUseRemoteGateway {
		return "use the gateway of VNet " + f.Data["hub"] + ": allow gateway transit on peering " + f.Data["transit"] +
			" and use remote gateways on peering " + f.Data["use"]
	}
	return "deploy a VPN gateway in " + b.Data["vnet"] + ", or enable gateway transit on a peering to a VNet that has one"
}

func explainPrivateToInternet(b Blocker) string {
	return b.Destination + " is a private address, and the route " + route(b.Route) + " sends it to the Internet, where it is dropped"
}

func fixPrivateToInternet(f Fix, b Blocker) string {
	s := "add a route for " + b.Destination + " toward the network that holds it (a peering, a gateway or an appliance)"
	if f.Kind == FixCreatePeering {
		return s + "; here: " + f.Change
	}
	return s
}

func explainPEConnectionNotApproved(b Blocker) string {
	return "private endpoint " + name(b.Resource) + "'s connection is " + b.Data["status"] + "; only Approved connections carry traffic"
}

func fixPEConnectionNotApproved(f Fix, b Blocker) string {
	return "approve the private endpoint connection of " + name(b.Resource) + " on its target resource"
}

func explainIPv4OnlyDevice(b Blocker) string {
	return "route " + route(b.Route) + " sends IPv6 " + b.Destination + " to " + b.Data["kind"] + " " + b.Data["device"] +
		", which carries IPv4 only, so the IPv6 packet is dropped (reference §10 item 39; address families are separate paths)"
}

func fixIPv4OnlyDevice(f Fix, b Blocker) string {
	s := "route IPv6 elsewhere than " + b.Data["kind"] + " " + b.Data["device"] + ", which cannot carry it"
	switch {
	case f.Kind == FixSetRouteNextHop:
		return s + ": point route " + routeName(b) + " of " + routeTable(b) + " at the Internet (IPv6 then leaves through an IPv6 public IP or load-balancer frontend)"
	case f.Kind == FixRemoveRoute:
		return s + ": remove route " + routeName(b) + " of " + routeTable(b)
	case f.Kind == FixAddRoute && f.Data["route"] != "":
		return s + ": add route " + f.Data["route"] + " to route table " + f.Data["table"] + " sending the IPv6 prefixes to the Internet (IPv6 then leaves through an IPv6 public IP or load-balancer frontend)"
	}
	return s + " (an IPv6-capable appliance, or the Internet through an IPv6 public IP)"
}

func explainGatewayNotVPN(b Blocker) string {
	return "user route " + route(b.Route) + " sends " + b.Destination + " to virtual network gateway " + b.Data["gateway"] + ", which is " +
		b.Data["gatewayType"] + "; a user route may point only at a VPN gateway, not at an ExpressRoute gateway nor where VPN and ExpressRoute gateways coexist, so the traffic is dropped (reference §1.4, §10 item 35)"
}

func fixGatewayNotVPN(f Fix, b Blocker) string {
	return "remove user route " + routeName(b) + " of " + routeTable(b) + ": routes toward ExpressRoute come from BGP, not from user routes"
}

func explainLBNoRule(b Blocker) string {
	return "next hop " + b.Data["ip"] + " is frontend " + b.Data["frontend"] + " of internal load balancer " + b.Data["lb"] +
		", which has no load-balancing rule for " + flow(b) + " (an HA-ports rule carries every flow; reference §10 item 43)"
}

func fixLBNoRule(f Fix, b Blocker) string {
	if r := f.Data["rule"]; r != "" {
		return "add load-balancing rule " + r + " to " + b.Data["lb"] + ": HA ports (all protocols, all ports) from frontend " + b.Data["frontend"] + " to backend pool " + f.Data["pool"]
	}
	return "add an HA-ports load-balancing rule to " + b.Data["lb"] + " from frontend " + b.Data["frontend"] + " to the appliances' backend pool"
}

func explainLBEmptyPool(b Blocker) string {
	return "backend pool " + b.Data["pool"] + " of load balancer " + b.Data["lb"] + " has no member in the snapshot, so nothing forwards " + b.Destination
}

func fixLBEmptyPool(f Fix, b Blocker) string {
	return "add the appliances' NIC IP configurations to backend pool " + b.Data["pool"] + " of " + b.Data["lb"]
}

// --- loop ---

func explainLoop(b Blocker) string {
	return "the packet comes back to " + b.Data["at"] + ": " + b.Data["path"]
}

func fixLoop(f Fix, b Blocker) string {
	s := "break the loop: the route tables of the appliances' subnets send traffic back and forth (" + b.Data["path"] + ")"
	if r := f.Data["route"]; r != "" {
		return s + "; add route " + r + " to route table " + f.Data["table"] + " sending " + b.Destination + " to the Internet"
	}
	return s + "; point one default route at Internet or a firewall"
}

func explainPathTooLong(b Blocker) string {
	return "the path is longer than " + b.Data["max"] + " hops"
}

func fixPathTooLong(f Fix, b Blocker) string {
	return "find the routing loop among the hops listed and point one route elsewhere"
}

// --- no-egress ---

func explainNoEgress(b Blocker) string {
	return b.Data["who"] + " sends " + b.Destination + " to the Internet, but has no outbound method: no NAT gateway, no public IP, and default outbound access is off"
}

func explainFirewallNoPublicIP(b Blocker) string {
	return "firewall " + b.Data["firewall"] + " has no public IP in the snapshot to send " + b.Destination + " out with"
}

func fixNoEgress(f Fix, b Blocker) string {
	sn := f.Data["subnet"]
	if ng := f.Data["natGateway"]; ng != "" {
		return "give " + sn + " an outbound method: attach a new NAT gateway " + ng + " with a public IP, or route 0.0.0.0/0 through a firewall that has a public IP"
	}
	return "give " + sn + " an outbound method: attach a NAT gateway, or route 0.0.0.0/0 through a firewall that has a public IP"
}

func explainNoIPv6Egress(b Blocker) string {
	return b.Data["who"] + " sends IPv6 " + b.Destination + " to the Internet, but IPv6 has no default outbound access and NAT gateways carry no IPv6: it leaves only through an IPv6 public IP on the NIC or a load balancer with an IPv6 frontend (reference §10 item 39)"
}

func fixNoIPv6Egress(f Fix, b Blocker) string {
	if p := f.Data["publicIP"]; p != "" {
		return "give NIC " + f.Data["nic"] + " an IPv6 public IP: create " + p + " (Standard, IPv6) and attach it to IP configuration " + f.Data["ipConfig"]
	}
	return "give the NICs of " + b.Data["who"] + " IPv6 public IPs, or put them behind a load balancer with an IPv6 frontend and an outbound rule"
}

func explainICMPNoEgress(b Blocker) string {
	via := "default outbound access"
	switch b.Data["method"] {
	case "natGateway":
		via = "its NAT gateway"
	case "loadBalancerOutbound":
		via = "a load balancer outbound rule"
	}
	return b.Data["who"] + " sends ICMP to " + b.Destination + " out through " + via + ", which does not carry ICMP (reference §10 item 40)"
}

func fixICMPNoEgress(f Fix, b Blocker) string {
	return "send ICMP through an outbound method that carries it (an instance public IP without a NAT gateway on the subnet, or a firewall), or check with TCP or UDP"
}

// --- return-path-broken ---

func explainReturnNoRoute(b Blocker) string {
	return b.Data["subnet"] + " has no route back to " + b.Data["target"]
}

func explainReturnAsymmetric(b Blocker) string {
	return "firewall " + b.Data["firewall"] + " forwards the request to private endpoint " + b.Data["pe"] +
		" without SNAT (network rules do not translate private destinations), and the endpoint replies directly to " + b.Data["source"] +
		" over its own route, bypassing the firewall, which then drops the flow as asymmetric"
}

func explainReturnBypassesDevice(b Blocker) string {
	return "replies from " + b.Data["subnet"] + " to " + b.Data["target"] + " take route " + route(b.Route) + " and bypass " + b.Data["device"] +
		", which forwarded the request without translating its source; a stateful device drops such flows"
}

func explainReturnToUnseenDevice(b Blocker) string {
	return "replies from " + b.Data["subnet"] + " to " + b.Data["target"] + " are routed to " + b.Data["kind"] + " " + b.Data["device"] +
		", which did not see the request; a stateful device drops them"
}

func explainReturnDropped(b Blocker) string {
	return "replies from " + b.Data["subnet"] + " to " + b.Data["target"] + " are dropped by route " + route(b.Route)
}

func explainReturnLeaves(b Blocker) string {
	nh := ""
	if b.Route != nil {
		nh = string(b.Route.NextHopType)
	}
	return "replies from " + b.Data["subnet"] + " to " + b.Data["target"] + " leave through " + nh + " instead of returning"
}

func explainReturnUnowned(b Blocker) string {
	return "replies are routed to " + b.Data["ip"] + ", which nothing in the snapshot owns"
}

func explainReturnLoop(b Blocker) string { return "the reply path loops" }

func withRoute(s string, f Fix) string {
	if r := f.Data["route"]; r != "" {
		return s + ": add route " + r + " to route table " + f.Data["table"] + " sending " + f.Data["prefix"] + " to " + f.Data["nextHop"]
	}
	return s
}

func fixReturnRoute(f Fix, b Blocker) string {
	return withRoute("add a route back to the source on the destination's subnet (a user route to the appliance the request used, or a peering)", f)
}

func fixReturnSymmetric(f Fix, b Blocker) string {
	s := "make the path symmetric: translate the source on the firewall (an application rule, or SNAT for these private ranges), or route the replies through the same firewall with a user route on the destination's subnet"
	if f.Kind == FixSetSNAT {
		return s + "; here: firewall " + f.Data["firewall"] + " SNATs traffic to " + f.Data["destination"] + " (its private ranges leave it out)"
	}
	return withRoute(s, f)
}

func fixReturnToUnseenDevice(f Fix, b Blocker) string {
	return withRoute("route the requests through the same appliance as the replies, or remove the reply route that sends them there", f)
}

func fixReturnFollow(f Fix, b Blocker) string {
	s := "make the reply path follow the request path"
	if hop := f.Data["nextHop"]; hop != "" {
		return s + ": point route " + routeName(b) + " of " + routeTable(b) + " at " + hop
	}
	return withRoute(s, f)
}

// --- dns-unresolved ---

func explainDNSNXDomain(b Blocker) string {
	return "private zone " + b.Data["zone"] + " is linked to VNet " + b.Data["vnet"] + " but has no record for " + b.Data["name"] +
		", so Azure DNS answers NXDOMAIN (reference §5.2)"
}

func fixDNSNXDomain(f Fix, b Blocker) string {
	if n := f.Data["ptr"]; n != "" {
		return "add the PTR record " + b.Data["record"] + " → " + n + " to zone " + b.Data["zone"]
	}
	redirect := "set resolutionPolicy NxDomainRedirect on the link of zone " + b.Data["zone"] + " to VNet " + b.Data["vnet"]
	add := "add the record " + b.Data["record"] + " to zone " + b.Data["zone"]
	if f.Kind == FixSetProperty {
		return redirect + ", or " + add + " (a DNS zone group on the private endpoint keeps it current)"
	}
	if a := f.Data["addresses"]; a != "" {
		add += " (" + a + ")"
	}
	return add + " (a DNS zone group on the private endpoint keeps it current), or " + redirect
}

func explainDNSServerInvalid(b Blocker) string {
	return b.Data["origin"] + "'s DNS server " + strconv.Quote(b.Data["server"]) + " is not an IP address"
}

func fixDNSServerInvalid(f Fix, b Blocker) string {
	if t := f.Data["servers"]; t != "" {
		return "set the DNS servers of " + f.Data["origin"] + " to " + t
	}
	return "set a valid DNS server address on " + b.Data["origin"]
}

func explainDNSServerUnknown(b Blocker) string {
	return "DNS server " + b.Data["server"] + " is not an address of any resolver, firewall or VM in the snapshot"
}

func fixDNSServerUnknown(f Fix, b Blocker) string {
	if t := f.Data["servers"]; t != "" {
		return "set the DNS servers of " + f.Data["origin"] + " to " + t + ", or add the server at " + b.Data["server"] + " to the snapshot if it exists (on-premises or not exported)"
	}
	return "point the DNS servers at a resolver that exists, or add it to the snapshot (" + b.Data["server"] + " is assumed to be on-premises or missing)"
}

func explainDNSServerNotResolver(b Blocker) string {
	return "DNS server " + b.Data["server"] + " is " + b.Data["kind"] + " " + b.Data["owner"] + ", which does not answer DNS"
}

func fixDNSServerNotResolver(f Fix, b Blocker) string { return "point the DNS servers at a resolver" }

func explainDNSProxyOff(b Blocker) string {
	return "DNS server " + b.Data["server"] + " is firewall " + b.Data["firewall"] + ", which does not have DNS proxy enabled"
}

func fixDNSProxyOff(f Fix, b Blocker) string {
	s := "enable DNS proxy on firewall " + b.Data["firewall"]
	if p := b.Data["policy"]; p != "" {
		s += " (policy " + p + ")"
	}
	return s
}

func explainDNSUnreachable(b Blocker) string {
	return "the DNS server " + b.Data["server"] + " is not reachable from " + b.Data["subnet"] + " on UDP 53: " + b.Data["why"]
}

func fixDNSUnreachable(f Fix, b Blocker) string {
	s := "let " + b.Data["subnet"] + " reach its DNS server " + b.Data["server"] + " on UDP and TCP 53 (see: vnetpath check --from " + b.Data["subnet"] +
		" --to " + b.Data["server"] + " --protocol udp --port 53)"
	if t := f.Data["inner"]; t != "" {
		s += ": " + t
	}
	return s
}

func explainDNSServerLoop(b Blocker) string {
	return "DNS servers forward to each other in a loop at " + b.Data["server"]
}

func fixDNSServerLoop(f Fix, b Blocker) string {
	return "make one of the DNS servers forward to Azure DNS"
}

func explainDNSForwardLoop(b Blocker) string {
	if r := b.Data["rule"]; r != "" {
		return "forwarding rule " + r + " of ruleset " + b.Data["ruleset"] + " sends " + b.Data["name"] + " back to a resolver whose VNet uses the same rule: a loop"
	}
	return "forwarding rules send the query around in a loop"
}

func fixDNSForwardLoop(f Fix, b Blocker) string {
	if r := b.Data["rule"]; r != "" {
		return "unlink ruleset " + b.Data["ruleset"] + " from VNet " + b.Data["vnet"] + ", or point rule " + r + " elsewhere (reference §5.6)"
	}
	return "remove the forwarding rule that points a VNet's queries back at its own resolver (reference §5.6)"
}

func explainDNSNoTarget(b Blocker) string {
	return "forwarding rule " + b.Data["rule"] + " has no target"
}

func fixDNSNoTarget(f Fix, b Blocker) string {
	return "give forwarding rule " + b.Data["rule"] + " a target DNS server"
}

func explainDNSForwardTargetDown(b Blocker) string {
	s := "forwarding rule " + b.Data["rule"] + " (" + b.Data["domain"] + ") of ruleset " + b.Data["ruleset"] + " sends " + b.Data["name"] +
		" to " + b.Data["targets"] + ", which does not answer: " + b.Data["why"] + "; the query fails with SERVFAIL (reference §10 item 42)"
	return s
}

func fixDNSForwardTargetDown(f Fix, b Blocker) string {
	if t := f.Data["target"]; t != "" {
		return "point forwarding rule " + b.Data["rule"] + " of ruleset " + b.Data["ruleset"] + " at a DNS server that answers, such as " + t + ", or restore " + b.Data["targets"]
	}
	if f.Data["disable"] == "true" {
		return "disable forwarding rule " + b.Data["rule"] + " of ruleset " + b.Data["ruleset"] + " so that Azure DNS answers " + b.Data["domain"] + ", or restore a DNS server at " + b.Data["targets"] + " that " + b.Data["endpoint"] + " can reach"
	}
	return "restore a DNS server at " + b.Data["targets"] + " that the ruleset's outbound endpoint can reach, or point forwarding rule " + b.Data["rule"] + " elsewhere"
}

func explainDNSNoReverse(b Blocker) string {
	return "no reverse zone linked to VNet " + b.Data["vnet"] + " covers " + b.Data["address"] +
		", and Azure-provided DNS gives reverse names only to VMs in the VNet, so the reverse lookup answers NXDOMAIN (reference §10 item 36)"
}

func fixDNSNoReverse(f Fix, b Blocker) string {
	rec := ""
	if f.Data["ptr"] != "" {
		rec = "the PTR record " + f.Data["record"] + " → " + f.Data["ptr"]
	}
	switch f.Kind {
	case FixCreateZone:
		return "create reverse zone " + f.Data["zone"] + " with " + rec + " and link it to VNet " + b.Data["vnet"]
	case FixAddZoneLink:
		s := "link reverse zone " + f.Data["zone"] + " to VNet " + b.Data["vnet"]
		if f.Data["add"] == "true" {
			s += " and add " + rec
		}
		return s
	}
	return "add a reverse zone covering " + b.Data["address"] + ", with its PTR record, and link it to VNet " + b.Data["vnet"]
}

func explainDNSCNAMELoop(b Blocker) string { return "the CNAME chain is longer than 16 steps" }

func fixDNSCNAMELoop(f Fix, b Blocker) string { return "break the CNAME loop in the private zones" }

// --- private-endpoint-bypassed ---

func explainPrivateEndpointBypassed(b Blocker) string {
	var why string
	switch b.Data["variant"] {
	case "noZone":
		why = "no private zone serves this name"
	case "zoneMissing":
		why = "zone " + b.Data["zone"] + " does not exist in the snapshot"
	default:
		why = "zone " + b.Data["zone"] + " is not linked to " + b.Data["where"]
	}
	s := b.Data["name"] + " resolves to its public address; private endpoint " + b.Data["pe"] + " at " + b.Data["expected"] + " is not used because " + why
	if w := b.Data["workspace"]; w != "" {
		s += "; workspace " + w + " refuses public network access, so requests get HTTP 403"
	}
	return s
}

func fixPrivateEndpointBypassed(f Fix, b Blocker) string {
	switch b.Data["variant"] {
	case "noZone":
		return "create the privatelink zone for " + b.Data["name"] + " and link it to " + b.Data["where"]
	case "zoneMissing":
		return "create private DNS zone " + b.Data["zone"] + " with the endpoint's records (a DNS zone group on " + b.Data["pe"] + ") and link it to " + b.Data["where"]
	}
	s := "link private DNS zone " + b.Data["zone"] + " to VNet " + b.Data["vnet"]
	if b.Data["dnsAlt"] == "true" {
		s += ", or point VNet " + b.Data["client"] + "'s DNS servers at a resolver in a VNet that is linked"
	}
	return s
}

// --- unknown ---

func explainMissingResource(b Blocker) string {
	return b.Data["what"] + " is not in the snapshot, so the answer is unknown"
}

func fixMissingResource(f Fix, b Blocker) string {
	return "export " + strings.Join(b.Missing, ", ") + " and add it to the snapshot"
}

func explainNotModelled(b Blocker) string {
	return b.Data["what"] + " is not modelled by vnetpath, so the answer is unknown"
}

func fixNotModelled(f Fix, b Blocker) string {
	if t := f.Data["text"]; t != "" {
		return t
	}
	if h := b.Data["how"]; h != "" {
		return h
	}
	return "check this path by hand, or replace the route with one of a modelled next hop type"
}

func explainNoPath(b Blocker) string { return "the walk produced no path" }

func fixNoPath(f Fix, b Blocker) string {
	return "report this snapshot: vnetpath could not follow any path"
}

// --- outcomes ---

func explainDelivered(b Blocker) string {
	s := "delivered to " + b.Data["to"]
	if t := b.Data["through"]; t != "" {
		s += " through " + t
	}
	return s
}

// DescribeEgress names an egress for people: "NAT gateway ng (51.105.10.30)".
func DescribeEgress(e Egress) string {
	via := name(e.Via)
	var s string
	switch e.Method {
	case EgressAzureFirewall:
		s = "firewall " + via
	case EgressNATGateway:
		s = "NAT gateway " + via
	case EgressInstancePublicIP:
		s = "the public IP of " + via
	case EgressDefaultOutbound:
		s = "default outbound access of " + topology.ShortName(e.Via)
	case EgressVirtualAppliance:
		s = "appliance " + via
	case EgressLoadBalancerOutbound:
		s = "the outbound rule of load balancer " + via
	case EgressSameRegionStorage:
		s = "the same-region Azure Storage access of private subnet " + topology.ShortName(e.Via)
	default:
		s = string(e.Method) + " " + via
	}
	if e.PublicIP != "" {
		s += " (" + e.PublicIP + ")"
	}
	return s
}

func explainLeftAzure(b Blocker) string {
	if b.Egress == nil {
		return "leaves Azure to " + b.Destination
	}
	return "leaves through " + DescribeEgress(*b.Egress) + " to " + b.Destination
}

func explainServiceEndpoint(b Blocker) string {
	return "reaches " + b.Destination + " over the service endpoint of " + b.Data["subnet"]
}

func explainHandedToGateway(b Blocker) string {
	return "handed to gateway " + b.Data["gateway"] + " toward on-premises"
}

func explainPlatform(b Blocker) string {
	return "delivered to " + b.Data["name"] + " by the platform"
}
