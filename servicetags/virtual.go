package servicetags

import "strings"

// Virtual tags: names NSG rules accept that are in no service-tag file,
// because their addresses depend on where the rule applies. The engine
// computes them per subnet (reference §3.7): VirtualNetwork is the VNet's
// ranges, its connected peers', gateway-learned ranges, the subnet's UDR
// prefixes and 168.63.129.16; Internet is public space outside that;
// AzureLoadBalancer is the health-probe source 168.63.129.16 (reference
// §3.6). A [Catalog] never resolves them.
const (
	VirtualNetwork    = "VirtualNetwork"
	Internet          = "Internet"
	AzureLoadBalancer = "AzureLoadBalancer"
)

// Platform tags: names NSG rules accept to block platform services that
// NSGs otherwise never filter (reference §3.6). They are in no
// service-tag file: AzurePlatformDNS is Azure DNS at 168.63.129.16,
// AzurePlatformIMDS is the instance metadata service at 169.254.169.254,
// AzurePlatformLKM is Windows licensing (KMS).
const (
	AzurePlatformDNS  = "AzurePlatformDNS"
	AzurePlatformIMDS = "AzurePlatformIMDS"
	AzurePlatformLKM  = "AzurePlatformLKM"
)

// IsVirtual reports whether name is one of the virtual tags
// VirtualNetwork, Internet or AzureLoadBalancer, case-insensitively.
func IsVirtual(name string) bool {
	return strings.EqualFold(name, VirtualNetwork) || strings.EqualFold(name, Internet) || strings.EqualFold(name, AzureLoadBalancer)
}

// IsPlatform reports whether name is one of the platform tags
// AzurePlatformDNS, AzurePlatformIMDS or AzurePlatformLKM,
// case-insensitively.
func IsPlatform(name string) bool {
	return strings.EqualFold(name, AzurePlatformDNS) || strings.EqualFold(name, AzurePlatformIMDS) || strings.EqualFold(name, AzurePlatformLKM)
}
