package main

import (
	"bytes"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/vnetpath/vnetpath/collect"
	"github.com/vnetpath/vnetpath/internal/fakeazure"
	"github.com/vnetpath/vnetpath/servicetags"
)

const (
	fakeSub   = "11111111-2222-3333-4444-555555555555"
	deniedSub = "dddddddd-0000-4000-8000-00000000000d"
	fakeRG    = "/subscriptions/" + fakeSub + "/resourceGroups/rg/providers/Microsoft.Network/"
)

// useFakeAzure points the commands that read Azure at a fake serving e,
// whose subscription deniedSub answers 403, and returns its transport.
func useFakeAzure(t *testing.T, e *fakeazure.Estate) *fakeazure.Transport {
	t.Helper()
	tr := fakeazure.NewTransport(e)
	tr.Fault = func(req *http.Request) (*http.Response, error) {
		if strings.Contains(req.URL.Path, deniedSub) {
			return fakeazure.ARMError(req, http.StatusForbidden, "AuthorizationFailed", "The client does not have authorization."), nil
		}
		return nil, nil
	}
	old := azureAccess
	azureAccess = func() (collect.Options, error) {
		return collect.Options{Credential: fakeazure.Credential{}, ClientOptions: tr.Options()}, nil
	}
	t.Cleanup(func() { azureAccess = old })
	return tr
}

// smallEstate is a hub VNet with one subnet, a route table and an NSG.
func smallEstate() *fakeazure.Estate {
	e := fakeazure.New()
	e.AddSubscription(fakeSub, "example")
	e.Add(`{"id": "`+fakeRG+`virtualNetworks/hub", "name": "hub", "type": "Microsoft.Network/virtualNetworks", "location": "westeurope",
		"properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": [{"id": "`+fakeRG+`virtualNetworks/hub/subnets/a", "name": "a",
			"properties": {"addressPrefix": "10.0.1.0/24", "routeTable": {"id": "`+fakeRG+`routeTables/rt"}, "networkSecurityGroup": {"id": "`+fakeRG+`networkSecurityGroups/nsg"}}}]}}`,
		`{"id": "`+fakeRG+`routeTables/rt", "name": "rt", "type": "Microsoft.Network/routeTables", "location": "westeurope",
		"properties": {"routes": [{"id": "`+fakeRG+`routeTables/rt/routes/blackhole", "name": "blackhole", "properties": {"addressPrefix": "192.168.0.0/16", "nextHopType": "None"}}]}}`,
		`{"id": "`+fakeRG+`networkSecurityGroups/nsg", "name": "nsg", "type": "Microsoft.Network/networkSecurityGroups", "location": "westeurope", "properties": {}}`)
	return e
}

func TestCollectHelpOnStdout(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if rc := run([]string{"collect", "--help"}, &stdout, &stderr); rc != exitOK {
		t.Fatalf("exit %d, stderr %s", rc, stderr.String())
	}
	for _, want := range []string{"az login", "DefaultAzureCredential", "Reader", "403", "manifest.json", "virtualNetworks.json",
		"Only GET", "vnetpath collect --out snap/", "vnetpath check --snapshot snap/", "-resource-group", "-timeout"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr = %q", stderr.String())
	}
}

func TestCollectUsageErrors(t *testing.T) {
	tr := useFakeAzure(t, smallEstate())
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no --out", []string{"collect"}, "missing --out DIR"},
		{"bad timeout", []string{"collect", "--out", t.TempDir(), "--timeout", "0s"}, "--timeout 0s"},
		{"bad subscription", []string{"collect", "--out", t.TempDir(), "--subscription", "prod"}, `subscription "prod" is not a subscription ID`},
		{"argument", []string{"collect", "--out", t.TempDir(), "extra"}, `unexpected argument "extra"`},
		{"tags update without location", []string{"tags", "--update", "--out", "x.json"}, "--update needs --location"},
		{"tags update with a verb", []string{"tags", "--update", "--location", "westeurope", "--out", "x.json", "show", "X"}, "--update takes no verb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if rc := run(tt.args, &stdout, &stderr); rc != exitUsage || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", rc, stderr.String(), tt.want)
			}
		})
	}
	if n := len(tr.Calls()); n != 0 {
		t.Errorf("%d requests sent on usage errors", n)
	}
}

// TestCollectThenRoutes collects the fake estate and reads the snapshot
// with another command, unchanged; the token is never printed.
func TestCollectThenRoutes(t *testing.T) {
	useFakeAzure(t, smallEstate())
	dir := filepath.Join(t.TempDir(), "snap")
	var stdout, stderr bytes.Buffer
	if rc := run([]string{"collect", "--out", dir}, &stdout, &stderr); rc != exitOK {
		t.Fatalf("collect: exit %d, stderr %s", rc, stderr.String())
	}
	if !strings.Contains(stdout.String(), "wrote 3 resources") || !strings.Contains(stdout.String(), "1 of 1 subscriptions listed") {
		t.Errorf("stdout = %q", stdout.String())
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr = %q (not a terminal: no progress line)", stderr.String())
	}
	var rout, rerr bytes.Buffer
	if rc := run([]string{"routes", "--snapshot", dir, "--subnet", "hub/a", "--format", "json"}, &rout, &rerr); rc != exitOK {
		t.Fatalf("routes: exit %d, stderr %s", rc, rerr.String())
	}
	if !strings.Contains(rout.String(), `"192.168.0.0/16"`) {
		t.Errorf("routes lack the collected user route:\n%s", rout.String())
	}
	for _, s := range []string{stdout.String(), stderr.String()} {
		if strings.Contains(s, fakeazure.SecretToken) {
			t.Error("the token was printed")
		}
	}
}

// TestCollectPartial: a subscription that answers 403 makes the snapshot
// partial (exit 1); the other is written, stderr names the 403, and the
// token appears nowhere.
func TestCollectPartial(t *testing.T) {
	useFakeAzure(t, smallEstate())
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	rc := run([]string{"collect", "--out", dir, "--subscription", fakeSub, "--subscription", deniedSub}, &stdout, &stderr)
	if rc != exitNotReach {
		t.Fatalf("exit %d, want 1; stderr %s", rc, stderr.String())
	}
	if !strings.Contains(stderr.String(), "error: subscription "+deniedSub+": 403 AuthorizationFailed") {
		t.Errorf("stderr = %q", stderr.String())
	}
	files, _ := os.ReadDir(dir)
	for _, f := range files {
		b, _ := os.ReadFile(filepath.Join(dir, f.Name()))
		if bytes.Contains(b, []byte(fakeazure.SecretToken)) {
			t.Errorf("%s holds the token", f.Name())
		}
	}
	if strings.Contains(stdout.String()+stderr.String(), fakeazure.SecretToken) {
		t.Error("the token was printed")
	}
}

// TestTagsUpdate downloads the catalog from the fake Discovery API and
// checks that --service-tags reads the file it wrote.
func TestTagsUpdate(t *testing.T) {
	e := smallEstate()
	name, prefix, change := "AzureActiveDirectory", "20.190.128.0/18", "5"
	e.ServiceTags = armnetwork.ServiceTagsListResult{Name: &name, ChangeNumber: &change, Cloud: new(string),
		Values: []*armnetwork.ServiceTagInformation{{Name: &name, ID: &name, Properties: &armnetwork.ServiceTagInformationPropertiesFormat{
			AddressPrefixes: []*string{&prefix}, ChangeNumber: &change}}}}
	*e.ServiceTags.Cloud = "Public"
	tr := useFakeAzure(t, e)
	file := filepath.Join(t.TempDir(), "tags.json")
	var stdout, stderr bytes.Buffer
	if rc := run([]string{"tags", "--update", "--location", "westeurope", "--out", file}, &stdout, &stderr); rc != exitOK {
		t.Fatalf("exit %d, stderr %s", rc, stderr.String())
	}
	if !strings.Contains(stdout.String(), "wrote 1 service tags (Public cloud, change 5) to "+file) {
		t.Errorf("stdout = %q", stdout.String())
	}
	cat, err := servicetags.ParseFile(file, servicetags.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m := cat.Lookup(netip.MustParseAddr("20.190.130.1")); len(m) != 1 || m[0].Tag != name {
		t.Errorf("Lookup = %+v", m)
	}
	for _, c := range tr.Calls() {
		if c.Method != http.MethodGet {
			t.Errorf("%s %s", c.Method, c.Path)
		}
	}
	var out2, err2 bytes.Buffer
	if rc := run([]string{"tags", "--service-tags", file, "lookup", "20.190.130.1"}, &out2, &err2); rc != exitOK || !strings.Contains(out2.String(), name) {
		t.Errorf("tags lookup on the downloaded file: exit %d\n%s%s", rc, out2.String(), err2.String())
	}
}
