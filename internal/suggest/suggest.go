// Package suggest finds the names closest to a mistyped one, for the
// "did you mean" part of error messages: flags, commands and service-tag
// names.
//
// Names compare case-insensitively by Levenshtein distance
// (github.com/agnivade/levenshtein); a candidate that starts with the typed
// name counts as one edit away, so an abbreviation finds what it
// abbreviates.
package suggest

import (
	"cmp"
	"slices"
	"strings"

	"github.com/agnivade/levenshtein"
)

type scored struct {
	name        string
	score, dist int
}

func rank(name string, candidates []string) []scored {
	ln := strings.ToLower(name)
	out := make([]scored, 0, len(candidates))
	for _, c := range candidates {
		lc := strings.ToLower(c)
		d := levenshtein.ComputeDistance(ln, lc)
		s := d
		if len(ln) >= 3 && strings.HasPrefix(lc, ln) && s > 1 {
			s = 1
		}
		out = append(out, scored{c, s, d})
	}
	slices.SortStableFunc(out, func(a, b scored) int {
		return cmp.Or(cmp.Compare(a.score, b.score), cmp.Compare(a.dist, b.dist),
			cmp.Compare(len(a.name), len(b.name)), strings.Compare(a.name, b.name))
	})
	return out
}

// Closest returns up to n of candidates ordered by closeness to name,
// however far they are: for listing "the closest names" after an unknown
// one. Ties go to the shorter name, then to the lower name in byte order.
// Duplicates are returned once. It returns nil when n < 1.
func Closest(name string, candidates []string, n int) []string {
	if n < 1 {
		return nil
	}
	var out []string
	for _, s := range rank(name, candidates) {
		if len(out) == n {
			break
		}
		if !slices.Contains(out, s.name) {
			out = append(out, s.name)
		}
	}
	return out
}

// Likely returns the candidate name was most likely meant to be: the
// closest one, when it is at most max(1, len(name)/4)+1 edits away (two
// for names of up to seven letters) or starts with name (three letters or
// more). It reports false when nothing is that close, or when name is empty or
// itself a candidate.
func Likely(name string, candidates []string) (string, bool) {
	if name == "" || slices.Contains(candidates, name) {
		return "", false
	}
	rs := rank(name, candidates)
	if len(rs) == 0 {
		return "", false
	}
	if rs[0].score > max(1, len([]rune(name))/4)+1 {
		return "", false
	}
	return rs[0].name, true
}
