package diff_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/azure/deploy"
	"github.com/vnetpath/vnetpath/azure/tfplan"
	"github.com/vnetpath/vnetpath/diff"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/topology"
)

const (
	cRG      = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/"
	cLinkAPI = cRG + "rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.api.azureml.ms/virtualNetworkLinks/link-vnet-hub"
	cWSName  = "8b0f6c1e-5a4d-4e2b-9c3f-2d1e0a9b8c7d"
)

func contoso(t *testing.T, changes ...azure.Change) *azure.Result {
	t.Helper()
	r, err := azure.Load([]string{"../examples/contoso"}, azure.Options{Changes: changes})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func unlinkPlan(t *testing.T) azure.Change {
	t.Helper()
	const name = "../examples/contoso-changes/unlink-api-zone.plan.json"
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := tfplan.Evaluate(data, tfplan.Options{Name: "unlink-api-zone.plan.json"})
	if err != nil {
		t.Fatal(err)
	}
	return azure.Change{Name: "unlink-api-zone.plan.json", Kind: azure.ChangePlan, Result: &p.Result}
}

// TestUnlinkingThePrivatelinkZoneChangesExactlyTheWorkspaceAnswers is the
// example of examples/contoso-changes: a plan deletes the link of
// privatelink.api.azureml.ms to vnet-hub. Every subnet that resolved the
// workspace's API, cert and inference names through the hub (the hub
// itself with Azure-provided DNS, and the spokes that use the hub's
// resolver) now gets the public answer, which the workspace refuses; the
// notebooks name, in the other zone, Entra ID, ARM and the service tags do
// not change, nor does vnet-spoke-app, which never resolved them
// privately.
func TestUnlinkingThePrivatelinkZoneChangesExactlyTheWorkspaceAnswers(t *testing.T) {
	before := contoso(t)
	after := contoso(t, unlinkPlan(t))
	profile := profileLen(t, before)
	for _, full := range []bool{false, true} {
		rep, err := diff.Compare(engine.New(before.Snapshot, nil), engine.New(after.Snapshot, nil), diff.Options{Full: full}, after.Touched)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range rep.Changed {
			sub := e.Source[strings.LastIndex(e.Source, "/virtualNetworks/")+len("/virtualNetworks/"):]
			got = append(got, sub+" "+strings.TrimPrefix(e.Destination, cWSName+".")+" "+string(e.Before.Verdict)+" -> "+string(e.After.Verdict))
			if !slices.Equal(e.Causes, []string{cLinkAPI}) {
				t.Errorf("%s %s: causes %v, want the deleted link", e.Source, e.Destination, e.Causes)
			}
		}
		slices.Sort(got)
		want := []string{
			"vnet-hub/subnets/snet-shared endpoint.westeurope.inference.ml.azure.com reachable -> private-endpoint-bypassed",
			"vnet-hub/subnets/snet-shared workspace.westeurope.api.azureml.ms reachable -> private-endpoint-bypassed",
			"vnet-hub/subnets/snet-shared workspace.westeurope.cert.api.azureml.ms reachable -> private-endpoint-bypassed",
			"vnet-spoke-data/subnets/snet-batch endpoint.westeurope.inference.ml.azure.com denied-by-nsg -> private-endpoint-bypassed",
			"vnet-spoke-data/subnets/snet-batch workspace.westeurope.api.azureml.ms denied-by-nsg -> private-endpoint-bypassed",
			"vnet-spoke-data/subnets/snet-batch workspace.westeurope.cert.api.azureml.ms denied-by-nsg -> private-endpoint-bypassed",
			"vnet-spoke-ml/subnets/snet-train endpoint.westeurope.inference.ml.azure.com reachable -> private-endpoint-bypassed",
			"vnet-spoke-ml/subnets/snet-train workspace.westeurope.api.azureml.ms reachable -> private-endpoint-bypassed",
			"vnet-spoke-ml/subnets/snet-train workspace.westeurope.cert.api.azureml.ms reachable -> private-endpoint-bypassed",
		}
		if !slices.Equal(got, want) {
			t.Errorf("full %v: changed answers\n%s\nwant\n%s", full, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		s := rep.Summary
		if s.Compared != profile || s.Changed != 9 || s.NoLongerReachable != 6 || s.Otherwise != 3 || s.NowReachable != 0 || !rep.Regressed() {
			t.Errorf("summary %+v", s)
		}
		if h := s.Headline(); h != "9 answers changed: 6 no longer reachable, 3 otherwise changed" {
			t.Errorf("headline %q", h)
		}
		if len(rep.Resources) != 1 || rep.Resources[0] != (diff.ResourceChange{ID: cLinkAPI, Type: topology.TypeZoneLink, Change: diff.Removed}) {
			t.Errorf("resources %+v", rep.Resources)
		}
	}
}

// TestApplyingAPlanOfTheSameEstateChangesNothing: the Terraform plan of
// azure/tfplan/testdata leaves exactly examples/contoso; applied on top
// of it, no resource and no answer changes, and nothing is checked again.
func TestApplyingAPlanOfTheSameEstateChangesNothing(t *testing.T) {
	data, err := os.ReadFile("../azure/tfplan/testdata/contoso-plan.json")
	if err != nil {
		t.Fatal(err)
	}
	p, err := tfplan.Evaluate(data, tfplan.Options{Name: "contoso-plan.json"})
	if err != nil {
		t.Fatal(err)
	}
	after := contoso(t, azure.Change{Name: "contoso-plan.json", Kind: azure.ChangePlan, Result: &p.Result})
	if len(after.Touched) < 40 {
		t.Fatalf("the plan touched %d resources; it rewrites the whole estate", len(after.Touched))
	}
	rep, err := diff.Compare(engine.New(contoso(t).Snapshot, nil), engine.New(after.Snapshot, nil), diff.Options{}, after.Touched)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Resources) != 0 || len(rep.Changed) != 0 || rep.Summary.Rechecked != 0 {
		t.Errorf("resources %+v, changed %d, rechecked %d", rep.Resources, len(rep.Changed), rep.Summary.Rechecked)
	}
	if h := rep.Summary.Headline(); h != fmt.Sprintf("no answer changed (%d compared)", profileLen(t, after)) {
		t.Errorf("headline %q", h)
	}
}

// profileLen is how many answers the Azure ML profile of an estate has.
func profileLen(t *testing.T, r *azure.Result) int {
	t.Helper()
	rep, err := engine.New(r.Snapshot, nil).Profile(engine.ProfileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return len(rep.Results)
}

func TestChangesKinds(t *testing.T) {
	rtML := cRG + "rg-spoke-ml/providers/Microsoft.Network/routeTables/rt-spoke-ml"
	newRT := cRG + "rg-spoke-ml/providers/Microsoft.Network/routeTables/rt-new"
	nsg := cRG + "rg-spoke-ml/providers/Microsoft.Network/networkSecurityGroups/nsg-train"
	rule := `{"id": "` + nsg + `/securityRules/AllowAzureMLInbound", "name": "AllowAzureMLInbound", "type": "Microsoft.Network/networkSecurityGroups/securityRules",
	  "properties": {"access": "Deny", "direction": "Inbound", "priority": 100, "protocol": "*", "sourceAddressPrefix": "*", "sourcePortRange": "*",
	  "destinationAddressPrefix": "*", "destinationPortRange": "*"}}`
	added := `{"id": "` + newRT + `", "name": "rt-new", "type": "Microsoft.Network/routeTables", "location": "westeurope", "properties": {}}`
	pip := cRG + "rg-spoke-ml/providers/Microsoft.Network/publicIPAddresses/pip-new"
	ch := azure.Change{Name: "plan.json", Kind: azure.ChangePlan, Result: &deploy.Result{
		Resources: []deploy.Resource{
			{ID: nsg + "/securityRules/AllowAzureMLInbound", Type: topology.TypeSecurityRule, JSON: json.RawMessage(rule)},
			{ID: newRT, Type: topology.TypeRouteTable, JSON: json.RawMessage(added)}},
		Deletes: []string{rtML},
		Missing: []deploy.Missing{{ID: pip, Type: topology.TypePublicIP, Reason: "its address is allocated by Azure"}},
	}}
	before, after := contoso(t), contoso(t, ch)
	want := []diff.ResourceChange{
		{ID: nsg + "/securityRules/AllowAzureMLInbound", Type: topology.TypeSecurityRule, Change: diff.Modified},
		{ID: pip, Type: topology.TypePublicIP, Change: diff.Unknown},
		{ID: newRT, Type: topology.TypeRouteTable, Change: diff.Added},
		{ID: rtML, Type: topology.TypeRouteTable, Change: diff.Removed},
		{ID: rtML + "/routes/default-to-fw", Type: topology.TypeRoute, Change: diff.Removed},
	}
	for _, cands := range [][]string{nil, after.Touched} {
		got := diff.Changes(before.Snapshot, after.Snapshot, cands)
		if !slices.Equal(got, want) {
			t.Errorf("candidates %v:\n got %+v\nwant %+v", cands != nil, got, want)
		}
	}
}

func TestHeadline(t *testing.T) {
	tests := []struct {
		s    diff.Summary
		want string
	}{
		{diff.Summary{Compared: 80}, "no answer changed (80 compared)"},
		{diff.Summary{Changed: 3, NoLongerReachable: 2, NowReachable: 1}, "3 answers changed: 2 no longer reachable, 1 now reachable"},
		{diff.Summary{Changed: 1, Otherwise: 1}, "1 answer changed: 1 otherwise changed"},
		{diff.Summary{Changed: 20, New: 16, Gone: 4}, "20 answers changed: 16 new, 4 gone"},
	}
	for _, tc := range tests {
		if got := tc.s.Headline(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.s, got, tc.want)
		}
	}
}

// TestNewAndGoneSourcesDoNotCountAsRegressions: a source that only exists
// on one side is listed with the other side empty, counted apart, and
// does not fail the comparison.
func TestNewAndGoneSourcesDoNotCountAsRegressions(t *testing.T) {
	sn := cRG + "rg-spoke-app/providers/Microsoft.Network/virtualNetworks/vnet-spoke-app/subnets/snet-web"
	gone := contoso(t, azure.Change{Name: "plan.json", Kind: azure.ChangePlan, Result: &deploy.Result{Deletes: []string{sn}}})
	b, a := engine.New(contoso(t).Snapshot, nil), engine.New(gone.Snapshot, nil)
	rep, err := diff.Compare(b, a, diff.Options{To: []string{"login.microsoftonline.com"}}, gone.Touched)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Changed) != 1 || rep.Changed[0].After != nil || rep.Changed[0].Before.Verdict != answer.Reachable || rep.Summary.Gone != 1 || rep.Regressed() {
		t.Fatalf("gone: %+v %+v", rep.Changed, rep.Summary)
	}
	rep, err = diff.Compare(a, b, diff.Options{To: []string{"login.microsoftonline.com"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Changed) != 1 || rep.Changed[0].Before != nil || rep.Summary.New != 1 || rep.Regressed() {
		t.Fatalf("new: %+v %+v", rep.Changed, rep.Summary)
	}
	// A --from that names nothing on either side is an input error.
	_, err = diff.Compare(b, a, diff.Options{From: []string{"vnet-nowhere/snet-x"}, To: []string{"login.microsoftonline.com"}}, nil)
	var ie *engine.InputError
	if !errors.As(err, &ie) || ie.Arg != "from" {
		t.Errorf("error %v, want an input error about --from", err)
	}
}

// TestReportJSON: the shape `vnetpath diff --format json` prints.
func TestReportJSON(t *testing.T) {
	before, after := contoso(t), contoso(t, unlinkPlan(t))
	rep, err := diff.Compare(engine.New(before.Snapshot, nil), engine.New(after.Snapshot, nil),
		diff.Options{From: []string{"vnet-spoke-ml/snet-train"}, To: []string{cWSName + ".workspace.westeurope.api.azureml.ms"}}, after.Touched)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Before, After struct {
			Snapshot struct{ Resources int }
			Answers  int
		}
		Changed []struct {
			Source, Destination, Protocol string
			Port                          int
			Before, After                 struct{ Verdict, Reason string }
			Causes                        []string
		}
		Summary map[string]int
	}
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if got.Before.Snapshot.Resources != 56 || got.After.Snapshot.Resources != 55 || got.Before.Answers != 1 || got.After.Answers != 1 {
		t.Errorf("estates %+v %+v", got.Before, got.After)
	}
	if len(got.Changed) != 1 {
		t.Fatalf("changed %+v", got.Changed)
	}
	c := got.Changed[0]
	if c.Protocol != "tcp" || c.Port != 443 || c.Before.Verdict != "reachable" || c.After.Verdict != "private-endpoint-bypassed" ||
		c.After.Reason == "" || !slices.Equal(c.Causes, []string{cLinkAPI}) {
		t.Errorf("entry %+v", c)
	}
	if got.Summary["noLongerReachable"] != 1 || got.Summary["changed"] != 1 || got.Summary["compared"] != 1 {
		t.Errorf("summary %v", got.Summary)
	}
}
