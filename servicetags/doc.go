// Package servicetags reads Azure service-tag catalogs and answers which
// tags contain an address, what a tag expands to, where a tag may be used,
// and how two catalogs differ (reference §4).
//
// [Parse] and [ParseFile] stream the weekly download files
// (ServiceTags_Public_YYYYMMDD.json and the Government and China files) and
// Service Tag Discovery API responses into a [Catalog]: immutable, safe for
// concurrent use, indexed on a longest-prefix-match trie so that
// [Catalog.Lookup] costs one trie lookup. [Catalog.Expand] resolves a tag,
// global or regional, to a [cidr.Set]; [Catalog.CheckUse] says whether a
// tag may be used in an NSG rule, a route table or an Azure Firewall rule;
// [Diff] compares two catalogs.
//
// Some names never come from a catalog: the virtual tags VirtualNetwork,
// Internet and AzureLoadBalancer depend on the subnet ([IsVirtual]), and
// the platform tags AzurePlatformDNS, AzurePlatformIMDS and
// AzurePlatformLKM are not published ([IsPlatform]). [TagForFQDN] maps
// well-known public names (login.microsoftonline.com,
// management.azure.com, the Azure Machine Learning, Front Door, registry,
// storage and Batch names) to the tags that serve them, without DNS.
//
// The API uses net/netip and cidr types only; the trie is internal.
package servicetags
