package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
)

// contoso is the example estate of the repository.
var contoso = filepath.Join("..", "..", "examples", "contoso")

// The estates under testdata are small hand-written ARM exports, one file
// each, in three input shapes:
//
//   - hubspoke: a hub with an Azure Firewall whose policy allows only Entra
//     ID, and a spoke whose route table sends everything to it (a JSON
//     array of resources);
//   - nsgdeny: one VNet whose web subnet's NSG denies Entra ID and the
//     database ports towards the db subnet (an ARM list, {"value": [...]});
//   - dns: a blob private endpoint whose privatelink zone is linked to
//     vnet-a and not to vnet-b.
var (
	hubspoke = filepath.Join("testdata", "hubspoke")
	nsgdeny  = filepath.Join("testdata", "nsgdeny")
	dnsCase  = filepath.Join("testdata", "dns")
)

const workspaceAPI = "8b0f6c1e-5a4d-4e2b-9c3f-2d1e0a9b8c7d.workspace.westeurope.api.azureml.ms"

func TestVersionString(t *testing.T) {
	for _, tc := range []struct {
		name string
		bi   *debug.BuildInfo
		ok   bool
		want string
	}{
		{"go install of a release", &debug.BuildInfo{Main: debug.Module{Version: "v0.4.0"}}, true,
			"vnetpath v0.4.0, go1.26.8 linux/amd64"},
		{"a checkout with VCS stamping", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "c266b69f0e1d2c3b4a5968778695a4b3c2d1e0f9"},
			{Key: "vcs.time", Value: "2026-11-28T10:00:00Z"},
			{Key: "vcs.modified", Value: "true"},
		}}, true, "vnetpath (devel) (commit c266b69f0e1d of 2026-11-28T10:00:00Z, modified), go1.26.8 linux/amd64"},
		{"a clean checkout", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "false"},
		}}, true, "vnetpath (devel) (commit abc), go1.26.8 linux/amd64"},
		{"no build information", nil, false, "vnetpath (devel), go1.26.8 linux/amd64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := versionString(tc.bi, tc.ok, "go1.26.8", "linux/amd64"); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
	for _, args := range [][]string{{"--version"}, {"-version"}, {"version"}} {
		code, out, errs := runCLI(args...)
		if code != 0 || errs != "" || !strings.HasPrefix(out, "vnetpath ") || !strings.Contains(out, runtime.Version()) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want the version and %s on stdout", args, code, out, errs, runtime.Version())
		}
	}
}

// TestHelp checks SPEC §4: --help and -h print to stdout, with the
// synopsis, the flags and examples, and exit 0, for the binary and for
// each command.
func TestHelp(t *testing.T) {
	code, out, errs := runCLI("--help")
	if code != 0 || errs != "" || !strings.Contains(out, "Usage: vnetpath COMMAND") || !strings.Contains(out, "Examples:") {
		t.Errorf("--help: exit %d, stderr %q\n%s", code, errs, out)
	}
	for _, c := range commands() {
		if !strings.Contains(out, "\n  "+c.name+" ") {
			t.Errorf("--help does not list command %s", c.name)
		}
		for _, args := range [][]string{{c.name, "--help"}, {c.name, "-h"}, {"help", c.name}, {c.name, "--snapshot", "x", "-help"}} {
			code, out, errs := runCLI(args...)
			if code != 0 || errs != "" {
				t.Errorf("%q: exit %d, stderr %q; want 0 and nothing on stderr", args, code, errs)
				continue
			}
			for _, want := range []string{"Usage: vnetpath " + c.name, "\nFlags:\n", "--help", "\nExamples:\n  # "} {
				if !strings.Contains(out, want) {
					t.Errorf("%q: help lacks %q:\n%s", args, want, out)
				}
			}
		}
		if n := len(c.examples); n < 2 || n > 4 {
			t.Errorf("%s has %d examples, want 2 to 4", c.name, n)
		}
	}
	code, _, errs = runCLI()
	if code != 2 || !strings.Contains(errs, "Usage: vnetpath COMMAND") {
		t.Errorf("no arguments: exit %d, stderr %q; want 2 and the usage", code, errs)
	}
}

// TestHelpExamplesRun runs every example of every command's help that
// reads the example estate (and, when ../shared is present, the real
// service-tag files), and checks that it is not a usage or input error:
// the examples are real. Examples that read Azure (collect, tags --update)
// are not run: tests make no network calls.
func TestHelpExamplesRun(t *testing.T) {
	tagFiles := filepath.Join("..", "..", "..", "shared", "testdata", "servicetags")
	_, err := os.Stat(tagFiles)
	haveTags := err == nil
	ran := 0
	for _, c := range commands() {
		for _, ex := range c.examples {
			args := slices.DeleteFunc(strings.Fields(ex[1]), func(a string) bool { return a == "\\" }) // line continuations
			if args[0] != "vnetpath" || strings.Contains(ex[1], "snap/") || strings.Contains(ex[1], "--update") || strings.Contains(ex[1], "ServiceTags_") && !haveTags {
				continue
			}
			for i, a := range args {
				switch {
				case a == "examples/contoso":
					args[i] = contoso
				case strings.HasPrefix(a, "examples/"):
					args[i] = filepath.Join("..", "..", filepath.FromSlash(a))
				case strings.HasPrefix(a, "ServiceTags_"):
					args[i] = filepath.Join(tagFiles, a)
				}
			}
			code, _, errs := runCLI(args[1:]...)
			if code == 2 {
				t.Errorf("%s: exit 2: %s", ex[1], errs)
			}
			ran++
		}
	}
	if ran < 8 {
		t.Errorf("ran %d examples; want the examples of check, routes, resolve and version", ran)
	}
}

// TestUsageErrors checks that a usage error is a short message naming the
// flag or value, a pointer to --help on stderr, nothing on stdout, and
// exit status 2.
func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string // the first line of stderr
	}{
		{"misspelt flag", []string{"check", "--snapshots", contoso}, "vnetpath check: unknown flag --snapshots; did you mean --snapshot?"},
		{"misspelt flag with a value", []string{"routes", "--snapshot", contoso, "--subnt=a/b"}, "vnetpath routes: unknown flag --subnt; did you mean --subnet?"},
		{"flag nothing is close to", []string{"check", "--verbose"}, "vnetpath check: unknown flag --verbose"},
		{"misspelt command", []string{"chekc"}, `vnetpath: unknown command "chekc"; did you mean check?`},
		{"abbreviated command", []string{"res"}, `vnetpath: unknown command "res"; did you mean resolve?`},
		{"flag before the command", []string{"--snapshot", contoso, "check"}, "vnetpath: unknown flag --snapshot; flags follow the command"},
		{"port zero", []string{"check", "--snapshot", contoso, "--port", "0"}, `vnetpath check: --port "0": want a port number from 1 to 65535`},
		{"port too large", []string{"check", "--snapshot", contoso, "--port=65536"}, `vnetpath check: --port "65536": want a port number from 1 to 65535`},
		{"port not a number", []string{"check", "--snapshot", contoso, "--port", "https"}, `vnetpath check: --port "https": want a port number from 1 to 65535`},
		{"flag without its value", []string{"check", "--snapshot"}, "vnetpath check: --snapshot needs a value"},
		{"unknown format", []string{"routes", "--snapshot", contoso, "--subnet", "a/b", "--format", "yaml"}, `vnetpath routes: --format "yaml": unknown output format; want text or json`},
		{"unknown format after -o", []string{"resolve", "-o", "xml"}, `vnetpath resolve: -o "xml": unknown output format; want text or json`},
		{"bad protocol", []string{"check", "--snapshot", contoso, "--protocol", "sctp"}, `vnetpath check: --protocol "sctp": want tcp, udp, icmp or any`},
		{"bad boolean", []string{"check", "--lenient=maybe"}, "vnetpath check: --lenient=maybe: want true or false"},
		{"no snapshot", []string{"check", "--to", "1.2.3.4"}, "vnetpath check: --snapshot is required, or --template or --plan for a change alone"},
		{"stdin with a path", []string{"routes", "--snapshot", "-", "--snapshot", contoso, "--subnet", "a/b"}, "vnetpath routes: --snapshot - reads the whole snapshot from standard input and cannot be combined with other --snapshot paths"},
		{"stray argument", []string{"check", "--snapshot", contoso, "spoke"}, `vnetpath check: unexpected argument "spoke"`},
		{"routes without a target", []string{"routes", "--snapshot", contoso}, "vnetpath routes: give one of --subnet, --nic or --ip"},
		{"routes with two targets", []string{"routes", "--snapshot", contoso, "--subnet", "a/b", "--ip", "10.0.0.1"}, "vnetpath routes: give one of --subnet, --nic or --ip"},
		{"routes with a bad address", []string{"routes", "--snapshot", contoso, "--ip", "10.0.0"}, `vnetpath routes: --ip "10.0.0": not an IP address`},
		{"resolve without a name", []string{"resolve", "--snapshot", contoso, "--from", "vnet-hub"}, "vnetpath resolve: --name is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runCLI(tc.args...)
			first, rest, _ := strings.Cut(errs, "\n")
			cmd := "vnetpath"
			if !strings.HasPrefix(tc.want, "vnetpath:") {
				cmd += " " + tc.args[0]
			}
			if code != 2 || out != "" || first != tc.want || rest != "run '"+cmd+" --help' for usage\n" {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant 2, no stdout, and:\n%s\nrun '%s --help' for usage", code, out, errs, tc.want, cmd)
			}
		})
	}
}

// TestInputErrors checks errors in the user's terms: the file, flag or
// value, with candidates, never a Go function name; exit status 2.
func TestInputErrors(t *testing.T) {
	dir := t.TempDir()
	notJSON := filepath.Join(dir, "vnets.json")
	os.WriteFile(notJSON, []byte("# not JSON\n"), 0o600)
	for _, tc := range []struct {
		name string
		args []string
		want []string // in stderr
	}{
		{"missing snapshot", []string{"check", "--snapshot", filepath.Join(dir, "nope")}, []string{"snapshot path:", "nope: no such file or directory"}},
		{"snapshot not JSON", []string{"check", "--snapshot", notJSON}, []string{notJSON + ": not valid JSON"}},
		{"missing catalog", []string{"check", "--snapshot", contoso, "--service-tags", filepath.Join(dir, "tags.json")}, []string{"service-tag file: open ", "tags.json: no such file or directory"}},
		// The catalog is read while the snapshot is; the snapshot's error is
		// the one reported, as when the catalog was read after it.
		{"snapshot and catalog both wrong", []string{"check", "--snapshot", notJSON, "--service-tags", filepath.Join(dir, "tags.json")}, []string{notJSON + ": not valid JSON"}},
		{"unknown tag, no catalog", []string{"check", "--snapshot", contoso, "--from", "vnet-spoke-app/snet-web", "--to", "tag:NoSuchTag"},
			[]string{`--to "tag:NoSuchTag": the public cloud has no such service tag`, "candidates:\n  tag:"}},
		{"misspelt region, no catalog", []string{"check", "--snapshot", contoso, "--from", "vnet-spoke-app/snet-web", "--to", "tag:Storage.WestEuropa"},
			[]string{"candidates:\n  tag:Storage.WestEurope\n"}},
		{"address with host bits", []string{"check", "--snapshot", contoso, "--from", "vnet-spoke-app/snet-web", "--to", "10.0.0.1/24"},
			[]string{`vnetpath check: --to "10.0.0.1/24": not canonical: host bits are set (the network is 10.0.0.0/24)` + "\n"}},
		{"unknown subnet", []string{"routes", "--snapshot", contoso, "--subnet", "vnet-hub/snet-nope"}, []string{`--subnet "vnet-hub/snet-nope": no subnet matches`}},
		{"unknown resource group", []string{"routes", "--snapshot", contoso, "--subnet", "rg-nope/vnet-hub/snet-shared"}, []string{`--subnet "rg-nope/vnet-hub/snet-shared": no subnet matches`}},
		{"unknown NIC", []string{"routes", "--snapshot", contoso, "--nic", "nic-vm-web"}, []string{`--nic "nic-vm-web": no NIC of the snapshot`, "candidates:\n  nic-vm-web-01\n"}},
		{"address in no subnet", []string{"routes", "--snapshot", contoso, "--ip", "10.99.0.4"}, []string{`--ip "10.99.0.4": no subnet in the snapshot holds this address`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := runCLI(tc.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2; stderr %q", code, errs)
			}
			for _, w := range tc.want {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr %q lacks %q", errs, w)
				}
			}
			for _, goName := range []string{"azure.Load", "cidr.Parse", "servicetags.", "engine.", "netip.", "flag provided"} {
				if strings.Contains(errs, goName) {
					t.Errorf("stderr names Go code %q: %q", goName, errs)
				}
			}
		})
	}
}

// TestFormatAlias checks that -o and --format are one flag in every
// command that prints.
func TestFormatAlias(t *testing.T) {
	for _, args := range [][]string{
		{"check", "--snapshot", contoso, "--from", "vnet-spoke-app/snet-web", "--to", "login.microsoftonline.com"},
		{"routes", "--snapshot", contoso, "--subnet", "vnet-hub/snet-shared"},
		{"resolve", "--snapshot", contoso, "--from", "vnet-hub", "--name", "login.microsoftonline.com"},
	} {
		_, long, _ := runCLI(append(args, "--format", "json")...)
		_, short, _ := runCLI(append(args, "-o", "json")...)
		_, text, _ := runCLI(args...)
		if !json.Valid([]byte(long)) || long != short || long == text {
			t.Errorf("%s: --format json and -o json differ, or are not JSON:\n%.200s\n%.200s", args[0], long, short)
		}
	}
}

// TestSnapshotFromStdin checks --snapshot -: any input shape, and messages
// that name standard input.
func TestSnapshotFromStdin(t *testing.T) {
	file := filepath.Join(hubspoke, "estate.json")
	estate, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"routes", "--snapshot", "-", "--subnet", "vnet-spoke/snet-app", "-o", "json"}
	code, fromFile, errs := runCLI("routes", "--snapshot", file, "--subnet", "vnet-spoke/snet-app", "-o", "json")
	if code != 0 {
		t.Fatalf("from the file: exit %d, stderr %q", code, errs)
	}
	for _, tc := range []struct {
		name  string
		input string
	}{
		{"array of resources", string(estate)},
		{"ARM list", `{"value": ` + string(estate) + `}`},
		{"Resource Graph answer", `{"count": 8, "data": ` + string(estate) + `}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := runIO(args, strings.NewReader(tc.input), &out, &errb)
			if code != 0 || out.String() != fromFile {
				t.Errorf("exit %d, stderr %q; stdout differs from reading the file:\n%.300s", code, errb.String(), out.String())
			}
		})
	}
	var out, errb bytes.Buffer
	if code := runIO(args, strings.NewReader("[{"), &out, &errb); code != 2 || !strings.HasPrefix(errb.String(), "vnetpath routes: standard input: ") {
		t.Errorf("truncated input: exit %d, stderr %q; want 2 and a message naming standard input", code, errb.String())
	}
}

// TestSubnetByResourceGroup checks RESOURCEGROUP/VNET/SUBNET, with the
// resource group in any case, as a source and as a routes target.
func TestSubnetByResourceGroup(t *testing.T) {
	_, want, _ := runCLI("routes", "--snapshot", contoso, "--subnet", "vnet-spoke-app/snet-web", "-o", "json")
	for _, ref := range []string{"rg-spoke-app/vnet-spoke-app/snet-web", "RG-Spoke-App/vnet-spoke-app/snet-web"} {
		code, got, errs := runCLI("routes", "--snapshot", contoso, "--subnet", ref, "-o", "json")
		if code != 0 || got != want {
			t.Errorf("--subnet %s: exit %d, stderr %q; want the routes of vnet-spoke-app/snet-web", ref, code, errs)
		}
	}
	code, out, errs := runCLI("check", "--snapshot", contoso, "--from", "rg-spoke-app/vnet-spoke-app/snet-web", "--to", "login.microsoftonline.com")
	if code != 0 || !strings.Contains(out, "✓ login.microsoftonline.com") {
		t.Errorf("check --from RG/VNET/SUBNET: exit %d, stderr %q\n%s", code, errs, out)
	}
}

// TestRoutesOfNIC checks routes --nic and --ip: the routes of the NIC's
// subnet, with the NIC and subnet named in the output.
func TestRoutesOfNIC(t *testing.T) {
	const nicID = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-spoke-app/providers/Microsoft.Network/networkInterfaces/nic-vm-web-01"
	_, subnetJSON, _ := runCLI("routes", "--snapshot", contoso, "--subnet", "vnet-spoke-app/snet-web", "-o", "json")
	var want struct {
		Subnet string            `json:"subnet"`
		Value  []json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal([]byte(subnetJSON), &want); err != nil || len(want.Value) == 0 {
		t.Fatalf("routes --subnet: %v\n%s", err, subnetJSON)
	}
	for _, tc := range []struct {
		name     string
		args     []string
		wantNIC  string
		wantAddr string
		header   string
	}{
		{"NIC by name", []string{"--nic", "nic-vm-web-01"}, nicID, "", "NIC nic-vm-web-01: the routes of its subnet vnet-spoke-app/snet-web\n"},
		{"NIC by name in another case", []string{"--nic", "NIC-VM-WEB-01"}, nicID, "", "NIC nic-vm-web-01: the routes of its subnet vnet-spoke-app/snet-web\n"},
		{"NIC by ID", []string{"--nic", nicID}, nicID, "", "NIC nic-vm-web-01: the routes of its subnet vnet-spoke-app/snet-web\n"},
		{"address of the NIC", []string{"--ip", "10.120.1.4"}, nicID, "10.120.1.4", "NIC nic-vm-web-01 (10.120.1.4): the routes of its subnet vnet-spoke-app/snet-web\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := append([]string{"routes", "--snapshot", contoso}, tc.args...)
			code, out, errs := runCLI(append(base, "-o", "json")...)
			var got struct {
				Subnet  string            `json:"subnet"`
				NIC     string            `json:"nic"`
				Address string            `json:"address"`
				Value   []json.RawMessage `json:"value"`
			}
			if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil {
				t.Fatalf("exit %d, %v, stderr %q", code, err, errs)
			}
			if got.Subnet != want.Subnet || got.NIC != tc.wantNIC || got.Address != tc.wantAddr || len(got.Value) != len(want.Value) {
				t.Errorf("subnet %q, nic %q, address %q, %d routes; want %q, %q, %q, %d", got.Subnet, got.NIC, got.Address, len(got.Value),
					want.Subnet, tc.wantNIC, tc.wantAddr, len(want.Value))
			}
			code, out, _ = runCLI(base...)
			if code != 0 || !strings.HasPrefix(out, tc.header) {
				t.Errorf("text: exit %d, want it to start with %q:\n%.300s", code, tc.header, out)
			}
		})
	}
	// An address no NIC holds: the routes of its subnet, and a warning
	// saying so.
	code, out, _ := runCLI("routes", "--snapshot", contoso, "--ip", "10.120.1.200")
	if code != 0 || !strings.HasPrefix(out, "10.120.1.200: the routes of its subnet vnet-spoke-app/snet-web\n") ||
		!strings.Contains(out, "warning: no NIC in the snapshot holds 10.120.1.200") {
		t.Errorf("--ip of no NIC: exit %d\n%s", code, out)
	}
}

// TestResolveExitStatus follows SPEC §4: resolve exits 1 when the name
// does not resolve or bypasses a private endpoint, 0 otherwise.
func TestResolveExitStatus(t *testing.T) {
	for _, tc := range []struct {
		name, from, fqdn string
		want             int
	}{
		{"private answer through the hub's resolver", "vnet-spoke-ml/snet-train", workspaceAPI, 0},
		{"public name", "vnet-hub", "login.microsoftonline.com", 0},
		{"public answer for a private endpoint's name", "vnet-spoke-app", workspaceAPI, 1},
		{"no such record in a linked privatelink zone", "vnet-hub", "nope.privatelink.api.azureml.ms", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runCLI("resolve", "--snapshot", contoso, "--from", tc.from, "--name", tc.fqdn, "-o", "json")
			var r struct {
				Rcode string `json:"rcode"`
			}
			if err := json.Unmarshal([]byte(out), &r); err != nil || code != tc.want {
				t.Errorf("exit %d (rcode %s), want %d; stderr %q", code, r.Rcode, tc.want, errs)
			}
		})
	}
}
