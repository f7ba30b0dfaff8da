package render

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/topology"
)

// failGroup is failed answers from several sources that share their cause
// and fix: the same verdict, the same deciding blocker (cause, resource,
// rule) and the same fixes once each source's own name, ID and prefix are
// set aside. A text report shows such a group once, for its first answer,
// with the sources it stands for.
type failGroup struct {
	m        *matrix
	verdict  answer.Verdict
	members  []int    // indexes of its answers (in report order), by source then column
	firstCol int      // the column of members[0]
	cols     []int    // the matrix columns (from 1) of its answers, ascending
	sources  []string // its sources, in the order they first appear
	seen     map[string]bool
	// bySource says how its fixes name each source: by its own prefix
	// ("prefix"), by name in their az commands ("source") or only in
	// their text ("text"); "" when they do not.
	bySource string
}

// Placeholders of what a group's answers may differ in.
const (
	phID     = "\x00id"
	phName   = "\x00name"
	phPrefix = "\x00prefix"
)

// sourceFree returns s with the source's ARM ID, short name and prefix
// (the addresses a blocker applies to, also in the form a rule name takes,
// 10.0.1.0_24) replaced by placeholders.
func sourceFree(s, id, name, prefix string) string {
	if id != "" {
		s = strings.ReplaceAll(s, id, phID)
	}
	if name != "" && name != id {
		s = strings.ReplaceAll(s, name, phName)
	}
	if prefix != "" {
		s = strings.ReplaceAll(s, prefix, phPrefix)
		if u := strings.ReplaceAll(prefix, "/", "_"); u != prefix {
			s = strings.ReplaceAll(s, u, phPrefix)
		}
	}
	return s
}

// causeKey is what answers of one group share, and how their fixes name
// their source (failGroup.bySource). An answer without a blocker or a
// fix is keyed by its destination and reason as well: nothing then says
// that another destination fails alike.
func causeKey(res *answer.Result) (key, bySource string) {
	var b answer.Blocker
	if len(res.Blockers) > 0 {
		b = res.Blockers[0]
	}
	id, name, prefix := res.Source, topology.ShortName(res.Source), b.Source
	if len(prefix) < 3 {
		prefix = "" // not an address worth replacing
	}
	var k strings.Builder
	add := func(s string) {
		k.WriteString(s)
		k.WriteByte(0xff)
	}
	add(string(res.Verdict))
	add(string(b.Cause))
	add(sourceFree(b.Resource, id, name, prefix))
	if b.Rule != nil {
		add(b.Rule.Label)
	}
	if b.Route != nil {
		add(b.Route.Name + " " + b.Route.AddressPrefix + " " + b.Route.Origin)
	}
	for _, m := range res.Missing {
		add(m)
	}
	byText, byAz := false, false
	for _, f := range res.Fixes {
		for j, s := range []string{f.Text, f.Az, f.Resource} {
			free := sourceFree(s, id, name, prefix)
			switch {
			case strings.Contains(free, phPrefix):
				bySource = "prefix"
			case free != s && j == 0:
				byText = true
			case free != s:
				byAz = true
			}
			add(free)
		}
		add(string(f.Kind))
	}
	switch {
	case bySource != "":
	case byAz:
		bySource = "source"
	case byText:
		bySource = "text"
	}
	if len(res.Blockers) == 0 || len(res.Fixes) == 0 {
		add(res.Destination + " " + res.FQDN + " " + res.Protocol + " " + strconv.Itoa(res.Port))
		add(sourceFree(res.Reason, id, name, prefix))
	}
	return k.String(), bySource
}

// groupFailures finds the failed answers of the matrices' rows that share
// their cause and fix with answers from other sources. Groups come largest
// first, then by verdict (SPEC §5 order), then in report order. grouped
// marks the answers a group holds.
func groupFailures(a *answers, ms []*matrix) (groups []*failGroup, grouped map[int]bool) {
	byKey := map[int32]*failGroup{}
	var all []*failGroup
	for _, m := range ms {
		for _, rw := range m.rows {
			if rw.failed == 0 {
				continue
			}
			for c, i := range rw.cells {
				if i < 0 || a.reachable(i) {
					continue
				}
				k := a.rec(i).key
				g := byKey[k]
				if g == nil {
					g = &failGroup{m: m, verdict: a.verdict(i), bySource: a.keys[k].bySource, firstCol: c + 1, seen: map[string]bool{}}
					byKey[k] = g
					all = append(all, g)
				}
				g.members = append(g.members, i)
				if !slices.Contains(g.cols, c+1) {
					g.cols = append(g.cols, c+1)
				}
				if src := a.source(i); !g.seen[src] {
					g.seen[src] = true
					g.sources = append(g.sources, src)
				}
			}
		}
	}
	grouped = map[int]bool{}
	for _, g := range all {
		if len(g.sources) < 2 {
			continue
		}
		slices.Sort(g.cols)
		for _, i := range g.members {
			grouped[i] = true
		}
		groups = append(groups, g)
	}
	rank := map[answer.Verdict]int{}
	for i, v := range answer.Verdicts() {
		rank[v] = i + 1
	}
	slices.SortStableFunc(groups, func(a, b *failGroup) int {
		if c := cmp.Compare(len(b.members), len(a.members)); c != 0 {
			return c
		}
		return cmp.Compare(rank[a.verdict], rank[b.verdict])
	})
	return groups, grouped
}

// colRanges is "#2, #5–#9, #13" for ascending column numbers.
func colRanges(cols []int) string {
	var parts []string
	for i := 0; i < len(cols); {
		j := i
		for j+1 < len(cols) && cols[j+1] == cols[j]+1 {
			j++
		}
		s := "#" + strconv.Itoa(cols[i])
		switch {
		case j == i+1:
			s += ", #" + strconv.Itoa(cols[j])
		case j > i+1:
			s += "–#" + strconv.Itoa(cols[j])
		}
		parts = append(parts, s)
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

// sourceRuns lists sources compactly: by the last segment of their short
// name (the subnet), the parents that hold it, with runs of numbered
// parents as ranges: "snet-app in vnet-spoke-00000..00400,
// vnet-spoke-00402..00999". Each entry is returned with how many sources
// it stands for.
func sourceRuns(sources []string) (entries []string, counts []int) {
	type leaf struct {
		name    string
		parents []string
	}
	var leaves []*leaf
	byName := map[string]*leaf{}
	for _, s := range sources {
		sn := topology.ShortName(s)
		parent, name := "", sn
		if i := strings.LastIndex(sn, "/"); i >= 0 {
			parent, name = sn[:i], sn[i+1:]
		}
		if parent == "" {
			entries = append(entries, sn)
			counts = append(counts, 1)
			continue
		}
		l := byName[name]
		if l == nil {
			l = &leaf{name: name}
			byName[name] = l
			leaves = append(leaves, l)
		}
		l.parents = append(l.parents, parent)
	}
	for _, l := range leaves {
		if len(l.parents) == 1 {
			entries = append(entries, l.parents[0]+"/"+l.name)
			counts = append(counts, 1)
			continue
		}
		entries = append(entries, fmt.Sprintf("%s in %s VNets: %s", l.name, thousands(len(l.parents)), numberRuns(l.parents, maxRunsWidth)))
		counts = append(counts, len(l.parents))
	}
	return entries, counts
}

// maxRunsWidth is about how many columns the parents of one subnet name
// take in a group's list of sources.
const maxRunsWidth = 180

// numberRuns is "vnet-spoke-00000..00400, vnet-spoke-00402, vnet-hub-0":
// names sorted, consecutive numbers of the same stem and width as ranges,
// cut with "…" after about width columns.
func numberRuns(names []string, width int) string {
	type num struct {
		stem, digits string
		n            int
	}
	split := func(s string) num {
		i := len(s)
		for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
			i--
		}
		d := s[i:]
		if d == "" || len(d) > 9 {
			return num{stem: s, n: -1}
		}
		n, _ := strconv.Atoi(d)
		return num{stem: s[:i], digits: d, n: n}
	}
	ns := make([]num, len(names))
	for i, s := range names {
		ns[i] = split(s)
	}
	slices.SortFunc(ns, func(a, b num) int {
		if c := cmp.Compare(a.stem, b.stem); c != 0 {
			return c
		}
		if c := cmp.Compare(len(a.digits), len(b.digits)); c != 0 {
			return c
		}
		return cmp.Compare(a.n, b.n)
	})
	var parts []string
	for i := 0; i < len(ns); {
		j := i
		for ns[i].n >= 0 && j+1 < len(ns) && ns[j+1].stem == ns[i].stem && len(ns[j+1].digits) == len(ns[i].digits) && ns[j+1].n == ns[j].n+1 {
			j++
		}
		s := ns[i].stem + ns[i].digits
		switch {
		case j == i+1:
			s += ", " + ns[j].stem + ns[j].digits
		case j > i+1:
			s += ".." + ns[j].digits
		}
		parts = append(parts, s)
		i = j + 1
		if width -= runes(s) + 2; width < 0 && i < len(ns) {
			parts = append(parts, "…")
			break
		}
	}
	return strings.Join(parts, ", ")
}

// headline is "12 answers · DENIED-BY-FIREWALL · 3 endpoints (#2, #5–#6)
// from 4 sources".
func (fg *failGroup) headline() string {
	what := "endpoint"
	if fg.m.workspace == "" {
		what = "destination"
	}
	at := what + " " + colRanges(fg.cols)
	if len(fg.cols) > 1 {
		at = count(len(fg.cols), what, what+"s") + " (" + colRanges(fg.cols) + ")"
	}
	return fmt.Sprintf("%s · %s · %s from %s", count(len(fg.members), "answer", "answers"), strings.ToUpper(string(fg.verdict)), at, count(len(fg.sources), "source", "sources"))
}

// each says how the group's fix applies to its other sources, or "" when
// it does not name them.
func (fg *failGroup) each(a *answers) string {
	switch fg.bySource {
	case "prefix":
		var prefixes []string
		seen := map[string]bool{}
		for _, i := range fg.members {
			if s := a.blockerSource(i); s != "" && !seen[s] {
				seen[s] = true
				prefixes = append(prefixes, s)
			}
		}
		s := strings.Join(prefixes[:min(len(prefixes), maxPrefixes)], ", ")
		if len(prefixes) > maxPrefixes {
			s += fmt.Sprintf(" and %s more (--format json has each answer's fix)", thousands(len(prefixes)-maxPrefixes))
		}
		return fmt.Sprintf("the same fix for each source with its own prefix (%s): %s", thousands(len(prefixes)), s)
	case "source":
		return fmt.Sprintf("the same fix for each of the %s sources, naming it (--format json has each answer's commands)", thousands(len(fg.sources)))
	case "text":
		return fmt.Sprintf("the same fix for each of the %s sources, which its text names; the az commands are the same for all: run them once", thousands(len(fg.sources)))
	}
	return ""
}
