package topology

import (
	"strconv"
	"strings"
)

// Direction is the direction of an NSG rule, in Azure's spelling
// (reference §3.1). The zero value is not valid.
type Direction string

// The directions of an NSG rule.
const (
	DirectionInbound  Direction = "Inbound"
	DirectionOutbound Direction = "Outbound"
)

var directions = []Direction{DirectionInbound, DirectionOutbound}

// ParseDirection reads "Inbound" or "Outbound", ignoring case. Anything
// else is an error that quotes the input.
func ParseDirection(s string) (Direction, error) {
	return parseEnum("topology.ParseDirection", "direction", directions, s)
}

// IsValid reports whether d is one of the declared constants.
func (d Direction) IsValid() bool { return isEnum(directions, d) }

// MarshalText returns d; a value other than the constants is an error.
func (d Direction) MarshalText() ([]byte, error) {
	return marshalEnum("topology.Direction.MarshalText", "direction", directions, d)
}

// UnmarshalText parses b as [ParseDirection] does.
func (d *Direction) UnmarshalText(b []byte) error { return unmarshalEnum(ParseDirection, d, b) }

// Access is what an NSG rule does with the traffic it matches, in Azure's
// spelling (reference §3.1). The zero value is not valid.
type Access string

// The accesses of an NSG rule.
const (
	AccessAllow Access = "Allow"
	AccessDeny  Access = "Deny"
)

var accesses = []Access{AccessAllow, AccessDeny}

// ParseAccess reads "Allow" or "Deny", ignoring case. Anything else is an
// error that quotes the input.
func ParseAccess(s string) (Access, error) {
	return parseEnum("topology.ParseAccess", "access", accesses, s)
}

// IsValid reports whether a is one of the declared constants.
func (a Access) IsValid() bool { return isEnum(accesses, a) }

// MarshalText returns a; a value other than the constants is an error.
func (a Access) MarshalText() ([]byte, error) {
	return marshalEnum("topology.Access.MarshalText", "access", accesses, a)
}

// UnmarshalText parses b as [ParseAccess] does.
func (a *Access) UnmarshalText(b []byte) error { return unmarshalEnum(ParseAccess, a, b) }

// PeeringState is the state of one half of a VNet peering, in Azure's
// spelling (reference §2.2). The zero value is not valid.
type PeeringState string

// The states of a peering half: Connected carries traffic (when the other
// half is Connected too); Initiated waits for the other half; Disconnected
// never recovers and must be re-created.
const (
	PeeringConnected    PeeringState = "Connected"
	PeeringInitiated    PeeringState = "Initiated"
	PeeringDisconnected PeeringState = "Disconnected"
)

var peeringStates = []PeeringState{PeeringConnected, PeeringInitiated, PeeringDisconnected}

// ParsePeeringState reads "Connected", "Initiated" or "Disconnected",
// ignoring case. Anything else is an error that quotes the input.
func ParsePeeringState(s string) (PeeringState, error) {
	return parseEnum("topology.ParsePeeringState", "peering state", peeringStates, s)
}

// IsValid reports whether s is one of the declared constants.
func (s PeeringState) IsValid() bool { return isEnum(peeringStates, s) }

// MarshalText returns s; a value other than the constants is an error.
func (s PeeringState) MarshalText() ([]byte, error) {
	return marshalEnum("topology.PeeringState.MarshalText", "peering state", peeringStates, s)
}

// UnmarshalText parses b as [ParsePeeringState] does.
func (s *PeeringState) UnmarshalText(b []byte) error { return unmarshalEnum(ParsePeeringState, s, b) }

// NextHopType is where a route sends traffic, in the spelling Azure's
// effective-route API uses (reference §1.3). It is the one list of next
// hop types of vnetpath: user-defined routes, effective routes and answers
// use it. The zero value is not valid; the drop route is [NextHopNone].
type NextHopType string

// The next hop types of reference §1.3, in their effective-route spellings.
const (
	NextHopNone                          NextHopType = "None"                          // the packet is dropped
	NextHopVnetLocal                     NextHopType = "VnetLocal"                     // delivered inside the virtual network
	NextHopVNetPeering                   NextHopType = "VNetPeering"                   // to a peered VNet in the same region
	NextHopVNetGlobalPeering             NextHopType = "VNetGlobalPeering"             // to a peered VNet in another region
	NextHopVirtualNetworkGateway         NextHopType = "VirtualNetworkGateway"         // to a VPN or ExpressRoute gateway
	NextHopInternet                      NextHopType = "Internet"                      // to the internet edge (or the Azure backbone for Azure public IPs)
	NextHopVirtualAppliance              NextHopType = "VirtualAppliance"              // to the IP of a network virtual appliance or load balancer
	NextHopVirtualNetworkServiceEndpoint NextHopType = "VirtualNetworkServiceEndpoint" // to a service through a service endpoint
	NextHopInterfaceEndpoint             NextHopType = "InterfaceEndpoint"             // to a private endpoint
	NextHopConnectedGroup                NextHopType = "ConnectedGroup"                // to a member of a Virtual Network Manager connected group
	NextHopVirtualApplianceEcmp          NextHopType = "VirtualApplianceEcmp"          // to several appliances with equal-cost multipath
)

var nextHopTypes = []NextHopType{
	NextHopNone, NextHopVnetLocal, NextHopVNetPeering, NextHopVNetGlobalPeering, NextHopVirtualNetworkGateway,
	NextHopInternet, NextHopVirtualAppliance, NextHopVirtualNetworkServiceEndpoint, NextHopInterfaceEndpoint,
	NextHopConnectedGroup, NextHopVirtualApplianceEcmp,
}

// nextHopAliases maps the other lower-cased spellings of reference §1.3
// (Network Watcher's and the classic model's) to their type; the
// effective-route spellings are matched ignoring case.
var nextHopAliases = map[string]NextHopType{
	"null":                  NextHopNone,
	"virtualnetwork":        NextHopVnetLocal, // the classic "VNETLocal" matches VnetLocal ignoring case
	"virtualnetworkpeering": NextHopVNetPeering,
	"vpngateway":            NextHopVirtualNetworkGateway,
}

// NextHopTypes returns every next hop type, None first.
func NextHopTypes() []NextHopType { return append([]NextHopType(nil), nextHopTypes...) }

// ParseNextHopType parses a next hop type in any spelling of reference
// §1.3, ignoring case: the effective-route and UDR names ("VnetLocal",
// "VirtualAppliance", ...), Network Watcher's ("VirtualNetwork",
// "VirtualNetworkPeering") and the classic model's ("VNETLocal",
// "VPNGateway", "Null"). Anything else, including "", is an error that
// quotes the input.
func ParseNextHopType(s string) (NextHopType, error) {
	if t := NextHopType(s); t.IsValid() {
		return t, nil // spelled as Azure writes it, most routes
	}
	if t, ok := nextHopAliases[strings.ToLower(s)]; ok {
		return t, nil
	}
	return parseEnum("topology.ParseNextHopType", "next hop type", nextHopTypes, s)
}

// IsValid reports whether t is one of the declared constants.
func (t NextHopType) IsValid() bool { return isEnum(nextHopTypes, t) }

// MarshalText returns t; a value other than the constants is an error.
func (t NextHopType) MarshalText() ([]byte, error) {
	return marshalEnum("topology.NextHopType.MarshalText", "next hop type", nextHopTypes, t)
}

// UnmarshalText parses b as [ParseNextHopType] does.
func (t *NextHopType) UnmarshalText(b []byte) error { return unmarshalEnum(ParseNextHopType, t, b) }

// AllowedInUDR reports whether a user-defined route may use t (reference
// §1.4): VirtualAppliance, VirtualNetworkGateway, VnetLocal, Internet and
// None. Peering, service endpoint, private endpoint and connected group
// next hops only come from the platform.
func (t NextHopType) AllowedInUDR() bool {
	switch t {
	case NextHopVirtualAppliance, NextHopVirtualNetworkGateway, NextHopVnetLocal, NextHopInternet, NextHopNone:
		return true
	}
	return false
}

func isEnum[T ~string](all []T, v T) bool {
	for _, x := range all {
		if x == v {
			return true
		}
	}
	return false
}

func parseEnum[T ~string](fn, what string, all []T, s string) (T, error) {
	for _, x := range all {
		if strings.EqualFold(string(x), s) {
			return x, nil
		}
	}
	return "", &enumError{fn, s, "unknown " + what}
}

func marshalEnum[T ~string](fn, what string, all []T, v T) ([]byte, error) {
	if !isEnum(all, v) {
		return nil, &enumError{fn, string(v), "unknown " + what}
	}
	return []byte(v), nil
}

func unmarshalEnum[T ~string](parse func(string) (T, error), v *T, b []byte) error {
	x, err := parse(string(b))
	if err != nil {
		return err
	}
	*v = x
	return nil
}

// enumError reports a string that is not a known name. Its message repeats
// the call with the input quoted: topology.ParseAccess("x"): unknown access.
type enumError struct {
	fn, in, msg string
}

func (e *enumError) Error() string {
	in := e.in
	if len(in) > 120 {
		in = in[:120] + "..."
	}
	return e.fn + "(" + strconv.Quote(in) + "): " + e.msg
}
