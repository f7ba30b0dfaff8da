package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestRun runs the program on the estate of this directory and checks
// what its README says of it: the shared subnet and the training subnet
// reach the whole profile; the web subnet bypasses the workspace's private
// endpoint (its VNet is not linked to the privatelink zones), with a zone
// link as the fix; the batch subnet's NSG denies ARM with rule
// DenyAzureResourceManagerOutbound.
func TestRun(t *testing.T) {
	var b strings.Builder
	ok, err := run(".", &b)
	if err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if ok {
		t.Errorf("every answer reachable; the estate has faults on purpose:\n%s", out)
	}
	for _, src := range []string{"vnet-hub/snet-shared", "vnet-spoke-ml/snet-train"} {
		re := regexp.MustCompile(regexp.QuoteMeta(src) + ` → workspace mlw-contoso: reaches (\d+) of (\d+) endpoints\n`)
		if m := re.FindStringSubmatch(out); m == nil || m[1] != m[2] {
			t.Errorf("%s does not reach every endpoint (%q) in:\n%s", src, m, out)
		}
	}
	for _, want := range []string{
		"  private-endpoint-bypassed 8b0f6c1e-5a4d-4e2b-9c3f-2d1e0a9b8c7d.workspace.westeurope.api.azureml.ms (Azure ML workspace API)\n" +
			"    because: privateEndpointBypassed at pe-mlw-contoso\n" +
			"    fix (addZoneLink privatelink.api.azureml.ms): link zone privatelink.api.azureml.ms to VNet vnet-spoke-app\n",
		"  denied-by-nsg management.azure.com (Azure Resource Manager (workspace and compute management))\n" +
			"    because: nsgRuleDenies at nsg-batch (rule DenyAzureResourceManagerOutbound, priority 300)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks\n%s\nin:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "private-endpoint-bypassed "); n != 4 {
		t.Errorf("%d answers bypass the private endpoint; want the four workspace names from snet-web", n)
	}
}
