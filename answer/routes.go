package answer

import "github.com/vnetpath/vnetpath/topology"

// EffectiveRoute is one entry of a subnet's effective routes, in the shape
// of Azure's NetworkInterfaces_GetEffectiveRouteTable response (SPEC §5).
type EffectiveRoute struct {
	Name                       string               `json:"name,omitempty"`
	DisableBGPRoutePropagation bool                 `json:"disableBgpRoutePropagation"`
	Source                     string               `json:"source"` // Default, User or VirtualNetworkGateway
	State                      string               `json:"state"`  // Active or Invalid
	AddressPrefix              []string             `json:"addressPrefix"`
	NextHopIPAddress           []string             `json:"nextHopIpAddress"`
	NextHopType                topology.NextHopType `json:"nextHopType"`
	ServiceTag                 string               `json:"serviceTag,omitempty"` // the tag a route was written with
	Origin                     string               `json:"origin,omitempty"`     // the resource that created the route
}

// RouteTable is the answer of `vnetpath routes`: {"value": [...]} as Azure
// returns it, plus the subnet and warnings.
type RouteTable struct {
	Subnet   string           `json:"subnet"`
	NIC      string           `json:"nic,omitempty"`     // the NIC asked for (routes --nic, --ip), whose subnet's routes these are
	Address  string           `json:"address,omitempty"` // the address asked for (routes --ip)
	Value    []EffectiveRoute `json:"value"`
	Warnings []string         `json:"warnings,omitempty"`
}
