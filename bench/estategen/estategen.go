// Package estategen writes synthetic hub-and-spoke Azure estates as ARM JSON,
// in the per-type file layout that `az ... list -o json` produces, for
// benchmarks and scale tests of vnetpath's loader and engine.
//
// The estate is deterministic: the same number of spokes always gives the
// same bytes. Its shape:
//
//   - a hub VNet 172.16.0.0/16 with AzureFirewallSubnet (Azure Firewall at
//     172.16.1.4 with a public IP), GatewaySubnet and a shared subnet, peered
//     with every spoke;
//   - spoke i (0-based) owns 10.0.0.0/8's i-th /20: a VNet with an
//     application subnet and a private-endpoint subnet, its half of the
//     peering, a route table sending 0.0.0.0/0 to the firewall, an NSG with
//     ten custom rules, a VM NIC, and a private endpoint (with its NIC) to a
//     storage account whose A record sits in the hub-linked zone
//     privatelink.blob.core.windows.net.
package estategen

import (
	"encoding/json"
	"fmt"
	"net/netip"
)

// MaxSpokes is the largest estate Generate writes: 10.0.0.0/8 holds 4,096
// spokes of a /20 each.
const MaxSpokes = 4096

// Subscription is the subscription ID of every generated resource.
const Subscription = "/subscriptions/0b5e7a55-0000-4000-8000-00000000e57a"

const (
	rgNet    = Subscription + "/resourceGroups/rg-net"
	rgDNS    = Subscription + "/resourceGroups/rg-dns"
	rgData   = Subscription + "/resourceGroups/rg-data"
	netProv  = "/providers/Microsoft.Network/"
	location = "westeurope"
	hubVNet  = rgNet + netProv + "virtualNetworks/hub"
	fwID     = rgNet + netProv + "azureFirewalls/fw-hub"
	fwPIP    = rgNet + netProv + "publicIPAddresses/pip-fw-hub"
	fwIP     = "172.16.1.4"
	blobZone = "privatelink.blob.core.windows.net"
	zoneID   = rgDNS + netProv + "privateDnsZones/" + blobZone
)

// obj is a JSON object; encoding/json writes its keys in sorted order, which
// keeps the output deterministic.
type obj = map[string]any

func ref(id string) obj { return obj{"id": id} }

func etag(n int) string { return fmt.Sprintf(`W/"%08x-0000-4000-8000-%012x"`, n, n) }

// spokeBase returns the first address of spoke i's /20.
func spokeBase(i int) netip.Addr {
	n := uint32(10)<<24 | uint32(i)<<12
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
}

func plus(a netip.Addr, n int) netip.Addr {
	b := a.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	v += uint32(n)
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

func prefix(a netip.Addr, bits int) string { return netip.PrefixFrom(a, bits).String() }

// Generate returns the files of an estate with a hub and spokes spokes, by
// file name ("virtualNetworks.json", "routeTables.json", ...). Each file is a
// JSON array of ARM resources. It panics when spokes is negative or above
// [MaxSpokes].
func Generate(spokes int) map[string][]byte {
	if spokes < 0 || spokes > MaxSpokes {
		panic(fmt.Sprintf("estategen.Generate(%d): spokes must be in 0..%d", spokes, MaxSpokes))
	}
	var (
		vnets, rts, nsgs, nics, pes []obj
		records, pips               []obj
	)

	hubPeerings := make([]any, 0, spokes)
	for i := range spokes {
		hubPeerings = append(hubPeerings, peering(hubVNet, fmt.Sprintf("hub-to-spoke-%04d", i), spokeVNetID(i), prefix(spokeBase(i), 20), true, i))
	}
	vnets = append(vnets, obj{
		"id": hubVNet, "name": "hub", "type": "Microsoft.Network/virtualNetworks", "location": location,
		"etag": etag(0),
		"properties": obj{
			"provisioningState": "Succeeded",
			"resourceGuid":      "00000000-0000-4000-8000-000000000000",
			"addressSpace":      obj{"addressPrefixes": []string{"172.16.0.0/16"}},
			"subnets": []any{
				subnet(hubVNet, "AzureFirewallSubnet", "172.16.1.0/26", "", "", 0),
				subnet(hubVNet, "GatewaySubnet", "172.16.2.0/27", "", "", 0),
				subnet(hubVNet, "snet-shared", "172.16.3.0/24", "", "", 0),
			},
			"virtualNetworkPeerings": hubPeerings,
			"enableDdosProtection":   false,
		},
	})
	pips = append(pips, obj{
		"id": fwPIP, "name": "pip-fw-hub", "type": "Microsoft.Network/publicIPAddresses", "location": location,
		"sku": obj{"name": "Standard", "tier": "Regional"},
		"properties": obj{
			"provisioningState": "Succeeded", "ipAddress": "51.105.0.10",
			"publicIPAddressVersion": "IPv4", "publicIPAllocationMethod": "Static", "idleTimeoutInMinutes": 4,
			"ipConfiguration": ref(fwID + "/azureFirewallIpConfigurations/ipconfig"),
		},
	})
	fw := obj{
		"id": fwID, "name": "fw-hub", "type": "Microsoft.Network/azureFirewalls", "location": location,
		"properties": obj{
			"provisioningState": "Succeeded",
			"sku":               obj{"name": "AZFW_VNet", "tier": "Standard"},
			"threatIntelMode":   "Alert",
			"ipConfigurations": []any{obj{
				"id": fwID + "/azureFirewallIpConfigurations/ipconfig", "name": "ipconfig",
				"properties": obj{
					"privateIPAddress": fwIP,
					"subnet":           ref(hubVNet + "/subnets/AzureFirewallSubnet"),
					"publicIPAddress":  ref(fwPIP),
				},
			}},
			"networkRuleCollections": []any{obj{
				"id": fwID + "/networkRuleCollections/allow-azure", "name": "allow-azure",
				"properties": obj{
					"priority": 200, "action": obj{"type": "Allow"},
					"rules": []any{
						netRule("entra", "AzureActiveDirectory"),
						netRule("arm", "AzureResourceManager"),
						netRule("storage", "Storage.WestEurope"),
						obj{"name": "spokes", "protocols": []string{"Any"}, "sourceAddresses": []string{"10.0.0.0/8"},
							"destinationAddresses": []string{"10.0.0.0/8"}, "destinationPorts": []string{"*"}},
					},
				},
			}},
			"applicationRuleCollections": []any{},
			"natRuleCollections":         []any{},
			"additionalProperties":       obj{"Network.DNS.EnableProxy": "true"},
		},
	}

	zone := obj{
		"id": zoneID, "name": blobZone, "type": "Microsoft.Network/privateDnsZones", "location": "global",
		"etag": etag(1),
		"properties": obj{
			"maxNumberOfRecordSets": 25000, "numberOfRecordSets": spokes + 1,
			"maxNumberOfVirtualNetworkLinks": 1000, "numberOfVirtualNetworkLinks": 1,
			"provisioningState": "Succeeded",
		},
	}
	link := obj{
		"id": zoneID + "/virtualNetworkLinks/link-hub", "name": "link-hub",
		"type": "Microsoft.Network/privateDnsZones/virtualNetworkLinks", "location": "global",
		"etag": etag(2),
		"properties": obj{
			"virtualNetwork": ref(hubVNet), "registrationEnabled": false,
			"resolutionPolicy": "Default", "virtualNetworkLinkState": "Completed", "provisioningState": "Succeeded",
		},
	}

	for i := range spokes {
		base := spokeBase(i)
		vnetID := spokeVNetID(i)
		name := fmt.Sprintf("spoke-%04d", i)
		rtID := rgNet + netProv + "routeTables/rt-" + name
		nsgID := rgNet + netProv + "networkSecurityGroups/nsg-" + name
		appSubnet := vnetID + "/subnets/snet-app"
		peSubnet := vnetID + "/subnets/snet-pe"
		vnets = append(vnets, obj{
			"id": vnetID, "name": name, "type": "Microsoft.Network/virtualNetworks", "location": location,
			"etag": etag(i + 10),
			"properties": obj{
				"provisioningState": "Succeeded",
				"resourceGuid":      fmt.Sprintf("%08x-1111-4000-8000-000000000000", i),
				"addressSpace":      obj{"addressPrefixes": []string{prefix(base, 20)}},
				"dhcpOptions":       obj{"dnsServers": []string{fwIP}},
				"subnets": []any{
					subnet(vnetID, "snet-app", prefix(base, 24), rtID, nsgID, i),
					subnet(vnetID, "snet-pe", prefix(plus(base, 256), 24), "", "", i),
				},
				"virtualNetworkPeerings": []any{peering(vnetID, "to-hub", hubVNet, "172.16.0.0/16", false, i)},
				"enableDdosProtection":   false,
			},
		})
		rts = append(rts, obj{
			"id": rtID, "name": "rt-" + name, "type": "Microsoft.Network/routeTables", "location": location,
			"etag": etag(i + 10),
			"properties": obj{
				"provisioningState":          "Succeeded",
				"disableBgpRoutePropagation": true,
				"routes": []any{obj{
					"id": rtID + "/routes/default-to-fw", "name": "default-to-fw",
					"type": "Microsoft.Network/routeTables/routes",
					"properties": obj{
						"provisioningState": "Succeeded", "addressPrefix": "0.0.0.0/0",
						"nextHopType": "VirtualAppliance", "nextHopIpAddress": fwIP,
					},
				}},
				"subnets": []any{ref(appSubnet)},
			},
		})
		nsgs = append(nsgs, nsg(nsgID, "nsg-"+name, prefix(base, 20), appSubnet, i))
		nics = append(nics, vmNIC(i, appSubnet, plus(base, 4)))
		peID := rgData + netProv + "privateEndpoints/pe-st" + fmt.Sprintf("%04d", i)
		peNICID := rgData + netProv + fmt.Sprintf("networkInterfaces/pe-st%04d.nic.%08x-2222-4000-8000-000000000000", i, i)
		account := fmt.Sprintf("stspoke%04d", i)
		fqdn := account + ".blob.core.windows.net"
		peIP := plus(base, 256+4)
		nics = append(nics, peNIC(peNICID, peID, peSubnet, peIP, fqdn, i))
		pes = append(pes, obj{
			"id": peID, "name": fmt.Sprintf("pe-st%04d", i), "type": "Microsoft.Network/privateEndpoints", "location": location,
			"etag": etag(i + 10),
			"properties": obj{
				"provisioningState": "Succeeded",
				"subnet":            ref(peSubnet),
				"networkInterfaces": []any{ref(peNICID)},
				"privateLinkServiceConnections": []any{obj{
					"id": peID + "/privateLinkServiceConnections/blob", "name": "blob",
					"properties": obj{
						"provisioningState":    "Succeeded",
						"privateLinkServiceId": rgData + "/providers/Microsoft.Storage/storageAccounts/" + account,
						"groupIds":             []string{"blob"},
						"privateLinkServiceConnectionState": obj{
							"status": "Approved", "description": "Auto-Approved", "actionsRequired": "None",
						},
					},
				}},
				"manualPrivateLinkServiceConnections": []any{},
				"customDnsConfigs":                    []any{obj{"fqdn": fqdn, "ipAddresses": []string{peIP.String()}}},
			},
		})
		records = append(records, obj{
			"id": zoneID + "/A/" + account, "name": account, "type": "Microsoft.Network/privateDnsZones/A",
			"etag": etag(i + 10),
			"properties": obj{
				"ttl": 10, "fqdn": account + "." + blobZone + ".", "isAutoRegistered": false,
				"aRecords": []any{obj{"ipv4Address": peIP.String()}},
			},
		})
	}

	// The zone's SOA record set: numberOfRecordSets counts it.
	records = append(records, obj{
		"id": zoneID + "/SOA/@", "name": "@", "type": "Microsoft.Network/privateDnsZones/SOA",
		"etag": etag(3),
		"properties": obj{
			"ttl": 3600, "fqdn": blobZone + ".", "isAutoRegistered": false,
			"soaRecord": obj{"email": "azureprivatedns-host.microsoft.com", "expireTime": 2419200, "host": "azureprivatedns.net",
				"minimumTtl": 10, "refreshTime": 3600, "retryTime": 300, "serialNumber": 1},
		},
	})

	files := map[string][]any{
		"virtualNetworks.json":                     asAny(vnets),
		"routeTables.json":                         asAny(rts),
		"networkSecurityGroups.json":               asAny(nsgs),
		"networkInterfaces.json":                   asAny(nics),
		"privateEndpoints.json":                    asAny(pes),
		"publicIPAddresses.json":                   asAny(pips),
		"azureFirewalls.json":                      {fw},
		"privateDnsZones.json":                     {zone},
		"privateDnsZones-recordSets.json":          asAny(records),
		"privateDnsZones-virtualNetworkLinks.json": {link},
	}
	out := make(map[string][]byte, len(files))
	for name, v := range files {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			panic(err) // plain maps and slices always marshal
		}
		out[name] = append(b, '\n')
	}
	return out
}

func asAny(xs []obj) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

func spokeVNetID(i int) string { return fmt.Sprintf(rgNet+netProv+"virtualNetworks/spoke-%04d", i) }

func subnet(vnetID, name, pfx, rt, nsg string, i int) obj {
	props := obj{
		"provisioningState":                 "Succeeded",
		"addressPrefix":                     pfx,
		"privateEndpointNetworkPolicies":    "Disabled",
		"privateLinkServiceNetworkPolicies": "Enabled",
		"delegations":                       []any{},
	}
	if rt != "" {
		props["routeTable"] = ref(rt)
	}
	if nsg != "" {
		props["networkSecurityGroup"] = ref(nsg)
	}
	return obj{
		"id": vnetID + "/subnets/" + name, "name": name, "etag": etag(i + 10),
		"type": "Microsoft.Network/virtualNetworks/subnets", "properties": props,
	}
}

func peering(vnetID, name, remote, remotePrefix string, hub bool, i int) obj {
	return obj{
		"id": vnetID + "/virtualNetworkPeerings/" + name, "name": name, "etag": etag(i + 10),
		"type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
		"properties": obj{
			"provisioningState":                "Succeeded",
			"resourceGuid":                     fmt.Sprintf("%08x-3333-4000-8000-000000000000", i),
			"peeringState":                     "Connected",
			"peeringSyncLevel":                 "FullyInSync",
			"remoteVirtualNetwork":             ref(remote),
			"allowVirtualNetworkAccess":        true,
			"allowForwardedTraffic":            true,
			"allowGatewayTransit":              hub,
			"useRemoteGateways":                false,
			"doNotVerifyRemoteGateways":        false,
			"peerCompleteVnets":                true,
			"remoteAddressSpace":               obj{"addressPrefixes": []string{remotePrefix}},
			"remoteVirtualNetworkAddressSpace": obj{"addressPrefixes": []string{remotePrefix}},
		},
	}
}

func netRule(name, tag string) obj {
	return obj{
		"name": name, "protocols": []string{"TCP"}, "sourceAddresses": []string{"10.0.0.0/8"},
		"destinationAddresses": []string{tag}, "destinationPorts": []string{"443"},
	}
}

// nsg returns an NSG with ten custom rules and the six default rules Azure
// lists with every NSG.
func nsg(id, name, space, subnetID string, i int) obj {
	rule := func(name string, prio int, dir, access, proto, src, dst, dport string) obj {
		return obj{
			"id": id + "/securityRules/" + name, "name": name, "etag": etag(i + 10),
			"type": "Microsoft.Network/networkSecurityGroups/securityRules",
			"properties": obj{
				"provisioningState": "Succeeded", "priority": prio, "direction": dir, "access": access,
				"protocol": proto, "sourceAddressPrefix": src, "sourcePortRange": "*",
				"destinationAddressPrefix": dst, "destinationPortRange": dport,
				"sourceAddressPrefixes": []string{}, "destinationAddressPrefixes": []string{},
				"sourcePortRanges": []string{}, "destinationPortRanges": []string{},
			},
		}
	}
	custom := []any{
		rule("allow-https-in", 100, "Inbound", "Allow", "Tcp", "VirtualNetwork", space, "443"),
		rule("allow-ssh-from-hub", 110, "Inbound", "Allow", "Tcp", "172.16.3.0/24", space, "22"),
		rule("allow-lb-probe", 120, "Inbound", "Allow", "*", "AzureLoadBalancer", "*", "*"),
		rule("allow-aml-in", 130, "Inbound", "Allow", "Tcp", "AzureMachineLearning", "*", "44224"),
		rule("deny-rdp", 4000, "Inbound", "Deny", "Tcp", "*", "*", "3389"),
		rule("allow-entra", 100, "Outbound", "Allow", "Tcp", "*", "AzureActiveDirectory", "443"),
		rule("allow-arm", 110, "Outbound", "Allow", "Tcp", "*", "AzureResourceManager", "443"),
		rule("allow-storage", 120, "Outbound", "Allow", "Tcp", "*", "Storage.WestEurope", "443"),
		rule("allow-dns", 130, "Outbound", "Allow", "*", "*", fwIP, "53"),
		rule("allow-hub", 140, "Outbound", "Allow", "*", "*", "172.16.0.0/16", "*"),
	}
	def := func(name string, prio int, dir, access, src, dst string) obj {
		return obj{
			"id": id + "/defaultSecurityRules/" + name, "name": name, "etag": etag(i + 10),
			"type": "Microsoft.Network/networkSecurityGroups/defaultSecurityRules",
			"properties": obj{
				"provisioningState": "Succeeded", "description": "Default rule", "priority": prio,
				"direction": dir, "access": access, "protocol": "*", "sourcePortRange": "*",
				"destinationPortRange": "*", "sourceAddressPrefix": src, "destinationAddressPrefix": dst,
				"sourceAddressPrefixes": []string{}, "destinationAddressPrefixes": []string{},
				"sourcePortRanges": []string{}, "destinationPortRanges": []string{},
			},
		}
	}
	defaults := []any{
		def("AllowVnetInBound", 65000, "Inbound", "Allow", "VirtualNetwork", "VirtualNetwork"),
		def("AllowAzureLoadBalancerInBound", 65001, "Inbound", "Allow", "AzureLoadBalancer", "*"),
		def("DenyAllInBound", 65500, "Inbound", "Deny", "*", "*"),
		def("AllowVnetOutBound", 65000, "Outbound", "Allow", "VirtualNetwork", "VirtualNetwork"),
		def("AllowInternetOutBound", 65001, "Outbound", "Allow", "*", "Internet"),
		def("DenyAllOutBound", 65500, "Outbound", "Deny", "*", "*"),
	}
	return obj{
		"id": id, "name": name, "type": "Microsoft.Network/networkSecurityGroups", "location": location,
		"etag": etag(i + 10),
		"properties": obj{
			"provisioningState":    "Succeeded",
			"resourceGuid":         fmt.Sprintf("%08x-4444-4000-8000-000000000000", i),
			"securityRules":        custom,
			"defaultSecurityRules": defaults,
			"subnets":              []any{ref(subnetID)},
		},
	}
}

func vmNIC(i int, subnetID string, ip netip.Addr) obj {
	id := fmt.Sprintf(rgNet+netProv+"networkInterfaces/nic-vm-%04d", i)
	return obj{
		"id": id, "name": fmt.Sprintf("nic-vm-%04d", i), "type": "Microsoft.Network/networkInterfaces", "location": location,
		"etag": etag(i + 10),
		"properties": obj{
			"provisioningState": "Succeeded",
			"ipConfigurations": []any{obj{
				"id": id + "/ipConfigurations/ipconfig1", "name": "ipconfig1",
				"type": "Microsoft.Network/networkInterfaces/ipConfigurations",
				"properties": obj{
					"provisioningState": "Succeeded", "privateIPAddress": ip.String(),
					"privateIPAllocationMethod": "Dynamic", "privateIPAddressVersion": "IPv4",
					"subnet": ref(subnetID), "primary": true,
				},
			}},
			"dnsSettings":                 obj{"dnsServers": []string{}, "appliedDnsServers": []string{}},
			"enableAcceleratedNetworking": true,
			"enableIPForwarding":          false,
			"primary":                     true,
			"macAddress":                  fmt.Sprintf("00-0D-3A-%02X-%02X-%02X", (i>>16)&0xff, (i>>8)&0xff, i&0xff),
			"virtualMachine":              ref(fmt.Sprintf(Subscription+"/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm-%04d", i)),
			"nicType":                     "Standard",
		},
	}
}

func peNIC(id, peID, subnetID string, ip netip.Addr, fqdn string, i int) obj {
	return obj{
		"id": id, "name": topologyName(id), "type": "Microsoft.Network/networkInterfaces", "location": location,
		"etag": etag(i + 10),
		"properties": obj{
			"provisioningState": "Succeeded",
			"ipConfigurations": []any{obj{
				"id": id + "/ipConfigurations/privateEndpointIpConfig.blob", "name": "privateEndpointIpConfig.blob",
				"type": "Microsoft.Network/networkInterfaces/ipConfigurations",
				"properties": obj{
					"provisioningState": "Succeeded", "privateIPAddress": ip.String(),
					"privateIPAllocationMethod": "Dynamic", "privateIPAddressVersion": "IPv4",
					"subnet": ref(subnetID), "primary": true,
					"privateLinkConnectionProperties": obj{
						"groupId": "blob", "requiredMemberName": "blob", "fqdns": []string{fqdn},
					},
				},
			}},
			"dnsSettings":        obj{"dnsServers": []string{}, "appliedDnsServers": []string{}},
			"enableIPForwarding": false,
			"privateEndpoint":    ref(peID),
			"nicType":            "Standard",
		},
	}
}

func topologyName(id string) string {
	for i := len(id) - 1; i >= 0; i-- {
		if id[i] == '/' {
			return id[i+1:]
		}
	}
	return id
}
