package diff

import (
	"cmp"
	"slices"
	"strings"

	"github.com/vnetpath/vnetpath/topology"
)

// ChangeKind says how a resource differs between two estates.
type ChangeKind string

// The kinds of [ResourceChange].
const (
	Added    ChangeKind = "added"
	Removed  ChangeKind = "removed"
	Modified ChangeKind = "modified"
	// Unknown: the estate after the change lists the resource as missing
	// (its content is not known before deployment).
	Unknown ChangeKind = "unknown"
)

// ResourceChange is a resource that differs between two estates.
type ResourceChange struct {
	ID     string     `json:"id"`
	Type   string     `json:"type"`
	Change ChangeKind `json:"change"`
}

// Changes returns the resources that differ between the estates before and
// after a change, in ID order: added, removed, modified (their
// configuration differs, see [topology.SameConfig]) or unknown (after lists
// them as missing because their content is not known). When
// candidates is not nil only those IDs are compared; nil compares every
// resource of both.
func Changes(before, after *topology.Snapshot, candidates []string) []ResourceChange {
	var out []ResourceChange
	seen := map[string]bool{}
	compare := func(id string, b, a topology.Item, bok, aok bool) {
		k := topology.Key(id)
		if seen[k] {
			return
		}
		seen[k] = true
		switch {
		case bok && aok:
			if !topology.SameConfig(b.Value, a.Value) {
				out = append(out, ResourceChange{ID: a.ID, Type: a.Type, Change: Modified})
			}
		case bok:
			kind := Removed
			if unknown(after, id) {
				kind = Unknown
			}
			out = append(out, ResourceChange{ID: b.ID, Type: b.Type, Change: kind})
		case aok:
			out = append(out, ResourceChange{ID: a.ID, Type: a.Type, Change: Added})
		default:
			if _, was := before.MissingByID(id); unknown(after, id) && !was {
				m, _ := after.MissingByID(id)
				out = append(out, ResourceChange{ID: m.ID, Type: m.Type, Change: Unknown})
			}
		}
	}
	if candidates != nil {
		for _, id := range candidates {
			b, bok := before.Resource(id)
			a, aok := after.Resource(id)
			compare(id, b, a, bok, aok)
		}
	} else {
		held := map[string]topology.Item{}
		for it := range before.All() {
			held[topology.Key(it.ID)] = it
		}
		for a := range after.All() {
			b, ok := held[topology.Key(a.ID)]
			compare(a.ID, b, a, ok, true)
		}
		for _, b := range held {
			compare(b.ID, b, topology.Item{}, true, false)
		}
		for _, m := range after.Missing() {
			compare(m.ID, topology.Item{}, topology.Item{}, false, false)
		}
	}
	slices.SortFunc(out, func(x, y ResourceChange) int { return cmp.Compare(topology.Key(x.ID), topology.Key(y.ID)) })
	return out
}

// unknown reports whether snap lists id as missing for a reason other than
// its absence: its content is not known (before deployment, or malformed).
func unknown(snap *topology.Snapshot, id string) bool {
	m, ok := snap.MissingByID(id)
	return ok && !strings.HasPrefix(m.Reason, topology.ReasonAbsent)
}
