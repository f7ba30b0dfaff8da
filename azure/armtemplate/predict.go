package armtemplate

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"go4.org/netipx"
)

// Dynamic private addresses are predicted as Azure allocates them: in a
// subnet the template creates, Azure keeps the first four addresses and the
// last (reference §1.1), and gives each dynamic IP configuration the lowest
// free address from the fifth (.4 in a /24) up, skipping addresses
// configured statically. Resources are taken in the template's deployment
// order: declaration order, copies in index order, nested deployments in
// place. A resource that takes an unknown number of addresses in the subnet
// (an AKS node pool, a scale set, a compute cluster, a gateway) makes the
// addresses after it unknown.

// use is one claim on a subnet's addresses.
type use struct {
	subnet        string // subnet ID
	key           string // which configuration, "properties.ipConfigurations[0]"
	static        []netip.Addr
	count         int  // dynamic addresses it takes
	v6            bool // dynamic IPv6 addresses
	unpredictable bool // takes addresses vnetpath cannot count
}

// subnetAlloc is the predicted allocation of one subnet.
type subnetAlloc struct {
	id     string
	prefix netip.Prefix
	got    map[string][]netip.Addr // instance ID | key -> addresses
	why    map[string]string       // instance ID | key -> why they are unknown
	order  map[string]int          // instance ID | key -> position among dynamic claims
}

func useKey(in *instance, key string) string { return strings.ToLower(in.id) + "|" + key }

// dynamicAddrs returns the addresses Azure will give a dynamic claim of
// instance in (key names the configuration) in subnet, and records the
// prediction as an assumption of in; or the reason they are unknown.
func (ev *evaluator) dynamicAddrs(in *instance, key, subnet string) ([]netip.Addr, string) {
	a := ev.alloc(subnet)
	k := useKey(in, key)
	if why, ok := a.why[k]; ok {
		return nil, why
	}
	addrs, ok := a.got[k]
	if !ok {
		return nil, fmt.Sprintf("%s claims no address in subnet %s", in.label(), shortID(subnet))
	}
	list := make([]string, len(addrs))
	for i, x := range addrs {
		list[i] = x.String()
	}
	what := "private IP address"
	if len(addrs) > 1 {
		what = "private IP addresses"
	}
	in.assumptions = append(in.assumptions, fmt.Sprintf("%s %s of %s is predicted: dynamic addresses in subnet %s (%s) are given from the fifth address up, lowest free first, in the template's deployment order (claim %d in this subnet)",
		what, strings.Join(list, ", "), key, shortID(subnet), a.prefix, a.order[k]+1))
	return addrs, ""
}

// shortID returns the names of an ARM ID joined with "/" ("hub/snet-a").
func shortID(id string) string {
	parts := strings.Split(strings.Trim(id, "/"), "/")
	var names []string
	for i := 0; i+1 < len(parts); i += 2 {
		if strings.EqualFold(parts[i], "providers") {
			// The namespace follows; names come after each type.
			for j := i + 3; j < len(parts); j += 2 {
				names = append(names, parts[j])
			}
			break
		}
	}
	if len(names) == 0 {
		return id
	}
	return strings.Join(names, "/")
}

// alloc computes (once) the allocation of a subnet.
func (ev *evaluator) alloc(subnet string) *subnetAlloc {
	key := strings.ToLower(strings.TrimRight(subnet, "/"))
	if a, ok := ev.allocs[key]; ok {
		return a
	}
	a := &subnetAlloc{id: subnet, got: map[string][]netip.Addr{}, why: map[string]string{}, order: map[string]int{}}
	ev.allocs[key] = a
	prefix, reason := ev.subnetPrefix(subnet)
	a.prefix = prefix
	var claims []struct {
		in *instance
		u  use
	}
	used := map[netip.Addr]bool{}
	for _, in := range ev.insts {
		if in.state == 1 || !mayClaim(in.typ) {
			continue // a resource being evaluated cannot be a claim that precedes this one
		}
		body, err := in.evaluate()
		if err != nil {
			continue
		}
		for _, u := range usesOf(in, body) {
			if !strings.EqualFold(strings.TrimRight(u.subnet, "/"), strings.TrimRight(subnet, "/")) {
				continue
			}
			claims = append(claims, struct {
				in *instance
				u  use
			}{in, u})
			for _, s := range u.static {
				used[s.Unmap()] = true
			}
		}
	}
	blocked := reason
	var next, last netip.Addr
	if reason == "" {
		r := netipx.RangeOfPrefix(prefix)
		next, last = r.From(), r.To()
		for range 4 {
			next = next.Next()
		}
		last = last.Prev() // the broadcast address is reserved too
	}
	n := 0
	for _, c := range claims {
		k := useKey(c.in, c.u.key)
		switch {
		case c.u.unpredictable:
			if blocked == "" {
				blocked = fmt.Sprintf("%s also takes addresses in subnet %s, how many vnetpath cannot tell", c.in.label(), shortID(subnet))
			}
			continue
		case c.u.count == 0:
			continue
		case blocked != "":
			a.why[k] = blocked
			continue
		case c.u.v6:
			a.why[k] = "dynamic IPv6 addresses are not predicted"
			continue
		}
		a.order[k] = n
		n++
		var got []netip.Addr
		for len(got) < c.u.count {
			for next.IsValid() && used[next] && next.Compare(last) <= 0 {
				next = next.Next()
			}
			if !next.IsValid() || next.Compare(last) > 0 {
				a.why[k] = fmt.Sprintf("subnet %s (%s) has no free address left for %s", shortID(subnet), prefix, c.in.label())
				got = nil
				break
			}
			got = append(got, next)
			used[next] = true
			next = next.Next()
		}
		if got != nil {
			a.got[k] = got
		}
	}
	return a
}

// subnetPrefix returns the IPv4 prefix of a subnet the template creates,
// or why it is unknown.
func (ev *evaluator) subnetPrefix(id string) (netip.Prefix, string) {
	id = strings.TrimRight(id, "/")
	var props *object
	if in, ok := ev.byID[strings.ToLower(id)]; ok {
		body, err := in.evaluate()
		if err != nil {
			return netip.Prefix{}, fmt.Sprintf("subnet %s could not be evaluated: %v", shortID(id), err)
		}
		props, _ = mustGet(body, "properties").(*object)
	} else {
		i := strings.LastIndex(id, "/")
		j := strings.LastIndex(id[:max(i, 0)], "/")
		if i < 0 || j < 0 || !strings.EqualFold(id[j+1:i], "subnets") {
			return netip.Prefix{}, fmt.Sprintf("%q is not a subnet ID", id)
		}
		vnet, ok := ev.byID[strings.ToLower(id[:j])]
		if !ok {
			return netip.Prefix{}, fmt.Sprintf("subnet %s is not created by the template, so the addresses already taken in it are not known", shortID(id))
		}
		body, err := vnet.evaluate()
		if err != nil {
			return netip.Prefix{}, fmt.Sprintf("virtual network %s could not be evaluated: %v", shortID(id[:j]), err)
		}
		child := embedded(body, "subnets", id[i+1:])
		if child == nil {
			return netip.Prefix{}, fmt.Sprintf("subnet %s is not created by the template, so the addresses already taken in it are not known", shortID(id))
		}
		props, _ = mustGet(child, "properties").(*object)
	}
	if props == nil {
		return netip.Prefix{}, fmt.Sprintf("subnet %s has no properties", shortID(id))
	}
	var cands []any
	if v, ok := props.get("addressPrefix"); ok {
		cands = append(cands, v)
	}
	if v, ok := props.get("addressPrefixes"); ok {
		if arr, ok := v.([]any); ok {
			cands = append(cands, arr...)
		} else {
			cands = append(cands, v)
		}
	}
	for _, c := range cands {
		switch c := c.(type) {
		case *unknown:
			return netip.Prefix{}, fmt.Sprintf("the address prefix of subnet %s is not known: %s", shortID(id), c.reason)
		case string:
			p, err := netip.ParsePrefix(strings.TrimSpace(c))
			if err == nil && p.Addr().Is4() && p.Bits() <= 29 {
				return p.Masked(), ""
			}
		}
	}
	return netip.Prefix{}, fmt.Sprintf("subnet %s has no IPv4 address prefix of /29 or larger", shortID(id))
}

// usesOf lists the claims a resource makes on subnet addresses.
func usesOf(in *instance, body *object) []use {
	props, _ := mustGet(body, "properties").(*object)
	if props == nil {
		return nil
	}
	switch strings.ToLower(in.typ) {
	case "microsoft.network/networkinterfaces":
		return ipConfigUses(props, "ipConfigurations", "privateIPAllocationMethod", "privateIPAddress", true)
	case "microsoft.network/dnsresolvers/inboundendpoints":
		return ipConfigUses(props, "ipConfigurations", "privateIpAllocationMethod", "privateIpAddress", false)
	case "microsoft.network/loadbalancers":
		return ipConfigUses(props, "frontendIPConfigurations", "privateIPAllocationMethod", "privateIPAddress", true)
	case "microsoft.network/azurefirewalls":
		var out []use
		for i, ic := range list(props, "ipConfigurations") {
			if s := subnetOf(ic, true); s != "" {
				out = append(out, use{subnet: s, key: "properties.ipConfigurations" + pathIndex(i), count: 1})
			}
		}
		if m, ok := mustGet(props, "managementIpConfiguration").(*object); ok {
			if s := subnetOf(m, true); s != "" {
				out = append(out, use{subnet: s, key: "properties.managementIpConfiguration", count: 1})
			}
		}
		return out
	case "microsoft.network/privateendpoints":
		s := idOf(mustGet(props, "subnet"))
		if s == "" {
			return nil
		}
		u := use{subnet: s, key: "properties"}
		static := list(props, "ipConfigurations")
		for _, ic := range static {
			if p, ok := mustGet(ic, "properties").(*object); ok {
				if a, ok := addrOf(mustGet(p, "privateIPAddress")); ok {
					u.static = append(u.static, a)
				}
			}
		}
		if len(static) == 0 {
			u.count = len(peSlots(props))
		}
		return []use{u}
	}
	// Resources whose addresses vnetpath cannot count: anything else that
	// names a subnet outside a network access list.
	if skipScan(in.typ) {
		return nil
	}
	var out []use
	for _, s := range subnetMentions(props, nil) {
		out = append(out, use{subnet: s, key: "properties", unpredictable: true})
	}
	return out
}

// mayClaim reports whether a resource of type typ may take addresses in a
// subnet.
func mayClaim(typ string) bool {
	switch strings.ToLower(typ) {
	case "microsoft.network/networkinterfaces", "microsoft.network/dnsresolvers/inboundendpoints",
		"microsoft.network/loadbalancers", "microsoft.network/azurefirewalls", "microsoft.network/privateendpoints":
		return true
	}
	return !skipScan(typ)
}

// skipScan reports whether a resource type is known not to take addresses
// in the subnets it names.
func skipScan(typ string) bool {
	switch strings.ToLower(typ) {
	case "microsoft.network/virtualnetworkgateways", "microsoft.network/bastionhosts",
		"microsoft.network/applicationgateways", "microsoft.network/privatelinkservices":
		return false
	case strings.ToLower(typeDeployment), "microsoft.sql/servers/virtualnetworkrules":
		return true
	}
	return strings.HasPrefix(strings.ToLower(typ), "microsoft.network/")
}

// subnetMentions returns the subnet IDs a value names, except under keys
// that hold network access lists.
func subnetMentions(v any, out []string) []string {
	switch v := v.(type) {
	case string:
		if isSubnetID(v) {
			out = append(out, v)
		}
	case []any:
		for _, x := range v {
			out = subnetMentions(x, out)
		}
	case *object:
		for i, k := range v.keys {
			lk := strings.ToLower(k)
			if strings.Contains(lk, "virtualnetworkrule") || strings.Contains(lk, "networkacl") || strings.Contains(lk, "networkruleset") {
				continue
			}
			out = subnetMentions(v.vals[i], out)
		}
	}
	return out
}

func isSubnetID(s string) bool {
	l := strings.ToLower(strings.TrimRight(s, "/"))
	i := strings.LastIndex(l, "/subnets/")
	return strings.HasPrefix(l, "/subscriptions/") && i > 0 && strings.Contains(l[:i], "/providers/microsoft.network/virtualnetworks/") && !strings.Contains(l[i+len("/subnets/"):], "/")
}

func ipConfigUses(props *object, listKey, methodKey, addrKey string, v6aware bool) []use {
	var out []use
	for i, ic := range list(props, listKey) {
		p, ok := mustGet(ic, "properties").(*object)
		nested := true
		if !ok {
			p, nested = ic, false // resolver endpoints hold the fields directly
		}
		s := idOf(mustGet(p, "subnet"))
		if s == "" {
			continue
		}
		key := "properties." + listKey + pathIndex(i)
		if nested {
			key += ".properties"
		}
		u := use{subnet: s, key: key}
		method, _ := mustGet(p, methodKey).(string)
		addr, hasAddr := addrOf(mustGet(p, addrKey))
		switch {
		case strings.EqualFold(method, "Static") || method == "" && hasAddr:
			if hasAddr {
				u.static = []netip.Addr{addr}
			}
		default:
			u.count = 1
			if ver, _ := mustGet(p, "privateIPAddressVersion").(string); v6aware && strings.EqualFold(ver, "IPv6") {
				u.v6 = true
			}
		}
		out = append(out, u)
	}
	return out
}

// subnetOf returns the subnet ID of an IP configuration object
// ({name, properties: {subnet: {id}}}).
func subnetOf(ic *object, nested bool) string {
	p := ic
	if nested {
		p, _ = mustGet(ic, "properties").(*object)
	}
	if p == nil {
		return ""
	}
	return idOf(mustGet(p, "subnet"))
}

// idOf returns the "id" of a reference object, or "".
func idOf(v any) string {
	o, ok := v.(*object)
	if !ok {
		return ""
	}
	s, _ := mustGet(o, "id").(string)
	return s
}

func addrOf(v any) (netip.Addr, bool) {
	s, ok := v.(string)
	if !ok {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	return a, err == nil
}

// list returns the objects of an array property.
func list(o *object, key string) []*object {
	arr, _ := mustGet(o, key).([]any)
	out := make([]*object, 0, len(arr))
	for _, x := range arr {
		if xo, ok := x.(*object); ok {
			out = append(out, xo)
		} else {
			out = append(out, newObject())
		}
	}
	return out
}

// predict fills in the private addresses Azure will assign to a resource:
// dynamic IP configurations of NICs, firewall and resolver inbound endpoint
// addresses, and private endpoint addresses. An address that cannot be
// predicted becomes an unknown value, so the resource is declared missing.
func (ev *evaluator) predict(in *instance, body *object) {
	props, _ := mustGet(body, "properties").(*object)
	if props == nil {
		return
	}
	set := func(p *object, addrKey string, addrs []netip.Addr, why string) {
		if why != "" {
			p.set(addrKey, &unknown{reason: why})
			return
		}
		p.set(addrKey, addrs[0].String())
	}
	for _, u := range usesOf(in, body) {
		if u.unpredictable || u.count == 0 {
			continue
		}
		addrs, why := ev.dynamicAddrs(in, u.key, u.subnet)
		switch strings.ToLower(in.typ) {
		case "microsoft.network/networkinterfaces", "microsoft.network/loadbalancers":
			p := objectAt(body, u.key)
			set(p, "privateIPAddress", addrs, why)
			p.set("privateIPAllocationMethod", "Dynamic")
		case "microsoft.network/dnsresolvers/inboundendpoints":
			set(objectAt(body, u.key), "privateIpAddress", addrs, why)
		case "microsoft.network/azurefirewalls":
			ic := objectAt(body, u.key)
			p, _ := mustGet(ic, "properties").(*object)
			if p == nil {
				p = newObject()
				ic.set("properties", p)
			}
			set(p, "privateIPAddress", addrs, why)
		case "microsoft.network/privateendpoints":
			ev.predictEndpoint(in, props, addrs, why)
		}
	}
}

// objectAt returns the object at a path of the form
// "properties.ipConfigurations[0].properties" inside body.
func objectAt(body *object, path string) *object {
	cur := body
	for _, step := range strings.Split(path, ".") {
		name, idx, hasIdx := strings.Cut(step, "[")
		next, _ := mustGet(cur, name).(*object)
		if hasIdx {
			i, _ := strconv.Atoi(strings.TrimSuffix(idx, "]"))
			arr, _ := mustGet(cur, name).([]any)
			if i < len(arr) {
				next, _ = arr[i].(*object)
			}
		}
		if next == nil {
			return newObject()
		}
		cur = next
	}
	return cur
}
