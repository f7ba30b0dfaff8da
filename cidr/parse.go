package cidr

import (
	"net/netip"
	"strconv"
	"strings"

	"go4.org/netipx"
)

// ParseError reports an address or port string that does not parse. It
// quotes the input and says why.
type ParseError struct {
	Func  string // the parsing function, e.g. "cidr.ParsePrefix"
	Input string // the string as given
	Msg   string // why it does not parse
}

// Error returns the input, quoted, and why it does not parse:
// "\"10.0.0.1/24\": not canonical: host bits are set (the network is
// 10.0.0.0/24)". It leaves Func out: the message reaches people who typed
// the value or wrote the file, not the caller.
func (e *ParseError) Error() string {
	return quote(e.Input) + ": " + e.Msg
}

// listMsg is the message of an error in field f of list s: the field,
// quoted, and what is wrong with it, or only what is wrong when the list
// has no other field.
func listMsg(s, f string, err error) string {
	msg := err.(*ParseError).Msg
	if f = strings.TrimSpace(f); f != strings.TrimSpace(s) {
		msg = quote(f) + ": " + msg
	}
	return msg
}

func quote(s string) string {
	if len(s) > 120 {
		s = s[:120] + "..."
	}
	return strconv.Quote(s)
}

// ParsePrefix parses one address or CIDR as Azure writes them in address
// prefixes: "10.0.0.0/16", "10.0.0.4" (a /32), "2001:db8::/64" or
// "2001:db8::1" (a /128). Surrounding spaces are ignored and IPv4-mapped
// IPv6 input is unmapped. A prefix with host bits set, such as
// "10.0.0.1/24", is an error naming the canonical form, as Azure rejects it
// too. "*" is not a prefix; use [Parse] for it.
func ParsePrefix(s string) (netip.Prefix, error) {
	const fn = "cidr.ParsePrefix"
	t := strings.TrimSpace(s)
	if t == "" {
		return netip.Prefix{}, &ParseError{fn, s, "empty address"}
	}
	if strings.Contains(t, "/") {
		p, err := netip.ParsePrefix(t)
		if err != nil {
			return netip.Prefix{}, &ParseError{fn, s, "not an IP address or CIDR prefix"}
		}
		if p.Addr().Zone() != "" {
			return netip.Prefix{}, &ParseError{fn, s, "IPv6 zones are not allowed"}
		}
		if p.Addr().Is4In6() {
			bits := p.Bits() - 96
			if bits < 0 {
				return netip.Prefix{}, &ParseError{fn, s, "IPv4-mapped prefix shorter than /96"}
			}
			p = netip.PrefixFrom(p.Addr().Unmap(), bits)
		}
		if m := p.Masked(); m != p {
			return netip.Prefix{}, &ParseError{fn, s, "not canonical: host bits are set (the network is " + m.String() + ")"}
		}
		return p, nil
	}
	a, err := netip.ParseAddr(t)
	if err != nil {
		return netip.Prefix{}, &ParseError{fn, s, "not an IP address or CIDR prefix"}
	}
	if a.Zone() != "" {
		return netip.Prefix{}, &ParseError{fn, s, "IPv6 zones are not allowed"}
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// MustParsePrefix is like [ParsePrefix] but panics on error. It is meant for
// tests and examples.
func MustParsePrefix(s string) netip.Prefix {
	p, err := ParsePrefix(s)
	if err != nil {
		panic(err)
	}
	return p
}

// Parse parses one Azure address token into the prefixes it denotes:
//
//   - "*", "any" and "Any": every IPv4 and IPv6 address (0.0.0.0/0 and ::/0);
//   - an IP address or canonical CIDR prefix, as [ParsePrefix];
//   - a range "10.0.0.1-10.0.0.12", as Azure Firewall rules allow, given as
//     the minimal prefixes that cover it exactly.
//
// Service tags and other names are not addresses: see [IsAddress].
func Parse(s string) ([]netip.Prefix, error) {
	const fn = "cidr.Parse"
	t := strings.TrimSpace(s)
	switch {
	case t == "*" || strings.EqualFold(t, "any"):
		return []netip.Prefix{v4All, v6All}, nil
	case strings.Contains(t, "-") && !strings.Contains(t, "/"):
		from, to, _ := strings.Cut(t, "-")
		a, err1 := netip.ParseAddr(strings.TrimSpace(from))
		b, err2 := netip.ParseAddr(strings.TrimSpace(to))
		if err1 != nil || err2 != nil {
			return nil, &ParseError{fn, s, "not an address range FROM-TO"}
		}
		r := netipx.IPRangeFrom(a.Unmap(), b.Unmap())
		if !r.IsValid() {
			return nil, &ParseError{fn, s, "address range is empty, reversed or mixes IPv4 and IPv6"}
		}
		return r.Prefixes(), nil
	}
	p, err := ParsePrefix(t)
	if err != nil {
		pe := err.(*ParseError)
		return nil, &ParseError{fn, s, pe.Msg}
	}
	return []netip.Prefix{p}, nil
}

// ParseList parses a comma-separated list of address tokens (see [Parse])
// and returns their union.
func ParseList(s string) (Set, error) {
	var b Builder
	for _, f := range strings.Split(s, ",") {
		ps, err := Parse(f)
		if err != nil {
			return Set{}, &ParseError{"cidr.ParseList", s, listMsg(s, f, err)}
		}
		for _, p := range ps {
			b.AddPrefix(p)
		}
	}
	return b.Set(), nil
}

// IsAddress reports whether s looks like an address token that [Parse]
// handles (an IP, a CIDR, a range or "*") rather than a name such as a
// service tag ("AzureCloud", "Storage.EastUS") or an FQDN. It does not
// validate: a token it accepts may still fail to parse.
func IsAddress(s string) bool {
	t := strings.TrimSpace(s)
	if t == "" {
		return false
	}
	if t == "*" || strings.EqualFold(t, "any") {
		return true
	}
	if strings.Contains(t, ":") {
		return true
	}
	c := t[0]
	if c < '0' || c > '9' {
		return false
	}
	// "1.2.3.4", "10.0.0.0/8", "1.2.3.4-1.2.3.9": digits, dots, slash, dash.
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case c >= '0' && c <= '9', c == '.', c == '/', c == '-', c == ' ':
		default:
			return false
		}
	}
	return true
}

var (
	v4All = netip.MustParsePrefix("0.0.0.0/0")
	v6All = netip.MustParsePrefix("::/0")
)
