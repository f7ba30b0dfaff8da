package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// serviceTagFile returns a file of ../shared/testdata/servicetags, skipping
// the test when ../shared is absent.
func serviceTagFile(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join("..", "..", "..", "shared", "testdata", "servicetags", name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s is absent: this test reads the real service-tag files in ../shared", p)
	}
	return p
}

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestTagsLookup(t *testing.T) {
	file := serviceTagFile(t, "ServiceTags_Public_20251028.json")
	// Flags before or after the verb.
	for _, args := range [][]string{
		{"tags", "--service-tags", file, "lookup", "4.149.98.200"},
		{"tags", "lookup", "4.149.98.200", "--service-tags", file},
		{"tags", "lookup", "--service-tags", file, "4.149.98.200", "--format", "text"},
	} {
		code, out, errs := runCLI(args...)
		if code != 0 || errs != "" {
			t.Fatalf("%q: exit %d, stderr %q", args, code, errs)
		}
		want := "4.149.98.200 is in 3 service tags, most specific first (Public catalog, change 375):\n" +
			"TAG                        REGION          SYSTEM SERVICE  PREFIX\n" +
			"AzureActiveDirectory       -               AzureAD         4.149.98.192/27\n" +
			"AzureCloud.southcentralus  southcentralus  -               4.149.96.0/19\n" +
			"AzureCloud                 -               -               4.149.96.0/19\n"
		if out != want {
			t.Errorf("%q:\n got %q\nwant %q", args, out, want)
		}
	}

	code, out, _ := runCLI("tags", "--service-tags", file, "--format", "json", "lookup", "4.149.98.200")
	var r struct {
		Address string `json:"address"`
		Tags    []struct {
			Name, Region, SystemService, Prefix string
		} `json:"tags"`
		Cloud        string `json:"cloud"`
		ChangeNumber int64  `json:"changeNumber"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != 0 {
		t.Fatalf("lookup --format json: exit %d, %v\n%s", code, err, out)
	}
	if r.Address != "4.149.98.200" || r.Cloud != "Public" || r.ChangeNumber != 375 || len(r.Tags) != 3 ||
		r.Tags[0].Name != "AzureActiveDirectory" || r.Tags[1].Name != "AzureCloud.southcentralus" || r.Tags[1].Region != "southcentralus" ||
		r.Tags[2].Name != "AzureCloud" || r.Tags[0].Prefix != "4.149.98.192/27" || r.Tags[0].SystemService != "AzureAD" {
		t.Errorf("lookup JSON = %+v", r)
	}

	code, out, _ = runCLI("tags", "--service-tags", file, "lookup", "10.0.0.1")
	if code != 0 || out != "10.0.0.1 is in no service tag (Public catalog, change 375)\n" {
		t.Errorf("lookup of a private address: exit %d, %q", code, out)
	}
}

func TestTagsShow(t *testing.T) {
	file := serviceTagFile(t, "ServiceTags_Public_20251028.json")
	code, out, errs := runCLI("tags", "--service-tags", file, "show", "storage.centralus")
	if code != 0 || errs != "" {
		t.Fatalf("show: exit %d, stderr %q", code, errs)
	}
	for _, want := range []string{
		"tag               Storage.CentralUS\n",
		"region            centralus\n",
		"system service    AzureStorage\n",
		"network features  API,NSG,UDR,FW\n",
		"prefixes          110 (105 IPv4, 5 IPv6)\n",
		"  13.67.155.16/28\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("show output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "\n  "); n != 110 {
		t.Errorf("show lists %d prefixes, want 110", n)
	}

	code, out, _ = runCLI("tags", "show", "AzureActiveDirectory", "--format", "json", "--service-tags", file)
	var tag struct {
		Name     string   `json:"name"`
		Features []string `json:"features"`
		Prefixes []string `json:"prefixes"`
	}
	if err := json.Unmarshal([]byte(out), &tag); err != nil || code != 0 || tag.Name != "AzureActiveDirectory" ||
		strings.Join(tag.Features, ",") != "API,NSG,UDR,FW,VSE" || len(tag.Prefixes) == 0 {
		t.Errorf("show --format json: exit %d, %v, %+v", code, err, tag)
	}

	for _, tc := range []struct{ tag, want string }{
		{"VirtualNetwork", `"VirtualNetwork": contextual tag`},
		{"NoSuchTag", `"NoSuchTag": unknown service tag`},
		{"AzureActiveDirectry", "the closest are:\n  AzureActiveDirectory\n"},
	} {
		code, _, errs = runCLI("tags", "--service-tags", file, "show", tc.tag)
		if code != 2 || !strings.Contains(errs, tc.want) || !strings.Contains(errs, file) {
			t.Errorf("show %s: exit %d, stderr %q; want 2 and %q naming the file", tc.tag, code, errs, tc.want)
		}
	}
}

func TestTagsDiff(t *testing.T) {
	old := serviceTagFile(t, "ServiceTags_Public_20250728.json")
	file := serviceTagFile(t, "ServiceTags_Public_20251028.json")
	code, out, errs := runCLI("tags", "--service-tags", file, "diff", "--old", old, "--format", "json")
	if code != 0 || errs != "" {
		t.Fatalf("diff: exit %d, stderr %q", code, errs)
	}
	var d map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if len(d) != 3 || d["added"] == nil || d["removed"] == nil || d["changed"] == nil {
		t.Fatalf("diff JSON keys: %v", d)
	}
	var added, removed []string
	var changed []struct {
		Name    string   `json:"name"`
		Added   []string `json:"added"`
		Removed []string `json:"removed"`
	}
	json.Unmarshal(d["added"], &added)
	json.Unmarshal(d["removed"], &removed)
	json.Unmarshal(d["changed"], &changed)
	if len(added) != 72 || len(removed) != 0 || string(d["removed"]) != "[]" || len(changed) != 348 {
		t.Errorf("diff: %d added, %d removed (%s), %d changed; want 72, 0 ([]), 348", len(added), len(removed), d["removed"], len(changed))
	}
	if changed[0].Name != "ActionGroup" || len(changed[0].Added) != 8 || changed[0].Removed == nil {
		t.Errorf("first change = %+v", changed[0])
	}

	code, out, _ = runCLI("tags", "diff", "--service-tags", file, "--old", old)
	if code != 0 || !strings.Contains(out, "72 added, 0 removed, 348 changed\n") || !strings.Contains(out, "  AzureCloud.belgiumcentral\n") {
		t.Errorf("diff text: exit %d\n%.400s", code, out)
	}
}

func TestTagsBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"cloud": "Public", "values": [{"name": "Storage", "properties": {"addressPrefixes": ["10.0.0.0/33"]}}, {"name": "AzureCloud", "properties": {"addressPrefixes": ["20.0.0.0/8"]}}]}`), 0o600)
	tests := []struct {
		name string
		args []string
		code int
		err  string // in stderr
	}{
		{"bad prefix", []string{"tags", "--service-tags", bad, "lookup", "20.1.1.1"}, 2,
			"vnetpath tags: " + bad + `: values[0] "Storage": properties.addressPrefixes[0]: "10.0.0.0/33": not an IP address or CIDR prefix`},
		{"lenient", []string{"tags", "--service-tags", bad, "--lenient", "lookup", "20.1.1.1"}, 0, "warning: " + bad + `: values[0] "Storage"`},
		{"missing file", []string{"tags", "--service-tags", filepath.Join(dir, "absent.json"), "show", "X"}, 2, "absent.json"},
		{"no file", []string{"tags", "lookup", "1.2.3.4"}, 2, "--service-tags FILE is required\nrun 'vnetpath tags --help' for usage\n"},
		{"no verb", []string{"tags", "--service-tags", bad}, 2, "missing verb"},
		{"unknown verb", []string{"tags", "--service-tags", bad, "expand", "X"}, 2, `unknown verb "expand"`},
		{"misspelt verb", []string{"tags", "--service-tags", bad, "shwo", "X"}, 2, "did you mean show?"},
		{"bad address", []string{"tags", "--service-tags", bad, "lookup", "20.1.1"}, 2, `vnetpath tags: lookup "20.1.1": not an IP address or CIDR prefix`},
		{"two arguments", []string{"tags", "--service-tags", bad, "lookup", "1.2.3.4", "5.6.7.8"}, 2, "lookup takes one argument"},
		{"diff without --old", []string{"tags", "--service-tags", bad, "diff"}, 2, "diff needs --old FILE"},
		{"bad format", []string{"tags", "--service-tags", bad, "--format", "yaml", "lookup", "1.2.3.4"}, 2, `--format "yaml": unknown output format; want text or json`},
		{"bad format after -o", []string{"tags", "--service-tags", bad, "-o", "yaml", "lookup", "1.2.3.4"}, 2, `-o "yaml": unknown output format`},
	}
	for _, tc := range tests {
		code, _, errs := runCLI(tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.err) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", tc.name, code, errs, tc.code, tc.err)
		}
	}
}
