package render_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/render"
	"github.com/vnetpath/vnetpath/topology"
)

const (
	wsID   = "/subscriptions/s/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-a"
	peID   = net + "privateEndpoints/pe-mlw-a"
	zoneID = "/subscriptions/s/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.api.azureml.ms"
	apiFQ  = "0f0e0d0c-0b0a-0908-0706-050403020100.workspace.westeurope.api.azureml.ms"
)

// profile is the profile of workspace mlw-a from sources, each answering
// three endpoints: Entra ID through the hub firewall, the workspace API
// (bypassing its private endpoint from the sources in bypass) and ARM
// (denied by an NSG from the sources in denied).
func profile(sources []string, bypass, denied map[string]bool) *answer.Report {
	base := report()
	ok, deny := base.Results[0], base.Results[1]
	r := &answer.Report{Snapshot: base.Snapshot, Warnings: base.Warnings}
	for _, src := range sources {
		e := ok
		e.Source, e.Workspace, e.Purpose = src, wsID, "Entra ID"
		r.Results = append(r.Results, e)

		api := answer.Result{Source: src, Workspace: wsID, Destination: apiFQ, Purpose: "workspace API", Protocol: "tcp", Port: 443,
			Reachable: true, Verdict: answer.Reachable, Reason: "delivered to pe-mlw-a",
			Hops: []answer.Hop{{Node: src, Kind: answer.HopSubnet, Name: topology.ShortName(src)}, {Node: peID, Kind: answer.HopPrivateEndpoint, Action: answer.ActionDelivered}},
			DNS: &answer.Resolution{Name: apiFQ, Resolver: "Azure-provided DNS (168.63.129.16) in VNet spoke", Rcode: answer.NoError, Addresses: []string{"10.2.0.5"},
				Chain: []answer.DNSStep{{Name: apiFQ, Type: "CNAME", Value: strings.Replace(apiFQ, ".api.", ".privatelink.api.", 1), Source: "public DNS"},
					{Name: strings.Replace(apiFQ, ".api.", ".privatelink.api.", 1), Type: "A", Value: "10.2.0.5", Source: "private zone privatelink.api.azureml.ms"}}}}
		if bypass[src] {
			b := answer.Blocker{Verdict: answer.PrivateEndpointBypassed, Cause: answer.CausePrivateEndpointBypassed, Resource: peID,
				Data: map[string]string{"pe": "pe-mlw-a", "workspace": "mlw-a", "zone": "privatelink.api.azureml.ms"}}
			fix := answer.Fix{Resource: zoneID, Kind: answer.FixAddZoneLink, Text: "link private DNS zone privatelink.api.azureml.ms to VNet spoke",
				Az: "az network private-dns link vnet create -g rg-dns -z privatelink.api.azureml.ms -n vnetpath-spoke -v " +
					"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/spoke-with-a-name-long-enough-to-need-a-split-somewhere -e false"}
			api.Reachable, api.Verdict, api.Reason = false, answer.PrivateEndpointBypassed, "the name resolves to its public address; private endpoint pe-mlw-a is not used"
			api.Hops = ok.Hops
			api.DNS = &answer.Resolution{Name: apiFQ, Resolver: api.DNS.Resolver, Rcode: answer.NoError, Public: true, PublicTag: "AzureMachineLearning",
				Expected: []string{"10.2.0.5"}, Endpoint: peID, Blocker: &b,
				Chain: []answer.DNSStep{{Name: apiFQ, Type: "PUBLIC", Value: "public address", Source: "public DNS"}}}
			api.Blockers, api.Fixes = []answer.Blocker{b}, []answer.Fix{fix}
		}
		r.Results = append(r.Results, api)

		arm := ok
		if denied[src] {
			arm = deny
		}
		arm.Source, arm.Workspace, arm.Destination, arm.Purpose = src, wsID, "management.azure.com", "ARM"
		r.Results = append(r.Results, arm)
	}
	return r
}

func sourcesN(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%svirtualNetworks/spoke-%04d/subnets/snet-app", net, i)
	}
	return out
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// checkLines fails on a line wider than render.Width (ANSI colours not
// counted) or ending in a space.
func checkLines(t *testing.T, out string) {
	t.Helper()
	for i, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if n := utf8.RuneCountInString(ansi.ReplaceAllString(l, "")); n > render.Width {
			t.Errorf("line %d is %d columns wide:\n%s", i+1, n, l)
		}
		if strings.HasSuffix(l, " ") {
			t.Errorf("line %d ends in a space: %q", i+1, l)
		}
	}
}

func text(t *testing.T, r *answer.Report, o render.Options) string {
	t.Helper()
	var b strings.Builder
	if err := render.TextWith(&b, r, o); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestTextLeadsWithTheAnswer checks the order of the text report: the
// headline, the matrix (a row per source, ✓ or a code per endpoint, a
// legend, the endpoints by number), then what failed with its reason,
// path, DNS chain and fixes with az commands, then the reachable answers
// one line each.
func TestTextLeadsWithTheAnswer(t *testing.T) {
	srcs := sourcesN(3)
	r := profile(srcs, map[string]bool{srcs[1]: true}, map[string]bool{srcs[2]: true})
	out := text(t, r, render.Options{})
	checkLines(t, out)
	lines := strings.Split(out, "\n")
	if want := "9 answers: 7 reachable, 2 not (1 denied-by-nsg, 1 private-endpoint-bypassed)"; lines[0] != want {
		t.Errorf("headline %q, want %q", lines[0], want)
	}
	for _, want := range []string{
		"workspace mlw-a: 3 sources × 3 endpoints\n" +
			"                     1   2   3\n" +
			"spoke-0000/snet-app  ✓   ✓   ✓\n" +
			"spoke-0001/snet-app  ✓   PEB ✓\n" +
			"spoke-0002/snet-app  ✓   ✓   NSG\n" +
			"✓ reachable · NSG denied-by-nsg · PEB private-endpoint-bypassed\n" +
			"1 login.microsoftonline.com tcp/443 · Entra ID\n",
		"3 management.azure.com tcp/443 · ARM\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks\n%s\nin:\n%s", want, out)
		}
	}
	// Failures before reachable answers, each part in its place.
	order := []string{
		"Not reachable (2 answers)",
		"workspace mlw-a · from spoke-0001/snet-app: reaches 2 of 3 endpoints",
		"  #2 PRIVATE-ENDPOINT-BYPASSED",
		"the name resolves to its public address",
		"✗ internet Internet: egress", // the last hop of a failed answer decided it
		"dns: NOERROR via Azure-provided DNS (168.63.129.16) in VNet spoke → public address",
		"PUBLIC public address (public DNS)", // the chain, as the verdict is about names
		"fix: link private DNS zone privatelink.api.azureml.ms to VNet spoke",
		"az network private-dns link vnet create",
		"workspace mlw-a · from spoke-0002/snet-app: reaches 2 of 3 endpoints",
		"  #3 DENIED-BY-NSG  management.azure.com tcp/443 (ARM)",
		"NSG nsg-a rule deny-arm (priority 100, Outbound, Deny) drops TCP 443",
		"✗ subnet spoke/snet-a",
		"✗ rule nsg-a/deny-arm (priority 100): denied",
		"once the blocker is lifted, it would go on:",
		"✗ azureFirewall fw-hub: denied",
		"fix: in NSG nsg-a, allow outbound TCP 443",
		"Reachable (7 answers)",
		"workspace mlw-a · from spoke-0000/snet-app: reaches 3 of 3 endpoints",
		"#1 ✓ login.microsoftonline.com tcp/443: leaves through firewall fw-hub (20.10.10.10)",
		"#2 ✓ " + apiFQ + " tcp/443: delivered",
	}
	inOrder(t, out, order)
	if strings.Contains(out, "snapshot:") || strings.Contains(out, "warning:") {
		t.Errorf("the load summary and warnings are SnapshotText's, not Text's:\n%s", out)
	}
}

// TestTextSharedPathsAndCommands checks that, within one source, a path
// or az command another answer printed is referred to, not repeated.
func TestTextSharedPathsAndCommands(t *testing.T) {
	r := report()
	second := r.Results[1]
	second.Destination = "10.9.9.9"
	r.Results = append(r.Results, second)
	out := text(t, r, render.Options{})
	if n := strings.Count(out, "✗ rule nsg-a/deny-arm"); n != 1 {
		t.Errorf("the shared path is printed %d times, want once:\n%s", n, out)
	}
	if !strings.Contains(out, "path: as for #2 above") {
		t.Errorf("the second answer does not refer to the first one's path:\n%s", out)
	}
}

// TestTextWidth checks that no line of the text report is wider than
// render.Width or ends in a space, whatever the length of the values:
// long IDs, FQDNs, reasons and az commands.
func TestTextWidth(t *testing.T) {
	long := report()
	long.Results[1].Reason = strings.Repeat("a very long reason with many words and /subscriptions/s/resourceGroups/rg/providers/x/y/z ", 6)
	long.Results[1].Destination = strings.Repeat("a-long-label-", 12) + ".example.com"
	long.Results[1].Fixes[0].Az = "az network nsg rule create -g rg --nsg-name nsg-a -n " + strings.Repeat("x", 150) + " --description 'a quoted value that has spaces'\naz network vnet update --ids " + snetA + snetA
	long.Results[1].Assumptions = []string{strings.Repeat("assumption ", 30)}
	long.Snapshot.Missing = []answer.MissingResource{{ID: snetA, Export: "az network vnet subnet show --ids " + snetA + " -o json > snap/subnet.json"}}
	srcs := sourcesN(40)
	for name, r := range map[string]*answer.Report{
		"small":               report(),
		"long values":         long,
		"a profile":           profile(srcs[:4], map[string]bool{srcs[1]: true}, map[string]bool{srcs[2]: true}),
		"a source name of 60": profile([]string{net + "virtualNetworks/" + strings.Repeat("v", 50) + "/subnets/snet"}, nil, nil),
	} {
		t.Run(name, func(t *testing.T) {
			for _, o := range []render.Options{{}, {Color: true}, {FailuresOnly: true}} {
				checkLines(t, text(t, r, o))
			}
		})
	}
}

// TestTextSplitsWideMatrices checks that a matrix with more endpoints than
// fit in a row is split into column groups, each with its numbers.
func TestTextSplitsWideMatrices(t *testing.T) {
	r := &answer.Report{}
	for i := range 40 {
		r.Results = append(r.Results, answer.Result{Source: snetA, Destination: fmt.Sprintf("10.0.0.%d", i), Protocol: "tcp", Port: 443,
			Reachable: i%7 != 0, Verdict: map[bool]answer.Verdict{true: answer.Reachable, false: answer.Blackhole}[i%7 != 0], Reason: "r"})
	}
	out := text(t, r, render.Options{FailuresOnly: true})
	checkLines(t, out)
	if !strings.Contains(out, "\n              1   2   3 ") || !strings.Contains(out, "\nspoke/snet-a  BH  ✓   ✓ ") {
		t.Errorf("the first group does not start at column 1:\n%s", out)
	}
	if n := strings.Count(out, "\nspoke/snet-a  "); n < 2 {
		t.Errorf("40 columns in %d group(s), want at least 2:\n%s", n, out)
	}
	if !strings.Contains(out, " 40 10.0.0.39 tcp/443") && !strings.Contains(out, "40 10.0.0.39 tcp/443") {
		t.Errorf("the endpoints are not listed by number:\n%s", out)
	}
}

// TestTextFailuresOnly checks that --failures-only leaves out the
// reachable answers and keeps the summary whole.
func TestTextFailuresOnly(t *testing.T) {
	out := text(t, report(), render.Options{FailuresOnly: true})
	if strings.Contains(out, "Reachable (") || strings.Contains(out, "#1 ✓") {
		t.Errorf("reachable answers are listed:\n%s", out)
	}
	for _, want := range []string{"2 answers: 1 reachable, 1 not (1 denied-by-nsg)", "spoke/snet-a  ✓   NSG", "DENIED-BY-NSG"} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
}

// TestTextColor checks that colour marks only ✓ and the verdicts, and only
// when asked for.
func TestTextColor(t *testing.T) {
	plain := text(t, report(), render.Options{})
	color := text(t, report(), render.Options{Color: true})
	if ansi.MatchString(plain) {
		t.Errorf("colour without Options.Color:\n%q", plain)
	}
	if ansi.ReplaceAllString(color, "") != plain {
		t.Errorf("without its colour codes, the coloured text differs from the plain one")
	}
	for _, want := range []string{"\x1b[32m✓\x1b[0m", "\x1b[1;31mNSG\x1b[0m", "\x1b[1;31mDENIED-BY-NSG\x1b[0m"} {
		if !strings.Contains(color, want) {
			t.Errorf("coloured text lacks %q:\n%q", want, color)
		}
	}
}

// TestTextAtScale checks the text of a profile from 2,000 sources of
// which 20 fail: the summary comes first, and the length follows the
// failures, not sources × endpoints (6,000 answers).
func TestTextAtScale(t *testing.T) {
	srcs := sourcesN(2000)
	bypass, denied := map[string]bool{}, map[string]bool{}
	for i := 0; i < len(srcs); i += 100 {
		bypass[srcs[i]] = true
		denied[srcs[i+50]] = true
	}
	r := profile(srcs, bypass, denied)
	out := text(t, r, render.Options{})
	checkLines(t, out)
	lines := strings.Split(out, "\n")
	if !strings.HasPrefix(lines[0], "6,000 answers: 5,960 reachable, 40 not") {
		t.Errorf("headline %q", lines[0])
	}
	if !strings.HasPrefix(lines[2], "workspace mlw-a: 2,000 sources × 3 endpoints") || !strings.Contains(lines[4], "PEB") {
		t.Errorf("the summary does not come first:\n%s", strings.Join(lines[:min(12, len(lines))], "\n"))
	}
	if want := "✓ 1,960 more sources reach every endpoint (spoke-0001/snet-app, spoke-0002/snet-app,"; !strings.Contains(out, want) {
		t.Errorf("the sources that reach every endpoint are not counted (%q):\n%s", want, strings.Join(lines[:min(60, len(lines))], "\n"))
	}
	failures := 40
	if limit := 30*failures + 100; len(lines) > limit {
		t.Errorf("%d lines for %d failures; want at most %d", len(lines), failures, limit)
	}
}

// TestSnapshotText checks the load summary: resources, skipped types, the
// catalog and every warning.
func TestSnapshotText(t *testing.T) {
	var b strings.Builder
	if err := render.SnapshotText(&b, report()); err != nil {
		t.Fatal(err)
	}
	want := "snapshot: 12 resources, skipped: Microsoft.Compute/virtualMachines 2\n" +
		"service tags: Public, change 375, 3000 tags\n" +
		"warning: a warning <with> & marks\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// TestTextMissing checks that the header says how many resources the
// snapshot lacks and how to export them, each command once.
func TestTextMissing(t *testing.T) {
	r := report()
	exp := "az network vnet show --ids " + net + "virtualNetworks/hub -o json"
	r.Snapshot.Missing = []answer.MissingResource{
		{ID: net + "virtualNetworks/hub", Export: exp},
		{ID: net + "virtualNetworks/hub/subnets/a", Export: exp},
		{ID: net + "routeTables/rt", Export: "az network route-table show --ids " + net + "routeTables/rt -o json"},
	}
	out := text(t, r, render.Options{})
	checkLines(t, out)
	flat := strings.Join(strings.Fields(strings.ReplaceAll(out, "\\\n", "")), " ")
	if !strings.Contains(flat, "The snapshot lacks 3 resources that it references") {
		t.Errorf("the header does not count what is missing:\n%s", out)
	}
	if n := strings.Count(flat, "az network vnet show"); n != 1 {
		t.Errorf("the export command of the VNet is printed %d times, want once:\n%s", n, out)
	}
	if i, j := strings.Index(out, "az network route-table show"), strings.Index(out, "workspace"); i < 0 || (j >= 0 && j < i) {
		t.Errorf("the export commands are not in the header:\n%s", out)
	}
}

// TestVerdictCode checks the short codes of the matrix, including a
// verdict this package does not know.
func TestVerdictCode(t *testing.T) {
	for v, want := range map[answer.Verdict]string{
		answer.Reachable: "✓", answer.DeniedByNSG: "NSG", answer.PrivateEndpointBypassed: "PEB", answer.Unknown: "?",
		"denied-by-named-location": "DBN", "": "?",
	} {
		if got := render.VerdictCode(v); got != want {
			t.Errorf("VerdictCode(%q) = %q, want %q", v, got, want)
		}
	}
	for _, v := range answer.Verdicts() {
		if n := utf8.RuneCountInString(render.VerdictCode(v)); n > 3 {
			t.Errorf("VerdictCode(%q) is %d wide; the matrix has room for 3", v, n)
		}
	}
}

// TestNewValuesRender checks that values this package does not know (a
// new verdict, cause, step type, hop kind) still render in every format,
// named by their values.
func TestNewValuesRender(t *testing.T) {
	r := report()
	res := &r.Results[1]
	res.Verdict = "denied-by-named-location"
	res.Blockers[0].Cause = "namedLocationDenies"
	res.Blockers[0].Rule = nil
	res.Hops = append(res.Hops, answer.Hop{Node: "somewhere", Kind: "conditionalAccess", Steps: []answer.Step{{Type: "namedLocation", Action: answer.ActionDenied, Note: "outside the named location"}}})
	for name, f := range map[string]func(*strings.Builder) error{
		"text":    func(b *strings.Builder) error { return render.Text(b, r) },
		"dot":     func(b *strings.Builder) error { return render.Dot(b, r) },
		"mermaid": func(b *strings.Builder) error { return render.Mermaid(b, r) },
		"html":    func(b *strings.Builder) error { return render.HTML(b, r, render.Options{}) },
	} {
		var b strings.Builder
		if err := f(&b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, want := range []string{"conditionalAccess", "named"} {
			if !strings.Contains(b.String(), want) {
				t.Errorf("%s lacks %q", name, want)
			}
		}
	}
}

// inOrder fails the test unless out holds every string of order, one after
// another.
func inOrder(t *testing.T, out string, order []string) {
	t.Helper()
	at := 0
	for _, want := range order {
		i := strings.Index(out[at:], want)
		if i < 0 {
			t.Fatalf("after byte %d, text lacks %q:\n%s", at, want, out)
		}
		at += i + len(want)
	}
}

// TestReachableCountedAlike holds the text and HTML reports to count the
// reachable answers alike, those of the sources that reach every endpoint
// (counted apart in the matrix) included, and, when there are few enough
// to list, to list them all: the HTML report once left those sources out
// of both.
func TestReachableCountedAlike(t *testing.T) {
	srcs := sourcesN(30)
	r := profile(srcs, map[string]bool{srcs[3]: true}, nil)
	ok := 0
	for _, res := range r.Results {
		if res.Reachable {
			ok++
		}
	}
	if ok > 200 || ok < 25 {
		t.Fatalf("%d reachable answers: the report no longer lists quiet sources' answers", ok)
	}
	want := fmt.Sprintf("Reachable (%d answers)", ok)
	txt := text(t, r, render.Options{})
	var page strings.Builder
	if err := render.HTML(&page, r, render.Options{}); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"text": txt, "html": page.String()} {
		if !strings.Contains(out, want) {
			t.Errorf("%s does not say %q", name, want)
		}
	}
	quiet := "from " + topology.ShortName(srcs[0]) + ": reaches"
	if !strings.Contains(txt, quiet) || !strings.Contains(page.String(), quiet) {
		t.Errorf("the reachable answers of %s, which reaches every endpoint, are not listed in both", srcs[0])
	}
}
