package render_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/render"
)

// sharedNSGDenies makes the ARM answer of each source in denied a denial by
// rule deny-arm of one NSG the sources share, with the fix each answer
// carries: allow TCP 443 from the source's own prefix (10.0.N.0/24).
func sharedNSGDenies(r *answer.Report, denied map[string]bool) {
	for i := range r.Results {
		res := &r.Results[i]
		if !denied[res.Source] || res.Destination != "management.azure.com" {
			continue
		}
		n := 0
		fmt.Sscanf(res.Source[strings.Index(res.Source, "spoke-")+len("spoke-"):], "%d", &n)
		prefix := fmt.Sprintf("10.%d.%d.0/24", n/256, n%256)
		name := "allow-tcp-443-from-" + strings.ReplaceAll(prefix, "/", "_")
		fix := answer.Fix{Resource: nsgA, Kind: answer.FixAddSecurityRule,
			Text: "in NSG nsg-a, allow outbound TCP 443 from " + prefix + " to service tag AzureResourceManager with rule " + name,
			Az:   "az network nsg rule create -g rg --nsg-name nsg-a -n " + name + " --source-address-prefixes " + prefix}
		b := res.Blockers[0]
		b.Source, b.Fix = prefix, &fix
		res.Reason = "NSG nsg-a rule deny-arm (priority 100, Outbound, Deny) drops TCP 443 from " + prefix
		res.Blockers, res.Fixes = []answer.Blocker{b}, []answer.Fix{fix}
	}
}

// TestTextGroupsSharedCauses checks that failures from several sources
// with the same deciding rule and the same fix but for each source's own
// prefix are written once: the count, the verdict, the endpoint and the
// sources, the first answer in full, and every prefix the fix is for.
// Failures from one source alone, or with a fix of their own, are written
// by source as before.
func TestTextGroupsSharedCauses(t *testing.T) {
	srcs := sourcesN(30)
	denied, bypass := map[string]bool{}, map[string]bool{srcs[7]: true}
	for _, s := range srcs[10:20] {
		denied[s] = true
	}
	r := profile(srcs, bypass, denied)
	sharedNSGDenies(r, denied)
	out := text(t, r, render.Options{})
	checkLines(t, out)
	order := []string{
		"Not reachable (11 answers)",
		"10 answers share their cause and fix with answers from other sources",
		"10 answers · DENIED-BY-NSG · endpoint #3 from 10 sources",
		"  sources: snet-app in 10 VNets: spoke-0010..0019",
		"  for example from spoke-0010/snet-app:",
		"  #3 DENIED-BY-NSG  management.azure.com tcp/443 (ARM)",
		"drops TCP 443 from 10.0.10.0/24",
		"fix: in NSG nsg-a, allow outbound TCP 443 from 10.0.10.0/24",
		"az network nsg rule create",
		"each: the same fix for each source with its own prefix (10): 10.0.10.0/24, 10.0.11.0/24,",
		"10.0.19.0/24",
		"The other 1 answer, by source:",
		"from spoke-0007/snet-app: reaches 2 of 3 endpoints",
		"  #2 PRIVATE-ENDPOINT-BYPASSED",
	}
	inOrder(t, out, order)
	if n := strings.Count(out, "DENIED-BY-NSG  management.azure.com"); n != 1 {
		t.Errorf("the shared denial is written %d times, want once:\n%s", n, out)
	}
	// A fix of its own (another NSG) keeps an answer out of the group.
	r = profile(srcs, nil, denied)
	sharedNSGDenies(r, denied)
	for i := range r.Results {
		if res := &r.Results[i]; res.Source == srcs[12] && !res.Reachable {
			res.Fixes[0].Text = strings.Replace(res.Fixes[0].Text, "nsg-a", "nsg-b", 1)
		}
	}
	out = text(t, r, render.Options{})
	for _, want := range []string{"9 answers · DENIED-BY-NSG · endpoint #3 from 9 sources", "from spoke-0012/snet-app: reaches 2 of 3 endpoints"} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
}

// TestTextGroupOrder checks that groups come largest first, and among
// groups of one size in the order of SPEC §5's verdicts; and that a group
// spanning several endpoints names them by number.
func TestTextGroupOrder(t *testing.T) {
	srcs := sourcesN(12)
	denied, bypass := map[string]bool{}, map[string]bool{}
	for _, s := range srcs[:3] {
		denied[s] = true // 3 answers
	}
	for _, s := range srcs[3:6] {
		bypass[s] = true // 3 answers, a verdict SPEC §5 lists after denied-by-nsg
	}
	for _, s := range srcs[6:10] {
		denied[s], bypass[s] = true, true
	}
	r := profile(srcs, bypass, denied)
	sharedNSGDenies(r, denied)
	out := text(t, r, render.Options{FailuresOnly: true})
	checkLines(t, out)
	order := []string{
		"7 answers · DENIED-BY-NSG · endpoint #3 from 7 sources",
		"7 answers · PRIVATE-ENDPOINT-BYPASSED · endpoint #2 from 7 sources",
	}
	inOrder(t, out, order)
	// One blackhole from two sources to two destinations, with a fix that
	// does not depend on the destination: one group over both.
	r = &answer.Report{}
	for _, src := range srcs[:2] {
		for _, dst := range []string{"10.9.0.1", "10.9.0.2"} {
			r.Results = append(r.Results, answer.Result{Source: src, Destination: dst, Protocol: "tcp", Port: 443, Verdict: answer.Blackhole,
				Reason:   "route to-x of route table rt drops traffic to " + dst,
				Blockers: []answer.Blocker{{Verdict: answer.Blackhole, Cause: answer.CauseRouteNone, Resource: net + "routeTables/rt"}},
				Fixes:    []answer.Fix{{Resource: net + "routeTables/rt", Text: "remove route to-x from rt or give it a next hop", Kind: answer.FixRemoveRoute}}})
		}
	}
	out = text(t, r, render.Options{})
	if want := "4 answers · BLACKHOLE · 2 destinations (#1, #2) from 2 sources"; !strings.Contains(out, want) {
		t.Errorf("text lacks %q:\n%s", want, out)
	}
}

// TestTextMatrixCollapsesLikeRows checks that a matrix of more than 40
// sources shows rows with the same marks once, with how many more sources
// they stand for, and that one of 40 rows or fewer lists each.
func TestTextMatrixCollapsesLikeRows(t *testing.T) {
	for _, tc := range []struct {
		sources  int
		wantRows int
		want     []string
	}{
		{40, 40, []string{"spoke-0039/snet-app  ✓   PEB ✓\n"}},
		{500, 3, []string{
			"spoke-0000/snet-app +14  ✓   PEB ✓\n",
			"spoke-0001/snet-app +14  ✓   ✓   NSG\n",
			"spoke-0002/snet-app +14  ✓   PEB NSG\n",
			"+N after a source: N more sources with the same marks in every column (42 in all)",
			"✓ 455 more sources reach every endpoint",
		}},
	} {
		t.Run(fmt.Sprint(tc.sources), func(t *testing.T) {
			srcs := sourcesN(tc.sources)
			bypass, denied := map[string]bool{}, map[string]bool{}
			for i := range min(45, len(srcs)) {
				switch i % 3 {
				case 0:
					bypass[srcs[i]] = true
				case 1:
					denied[srcs[i]] = true
				default:
					bypass[srcs[i]], denied[srcs[i]] = true, true
				}
			}
			out := text(t, profile(srcs, bypass, denied), render.Options{FailuresOnly: true})
			checkLines(t, out)
			matrix := out[:strings.Index(out, "✓ reachable ·")]
			if n := strings.Count(matrix, "\nspoke-"); n != tc.wantRows {
				t.Errorf("%d rows, want %d:\n%s", n, tc.wantRows, matrix)
			}
			for _, want := range tc.want {
				if !strings.Contains(out, want) {
					t.Errorf("text lacks %q:\n%s", want, matrix)
				}
			}
		})
	}
}

// TestTextReachableCounted checks that more than 200 reachable answers are
// counted by endpoint with the ways they arrive, saying how to see each,
// and that 200 or fewer are listed one by one.
func TestTextReachableCounted(t *testing.T) {
	small := text(t, profile(sourcesN(60), nil, nil), render.Options{})
	if n := strings.Count(small, " ✓ login.microsoftonline.com tcp/443: leaves through firewall fw-hub"); n != 60 {
		t.Errorf("180 reachable answers: %d listed for Entra ID, want 60:\n%s", n, small)
	}
	large := text(t, profile(sourcesN(100), nil, nil), render.Options{})
	checkLines(t, large)
	for _, want := range []string{
		"Reachable (300 answers)",
		"--format json lists every answer, and\n--from SOURCE a source's.",
		"#1 ✓ login.microsoftonline.com tcp/443: from 100 sources\n     100: leaves through firewall fw-hub (20.10.10.10)",
		"#2 ✓ " + apiFQ + " tcp/443: from 100\n     sources\n     100: delivered to pe-mlw-a",
	} {
		if !strings.Contains(large, want) {
			t.Errorf("text lacks %q:\n%s", want, large)
		}
	}
	if strings.Contains(large, "from spoke-0000/snet-app") {
		t.Errorf("300 reachable answers are listed by source:\n%s", large)
	}
}

// TestTextHidesNoAnswer checks that every answer has its cell: an endpoint
// each workspace answers alone (the inference name, resolved to each
// workspace's private endpoint) is a column per workspace, and a source
// asked the same twice is a row per time.
func TestTextHidesNoAnswer(t *testing.T) {
	const wsB = "/subscriptions/s/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-b"
	srcs := sourcesN(2)
	r := profile(srcs, nil, nil)
	var more []answer.Result
	for _, res := range r.Results {
		if res.Destination == apiFQ {
			b := res
			b.Workspace, b.Reachable, b.Verdict, b.Reason = wsB, false, answer.Blackhole, "dropped on the way to mlw-b"
			more = append(more, b)
		}
	}
	r.Results = append(r.Results, more...)
	out := text(t, r, render.Options{})
	for _, want := range []string{"2 sources × 4 endpoints", "spoke-0000/snet-app  ✓   ✓   ✓   BH", "(mlw-b)", "Not reachable (2 answers)", "#4 BLACKHOLE"} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}

	twice := &answer.Report{Results: []answer.Result{
		{Source: snetA, Destination: "10.0.0.1", Protocol: "tcp", Port: 443, Reachable: true, Verdict: answer.Reachable, Reason: "delivered"},
		{Source: snetA, Destination: "10.0.0.1", Protocol: "tcp", Port: 443, Verdict: answer.Unknown, Reason: "the snapshot lacks the route table"},
	}}
	out = text(t, twice, render.Options{})
	for _, want := range []string{"1 source × 1 destination", "spoke/snet-a  ✓\nspoke/snet-a  ?", "Reachable (1 answer)", "Not reachable (1 answer)"} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
}
