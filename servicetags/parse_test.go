package servicetags_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/vnetpath/vnetpath/servicetags"
)

func mustParse(t testing.TB, in string) *servicetags.Catalog {
	t.Helper()
	c, err := servicetags.Parse(strings.NewReader(in), servicetags.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// one wraps entries in a download-shaped document.
func one(entries ...string) string {
	return `{"changeNumber": 1, "cloud": "Public", "values": [` + strings.Join(entries, ",") + `]}`
}

func entryJSON(name string, prefixes ...string) string {
	return `{"name": "` + name + `", "id": "` + name + `", "properties": {"changeNumber": 1, "region": "", "systemService": "S",
		"addressPrefixes": ["` + strings.Join(prefixes, `", "`) + `"], "networkFeatures": ["API", "NSG"]}}`
}

func tagNames(c *servicetags.Catalog) []string {
	var out []string
	for t := range c.All() {
		out = append(out, t.Name)
	}
	return out
}

func TestParseShapes(t *testing.T) {
	body := `{"name": "public", "id": "/subscriptions/s/providers/Microsoft.Network/serviceTags/public",
		"type": "Microsoft.Network/serviceTags", "changeNumber": "63", "cloud": "Public",
		"values": [{"name": "ApiManagement", "id": "ApiManagement", "properties": {"changeNumber": "7", "region": "",
			"systemService": "AzureApiManagement", "addressPrefixes": ["13.64.39.16/32", "40.74.146.80/31"]}}],
		"nextLink": "https://example.invalid/next"}`
	tests := []struct {
		name   string
		in     string
		cloud  string
		change int64
		tags   []string
	}{
		{"download file", servicetags.MiniJSON, "Public", 7, []string{
			"AzureActiveDirectory", "AzureCloud", "AzureCloud.eastus", "AzureCloud.westus", "AzureFrontDoor.Frontend",
			"AzureMachineLearning", "AzureMachineLearning.EastUS", "LegacyThing", "Storage.EastUS", "Storage.WestUS"}},
		{"API body, change numbers as strings", body, "Public", 63, []string{"ApiManagement"}},
		{"API example wrapper", `{"parameters": {"api-version": "2025-07-01", "location": "westus"},
			"responses": {"200": {"body": ` + body + `}}}`, "Public", 63, []string{"ApiManagement"}},
		{"keys in other case", `{"ChangeNumber": 2, "Cloud": "China", "Values": [{"Name": "X", "Properties": {"AddressPrefixes": ["1.2.3.0/24"]}}]}`,
			"China", 2, []string{"X"}},
		{"escaped name, id only", one(`{"id": "Stor\u0061ge", "properties": {"addressPrefixes": []}}`), "Public", 1, []string{"Storage"}},
		{"empty values", `{"values": []}`, "", 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, r := range []struct {
				name   string
				reader func() *servicetags.Catalog
			}{
				{"whole", func() *servicetags.Catalog { return mustParse(t, tc.in) }},
				{"one byte at a time", func() *servicetags.Catalog {
					c, err := servicetags.Parse(iotest.OneByteReader(strings.NewReader(tc.in)), servicetags.Options{})
					if err != nil {
						t.Fatal(err)
					}
					return c
				}},
			} {
				c := r.reader()
				if c.Cloud() != tc.cloud || c.ChangeNumber() != tc.change {
					t.Errorf("%s: cloud %q change %d, want %q %d", r.name, c.Cloud(), c.ChangeNumber(), tc.cloud, tc.change)
				}
				if got := tagNames(c); !slices.Equal(got, tc.tags) {
					t.Errorf("%s: tags %q, want %q", r.name, got, tc.tags)
				}
			}
		})
	}
}

func TestParseFields(t *testing.T) {
	c := mustParse(t, servicetags.MiniJSON)
	st, ok := c.Tag("Storage.EastUS")
	if !ok {
		t.Fatal("Storage.EastUS missing")
	}
	if st.Region != "eastus" || st.SystemService != "AzureStorage" || st.ChangeNumber != 5 ||
		st.Features != servicetags.FeatureAPI|servicetags.FeatureNSG|servicetags.FeatureUDR|servicetags.FeatureFW {
		t.Errorf("Storage.EastUS = %+v", st)
	}
	if got := st.Prefixes; len(got) != 2 || got[0].String() != "20.1.4.0/24" || got[1].String() != "2603:1030:4::/48" {
		t.Errorf("Storage.EastUS prefixes = %v", got)
	}
	aml, _ := c.Tag("AzureMachineLearning.EastUS")
	if aml.Features != 0 {
		t.Errorf("networkFeatures null: features = %v, want none", aml.Features)
	}

	// Without a region field the region comes from the name.
	c = mustParse(t, one(`{"name": "Storage.WestEurope", "properties": {"addressPrefixes": ["1.2.3.0/24"]}}`,
		`{"name": "AzureFrontDoor.Backend", "properties": {"addressPrefixes": ["1.2.4.0/24"]}}`))
	if tg, _ := c.Tag("Storage.WestEurope"); tg.Region != "westeurope" {
		t.Errorf("derived region = %q, want westeurope", tg.Region)
	}
	if tg, _ := c.Tag("AzureFrontDoor.Backend"); tg.Region != "" {
		t.Errorf("AzureFrontDoor.Backend region = %q, want global", tg.Region)
	}
}

func TestParseUnknownFeatureWarns(t *testing.T) {
	c := mustParse(t, one(`{"name": "X", "properties": {"addressPrefixes": ["1.2.3.0/24"], "networkFeatures": ["NSG", "Teleport"]}}`))
	x, _ := c.Tag("X")
	if x.Features != servicetags.FeatureNSG {
		t.Errorf("features = %v, want NSG", x.Features)
	}
	w := c.Warnings()
	if len(w) != 1 || !strings.Contains(w[0], `"Teleport"`) || !strings.Contains(w[0], "properties.networkFeatures[1]") {
		t.Errorf("warnings = %q, want one naming Teleport and the field", w)
	}
}

// badInputs are malformed catalogs: the strict error must contain every
// string of want; lenient parsing keeps the tags in kept (nil: still an
// error) with warns warnings.
var badInputs = []struct {
	name  string
	in    string
	want  []string
	kept  []string
	warns int
}{
	{"truncated", servicetags.MiniJSON[:700],
		[]string{`values[2] "AzureCloud.westus"`, "properties.addressPrefixes", "unexpected end of input"},
		[]string{"AzureCloud", "AzureCloud.eastus"}, 1},
	{"prefix that does not parse", one(entryJSON("A", "1.2.3.0/24"), entryJSON("Bad", "10.0.0.0/8", "1.2.3.4/33", "10.1.0.0/16")),
		[]string{`values[1] "Bad"`, "properties.addressPrefixes[1]", `"1.2.3.4/33": not an IP address or CIDR prefix`},
		[]string{"A", "Bad"}, 1},
	{"prefix with host bits", one(entryJSON("Host", "10.0.0.1/24")),
		[]string{`values[0] "Host"`, "properties.addressPrefixes[0]", "not canonical"},
		[]string{"Host"}, 1},
	{"duplicate tag", one(entryJSON("Storage", "1.2.3.0/24"), entryJSON("storage", "1.2.4.0/24")),
		[]string{`values[1] "storage"`, "duplicate tag", `values[0] "Storage"`},
		[]string{"Storage"}, 1},
	{"wrong type: changeNumber", one(`{"name": "T", "properties": {"changeNumber": {"v": 1}, "addressPrefixes": ["1.2.3.0/24"]}}`),
		[]string{`values[0] "T"`, "properties.changeNumber", "is an object, want an integer"},
		[]string{"T"}, 1},
	{"wrong type: addressPrefixes", one(`{"name": "T", "properties": {"addressPrefixes": "1.2.3.0/24"}}`, entryJSON("U", "1.2.4.0/24")),
		[]string{`values[0] "T"`, "properties.addressPrefixes", "is a string, want an array of prefixes"},
		[]string{"U"}, 1},
	{"wrong type: prefix element", one(`{"name": "T", "properties": {"addressPrefixes": [17, "1.2.3.0/24"]}}`),
		[]string{`values[0] "T"`, "properties.addressPrefixes[0]", "is a number, want a prefix string"},
		[]string{"T"}, 1},
	{"wrong type: name", one(`{"name": 5, "properties": {"addressPrefixes": []}}`, entryJSON("U", "1.2.4.0/24")),
		[]string{"values[0]", "name: is a number, want a string"},
		[]string{"U"}, 1},
	{"wrong type: cloud", `{"cloud": ["Public"], "values": []}`,
		[]string{"cloud: is an array, want a string"}, []string{}, 1},
	{"problem before the name", one(`{"properties": {"addressPrefixes": ["x"]}, "name": "Late"}`),
		[]string{`values[0] "Late"`, "properties.addressPrefixes[0]", `"x": not an IP address or CIDR prefix`},
		[]string{"Late"}, 1},
	{"missing name", one(`{"properties": {"addressPrefixes": ["1.2.3.0/24"]}}`),
		[]string{"values[0]", "name: missing"}, []string{}, 1},
	{"entry not an object", one(`"Storage"`, entryJSON("U", "1.2.4.0/24")),
		[]string{"values[0]", "is a string, want an object"}, []string{"U"}, 1},
	{"syntax error in an entry", one(entryJSON("A", "1.2.3.0/24"), `{"name": "B", "properties": {"addressPrefixes": ["1.2.4.0/24",]}}`),
		[]string{`values[1] "B"`, "properties.addressPrefixes", "expected a value"},
		[]string{"A"}, 1},
	{"values not an array", `{"values": {"name": "X"}}`,
		[]string{"values: is an object, want an array"}, nil, 0},
	{"no values", `{"cloud": "Public"}`, []string{"values: missing"}, nil, 0},
	{"not an object", `[{"name": "X"}]`, []string{"the input is an array, not a JSON object"}, nil, 0},
	{"empty input", ``, []string{"empty input"}, nil, 0},
	{"data after the object", `{"values": []} {"values": []}`, []string{"more data after the top-level object"}, []string{}, 1},
}

func TestParseBadInput(t *testing.T) {
	for _, tc := range badInputs {
		t.Run(tc.name, func(t *testing.T) {
			c, err := servicetags.Parse(strings.NewReader(tc.in), servicetags.Options{})
			if err == nil {
				t.Fatalf("strict parse: no error, catalog of %d tags", c.Len())
			}
			if c != nil {
				t.Errorf("strict parse returned a catalog with the error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			var pe *servicetags.ParseError
			if !errors.As(err, &pe) {
				t.Errorf("error %T is not a *ParseError", err)
			}

			c, err = servicetags.Parse(strings.NewReader(tc.in), servicetags.Options{Lenient: true})
			if tc.kept == nil {
				if err == nil {
					t.Errorf("lenient parse: no error, want one")
				}
				return
			}
			if err != nil {
				t.Fatalf("lenient parse: %v", err)
			}
			if got := tagNames(c); !slices.Equal(got, tc.kept) && !(len(got) == 0 && len(tc.kept) == 0) {
				t.Errorf("lenient parse kept %q, want %q", got, tc.kept)
			}
			if w := c.Warnings(); len(w) != tc.warns || !strings.Contains(strings.Join(w, "\n"), tc.want[0]) {
				t.Errorf("lenient warnings = %q, want %d containing %q", w, tc.warns, tc.want[0])
			}
		})
	}
}

func TestParseLenientKeepsGoodPrefixes(t *testing.T) {
	in := one(entryJSON("Bad", "10.0.0.0/8", "1.2.3.4/33", "10.1.0.0/16"))
	c, err := servicetags.Parse(strings.NewReader(in), servicetags.Options{Lenient: true})
	if err != nil {
		t.Fatal(err)
	}
	tg, _ := c.Tag("Bad")
	if len(tg.Prefixes) != 2 || tg.Prefixes[0].String() != "10.0.0.0/8" || tg.Prefixes[1].String() != "10.1.0.0/16" {
		t.Errorf("prefixes kept = %v, want [10.0.0.0/8 10.1.0.0/16]", tg.Prefixes)
	}
}

func TestParseFileNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tags.json")
	if err := os.WriteFile(path, []byte(one(entryJSON("Bad", "300.0.0.0/8"))), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := servicetags.ParseFile(path, servicetags.Options{})
	var pe *servicetags.ParseError
	if !errors.As(err, &pe) || pe.File != path || pe.Tag != "Bad" || pe.Field != "properties.addressPrefixes[0]" {
		t.Fatalf("err = %v, want a *ParseError naming %s, the tag and the field", err, path)
	}
	if !strings.HasPrefix(err.Error(), path+`: values[0] "Bad"`) {
		t.Errorf("error %q does not name the file", err)
	}
	c, err := servicetags.ParseFile(path, servicetags.Options{Lenient: true})
	if err != nil || len(c.Warnings()) != 1 || !strings.Contains(c.Warnings()[0], path) {
		t.Errorf("lenient: err %v, warnings %q: want one warning naming the file", err, c.Warnings())
	}

	_, err = servicetags.ParseFile(filepath.Join(dir, "absent.json"), servicetags.Options{})
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "absent.json") {
		t.Errorf("missing file: err = %v, want ErrNotExist naming the file", err)
	}
}
