package servicetags_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/servicetags"
)

func TestTagForFQDN(t *testing.T) {
	tests := []struct {
		fqdn, tag, pattern string
	}{
		{"login.microsoftonline.com", "AzureActiveDirectory", "login.microsoftonline.com"},
		{"LOGIN.MicrosoftOnline.com.", "AzureActiveDirectory", "login.microsoftonline.com"},
		{"login.windows.net", "AzureActiveDirectory", "login.windows.net"},
		{"login.microsoft.com", "AzureActiveDirectory", "login.microsoft.com"},
		{"graph.microsoft.com", "AzureActiveDirectory", "graph.microsoft.com"},
		{"graph.windows.net", "AzureActiveDirectory", "graph.windows.net"},
		{"management.azure.com", "AzureResourceManager", "management.azure.com"},
		{"0c3e1a4b-0000-4000-8000-000000000000.workspace.eastus.api.azureml.ms", "AzureMachineLearning", "*.api.azureml.ms"},
		{"0c3e1a4b-0000-4000-8000-000000000000.workspace.eastus.cert.api.azureml.ms", "AzureMachineLearning", "*.api.azureml.ms"},
		{"ml-ws-eastus-0c3e.eastus.notebooks.azure.net", "AzureMachineLearning", "*.notebooks.azure.net"},
		{"ci1.eastus.instances.azureml.ms", "AzureMachineLearning", "*.instances.azureml.ms"},
		{"eastus.tundra.azureml.ms", "AzureMachineLearning", "*.azureml.ms"},
		{"ep1.eastus.inference.ml.azure.com", "AzureMachineLearning", "*.inference.ml.azure.com"},
		{"x.modelmanagement.azureml.net", "AzureMachineLearning", "*.modelmanagement.azureml.net"},
		{"x.azureml.net", "AzureMachineLearning", "*.azureml.net"},
		{"ml.azure.com", "AzureFrontDoor.Frontend", "ml.azure.com"},
		{"mcr.microsoft.com", "MicrosoftContainerRegistry", "mcr.microsoft.com"},
		{"eastus.data.mcr.microsoft.com", "AzureFrontDoor.FirstParty", "*.data.mcr.microsoft.com"},
		{"myregistry.azurecr.io", "AzureContainerRegistry", "*.azurecr.io"},
		{"acct.blob.core.windows.net", "Storage", "*.blob.core.windows.net"},
		{"acct.file.core.windows.net", "Storage", "*.file.core.windows.net"},
		{"acct.queue.core.windows.net", "Storage", "*.queue.core.windows.net"},
		{"acct.table.core.windows.net", "Storage", "*.table.core.windows.net"},
		{"acct.dfs.core.windows.net", "Storage", "*.dfs.core.windows.net"},
		{"acct.z13.web.core.windows.net", "Storage", "*.web.core.windows.net"},
		{"kv1.vault.azure.net", "AzureKeyVault", "*.vault.azure.net"},
		{"pool.CentralUS.batch.azure.com", "BatchNodeManagement.centralus", "*.<region>.batch.azure.com"},
		{"abc.eastus.service.batch.azure.com", "BatchNodeManagement.eastus", "*.<region>.service.batch.azure.com"},
		{"my-fd.azurefd.net", "AzureFrontDoor.Frontend", "*.azurefd.net"},
		{"ws.ods.opinsights.azure.com", "AzureMonitor", "*.ods.opinsights.azure.com"},
		{"ws.oms.opinsights.azure.com", "AzureMonitor", "*.oms.opinsights.azure.com"},
		{"eastus.monitoring.monitor.azure.com", "AzureMonitor", "*.monitor.azure.com"},
		{"eastus-8.in.applicationinsights.azure.com", "AzureMonitor", "*.applicationinsights.azure.com"},
		{"login.microsoftonline.us", "AzureActiveDirectory", "login.microsoftonline.us"},
		{"management.chinacloudapi.cn", "AzureResourceManager", "management.chinacloudapi.cn"},
		// Not in the table.
		{"example.com", "", ""},
		{"blob.core.windows.net", "", ""},      // "*" needs at least one label
		{"api.azureml.ms.evil.com", "", ""},    // suffixes match whole labels
		{"xlogin.microsoftonline.com", "", ""}, // exact names are exact
		{"a..blob.core.windows.net", "", ""},   // empty label
		{"batch.azure.com", "", ""},            // no region label
		{"x.east-us.batch.azure.com", "", ""},  // not a region name
		{"", "", ""},
		{".", "", ""},
	}
	for _, tc := range tests {
		got, ok := servicetags.TagForFQDN(tc.fqdn)
		if ok != (tc.tag != "") || got.Tag != tc.tag || got.Pattern != tc.pattern {
			t.Errorf("TagForFQDN(%q) = %+v, %v; want tag %q pattern %q", tc.fqdn, got, ok, tc.tag, tc.pattern)
		}
		if ok && got.Service == "" {
			t.Errorf("TagForFQDN(%q): no service", tc.fqdn)
		}
	}
}

func TestWellKnownFQDNs(t *testing.T) {
	tbl := servicetags.WellKnownFQDNs()
	if !slices.IsSortedFunc(tbl, func(a, b servicetags.FQDNTag) int { return strings.Compare(a.Pattern, b.Pattern) }) {
		t.Error("table not sorted by pattern")
	}
	for _, e := range tbl {
		// Every pattern matches itself with "*" filled in, and gives its own entry.
		name := strings.ReplaceAll(strings.ReplaceAll(e.Pattern, "*", "x"), "<region>", "westus2")
		got, ok := servicetags.TagForFQDN(name)
		want := strings.ReplaceAll(e.Tag, "<region>", "westus2")
		if !ok || got.Pattern != e.Pattern || got.Tag != want {
			t.Errorf("TagForFQDN(%q) = %+v, want pattern %q tag %q", name, got, e.Pattern, want)
		}
	}
	tbl[0].Tag = "changed"
	if servicetags.WellKnownFQDNs()[0].Tag == "changed" {
		t.Error("WellKnownFQDNs returns the table itself")
	}
}
