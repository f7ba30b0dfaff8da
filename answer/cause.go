package answer

// Cause is why a [Blocker] stops a flow, or, for the outcome causes, how a
// flow arrived. Each constant's comment lists the Blocker fields and Data
// keys it sets; [Explain] and [FixText] read only those.
type Cause string

// Causes of denied-by-nsg. Both set Rule, Source, Destination, Protocol
// and Port; Resource is the NSG.
const (
	// CauseNSGRuleDenies: a custom rule denies the flow.
	CauseNSGRuleDenies Cause = "nsgRuleDenies"
	// CauseNSGDefaultDenies: no custom rule allows the flow and a default
	// rule (DenyAllOutBound, DenyAllInBound) denies it. Data "outside": the
	// addresses outside the subnet's VirtualNetwork tag; "vnetRule": the
	// default allow rule a route or peering would bring them under, when
	// they are private.
	CauseNSGDefaultDenies Cause = "nsgDefaultDenies"
)

// Causes of denied-by-firewall. Both set Resource (the firewall), Source,
// Destination, Protocol and Port; Data "policy" (the policy name, when the
// firewall has one) and "fqdn" (the name the check asked for).
const (
	// CauseFirewallRuleDenies: a rule of a Deny collection matches (Rule).
	CauseFirewallRuleDenies Cause = "firewallRuleDenies"
	// CauseFirewallNoRule: no rule matches; Azure Firewall denies.
	CauseFirewallNoRule Cause = "firewallNoRule"
)

// Causes of blocked-by-peering (reference §2). Peering is the half at
// fault unless said otherwise.
const (
	// CauseNotPeered: the path crosses between two VNets that are not
	// peered. Data "from", "to": the VNets.
	CauseNotPeered Cause = "notPeered"
	// CausePeeringMissingHalf: one half exists (Peering), the other does
	// not. Data "owner": the VNet owning the half; "other": the VNet
	// without one.
	CausePeeringMissingHalf Cause = "peeringMissingHalf"
	// CausePeeringNotConnected: a half is Initiated or Disconnected. Data
	// "other", "otherState": the other half and its state.
	CausePeeringNotConnected Cause = "peeringNotConnected"
	// CausePeeringNoVNetAccess: allowVirtualNetworkAccess is off.
	CausePeeringNoVNetAccess Cause = "peeringNoVNetAccess"
	// CausePeeringNoForwardedTraffic: the receiving half does not allow
	// forwarded traffic and an appliance forwarded the packet. Data
	// "owner": the receiving VNet.
	CausePeeringNoForwardedTraffic Cause = "peeringNoForwardedTraffic"
	// CausePeeringSubnetScope: a subnet peering does not name a subnet
	// (reference §2.7). Data "subnets": the names it covers; "vnet": their
	// VNet; "subnet": the one left out; "side": "remote" or "local";
	// "address": the destination the left-out subnet holds, when known.
	CausePeeringSubnetScope Cause = "peeringSubnetScope"
	// CausePeeringNotSynced: the remote range holding the destination was
	// added but not synced (reference §2.6). Data "vnet", "address",
	// "syncLevel", "routes" (what the peering routes).
	CausePeeringNotSynced Cause = "peeringNotSynced"
	// CausePeeringIPv6Only: a subnet peering with enableOnlyIPv6Peering
	// carries no IPv4 (reference §2.7, §1.9).
	CausePeeringIPv6Only Cause = "peeringIPv6Only"
)

// Causes of blackhole. Route is the route that decided, when one did.
const (
	// CauseDestinationNotPeered: the destination is in a VNet that is not
	// peered with the source's, so a None system route matches. Data
	// "address", "vnet" (the destination's VNet), "from" (the source's),
	// "subnet" and "space" (the destination VNet's ranges), and
	// "firewall" ("10.0.1.4 (firewall fw-hub)") when a firewall in a VNet
	// peered with both could carry it.
	CauseDestinationNotPeered Cause = "destinationNotPeered"
	// CauseSystemRouteNone: only a None system route covers the
	// destination. Data "subnet".
	CauseSystemRouteNone Cause = "systemRouteNone"
	// CauseRouteNone: a user route with next hop None drops it.
	CauseRouteNone Cause = "routeNone"
	// CauseNoRoute: no route covers the destination (an address family
	// the VNet does not have). Data "subnet", "vnet".
	CauseNoRoute Cause = "noRoute"
	// CauseNextHopNotFound: nothing in the snapshot holds the route's
	// next hop address. Data "ip".
	CauseNextHopNotFound Cause = "nextHopNotFound"
	// CauseNextHopNotPeered: the next hop is in a VNet not peered with
	// the source's. Data "ip", "vnet", "from".
	CauseNextHopNotPeered Cause = "nextHopNotPeered"
	// CauseNextHopNoForwarding: the next hop is a NIC (Resource) without
	// IP forwarding. Data "ip", "nic".
	CauseNextHopNoForwarding Cause = "nextHopNoForwarding"
	// CauseNextHopNotForwarder: the next hop belongs to something that
	// does not forward (a private endpoint, a gateway). Data "ip", "kind",
	// "owner".
	CauseNextHopNotForwarder Cause = "nextHopNotForwarder"
	// CauseDestinationNotInSubnet: the destination is in a VNet's space but
	// in none of its subnets. Data "vnet".
	CauseDestinationNotInSubnet Cause = "destinationNotInSubnet"
	// CauseTagIntoVNet: a service tag known only by name is routed into a
	// VNet. Data "vnet".
	CauseTagIntoVNet Cause = "tagIntoVNet"
	// CauseGatewayMissing: a route sends to a gateway the VNet does not
	// have. Data "vnet".
	CauseGatewayMissing Cause = "gatewayMissing"
	// CausePrivateToInternet: a private destination is routed to the
	// Internet.
	CausePrivateToInternet Cause = "privateToInternet"
	// CausePEConnectionNotApproved: the private endpoint's (Resource)
	// connection is not Approved. Data "status".
	CausePEConnectionNotApproved Cause = "peConnectionNotApproved"
	// CauseIPv4OnlyDevice: an IPv6 packet is routed to a device that
	// carries IPv4 only (reference §10 item 39). Data "kind" ("Azure
	// Firewall", "VPN gateway"), "device" (its name).
	CauseIPv4OnlyDevice Cause = "ipv4OnlyDevice"
	// CauseGatewayNotVPN: a user route sends the packet to a virtual
	// network gateway, and the gateway that serves the VNet is not a VPN
	// gateway alone (reference §1.4, §10 item 35). Data "gateway",
	// "gatewayType" ("ExpressRoute", or "VPN and ExpressRoute" when both
	// coexist).
	CauseGatewayNotVPN Cause = "gatewayNotVPN"
	// CauseLBNoRule: the next hop is an internal load balancer's frontend
	// (Resource) without a load-balancing rule for the flow's protocol and
	// port (reference §10 item 43). Data "lb", "frontend", "ip".
	CauseLBNoRule Cause = "lbNoRule"
	// CauseLBEmptyPool: the load-balancing rule's backend pool has no
	// member. Data "lb", "pool".
	CauseLBEmptyPool Cause = "lbEmptyPool"
)

// Causes of loop.
const (
	// CauseLoop: the packet comes back to an appliance it passed. Data
	// "at" (the appliance), "path" ("a → b → a").
	CauseLoop Cause = "loop"
	// CausePathTooLong: the path is longer than Data "max" hops.
	CausePathTooLong Cause = "pathTooLong"
)

// Causes of no-egress. Resource is the subnet (or firewall) without one.
const (
	// CauseNoEgress: a subnet sends to the Internet without an outbound
	// method. Data "who".
	CauseNoEgress Cause = "noEgress"
	// CauseFirewallNoPublicIP: the firewall has no public IP. Data
	// "firewall".
	CauseFirewallNoPublicIP Cause = "firewallNoPublicIP"
	// CauseNoIPv6Egress: an IPv6 packet leaves for the Internet, and IPv6
	// has no default outbound access and no NAT gateway path: it leaves
	// only through an IPv6 public IP on the NIC or an IPv6 load-balancer
	// frontend (reference §10 item 39). Data "who".
	CauseNoIPv6Egress Cause = "noIPv6Egress"
	// CauseICMPNoEgress: an ICMP packet leaves for the Internet through a
	// NAT gateway, a load balancer outbound rule or default outbound
	// access, which carry no ICMP (reference §10 item 40). Data "who",
	// "method" (natGateway, loadBalancerOutbound or defaultOutbound).
	CauseICMPNoEgress Cause = "icmpNoEgress"
)

// Causes of return-path-broken. Data "subnet" (where the reply is) and
// "target" (the address it goes to) unless said otherwise.
const (
	// CauseReturnNoRoute: no route back.
	CauseReturnNoRoute Cause = "returnNoRoute"
	// CauseReturnAsymmetric: a firewall forwarded the request to a private
	// endpoint without SNAT, and the endpoint replies around it. Data
	// "firewall", "pe", "source".
	CauseReturnAsymmetric Cause = "returnAsymmetric"
	// CauseReturnBypassesDevice: replies take Route around a device that
	// forwarded the request without SNAT. Data "device".
	CauseReturnBypassesDevice Cause = "returnBypassesDevice"
	// CauseReturnToUnseenDevice: replies are routed to a device the
	// request did not pass. Data "kind", "device".
	CauseReturnToUnseenDevice Cause = "returnToUnseenDevice"
	// CauseReturnDropped: a None route drops replies.
	CauseReturnDropped Cause = "returnDropped"
	// CauseReturnLeaves: replies leave (Route) instead of returning.
	CauseReturnLeaves Cause = "returnLeaves"
	// CauseReturnUnowned: replies go to Data "ip", which nothing owns.
	CauseReturnUnowned Cause = "returnUnowned"
	// CauseReturnLoop: the reply path loops.
	CauseReturnLoop Cause = "returnLoop"
)

// Causes of dns-unresolved (and of a failed [Resolution]). Data "name" is
// the name asked for.
const (
	// CauseDNSNXDomain: a linked zone (Resource) has no record for the
	// name. Data "zone", "vnet", "record" (relative).
	CauseDNSNXDomain Cause = "dnsNXDomain"
	// CauseDNSServerInvalid: a configured DNS server is not an address.
	// Data "origin", "server".
	CauseDNSServerInvalid Cause = "dnsServerInvalid"
	// CauseDNSServerUnknown: nothing in the snapshot owns the DNS server
	// address. Data "server".
	CauseDNSServerUnknown Cause = "dnsServerUnknown"
	// CauseDNSServerNotResolver: the DNS server address belongs to
	// something that does not answer DNS. Data "server", "kind", "owner".
	CauseDNSServerNotResolver Cause = "dnsServerNotResolver"
	// CauseDNSProxyOff: the DNS server is a firewall (Resource) without DNS
	// proxy. Data "server", "firewall", "policy".
	CauseDNSProxyOff Cause = "dnsProxyOff"
	// CauseDNSUnreachable: the client cannot reach its DNS server on UDP
	// 53. Data "server", "subnet", "why".
	CauseDNSUnreachable Cause = "dnsUnreachable"
	// CauseDNSServerLoop: DNS servers forward to each other. Data "server".
	CauseDNSServerLoop Cause = "dnsServerLoop"
	// CauseDNSForwardLoop: forwarding rules send the query around. Data
	// "rule", "ruleset", "vnet" (when known).
	CauseDNSForwardLoop Cause = "dnsForwardLoop"
	// CauseDNSNoTarget: a forwarding rule has no target. Data "rule".
	CauseDNSNoTarget Cause = "dnsNoTarget"
	// CauseDNSForwardTargetDown: no target of the forwarding rule that
	// matched answers: nothing owns it, the ruleset's outbound endpoint
	// cannot reach it, or it does not answer DNS (reference §10 item 42).
	// Resource is the rule. Data "rule", "ruleset", "domain", "targets"
	// (the addresses, comma-separated), "why" (what each one lacks) and
	// "endpoint" (the outbound endpoint the queries leave from).
	CauseDNSForwardTargetDown Cause = "dnsForwardTargetDown"
	// CauseDNSNoReverse: a reverse lookup (PTR) of a private address that
	// no reverse zone linked to the VNet covers and that is no VM's in it:
	// Azure DNS answers NXDOMAIN (reference §10 item 36). Data "address",
	// "vnet".
	CauseDNSNoReverse Cause = "dnsNoReverse"
	// CauseDNSCNAMELoop: the CNAME chain does not end.
	CauseDNSCNAMELoop Cause = "dnsCNAMELoop"
)

// CausePrivateEndpointBypassed is the cause of private-endpoint-bypassed:
// the name resolves publicly although a private endpoint (Resource)
// serves it. Data "name", "pe", "expected" (its addresses), "zone",
// "variant" ("noZone", "zoneMissing" or "notLinked"), "vnet" (where the
// zone must be linked), "where" (how to name that VNet), "client" (the
// client's VNet), "dnsAlt" ("true" when pointing the client's DNS servers
// at a linked resolver also works) and "workspace" (a workspace that
// refuses public access, when one does).
const CausePrivateEndpointBypassed Cause = "privateEndpointBypassed"

// Causes of unknown.
const (
	// CauseMissingResource: the path depends on resources the snapshot
	// lacks (Missing). Data "what" describes them.
	CauseMissingResource Cause = "missingResource"
	// CauseNotModelled: the path depends on what vnetpath does not model.
	// Data "what", and "how" (what a person should check) when it is not
	// a route; Resource is what is not modelled (a route's table, an AVNM
	// security admin configuration, a Virtual WAN hub).
	CauseNotModelled Cause = "notModelled"
	// CauseNoPath: the walk followed no path at all.
	CauseNoPath Cause = "noPath"
)

// Outcome causes: how a reachable flow (or part) arrived. They are never
// in Result.Blockers; [Explain] gives Result.Reason from them.
const (
	// CauseDelivered: delivered to Data "to", through Data "through"
	// (devices passed), if any.
	CauseDelivered Cause = "delivered"
	// CauseLeftAzure: left for the Internet through Egress.
	CauseLeftAzure Cause = "leftAzure"
	// CauseServiceEndpoint: reached over the service endpoint of Data
	// "subnet".
	CauseServiceEndpoint Cause = "serviceEndpoint"
	// CauseHandedToGateway: handed to gateway Data "gateway".
	CauseHandedToGateway Cause = "handedToGateway"
	// CausePlatform: delivered to Data "name" by the platform.
	CausePlatform Cause = "platform"
)

var causes = []Cause{
	CauseNSGRuleDenies, CauseNSGDefaultDenies, CauseFirewallRuleDenies, CauseFirewallNoRule,
	CauseNotPeered, CausePeeringMissingHalf, CausePeeringNotConnected, CausePeeringNoVNetAccess,
	CausePeeringNoForwardedTraffic, CausePeeringSubnetScope, CausePeeringNotSynced, CausePeeringIPv6Only,
	CauseDestinationNotPeered, CauseSystemRouteNone, CauseRouteNone, CauseNoRoute, CauseNextHopNotFound,
	CauseNextHopNotPeered, CauseNextHopNoForwarding, CauseNextHopNotForwarder, CauseDestinationNotInSubnet,
	CauseTagIntoVNet, CauseGatewayMissing, CausePrivateToInternet, CausePEConnectionNotApproved,
	CauseIPv4OnlyDevice, CauseGatewayNotVPN, CauseLBNoRule, CauseLBEmptyPool,
	CauseLoop, CausePathTooLong, CauseNoEgress, CauseFirewallNoPublicIP, CauseNoIPv6Egress, CauseICMPNoEgress,
	CauseReturnNoRoute, CauseReturnAsymmetric, CauseReturnBypassesDevice, CauseReturnToUnseenDevice,
	CauseReturnDropped, CauseReturnLeaves, CauseReturnUnowned, CauseReturnLoop,
	CauseDNSNXDomain, CauseDNSServerInvalid, CauseDNSServerUnknown, CauseDNSServerNotResolver,
	CauseDNSProxyOff, CauseDNSUnreachable, CauseDNSServerLoop, CauseDNSForwardLoop, CauseDNSNoTarget, CauseDNSForwardTargetDown, CauseDNSNoReverse, CauseDNSCNAMELoop,
	CausePrivateEndpointBypassed, CauseMissingResource, CauseNotModelled, CauseNoPath,
	CauseDelivered, CauseLeftAzure, CauseServiceEndpoint, CauseHandedToGateway, CausePlatform,
}

// Causes lists every cause.
func Causes() []Cause { return append([]Cause(nil), causes...) }

// IsValid reports whether c is one of the declared constants.
func (c Cause) IsValid() bool { return isEnum(causes, c) }

// IsOutcome reports whether c says how a flow arrived rather than why it
// stopped.
func (c Cause) IsOutcome() bool {
	switch c {
	case CauseDelivered, CauseLeftAzure, CauseServiceEndpoint, CauseHandedToGateway, CausePlatform:
		return true
	}
	return false
}

// MarshalText returns c; anything but a declared constant is an error.
func (c Cause) MarshalText() ([]byte, error) { return marshalEnum("Cause", causes, c) }

// UnmarshalText accepts only the declared constants.
func (c *Cause) UnmarshalText(b []byte) error { return unmarshalEnum("Cause", causes, c, b) }
