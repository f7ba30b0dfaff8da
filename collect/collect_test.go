package collect_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/collect"
	"github.com/vnetpath/vnetpath/internal/fakeazure"
	"github.com/vnetpath/vnetpath/topology"
)

// counts returns the manifest's count of each type.
func counts(m *collect.Manifest) (all, referenced map[string]int) {
	all, referenced = map[string]int{}, map[string]int{}
	for _, tc := range m.Types {
		all[tc.Type], referenced[tc.Type] = tc.Count, tc.Referenced
	}
	return all, referenced
}

// TestRunCollectsEveryType lists both readable subscriptions (found with
// armsubscriptions) and checks every type's file, its count, the paging
// of lists longer than a page, and that the loader reads the directory
// strictly, manifest included.
func TestRunCollectsEveryType(t *testing.T) {
	e, tr := fullEstate()
	e.PageSize = 1
	m, out, err := runCollect(t, tr, collect.Options{ToolVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{
		topology.TypeVNet: 3, topology.TypeRouteTable: 1, topology.TypeNSG: 1, topology.TypeASG: 1, topology.TypeNIC: 1,
		topology.TypePrivateEndpoint: 1, topology.TypeFirewall: 1, topology.TypeFirewallPolicy: 1, topology.TypeRuleCollectionGroup: 1,
		topology.TypeIPGroup: 1, topology.TypeGateway: 1, topology.TypeLocalGateway: 1, topology.TypeConnection: 1,
		topology.TypeNATGateway: 1, topology.TypePublicIP: 2, topology.TypePrivateZone: 1, topology.TypeDNSRecordA: 3,
		topology.TypeDNSRecordAAAA: 1, topology.TypeDNSRecordCNAME: 1, "Microsoft.Network/privateDnsZones/SOA": 1,
		"Microsoft.Network/privateDnsZones/TXT": 1, topology.TypeDNSRecordPTR: 1, topology.TypeZoneLink: 1,
		topology.TypeDNSResolver: 1, topology.TypeInboundEndpoint: 1, topology.TypeOutboundEndpoint: 1, topology.TypeRuleset: 1,
		topology.TypeForwardingRule: 2, topology.TypeRulesetLink: 1, topology.TypeWorkspace: 1,
		topology.TypePublicIPPrefix: 1, topology.TypeLoadBalancer: 1, topology.TypeNetworkManager: 1, topology.TypeSecurityAdminConfig: 1,
		topology.TypeAdminRuleCollection: 1, topology.TypeVirtualWAN: 1, topology.TypeVirtualHub: 1,
	}
	got, _ := counts(m)
	for typ, n := range want {
		if got[typ] != n {
			t.Errorf("%s: %d in the manifest, want %d", typ, got[typ], n)
		}
	}
	for _, tc := range m.Types {
		if ids := readList(t, out, tc.File); len(ids) != tc.Count {
			t.Errorf("%s holds %d resources, the manifest says %d", tc.File, len(ids), tc.Count)
		}
	}
	if ids := readList(t, out, "privateDnsZones-A.json"); !slices.IsSortedFunc(ids, func(a, b string) int { return strings.Compare(topology.Key(a), topology.Key(b)) }) {
		t.Errorf("records not sorted by ID: %q", ids)
	}
	if len(m.Subscriptions) != 2 || m.Subscriptions[0].Name != "connectivity" || !m.Subscriptions[1].Listed {
		t.Errorf("subscriptions = %+v", m.Subscriptions)
	}
	if m.NotModelled["Microsoft.Compute/virtualMachines"] != 1 {
		t.Errorf("not modelled = %v, want the VM counted once", m.NotModelled)
	}
	// Lists answer one item a page: every list of more than one item was
	// read past its first page, with the SDK's pagers and the REST nextLink.
	second := map[string]bool{}
	for _, c := range tr.Calls() {
		if strings.Contains(c.Path, "/fake_page_") || strings.Contains(c.Query, "skiptoken") {
			second[c.Client] = true
		}
	}
	for _, client := range []string{"RecordSetsClient", "VirtualNetworksClient", "ResourceGroupsClient", "Client", ""} {
		if !second[client] {
			t.Errorf("no second page requested by %q (pages requested by %v)", client, second)
		}
	}

	res, err := azure.Load([]string{out}, azure.Options{})
	if err != nil {
		t.Fatalf("loading the collected snapshot: %v", err)
	}
	sc := res.Snapshot.Counts()
	for _, typ := range []string{topology.TypeVNet, topology.TypeSubnet, topology.TypePeering, topology.TypeRuleCollectionGroup,
		topology.TypeDNSRecordA, topology.TypeDNSRecordPTR, topology.TypeZoneLink, topology.TypeForwardingRule, topology.TypeRulesetLink,
		topology.TypeWorkspace, topology.TypePublicIPPrefix, topology.TypeLoadBalancer, topology.TypeNetworkManager,
		topology.TypeSecurityAdminConfig, topology.TypeAdminRuleCollection, topology.TypeVirtualWAN, topology.TypeVirtualHub} {
		if sc[typ] == 0 {
			t.Errorf("the loader found no %s in the collected snapshot (counts %v)", typ, sc)
		}
	}
	if sk := res.Snapshot.Skipped(); sk["Microsoft.Network/privateDnsZones/SOA"] != 1 || sk["Microsoft.Network/privateDnsZones/TXT"] != 1 {
		t.Errorf("skipped = %v: the loader should count the SOA and TXT records it does not model", sk)
	}
}

// TestRunReferences collects only the spoke subscription: the hub VNet it
// peers with (another subscription) is fetched by ID, and then what the
// hub references in turn (the firewall in its subnet, the firewall's
// policy with its rule collection groups, the IP group a rule names), as
// are the public IP prefix of the spoke's load balancer and the Virtual
// WAN of its virtual hub; the
// VNet in a subscription the credential cannot read is listed as missing
// with the 403 and who references it.
func TestRunReferences(t *testing.T) {
	_, tr := fullEstate()
	m, out, err := runCollect(t, tr, collect.Options{Subscriptions: []string{subSpoke}})
	if err != nil {
		t.Fatal(err)
	}
	_, ref := counts(m)
	for _, typ := range []string{topology.TypeVNet, topology.TypeFirewall, topology.TypeFirewallPolicy,
		topology.TypeRuleCollectionGroup, topology.TypeIPGroup, topology.TypeGateway, topology.TypePublicIP,
		topology.TypePublicIPPrefix, topology.TypeVirtualWAN} {
		if ref[typ] != 1 {
			t.Errorf("%s fetched by reference: %d, want 1", typ, ref[typ])
		}
	}
	if ids := readList(t, out, "virtualNetworks.json"); !slices.Contains(ids, vnetHub) {
		t.Errorf("virtualNetworks.json = %q, want the hub VNet of the other subscription", ids)
	}
	if ids := readList(t, out, "publicIPPrefixes.json"); !slices.Equal(ids, []string{pfxHub}) {
		t.Errorf("publicIPPrefixes.json = %q, want the prefix of the hub subscription", ids)
	}
	if ids := readList(t, out, "virtualWans.json"); !slices.Equal(ids, []string{vwanHub}) {
		t.Errorf("virtualWans.json = %q, want the Virtual WAN of the hub subscription", ids)
	}
	if all, _ := counts(m); all[topology.TypeLoadBalancer] != 1 || all[topology.TypeVirtualHub] != 1 {
		t.Errorf("counts = %v, want the spoke's load balancer and virtual hub listed", all)
	}
	if ref[topology.TypePrivateZone] != 0 || ref[topology.TypeDNSResolver] != 0 || ref[topology.TypeNetworkManager] != 0 {
		t.Errorf("fetched what nothing references: %v", ref)
	}
	var x *collect.MissingReference
	for i := range m.Missing {
		if topology.SameID(m.Missing[i].ID, vnetX) {
			x = &m.Missing[i]
		}
	}
	if x == nil || x.Status != http.StatusForbidden || !strings.Contains(x.Reason, "Reader") ||
		len(x.ReferencedBy) != 1 || !topology.SameID(x.ReferencedBy[0], vnetSpoke+"/virtualNetworkPeerings/spoke-to-x") &&
		!topology.SameID(x.ReferencedBy[0], vnetSpoke) {
		t.Errorf("missing = %+v, want vnet-x refused with 403, referenced by vnet-spoke", m.Missing)
	}
	if m.Complete() {
		t.Error("Complete() with a missing reference")
	}
	// The loader reads it, and names the missing VNet itself.
	if _, err := azure.Load([]string{out}, azure.Options{}); err != nil {
		t.Fatal(err)
	}
}

// TestRunResourceGroupFilter lists only rg-spoke, per resource group, yet
// still fetches the hub it references; rg-other's VNet is not collected.
func TestRunResourceGroupFilter(t *testing.T) {
	_, tr := fullEstate()
	m, out, err := runCollect(t, tr, collect.Options{Subscriptions: []string{subSpoke}, ResourceGroups: []string{"RG-SPOKE"}})
	if err != nil {
		t.Fatal(err)
	}
	ids := readList(t, out, "virtualNetworks.json")
	if !slices.Contains(ids, vnetSpoke) || !slices.Contains(ids, vnetHub) || slices.Contains(ids, vnetOther) {
		t.Errorf("virtualNetworks.json = %q, want vnet-spoke and vnet-hub, not vnet-other", ids)
	}
	for _, c := range tr.Calls() {
		if strings.HasSuffix(c.Path, "/providers/Microsoft.Network/virtualNetworks") && !strings.Contains(c.Path, "/resourceGroups/rg-spoke/") {
			t.Errorf("listed VNets outside the group: %s", c.Path)
		}
	}
	if !slices.Equal(m.ResourceGroups, []string{"RG-SPOKE"}) {
		t.Errorf("manifest resource groups = %q", m.ResourceGroups)
	}
}

// TestRunPartialFailures: a subscription that answers 403 is an error and
// the other is collected whole; a resource provider that is not
// registered is a warning (it can hold no such resource).
func TestRunPartialFailures(t *testing.T) {
	_, tr := fullEstate()
	tr.Fault = denySubscription(subDenied, func(req *http.Request) (*http.Response, error) {
		if strings.HasSuffix(req.URL.Path, "/providers/Microsoft.MachineLearningServices/workspaces") {
			return fakeazure.ARMError(req, http.StatusConflict, "MissingSubscriptionRegistration",
				"The subscription is not registered to use namespace 'Microsoft.MachineLearningServices'."), nil
		}
		return nil, nil
	})
	m, out, err := runCollect(t, tr, collect.Options{Subscriptions: []string{subDenied, subHub}, MaxReferences: -1})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Errors) != 1 || m.Errors[0].Subscription != subDenied || m.Errors[0].Status != http.StatusForbidden || m.Errors[0].Code != "AuthorizationFailed" {
		t.Errorf("errors = %+v, want one 403 for %s", m.Errors, subDenied)
	}
	if m.Subscriptions[0].Listed || !m.Subscriptions[1].Listed {
		t.Errorf("subscriptions = %+v", m.Subscriptions)
	}
	var reg bool
	for _, w := range m.Warnings {
		reg = reg || (w.Code == "MissingSubscriptionRegistration" && w.Type == topology.TypeWorkspace && strings.Contains(w.Message, "not registered"))
	}
	if !reg {
		t.Errorf("warnings = %+v, want the unregistered provider", m.Warnings)
	}
	if ids := readList(t, out, "azureFirewalls.json"); len(ids) != 1 {
		t.Errorf("the readable subscription was not collected: firewalls %q", ids)
	}
	// With references turned off, what the hub references elsewhere is
	// listed as missing, not fetched.
	var off bool
	for _, r := range m.Missing {
		off = off || (topology.SameID(r.ID, vnetSpoke) && strings.Contains(r.Reason, "turned off"))
	}
	if !off {
		t.Errorf("missing = %+v, want vnet-spoke not fetched", m.Missing)
	}
}

// TestRunRetriesThrottling answers the first VNet list and the first
// workspace list (REST) with 429 and Retry-After: 1; azcore's retry policy
// waits the second the header asks for (the test's own retry delay is
// 1 ms) and the run completes without an error.
func TestRunRetriesThrottling(t *testing.T) {
	_, tr := fullEstate()
	var mu sync.Mutex
	seen := map[string][]time.Time{}
	tr.Fault = func(req *http.Request) (*http.Response, error) {
		p := req.URL.Path
		if !strings.HasSuffix(p, "/providers/Microsoft.Network/virtualNetworks") && !strings.HasSuffix(p, "/providers/Microsoft.MachineLearningServices/workspaces") ||
			!strings.Contains(p, subSpoke) {
			return nil, nil
		}
		mu.Lock()
		defer mu.Unlock()
		seen[p] = append(seen[p], time.Now())
		if len(seen[p]) == 1 {
			return fakeazure.ARMError(req, http.StatusTooManyRequests, "TooManyRequests", "throttled", "Retry-After", "1"), nil
		}
		return nil, nil
	}
	m, out, err := runCollect(t, tr, collect.Options{Subscriptions: []string{subSpoke}, MaxReferences: -1})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Errors) != 0 {
		t.Errorf("errors = %+v", m.Errors)
	}
	if len(seen) != 2 {
		t.Fatalf("throttled paths = %v, want the VNet and workspace lists", seen)
	}
	for p, at := range seen {
		if len(at) != 2 || at[1].Sub(at[0]) < 900*time.Millisecond {
			t.Errorf("%s: tries at %v; want a second try after Retry-After's second", p, at)
		}
	}
	if ids := readList(t, out, "workspaces.json"); len(ids) != 1 {
		t.Errorf("workspaces.json = %q", ids)
	}
}

// TestRunDeadline stops a run whose VNet list never answers: the rest is
// written, the manifest names the list the deadline cut, and Run's error
// wraps context.DeadlineExceeded.
func TestRunDeadline(t *testing.T) {
	_, tr := fullEstate()
	tr.Fault = func(req *http.Request) (*http.Response, error) {
		if strings.HasSuffix(req.URL.Path, "/providers/Microsoft.Network/virtualNetworks") {
			<-req.Context().Done()
			return nil, req.Context().Err()
		}
		return nil, nil
	}
	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	m, err := collect.Run(ctx, collect.Options{Out: out, Subscriptions: []string{subHub}, Credential: fakeazure.Credential{}, ClientOptions: tr.Options()})
	if !errors.Is(err, context.DeadlineExceeded) || m == nil {
		t.Fatalf("Run = %v, %v; want a manifest and a deadline error", m, err)
	}
	var cut bool
	for _, p := range m.Errors {
		cut = cut || (p.Type == topology.TypeVNet && strings.Contains(p.Message, "deadline"))
	}
	if !cut {
		t.Errorf("errors = %+v, want the VNet list cut by the deadline", m.Errors)
	}
	if _, err := os.Stat(filepath.Join(out, collect.ManifestFile)); err != nil {
		t.Errorf("no manifest: %v", err)
	}
	if ids := readList(t, out, "azureFirewalls.json"); len(ids) != 1 {
		t.Errorf("firewalls = %q: what answered was not written", ids)
	}
}

// TestRunSendsOnlyGETAndNoToken records every request of runs that hit
// every path (lists, pages, children, references, errors, retries): each
// is a GET carrying the credential's token, and the token appears in no
// file written and not on the progress output.
func TestRunSendsOnlyGETAndNoToken(t *testing.T) {
	_, tr := fullEstate()
	var progress bytes.Buffer
	m, out, err := runCollect(t, tr, collect.Options{Subscriptions: []string{subSpoke, subDenied}, Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	calls := tr.Calls()
	if int64(len(calls)) != m.Requests {
		t.Errorf("manifest counts %d requests, the fake received %d", m.Requests, len(calls))
	}
	for _, c := range calls {
		if c.Method != http.MethodGet {
			t.Errorf("%s %s sent", c.Method, c.Path)
		}
		if c.Auth != "Bearer "+fakeazure.SecretToken {
			t.Errorf("%s %s: Authorization %q", c.Method, c.Path, c.Auth)
		}
	}
	if !strings.Contains(progress.String(), "\rvnetpath collect: ") || !strings.HasSuffix(progress.String(), "\n") {
		t.Errorf("progress = %q", progress.String())
	}
	secret := []string{fakeazure.SecretToken, "SECRET-TOKEN"}
	files, _ := os.ReadDir(out)
	if len(files) < 30 {
		t.Fatalf("%d files written", len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(out, f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range secret {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s holds the token", f.Name())
			}
		}
	}
	for _, s := range secret {
		if strings.Contains(progress.String(), s) {
			t.Error("the progress output holds the token")
		}
	}
}

// TestTypesCoverTopology checks that every type the model knows is
// written, in its own file or inside its parent's.
func TestTypesCoverTopology(t *testing.T) {
	covered := map[string]string{}
	files := map[string]bool{}
	for _, rt := range collect.Types() {
		if files[rt.File] {
			t.Errorf("file %s written twice", rt.File)
		}
		files[rt.File] = true
		covered[strings.ToLower(rt.Type)] = rt.File
		for _, e := range rt.Embeds {
			covered[strings.ToLower(e)] = rt.File
		}
	}
	// Every type the loader models, so that a type added to the model
	// without a collector fails here. topology.TypeRecordSets, the record
	// sets of a zone taken together, is not among them: it names what a
	// zone's numberOfRecordSets implies is missing, never a resource.
	types := topology.Types()
	if len(types) == 0 {
		t.Fatal("topology.Types() lists no type")
	}
	for _, ti := range types {
		file, ok := covered[strings.ToLower(ti.Type)]
		switch {
		case !ok:
			t.Errorf("collect writes no %s", ti.Type)
		case ti.Embedded && file != covered[strings.ToLower(ti.Parent)]:
			t.Errorf("%s comes inside its parent %s, yet collect writes it to %s", ti.Type, ti.Parent, file)
		}
	}
}

// TestManifestAPIVersions checks that the api-version the manifest gives
// for each type is the one its requests carried.
func TestManifestAPIVersions(t *testing.T) {
	_, tr := fullEstate()
	m, _, err := runCollect(t, tr, collect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, tc := range m.Types {
		want[strings.ToLower(tc.Type)] = tc.APIVersion
	}
	checked := map[string]bool{}
	for _, c := range tr.Calls() {
		typ := requestType(c.Path)
		if v, ok := want[strings.ToLower(typ)]; ok && c.APIVersion != "" {
			checked[strings.ToLower(typ)] = true
			if c.APIVersion != v {
				t.Errorf("%s sent with api-version %s; the manifest says %s", c.Path, c.APIVersion, v)
			}
		}
	}
	if len(checked) < 20 {
		t.Errorf("only %d types checked: %v", len(checked), checked)
	}
}

// requestType returns the resource type a request path lists or reads:
// the provider and the type segments after it.
func requestType(path string) string {
	i := strings.LastIndex(strings.ToLower(path), "/providers/")
	if i < 0 {
		return ""
	}
	seg := strings.Split(strings.Trim(path[i+len("/providers/"):], "/"), "/")
	if len(seg) < 2 {
		return ""
	}
	typ := seg[0]
	for j := 1; j < len(seg); j += 2 {
		typ += "/" + seg[j]
	}
	return typ
}

// TestRunOptionsErrors checks what Run refuses before any request.
func TestRunOptionsErrors(t *testing.T) {
	_, tr := fullEstate()
	tests := []struct {
		name string
		opts collect.Options
		want string
	}{
		{"no directory", collect.Options{Credential: fakeazure.Credential{}}, "no output directory"},
		{"no credential", collect.Options{Out: t.TempDir()}, "no credential"},
		{"bad subscription", collect.Options{Out: t.TempDir(), Credential: fakeazure.Credential{}, Subscriptions: []string{"sub-1"}}, `subscription "sub-1" is not a subscription ID`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.ClientOptions = tr.Options()
			m, err := collect.Run(context.Background(), tt.opts)
			if m != nil || err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Run = %v, %v; want an error with %q", m, err, tt.want)
			}
		})
	}
	if n := len(tr.Calls()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
