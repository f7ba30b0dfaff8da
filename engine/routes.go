package engine

import (
	"fmt"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/route"
	"github.com/vnetpath/vnetpath/topology"
)

// EffectiveRoutes returns the effective routes of a subnet (an ARM ID or
// VNET/SUBNET): system routes, peering, private-endpoint, gateway and
// service-endpoint routes and the user routes of its table, each Active or
// Invalid as Azure selects them (reference §1).
func (e *Engine) EffectiveRoutes(subnet string) (*RouteTable, error) {
	sns := e.snap.FindSubnets(subnet)
	switch {
	case len(sns) == 0:
		return nil, &InputError{Arg: "subnet", Value: subnet, Msg: "no subnet matches (give an ARM ID or VNET/SUBNET)", Candidates: e.closeSubnets(subnet)}
	case len(sns) > 1:
		return nil, &InputError{Arg: "subnet", Value: subnet, Msg: "several subnets match; give the ARM ID", Candidates: subnetIDs(sns)}
	}
	c := e.ctx(sns[0])
	out := &RouteTable{Subnet: sns[0].ID, Value: []answer.EffectiveRoute{}}
	disable := c.rt != nil && c.rt.DisableBGPRoutePropagation
	for _, en := range c.table.Effective() {
		r := en.Route
		er := answer.EffectiveRoute{
			Name: r.Name, DisableBGPRoutePropagation: disable, Source: r.Source.String(), State: en.State.String(),
			AddressPrefix: []string{}, NextHopIPAddress: []string{}, NextHopType: r.NextHopType,
			ServiceTag: r.Tag, Origin: r.Origin,
		}
		for _, p := range r.Prefixes {
			er.AddressPrefix = append(er.AddressPrefix, p.String())
		}
		if len(r.Prefixes) == 0 && r.Tag != "" {
			er.AddressPrefix = append(er.AddressPrefix, r.Tag)
		}
		if r.NextHopIP.IsValid() {
			er.NextHopIPAddress = append(er.NextHopIPAddress, r.NextHopIP.String())
		}
		out.Value = append(out.Value, er)
	}
	out.Warnings = append(out.Warnings, c.notes...)
	for _, id := range c.sym {
		r := c.table.Route(id)
		out.Warnings = append(out.Warnings, fmt.Sprintf("route %s uses service tag %s; without a service-tag catalog its prefixes are not listed (pass --service-tags)", routeName(r), r.Tag))
	}
	return out, nil
}

func routeName(r route.Route) string {
	if r.Name != "" {
		return r.Name
	}
	return string(r.NextHopType) + " route from " + topology.ShortName(r.Origin)
}
