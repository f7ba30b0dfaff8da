package engine

import (
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/route"
	"github.com/vnetpath/vnetpath/topology"
)

// toInternet leaves Azure for a public destination through the egress the
// current node has (reference §1.6, §10 item 32). Private destinations
// routed to the Internet are dropped there.
func (w *walker) toInternet(st state, r route.Route, ref *answer.RouteRef) {
	if bad, rest := w.nonPublicPart(st.dst); !bad.IsEmpty() {
		s := st.fork()
		s.dst = concrete(bad)
		b := w.blocker(answer.Blackhole, answer.CausePrivateToInternet, s.dst)
		b.Destination = describeAddrs(s.dst)
		b.Route, b.Resource = ref, r.Origin
		b.Fix = unpatchable(answer.FixRouteDestination, st.at.sn.ID, "route "+b.Destination+" toward the network that holds it")
		if a, ok := s.dst.single(); ok {
			// A destination in a VNet of the snapshot that the source's
			// VNet does not reach: peering them routes it there.
			if vs := w.e.snap.VNetsContaining(a); len(vs) > 0 && !topology.SameID(vs[0].ID, st.at.vnet.ID) {
				from, to, forwarded := st.at.vnet.ID, vs[0].ID, st.forwarded
				b.Fix, b.fix = nil, func() *answer.Fix { return w.e.fixCreatePeering(from, to, forwarded) }
			}
		}
		w.stop(s, b)
		if rest.IsEmpty() {
			return
		}
		st = st.fork()
		st.dst = concrete(rest)
	}
	eg, b, unknown := w.egress(st)
	if eg == nil && b.Cause == answer.CauseNoEgress && !st.dst.isSym() {
		// A private subnet still reaches same-region Storage: the part of
		// the destination that is leaves, the rest does not (§10 item 41).
		if part := w.sameRegionStoragePart(st); !part.IsEmpty() && !part.Equal(st.dst.set) {
			in, out := st.fork(), st.fork()
			in.dst, out.dst = concrete(part), concrete(st.dst.set.Subtract(part))
			w.leave(in)
			w.leave(out)
			return
		}
	}
	w.leaveWith(st, eg, b, unknown)
}

// defaultOutboundAssumed is what egress assumes of subnet c, by its name,
// when c does not set defaultOutboundAccess.
func defaultOutboundAssumed(c *subnetCtx) string {
	return "subnet " + c.name + " does not set defaultOutboundAccess, so it has default outbound access as VNets created before API version 2025-07-01 do (reference §1.6)"
}

// sameRegionStorageAssumed is what egress assumes of private subnet c, by
// its name, when it leaves for Azure Storage of its region.
func sameRegionStorageAssumed(c *subnetCtx) string {
	return "private subnet " + c.name + " reaches Azure Storage of its own region (" + c.vnet.Location + ") without an outbound method, as the documentation of private subnets says for IPv4 (reference §10 item 41)"
}

// ownAssumptions returns the assumptions egress makes of subnet c by its
// name, in a fixed order.
func ownAssumptions(c *subnetCtx) [2]string {
	return [2]string{defaultOutboundAssumed(c), sameRegionStorageAssumed(c)}
}

// nonPublicPart splits a concrete destination into the addresses never on
// the Internet and the rest; a symbolic one has none. An interned
// destination is split once per run: most flows that leave for the
// Internet go to a few service tags.
func (w *walker) nonPublicPart(dst addrs) (bad, rest cidr.Set) {
	switch {
	case dst.isSym():
		return cidr.Set{}, cidr.Set{}
	case w.e.in != nil && w.e.in.Interned(dst.set):
		return w.e.in.Split(dst.set, nonPublic)
	case !dst.set.Overlaps(nonPublic):
		return cidr.Set{}, dst.set
	}
	return dst.set.Intersect(nonPublic), dst.set.Subtract(nonPublic)
}

// leave sends the state out to the Internet through the egress it has.
func (w *walker) leave(st state) {
	eg, b, unknown := w.egress(st)
	w.leaveWith(st, eg, b, unknown)
}

// leaveWith ends the state at the Internet edge: out through eg, or
// stopped by b; unknown are the blockers of what the egress depends on
// that the snapshot lacks.
func (w *walker) leaveWith(st state, eg *answer.Egress, b blocker, unknown []blocker) {
	if eg == nil {
		st.addHop(hop{node: "Internet", kind: answer.HopInternet, action: actDropped}, step{typ: stDrop, action: actDropped})
		for _, u := range unknown {
			st.block(u)
		}
		w.stop(st, b)
		return
	}
	st.egress = eg
	st.addHop(hop{node: "Internet", kind: answer.HopInternet, action: actEgress}, step{typ: stEgress, action: actEgress, egress: eg})
	for _, u := range unknown {
		st.block(u)
	}
	w.arrive(st, ending{cause: answer.CauseLeftAzure})
}

// egress returns how the current node reaches the internet, in Azure's
// order of precedence (reference §10 item 32: virtual appliance route /
// ExpressRoute ≫ NAT gateway ≫ instance-level public IP ≫ load balancer
// outbound rules ≫ default outbound access). Routes decide the first (the
// walk reaches the Internet edge only where a route sends it there); at
// the subnet where the packet leaves — the source's, a firewall's or an
// appliance's — a NAT gateway comes first (it gives a firewall's traffic
// its own public IPs and beats an appliance NIC's public IP), then the
// public IP of what sends (the firewall, the appliance NIC or the source
// NIC), then the outbound rules of a load balancer whose backend pool
// holds that NIC, then default outbound access. Address families and
// protocols narrow it (§10 items 39, 40): a NAT gateway carries IPv6 only
// when it holds IPv6 public IPs, default outbound access carries neither
// IPv6 nor ICMP, and NAT gateways carry no ICMP. A private subnet still
// reaches Azure Storage of its own region (§10 item 41).
//
// It returns nil and the blocker when nothing carries the packet out, and
// the blockers of missing resources the egress depends on (a NAT gateway,
// a public IP whose address is the egress, a load balancer): with those
// the answer is unknown, and the egress is as far as the snapshot says.
func (w *walker) egress(st state) (*answer.Egress, blocker, []blocker) {
	c := st.at
	sn := c.sn
	v6 := st.v6()
	icmp := w.f.proto == ICMP
	var dev *device
	if n := len(st.devices); n > 0 && st.devices[n-1].ctx == c {
		dev = &st.devices[n-1]
	}
	// who names the sender in sentences; made only for a blocker.
	who := func() string {
		if dev != nil {
			return dev.name + " in subnet " + c.name
		}
		return "subnet " + c.name
	}
	var unknown []blocker

	// A NAT gateway on the subnet (§10 item 32).
	if sn.NATGateway != "" {
		ng, ok := w.e.snap.NATGateway(sn.NATGateway)
		if !ok {
			unknown = append(unknown, w.missing(st.dst, "NAT gateway "+topology.NameOf(sn.NATGateway)+" of subnet "+c.name+", whose public IPs would be the egress,", sn.NATGateway))
			return &answer.Egress{Via: sn.NATGateway, Method: answer.EgressNATGateway}, blocker{}, unknown
		}
		ip, carries6, miss := w.natGatewayIP(ng, v6)
		if !v6 || carries6 {
			if icmp {
				return nil, w.icmpNoEgress(st, who(), sn, "natGateway"), nil
			}
			if len(miss) > 0 {
				unknown = append(unknown, w.missing(st.dst, "public IPs of NAT gateway "+ng.Name+", which are the egress,", miss...))
			}
			if v6 {
				w.assume.add("NAT gateway " + ng.Name + " holds IPv6 public IPs, so it is taken for a StandardV2 gateway that carries IPv6 (a Standard NAT gateway carries none; reference §10 item 39)")
			}
			return &answer.Egress{PublicIP: ip, Via: ng.ID, Method: answer.EgressNATGateway}, blocker{}, unknown
		}
	}

	// The public IP of what sends: the firewall, an appliance NIC, the
	// source NIC.
	if dev != nil && dev.kind == answer.HopAzureFirewall {
		if len(dev.fw.missingPIPs) > 0 {
			unknown = append(unknown, w.missing(st.dst, "public IPs of firewall "+dev.name+", which are the egress,", dev.fw.missingPIPs...))
		}
		if len(dev.fw.publicIPs) == 0 {
			if len(unknown) > 0 {
				return &answer.Egress{Via: dev.id, Method: answer.EgressAzureFirewall}, blocker{}, unknown
			}
			b := w.blocker(answer.NoEgress, answer.CauseFirewallNoPublicIP, st.dst)
			b.Resource = dev.id
			b.Data = map[string]string{"firewall": dev.name}
			b.fix = func() *answer.Fix { return w.e.fixNATGateway(c.sn) }
			return nil, b, nil
		}
		return &answer.Egress{PublicIP: dev.fw.publicIPs[0], Via: dev.id, Method: answer.EgressAzureFirewall}, blocker{}, unknown
	}
	var nic *topology.NIC
	method := answer.EgressInstancePublicIP
	switch {
	case dev != nil && dev.kind == answer.HopVirtualAppliance:
		nic, method = dev.nic, answer.EgressVirtualAppliance
	case len(st.devices) == 0:
		nic = st.srcNIC
	}
	if nic != nil {
		ip, miss := w.nicPublicIP(nic, v6)
		if len(miss) > 0 {
			unknown = append(unknown, w.missing(st.dst, "public IP of NIC "+nic.Name+", which would be the egress,", miss...))
			return &answer.Egress{Via: nic.ID, Method: method}, blocker{}, unknown
		}
		if ip != "" {
			return &answer.Egress{PublicIP: ip, Via: nic.ID, Method: method}, blocker{}, nil
		}
		// The outbound rules of a load balancer whose pool holds the NIC.
		if eg, miss, ok := w.lbOutbound(nic, v6); ok || len(miss) > 0 {
			if len(miss) > 0 {
				unknown = append(unknown, w.missing(st.dst, "the load balancer outbound rule of NIC "+nic.Name+", whose public IP would be the egress,", miss...))
				if !ok {
					return &answer.Egress{Via: nic.ID, Method: answer.EgressLoadBalancerOutbound}, blocker{}, unknown
				}
			}
			if icmp {
				return nil, w.icmpNoEgress(st, who(), sn, "loadBalancerOutbound"), nil
			}
			return eg, blocker{}, unknown
		}
	}

	// Default outbound access: IPv4, TCP and UDP only.
	doa := sn.DefaultOutboundAccess == nil || *sn.DefaultOutboundAccess
	switch {
	case v6:
		b := w.blocker(answer.NoEgress, answer.CauseNoIPv6Egress, st.dst)
		b.Resource = sn.ID
		b.Data = map[string]string{"who": who()}
		if nic == nil {
			b.Fix = unpatchable(answer.FixReviewRouting, sn.ID, "give the NICs of "+c.name+" IPv6 public IPs, or an IPv6 load-balancer frontend with an outbound rule")
		} else {
			n := nic
			b.fix = func() *answer.Fix { return w.e.fixIPv6PublicIP(n) }
		}
		return nil, b, nil
	case doa && icmp:
		return nil, w.icmpNoEgress(st, who(), sn, "defaultOutbound"), nil
	case doa:
		if sn.DefaultOutboundAccess == nil {
			w.assume.add(defaultOutboundAssumed(c))
		}
		return &answer.Egress{Via: sn.ID, Method: answer.EgressDefaultOutbound}, blocker{}, nil
	case !icmp && w.sameRegionStorage(st):
		w.assume.add(sameRegionStorageAssumed(c))
		return &answer.Egress{Via: sn.ID, Method: answer.EgressSameRegionStorage}, blocker{}, nil
	}
	b := w.blocker(answer.NoEgress, answer.CauseNoEgress, st.dst)
	b.Resource = sn.ID
	b.Data = map[string]string{"who": who()}
	b.fix = func() *answer.Fix { return w.e.fixNATGateway(sn) }
	return nil, b, nil
}

// icmpNoEgress is the blocker of ICMP leaving through a NAT gateway, a
// load balancer outbound rule or default outbound access, none of which
// carries it (reference §10 item 40).
func (w *walker) icmpNoEgress(st state, who string, sn *topology.Subnet, method string) blocker {
	b := w.blocker(answer.NoEgress, answer.CauseICMPNoEgress, st.dst)
	b.Resource = sn.ID
	b.Data = map[string]string{"who": who, "method": method}
	b.Fix = unpatchable(answer.FixReviewRouting, sn.ID, "send ICMP out through an outbound method that carries it")
	return b
}

// isV6PublicIP reports whether a public IP is IPv6: its version, or its
// address when the version is not given.
func isV6PublicIP(p *topology.PublicIP) bool {
	if p.Version != "" {
		return strings.EqualFold(p.Version, "IPv6")
	}
	return p.Address.Is6()
}

// natGatewayIP returns the address the destination sees through a NAT
// gateway for the family (the first of its public IPs, else of its public
// IP prefixes), whether the gateway carries IPv6 (it holds IPv6 public
// IPs or prefixes, which only a StandardV2 gateway can), and the IDs of
// its public IPs and prefixes the snapshot lacks.
func (w *walker) natGatewayIP(ng *topology.NATGateway, v6 bool) (string, bool, []string) {
	var ip string
	var carries6 bool
	var miss []string
	for _, id := range ng.PublicIPs {
		p, ok := w.e.snap.PublicIP(id)
		if !ok {
			miss = append(miss, id)
			continue
		}
		is6 := isV6PublicIP(p)
		carries6 = carries6 || is6
		if ip == "" && is6 == v6 && p.Address.IsValid() {
			ip = p.Address.String()
		}
	}
	for _, id := range ng.PublicIPPrefixes {
		p, ok := w.e.snap.PublicIPPrefix(id)
		if !ok {
			miss = append(miss, id)
			continue
		}
		is6 := strings.EqualFold(p.Version, "IPv6") || p.Prefix.IsValid() && p.Prefix.Addr().Is6()
		carries6 = carries6 || is6
		if ip == "" && is6 == v6 && p.Prefix.IsValid() {
			ip = p.Prefix.String()
		}
	}
	return ip, carries6, miss
}

// nicPublicIP returns the address of the NIC's public IP of the family,
// and the IDs of public IPs its IP configurations name that the snapshot
// lacks (one of them may be the egress).
func (w *walker) nicPublicIP(n *topology.NIC, v6 bool) (string, []string) {
	if n == nil {
		return "", nil
	}
	var miss []string
	for _, c := range n.IPConfigs {
		if c.PublicIP == "" {
			continue
		}
		p, ok := w.e.snap.PublicIP(c.PublicIP)
		if !ok {
			if c.PrivateIP.Is6() == v6 || !c.PrivateIP.IsValid() {
				miss = append(miss, c.PublicIP)
			}
			continue
		}
		if isV6PublicIP(p) == v6 && p.Address.IsValid() {
			return p.Address.String(), nil
		}
	}
	return "", miss
}

// lbOutbound returns the egress through the outbound rules of a load
// balancer whose backend pool holds one of the NIC's IP configurations of
// the family (reference §10 item 32), with the IDs of what it depends on
// that the snapshot lacks; ok is false when no outbound rule carries the
// packet.
func (w *walker) lbOutbound(n *topology.NIC, v6 bool) (eg *answer.Egress, miss []string, ok bool) {
	for _, c := range n.IPConfigs {
		if c.ID == "" || c.PrivateIP.IsValid() && c.PrivateIP.Is6() != v6 {
			continue
		}
		for _, pool := range w.e.snap.PoolsOf(c.ID) {
			lbID := topology.Parent(pool)
			lb, found := w.e.snap.LoadBalancer(lbID)
			if !found {
				miss = append(miss, lbID)
				continue
			}
			for _, or := range lb.OutboundRules {
				if !topology.SameID(or.Pool, pool) || !lbProtoMatches(or.Protocol, w.f.proto) && w.f.proto != ICMP {
					continue
				}
				for _, fid := range or.Frontends {
					f := lbFrontend(lb, fid)
					if f == nil {
						continue
					}
					ip, fits, m := w.frontendPublicIP(f, v6)
					miss = append(miss, m...)
					if fits {
						return &answer.Egress{PublicIP: ip, Via: lb.ID, Method: answer.EgressLoadBalancerOutbound}, miss, true
					}
				}
			}
		}
	}
	return nil, miss, false
}

// frontendPublicIP returns the address a public frontend gives the family
// (its public IP, or its prefix), whether it has one of the family at all
// (an address not yet allocated is ""), and the IDs it names that the
// snapshot lacks.
func (w *walker) frontendPublicIP(f *topology.LBFrontend, v6 bool) (string, bool, []string) {
	var miss []string
	if f.PublicIP != "" {
		p, ok := w.e.snap.PublicIP(f.PublicIP)
		switch {
		case !ok:
			miss = append(miss, f.PublicIP)
		case isV6PublicIP(p) == v6:
			if p.Address.IsValid() {
				return p.Address.String(), true, nil
			}
			return "", true, nil
		}
	}
	if f.PublicIPPrefix != "" {
		p, ok := w.e.snap.PublicIPPrefix(f.PublicIPPrefix)
		switch {
		case !ok:
			miss = append(miss, f.PublicIPPrefix)
		case p.Prefix.IsValid() && p.Prefix.Addr().Is6() == v6:
			return p.Prefix.String(), true, nil
		}
	}
	return "", false, miss
}

// lbProtoMatches reports whether a load balancer rule's protocol (Tcp,
// Udp, All) carries p; ICMP is carried by none (All is TCP and UDP).
func lbProtoMatches(field string, p Protocol) bool {
	switch strings.ToLower(field) {
	case "all", "*", "":
		return p == TCP || p == UDP
	case "tcp":
		return p == TCP
	case "udp":
		return p == UDP
	}
	return false
}

// lbFrontend returns the frontend of lb with the given ID, or nil.
func lbFrontend(lb *topology.LoadBalancer, id string) *topology.LBFrontend {
	for i := range lb.Frontends {
		if topology.SameID(lb.Frontends[i].ID, id) {
			return &lb.Frontends[i]
		}
	}
	return nil
}

// sameRegionStorage reports whether the state's destination lies in
// Azure Storage of the current subnet's region (the Storage.<region>
// service tag), which a private subnet reaches without an outbound method
// (reference §10 item 41). IPv4 only: the statement belongs to default
// outbound access, which is IPv4.
func (w *walker) sameRegionStorage(st state) bool {
	if st.dst.isSym() {
		loc := st.at.vnet.Location
		base, region := splitTag(st.dst.sym)
		return loc != "" && strings.EqualFold(base, "Storage") && strings.EqualFold(strings.ReplaceAll(region, " ", ""), loc)
	}
	part := w.sameRegionStoragePart(st)
	return !part.IsEmpty() && part.Equal(st.dst.set)
}

// sameRegionStoragePart returns the part of the state's (concrete)
// destination that is Azure Storage of the current subnet's region, as
// the catalog gives it; empty without a catalog or for IPv6.
func (w *walker) sameRegionStoragePart(st state) cidr.Set {
	loc := st.at.vnet.Location
	if loc == "" || st.dst.isSym() || st.v6() {
		return cidr.Set{}
	}
	x := w.e.expandTag("Storage." + loc)
	if !x.ok {
		return cidr.Set{}
	}
	return st.dst.set.Intersect(x.set)
}

// splitTag splits a service tag name at its first dot: "Storage" and
// "WestEurope" of "Storage.WestEurope".
func splitTag(t string) (string, string) {
	base, region, _ := strings.Cut(t, ".")
	return base, region
}
