package azure

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/vnetpath/vnetpath/cidr"
	"github.com/vnetpath/vnetpath/topology"
)

// part is one resource the loader hands to the Builder: its ARM type and
// its topology value (topology.VNet, topology.Subnet, ...).
type part struct {
	typ string
	v   any
	ctx *rctx // the resource's context: when it is dropped, so is v
}

// outcome is what the loader made of one resource in a file.
type outcome struct {
	parts    []part
	findings []*topology.Finding
	skip     string // a type vnetpath does not model: counted, not loaded
	skipID   string // the ID of the skipped resource
	// root and flat are those of the resource's context (see rctx), kept to
	// place the Builder's findings.
	root string
	flat map[string]bool
}

// rctx is the conversion context of one resource: the resource at fault
// when a finding is recorded. Embedded children (subnets of a VNet, routes
// of a route table, ...) get their own context, so that lenient loading
// drops only the child.
type rctx struct {
	out     *outcome
	file    string
	typ     string // the ARM type of the root resource, as registered
	id      string
	path    string            // JSON path of the resource in file
	bad     *topology.Finding // the first error about the resource, which drops it
	pending *[]decodeError    // decode errors not yet claimed by a child (paths relative to the root resource)
	root    string            // JSON path of the root resource; pending paths are relative to it
	flat    map[string]bool   // paths (relative to root) of objects written without their "properties" wrapper
	parent  *rctx             // the resource that embeds this one
	lists   *listCache        // parsed address and port lists, shared by the resources of one decoder
}

// listCache holds the address and port lists of one token each (a rule's
// sourceAddressPrefix "VirtualNetwork", its destinationPortRange "443"), so
// that the many rules that repeat one share its parsed list instead of
// each holding a copy. The lists are full (length = capacity): appending
// to one copies it. Tokens that do not parse are not kept, so that each
// resource that has one gets its error.
type listCache struct {
	addrs map[string][]topology.Address
	ports map[string][]cidr.PortRange
}

// maxCachedLists bounds each map of a listCache: past it, the map starts
// again empty.
const maxCachedLists = 4096

// fault returns the first error about the resource or the nearest resource
// that embeds it, or nil: embedded children go with their parent.
func (c *rctx) fault() *topology.Finding {
	for ; c != nil; c = c.parent {
		if c.bad != nil {
			return c.bad
		}
	}
	return nil
}

// meta returns the Meta of the resource.
func (c *rctx) meta(name string) topology.Meta {
	if name == "" {
		name = topology.NameOf(c.id)
	} else if n := len(c.id) - len(name); n > 0 && c.id[n-1] == '/' && c.id[n:] == name {
		name = c.id[n:] // the end of the ID: one string instead of two
	}
	return topology.Meta{ID: c.id, Name: name, File: c.file, Path: c.path}
}

// child returns the context of an embedded resource at path (absolute),
// claiming the decode errors inside it.
func (c *rctx) child(path, id string) *rctx {
	ch := &rctx{out: c.out, file: c.file, typ: c.typ, id: id, path: c.written(path), pending: c.pending, root: c.root, flat: c.flat, parent: c, lists: c.lists}
	ch.claim()
	return ch
}

// claim turns the pending decode errors inside the resource into its
// findings.
func (c *rctx) claim() {
	if c.pending == nil {
		return
	}
	rel := strings.TrimPrefix(c.path, c.root)
	kept := (*c.pending)[:0]
	for _, e := range *c.pending {
		if rel == "" || e.path == rel || strings.HasPrefix(e.path, rel) && (e.path[len(rel)] == '.' || e.path[len(rel)] == '[') {
			c.finding(c.root+e.path, e.msg, true)
			continue
		}
		kept = append(kept, e)
	}
	*c.pending = kept
}

// written maps a path spelled with the ARM "properties" wrapper to the path
// as written in the file, dropping ".properties" after objects that were
// flattened (see decoder).
func (c *rctx) written(path string) string { return written(c.root, c.flat, path) }

// written maps a path spelled with the ARM "properties" wrapper to the path
// as written in the file, given the root resource's path and the paths
// (relative to it) of the objects written flattened.
func written(root string, flat map[string]bool, path string) string {
	if len(flat) == 0 || !strings.HasPrefix(path, root) {
		return path
	}
	rel := path[len(root):]
	var b strings.Builder
	for rel != "" {
		n := segmentLen(rel)
		if rel[:n] == ".properties" && flat[b.String()] {
			rel = rel[n:]
			continue
		}
		b.WriteString(rel[:n])
		rel = rel[n:]
	}
	return root + b.String()
}

// segmentLen returns the length of the first segment of a JSON path suffix:
// ".key", "[3]" or `["key"]`.
func segmentLen(p string) int {
	i := 1
	if p[0] == '[' && len(p) > 1 && p[1] == '"' {
		for i = 2; i < len(p); i++ {
			if p[i] == '\\' {
				i++
			} else if p[i] == '"' {
				break
			}
		}
	}
	for ; i < len(p); i++ {
		if p[i] == '.' || p[i] == '[' {
			return i
		}
		if p[0] == '[' && p[i] == ']' {
			return i + 1
		}
	}
	return len(p)
}

func (c *rctx) finding(path, msg string, fatal bool) {
	path = c.written(path)
	f := &topology.Finding{ID: c.id, File: c.file, Path: path, Msg: msg, Fatal: fatal}
	c.out.findings = append(c.out.findings, f)
	if fatal && c.bad == nil {
		c.bad = f
	}
}

// fail records an error about the field at path (relative to the
// resource), which drops the resource.
func (c *rctx) fail(field, msg string) { c.finding(c.path+field, msg, true) }

// warn records a warning about the field at path (relative to the
// resource).
func (c *rctx) warn(field, msg string) { c.finding(c.path+field, msg, false) }

// add hands v, of ARM type typ, to the Builder, unless the resource turns
// out to be at fault.
func (c *rctx) add(typ string, v any) {
	c.out.parts = append(c.out.parts, part{typ: typ, v: v, ctx: c})
}

func quote(s string) string { return strconv.Quote(s) }

func itoa(n int) string { return strconv.Itoa(n) }

// idx returns field + "[i]".
func idx(field string, i int) string { return field + "[" + strconv.Itoa(i) + "]" }

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func strs(ps []*string) []string {
	if len(ps) == 0 {
		return nil
	}
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		if p != nil {
			out = append(out, *p)
		}
	}
	return out
}

func boolOr(p *bool, def bool) bool {
	if p == nil {
		return def
	}
	return *p
}

func deref[T any](p *T) T {
	if p == nil {
		var z T
		return z
	}
	return *p
}

// prefix parses a CIDR prefix or address (a /32 or /128).
func (c *rctx) prefix(s, field string) (netip.Prefix, bool) {
	p, err := cidr.ParsePrefix(s)
	if err != nil {
		c.fail(field, err.Error())
		return netip.Prefix{}, false
	}
	return p, true
}

// prefixes parses a list of prefixes, skipping nulls and empty strings.
func (c *rctx) prefixes(ps []*string, field string) []netip.Prefix {
	var out []netip.Prefix
	for i, p := range ps {
		if p == nil || strings.TrimSpace(*p) == "" {
			continue
		}
		if x, ok := c.prefix(*p, idx(field, i)); ok {
			out = append(out, x)
		}
	}
	return out
}

// addr parses an IP address; "" is the zero Addr.
func (c *rctx) addr(s, field string) netip.Addr {
	s = strings.TrimSpace(s)
	if s == "" {
		return netip.Addr{}
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		c.fail(field, fmt.Sprintf("%q: not an IP address", s))
		return netip.Addr{}
	}
	return a.Unmap()
}

func (c *rctx) addrs(ps []*string, field string) []netip.Addr {
	var out []netip.Addr
	for i, p := range ps {
		if a := c.addr(str(p), idx(field, i)); a.IsValid() {
			out = append(out, a)
		}
	}
	return out
}

// addresses parses rule address tokens: prefixes, ranges, "*" or tag names.
func (c *rctx) addresses(ps []*string, field string) []topology.Address {
	var out []topology.Address
	for i, p := range ps {
		if a, ok := c.address(str(p), idx(field, i)); ok {
			out = append(out, a)
		}
	}
	return out
}

func (c *rctx) address(s, field string) (topology.Address, bool) {
	if strings.TrimSpace(s) == "" {
		return topology.Address{}, false
	}
	a, err := topology.ParseAddress(strings.TrimSpace(s))
	if err != nil {
		c.fail(field, err.Error())
		return topology.Address{}, false
	}
	return a, true
}

// addressList returns the list of the one address token s (a rule's
// sourceAddressPrefix): nil when s is blank or does not parse (recorded
// as addresses does), shared with the other resources that give the same
// token when c has a listCache.
func (c *rctx) addressList(s, field string) []topology.Address {
	if c.lists != nil {
		if l, ok := c.lists.addrs[s]; ok {
			return l
		}
	}
	a, ok := c.address(s, field)
	if !ok {
		return nil
	}
	l := []topology.Address{a}
	if c.lists != nil {
		if c.lists.addrs == nil || len(c.lists.addrs) >= maxCachedLists {
			c.lists.addrs = map[string][]topology.Address{}
		}
		c.lists.addrs[s] = l
	}
	return l
}

// sharedPortList is portList, its result full (length = capacity) and
// shared with the other resources that give the same token when c has a
// listCache.
func (c *rctx) sharedPortList(s, field string) []cidr.PortRange {
	if c.lists != nil {
		if l, ok := c.lists.ports[s]; ok {
			return l
		}
	}
	l := slices.Clip(c.portList(s, field))
	if l != nil && c.lists != nil {
		if c.lists.ports == nil || len(c.lists.ports) >= maxCachedLists {
			c.lists.ports = map[string][]cidr.PortRange{}
		}
		c.lists.ports[s] = l
	}
	return l
}

// ports parses port tokens ("*", "443", "80-88", also comma lists).
func (c *rctx) ports(ps []*string, field string) []cidr.PortRange {
	var out []cidr.PortRange
	for i, p := range ps {
		out = append(out, c.portList(str(p), idx(field, i))...)
	}
	return out
}

func (c *rctx) portList(s, field string) []cidr.PortRange {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	rs, err := cidr.ParsePorts(s)
	if err != nil {
		c.fail(field, err.Error())
		return nil
	}
	return rs
}

// enum returns the value of an Azure enum field in its canonical spelling.
// A value Azure does not define (per the SDK's Possible...Values list) is
// kept as written, with a warning: the Builder's validation and the engine
// decide what it means.
func enum[T ~string](c *rctx, v *T, field string, possible []T) string {
	if v == nil {
		return ""
	}
	s := string(*v)
	for _, p := range possible {
		if strings.EqualFold(string(p), s) {
			return string(p)
		}
	}
	names := make([]string, len(possible))
	for i, p := range possible {
		names[i] = string(p)
	}
	c.warn(field, fmt.Sprintf("unknown value %q (Azure defines %s); kept as written", s, strings.Join(names, ", ")))
	return s
}

// ids returns the IDs of references, skipping empty ones.
func ids[T any](refs []*T, id func(*T) *string) []string {
	var out []string
	for _, r := range refs {
		if r == nil {
			continue
		}
		if s := str(id(r)); s != "" {
			out = append(out, s)
		}
	}
	return out
}
