package servicetags

import (
	"cmp"
	"slices"
	"strings"
)

// FQDNTag is an entry of the table of well-known public names and the
// service tags whose addresses serve them (reference §4.3, §6.3). The zero
// value is no entry.
type FQDNTag struct {
	// Pattern is the name or name pattern, lower-case: an exact name
	// ("login.microsoftonline.com"), "*." and a suffix, where "*" stands
	// for one or more labels ("*.blob.core.windows.net"), and possibly a
	// "<region>" label that stands for one region name
	// ("*.<region>.batch.azure.com").
	Pattern string `json:"pattern"`
	// Tag is the service tag. In the table a regional tag reads
	// "BatchNodeManagement.<region>"; [TagForFQDN] fills the region in.
	Tag string `json:"tag"`
	// Service is the purpose in words, e.g. "Entra ID".
	Service string `json:"service"`
}

// fqdnTable is the table, sorted by pattern. The choices:
//
//   - ml.azure.com (the studio) is served by Azure Front Door, so it maps
//     to AzureFrontDoor.Frontend, as the reference §4.3 and §6.3 say,
//     rather than to AzureMachineLearning.
//   - *.data.mcr.microsoft.com (MCR's data endpoints) is served from
//     AzureFrontDoor.FirstParty, while mcr.microsoft.com is
//     MicrosoftContainerRegistry (reference §4.3).
//   - Storage names map to the global Storage tag: the account's region is
//     not in its name.
//   - The Government and China names of Entra ID, ARM and Storage map to
//     the same tags, which those clouds' catalogs list.
var fqdnTable = func() []FQDNTag {
	t := []FQDNTag{
		{"login.microsoftonline.com", "AzureActiveDirectory", "Entra ID"},
		{"login.windows.net", "AzureActiveDirectory", "Entra ID"},
		{"login.microsoft.com", "AzureActiveDirectory", "Entra ID"},
		{"graph.microsoft.com", "AzureActiveDirectory", "Microsoft Graph"},
		{"graph.windows.net", "AzureActiveDirectory", "Azure AD Graph"},
		{"login.microsoftonline.us", "AzureActiveDirectory", "Entra ID (Azure Government)"},
		{"login.chinacloudapi.cn", "AzureActiveDirectory", "Entra ID (Azure China)"},

		{"management.azure.com", "AzureResourceManager", "Azure Resource Manager"},
		{"management.usgovcloudapi.net", "AzureResourceManager", "Azure Resource Manager (Azure Government)"},
		{"management.chinacloudapi.cn", "AzureResourceManager", "Azure Resource Manager (Azure China)"},

		{"*.api.azureml.ms", "AzureMachineLearning", "Azure Machine Learning workspace API"},
		{"*.instances.azureml.ms", "AzureMachineLearning", "Azure Machine Learning compute instance"},
		{"*.azureml.ms", "AzureMachineLearning", "Azure Machine Learning"},
		{"*.instances.azureml.net", "AzureMachineLearning", "Azure Machine Learning compute instance"},
		{"*.modelmanagement.azureml.net", "AzureMachineLearning", "Azure Machine Learning model management"},
		{"*.azureml.net", "AzureMachineLearning", "Azure Machine Learning"},
		{"*.notebooks.azure.net", "AzureMachineLearning", "Azure Machine Learning notebooks"},
		{"*.inference.ml.azure.com", "AzureMachineLearning", "Azure Machine Learning online endpoints"},
		{"ml.azure.com", "AzureFrontDoor.Frontend", "Azure Machine Learning studio"},

		{"mcr.microsoft.com", "MicrosoftContainerRegistry", "Microsoft Container Registry"},
		{"*.data.mcr.microsoft.com", "AzureFrontDoor.FirstParty", "Microsoft Container Registry data"},
		{"*.azurecr.io", "AzureContainerRegistry", "Azure Container Registry"},

		{"*.blob.core.windows.net", "Storage", "Azure Storage (blob)"},
		{"*.file.core.windows.net", "Storage", "Azure Storage (file)"},
		{"*.queue.core.windows.net", "Storage", "Azure Storage (queue)"},
		{"*.table.core.windows.net", "Storage", "Azure Storage (table)"},
		{"*.dfs.core.windows.net", "Storage", "Azure Storage (Data Lake)"},
		{"*.web.core.windows.net", "Storage", "Azure Storage (static website)"},
		{"*.blob.core.usgovcloudapi.net", "Storage", "Azure Storage (blob, Azure Government)"},
		{"*.file.core.usgovcloudapi.net", "Storage", "Azure Storage (file, Azure Government)"},
		{"*.blob.core.chinacloudapi.cn", "Storage", "Azure Storage (blob, Azure China)"},
		{"*.file.core.chinacloudapi.cn", "Storage", "Azure Storage (file, Azure China)"},

		{"*.vault.azure.net", "AzureKeyVault", "Azure Key Vault"},

		{"*.<region>.batch.azure.com", "BatchNodeManagement.<region>", "Azure Batch"},
		{"*.<region>.service.batch.azure.com", "BatchNodeManagement.<region>", "Azure Batch node management"},

		{"*.azurefd.net", "AzureFrontDoor.Frontend", "Azure Front Door"},

		{"*.ods.opinsights.azure.com", "AzureMonitor", "Azure Monitor (Log Analytics data)"},
		{"*.oms.opinsights.azure.com", "AzureMonitor", "Azure Monitor (Log Analytics agent)"},
		{"*.monitor.azure.com", "AzureMonitor", "Azure Monitor"},
		{"*.applicationinsights.azure.com", "AzureMonitor", "Application Insights"},
	}
	slices.SortFunc(t, func(a, b FQDNTag) int { return cmp.Compare(a.Pattern, b.Pattern) })
	return t
}()

// fqdnPattern is a table entry split into labels, for matching.
type fqdnPattern struct {
	entry    FQDNTag
	wildcard bool     // the first label is "*"
	labels   []string // the labels after "*", or all of them
	literal  int      // labels that are neither "*" nor "<region>"
}

const regionLabel = "<region>"

// fqdnPatterns holds the table most specific first: more literal labels
// first, then exact names before wildcards.
var fqdnPatterns = func() []fqdnPattern {
	ps := make([]fqdnPattern, 0, len(fqdnTable))
	for _, e := range fqdnTable {
		labels := strings.Split(e.Pattern, ".")
		p := fqdnPattern{entry: e}
		if labels[0] == "*" {
			p.wildcard, labels = true, labels[1:]
		}
		p.labels = labels
		for _, l := range labels {
			if l != regionLabel {
				p.literal++
			}
		}
		ps = append(ps, p)
	}
	slices.SortStableFunc(ps, func(a, b fqdnPattern) int {
		if c := cmp.Compare(b.literal, a.literal); c != 0 {
			return c
		}
		switch {
		case a.wildcard == b.wildcard:
			return 0
		case b.wildcard:
			return -1
		}
		return 1
	})
	return ps
}()

// WellKnownFQDNs returns the table [TagForFQDN] consults, sorted by
// pattern. The slice is the caller's.
func WellKnownFQDNs() []FQDNTag {
	return slices.Clone(fqdnTable)
}

// TagForFQDN returns the service tag whose addresses serve the public name
// fqdn, and the table entry that matched (see [WellKnownFQDNs]). Matching
// is case-insensitive and ignores a trailing dot; the most specific
// pattern wins ("x.eastus.service.batch.azure.com" matches
// "*.<region>.service.batch.azure.com", not "*.<region>.batch.azure.com").
// A regional pattern fills the region in from the name, in the name's
// lower case: "pool.centralus.batch.azure.com" gives
// "BatchNodeManagement.centralus" ([Catalog.Expand] matches it
// case-insensitively). A name that matches nothing gives false.
func TagForFQDN(fqdn string) (FQDNTag, bool) {
	name := strings.ToLower(strings.TrimSuffix(fqdn, "."))
	if name == "" {
		return FQDNTag{}, false
	}
	labels := strings.Split(name, ".")
	for _, p := range fqdnPatterns {
		if region, ok := p.match(labels); ok {
			e := p.entry
			if region != "" {
				e.Tag = strings.Replace(e.Tag, regionLabel, region, 1)
			}
			return e, true
		}
	}
	return FQDNTag{}, false
}

// match reports whether the name's labels match p, and the region label.
func (p *fqdnPattern) match(labels []string) (region string, ok bool) {
	if p.wildcard {
		if len(labels) <= len(p.labels) {
			return "", false
		}
		for _, l := range labels[:len(labels)-len(p.labels)] {
			if l == "" {
				return "", false
			}
		}
		labels = labels[len(labels)-len(p.labels):]
	} else if len(labels) != len(p.labels) {
		return "", false
	}
	for i, want := range p.labels {
		switch {
		case want == regionLabel:
			if !isRegionName(labels[i]) {
				return "", false
			}
			region = labels[i]
		case labels[i] != want:
			return "", false
		}
	}
	return region, true
}

// isRegionName reports whether l can be an Azure region name: letters and
// digits only.
func isRegionName(l string) bool {
	if l == "" {
		return false
	}
	for i := 0; i < len(l); i++ {
		if c := l[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
