package render

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/topology"
)

// Text writes a report for people: the snapshot summary and warnings,
// then one line per result with its verdict, followed by its hops, egress,
// return path and fixes, aligned. Profile results are grouped by workspace
// and source with a one-line summary each, and their reachable entries
// take one line.
func Text(w io.Writer, r *answer.Report) error {
	ew := &errWriter{w: w}
	ew.printf("snapshot: %d resources", r.Snapshot.Resources)
	if len(r.Snapshot.Skipped) > 0 {
		ew.printf(", skipped: %s", countList(r.Snapshot.Skipped))
	}
	ew.printf("\n")
	if r.ServiceTags != nil {
		ew.printf("service tags: %s, change %d, %d tags\n", r.ServiceTags.Cloud, r.ServiceTags.ChangeNumber, r.ServiceTags.Tags)
	} else {
		ew.printf("service tags: none given; tags are matched by name\n")
	}
	if r.Profile != nil {
		ew.printf("profile: %s\n", r.Profile.Text)
	}
	for _, wng := range r.Warnings {
		ew.printf("warning: %s\n", wng)
	}
	for _, g := range r.Groups() {
		ew.printf("\n")
		if g.Workspace != "" {
			ew.printf("workspace %s · from %s: %s\n", topology.NameOf(g.Workspace), topology.ShortName(g.Source), g.Summary())
		}
		for _, res := range g.Results {
			if g.Workspace != "" && res.Reachable {
				// Profiles are long: a reachable entry takes one line.
				ew.printf("  %-26s %s %s/%d (%s): %s\n", "REACHABLE", res.Destination, res.Protocol, res.Port, res.Purpose, res.Reason)
				continue
			}
			indent := ""
			if g.Workspace != "" {
				indent = "  "
			}
			writeResult(&errWriter{w: &indenter{w: ew, prefix: indent}}, res)
		}
	}
	return ew.err
}

func writeResult(ew *errWriter, res answer.Result) {
	what := res.Destination
	if res.Purpose != "" {
		what += " (" + res.Purpose + ")"
	}
	ew.printf("%-26s %s → %s %s/%d\n", strings.ToUpper(string(res.Verdict)), topology.ShortName(res.Source), what, res.Protocol, res.Port)
	ew.printf("  %s\n", res.Reason)
	writeHops(ew, res.Hops)
	if len(res.Then) > 0 {
		ew.printf("    once the blocker is lifted, it would go on:\n")
		writeHops(ew, res.Then)
	}
	if res.Egress != nil {
		ip := res.Egress.PublicIP
		if ip == "" {
			ip = "an address Azure chooses"
		}
		ew.printf("    egress: %s via %s (%s)\n", ip, topology.NameOf(res.Egress.Via), res.Egress.Method)
	}
	if res.ReturnPath != nil && !res.ReturnPath.OK {
		ew.printf("    return path: broken: %s\n", res.ReturnPath.Reason)
	}
	if res.DNS != nil && (len(res.DNS.Chain) > 0 || res.DNS.Resolver != "") {
		ew.printf("    dns: %s via %s", res.DNS.Rcode, res.DNS.Resolver)
		if len(res.DNS.Addresses) > 0 {
			ew.printf(" → %s", strings.Join(res.DNS.Addresses, ", "))
		} else if res.DNS.Public {
			ew.printf(" → public address")
		}
		ew.printf("\n")
	}
	for _, p := range res.Parts {
		ew.printf("    part %s: %s: %s\n", p.Destinations, p.Verdict, p.Reason)
	}
	for _, a := range res.Assumptions {
		ew.printf("    assumes: %s\n", a)
	}
	for _, f := range res.Fixes {
		ew.printf("    fix: %s\n", f.Text)
	}
}

func writeHops(ew *errWriter, hops []answer.Hop) {
	tw := tabwriter.NewWriter(ew, 2, 4, 2, ' ', 0)
	for _, h := range hops {
		route := ""
		if h.Route != nil {
			route = routeLabel(h.Route)
		}
		action := string(h.Action)
		if note := hopNote(h); note != "" {
			if action != "" {
				action += ": "
			}
			action += note
		}
		fmt.Fprintf(tw, "    %s\t%s\t%s\t%s\t%s\n", h.Kind, h.DisplayName(), route, strings.Join(h.Rules, ", "), action)
	}
	if err := tw.Flush(); err != nil && ew.err == nil {
		ew.err = err
	}
}

// routeLabel is "prefix → type ip (source name)".
func routeLabel(r *answer.RouteRef) string {
	s := r.AddressPrefix + " → " + string(r.NextHopType)
	if r.NextHopIPAddress != "" {
		s += " " + r.NextHopIPAddress
	}
	s += " (" + r.Source
	if r.Name != "" {
		s += " " + r.Name
	}
	return s + ")"
}

// hopNote is what the steps of a hop say beyond rules and routes: notes,
// translations, where the packet left Azure.
func hopNote(h answer.Hop) string {
	var notes []string
	for _, s := range h.Steps {
		switch {
		case s.Egress != nil:
			n := string(s.Egress.Method)
			if s.Egress.PublicIP != "" {
				n = s.Egress.PublicIP + " (" + n + ")"
			}
			notes = append(notes, n)
		case s.SNAT != nil:
			notes = append(notes, "source translated to "+s.SNAT.To)
		case s.Note != "" && s.Rule == nil:
			notes = append(notes, s.Note)
		}
	}
	return strings.Join(notes, "; ")
}

func countList(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// JSON writes a report as the JSON of SPEC §5, indented, one result at a
// time: the snapshot summary, the catalog and the warnings first, then
// each result as it is encoded, so no whole-report buffer is built. The
// output is what encoding/json gives for the report with two-space
// indentation.
func JSON(w io.Writer, r *answer.Report) error {
	ew := &errWriter{w: w}
	ew.printf("{\n  \"snapshot\": ")
	snap := r.Snapshot
	if snap.Skipped == nil {
		snap.Skipped = map[string]int{}
	}
	ew.value(snap, "  ")
	if r.ServiceTags != nil {
		ew.printf(",\n  \"serviceTags\": ")
		ew.value(r.ServiceTags, "  ")
	}
	ew.printf(",\n  \"warnings\": ")
	warnings := r.Warnings
	if warnings == nil {
		warnings = []string{}
	}
	ew.value(warnings, "  ")
	if r.Profile != nil {
		ew.printf(",\n  \"profile\": ")
		ew.value(r.Profile, "  ")
	}
	if len(r.ManagedNetworks) > 0 {
		ew.printf(",\n  \"managedNetworks\": ")
		ew.value(r.ManagedNetworks, "  ")
	}
	ew.printf(",\n  \"results\": [")
	for i, res := range r.Results {
		if i > 0 {
			ew.printf(",")
		}
		ew.printf("\n    ")
		ew.value(res, "    ")
	}
	if len(r.Results) > 0 {
		ew.printf("\n  ")
	}
	ew.printf("]\n}\n")
	return ew.err
}

// Dot writes the paths of a report as a Graphviz digraph: one node per
// hop, edges labelled with the route that took the packet on, the deciding
// hop of each failed result in red.
func Dot(w io.Writer, r *answer.Report) error {
	ew := &errWriter{w: w}
	ew.printf("digraph vnetpath {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n")
	nodes := map[string]string{}
	id := func(node string) string {
		if v, ok := nodes[node]; ok {
			return v
		}
		v := fmt.Sprintf("n%d", len(nodes))
		nodes[node] = v
		return v
	}
	edges := map[string]bool{}
	for _, res := range r.Results {
		dst := "dst:" + res.Destination
		hops := res.Hops
		for i, h := range hops {
			n := id(h.Node)
			color := ""
			if i == len(hops)-1 && !res.Reachable {
				color = ", color=red"
			}
			ew.printf("  %s [label=%q%s];\n", n, string(h.Kind)+"\n"+h.DisplayName(), color)
			next := ""
			if i+1 < len(hops) {
				next = id(hops[i+1].Node)
			} else if res.Reachable {
				next = id(dst)
				ew.printf("  %s [label=%q, shape=ellipse];\n", next, res.Destination)
			}
			if next == "" {
				continue
			}
			label := ""
			if h.Route != nil {
				label = h.Route.AddressPrefix + " → " + string(h.Route.NextHopType)
			}
			key := n + ">" + next + "|" + label
			if !edges[key] {
				edges[key] = true
				ew.printf("  %s -> %s [label=%q];\n", n, next, label)
			}
		}
	}
	ew.printf("}\n")
	return ew.err
}

// Mermaid writes the paths of a report as a Mermaid flowchart.
func Mermaid(w io.Writer, r *answer.Report) error {
	ew := &errWriter{w: w}
	ew.printf("flowchart LR\n")
	nodes := map[string]string{}
	id := func(node, label string) string {
		if v, ok := nodes[node]; ok {
			return v
		}
		v := fmt.Sprintf("n%d", len(nodes))
		nodes[node] = v
		ew.printf("  %s[\"%s\"]\n", v, strings.ReplaceAll(label, "\"", "'"))
		return v
	}
	edges := map[string]bool{}
	for _, res := range r.Results {
		hops := res.Hops
		for i, h := range hops {
			n := id(h.Node, string(h.Kind)+": "+h.DisplayName())
			if i == len(hops)-1 && !res.Reachable {
				ew.printf("  style %s stroke:#d00,stroke-width:2px\n", n)
			}
			next := ""
			if i+1 < len(hops) {
				next = id(hops[i+1].Node, string(hops[i+1].Kind)+": "+hops[i+1].DisplayName())
			} else if res.Reachable {
				next = id("dst:"+res.Destination, res.Destination)
			}
			if next == "" {
				continue
			}
			label := ""
			if h.Route != nil {
				label = h.Route.AddressPrefix + " → " + string(h.Route.NextHopType)
			}
			key := n + ">" + next + "|" + label
			if edges[key] {
				continue
			}
			edges[key] = true
			if label != "" {
				ew.printf("  %s -->|\"%s\"| %s\n", n, label, next)
			} else {
				ew.printf("  %s --> %s\n", n, next)
			}
		}
	}
	return ew.err
}

// RoutesText writes effective routes like `az network nic
// show-effective-route-table -o table`.
func RoutesText(w io.Writer, t *answer.RouteTable) error {
	ew := &errWriter{w: w}
	// routes --nic and --ip: what was asked for, "NIC nic-web (10.0.1.4)".
	switch {
	case t.NIC != "" && t.Address != "":
		ew.printf("NIC %s (%s): the routes of its subnet %s\n", topology.NameOf(t.NIC), t.Address, topology.ShortName(t.Subnet))
	case t.NIC != "":
		ew.printf("NIC %s: the routes of its subnet %s\n", topology.NameOf(t.NIC), topology.ShortName(t.Subnet))
	case t.Address != "":
		ew.printf("%s: the routes of its subnet %s\n", t.Address, topology.ShortName(t.Subnet))
	}
	ew.printf("effective routes of %s\n", t.Subnet)
	tw := tabwriter.NewWriter(ew, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "Source\tState\tAddress Prefix\tNext Hop Type\tNext Hop IP\tName\n")
	for _, r := range t.Value {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Source, r.State, strings.Join(r.AddressPrefix, ", "), r.NextHopType, strings.Join(r.NextHopIPAddress, ", "), r.Name)
	}
	if err := tw.Flush(); err != nil && ew.err == nil {
		ew.err = err
	}
	for _, wng := range t.Warnings {
		ew.printf("warning: %s\n", wng)
	}
	return ew.err
}

// RoutesJSON writes effective routes as {"value": [...]}, the shape of
// Azure's effective-route API (SPEC §5), indented.
func RoutesJSON(w io.Writer, t *answer.RouteTable) error { return indented(w, t) }

// ResolutionText writes a resolution: the resolver, each step of the chain,
// the answer, and why it fails or bypasses a private endpoint, with fixes.
func ResolutionText(w io.Writer, r *answer.Resolution) error {
	ew := &errWriter{w: w}
	ew.printf("%s from %s\n", r.Name, r.From)
	ew.printf("  resolver: %s\n", r.Resolver)
	tw := tabwriter.NewWriter(ew, 2, 4, 2, ' ', 0)
	for _, s := range r.Chain {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", s.Name, s.Type, s.Value, s.Source)
	}
	if err := tw.Flush(); err != nil && ew.err == nil {
		ew.err = err
	}
	ans := strings.Join(r.Addresses, ", ")
	if r.Type == "PTR" {
		ans = strings.Join(r.Names, ", ")
	}
	if r.Public {
		ans = "public address"
		if r.PublicTag != "" {
			ans += " (service tag " + r.PublicTag + ")"
		}
	}
	ew.printf("  %s %s\n", r.Rcode, ans)
	if r.Zone != "" {
		ew.printf("  zone: %s\n", r.Zone)
	}
	if len(r.Expected) > 0 {
		ew.printf("  private endpoint %s serves it at %s\n", topology.NameOf(r.Endpoint), strings.Join(r.Expected, ", "))
	}
	if r.Reason != "" {
		ew.printf("  %s\n", r.Reason)
	}
	for _, a := range r.Assumptions {
		ew.printf("  assumes: %s\n", a)
	}
	for _, wng := range r.Warnings {
		ew.printf("  warning: %s\n", wng)
	}
	for _, f := range r.Fixes {
		ew.printf("  fix: %s\n", f.Text)
	}
	return ew.err
}

// ResolutionJSON writes a resolution as the JSON of SPEC §5, indented.
func ResolutionJSON(w io.Writer, r *answer.Resolution) error { return indented(w, r) }

func indented(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// indenter prefixes every line written through it.
type indenter struct {
	w      io.Writer
	prefix string
	mid    bool
}

func (in *indenter) Write(p []byte) (int, error) {
	if in.prefix == "" {
		return in.w.Write(p)
	}
	var b []byte
	for _, c := range p {
		if !in.mid {
			b = append(b, in.prefix...)
			in.mid = true
		}
		b = append(b, c)
		if c == '\n' {
			in.mid = false
		}
	}
	if _, err := in.w.Write(b); err != nil {
		return 0, err
	}
	return len(p), nil
}

// errWriter keeps the first write error and writes nothing after it.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, args ...any) {
	fmt.Fprintf(e, format, args...)
}

// value writes v as indented JSON whose lines after the first start with
// prefix.
func (e *errWriter) value(v any, prefix string) {
	if e.err != nil {
		return
	}
	b, err := json.MarshalIndent(v, prefix, "  ")
	if err != nil {
		e.err = err
		return
	}
	_, _ = e.Write(b)
}
