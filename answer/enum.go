package answer

import "strconv"

// The enumerations of this package are typed strings whose values are
// their JSON spellings. Each has IsValid, and MarshalText and UnmarshalText
// that reject anything but the declared constants, so an answer that
// round-trips through JSON keeps only known values.

func isEnum[T ~string](all []T, v T) bool {
	for _, x := range all {
		if x == v {
			return true
		}
	}
	return false
}

func marshalEnum[T ~string](typ string, all []T, v T) ([]byte, error) {
	if !isEnum(all, v) {
		return nil, &enumError{typ, string(v)}
	}
	return []byte(v), nil
}

func unmarshalEnum[T ~string](typ string, all []T, v *T, b []byte) error {
	x := T(b)
	if !isEnum(all, x) {
		return &enumError{typ, string(b)}
	}
	*v = x
	return nil
}

// enumError reports a value that is not one of an enumeration's constants.
type enumError struct {
	typ, in string
}

func (e *enumError) Error() string {
	in := e.in
	if len(in) > 120 {
		in = in[:120] + "..."
	}
	return "answer." + e.typ + ": unknown value " + strconv.Quote(in)
}

// Verdict is the outcome of one check: one of the codes of SPEC §5. The
// zero value is not valid.
type Verdict string

// The verdicts, in the order of SPEC §5.
const (
	Reachable               Verdict = "reachable"
	DeniedByNSG             Verdict = "denied-by-nsg"
	DeniedByFirewall        Verdict = "denied-by-firewall"
	BlockedByPeering        Verdict = "blocked-by-peering"
	Blackhole               Verdict = "blackhole"
	Loop                    Verdict = "loop"
	NoEgress                Verdict = "no-egress"
	DNSUnresolved           Verdict = "dns-unresolved"
	PrivateEndpointBypassed Verdict = "private-endpoint-bypassed"
	ReturnPathBroken        Verdict = "return-path-broken"
	// Unknown is the verdict of an answer that depends on what the
	// snapshot lacks (Result.Missing names it) or on what vnetpath does not
	// model (Reason says what): never a guess.
	Unknown Verdict = "unknown"
)

var verdicts = []Verdict{Reachable, DeniedByNSG, DeniedByFirewall, BlockedByPeering, Blackhole, Loop,
	NoEgress, DNSUnresolved, PrivateEndpointBypassed, ReturnPathBroken, Unknown}

// Verdicts lists every verdict in the order of SPEC §5.
func Verdicts() []Verdict { return append([]Verdict(nil), verdicts...) }

// IsReachable reports whether v is [Reachable].
func (v Verdict) IsReachable() bool { return v == Reachable }

// IsValid reports whether v is one of the verdicts.
func (v Verdict) IsValid() bool { return isEnum(verdicts, v) }

// MarshalText returns v; anything but a verdict is an error.
func (v Verdict) MarshalText() ([]byte, error) { return marshalEnum("Verdict", verdicts, v) }

// UnmarshalText accepts only the verdict codes.
func (v *Verdict) UnmarshalText(b []byte) error { return unmarshalEnum("Verdict", verdicts, v, b) }

// HopKind is what a hop of a path is.
type HopKind string

// The kinds of hop.
const (
	HopSubnet           HopKind = "subnet"
	HopNIC              HopKind = "nic"
	HopAzureFirewall    HopKind = "azureFirewall"
	HopVirtualAppliance HopKind = "virtualAppliance"
	HopLoadBalancer     HopKind = "loadBalancer"
	HopPrivateEndpoint  HopKind = "privateEndpoint"
	HopGateway          HopKind = "gateway"
	HopPeering          HopKind = "peering"
	HopInternet         HopKind = "internet"
	HopService          HopKind = "service"  // an Azure service reached over a service endpoint
	HopPlatform         HopKind = "platform" // 168.63.129.16 or 169.254.169.254
	HopDNSResolver      HopKind = "dnsResolver"
)

var hopKinds = []HopKind{HopSubnet, HopNIC, HopAzureFirewall, HopVirtualAppliance, HopLoadBalancer, HopPrivateEndpoint,
	HopGateway, HopPeering, HopInternet, HopService, HopPlatform, HopDNSResolver}

// IsValid reports whether k is one of the declared constants.
func (k HopKind) IsValid() bool { return isEnum(hopKinds, k) }

// MarshalText returns k; anything but a declared constant is an error.
func (k HopKind) MarshalText() ([]byte, error) { return marshalEnum("HopKind", hopKinds, k) }

// UnmarshalText accepts only the declared constants.
func (k *HopKind) UnmarshalText(b []byte) error { return unmarshalEnum("HopKind", hopKinds, k, b) }

// Action is what happened to the packet at a hop or a step.
type Action string

// The actions.
const (
	ActionForwarded    Action = "forwarded"    // sent on toward the next hop
	ActionDelivered    Action = "delivered"    // handed to what holds the destination
	ActionDenied       Action = "denied"       // a rule dropped it
	ActionDropped      Action = "dropped"      // routing or the platform dropped it
	ActionEgress       Action = "egress"       // left Azure for a public destination
	ActionCrossed      Action = "crossed"      // crossed a peering
	ActionBlocked      Action = "blocked"      // a peering (or name resolution) did not carry it
	ActionRevisited    Action = "revisited"    // came back to a hop it passed: a loop
	ActionResolved     Action = "resolved"     // a name resolved
	ActionUntranslated Action = "untranslated" // a reply had its destination translated back
	ActionAllowed      Action = "allowed"      // a rule let it through
)

var actions = []Action{ActionForwarded, ActionDelivered, ActionDenied, ActionDropped, ActionEgress, ActionCrossed,
	ActionBlocked, ActionRevisited, ActionResolved, ActionUntranslated, ActionAllowed}

// IsValid reports whether a is one of the declared constants.
func (a Action) IsValid() bool { return isEnum(actions, a) }

// MarshalText returns a; anything but a declared constant is an error.
func (a Action) MarshalText() ([]byte, error) { return marshalEnum("Action", actions, a) }

// UnmarshalText accepts only the declared constants.
func (a *Action) UnmarshalText(b []byte) error { return unmarshalEnum("Action", actions, a, b) }

// EgressMethod is how a flow leaves Azure for a public destination
// (reference §1.6).
type EgressMethod string

// The egress methods.
const (
	EgressAzureFirewall        EgressMethod = "azureFirewall"
	EgressNATGateway           EgressMethod = "natGateway"
	EgressInstancePublicIP     EgressMethod = "instancePublicIP"
	EgressLoadBalancerOutbound EgressMethod = "loadBalancerOutbound"
	EgressVirtualAppliance     EgressMethod = "virtualAppliance"
	EgressDefaultOutbound      EgressMethod = "defaultOutbound"
	EgressServiceEndpoint      EgressMethod = "serviceEndpoint"
	EgressGateway              EgressMethod = "gateway"
	// EgressSameRegionStorage: a private subnet reaches Azure Storage of
	// its own region without an outbound method (reference §10 item 41).
	EgressSameRegionStorage EgressMethod = "sameRegionStorage"
)

var egressMethods = []EgressMethod{EgressAzureFirewall, EgressNATGateway, EgressInstancePublicIP, EgressLoadBalancerOutbound,
	EgressVirtualAppliance, EgressDefaultOutbound, EgressServiceEndpoint, EgressGateway, EgressSameRegionStorage}

// IsValid reports whether m is one of the declared constants.
func (m EgressMethod) IsValid() bool { return isEnum(egressMethods, m) }

// MarshalText returns m; anything but a declared constant is an error.
func (m EgressMethod) MarshalText() ([]byte, error) {
	return marshalEnum("EgressMethod", egressMethods, m)
}

// UnmarshalText accepts only the declared constants.
func (m *EgressMethod) UnmarshalText(b []byte) error {
	return unmarshalEnum("EgressMethod", egressMethods, m, b)
}

// StepType says which detail a [Step] carries.
type StepType string

// The step types.
const (
	StepRoute        StepType = "route"        // a route chose the next hop (Step.Route)
	StepNSGRule      StepType = "nsgRule"      // an NSG rule matched (Step.Rule)
	StepFirewallRule StepType = "firewallRule" // a firewall rule matched, or none did (Step.Rule, nil for the default deny)
	StepSNAT         StepType = "snat"         // the source was translated (Step.SNAT)
	StepPeering      StepType = "peering"      // a peering was crossed or blocked (Step.Peering)
	StepDelivery     StepType = "delivery"     // the packet was handed over
	StepEgress       StepType = "egress"       // the packet left Azure (Step.Egress)
	StepDNS          StepType = "dns"          // name resolution
	StepForwarding   StepType = "forwarding"   // an appliance or gateway forwarded it
	StepDrop         StepType = "drop"         // the platform dropped it
	StepNote         StepType = "note"         // a fact without structure yet (Step.Note)
)

var stepTypes = []StepType{StepRoute, StepNSGRule, StepFirewallRule, StepSNAT, StepPeering, StepDelivery, StepEgress,
	StepDNS, StepForwarding, StepDrop, StepNote}

// IsValid reports whether t is one of the declared constants.
func (t StepType) IsValid() bool { return isEnum(stepTypes, t) }

// MarshalText returns t; anything but a declared constant is an error.
func (t StepType) MarshalText() ([]byte, error) { return marshalEnum("StepType", stepTypes, t) }

// UnmarshalText accepts only the declared constants.
func (t *StepType) UnmarshalText(b []byte) error { return unmarshalEnum("StepType", stepTypes, t, b) }

// FixKind says what a [Fix] changes.
type FixKind string

// The kinds of fix. [FixKind.Patchable] tells those that ARM edits apply
// from those that need a person (deploying a gateway, exporting what the
// snapshot lacks, deciding where a destination lives).
const (
	FixAddSecurityRule    FixKind = "addSecurityRule"    // add an NSG rule
	FixAddFirewallRule    FixKind = "addFirewallRule"    // add a firewall rule (in a new rule collection)
	FixSetProperty        FixKind = "setProperty"        // set a property of an existing resource
	FixAddRoute           FixKind = "addRoute"           // add a user-defined route (and its route table when the subnet has none)
	FixRemoveRoute        FixKind = "removeRoute"        // remove a user-defined route
	FixSetRouteNextHop    FixKind = "setRouteNextHop"    // point a user-defined route elsewhere
	FixCreatePeering      FixKind = "createPeering"      // create a peering (one half or both)
	FixRecreatePeering    FixKind = "recreatePeering"    // delete and re-create a peering
	FixSyncPeering        FixKind = "syncPeering"        // sync a peering with its remote address space
	FixAddZoneLink        FixKind = "addZoneLink"        // link a private DNS zone to a VNet
	FixCreateZone         FixKind = "createZone"         // create a private DNS zone with its records and link
	FixAddRecord          FixKind = "addRecord"          // add a record to a private DNS zone
	FixEnableIPForwarding FixKind = "enableIPForwarding" // enable IP forwarding on a NIC
	FixApproveConnection  FixKind = "approveConnection"  // approve a private endpoint connection
	FixAttachNATGateway   FixKind = "attachNATGateway"   // attach a (new) NAT gateway to a subnet
	FixUseRemoteGateway   FixKind = "useRemoteGateway"   // use a peered VNet's gateway (gateway transit)
	FixSetSNAT            FixKind = "setSNAT"            // make a firewall translate the source for some destinations
	FixEnableDNSProxy     FixKind = "enableDNSProxy"     // enable DNS proxy on a firewall

	FixExport           FixKind = "export"           // export a resource the snapshot lacks (no patch)
	FixDeployGateway    FixKind = "deployGateway"    // deploy a VPN or ExpressRoute gateway (no patch)
	FixDeployAppliance  FixKind = "deployAppliance"  // deploy the appliance a route points at (no patch)
	FixRouteDestination FixKind = "routeDestination" // send a destination to where it lives, which the snapshot does not say (no patch)
	FixReviewRouting    FixKind = "reviewRouting"    // routing that no single edit repairs (no patch)
	FixReviewDNS        FixKind = "reviewDNS"        // DNS configuration that no single edit repairs (no patch)
	FixReviewRules      FixKind = "reviewRules"      // a rule change vnetpath cannot make narrow enough, or has no free priority for (no patch)
	FixCheckDestination FixKind = "checkDestination" // the destination itself looks wrong (no patch)
)

var fixKinds = []FixKind{FixAddSecurityRule, FixAddFirewallRule, FixSetProperty, FixAddRoute, FixRemoveRoute,
	FixSetRouteNextHop, FixCreatePeering, FixRecreatePeering, FixSyncPeering, FixAddZoneLink, FixCreateZone, FixAddRecord,
	FixEnableIPForwarding, FixApproveConnection, FixAttachNATGateway, FixUseRemoteGateway, FixSetSNAT, FixEnableDNSProxy,
	FixExport, FixDeployGateway, FixDeployAppliance, FixRouteDestination, FixReviewRouting, FixReviewDNS, FixReviewRules, FixCheckDestination}

// IsValid reports whether k is one of the declared constants.
func (k FixKind) IsValid() bool { return isEnum(fixKinds, k) }

// Patchable reports whether a fix of kind k is expressed as ARM edits
// ([Fix.Patch]); the others need a person and carry no patch.
func (k FixKind) Patchable() bool {
	switch k {
	case FixExport, FixDeployGateway, FixDeployAppliance, FixRouteDestination, FixReviewRouting, FixReviewDNS, FixReviewRules, FixCheckDestination:
		return false
	}
	return k.IsValid()
}

// MarshalText returns k; anything but a declared constant is an error.
func (k FixKind) MarshalText() ([]byte, error) { return marshalEnum("FixKind", fixKinds, k) }

// UnmarshalText accepts only the declared constants.
func (k *FixKind) UnmarshalText(b []byte) error { return unmarshalEnum("FixKind", fixKinds, k, b) }
