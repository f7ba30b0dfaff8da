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
	tw := tabwriter.NewWriter(&trimmer{w: ew}, 2, 4, 2, ' ', 0)
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
	tw := tabwriter.NewWriter(&trimmer{w: ew}, 2, 4, 2, ' ', 0)
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

// trimmer drops the spaces at the end of each line written through it
// (tabwriter pads a short last column).
type trimmer struct {
	w      io.Writer
	spaces int // spaces held back, written if the line goes on
}

func (t *trimmer) Write(p []byte) (int, error) {
	var b []byte
	for _, c := range p {
		switch c {
		case ' ':
			t.spaces++
			continue
		case '\n':
			t.spaces = 0
		default:
			for ; t.spaces > 0; t.spaces-- {
				b = append(b, ' ')
			}
		}
		b = append(b, c)
	}
	if _, err := t.w.Write(b); err != nil {
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
