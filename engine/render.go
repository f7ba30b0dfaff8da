package engine

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/vnetpath/vnetpath/topology"
)

// WriteText renders a report for people: the snapshot summary and
// warnings, then one line per result with its verdict, followed by its
// hops, egress, return path and fixes, aligned. Profile results are grouped
// by workspace and source with a one-line summary each.
func (r *Report) WriteText(w io.Writer) error {
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
	for _, wng := range r.Warnings {
		ew.printf("warning: %s\n", wng)
	}
	for _, g := range r.Groups() {
		ew.printf("\n")
		if g.Workspace != "" {
			ew.printf("workspace %s · from %s: %s\n", topology.NameOf(g.Workspace), Name(g.Source), g.Summary())
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

func writeResult(ew *errWriter, res Result) {
	what := res.Destination
	if res.Purpose != "" {
		what += " (" + res.Purpose + ")"
	}
	ew.printf("%-26s %s → %s %s/%d\n", strings.ToUpper(string(res.Verdict)), Name(res.Source), what, res.Protocol, res.Port)
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
		ew.printf("    egress: %s via %s (%s)\n", ip, Name(res.Egress.Via), res.Egress.Method)
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
		ew.printf("    fix: %s\n", f)
	}
}

func writeHops(ew *errWriter, hops []Hop) {
	tw := tabwriter.NewWriter(ew, 2, 4, 2, ' ', 0)
	for _, h := range hops {
		route := ""
		if h.Route != nil {
			route = fmt.Sprintf("%s → %s", h.Route.AddressPrefix, h.Route.NextHopType)
			if h.Route.NextHopIPAddress != "" {
				route += " " + h.Route.NextHopIPAddress
			}
			route += " (" + h.Route.Source
			if h.Route.Name != "" {
				route += " " + h.Route.Name
			}
			route += ")"
		}
		action := h.Action
		if h.Note != "" {
			if action != "" {
				action += ": "
			}
			action += h.Note
		}
		fmt.Fprintf(tw, "    %s\t%s\t%s\t%s\t%s\n", h.Kind, hopName(h), route, strings.Join(h.Rules, ", "), action)
	}
	if err := tw.Flush(); err != nil && ew.err == nil {
		ew.err = err
	}
}

func hopName(h Hop) string {
	if h.Name != "" {
		return h.Name
	}
	return Name(h.Node)
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

// WriteDot renders the paths of a report as a Graphviz digraph: one node
// per hop, edges labelled with the route that took the packet on, the
// deciding hop of each failed result in red.
func (r *Report) WriteDot(w io.Writer) error {
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
			ew.printf("  %s [label=%q%s];\n", n, h.Kind+"\n"+hopName(h), color)
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
				label = h.Route.AddressPrefix + " → " + h.Route.NextHopType
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

// WriteMermaid renders the paths of a report as a Mermaid flowchart.
func (r *Report) WriteMermaid(w io.Writer) error {
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
	for ri, res := range r.Results {
		hops := res.Hops
		for i, h := range hops {
			n := id(h.Node, h.Kind+": "+hopName(h))
			if i == len(hops)-1 && !res.Reachable {
				ew.printf("  style %s stroke:#d00,stroke-width:2px\n", n)
			}
			next := ""
			if i+1 < len(hops) {
				next = id(hops[i+1].Node, hops[i+1].Kind+": "+hopName(hops[i+1]))
			} else if res.Reachable {
				next = id("dst:"+res.Destination, res.Destination)
			}
			if next == "" {
				continue
			}
			label := ""
			if h.Route != nil {
				label = h.Route.AddressPrefix + " → " + h.Route.NextHopType
			}
			key := fmt.Sprintf("%s>%s|%s", n, next, label)
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
		_ = ri
	}
	return ew.err
}

// WriteText renders effective routes like `az network nic
// show-effective-route-table -o table`.
func (t *RouteTable) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
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

// WriteText renders a resolution: the resolver, each step of the chain and
// the answer.
func (r *Resolution) WriteText(w io.Writer) error {
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
	answer := strings.Join(r.Addresses, ", ")
	if r.Public {
		answer = "public address"
		if r.PublicTag != "" {
			answer += " (service tag " + r.PublicTag + ")"
		}
	}
	ew.printf("  %s %s\n", r.Rcode, answer)
	if r.Zone != "" {
		ew.printf("  zone: %s\n", r.Zone)
	}
	if len(r.Expected) > 0 {
		ew.printf("  private endpoint %s serves it at %s\n", Name(r.Endpoint), strings.Join(r.Expected, ", "))
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
		ew.printf("  fix: %s\n", f)
	}
	return ew.err
}
