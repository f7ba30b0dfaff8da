package topology

import (
	"strings"
)

// Key returns the normalised form of an ARM resource ID used for lookups:
// lower-case, without a trailing slash. Azure compares IDs
// case-insensitively; vnetpath does too, but prints IDs as they were given.
func Key(id string) string {
	id = strings.TrimRight(strings.TrimSpace(id), "/")
	return strings.ToLower(id)
}

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
	parts := strings.Split(strings.Trim(strings.TrimSpace(id), "/"), "/")
	var r ResourceID
	i := 0
	for i+1 < len(parts) {
		switch strings.ToLower(parts[i]) {
		case "subscriptions":
			r.Subscription = parts[i+1]
			i += 2
			continue
		case "resourcegroups":
			r.ResourceGroup = parts[i+1]
			i += 2
			continue
		case "providers":
			r.Provider = parts[i+1]
			i += 2
			rest := parts[i:]
			if len(rest) == 0 || len(rest)%2 != 0 || strings.TrimSpace(r.Provider) == "" {
				return ResourceID{}, false
			}
			for j := 0; j < len(rest); j += 2 {
				if strings.TrimSpace(rest[j]) == "" || strings.TrimSpace(rest[j+1]) == "" {
					return ResourceID{}, false
				}
				r.Types = append(r.Types, rest[j])
				r.Names = append(r.Names, rest[j+1])
			}
			return r, true
		}
		return ResourceID{}, false
	}
	return ResourceID{}, false
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
	r, ok := ParseResourceID(t)
	if !ok || len(r.Names) < 2 {
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
	if r, ok := ParseResourceID(id); ok {
		return r.ShortName()
	}
	return id
}
