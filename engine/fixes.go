package engine

import (
	"encoding/json"
	"hash/fnv"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/internal/jsonenc"
	"github.com/vnetpath/vnetpath/route"
	"github.com/vnetpath/vnetpath/topology"
)

// Fixes as data: each blocker gets one [answer.Fix] with the ARM ID to
// change, a compact change, the az commands that apply it and the ARM-level
// patches (azure.ApplyPatches applies them to a snapshot). A fix never
// widens access beyond the flow: its source (the subnet prefix or the
// address, never *), its destination (the tag, the name or the addresses),
// its protocol and its port. Names of added resources are deterministic
// (vnetpath-allow-tcp-443-from-10.1.1.0_24-to-AzureResourceManager), so the
// same fix made twice is the same change. The sentence of a fix
// (Fix.Text) is made at the end of a check by answer.FixText.

// ARM resource types of the resources fixes add.
const (
	typeSecurityRule = "Microsoft.Network/networkSecurityGroups/securityRules"
	typePeering      = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings"
	typeRouteTable   = "Microsoft.Network/routeTables"
	typeRoute        = "Microsoft.Network/routeTables/routes"
	typeRCG          = "Microsoft.Network/firewallPolicies/ruleCollectionGroups"
	typeNATGateway   = "Microsoft.Network/natGateways"
	typePublicIP     = "Microsoft.Network/publicIPAddresses"
	typeZone         = "Microsoft.Network/privateDnsZones"
	typeZoneLink     = "Microsoft.Network/privateDnsZones/virtualNetworkLinks"
	typeARecord      = "Microsoft.Network/privateDnsZones/A"
	typeAAAARecord   = "Microsoft.Network/privateDnsZones/AAAA"
)

// maxFixPrefixes is the most destination prefixes a fix spells out; a
// larger set is named by its tag, or the fix is left to a person.
const maxFixPrefixes = 8

// memoFix returns the fix made under key, making it once: fixes of
// peerings, zone links and NAT gateways repeat across the results of a
// run. The fix is shared and read-only.
func (e *Engine) memoFix(key string, mk func() *answer.Fix) *answer.Fix {
	if v, ok := e.fixes.Load(key); ok {
		return v
	}
	v, _ := e.fixes.LoadOrStore(key, mk())
	return v
}

// unpatchable is a fix that a person must make: kind says what.
func unpatchable(kind answer.FixKind, resource, change string) *answer.Fix {
	return &answer.Fix{Resource: resource, Change: change, Kind: kind}
}

// fixExport asks for resources the snapshot lacks, with the az commands
// that export them: those the snapshot lists for them
// (topology.Missing.Export; for a child, the list command of its parent),
// else az resource show.
func (e *Engine) fixExport(ids []string) *answer.Fix {
	var az []string
	for _, id := range ids {
		cmd := "az resource show --ids " + id + " -o json"
		if m, ok := e.snap.MissingByID(id); ok && m.Export != "" {
			cmd = m.Export
		} else if x := topology.ExportCommand(id); x != "" {
			cmd = x
		}
		line := cmd + " > " + resourceName(80, "missing", armName(id)) + ".json"
		if !slices.Contains(az, line) {
			az = append(az, line)
		}
	}
	return &answer.Fix{Resource: ids[0], Change: "export " + strings.Join(ids, ", "), Kind: answer.FixExport, Az: strings.Join(az, "\n")}
}

// --- patches and az commands ---

// rawJSON encodes the plain values fixes are made of as JSON with sorted
// keys, without reflection: fixes are made for every blocker an answer
// shows.
func rawJSON(v any) json.RawMessage {
	return jsonenc.AppendValue(make([]byte, 0, 512), v)
}

func patchSet(id, property string, v any) answer.Patch {
	return answer.Patch{Op: answer.PatchSet, ID: id, Property: property, Value: rawJSON(v)}
}

func patchAdd(id, typ string, body map[string]any) answer.Patch {
	body["name"] = armName(id)
	return answer.Patch{Op: answer.PatchAdd, ID: id, Type: typ, Value: rawJSON(body)}
}

func patchRemove(id string) answer.Patch {
	return answer.Patch{Op: answer.PatchRemove, ID: id}
}

type obj = map[string]any

func ref(id string) obj { return obj{"id": id} }

// armName is the last name of an ARM ID.
func armName(id string) string { return topology.NameOf(id) }

// rg returns "-g RG" for az commands about the resource id.
func rg(id string) string {
	if g := idSegment(id, "resourceGroups"); g != "" {
		return "-g " + g
	}
	return "-g ?"
}

// sub returns " --subscription SUB" for az commands about the resource
// id, when the ID names one.
func sub(id string) string {
	if s := idSegment(id, "subscriptions"); s != "" {
		return " --subscription " + s
	}
	return ""
}

// idSegment returns the name that follows /key/ in an ARM ID (the key
// matched ignoring case), or "".
func idSegment(id, key string) string {
	for i := 0; i+len(key)+2 <= len(id); i++ {
		if id[i] == '/' && id[i+len(key)+1] == '/' && strings.EqualFold(id[i+1:i+1+len(key)], key) {
			rest := id[i+len(key)+2:]
			if j := strings.IndexByte(rest, '/'); j >= 0 {
				rest = rest[:j]
			}
			return rest
		}
	}
	return ""
}

// shellWord quotes a word for a POSIX shell when it needs quoting.
func shellWord(s string) string {
	if s != "" && strings.IndexFunc(s, func(c rune) bool {
		return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-_./:,=@", c))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func shellWords(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = shellWord(s)
	}
	return strings.Join(out, " ")
}

// resourceName makes a deterministic resource name of at most max
// characters from parts: letters, digits, '.', '-' and '_' only, a long
// name cut and ended with a hash of the whole.
func resourceName(max int, parts ...string) string {
	full := strings.Join(parts, "-")
	var b strings.Builder
	for _, c := range full {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '.':
			b.WriteRune(c)
		default:
			b.WriteByte('_')
		}
	}
	s := strings.TrimRight(b.String(), ".-")
	if len(s) <= max {
		return s
	}
	h := fnv.New32a()
	h.Write([]byte(full))
	sum := strconv.FormatUint(uint64(h.Sum32()), 16)
	return strings.TrimRight(s[:max-len(sum)-1], ".-") + "-" + sum
}

func nameHash(s string) int {
	h := fnv.New32a()
	h.Write([]byte(s))
	return int(h.Sum32() & 0x7fffffff)
}

// freePriority returns a priority in [lo, hi] that used does not hold,
// near hi: the search starts a name-derived step below hi (so that two
// fixes made apart rarely pick the same one) and goes down, then wraps.
func freePriority(lo, hi int, used map[int]bool, name string) (int, bool) {
	if hi < lo {
		return 0, false
	}
	span := hi - lo + 1
	start := hi - nameHash(name)%min(span, 16)
	for i := range span {
		p := start - i
		if p < lo {
			p += span
		}
		if !used[p] {
			return p, true
		}
	}
	return 0, false
}

// flowProto returns the protocol of a flow as NSG and firewall rules
// spell it, and its destination port ("*" for ICMP).
func flowProto(f flow) (nsg, fw, port string) {
	switch f.proto {
	case UDP:
		return "Udp", "UDP", strconv.Itoa(int(f.port))
	case ICMP:
		return "Icmp", "ICMP", "*"
	}
	return "Tcp", "TCP", strconv.Itoa(int(f.port))
}

// addrList returns the prefixes of a concrete side ("10.1.1.4" for a
// single address), or nil for a symbolic one.
func addrList(a addrs) []string {
	if a.isSym() {
		return nil
	}
	var out []string
	for _, p := range a.set.Prefixes() {
		if p.IsSingleIP() {
			out = append(out, p.Addr().String())
		} else {
			out = append(out, p.String())
		}
	}
	return out
}

// ruleDestination is how a fix's rule names the flow's destination: its
// service tag when it is one, else the addresses of the part (or, when
// they are too many to spell out, of the whole destination the check
// named); ok is false when those are too many too.
func ruleDestination(dst addrs, tag string, whole addrs) ([]string, bool) {
	switch {
	case dst.isSym():
		return []string{dst.sym}, true
	case tag != "":
		return []string{tag}, true
	}
	l := addrList(dst)
	if len(l) > maxFixPrefixes && !whole.empty() {
		l = addrList(whole)
	}
	return l, len(l) > 0 && len(l) <= maxFixPrefixes
}

func listOrOne(prefix string, l []string, o obj) {
	if len(l) == 1 {
		o[prefix+"Prefix"] = l[0]
	} else {
		o[prefix+"Prefixes"] = l
	}
}

// --- NSG ---

// fixNSGAllow adds an allow rule for the flow to nsg, ahead of the rule
// that denied it: a free priority below a custom deny, or among the custom
// priorities before a default rule (reference §3.2, §3.3). When no
// priority below the deny is free, the deny moves one up (if that is free)
// so that the order against every other rule stays.
func (e *Engine) fixNSGAllow(nsg *topology.NSG, dir topology.Direction, deny *topology.SecurityRule, src, dst, whole addrs, f flow) *answer.Fix {
	id := nsg.ID
	fix := &answer.Fix{Resource: id, Kind: answer.FixAddSecurityRule}
	proto, _, port := flowProto(f)
	srcs := addrList(src)
	dsts, ok := ruleDestination(dst, f.tag, whole)
	if len(srcs) == 0 || len(srcs) > maxFixPrefixes || !ok {
		fix.Kind = answer.FixReviewRules
		fix.Change = "allow " + string(dir) + " " + proto + " " + port + " in NSG " + nsg.Name
		return fix
	}
	parts := []string{"vnetpath-allow"}
	if dir == topology.DirectionInbound {
		parts = append(parts, "in")
	}
	parts = append(parts, strings.ToLower(proto), port, "from", srcs[0], "to", dsts[0])
	if len(srcs)+len(dsts) > 2 {
		parts = append(parts, strconv.Itoa(len(srcs)+len(dsts)))
	}
	name := resourceName(80, parts...)
	used := map[int]bool{}
	for _, r := range nsg.Rules {
		if r.Direction == dir {
			used[r.Priority] = true
		}
	}
	hi := 4096
	if deny != nil && !deny.Default {
		hi = deny.Priority - 1
	}
	prio, ok := freePriority(100, hi, used, name)
	var moveDeny bool
	if !ok && deny != nil && !deny.Default && deny.Priority < 4096 && !used[deny.Priority+1] {
		prio, moveDeny = deny.Priority, true
	} else if !ok {
		fix.Kind = answer.FixReviewRules
		fix.Change = "no free priority below " + strconv.Itoa(hi+1) + " for a rule allowing " + string(dir) + " " + proto + " " + port
		return fix
	}
	props := obj{"priority": prio, "direction": string(dir), "access": "Allow", "protocol": proto,
		"sourcePortRange": "*", "destinationPortRange": port, "description": "vnetpath: allow the flow " + proto + " " + port}
	listOrOne("sourceAddress", srcs, props)
	listOrOne("destinationAddress", dsts, props)
	ruleID := id + "/securityRules/" + name
	var az []string
	if moveDeny {
		fix.Patch = append(fix.Patch, patchSet(deny.ID, "properties.priority", deny.Priority+1))
		az = append(az, "az network nsg rule update "+rg(id)+" --nsg-name "+nsg.Name+" -n "+deny.Name+" --priority "+strconv.Itoa(deny.Priority+1)+sub(id))
	}
	fix.Patch = append(fix.Patch, patchAdd(ruleID, typeSecurityRule, obj{"properties": props}))
	az = append(az, "az network nsg rule create "+rg(id)+" --nsg-name "+nsg.Name+" -n "+name+" --priority "+strconv.Itoa(prio)+
		" --direction "+string(dir)+" --access Allow --protocol "+proto+" --source-address-prefixes "+shellWords(srcs)+
		" --source-port-ranges '*' --destination-address-prefixes "+shellWords(dsts)+" --destination-port-ranges "+shellWord(port)+sub(id))
	fix.Az = strings.Join(az, "\n")
	fix.Change = "add rule " + name + " (priority " + strconv.Itoa(prio) + "): allow " + strings.ToLower(string(dir)) + " " + strings.ToUpper(proto) + " " + port +
		" from " + strings.Join(srcs, ", ") + " to " + strings.Join(dsts, ", ")
	fix.Data = map[string]string{"rule": name, "priority": strconv.Itoa(prio)}
	if moveDeny {
		fix.Data["moved"] = strconv.Itoa(deny.Priority + 1)
		fix.Change += "; rule " + deny.Name + " moves to priority " + fix.Data["moved"]
	}
	return fix
}

// --- Azure Firewall ---

// fixFirewallAllow adds a network rule allowing the flow to the firewall
// policy that decides (the one holding the deny, which may be a base
// policy, else the firewall's own), in a new rule collection group
// evaluated before the deny; or to the classic rules, in a new network
// rule collection (reference §7.1).
func (e *Engine) fixFirewallAllow(c *compiledFW, deny *fwRule, src, dst, whole addrs, f flow) *answer.Fix {
	fix := &answer.Fix{Resource: c.fw.ID, Kind: answer.FixAddFirewallRule}
	_, proto, port := flowProto(f)
	srcs := addrList(src)
	dsts, ok := ruleDestination(dst, f.tag, whole)
	if len(srcs) == 0 || len(srcs) > maxFixPrefixes || !ok {
		fix.Kind = answer.FixReviewRules
		fix.Change = "allow " + proto + " " + port + " on firewall " + c.fw.Name
		return fix
	}
	parts := []string{"vnetpath-allow", strings.ToLower(proto), port, "from", srcs[0], "to", dsts[0]}
	if len(srcs)+len(dsts) > 2 {
		parts = append(parts, strconv.Itoa(len(srcs)+len(dsts)))
	}
	name := resourceName(80, parts...)
	before := deny != nil && deny.kind == topology.RuleNetwork // only a network deny must be beaten in order
	rule := obj{"name": name, "sourceAddresses": srcs, "destinationAddresses": dsts, "destinationPorts": []string{port}}
	change := "allow " + proto + " " + port + " from " + strings.Join(srcs, ", ") + " to " + strings.Join(dsts, ", ")
	if c.policy == nil {
		used := map[int]bool{}
		for _, rc := range c.fw.RuleCollections {
			if strings.EqualFold(rc.Kind, topology.RuleNetwork) {
				used[rc.Priority] = true
			}
		}
		hi := 65000
		if before {
			hi = deny.coll.Priority - 1
		}
		prio, ok := freePriority(100, hi, used, name)
		if !ok {
			fix.Kind = answer.FixReviewRules
			fix.Change = "no free network rule collection priority before " + deny.label
			return fix
		}
		rule["protocols"] = []string{proto}
		fix.Resource = c.fw.ID
		fix.Patch = []answer.Patch{patchSet(c.fw.ID, "properties.networkRuleCollections[-]",
			obj{"name": name, "properties": obj{"priority": prio, "action": obj{"type": "Allow"}, "rules": []any{rule}}})}
		fix.Az = "az network firewall network-rule create " + rg(c.fw.ID) + " -f " + c.fw.Name + " --collection-name " + name +
			" --priority " + strconv.Itoa(prio) + " --action Allow -n " + name + " --protocols " + proto +
			" --source-addresses " + shellWords(srcs) + " --destination-addresses " + shellWords(dsts) + " --destination-ports " + shellWord(port) + sub(c.fw.ID)
		fix.Change = "add network rule collection " + name + " (priority " + strconv.Itoa(prio) + "): " + change
		fix.Data = map[string]string{"rule": name, "collection": name, "priority": strconv.Itoa(prio)}
		return fix
	}
	p := c.policy
	if before && deny.owner != nil {
		p = deny.owner
	}
	used := map[int]bool{}
	for _, g := range p.Groups {
		used[g.Priority] = true
	}
	hi := 65000
	if before {
		hi = deny.group.Priority - 1
	}
	prio, ok := freePriority(100, hi, used, name)
	if !ok {
		fix.Kind = answer.FixReviewRules
		fix.Change = "no free rule collection group priority before " + deny.label
		return fix
	}
	rule["ruleType"] = "NetworkRule"
	rule["ipProtocols"] = []string{proto}
	rcg := p.ID + "/ruleCollectionGroups/" + name
	fix.Resource = p.ID
	fix.Patch = []answer.Patch{patchAdd(rcg, typeRCG, obj{"properties": obj{"priority": prio, "ruleCollections": []any{obj{
		"ruleCollectionType": "FirewallPolicyFilterRuleCollection", "name": name, "priority": 100,
		"action": obj{"type": "Allow"}, "rules": []any{rule}}}}})}
	fix.Az = "az network firewall policy rule-collection-group create " + rg(p.ID) + " --policy-name " + p.Name + " -n " + name + " --priority " + strconv.Itoa(prio) + sub(p.ID) + "\n" +
		"az network firewall policy rule-collection-group collection add-filter-collection " + rg(p.ID) + " --policy-name " + p.Name +
		" --rule-collection-group-name " + name + " -n " + name + " --collection-priority 100 --action Allow --rule-name " + name +
		" --rule-type NetworkRule --ip-protocols " + proto + " --source-addresses " + shellWords(srcs) +
		" --destination-addresses " + shellWords(dsts) + " --destination-ports " + shellWord(port) + sub(p.ID)
	fix.Change = "add rule collection group " + name + " (priority " + strconv.Itoa(prio) + ") to policy " + p.Name + ": " + change
	fix.Data = map[string]string{"rule": name, "collection": name, "priority": strconv.Itoa(prio)}
	return fix
}

// fixSNAT makes a firewall translate the source of network-rule traffic to
// dst (reference §7.3): its private ranges lose dst, and nothing else
// changes.
func (e *Engine) fixSNAT(c *compiledFW, dst addrs) *answer.Fix {
	fix := &answer.Fix{Resource: c.fw.ID, Kind: answer.FixSetSNAT}
	if dst.isSym() || c == nil {
		fix.Kind = answer.FixReviewRouting
		fix.Change = "SNAT the flow on the firewall"
		return fix
	}
	var ranges []string
	for _, p := range c.snatExempt.Subtract(dst.set).Prefixes() {
		ranges = append(ranges, p.String())
	}
	fix.Data = map[string]string{"firewall": c.fw.Name, "destination": describeAddrs(dst)}
	fix.Change = "private ranges without " + describeAddrs(dst) + ": " + strings.Join(ranges, ", ")
	if c.policy != nil {
		fix.Resource = c.policy.ID
		fix.Patch = []answer.Patch{patchSet(c.policy.ID, "properties.snat.privateRanges", ranges)}
		fix.Az = "az network firewall policy update " + rg(c.policy.ID) + " -n " + c.policy.Name + " --private-ranges " + shellWords(ranges) + sub(c.policy.ID)
		return fix
	}
	fix.Patch = []answer.Patch{patchSet(c.fw.ID, `properties.additionalProperties["Network.SNAT.PrivateRanges"]`, strings.Join(ranges, ","))}
	fix.Az = "az network firewall update " + rg(c.fw.ID) + " -n " + c.fw.Name + " --private-ranges " + shellWords(ranges) + sub(c.fw.ID)
	return fix
}

// fixDNSProxy enables DNS proxy on a firewall (reference §7.5).
func (e *Engine) fixDNSProxy(fw *topology.Firewall, c *compiledFW) *answer.Fix {
	if c.policy != nil {
		return &answer.Fix{Resource: c.policy.ID, Kind: answer.FixEnableDNSProxy, Change: "dnsSettings.enableProxy=true",
			Patch: []answer.Patch{patchSet(c.policy.ID, "properties.dnsSettings.enableProxy", true)},
			Az:    "az network firewall policy update " + rg(c.policy.ID) + " -n " + c.policy.Name + " --enable-dns-proxy true" + sub(c.policy.ID)}
	}
	return &answer.Fix{Resource: fw.ID, Kind: answer.FixEnableDNSProxy, Change: "Network.DNS.EnableProxy=true",
		Patch: []answer.Patch{patchSet(fw.ID, `properties.additionalProperties["Network.DNS.EnableProxy"]`, "true")},
		Az:    "az network firewall update " + rg(fw.ID) + " -n " + fw.Name + " --enable-dns-proxy true" + sub(fw.ID)}
}

// --- peering ---

// peeringBody is a new peering half toward remote as it is once created
// and the other half exists: Connected and in sync, virtual network access
// on, the rest off (reference §2.1, §2.2).
func (e *Engine) peeringBody(remote string) obj {
	props := obj{"remoteVirtualNetwork": ref(remote), "allowVirtualNetworkAccess": true, "allowForwardedTraffic": false,
		"allowGatewayTransit": false, "useRemoteGateways": false, "peeringState": "Connected", "peeringSyncLevel": "FullyInSync"}
	if rv, ok := e.snap.VNet(remote); ok && len(rv.AddressSpace) > 0 {
		space := obj{"addressPrefixes": prefixStrings(rv.AddressSpace)}
		props["remoteAddressSpace"], props["remoteVirtualNetworkAddressSpace"] = space, space
	}
	return obj{"properties": props}
}

func prefixStrings(ps []netip.Prefix) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

func peeringCreateAz(vnet, name, remote string, allowForwarded bool) string {
	s := "az network vnet peering create " + rg(vnet) + " --vnet-name " + armName(vnet) + " -n " + name + " --remote-vnet " + remote + " --allow-vnet-access"
	if allowForwarded {
		s += " --allow-forwarded-traffic"
	}
	return s + sub(vnet)
}

// fixCreatePeering peers two VNets, both halves; the half owned by to
// accepts forwarded traffic when the packet was forwarded (§2.1). New
// halves are always added alike, and what the flow needs beyond is set
// apart, so that fixes of several flows compose.
func (e *Engine) fixCreatePeering(from, to string, forwarded bool) *answer.Fix {
	return e.memoFix("peer|"+from+"|"+to+"|"+strconv.FormatBool(forwarded), func() *answer.Fix {
		n1 := resourceName(80, "vnetpath", armName(from), "to", armName(to))
		n2 := resourceName(80, "vnetpath", armName(to), "to", armName(from))
		fix := &answer.Fix{Resource: from, Kind: answer.FixCreatePeering,
			Change: "create peerings " + n1 + " and " + n2,
			Patch: []answer.Patch{
				patchAdd(from+"/virtualNetworkPeerings/"+n1, typePeering, e.peeringBody(to)),
				patchAdd(to+"/virtualNetworkPeerings/"+n2, typePeering, e.peeringBody(from)),
			},
			Az: peeringCreateAz(from, n1, to, false) + "\n" + peeringCreateAz(to, n2, from, forwarded)}
		if forwarded {
			fix.Patch = append(fix.Patch, patchSet(to+"/virtualNetworkPeerings/"+n2, "properties.allowForwardedTraffic", true))
			fix.Change += " (" + n2 + " allows forwarded traffic)"
		}
		return fix
	})
}

// fixMissingHalf creates the missing half of a peering, owned by VNet
// owner and pointing back at have's VNet, which makes have Connected; a
// Disconnected half never recovers and is re-created too (§2.2).
func (e *Engine) fixMissingHalf(have *topology.Peering, owner string, allowForwarded bool) *answer.Fix {
	return e.memoFix("half|"+have.ID+"|"+owner+"|"+strconv.FormatBool(allowForwarded), func() *answer.Fix {
		name := resourceName(80, "vnetpath", armName(owner), "to", armName(have.VNet))
		id := owner + "/virtualNetworkPeerings/" + name
		fix := &answer.Fix{Resource: owner, Kind: answer.FixCreatePeering, Change: "create peering " + name + " from " + armName(owner) + " to " + armName(have.VNet)}
		fix.Patch = []answer.Patch{patchAdd(id, typePeering, e.peeringBody(have.VNet)),
			patchSet(have.ID, "properties.peeringState", "Connected")}
		if allowForwarded {
			fix.Patch = append(fix.Patch, patchSet(id, "properties.allowForwardedTraffic", true))
			fix.Change += ", allowing forwarded traffic"
		}
		fix.Az = peeringCreateAz(owner, name, have.VNet, allowForwarded)
		if have.State == topology.PeeringDisconnected {
			fix.Kind = answer.FixRecreatePeering
			fix.Az = "az network vnet peering delete " + rg(have.ID) + " --vnet-name " + armName(have.VNet) + " -n " + have.Name + sub(have.ID) + "\n" +
				peeringCreateAz(have.VNet, have.Name, have.RemoteVNet, have.AllowForwardedTraffic) + "\n" + fix.Az
			fix.Change = "re-create peering " + have.Name + " and " + fix.Change
		}
		return fix
	})
}

// fixRecreatePeering brings a pair whose half is Initiated or Disconnected
// back to Connected: the bad half is deleted and created again.
func (e *Engine) fixRecreatePeering(bad, good *topology.Peering) *answer.Fix {
	return &answer.Fix{Resource: bad.ID, Kind: answer.FixRecreatePeering, Change: "re-create peering " + bad.Name,
		Patch: []answer.Patch{patchSet(bad.ID, "properties.peeringState", "Connected"), patchSet(good.ID, "properties.peeringState", "Connected")},
		Az: "az network vnet peering delete " + rg(bad.ID) + " --vnet-name " + armName(bad.VNet) + " -n " + bad.Name + sub(bad.ID) + "\n" +
			peeringCreateAz(bad.VNet, bad.Name, bad.RemoteVNet, bad.AllowForwardedTraffic)}
}

// fixPeeringFlag turns on a flag of a peering half.
func (e *Engine) fixPeeringFlag(p *topology.Peering, flag string) *answer.Fix {
	return &answer.Fix{Resource: p.ID, Kind: answer.FixSetProperty, Change: flag + "=true",
		Patch: []answer.Patch{patchSet(p.ID, "properties."+flag, true)},
		Az:    "az network vnet peering update " + rg(p.ID) + " --vnet-name " + armName(p.VNet) + " -n " + p.Name + " --set " + flag + "=true" + sub(p.ID)}
}

// fixPeeringSubnets adds a subnet to a subnet peering (§2.7): to the
// remote (or local) subnet names of p and to the local (or remote) ones of
// its other half.
func (e *Engine) fixPeeringSubnets(p *topology.Peering, side, subnet string) *answer.Fix {
	mine, theirs := "remoteSubnetNames", "localSubnetNames"
	if side == "local" {
		mine, theirs = theirs, mine
	}
	fix := &answer.Fix{Resource: p.ID, Kind: answer.FixSetProperty, Change: mine + " += " + subnet,
		Patch: []answer.Patch{patchSet(p.ID, "properties."+mine+"[-]", subnet)},
		Az:    "az network vnet peering update " + rg(p.ID) + " --vnet-name " + armName(p.VNet) + " -n " + p.Name + " --add " + mine + " " + subnet + sub(p.ID)}
	if q := e.peeringTo(p.RemoteVNet, p.VNet); q != nil {
		fix.Patch = append(fix.Patch, patchSet(q.ID, "properties."+theirs+"[-]", subnet))
		fix.Az += "\naz network vnet peering update " + rg(q.ID) + " --vnet-name " + armName(q.VNet) + " -n " + q.Name + " --add " + theirs + " " + subnet + sub(q.ID)
	}
	return fix
}

// fixPeeringIPv4 lets a subnet peering that carries only IPv6 carry IPv4
// too (reference §2.7): enableOnlyIPv6Peering off on both halves.
func (e *Engine) fixPeeringIPv4(p *topology.Peering) *answer.Fix {
	fix := &answer.Fix{Resource: p.ID, Kind: answer.FixSetProperty, Change: "enableOnlyIPv6Peering=false",
		Patch: []answer.Patch{patchSet(p.ID, "properties.enableOnlyIPv6Peering", false)},
		Az:    "az network vnet peering update " + rg(p.ID) + " --vnet-name " + armName(p.VNet) + " -n " + p.Name + " --set enableOnlyIPv6Peering=false" + sub(p.ID)}
	if q := e.peeringTo(p.RemoteVNet, p.VNet); q != nil && q.OnlyIPv6 {
		fix.Patch = append(fix.Patch, patchSet(q.ID, "properties.enableOnlyIPv6Peering", false))
		fix.Az += "\naz network vnet peering update " + rg(q.ID) + " --vnet-name " + armName(q.VNet) + " -n " + q.Name + " --set enableOnlyIPv6Peering=false" + sub(q.ID)
	}
	return fix
}

// fixSyncPeering syncs a peering with its remote VNet's current address
// space (§2.6).
func (e *Engine) fixSyncPeering(p *topology.Peering) *answer.Fix {
	space := prefixStrings(p.RemoteVNetAddressSpace)
	return &answer.Fix{Resource: p.ID, Kind: answer.FixSyncPeering, Change: "sync: remoteAddressSpace = " + strings.Join(space, ", "),
		Patch: []answer.Patch{patchSet(p.ID, "properties.remoteAddressSpace.addressPrefixes", space),
			patchSet(p.ID, "properties.peeringSyncLevel", "FullyInSync")},
		Az: "az network vnet peering sync " + rg(p.ID) + " --vnet-name " + armName(p.VNet) + " -n " + p.Name + sub(p.ID)}
}

// fixGateway lets a VNet without a gateway use a peered VNet's through
// gateway transit (§2.4), or asks for one.
func (e *Engine) fixGateway(v *topology.VNet) *answer.Fix {
	for _, p := range e.connectedPeerings(v) {
		q := e.remoteHalf(p)
		if q == nil || len(e.snap.GatewaysInVNet(p.RemoteVNet)) == 0 || len(e.snap.GatewaysInVNet(v.ID)) > 0 {
			continue
		}
		return &answer.Fix{Resource: p.ID, Kind: answer.FixUseRemoteGateway, Change: "useRemoteGateways=true on " + p.Name + ", allowGatewayTransit=true on " + q.Name,
			Data:  map[string]string{"hub": armName(p.RemoteVNet), "transit": q.Name, "use": p.Name},
			Patch: []answer.Patch{patchSet(q.ID, "properties.allowGatewayTransit", true), patchSet(p.ID, "properties.useRemoteGateways", true)},
			Az: "az network vnet peering update " + rg(q.ID) + " --vnet-name " + armName(q.VNet) + " -n " + q.Name + " --set allowGatewayTransit=true" + sub(q.ID) + "\n" +
				"az network vnet peering update " + rg(p.ID) + " --vnet-name " + armName(p.VNet) + " -n " + p.Name + " --set useRemoteGateways=true" + sub(p.ID)}
	}
	return unpatchable(answer.FixDeployGateway, v.ID, "deploy a VPN gateway in "+v.Name)
}

// --- routes ---

// udrSpec is a user-defined route a fix adds.
type udrSpec struct {
	name, prefix string
	nextHop      topology.NextHopType
	ip           netip.Addr
}

// fixAddRoutes adds user routes to the route table of subnet sn, creating
// the table (and associating it) when the subnet has none.
func (e *Engine) fixAddRoutes(sn *topology.Subnet, rt *topology.RouteTable, routes []udrSpec) *answer.Fix {
	fix := &answer.Fix{Resource: sn.ID, Kind: answer.FixAddRoute}
	var az []string
	rtID, rtName := "", ""
	if rt != nil {
		rtID, rtName = rt.ID, rt.Name
		fix.Resource = rt.ID
	} else {
		vnetID := topology.Parent(sn.ID)
		rtName = resourceName(80, "vnetpath-rt", armName(vnetID), sn.Name)
		if r, ok := topology.ParseResourceID(vnetID); ok {
			rtID = "/subscriptions/" + r.Subscription + "/resourceGroups/" + r.ResourceGroup + "/providers/Microsoft.Network/routeTables/" + rtName
		}
		loc := ""
		if v, ok := e.snap.VNet(vnetID); ok {
			loc = v.Location
		}
		fix.Patch = append(fix.Patch, patchAdd(rtID, typeRouteTable, obj{"location": loc, "properties": obj{"disableBgpRoutePropagation": false}}),
			patchSet(sn.ID, "properties.routeTable", ref(rtID)))
		az = append(az, "az network route-table create "+rg(rtID)+" -n "+rtName+sub(rtID),
			"az network vnet subnet update "+rg(sn.ID)+" --vnet-name "+armName(vnetID)+" -n "+sn.Name+" --route-table "+rtID+sub(sn.ID))
	}
	var names, descs []string
	for _, r := range routes {
		props := obj{"addressPrefix": r.prefix, "nextHopType": string(r.nextHop)}
		cmd := "az network route-table route create " + rg(rtID) + " --route-table-name " + rtName + " -n " + r.name +
			" --address-prefix " + r.prefix + " --next-hop-type " + string(r.nextHop)
		if r.ip.IsValid() {
			props["nextHopIpAddress"] = r.ip.String()
			cmd += " --next-hop-ip-address " + r.ip.String()
		}
		fix.Patch = append(fix.Patch, patchAdd(rtID+"/routes/"+r.name, typeRoute, obj{"properties": props}))
		az = append(az, cmd+sub(rtID))
		names = append(names, r.name)
		d := r.prefix + " → " + string(r.nextHop)
		if r.ip.IsValid() {
			d += " " + r.ip.String()
		}
		descs = append(descs, d)
	}
	fix.Az = strings.Join(az, "\n")
	fix.Change = "add route " + strings.Join(names, ", ") + " to " + rtName + ": " + strings.Join(descs, ", ")
	fix.Data = map[string]string{"route": strings.Join(names, ", "), "table": rtName, "prefix": routes[0].prefix, "nextHop": strings.TrimSpace(string(routes[0].nextHop) + " " + addrString(routes[0].ip))}
	return fix
}

func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

// routesTo returns the routes that send dst (a tag or up to
// maxFixPrefixes prefixes) to a next hop, named from what and the prefix.
func routesTo(what string, dst addrs, tag string, nh topology.NextHopType, ip netip.Addr) ([]udrSpec, bool) {
	l, ok := ruleDestination(dst, tag, addrs{})
	if !ok {
		return nil, false
	}
	out := make([]udrSpec, len(l))
	for i, p := range l {
		if _, err := netip.ParseAddr(p); err == nil {
			a := netip.MustParseAddr(p)
			p = netip.PrefixFrom(a, a.BitLen()).String()
		}
		out[i] = udrSpec{name: resourceName(80, "vnetpath", what, p), prefix: p, nextHop: nh, ip: ip}
	}
	return out, true
}

// fixTagToInternet routes a service tag the subnet sends into a VNet to
// the Internet instead.
func (e *Engine) fixTagToInternet(c *subnetCtx, tag string) *answer.Fix {
	rs, _ := routesTo("internet", symbolic(tag), "", topology.NextHopInternet, netip.Addr{})
	return e.fixAddRoutes(c.sn, c.rt, rs)
}

// fixRemoveRoute removes a user route.
func (e *Engine) fixRemoveRoute(r route.Route) *answer.Fix {
	id := r.Origin + "/routes/" + r.Name
	return &answer.Fix{Resource: id, Kind: answer.FixRemoveRoute, Change: "remove route " + r.Name + " from " + armName(r.Origin),
		Patch: []answer.Patch{patchRemove(id)},
		Az:    "az network route-table route delete " + rg(r.Origin) + " --route-table-name " + armName(r.Origin) + " -n " + r.Name + sub(r.Origin)}
}

// fixRouteNextHop points a user route at the firewall of its VNet or of a
// Connected peer; without one the fix is left to a person (kind
// otherwise).
func (e *Engine) fixRouteNextHop(v *topology.VNet, r route.Route, otherwise answer.FixKind) *answer.Fix {
	id := r.Origin + "/routes/" + r.Name
	vnets := []string{v.ID}
	for _, p := range e.connectedPeerings(v) {
		vnets = append(vnets, p.RemoteVNet)
	}
	for _, vid := range vnets {
		for fw := range e.snap.Firewalls() {
			for _, ic := range fw.IPConfigs {
				sn, ok := e.snap.Subnet(ic.Subnet)
				if !ok || !topology.SameID(sn.VNet, vid) || !ic.PrivateIP.IsValid() || ic.PrivateIP == r.NextHopIP {
					continue
				}
				hop := ic.PrivateIP.String()
				return &answer.Fix{Resource: id, Kind: answer.FixSetRouteNextHop, Change: "nextHopIpAddress=" + hop,
					Data:  map[string]string{"nextHop": hop + " (firewall " + fw.Name + ")"},
					Patch: []answer.Patch{patchSet(id, "properties.nextHopType", "VirtualAppliance"), patchSet(id, "properties.nextHopIpAddress", hop)},
					Az: "az network route-table route update " + rg(r.Origin) + " --route-table-name " + armName(r.Origin) + " -n " + r.Name +
						" --next-hop-type VirtualAppliance --next-hop-ip-address " + hop + sub(r.Origin)}
			}
		}
	}
	return unpatchable(otherwise, id, "point route "+r.Name+" at an appliance that forwards")
}

// fixLoop breaks a loop between appliances where the route that sends the
// packet back lives: a more specific route for the destination to the
// Internet, when the destination is public; otherwise a person decides.
func (e *Engine) fixLoop(r route.Route, dst addrs, tag string) *answer.Fix {
	public := dst.isSym() || tag != "" || publicSpace.ContainsSet(dst.set)
	rt, ok := e.snap.RouteTable(r.Origin)
	if !public || !ok || r.Source != route.SourceUser {
		return unpatchable(answer.FixReviewRouting, r.Origin, "point one default route at Internet or a firewall")
	}
	rs, ok := routesTo("internet", dst, tag, topology.NextHopInternet, netip.Addr{})
	if !ok {
		return unpatchable(answer.FixReviewRouting, r.Origin, "point one default route at Internet or a firewall")
	}
	var sn *topology.Subnet
	for s := range e.snap.Subnets() {
		if topology.SameID(s.RouteTable, rt.ID) {
			sn = s
			break
		}
	}
	if sn == nil {
		return unpatchable(answer.FixReviewRouting, r.Origin, "point one default route at Internet or a firewall")
	}
	return e.fixAddRoutes(sn, rt, rs)
}

// fixReplyRoute sends replies toward target from subnet at through the
// device they must pass (a user route to its address), or leaves the fix
// to a person when there is none.
func (e *Engine) fixReplyRoute(at *subnetCtx, target addrs, via *device) *answer.Fix {
	if via == nil || !via.ip.IsValid() {
		return unpatchable(answer.FixReviewRouting, at.sn.ID, "add a route back to the source on "+at.name)
	}
	rs, ok := routesTo("return", target, "", topology.NextHopVirtualAppliance, via.ip)
	if !ok {
		return unpatchable(answer.FixReviewRouting, at.sn.ID, "add a route back to the source on "+at.name)
	}
	return e.fixAddRoutes(at.sn, at.rt, rs)
}

// fixReplyNextHop points the route that sends replies from subnet at to
// an address nothing holds at the device the request passed, or at a
// firewall of the VNet or a peer.
func (e *Engine) fixReplyNextHop(at *subnetCtx, r route.Route, via *device) *answer.Fix {
	if r.Source != route.SourceUser {
		return unpatchable(answer.FixReviewRouting, r.Origin, "make the reply path follow the request path")
	}
	if via == nil || !via.ip.IsValid() {
		return e.fixRouteNextHop(at.vnet, r, answer.FixReviewRouting)
	}
	id := r.Origin + "/routes/" + r.Name
	hop := via.ip.String()
	return &answer.Fix{Resource: id, Kind: answer.FixSetRouteNextHop, Change: "nextHopIpAddress=" + hop,
		Data:  map[string]string{"nextHop": hop + " (" + via.name + ")"},
		Patch: []answer.Patch{patchSet(id, "properties.nextHopType", "VirtualAppliance"), patchSet(id, "properties.nextHopIpAddress", hop)},
		Az: "az network route-table route update " + rg(r.Origin) + " --route-table-name " + armName(r.Origin) + " -n " + r.Name +
			" --next-hop-type VirtualAppliance --next-hop-ip-address " + hop + sub(r.Origin)}
}

// fixRequestRoute sends requests toward dst from subnet src through the
// appliance at ip that the replies pass.
func (e *Engine) fixRequestRoute(src *subnetCtx, dst addrs, ip netip.Addr) *answer.Fix {
	if src == nil {
		return unpatchable(answer.FixReviewRouting, "", "route the requests through the appliance the replies pass")
	}
	rs, ok := routesTo("via", dst, "", topology.NextHopVirtualAppliance, ip)
	if !ok {
		return unpatchable(answer.FixReviewRouting, src.sn.ID, "route the requests through the appliance the replies pass")
	}
	return e.fixAddRoutes(src.sn, src.rt, rs)
}

// fixLBHAPorts adds an HA-ports load-balancing rule from frontend fe of
// lb to its first backend pool, so that the frontend carries every flow
// to the appliances (reference §10 item 43); without a pool a person
// decides.
func (e *Engine) fixLBHAPorts(lb *topology.LoadBalancer, fe *topology.LBFrontend) *answer.Fix {
	if len(lb.Pools) == 0 {
		return unpatchable(answer.FixReviewRouting, lb.ID, "add an HA-ports load-balancing rule from frontend "+fe.Name+" to the appliances' backend pool")
	}
	pool := lb.Pools[0]
	name := resourceName(80, "vnetpath-ha-ports", fe.Name)
	return &answer.Fix{Resource: lb.ID, Kind: answer.FixSetProperty, Change: "add load-balancing rule " + name + ": HA ports from " + fe.Name + " to " + pool.Name,
		Data: map[string]string{"rule": name, "pool": pool.Name},
		Patch: []answer.Patch{patchSet(lb.ID, "properties.loadBalancingRules[-]", obj{"name": name, "properties": obj{
			"protocol": "All", "frontendPort": 0, "backendPort": 0, "frontendIPConfiguration": ref(fe.ID), "backendAddressPool": ref(pool.ID)}})},
		Az: "az network lb rule create " + rg(lb.ID) + " --lb-name " + lb.Name + " -n " + name + " --protocol All --frontend-port 0 --backend-port 0 --frontend-ip-name " +
			fe.Name + " --backend-pool-name " + pool.Name + sub(lb.ID)}
}

// --- NIC, private endpoint, egress ---

// fixIPForwarding enables IP forwarding on a NIC.
func (e *Engine) fixIPForwarding(nic string) *answer.Fix {
	return &answer.Fix{Resource: nic, Kind: answer.FixEnableIPForwarding, Change: "enableIPForwarding=true",
		Patch: []answer.Patch{patchSet(nic, "properties.enableIPForwarding", true)},
		Az:    "az network nic update " + rg(nic) + " -n " + armName(nic) + " --ip-forwarding true" + sub(nic)}
}

// fixApproveConnection approves the connections of a private endpoint
// that are not Approved.
func (e *Engine) fixApproveConnection(pe *topology.PrivateEndpoint) *answer.Fix {
	fix := &answer.Fix{Resource: pe.ID, Kind: answer.FixApproveConnection}
	var auto, manual int
	var names []string
	for _, c := range pe.Connections {
		field, i := "privateLinkServiceConnections", auto
		if c.Manual {
			field, i = "manualPrivateLinkServiceConnections", manual
			manual++
		} else {
			auto++
		}
		if strings.EqualFold(c.Status, topology.ConnectionApproved) {
			continue
		}
		names = append(names, c.Name)
		fix.Patch = append(fix.Patch, patchSet(pe.ID, "properties."+field+"["+strconv.Itoa(i)+"].properties.privateLinkServiceConnectionState.status", "Approved"))
	}
	fix.Change = "approve connection " + strings.Join(names, ", ")
	if len(names) == 0 {
		fix.Change = "approve the connection"
	}
	return fix
}

// fixNATGateway gives a subnet an outbound method: a new NAT gateway with
// a new public IP, attached to it (reference §1.6).
func (e *Engine) fixNATGateway(sn *topology.Subnet) *answer.Fix {
	return e.memoFix("nat|"+sn.ID, func() *answer.Fix {
		vnetID := topology.Parent(sn.ID)
		r, ok := topology.ParseResourceID(vnetID)
		if !ok {
			return unpatchable(answer.FixReviewRouting, sn.ID, "give the subnet an outbound method")
		}
		base := "/subscriptions/" + r.Subscription + "/resourceGroups/" + r.ResourceGroup + "/providers/Microsoft.Network/"
		ngName := resourceName(80, "vnetpath-ng", armName(vnetID), sn.Name)
		pipName := resourceName(80, "vnetpath-pip", armName(vnetID), sn.Name)
		ng, pip := base+"natGateways/"+ngName, base+"publicIPAddresses/"+pipName
		loc := ""
		if v, ok := e.snap.VNet(vnetID); ok {
			loc = v.Location
		}
		return &answer.Fix{Resource: sn.ID, Kind: answer.FixAttachNATGateway, Change: "natGateway=" + ngName + " (new, with public IP " + pipName + ")",
			Data: map[string]string{"natGateway": ngName, "subnet": topology.ShortName(sn.ID)},
			Patch: []answer.Patch{
				patchAdd(pip, typePublicIP, obj{"location": loc, "sku": obj{"name": "Standard", "tier": "Regional"},
					"properties": obj{"publicIPAllocationMethod": "Static", "publicIPAddressVersion": "IPv4"}}),
				patchAdd(ng, typeNATGateway, obj{"location": loc, "sku": obj{"name": "Standard"},
					"properties": obj{"publicIpAddresses": []any{ref(pip)}, "subnets": []any{ref(sn.ID)}}}),
				patchSet(sn.ID, "properties.natGateway", ref(ng)),
			},
			Az: "az network public-ip create " + rg(pip) + " -n " + pipName + " --sku Standard --allocation-method Static" + sub(pip) + "\n" +
				"az network nat gateway create " + rg(ng) + " -n " + ngName + " --public-ip-addresses " + pipName + sub(ng) + "\n" +
				"az network vnet subnet update " + rg(sn.ID) + " --vnet-name " + armName(vnetID) + " -n " + sn.Name + " --nat-gateway " + ng + sub(sn.ID)}
	})
}

// fixIPv6PublicIP gives a NIC's IPv6 IP configuration a new IPv6 public
// IP, the way IPv6 reaches the Internet from a NIC (reference §10 item
// 39); a NIC without an IPv6 configuration is left to a person.
func (e *Engine) fixIPv6PublicIP(nic *topology.NIC) *answer.Fix {
	i := slices.IndexFunc(nic.IPConfigs, func(c topology.IPConfig) bool { return c.PrivateIP.Is6() })
	r, ok := topology.ParseResourceID(nic.ID)
	if i < 0 || !ok {
		return unpatchable(answer.FixReviewRouting, nic.ID, "give NIC "+nic.Name+" an IPv6 IP configuration with an IPv6 public IP")
	}
	cfg := nic.IPConfigs[i]
	name := resourceName(80, "vnetpath-pip6", nic.Name)
	pip := "/subscriptions/" + r.Subscription + "/resourceGroups/" + r.ResourceGroup + "/providers/Microsoft.Network/publicIPAddresses/" + name
	return &answer.Fix{Resource: nic.ID, Kind: answer.FixSetProperty, Change: "ipConfigurations/" + cfg.Name + ".publicIPAddress=" + name + " (new, IPv6)",
		Data: map[string]string{"publicIP": name, "nic": nic.Name, "ipConfig": cfg.Name},
		Patch: []answer.Patch{
			patchAdd(pip, typePublicIP, obj{"location": nic.Location, "sku": obj{"name": "Standard", "tier": "Regional"},
				"properties": obj{"publicIPAllocationMethod": "Static", "publicIPAddressVersion": "IPv6"}}),
			patchSet(nic.ID, "properties.ipConfigurations["+strconv.Itoa(i)+"].properties.publicIPAddress", ref(pip)),
		},
		Az: "az network public-ip create " + rg(pip) + " -n " + name + " --sku Standard --version IPv6 --allocation-method Static" + sub(pip) + "\n" +
			"az network nic ip-config update " + rg(nic.ID) + " --nic-name " + nic.Name + " -n " + cfg.Name + " --public-ip-address " + name + sub(nic.ID)}
}

// --- DNS ---

// zoneLinkName is the name of the link a fix makes from a zone to a VNet.
func zoneLinkName(vnet string) string { return resourceName(80, "vnetpath", vnet) }

// fixZoneLink links a private DNS zone to a VNet (reference §5.4).
func (e *Engine) fixZoneLink(z *topology.PrivateZone, v *topology.VNet) *answer.Fix {
	return e.memoFix("link|"+z.ID+"|"+v.ID, func() *answer.Fix {
		name := zoneLinkName(v.Name)
		return &answer.Fix{Resource: z.ID, Kind: answer.FixAddZoneLink, Change: "link zone " + z.Name + " to VNet " + v.Name,
			Patch: []answer.Patch{patchAdd(z.ID+"/virtualNetworkLinks/"+name, typeZoneLink,
				obj{"location": "global", "properties": obj{"virtualNetwork": ref(v.ID), "registrationEnabled": false, "resolutionPolicy": "Default"}})},
			Az: "az network private-dns link vnet create " + rg(z.ID) + " -z " + z.Name + " -n " + name + " -v " + v.ID + " -e false" + sub(z.ID)}
	})
}

// recordPatches adds an A (or AAAA) record rel with addresses to zone.
func recordPatches(zone, zoneName, rel string, ips []string) ([]answer.Patch, []string) {
	var v4, v6 []any
	var az []string
	for _, s := range ips {
		a, err := netip.ParseAddr(s)
		if err != nil {
			continue
		}
		if a.Is4() {
			v4 = append(v4, obj{"ipv4Address": s})
			az = append(az, "az network private-dns record-set a add-record "+rg(zone)+" -z "+zoneName+" -n "+rel+" -a "+s+sub(zone))
		} else {
			v6 = append(v6, obj{"ipv6Address": s})
			az = append(az, "az network private-dns record-set aaaa add-record "+rg(zone)+" -z "+zoneName+" -n "+rel+" -a "+s+sub(zone))
		}
	}
	var out []answer.Patch
	if len(v4) > 0 {
		out = append(out, patchAdd(zone+"/A/"+rel, typeARecord, obj{"properties": obj{"ttl": 10, "aRecords": v4}}))
	}
	if len(v6) > 0 {
		out = append(out, patchAdd(zone+"/AAAA/"+rel, typeAAAARecord, obj{"properties": obj{"ttl": 10, "aaaaRecords": v6}}))
	}
	return out, az
}

// fixNXDomain repairs a linked zone that lacks a name's record: the record
// with the addresses the private endpoint serves it at, when one does, else
// NxDomainRedirect on the link, which lets the query fall back to public
// resolution (reference §5.2, §5.4).
func (e *Engine) fixNXDomain(z *topology.PrivateZone, link *topology.ZoneLink, rel string, expected []string) *answer.Fix {
	if ps, az := recordPatches(z.ID, z.Name, rel, expected); len(ps) > 0 {
		return &answer.Fix{Resource: z.ID, Kind: answer.FixAddRecord, Change: "add record " + rel + " (" + strings.Join(expected, ", ") + ")",
			Data: map[string]string{"addresses": strings.Join(expected, ", ")}, Patch: ps, Az: strings.Join(az, "\n")}
	}
	if link == nil {
		return unpatchable(answer.FixReviewDNS, z.ID, "add the record "+rel+" to zone "+z.Name)
	}
	return &answer.Fix{Resource: link.ID, Kind: answer.FixSetProperty, Change: "resolutionPolicy=NxDomainRedirect",
		Patch: []answer.Patch{patchSet(link.ID, "properties.resolutionPolicy", "NxDomainRedirect")},
		Az:    "az network private-dns link vnet update " + rg(link.ID) + " -z " + z.Name + " -n " + link.Name + " --resolution-policy NxDomainRedirect" + sub(link.ID)}
}

// fixCreateZone creates a privatelink zone with a private endpoint's
// record, in the endpoint's resource group, and links it to a VNet.
func (e *Engine) fixCreateZone(zone, rel string, ips []string, pe *topology.PrivateEndpoint, v *topology.VNet) *answer.Fix {
	r, ok := topology.ParseResourceID(pe.ID)
	if !ok {
		return unpatchable(answer.FixReviewDNS, pe.ID, "create private DNS zone "+zone)
	}
	zid := "/subscriptions/" + r.Subscription + "/resourceGroups/" + r.ResourceGroup + "/providers/Microsoft.Network/privateDnsZones/" + zone
	fix := &answer.Fix{Resource: zid, Kind: answer.FixCreateZone, Change: "create zone " + zone + " with record " + rel + " and link it to VNet " + v.Name}
	fix.Patch = append(fix.Patch, patchAdd(zid, typeZone, obj{"location": "global", "properties": obj{}}))
	ps, az := recordPatches(zid, zone, rel, ips)
	fix.Patch = append(fix.Patch, ps...)
	link := zoneLinkName(v.Name)
	fix.Patch = append(fix.Patch, patchAdd(zid+"/virtualNetworkLinks/"+link, typeZoneLink,
		obj{"location": "global", "properties": obj{"virtualNetwork": ref(v.ID), "registrationEnabled": false, "resolutionPolicy": "Default"}}))
	fix.Az = strings.Join(append(append([]string{"az network private-dns zone create " + rg(zid) + " -n " + zone + sub(zid)}, az...),
		"az network private-dns link vnet create "+rg(zid)+" -z "+zone+" -n "+link+" -v "+v.ID+" -e false"+sub(zid)), "\n")
	return fix
}
