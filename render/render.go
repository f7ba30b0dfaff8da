package render

import (
	"bytes"
	"encoding/json"
	"errors"
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

// JSON writes a report as the JSON of SPEC §5, as [JSONWriter] does:
// the summary indented, one result per line, the warnings last.
func JSON(w io.Writer, r *answer.Report) error {
	j := NewJSONWriter(w, r)
	for i := range r.Results {
		if err := j.Result(&r.Results[i]); err != nil {
			return err
		}
	}
	return j.Close(r.Warnings)
}

// JSONWriter writes the JSON of a report (SPEC §5) while its results are
// still being found, so that no whole report is held: [NewJSONWriter]
// writes the report's summary, [JSONWriter.Result] each result in turn,
// and [JSONWriter.Close] the warnings and the end. The object's members are
// indented by two spaces; each result is one line of compact JSON inside
// "results" (a result is byte for byte what json.Marshal writes for it),
// and "warnings" come last, as they are known only once every result is.
//
// Values that results share — hop lists, rule and route references,
// resolutions, which the engine hands out once for every result that has
// them — are encoded once and their bytes copied for the next result that
// holds the same pointer: results must not be changed once written.
type JSONWriter struct {
	ew    *errWriter
	enc   *jsonEncoder
	buf   []byte
	n     int
	ended bool
}

// flushAt is the size of the buffer of results written in one go.
const flushAt = 256 << 10

// NewJSONWriter writes the head of the JSON of r — its snapshot summary,
// catalog, profile and managed networks — and returns the writer of its results; r.Results and
// r.Warnings are not read. Errors are returned by the next call.
func NewJSONWriter(w io.Writer, r *answer.Report) *JSONWriter {
	j := &JSONWriter{ew: &errWriter{w: w}, enc: newJSONEncoder(), buf: make([]byte, 0, flushAt+flushAt/4)}
	j.buf = append(j.buf, "{\n  \"snapshot\": "...)
	j.buf = j.indented(j.enc.snapshot(nil, &r.Snapshot))
	if r.ServiceTags != nil {
		j.buf = append(j.buf, ",\n  \"serviceTags\": "...)
		j.buf = j.indented(j.enc.catalog(nil, r.ServiceTags))
	}
	// What a profile adds at the top is small: encoding/json writes it.
	if r.Profile != nil {
		j.buf = append(j.buf, ",\n  \"profile\": "...)
		j.buf = j.marshalIndent(r.Profile)
	}
	if len(r.ManagedNetworks) > 0 {
		j.buf = append(j.buf, ",\n  \"managedNetworks\": "...)
		j.buf = j.marshalIndent(r.ManagedNetworks)
	}
	j.buf = append(j.buf, ",\n  \"results\": ["...)
	return j
}

// marshalIndent appends v as encoding/json writes it, indented as a member
// of the top-level object.
func (j *JSONWriter) marshalIndent(v any) []byte {
	b, err := json.MarshalIndent(v, "  ", "  ")
	if err != nil {
		j.enc.fail(err)
	}
	return append(j.buf, b...)
}

// indented appends compact JSON indented as a member of the top-level
// object.
func (j *JSONWriter) indented(compact []byte) []byte {
	var b bytes.Buffer
	if err := json.Indent(&b, compact, "  ", "  "); err != nil {
		j.enc.fail(err)
	}
	return append(j.buf, b.Bytes()...)
}

// Result writes one result and returns the first error so far: of
// encoding (a value that is not one of its enumeration's constants) or of
// writing.
func (j *JSONWriter) Result(r *answer.Result) error {
	if j.ended {
		return errors.New("render: JSONWriter.Result after Close")
	}
	if j.n > 0 {
		j.buf = append(j.buf, ',')
	}
	j.n++
	j.buf = append(j.buf, "\n    "...)
	j.buf = j.enc.result(j.buf, r)
	if len(j.buf) >= flushAt {
		j.flush()
	}
	return j.firstErr()
}

// Close writes the warnings and ends the report. It returns the first
// error of the whole output.
func (j *JSONWriter) Close(warnings []string) error {
	if j.ended {
		return j.firstErr()
	}
	j.ended = true
	if j.n > 0 {
		j.buf = append(j.buf, "\n  "...)
	}
	j.buf = append(j.buf, "],\n  \"warnings\": "...)
	if len(warnings) == 0 {
		j.buf = append(j.buf, "[]"...)
	} else {
		j.buf = j.indented(appendStrings(nil, warnings, true))
	}
	j.buf = append(j.buf, "\n}\n"...)
	j.flush()
	return j.firstErr()
}

func (j *JSONWriter) flush() {
	if j.enc.err == nil {
		_, _ = j.ew.Write(j.buf)
	}
	j.buf = j.buf[:0]
}

func (j *JSONWriter) firstErr() error {
	if j.enc.err != nil {
		return j.enc.err
	}
	return j.ew.err
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
	if err := Warnings(ew.w, t.Warnings); err != nil && ew.err == nil {
		ew.err = err
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
