package route

import (
	"strconv"
	"strings"
)

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
