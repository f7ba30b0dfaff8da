package render_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/bench/estategen"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/render"
	"github.com/vnetpath/vnetpath/servicetags"
)

// resultLines returns the lines of the "results" array of render.JSON's
// output, each a result without the comma that separates it.
func resultLines(t *testing.T, out string) []string {
	t.Helper()
	head, rest, ok := strings.Cut(out, "\n  \"results\": [")
	if !ok || !strings.HasPrefix(head, "{\n  \"snapshot\": ") {
		t.Fatalf("no results array at the top level:\n%.400s", out)
	}
	body, _, ok := strings.Cut(rest, "],\n  \"warnings\": ")
	if !ok {
		t.Fatalf("results are not followed by the warnings:\n%.400s", rest)
	}
	if body == "" {
		return nil
	}
	if !strings.HasPrefix(body, "\n    ") || !strings.HasSuffix(body, "\n  ") {
		t.Fatalf("results are not one per line:\n%.400s", body)
	}
	lines := strings.Split(strings.TrimSuffix(strings.TrimPrefix(body, "\n    "), "\n  "), ",\n    ")
	return lines
}

// sameAsMarshal writes rep with render.JSON and checks that each result
// line is byte for byte json.Marshal of the result, and that the whole
// output decodes to the same report.
func sameAsMarshal(t *testing.T, rep *answer.Report) {
	t.Helper()
	var out bytes.Buffer
	if err := render.JSON(&out, rep); err != nil {
		t.Fatalf("render.JSON: %v", err)
	}
	lines := resultLines(t, out.String())
	if len(lines) != len(rep.Results) {
		t.Fatalf("%d result lines for %d results", len(lines), len(rep.Results))
	}
	for i, r := range rep.Results {
		want, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("json.Marshal of result %d: %v", i, err)
		}
		if lines[i] != string(want) {
			t.Fatalf("result %d (%s → %s):\nrender:        %s\nencoding/json: %s\nfirst difference at byte %d",
				i, r.Source, r.Destination, lines[i], want, firstByteDiff(lines[i], string(want)))
		}
	}
	var got, want any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("the output is not JSON: %v", err)
	}
	whole, _ := json.Marshal(rep)
	if err := json.Unmarshal(whole, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the output holds another report than encoding/json writes for it")
	}
	var indented bytes.Buffer
	if err := json.Indent(&indented, out.Bytes(), "", "  "); err != nil {
		t.Fatal(err)
	}
	head := out.String()[:strings.Index(out.String(), "\n  \"results\"")]
	if !strings.HasPrefix(indented.String(), head) {
		t.Errorf("the members before the results are not indented as encoding/json indents them:\n%s", head)
	}
}

func firstByteDiff(a, b string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestJSONResultsAreWhatMarshalWrites checks the encoder on the small
// report of these tests, with and without a catalog and results.
func TestJSONResultsAreWhatMarshalWrites(t *testing.T) {
	noTags := report()
	noTags.ServiceTags, noTags.Warnings = nil, nil
	for name, r := range map[string]*answer.Report{"full": report(), "empty": {}, "no catalog, no warnings": noTags} {
		t.Run(name, func(t *testing.T) { sameAsMarshal(t, r) })
	}
}

// TestJSONLayout checks the layout of the whole output: the summary
// indented, a result per line, the warnings last.
func TestJSONLayout(t *testing.T) {
	r := report()
	var out bytes.Buffer
	if err := render.JSON(&out, r); err != nil {
		t.Fatal(err)
	}
	r0, _ := json.Marshal(r.Results[0])
	r1, _ := json.Marshal(r.Results[1])
	want := "{\n" +
		"  \"snapshot\": {\n" +
		"    \"resources\": 12,\n" +
		"    \"skipped\": {\n" +
		"      \"Microsoft.Compute/virtualMachines\": 2\n" +
		"    }\n" +
		"  },\n" +
		"  \"serviceTags\": {\n" +
		"    \"cloud\": \"Public\",\n" +
		"    \"changeNumber\": 375,\n" +
		"    \"tags\": 3000\n" +
		"  },\n" +
		"  \"results\": [\n" +
		"    " + string(r0) + ",\n" +
		"    " + string(r1) + "\n" +
		"  ],\n" +
		"  \"warnings\": [\n" +
		"    \"a warning \\u003cwith\\u003e \\u0026 marks\"\n" +
		"  ]\n" +
		"}\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
	out.Reset()
	if err := render.JSON(&out, &answer.Report{}); err != nil {
		t.Fatal(err)
	}
	if want := "{\n  \"snapshot\": {\n    \"resources\": 0,\n    \"skipped\": {}\n  },\n  \"results\": [],\n  \"warnings\": []\n}\n"; out.String() != want {
		t.Errorf("empty report:\n%s\nwant\n%s", out.String(), want)
	}
}

// TestJSONWriterStreams checks that results written one at a time give the
// output of the whole report, and that nothing is written after Close.
func TestJSONWriterStreams(t *testing.T) {
	r := report()
	var whole, streamed bytes.Buffer
	if err := render.JSON(&whole, r); err != nil {
		t.Fatal(err)
	}
	j := render.NewJSONWriter(&streamed, &answer.Report{Snapshot: r.Snapshot, ServiceTags: r.ServiceTags})
	for i := range r.Results {
		if err := j.Result(&r.Results[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.Close(r.Warnings); err != nil {
		t.Fatal(err)
	}
	if whole.String() != streamed.String() {
		t.Errorf("streamed:\n%s\nwhole:\n%s", streamed.String(), whole.String())
	}
	if err := j.Result(&r.Results[0]); err == nil {
		t.Error("Result after Close gave no error")
	}
}

// TestJSONSharedValuesAreEncodedAlike checks that results sharing hop
// lists, rules, routes and resolutions (as the engine's do) are written as
// if each had its own copy.
func TestJSONSharedValuesAreEncodedAlike(t *testing.T) {
	base := report()
	shared := base.Results[1]
	other := shared
	other.Source = "another source"
	other.DNS = &answer.Resolution{Name: "n", From: "f", Resolver: "r", Rcode: answer.NoError, Chain: []answer.DNSStep{}}
	again := shared
	again.Hops = shared.Hops[:0:0] // empty, not nil
	again.DNS = other.DNS
	rep := &answer.Report{Results: []answer.Result{base.Results[0], shared, other, again, shared, base.Results[0]}}
	sameAsMarshal(t, rep)
}

// TestJSONRejectsUndeclaredEnums checks that a value that is not one of
// its enumeration's constants is an error, as with encoding/json.
func TestJSONRejectsUndeclaredEnums(t *testing.T) {
	for name, mutate := range map[string]func(r *answer.Result){
		"verdict":   func(r *answer.Result) { r.Verdict = "nearly-reachable" },
		"hop kind":  func(r *answer.Result) { r.Hops[0].Kind = "" },
		"step type": func(r *answer.Result) { r.Hops[0].Steps[0].Type = "teleport" },
		"fix kind":  func(r *answer.Result) { r.Fixes = []answer.Fix{{Kind: "wish"}} },
	} {
		t.Run(name, func(t *testing.T) {
			rep := report()
			mutate(&rep.Results[0])
			if _, err := json.Marshal(rep.Results[0]); err == nil {
				t.Fatal("encoding/json accepts it; the case proves nothing")
			}
			if err := render.JSON(&bytes.Buffer{}, rep); err == nil {
				t.Error("render.JSON accepted it")
			}
		})
	}
}

// TestJSONEveryFieldFilled fills every field of a result, recursively,
// with values that need escaping, and compares with encoding/json; a field
// added to package answer that the encoder does not write fails here. It
// also writes results whose fields are all zero and whose lists are empty
// rather than nil.
func TestJSONEveryFieldFilled(t *testing.T) {
	var results []answer.Result
	for seed := range 4 {
		var r answer.Result
		fill(reflect.ValueOf(&r).Elem(), seed, 0)
		results = append(results, r)
	}
	var empty answer.Result
	emptyLists(reflect.ValueOf(&empty).Elem(), 0)
	results = append(results, empty)
	rep := &answer.Report{Results: results}
	fill(reflect.ValueOf(&rep.Snapshot).Elem(), 1, 0)
	rep.ServiceTags = &answer.CatalogSummary{}
	fill(reflect.ValueOf(rep.ServiceTags).Elem(), 2, 0)
	sameAsMarshal(t, rep)
}

// tricky strings exercise every escape encoding/json makes.
var tricky = []string{"plain", "quote \" back\\slash", "<html> & 'x'", "tab\tnl\nret\rbs\bff\f", "ctl\x00\x01\x1f\x7f", "é ü 漢字", "bad \xff utf8 \xc3", "sep\u2028\u2029end", ""}

// fill sets every field of v, recursively: strings to tricky values,
// numbers and booleans to non-zero values, enumerations to a declared
// constant, lists to one or two elements. seed varies the choices.
func fill(v reflect.Value, seed, depth int) {
	switch v.Kind() {
	case reflect.String:
		if s, ok := enumValue(v.Type(), seed); ok {
			v.SetString(s)
			return
		}
		v.SetString(tricky[(seed+depth)%len(tricky)])
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(seed*7 - 3 + depth))
	case reflect.Bool:
		v.SetBool((seed+depth)%2 == 0)
	case reflect.Pointer:
		if depth > 6 || (seed == 3 && depth > 1) {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), seed, depth+1)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), seed+i, depth+1)
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 { // json.RawMessage
			raws := []string{`{"a": [1, 2, {"b": "<x>"}], "c": "\u2028"}`, `"s"`, `null`, `[ ]`}
			v.SetBytes([]byte(raws[seed%len(raws)]))
			return
		}
		if depth > 6 {
			return
		}
		n := 1 + seed%2
		v.Set(reflect.MakeSlice(v.Type(), n, n))
		for i := range n {
			fill(v.Index(i), seed+i, depth+1)
		}
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for i := range 3 {
			k := reflect.New(v.Type().Key()).Elem()
			k.SetString(fmt.Sprintf("%s%d", tricky[(seed+i)%len(tricky)], i))
			e := reflect.New(v.Type().Elem()).Elem()
			fill(e, seed+i, depth+1)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	default:
		panic("fill: no case for " + v.Type().String())
	}
}

// emptyLists sets every list and map of v to an empty, non-nil value, and
// every pointer to a zero value, a level deep.
func emptyLists(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 0, 0))
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
	case reflect.Pointer:
		if depth < 2 {
			v.Set(reflect.New(v.Type().Elem()))
			emptyLists(v.Elem(), depth+1)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				emptyLists(v.Field(i), depth+1)
			}
		}
	case reflect.String:
		if s, ok := enumValue(v.Type(), 0); ok {
			v.SetString(s)
		}
	}
}

// enumValue returns a declared value of an enumeration type, found by
// trying the JSON spellings of package answer and topology on its
// UnmarshalText.
func enumValue(t reflect.Type, seed int) (string, bool) {
	p := reflect.New(t)
	u, ok := p.Interface().(interface{ UnmarshalText([]byte) error })
	if !ok {
		return "", false
	}
	var valid []string
	for _, s := range enumSpellings {
		if u.UnmarshalText([]byte(s)) == nil {
			valid = append(valid, p.Elem().String())
		}
	}
	if len(valid) == 0 {
		panic("no declared value known for " + t.String())
	}
	return valid[seed%len(valid)], true
}

// enumSpellings holds at least one declared value of each enumeration the
// answer types use.
var enumSpellings = []string{
	string(answer.Reachable), string(answer.DeniedByNSG), string(answer.CauseNSGRuleDenies), string(answer.CauseNotPeered),
	string(answer.HopSubnet), string(answer.HopAzureFirewall), string(answer.ActionForwarded), string(answer.ActionDenied),
	string(answer.StepRoute), string(answer.StepSNAT), string(answer.EgressAzureFirewall), string(answer.EgressNATGateway),
	string(answer.FixAddSecurityRule), string(answer.FixAddZoneLink),
	"VirtualAppliance", "Internet", "Inbound", "Outbound", "Allow", "Deny", "Connected", "Initiated",
}

// TestJSONOnScenarios answers every scenario of ../shared/scenarios (its
// checks and, where it has a workspace, the whole Azure ML profile), with
// and without its catalog, and compares every result with encoding/json.
func TestJSONOnScenarios(t *testing.T) {
	shared := filepath.Join("..", "..", "shared")
	if _, err := os.Stat(shared); err != nil {
		t.Skipf("skipping: %s is absent (the scenarios live beside the repository)", shared)
	}
	base := filepath.Join(shared, "scenarios")
	dirs, err := os.ReadDir(base)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := servicetags.ParseFile(filepath.Join(shared, "testdata", "servicetags", "ServiceTags_Public_20251028.json"), servicetags.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range dirs {
		data, err := os.ReadFile(filepath.Join(base, d.Name(), "expect.json"))
		if err != nil {
			continue
		}
		var ex struct {
			Snapshot string `json:"snapshot"`
			Check    []struct {
				From, To, Protocol string
				Port               int
			} `json:"check"`
		}
		if err := json.Unmarshal(data, &ex); err != nil {
			t.Fatalf("%s: %v", d.Name(), err)
		}
		t.Run(d.Name(), func(t *testing.T) {
			res, err := azure.Load([]string{filepath.Join(base, d.Name(), ex.Snapshot)}, azure.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []*servicetags.Catalog{nil, cat} {
				eng := engine.New(res.Snapshot, c)
				var qs []engine.Query
				for _, q := range ex.Check {
					p, err := engine.ParseProtocol(q.Protocol)
					if err != nil {
						continue
					}
					qs = append(qs, engine.Query{From: q.From, To: q.To, Port: q.Port, Protocol: p})
				}
				if prof, err := eng.ProfileQueries(nil); err == nil {
					qs = append(qs, prof...)
				}
				for _, q := range qs {
					rep, err := eng.Run([]engine.Query{q})
					if err != nil {
						continue // the scenario's own tests cover input errors
					}
					sameAsMarshal(t, rep)
					n++
				}
			}
		})
	}
	if n == 0 {
		t.Fatal("no scenario answered")
	}
}

// TestJSONOnGeneratedEstates compares every result of the whole Azure ML
// profile of small generated estates of each shape, faults included, with
// encoding/json, in one report so that shared values are reused.
func TestJSONOnGeneratedEstates(t *testing.T) {
	for _, o := range []estategen.Options{
		{Spokes: 12, Seed: 1, Shape: estategen.HubSpoke},
		{Spokes: 9, Seed: 5, Shape: estategen.Transit, Hubs: 3},
	} {
		t.Run(fmt.Sprintf("%s-%d-seed%d", o.Shape, o.Spokes, o.Seed), func(t *testing.T) {
			snap := render.LoadGenerated(t, o)
			eng := engine.New(snap, nil)
			qs, err := eng.ProfileQueries(nil)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := eng.Run(qs)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Results) < 100 {
				t.Fatalf("only %d results", len(rep.Results))
			}
			sameAsMarshal(t, rep)
		})
	}
}
