package cidr

import (
	"strconv"
	"strings"
)

// PortRange is an inclusive range of TCP or UDP ports. The zero value is the
// single port 0.
type PortRange struct {
	Lo, Hi uint16
}

// AllPorts is the range 0-65535, what "*" means in a rule.
var AllPorts = PortRange{0, 65535}

// PortRangeFrom returns the range holding the single port p.
func PortRangeFrom(p uint16) PortRange { return PortRange{p, p} }

// Contains reports whether p is in r.
func (r PortRange) Contains(p uint16) bool { return r.Lo <= p && p <= r.Hi }

// IsAll reports whether r is 0-65535.
func (r PortRange) IsAll() bool { return r == AllPorts }

// String returns "*" for all ports, "N" for one port and "N-M" otherwise.
func (r PortRange) String() string {
	switch {
	case r.IsAll():
		return "*"
	case r.Lo == r.Hi:
		return strconv.Itoa(int(r.Lo))
	}
	return strconv.Itoa(int(r.Lo)) + "-" + strconv.Itoa(int(r.Hi))
}

// ParsePortRange parses one port token as NSG and firewall rules write it:
// "*" (all ports), "443", or "80-443". A reversed range or a number outside
// 0-65535 is an error quoting the input.
func ParsePortRange(s string) (PortRange, error) {
	const fn = "cidr.ParsePortRange"
	t := strings.TrimSpace(s)
	if t == "*" || strings.EqualFold(t, "any") {
		return AllPorts, nil
	}
	lo, hi, isRange := strings.Cut(t, "-")
	a, err := parsePort(lo)
	if err != "" {
		return PortRange{}, &ParseError{fn, s, err}
	}
	if !isRange {
		return PortRange{a, a}, nil
	}
	b, err := parsePort(hi)
	if err != "" {
		return PortRange{}, &ParseError{fn, s, err}
	}
	if b < a {
		return PortRange{}, &ParseError{fn, s, "range is reversed"}
	}
	return PortRange{a, b}, nil
}

func parsePort(s string) (uint16, string) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, "missing port number"
	}
	for i := 0; i < len(t); i++ {
		if t[i] < '0' || t[i] > '9' {
			return 0, "not a port number or range"
		}
	}
	n, err := strconv.ParseUint(t, 10, 32)
	if err != nil || n > 65535 {
		return 0, "port out of range 0-65535"
	}
	return uint16(n), ""
}

// ParsePorts parses a comma-separated list of port tokens (see
// [ParsePortRange]).
func ParsePorts(s string) ([]PortRange, error) {
	var out []PortRange
	for _, f := range strings.Split(s, ",") {
		r, err := ParsePortRange(f)
		if err != nil {
			return nil, &ParseError{"cidr.ParsePorts", s, listMsg(s, f, err)}
		}
		out = append(out, r)
	}
	return out, nil
}

// PortsContain reports whether any range in rs contains p.
func PortsContain(rs []PortRange, p uint16) bool {
	for _, r := range rs {
		if r.Contains(p) {
			return true
		}
	}
	return false
}
