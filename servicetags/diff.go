package servicetags

import (
	"net/netip"
	"slices"
)

// DiffResult is how one catalog differs from another: the tags only the
// new one has, those only the old one has, and the tags in both whose
// prefixes differ. Names are sorted as [Catalog.All] sorts them; the lists
// are empty, never nil, so they encode as [] in JSON. The zero value
// (nil lists) means no difference.
type DiffResult struct {
	Added   []string    `json:"added"`
	Removed []string    `json:"removed"`
	Changed []TagChange `json:"changed"`
}

// TagChange is a tag present in both catalogs whose prefixes differ. Name
// is spelled as the new catalog spells it. Prefixes are strings sorted
// with IPv4 first, then by address, then by length; both lists are empty
// rather than nil.
type TagChange struct {
	Name    string   `json:"name"`
	Added   []string `json:"added"`
	Removed []string `json:"removed"`
}

// Diff compares two catalogs. Tags are matched by name, ignoring
// case; a tag is changed when its set of prefixes differs
// (order and repeats in the input do not count). Changes of other fields
// (change numbers, features) are not reported. A nil catalog is empty.
func Diff(old, new *Catalog) DiffResult {
	d := DiffResult{Added: []string{}, Removed: []string{}, Changed: []TagChange{}}
	var o, n []tagRec
	if old != nil {
		o = old.recs
	}
	if new != nil {
		n = new.recs
	}
	// Both record lists are sorted by compareNames, whose first key is the
	// lower-cased name: merge them.
	i, j := 0, 0
	for i < len(o) || j < len(n) {
		var c int
		switch {
		case i == len(o):
			c = 1
		case j == len(n):
			c = -1
		default:
			c = compareFold(o[i].Name, n[j].Name)
		}
		switch {
		case c < 0:
			d.Removed = append(d.Removed, o[i].Name)
			i++
		case c > 0:
			d.Added = append(d.Added, n[j].Name)
			j++
		default:
			if ch, ok := diffPrefixes(o[i].Prefixes, n[j].Prefixes); ok {
				ch.Name = n[j].Name
				d.Changed = append(d.Changed, ch)
			}
			i++
			j++
		}
	}
	return d
}

// diffPrefixes returns the prefixes only in b (added) and only in a
// (removed), and whether there are any.
func diffPrefixes(a, b []netip.Prefix) (TagChange, bool) {
	a = sortedSet(a)
	b = sortedSet(b)
	ch := TagChange{Added: []string{}, Removed: []string{}}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		var c int
		switch {
		case i == len(a):
			c = 1
		case j == len(b):
			c = -1
		default:
			c = comparePrefix(a[i], b[j])
		}
		switch {
		case c < 0:
			ch.Removed = append(ch.Removed, a[i].String())
			i++
		case c > 0:
			ch.Added = append(ch.Added, b[j].String())
			j++
		default:
			i++
			j++
		}
	}
	return ch, len(ch.Added)+len(ch.Removed) > 0
}

func sortedSet(ps []netip.Prefix) []netip.Prefix {
	ps = slices.Clone(ps)
	slices.SortFunc(ps, comparePrefix)
	return slices.Compact(ps)
}
