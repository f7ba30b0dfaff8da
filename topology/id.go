package topology

import (
	"strings"
	"unicode/utf8"
	"unsafe"
)

// Key returns the normalised form of an ARM resource ID used for lookups:
// lower-case, without a trailing slash. Azure compares IDs
// case-insensitively; vnetpath does too, but prints IDs as they were given.
//
// A loader calls it for every resource and every reference, so an ASCII ID
// (every ARM ID in practice) is lowered in one pass into one new string;
// any other goes through strings.ToLower.
func Key(id string) string {
	if n := len(id); n > 0 && (edge(id[0]) || edge(id[n-1]) || id[n-1] == '/') {
		id = strings.TrimRight(strings.TrimSpace(id), "/")
	}
	i := 0
	for ; i < len(id); i++ {
		if c := id[i]; c >= utf8.RuneSelf {
			return strings.ToLower(id)
		} else if 'A' <= c && c <= 'Z' {
			break
		}
	}
	if i == len(id) {
		return id
	}
	b := make([]byte, len(id))
	copy(b, id[:i])
	for ; i < len(id); i++ {
		c := id[i]
		if c >= utf8.RuneSelf {
			return strings.ToLower(id)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	// b is not written again: the string may share its bytes, as
	// strings.Builder's does.
	return unsafe.String(&b[0], len(b))
}

// edge reports whether an ID that begins or ends with byte c may need
// trimming: ASCII space or control, or part of a multi-byte rune (which
// may be Unicode space).
func edge(c byte) bool { return c <= ' ' || c >= utf8.RuneSelf }

// SameID reports whether a and b name the same resource. It does not
// allocate.
func SameID(a, b string) bool {
	a = strings.TrimRight(strings.TrimSpace(a), "/")
	b = strings.TrimRight(strings.TrimSpace(b), "/")
	return strings.EqualFold(a, b)
}

// ResourceID is an ARM resource ID split into its parts.
//
// For "/subscriptions/S/resourceGroups/G/providers/Microsoft.Network/virtualNetworks/hub/subnets/a"
// it holds Subscription "S", ResourceGroup "G", Provider "Microsoft.Network",
// Types ["virtualNetworks", "subnets"] and Names ["hub", "a"].
type ResourceID struct {
	Subscription  string
	ResourceGroup string
	Provider      string
	Types         []string
	Names         []string
}

// ParseResourceID splits an ARM resource ID. It reports false when id is
// not of the form /subscriptions/.../providers/NAMESPACE/TYPE/NAME[/TYPE/NAME...].
func ParseResourceID(id string) (ResourceID, bool) {
	r, pairs, n, ok := parseID(id)
	if !ok {
		return ResourceID{}, false
	}
	r.Types, r.Names = make([]string, 0, n), make([]string, 0, n)
	for range n {
		var typ, name string
		typ, pairs, _ = strings.Cut(pairs, "/")
		name, pairs, _ = strings.Cut(pairs, "/")
		r.Types = append(r.Types, typ)
		r.Names = append(r.Names, name)
	}
	return r, true
}

// keyword reports whether seg is the lower-case ASCII word kw in any case
// of ASCII letters (strings.EqualFold would also take "ſ" for "s").
func keyword(seg, kw string) bool {
	if len(seg) != len(kw) {
		return false
	}
	for i := range len(seg) {
		c := seg[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != kw[i] {
			return false
		}
	}
	return true
}

// parseID checks id as ParseResourceID does and returns its scope (no
// types or names), the "TYPE/NAME[/TYPE/NAME...]" part of id, and the
// number of pairs in it. It splits nothing into new strings: ShortName
// parses an ID on every answer, and the loader one for most resources.
func parseID(id string) (r ResourceID, pairs string, n int, ok bool) {
	s := strings.Trim(strings.TrimSpace(id), "/")
	for {
		key, rest, found := strings.Cut(s, "/")
		if !found {
			return ResourceID{}, "", 0, false
		}
		val, after, more := strings.Cut(rest, "/")
		switch {
		case keyword(key, "subscriptions"):
			r.Subscription = val
		case keyword(key, "resourcegroups"):
			r.ResourceGroup = val
		case keyword(key, "providers"):
			r.Provider = val
			if !more || strings.TrimSpace(val) == "" {
				return ResourceID{}, "", 0, false
			}
			segs := strings.Count(after, "/") + 1
			if segs%2 != 0 {
				return ResourceID{}, "", 0, false
			}
			for rest := after; rest != ""; {
				var seg string
				seg, rest, _ = strings.Cut(rest, "/")
				if strings.TrimSpace(seg) == "" {
					return ResourceID{}, "", 0, false
				}
			}
			return r, after, segs / 2, true
		default:
			return ResourceID{}, "", 0, false
		}
		if !more {
			return ResourceID{}, "", 0, false
		}
		s = after
	}
}

// Type returns the full resource type, such as
// "Microsoft.Network/virtualNetworks/subnets".
func (r ResourceID) Type() string {
	return r.Provider + "/" + strings.Join(r.Types, "/")
}

// Name returns the last name of the ID ("a" for a subnet "a").
func (r ResourceID) Name() string {
	if len(r.Names) == 0 {
		return ""
	}
	return r.Names[len(r.Names)-1]
}

// ShortName returns the names of the ID joined with "/" ("hub/a" for subnet a
// of VNet hub), the form vnetpath prints where a full ID is too long.
func (r ResourceID) ShortName() string { return strings.Join(r.Names, "/") }

// Parent returns the ID of the parent resource ("" for a top-level
// resource), keeping the spelling of id.
func Parent(id string) string {
	t := strings.TrimRight(strings.TrimSpace(id), "/")
	if _, _, n, ok := parseID(t); !ok || n < 2 { // as ParseResourceID, without splitting
		return ""
	}
	// Drop "/type/name".
	i := strings.LastIndex(t, "/")
	if i <= 0 {
		return ""
	}
	j := strings.LastIndex(t[:i], "/")
	if j <= 0 {
		return ""
	}
	return t[:j]
}

// NameOf returns the last segment of an ARM ID, or the ID itself when it has
// no slash.
func NameOf(id string) string {
	t := strings.TrimRight(strings.TrimSpace(id), "/")
	if i := strings.LastIndex(t, "/"); i >= 0 {
		return t[i+1:]
	}
	return t
}

// ShortName returns the names in an ARM ID joined by "/" ("hub/snet-a"), or
// the ID itself when it does not parse.
func ShortName(id string) string {
	_, pairs, n, ok := parseID(id)
	if !ok {
		return id
	}
	if n == 1 {
		_, name, _ := strings.Cut(pairs, "/")
		return name
	}
	var b strings.Builder
	b.Grow(len(pairs))
	for i := range n {
		_, pairs, _ = strings.Cut(pairs, "/")
		var name string
		name, pairs, _ = strings.Cut(pairs, "/")
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(name)
	}
	return b.String()
}
