package route

import (
	"strconv"
	"strings"
)

// NextHopType is where a route sends traffic. Its [NextHopType.String] form
// is the spelling Azure's effective-route API uses (reference §1.3). The zero
// value is [NextHopNone], the drop route.
type NextHopType uint8

// The next hop types of reference §1.3, in their effective-route spellings.
const (
	NextHopNone                   NextHopType = iota // "None": the packet is dropped
	VnetLocal                                        // "VnetLocal": delivered inside the virtual network
	VNetPeering                                      // "VNetPeering": to a peered VNet in the same region
	VNetGlobalPeering                                // "VNetGlobalPeering": to a peered VNet in another region
	VirtualNetworkGateway                            // "VirtualNetworkGateway": to a VPN or ExpressRoute gateway
	Internet                                         // "Internet": to the internet edge (or the Azure backbone for Azure public IPs)
	VirtualAppliance                                 // "VirtualAppliance": to the IP of a network virtual appliance or load balancer
	VirtualNetworkServiceEndpoint                    // "VirtualNetworkServiceEndpoint": to a service through a service endpoint
	InterfaceEndpoint                                // "InterfaceEndpoint": to a private endpoint
	ConnectedGroup                                   // "ConnectedGroup": to a member of a Virtual Network Manager connected group
	VirtualApplianceEcmp                             // "VirtualApplianceEcmp": to several appliances with equal-cost multipath

	numNextHopTypes // not a next hop type: the number of them
)

var nextHopNames = [numNextHopTypes]string{
	NextHopNone:                   "None",
	VnetLocal:                     "VnetLocal",
	VNetPeering:                   "VNetPeering",
	VNetGlobalPeering:             "VNetGlobalPeering",
	VirtualNetworkGateway:         "VirtualNetworkGateway",
	Internet:                      "Internet",
	VirtualAppliance:              "VirtualAppliance",
	VirtualNetworkServiceEndpoint: "VirtualNetworkServiceEndpoint",
	InterfaceEndpoint:             "InterfaceEndpoint",
	ConnectedGroup:                "ConnectedGroup",
	VirtualApplianceEcmp:          "VirtualApplianceEcmp",
}

// nextHopSpellings maps every lower-cased spelling of reference §1.3 (API,
// effective routes, Network Watcher and the classic model) to its type.
var nextHopSpellings = map[string]NextHopType{
	"none":                          NextHopNone,
	"null":                          NextHopNone,
	"vnetlocal":                     VnetLocal, // also the classic "VNETLocal"
	"virtualnetwork":                VnetLocal,
	"vnetpeering":                   VNetPeering,
	"virtualnetworkpeering":         VNetPeering,
	"vnetglobalpeering":             VNetGlobalPeering,
	"virtualnetworkgateway":         VirtualNetworkGateway,
	"vpngateway":                    VirtualNetworkGateway,
	"internet":                      Internet,
	"virtualappliance":              VirtualAppliance,
	"virtualnetworkserviceendpoint": VirtualNetworkServiceEndpoint,
	"interfaceendpoint":             InterfaceEndpoint,
	"connectedgroup":                ConnectedGroup,
	"virtualapplianceecmp":          VirtualApplianceEcmp,
}

// ParseNextHopType parses a next hop type in any spelling of reference
// §1.3, ignoring case: the effective-route and UDR names ("VnetLocal",
// "VirtualAppliance", ...), Network Watcher's ("VirtualNetwork",
// "VirtualNetworkPeering") and the classic model's ("VNETLocal",
// "VPNGateway", "Null"). Anything else, including "", is an error that
// quotes the input.
func ParseNextHopType(s string) (NextHopType, error) {
	if t, ok := nextHopSpellings[strings.ToLower(s)]; ok {
		return t, nil
	}
	return 0, &parseError{"route.ParseNextHopType", s, "unknown next hop type"}
}

// String returns Azure's effective-route spelling of t, or
// "NextHopType(N)" for a value outside the constants.
func (t NextHopType) String() string {
	if t < numNextHopTypes {
		return nextHopNames[t]
	}
	return "NextHopType(" + strconv.Itoa(int(t)) + ")"
}

// IsValid reports whether t is one of the declared constants.
func (t NextHopType) IsValid() bool { return t < numNextHopTypes }

// MarshalText returns [NextHopType.String]; a value outside the constants
// is an error.
func (t NextHopType) MarshalText() ([]byte, error) {
	if !t.IsValid() {
		return nil, &parseError{"route.NextHopType.MarshalText", t.String(), "unknown next hop type"}
	}
	return []byte(nextHopNames[t]), nil
}

// UnmarshalText parses b as [ParseNextHopType] does.
func (t *NextHopType) UnmarshalText(b []byte) error {
	v, err := ParseNextHopType(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// AllowedInUDR reports whether a user-defined route may use t (reference
// §1.4): VirtualAppliance, VirtualNetworkGateway, VnetLocal, Internet and
// None. Peering, service endpoint, private endpoint and connected group
// next hops only come from the platform.
func (t NextHopType) AllowedInUDR() bool {
	switch t {
	case VirtualAppliance, VirtualNetworkGateway, VnetLocal, Internet, NextHopNone:
		return true
	}
	return false
}

// Source says who created a route, as Azure's effective-route API reports
// it. The zero value is [SourceDefault].
type Source uint8

// The route sources of reference §1.10.
const (
	SourceDefault Source = iota // "Default": a system route
	SourceUser                  // "User": a user-defined route from a route table
	SourceGateway               // "VirtualNetworkGateway": learned by a gateway (BGP or a local network gateway)
	numSources                  // not a source: the number of them
)

var sourceNames = [numSources]string{"Default", "User", "VirtualNetworkGateway"}

// ParseSource parses "Default", "User" or "VirtualNetworkGateway", ignoring
// case. Anything else is an error that quotes the input.
func ParseSource(s string) (Source, error) {
	for i, n := range sourceNames {
		if strings.EqualFold(s, n) {
			return Source(i), nil
		}
	}
	return 0, &parseError{"route.ParseSource", s, "unknown route source"}
}

// String returns Azure's spelling of s, or "Source(N)" for a value outside
// the constants.
func (s Source) String() string {
	if s < numSources {
		return sourceNames[s]
	}
	return "Source(" + strconv.Itoa(int(s)) + ")"
}

// IsValid reports whether s is one of the declared constants.
func (s Source) IsValid() bool { return s < numSources }

// MarshalText returns [Source.String]; a value outside the constants is an
// error.
func (s Source) MarshalText() ([]byte, error) {
	if !s.IsValid() {
		return nil, &parseError{"route.Source.MarshalText", s.String(), "unknown route source"}
	}
	return []byte(sourceNames[s]), nil
}

// UnmarshalText parses b as [ParseSource] does.
func (s *Source) UnmarshalText(b []byte) error {
	v, err := ParseSource(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// State says whether a route is in use, as Azure's effective-route API
// reports it. The zero value is [Active].
type State uint8

// The route states of reference §1.10.
const (
	Active  State = iota // "Active": the route is selected for at least one of its prefixes
	Invalid              // "Invalid": another route wins every one of its prefixes (reference §1.5, §1.8)
)

// String returns "Active" or "Invalid", or "State(N)" for another value.
func (s State) String() string {
	switch s {
	case Active:
		return "Active"
	case Invalid:
		return "Invalid"
	}
	return "State(" + strconv.Itoa(int(s)) + ")"
}

// MarshalText returns [State.String]; a value other than [Active] and
// [Invalid] is an error.
func (s State) MarshalText() ([]byte, error) {
	if s > Invalid {
		return nil, &parseError{"route.State.MarshalText", s.String(), "unknown route state"}
	}
	return []byte(s.String()), nil
}

// UnmarshalText parses "Active" or "Invalid", ignoring case.
func (s *State) UnmarshalText(b []byte) error {
	switch {
	case strings.EqualFold(string(b), "Active"):
		*s = Active
	case strings.EqualFold(string(b), "Invalid"):
		*s = Invalid
	default:
		return &parseError{"route.State.UnmarshalText", string(b), "unknown route state"}
	}
	return nil
}

// parseError reports a string that is not a known name. Its message repeats
// the call with the input quoted: route.ParseNextHopType("x"): why.
type parseError struct {
	fn, in, msg string
}

func (e *parseError) Error() string {
	in := e.in
	if len(in) > 120 {
		in = in[:120] + "..."
	}
	return e.fn + "(" + strconv.Quote(in) + "): " + e.msg
}
