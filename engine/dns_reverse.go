package engine

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/topology"
)

// Reverse lookups (reference §10 item 36): the PTR query of an address
// goes the way forward names go — forwarding rules, then in-addr.arpa and
// ip6.arpa private zones linked to the VNet, whose PTR record sets answer —
// and when no linked zone covers the address, Azure-provided DNS answers
// for VMs: <vm>.<internal suffix> for NICs in the same VNet, plus
// <vm>.<zone> for a VM auto-registered in a zone linked to the VNet. Any
// other private address gets NXDOMAIN.

const typePTRRecord = "Microsoft.Network/privateDnsZones/PTR"

// ReverseName returns the name a reverse lookup of a asks for:
// "5.2.1.10.in-addr.arpa" for 10.1.2.5, the nibbles under ip6.arpa for an
// IPv6 address.
func ReverseName(a netip.Addr) string {
	a = a.Unmap()
	var b strings.Builder
	if a.Is4() {
		o := a.As4()
		for i := 3; i >= 0; i-- {
			b.WriteString(strconv.Itoa(int(o[i])))
			b.WriteByte('.')
		}
		b.WriteString("in-addr.arpa")
		return b.String()
	}
	o := a.As16()
	const hex = "0123456789abcdef"
	for i := 15; i >= 0; i-- {
		b.WriteByte(hex[o[i]&0xf])
		b.WriteByte('.')
		b.WriteByte(hex[o[i]>>4])
		b.WriteByte('.')
	}
	b.WriteString("ip6.arpa")
	return b.String()
}

// reverseZone returns the reverse zone a fix creates for a (the /24 of an
// IPv4 address, the /64 of an IPv6 one) and a's record name in it.
func reverseZone(a netip.Addr) (zone, rel string) {
	labels := strings.Split(ReverseName(a), ".")
	n := 1 // IPv4: one label (the last octet) in the record
	if !a.Unmap().Is4() {
		n = 16
	}
	return strings.Join(labels[n:], "."), strings.Join(labels[:n], ".")
}

// ptrQuery is the reverse lookup of a, expecting the name a private
// endpoint serves at a when one does.
func (e *Engine) ptrQuery(a netip.Addr) dnsQuery {
	return dnsQuery{name: ReverseName(a), ptr: true, addr: a, expect: e.endpointName(a)}
}

// endpointName returns the first FQDN a private endpoint serves at a (a
// wildcard without its "*."), or "".
func (e *Engine) endpointName(a netip.Addr) string {
	for _, o := range e.snap.OwnersOf(a) {
		if o.Kind != topology.OwnerPrivateEndpoint {
			continue
		}
		pe, ok := e.snap.PrivateEndpoint(o.ID)
		if !ok {
			continue
		}
		var names []string
		for _, d := range pe.CustomDNSConfigs {
			if slices.Contains(d.IPs, a) {
				names = append(names, d.FQDN)
			}
		}
		for _, nid := range pe.NICs {
			if n, ok := e.snap.NIC(nid); ok {
				for _, c := range n.IPConfigs {
					if c.PrivateIP == a {
						names = append(names, c.PrivateLinkFQDNs...)
					}
				}
			}
		}
		for _, f := range names {
			if !strings.HasPrefix(f, "*") {
				return normFQDN(f)
			}
		}
		for _, f := range names {
			if rest, ok := strings.CutPrefix(normFQDN(f), "*."); ok {
				return rest
			}
		}
	}
	return ""
}

// azureReverse ends a reverse lookup in VNet v that no linked zone
// answered: Azure-provided names of VMs, else NXDOMAIN for a private
// address, else the public reverse name, which is not known offline.
func (e *Engine) azureReverse(res *Resolution, v *topology.VNet, q dnsQuery, known bool) {
	a := q.addr
	var names, who []string
	for _, o := range e.snap.OwnersOf(a) {
		if o.Kind != topology.OwnerNIC {
			continue
		}
		nic, ok := e.snap.NIC(o.ID)
		if !ok || nic.VirtualMachine == "" {
			continue
		}
		host := strings.ToLower(topology.NameOf(nic.VirtualMachine))
		primary := false
		for _, c := range nic.IPConfigs {
			if c.PrivateIP == a && (c.Primary || len(nic.IPConfigs) == 1) {
				primary = true
			}
		}
		if topology.SameID(o.VNet, v.ID) {
			suffix := nic.InternalDomainNameSuffix
			if suffix == "" {
				suffix = "internal.cloudapp.net"
				res.Assumptions = append(res.Assumptions, "NIC "+nic.Name+" does not export its internal DNS suffix (dnsSettings.internalDomainNameSuffix); the name shows internal.cloudapp.net")
			}
			names = append(names, host+"."+suffix)
			who = append(who, "VM "+host+" in VNet "+v.Name)
			if primary {
				for _, l := range e.snap.ZoneLinksOf(v.ID) {
					if z, ok := e.snap.PrivateZone(l.Zone); ok && l.RegistrationEnabled {
						names = append(names, host+"."+z.Name)
					}
				}
			}
			continue
		}
		if !primary {
			continue
		}
		// A VM auto-registered in a zone that is linked to v.
		for _, l := range e.snap.ZoneLinksOf(o.VNet) {
			z, ok := e.snap.PrivateZone(l.Zone)
			if !ok || !l.RegistrationEnabled || e.linkOf(z, v) == nil {
				continue
			}
			names = append(names, host+"."+z.Name)
			who = append(who, "VM "+host+" auto-registered in zone "+z.Name)
			res.Assumptions = append(res.Assumptions, fmt.Sprintf("the reverse name of VM %s in VNet %s is answered in VNet %s because zone %s, where the VM is auto-registered, is linked to it (reference §10 item 36; the documentation scopes reverse lookups to the virtual network)",
				host, topology.NameOf(o.VNet), v.Name, z.Name))
		}
	}
	switch {
	case len(names) > 0:
		res.Assumptions = append(res.Assumptions, "a VM's host name is taken to be its resource name")
		res.Names = names
		res.Rcode = NoError
		res.Chain = append(res.Chain, answer.DNSStep{Name: q.name, Type: "PTR", Value: strings.Join(names, ","),
			Source: "Azure-provided DNS in VNet " + v.Name + " (" + strings.Join(who, ", ") + ")"})
	case !known:
		fail(res, e.missingDNS("VNet "+v.Name+", whose DNS context answers "+q.name+",", v.ID))
	case a.IsPrivate() || len(e.snap.VNetsContaining(a)) > 0:
		res.Chain = append(res.Chain, answer.DNSStep{Name: q.name, Type: "NXDOMAIN", Value: "no reverse zone and no VM of the VNet holds " + a.String(), Source: "Azure-provided DNS in VNet " + v.Name})
		b := dnsFail(answer.CauseDNSNoReverse, map[string]string{"name": q.name, "address": a.String(), "vnet": v.Name}, e.fixReverseZone(v, q))
		res.Rcode = NXDomain
		fail(res, b)
	default:
		res.Rcode, res.Public = NoError, true
		res.Chain = append(res.Chain, answer.DNSStep{Name: q.name, Type: "PUBLIC", Value: "public reverse DNS (not known offline)", Source: "public DNS"})
	}
}

// fixPTRRecord adds the PTR record a reverse lookup expects to the linked
// zone that lacks it.
func (e *Engine) fixPTRRecord(z *topology.PrivateZone, rel string, q dnsQuery) *answer.Fix {
	if q.expect == "" {
		return unpatchable(answer.FixReviewDNS, z.ID, "add a PTR record "+rel+" to zone "+z.Name)
	}
	p, az := ptrPatch(z.ID, z.Name, rel, q.expect)
	return &answer.Fix{Resource: z.ID, Kind: answer.FixAddRecord, Change: "add PTR record " + rel + " (" + q.expect + ")",
		Data: map[string]string{"ptr": q.expect}, Patch: []answer.Patch{p}, Az: az}
}

func ptrPatch(zone, zoneName, rel, name string) (answer.Patch, string) {
	return patchAdd(zone+"/PTR/"+rel, typePTRRecord, obj{"properties": obj{"ttl": 3600, "ptrRecords": []any{obj{"ptrdname": name}}}}),
		"az network private-dns record-set ptr add-record " + rg(zone) + " -z " + zoneName + " -n " + rel + " --ptrdname " + name + sub(zone)
}

// fixReverseZone makes a reverse lookup from VNet v answer: link the
// reverse zone that covers the address (adding its PTR record when it
// lacks it), else create the /24 (or /64) zone with the record, in the
// resource group of the private endpoint holding the address, and link it
// (reference §5.4, §10 item 36).
func (e *Engine) fixReverseZone(v *topology.VNet, q dnsQuery) *answer.Fix {
	if q.expect == "" {
		return unpatchable(answer.FixReviewDNS, v.ID, "add a reverse zone covering "+q.addr.String()+", with its PTR record, and link it to VNet "+v.Name)
	}
	labels := strings.Split(q.name, ".")
	for i := 1; i < len(labels)-2; i++ {
		for _, id := range e.snap.ZonesNamed(strings.Join(labels[i:], ".")) {
			z, ok := e.snap.PrivateZone(id)
			if !ok {
				continue
			}
			f := e.fixZoneLink(z, v)
			fix := &answer.Fix{Resource: f.Resource, Kind: answer.FixAddZoneLink, Change: f.Change, Patch: f.Patch, Az: f.Az,
				Data: map[string]string{"zone": z.Name, "ptr": q.expect}}
			rel := relName(q.name, z.Name)
			fix.Data["record"] = rel
			if _, has, _ := findRecord(z, q.name, true); !has {
				p, az := ptrPatch(z.ID, z.Name, rel, q.expect)
				fix.Patch = append(append([]answer.Patch(nil), fix.Patch...), p)
				fix.Az += "\n" + az
				fix.Change += " and add PTR record " + rel
				fix.Data["add"] = "true"
			}
			return fix
		}
	}
	owner := v.ID
	for _, o := range e.snap.OwnersOf(q.addr) {
		if o.Kind == topology.OwnerPrivateEndpoint {
			owner = o.ID
		}
	}
	r, ok := topology.ParseResourceID(owner)
	if !ok {
		return unpatchable(answer.FixReviewDNS, v.ID, "add a reverse zone covering "+q.addr.String()+" and link it to VNet "+v.Name)
	}
	zone, rel := reverseZone(q.addr)
	zid := "/subscriptions/" + r.Subscription + "/resourceGroups/" + r.ResourceGroup + "/providers/Microsoft.Network/privateDnsZones/" + zone
	link := zoneLinkName(v.Name)
	p, az := ptrPatch(zid, zone, rel, q.expect)
	return &answer.Fix{Resource: zid, Kind: answer.FixCreateZone, Change: "create zone " + zone + " with PTR record " + rel + " and link it to VNet " + v.Name,
		Data: map[string]string{"zone": zone, "record": rel, "ptr": q.expect},
		Patch: []answer.Patch{
			patchAdd(zid, typeZone, obj{"location": "global", "properties": obj{}}),
			p,
			patchAdd(zid+"/virtualNetworkLinks/"+link, typeZoneLink,
				obj{"location": "global", "properties": obj{"virtualNetwork": ref(v.ID), "registrationEnabled": false, "resolutionPolicy": "Default"}}),
		},
		Az: strings.Join([]string{"az network private-dns zone create " + rg(zid) + " -n " + zone + sub(zid), az,
			"az network private-dns link vnet create " + rg(zid) + " -z " + zone + " -n " + link + " -v " + v.ID + " -e false" + sub(zid)}, "\n")}
}
