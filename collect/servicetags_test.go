package collect_test

import (
	"bytes"
	"context"
	"net/netip"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/vnetpath/vnetpath/collect"
	"github.com/vnetpath/vnetpath/internal/fakeazure"
	"github.com/vnetpath/vnetpath/servicetags"
)

// discovery is a Service Tag Discovery API answer as the SDK models it.
func discovery() armnetwork.ServiceTagsListResult {
	tag := func(name, region, service string, prefixes ...string) *armnetwork.ServiceTagInformation {
		ps := make([]*string, len(prefixes))
		for i := range prefixes {
			ps[i] = &prefixes[i]
		}
		return &armnetwork.ServiceTagInformation{Name: &name, ID: &name, Properties: &armnetwork.ServiceTagInformationPropertiesFormat{
			AddressPrefixes: ps, ChangeNumber: ptr("7"), Region: &region, SystemService: &service}}
	}
	return armnetwork.ServiceTagsListResult{Name: ptr("Public"), ID: ptr("/subscriptions/x/providers/Microsoft.Network/serviceTags/Public"),
		Type: ptr("Microsoft.Network/serviceTags"), ChangeNumber: ptr("63"), Cloud: ptr("Public"),
		Values: []*armnetwork.ServiceTagInformation{
			tag("AzureActiveDirectory", "", "AzureAD", "20.190.128.0/18", "2603:1006:2000::/48"),
			tag("Storage.WestEurope", "westeurope", "AzureStorage", "20.38.108.0/23"),
		}}
}

func ptr[T any](v T) *T { return &v }

// TestFetchServiceTags reads the catalog from the fake Discovery API in the
// first readable subscription, and servicetags parses what it returns.
func TestFetchServiceTags(t *testing.T) {
	e, tr := fullEstate()
	e.ServiceTags = discovery()
	b, err := collect.FetchServiceTags(context.Background(), collect.ServiceTagsOptions{
		Location: "westeurope", Credential: fakeazure.Credential{}, ClientOptions: tr.Options()})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := servicetags.Parse(bytes.NewReader(b), servicetags.Options{})
	if err != nil {
		t.Fatalf("servicetags.Parse: %v\n%s", err, b)
	}
	if cat.Len() != 2 || cat.Cloud() != "Public" || cat.ChangeNumber() != 63 {
		t.Errorf("catalog: %d tags, cloud %q, change %d", cat.Len(), cat.Cloud(), cat.ChangeNumber())
	}
	if m := cat.Lookup(netip.MustParseAddr("20.190.130.1")); len(m) != 1 || m[0].Tag != "AzureActiveDirectory" {
		t.Errorf("Lookup = %+v", m)
	}
	var sub string
	for _, c := range tr.Calls() {
		if c.Method != "GET" {
			t.Errorf("%s %s", c.Method, c.Path)
		}
		if strings.HasSuffix(c.Path, "/locations/westeurope/serviceTags") {
			sub = c.Path
		}
	}
	if !strings.Contains(sub, subHub) {
		t.Errorf("service tags read at %q, want in the first subscription %s", sub, subHub)
	}
}
