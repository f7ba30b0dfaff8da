package estategen

import (
	"strconv"
	"strings"
)

const (
	location  = "westeurope"
	tagRegion = "WestEurope" // region suffix of regional service tags
	netProv   = "/providers/Microsoft.Network/"
	rgConn    = "rg-connectivity"
	rgDNS     = "rg-dns"
)

// subscriptionID returns the ID of subscription k: 0 is connectivity, k ≥ 1
// the k-th landing zone.
func subscriptionID(k int) string {
	h := strconv.FormatUint(uint64(k), 16)
	return "/subscriptions/0b5e7a55-" + pad(h, 4) + "-4000-8000-" + pad(h, 12)
}

func pad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return strings.Repeat("0", n-len(s)) + s
}

// subscriptionDir returns the directory of subscription k in the output.
func subscriptionDir(k int) string {
	if k == 0 {
		return "connectivity"
	}
	return "lz-" + pad(strconv.Itoa(k), 3)
}

func spokeSubscription(i int) int { return 1 + i/SpokesPerSubscription }

var (
	connRG = subscriptionID(0) + "/resourceGroups/" + rgConn + netProv
	dnsRG  = subscriptionID(0) + "/resourceGroups/" + rgDNS + netProv

	firewallID       = connRG + "azureFirewalls/fw-hub-0"
	firewallPolicyID = connRG + "firewallPolicies/fwp-hub-0"
	ipGroupSpokesID  = connRG + "ipGroups/ipg-spokes"
	ipGroupHubsID    = connRG + "ipGroups/ipg-hubs"
	ipGroupOnPremID  = connRG + "ipGroups/ipg-onprem"
	gatewayID        = connRG + "virtualNetworkGateways/vgw-hub-0"
	localGatewayID   = connRG + "localNetworkGateways/lgw-onprem"
	connectionID     = connRG + "connections/cn-onprem"
	resolverID       = connRG + "dnsResolvers/dnspr-hub-0"
	rulesetID        = connRG + "dnsForwardingRulesets/dnsrs-hub-0"
)

func spokeName(i int) string     { return "spoke-" + pad(strconv.Itoa(i), 5) }
func spokeVNetName(i int) string { return "vnet-" + spokeName(i) }
func nsgName(i int) string       { return "nsg-" + spokeName(i) }
func routeTableName(i int) string {
	return "rt-" + spokeName(i)
}

// spokeRG returns the prefix of the IDs of spoke i's network resources.
func spokeRG(i int) string {
	return subscriptionID(spokeSubscription(i)) + "/resourceGroups/rg-" + spokeName(i) + netProv
}

func spokeVNetID(i int) string  { return spokeRG(i) + "virtualNetworks/" + spokeVNetName(i) }
func nsgID(i int) string        { return spokeRG(i) + "networkSecurityGroups/" + nsgName(i) }
func routeTableID(i int) string { return spokeRG(i) + "routeTables/" + routeTableName(i) }

func hubName(k int) string     { return "hub-" + strconv.Itoa(k) }
func hubVNetName(k int) string { return "vnet-" + hubName(k) }
func hubVNetID(k int) string   { return connRG + "virtualNetworks/" + hubVNetName(k) }

func zoneID(zone string) string { return dnsRG + "privateDnsZones/" + zone }

// nameOf returns the last segment of an ARM ID.
func nameOf(id string) string { return id[strings.LastIndexByte(id, '/')+1:] }

// resourceGroupOf returns the resource group named in an ARM ID.
func resourceGroupOf(id string) string {
	const seg = "/resourceGroups/"
	i := strings.Index(id, seg)
	if i < 0 {
		return ""
	}
	rest := id[i+len(seg):]
	if j := strings.IndexByte(rest, '/'); j >= 0 {
		return rest[:j]
	}
	return rest
}

// hash is FNV-1a over the concatenation of parts and a salt.
func hash(salt byte, parts ...string) (uint64, uint64) {
	h := uint64(14695981039346656037)
	for _, p := range parts {
		for i := 0; i < len(p); i++ {
			h ^= uint64(p[i])
			h *= 1099511628211
		}
	}
	h ^= uint64(salt)
	h *= 1099511628211
	return h, h * 0x9e3779b97f4a7c15
}

// stamp returns a deterministic GUID-shaped value for a resource: a hash
// of its ID and a salt, so that etags and resource GUIDs do not depend on
// the order resources are written in.
func stamp(id string, salt byte) string {
	var g [36]byte
	a, b := hash(salt, id)
	return string(appendGUID(g[:0], a, b))
}

func resourceGUID(id string) string { return stamp(id, 'g') }
