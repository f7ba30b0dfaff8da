package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/answer"
)

// names is an estate for DNS names and the Azure ML profile
// (testdata/names/snapshot): a hub with a DNS Private Resolver (inbound
// 10.50.1.4, outbound endpoint out-hub) and VM vm-shared; vnet-spoke,
// whose DNS server is 168.63.129.16, holding workspace ws-names's private
// endpoint (10.51.2.4 API and cert, .5 notebooks, .6 inference) and a
// reverse zone with the PTR record of .4 only, and a NAT gateway
// (51.105.30.4); vnet-fwd, linked to ruleset rs-fwd whose rule "." sends
// everything to 10.50.9.9, which nothing holds, and whose rule
// api.azureml.ms sends the workspace API to the inbound endpoint;
// vnet-partial, linked to a blob privatelink zone that declares record sets
// the export lacks; and ws-managed, a workspace whose compute runs in a
// managed VNet allowing only approved outbound traffic. Beside the
// snapshot: Graph's named locations (51.105.30.0/28 is trusted) and a
// workspace's outboundNetworkDependenciesEndpoints answer.
var (
	namesCase      = filepath.Join("testdata", "names", "snapshot")
	namedLocations = filepath.Join("testdata", "names", "named-locations.json")
	mlDependencies = filepath.Join("testdata", "names", "ml-dependencies.json")
)

const namesAPI = "5e1d3c2b-7a6f-4e8d-9c0b-1a2b3c4d5e6f.workspace.westeurope.api.azureml.ms"

// checkNamesJSON runs check with --format json and returns the report.
func checkNamesJSON(t *testing.T, wantCode int, args ...string) answer.Report {
	t.Helper()
	code, out, errs := runCLI(append(append([]string{"check", "--snapshot", namesCase}, args...), "--format", "json")...)
	if code != wantCode {
		t.Fatalf("check %v: exit %d, want %d; stderr %s", args, code, wantCode, errs)
	}
	var rep answer.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not a report: %v\n%.300s", err, out)
	}
	return rep
}

// resolveJSON runs resolve with --format json and returns the resolution.
func resolveJSON(t *testing.T, wantCode int, from, name string) answer.Resolution {
	t.Helper()
	code, out, errs := runCLI("resolve", "--snapshot", namesCase, "--from", from, "--name", name, "--format", "json")
	if code != wantCode {
		t.Fatalf("resolve %s from %s: exit %d, want %d; stderr %s\n%s", name, from, code, wantCode, errs, out)
	}
	var r answer.Resolution
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not a resolution: %v\n%.300s", err, out)
	}
	return r
}

// §10 item 42: a forwarding rule whose target nothing holds does not
// answer — the wildcard "." takes every name — while the longest matching
// rule still sends the workspace API to the resolver.
func TestCLIForwardingTargetsMustAnswer(t *testing.T) {
	rep := checkNamesJSON(t, 1, "--from", "vnet-fwd/snet-app", "--to", "login.microsoftonline.com", "--to", namesAPI)
	byDest := map[string]answer.Result{}
	for _, r := range rep.Results {
		byDest[r.Destination] = r
	}
	entra := byDest["login.microsoftonline.com"]
	if entra.Verdict != answer.DNSUnresolved || entra.DNS == nil || entra.DNS.Rcode != "SERVFAIL" {
		t.Fatalf("Entra ID: %s (%+v), want dns-unresolved with SERVFAIL", entra.Verdict, entra.DNS)
	}
	for _, w := range []string{"forwarding rule all (.)", "10.50.9.9", "held by nothing in the snapshot"} {
		if !strings.Contains(entra.Reason, w) {
			t.Errorf("reason %q does not mention %q", entra.Reason, w)
		}
	}
	if len(entra.Fixes) != 1 || !strings.HasSuffix(entra.Fixes[0].Resource, "/forwardingRules/all") || len(entra.Fixes[0].Patch) == 0 || !strings.Contains(entra.Fixes[0].Text, "10.50.1.4") {
		t.Errorf("fixes %+v, want the rule pointed at the inbound endpoint 10.50.1.4", entra.Fixes)
	}
	if api := byDest[namesAPI]; api.Verdict != answer.Reachable || !slices.Equal(api.Addresses, []string{"10.51.2.4"}) {
		t.Errorf("workspace API: %s to %v, want reachable at 10.51.2.4 through rule aml", api.Verdict, api.Addresses)
	}
}

// §10 item 33: 168.63.129.16 as a VNet's DNS server is Azure-provided DNS,
// answering in the VNet with its linked zones.
func TestCLIWireServerAsDNSServer(t *testing.T) {
	rep := checkNamesJSON(t, 0, "--from", "vnet-spoke/snet-app", "--to", namesAPI)
	r := rep.Results[0]
	if r.Verdict != answer.Reachable || r.DNS == nil || !strings.Contains(r.DNS.Resolver, "168.63.129.16, the DNS server of VNet vnet-spoke") {
		t.Errorf("%s via %+v, want reachable through Azure-provided DNS in vnet-spoke", r.Verdict, r.DNS)
	}
}

// §10 item 36: resolve --name with an address answers the PTR query: from
// a reverse zone linked to the VNet, with Azure-provided names of VMs, or
// NXDOMAIN with the record that fixes it.
func TestCLIReverseLookups(t *testing.T) {
	r := resolveJSON(t, 0, "vnet-spoke", "10.51.2.4")
	if r.Type != "PTR" || r.Name != "4.2.51.10.in-addr.arpa" || !slices.Equal(r.Names, []string{namesAPI}) || r.Rcode != "NOERROR" {
		t.Errorf("10.51.2.4 from vnet-spoke: %+v, want the PTR record of the linked reverse zone", r)
	}
	r = resolveJSON(t, 1, "vnet-spoke/snet-app", "10.51.2.5")
	if r.Rcode != "NXDOMAIN" || len(r.Fixes) != 1 || r.Fixes[0].Kind != answer.FixAddRecord || len(r.Fixes[0].Patch) != 1 || r.Fixes[0].Patch[0].Type != "Microsoft.Network/privateDnsZones/PTR" {
		t.Errorf("10.51.2.5: %s with fixes %+v, want NXDOMAIN and the PTR record to add", r.Rcode, r.Fixes)
	}
	r = resolveJSON(t, 0, "vnet-hub", "10.50.2.4")
	if !slices.Equal(r.Names, []string{"vm-shared.q1w2e3.ax.internal.cloudapp.net"}) {
		t.Errorf("vm-shared from its VNet: names %v, want its Azure-provided name", r.Names)
	}
	r = resolveJSON(t, 1, "vnet-fwd", "10.50.2.4")
	if r.Rcode != "SERVFAIL" {
		t.Errorf("from vnet-fwd, whose rule . goes nowhere: %s, want SERVFAIL", r.Rcode)
	}
	r = resolveJSON(t, 1, "vnet-partial", "fd00:50::4")
	if r.Rcode != "NXDOMAIN" || !strings.HasSuffix(r.Name, ".ip6.arpa") {
		t.Errorf("an IPv6 address nothing holds: %s %s, want NXDOMAIN for its ip6.arpa name", r.Rcode, r.Name)
	}
	if code, _, errs := runCLI("resolve", "--snapshot", namesCase, "--from", "vnet-spoke", "--name", "10.51.2.0/24"); code != exitUsage || !strings.Contains(errs, "--name") {
		t.Errorf("a malformed name: exit %d, stderr %q; want a usage error naming --name", code, errs)
	}
}

// Issue 9, §10 item 38: a zone that declares record sets the export lacks
// gives unknown, naming them and how to export them, never NXDOMAIN.
func TestCLIMissingRecordSetsAreUnknown(t *testing.T) {
	rep := checkNamesJSON(t, 1, "--from", "vnet-partial/snet-app", "--to", "stnames.blob.core.windows.net")
	r := rep.Results[0]
	if r.Verdict != answer.Unknown || !slices.ContainsFunc(r.Missing, func(id string) bool { return strings.HasSuffix(id, "privatelink.blob.core.windows.net/recordSets") }) {
		t.Fatalf("%s missing %v, want unknown naming the zone's record sets", r.Verdict, r.Missing)
	}
	if len(r.Fixes) != 1 || r.Fixes[0].Kind != answer.FixExport || !strings.Contains(r.Fixes[0].Az, "az network private-dns record-set list") {
		t.Errorf("fixes %+v, want the export of the record sets", r.Fixes)
	}
	if res := resolveJSON(t, 1, "vnet-partial", "stnames.blob.core.windows.net"); res.Rcode != answer.RcodeUnknown {
		t.Errorf("resolve: rcode %s, want UNKNOWN", res.Rcode)
	}
}

// Issue 11, items 4-7: the profile with a workspace's own dependency list
// and Conditional Access named locations; a managed-network workspace's
// compute is checked against its outbound rules, not from the subnets.
func TestCLIProfileInputs(t *testing.T) {
	rep := checkNamesJSON(t, 0, "--from", "vnet-spoke/snet-app", "--from", "vnet-hub/snet-shared",
		"--named-locations", namedLocations, "--ml-dependencies", mlDependencies)
	if rep.Profile == nil || rep.Profile.Source != answer.ProfileFile || rep.Profile.File != mlDependencies {
		t.Errorf("profile %+v, want the dependency file", rep.Profile)
	}
	ca := map[string]string{}
	smb := false
	for _, r := range rep.Results {
		if r.Destination == "login.microsoftonline.com" && r.Port == 443 {
			if r.ConditionalAccess == nil {
				t.Fatalf("%s: no Conditional Access answer", r.Source)
			}
			ca[filepath.Base(r.Source)] = r.ConditionalAccess.Status + " " + r.ConditionalAccess.Location
			if r.Verdict != answer.Reachable {
				t.Errorf("%s: %s; Conditional Access must not change the verdict", r.Source, r.Verdict)
			}
		}
		smb = smb || (r.FQDN == "*.file.core.windows.net" && r.Port == 445 && r.ServiceTag == "Storage")
		if r.Destination == "mcr.microsoft.com" && slices.ContainsFunc(r.Workspaces, func(w string) bool { return strings.HasSuffix(w, "/ws-managed") }) {
			t.Errorf("mcr.microsoft.com is checked for ws-managed from %s; its compute runs in the managed VNet", r.Source)
		}
	}
	if ca["snet-app"] != "trusted Azure egress" || ca["snet-shared"] != "unknown " {
		t.Errorf("Conditional Access %v, want snet-app trusted (NAT gateway 51.105.30.4) and snet-shared unknown (default outbound access)", ca)
	}
	if !smb {
		t.Error("the dependency file's *.file.core.windows.net on 445 was not checked")
	}
	warnings := strings.Join(rep.Warnings, "\n")
	for _, w := range []string{"pypi.org", "default outbound access", "Microsoft-managed VNet", "stmanaged-blob"} {
		if !strings.Contains(warnings, w) {
			t.Errorf("warnings do not mention %q:\n%s", w, warnings)
		}
	}
	if len(rep.ManagedNetworks) != 1 || !strings.HasSuffix(rep.ManagedNetworks[0].Workspace, "/ws-managed") {
		t.Fatalf("managed networks %+v", rep.ManagedNetworks)
	}
	mn := rep.ManagedNetworks[0]
	status := map[string]string{}
	for _, r := range mn.Required {
		status[r.FQDN+" "+r.Protocol] = r.Status
	}
	if status["login.microsoftonline.com tcp"] != answer.ManagedAllowed || status["mcr.microsoft.com tcp"] != answer.ManagedMissing {
		t.Errorf("requirements %v: want Entra ID allowed by required-aad and mcr.microsoft.com missing", status)
	}
	if len(mn.Fixes) == 0 || len(mn.Fixes[0].Patch) == 0 {
		t.Errorf("fixes %+v, want outbound rules to add", mn.Fixes)
	}
}

// Bad --named-locations and --ml-dependencies files are usage errors that
// name the flag, the file and, for a bad value, its JSON path.
func TestCLIProfileInputErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.json")
	writeTestFile(t, bad, `{"value": [{"@odata.type": "#microsoft.graph.ipNamedLocation", "ipRanges": [{"cidrAddress": "not-a-range"}]}]}`)
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"--named-locations", "no-such-file.json"}, []string{"--named-locations", "no-such-file.json"}},
		{[]string{"--named-locations", bad}, []string{"--named-locations", bad, "$.value[0].ipRanges[0].cidrAddress"}},
		{[]string{"--ml-dependencies", bad}, []string{"--ml-dependencies", bad, "$.value[0]: not an outbound dependency"}},
	} {
		code, _, errs := runCLI(append([]string{"check", "--snapshot", namesCase}, tc.args...)...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d", tc.args, code, exitUsage)
		}
		for _, w := range tc.want {
			if !strings.Contains(errs, w) {
				t.Errorf("%v: stderr %q does not mention %q", tc.args, errs, w)
			}
		}
	}
}

func writeTestFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
