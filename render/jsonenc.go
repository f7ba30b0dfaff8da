package render

import (
	"bytes"
	"encoding/json"
	"maps"
	"strconv"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/internal/jsonenc"
)

// The JSON of answers is written by hand, without encoding/json's
// reflection: each type of package answer has an append function that
// writes what json.Marshal writes for it, byte for byte (the tests compare
// the two on every scenario, on generated estates, and on values with
// every field set). At estate scale answers share values by pointer — the
// engine hands out one rule and route reference for every hop that has
// them, and one patch value for every answer a fix applies to; it may
// hand out one hop list, resolution or list of reverse lookups to several
// answers — so an encoder remembers what it wrote for shared values, keyed
// by their address, and copies those bytes again. Rules and routes are
// remembered the first time they are met; lists, resolutions and patch
// values only the second time: at 1,000 spokes every resolution and three
// hop lists in four belong to one answer alone (the rest are a source's
// checks of one flow under several names), and copying their bytes aside
// at once would cost more than those shared save.

// jsonEncoder appends the compact JSON of answers. It remembers the
// encoding of values answers share by pointer (rules, routes, resolutions,
// hop lists, reverse lookups, patch values), so it assumes that what it
// has encoded is not changed afterwards; a fresh encoder forgets
// everything.
type jsonEncoder struct {
	rules  map[*answer.RuleRef][]byte
	routes map[*answer.RouteRef][]byte
	// Values remembered the second time they are met: a key met once
	// holds nil.
	hops    map[hopsKey][]byte
	dns     map[*answer.Resolution][]byte
	reverse map[reverseKey][]byte
	raws    map[rawKey][]byte
	cached  int // bytes of the encodings held
	noted   int // bytes of the encodings of values met once
	// held holds the encodings remembered, one after another: written
	// over from its start when the encoder starts afresh, instead of a
	// copy allocated for each.
	held []byte
	// compact and escaped are the scratch buffers of raw.
	compact, escaped bytes.Buffer
	err              error
}

// hopsKey names a hop list by its first element and length. The pointer
// keeps the list alive, so the address cannot be reused for another.
type hopsKey struct {
	first *answer.Hop
	n     int
}

// reverseKey names a list of reverse lookups as hopsKey names hops.
type reverseKey struct {
	first *answer.ReverseLookup
	n     int
}

// rawKey names the bytes of a raw JSON value as hopsKey names hops.
type rawKey struct {
	first *byte
	n     int
}

// maxCached bounds the encodings an encoder holds; past it, it starts
// afresh. The engine answers a large run in segments, each with its own
// rules and routes, so what an encoder holds from a finished segment is
// not met again: at 1,000 spokes the run's rules and routes come to 22 MB
// of encodings, met 886,000 times, and starting afresh at 16 MB costs
// fewer than 100 encodings more than holding them all.
const maxCached = 16 << 20

// maxNoted bounds the values an encoder has met once and keeps alive by
// their keys, measured by the length of their encodings; past it, it
// forgets them. It is counted apart from maxCached: values met once are
// most, and forgetting them should not forget the rules and routes that
// answers share.
const maxNoted = 16 << 20

func newJSONEncoder() *jsonEncoder {
	return &jsonEncoder{
		rules:   map[*answer.RuleRef][]byte{},
		routes:  map[*answer.RouteRef][]byte{},
		hops:    map[hopsKey][]byte{},
		dns:     map[*answer.Resolution][]byte{},
		reverse: map[reverseKey][]byte{},
		raws:    map[rawKey][]byte{},
	}
}

// reset forgets what the encoder remembers. The maps are cleared rather
// than made anew, and the encodings' room is kept: they do not grow again
// from empty. Nothing refers to the room once the maps are cleared.
func (e *jsonEncoder) reset() {
	clear(e.rules)
	clear(e.routes)
	clear(e.hops)
	clear(e.dns)
	clear(e.reverse)
	clear(e.raws)
	e.cached, e.noted = 0, 0
	e.held = e.held[:0]
}

// forgetNoted forgets the values met once, and keeps the encodings held.
func (e *jsonEncoder) forgetNoted() {
	dropNoted(e.hops)
	dropNoted(e.dns)
	dropNoted(e.reverse)
	dropNoted(e.raws)
	e.noted = 0
}

// dropNoted deletes from m the keys of values met once.
func dropNoted[K comparable](m map[K][]byte) {
	maps.DeleteFunc(m, func(_ K, c []byte) bool { return c == nil })
}

// remember stores b, the encoding of a shared value, under k in m.
func remember[K comparable](e *jsonEncoder, m map[K][]byte, k K, b []byte) {
	if e.err != nil {
		return
	}
	e.count(len(b))
	if len(e.held)+len(b) > cap(e.held) {
		// A new room twice the size, empty: what the old one holds stays
		// where it is, referred to by the maps. Growing by append would
		// allocate five times maxCached on the way to it.
		e.held = make([]byte, 0, max(2*cap(e.held), 64<<10, len(b)))
	}
	start := len(e.held)
	e.held = append(e.held, b...)
	m[k] = e.held[start:len(e.held):len(e.held)]
}

// rememberMet stores b, the encoding of the value k, under k in m when
// the value was met before (met: m held k), and notes k as met otherwise.
func rememberMet[K comparable](e *jsonEncoder, m map[K][]byte, k K, b []byte, met bool) {
	if met {
		remember(e, m, k, b)
		return
	}
	if e.err != nil {
		return
	}
	if e.noted+len(b) > maxNoted {
		e.forgetNoted()
	}
	e.noted += len(b)
	m[k] = nil
}

// count adds n bytes to the encodings held, starting afresh first when
// that would pass maxCached.
func (e *jsonEncoder) count(n int) {
	if e.cached+n > maxCached {
		e.reset()
	}
	e.cached += n
}

// fail records the first error of an encoding.
func (e *jsonEncoder) fail(err error) {
	if e.err == nil {
		e.err = err
	}
}

// result appends a result as json.Marshal writes it ([answer.Result]'s
// MarshalJSON: fixes, hops and addresses are never null).
func (e *jsonEncoder) result(b []byte, r *answer.Result) []byte {
	b = append(b, `{"source":`...)
	b = jsonenc.AppendString(b, r.Source)
	b = append(b, `,"destination":`...)
	b = jsonenc.AppendString(b, r.Destination)
	b = appendOptString(b, `,"purpose":`, r.Purpose)
	b = appendOptString(b, `,"workspace":`, r.Workspace)
	if len(r.Workspaces) > 0 {
		b = append(b, `,"workspaces":`...)
		b = appendStrings(b, r.Workspaces, false)
	}
	b = appendOptString(b, `,"fqdn":`, r.FQDN)
	b = appendOptString(b, `,"serviceTag":`, r.ServiceTag)
	b = appendOptString(b, `,"reference":`, r.Reference)
	b = append(b, `,"protocol":`...)
	b = jsonenc.AppendString(b, r.Protocol)
	b = append(b, `,"port":`...)
	b = strconv.AppendInt(b, int64(r.Port), 10)
	b = append(b, `,"addresses":`...)
	b = appendStrings(b, r.Addresses, true)
	b = append(b, `,"reachable":`...)
	b = strconv.AppendBool(b, r.Reachable)
	b = append(b, `,"verdict":`...)
	b = appendEnum(e, b, r.Verdict, r.Verdict.IsValid())
	b = append(b, `,"reason":`...)
	b = jsonenc.AppendString(b, r.Reason)
	if r.Egress != nil {
		b = append(b, `,"egress":`...)
		b = e.egress(b, r.Egress)
	}
	b = append(b, `,"hops":`...)
	b = e.hopList(b, r.Hops, true)
	if len(r.Then) > 0 {
		b = append(b, `,"then":`...)
		b = e.hopList(b, r.Then, false)
	}
	if r.ReturnPath != nil {
		b = append(b, `,"returnPath":{"ok":`...)
		b = strconv.AppendBool(b, r.ReturnPath.OK)
		b = appendOptString(b, `,"reason":`, r.ReturnPath.Reason)
		if len(r.ReturnPath.Hops) > 0 {
			b = append(b, `,"hops":`...)
			b = e.hopList(b, r.ReturnPath.Hops, false)
		}
		b = append(b, '}')
	}
	if len(r.Blockers) > 0 {
		b = append(b, `,"blockers":[`...)
		for i := range r.Blockers {
			if i > 0 {
				b = append(b, ',')
			}
			b = e.blocker(b, &r.Blockers[i])
		}
		b = append(b, ']')
	}
	b = append(b, `,"fixes":`...)
	b = e.fixes(b, r.Fixes, true)
	if len(r.Missing) > 0 {
		b = append(b, `,"missing":`...)
		b = appendStrings(b, r.Missing, false)
	}
	if r.DNS != nil {
		b = append(b, `,"dns":`...)
		b = e.resolution(b, r.DNS)
	}
	if len(r.Parts) > 0 {
		b = append(b, `,"parts":[`...)
		for i := range r.Parts {
			if i > 0 {
				b = append(b, ',')
			}
			b = e.part(b, &r.Parts[i])
		}
		b = append(b, ']')
	}
	if ca := r.ConditionalAccess; ca != nil {
		b = append(b, `,"conditionalAccess":{`...)
		if ca.EgressIP != "" {
			b = append(b, `"egressIP":`...)
			b = jsonenc.AppendString(b, ca.EgressIP)
			b = append(b, ',')
		}
		b = append(b, `"status":`...)
		b = jsonenc.AppendString(b, ca.Status)
		b = appendOptString(b, `,"location":`, ca.Location)
		if len(ca.Locations) > 0 {
			b = append(b, `,"locations":`...)
			b = appendStrings(b, ca.Locations, false)
		}
		b = append(b, `,"reason":`...)
		b = jsonenc.AppendString(b, ca.Reason)
		b = append(b, '}')
	}
	if len(r.ReverseLookups) > 0 {
		b = append(b, `,"reverseLookups":`...)
		b = e.reverseLookups(b, r.ReverseLookups)
	}
	if len(r.Assumptions) > 0 {
		b = append(b, `,"assumptions":`...)
		b = appendStrings(b, r.Assumptions, false)
	}
	if len(r.Warnings) > 0 {
		b = append(b, `,"warnings":`...)
		b = appendStrings(b, r.Warnings, false)
	}
	return append(b, '}')
}

// reverseLookups appends a list of reverse lookups, remembered by the
// address of its first element: the engine shares a source's list between
// its results.
func (e *jsonEncoder) reverseLookups(b []byte, rs []answer.ReverseLookup) []byte {
	k := reverseKey{&rs[0], len(rs)}
	c, met := e.reverse[k]
	if c != nil {
		return append(b, c...)
	}
	start := len(b)
	b = append(b, '[')
	for i := range rs {
		r := &rs[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"address":`...)
		b = jsonenc.AppendString(b, r.Address)
		b = appendOptString(b, `,"expected":`, r.Expected)
		b = append(b, `,"names":`...)
		b = appendStrings(b, r.Names, false)
		b = append(b, `,"rcode":`...)
		b = jsonenc.AppendString(b, r.Rcode)
		b = appendOptString(b, `,"zone":`, r.Zone)
		b = appendOptString(b, `,"reason":`, r.Reason)
		if r.Fix != nil {
			b = append(b, `,"fix":`...)
			b = e.fix(b, r.Fix)
		}
		b = append(b, '}')
	}
	b = append(b, ']')
	rememberMet(e, e.reverse, k, b[start:], met)
	return b
}

func (e *jsonEncoder) part(b []byte, p *answer.Part) []byte {
	b = append(b, '{')
	if p.Sources != "" {
		b = append(b, `"sources":`...)
		b = jsonenc.AppendString(b, p.Sources)
		b = append(b, ',')
	}
	b = append(b, `"destinations":`...)
	b = jsonenc.AppendString(b, p.Destinations)
	b = append(b, `,"verdict":`...)
	b = appendEnum(e, b, p.Verdict, p.Verdict.IsValid())
	b = append(b, `,"reason":`...)
	b = jsonenc.AppendString(b, p.Reason)
	if len(p.Hops) > 0 {
		b = append(b, `,"hops":`...)
		b = e.hopList(b, p.Hops, false)
	}
	return append(b, '}')
}

// hopList appends a list of hops; a nil list is [] when empty is set, else
// null. Lists of more than one hop are remembered.
func (e *jsonEncoder) hopList(b []byte, hs []answer.Hop, empty bool) []byte {
	if hs == nil {
		if empty {
			return append(b, "[]"...)
		}
		return append(b, "null"...)
	}
	if len(hs) == 0 {
		return append(b, "[]"...)
	}
	k := hopsKey{&hs[0], len(hs)}
	c, met := e.hops[k]
	if c != nil {
		return append(b, c...)
	}
	start := len(b)
	b = append(b, '[')
	for i := range hs {
		if i > 0 {
			b = append(b, ',')
		}
		b = e.hop(b, &hs[i])
	}
	b = append(b, ']')
	rememberMet(e, e.hops, k, b[start:], met)
	return b
}

func (e *jsonEncoder) hop(b []byte, h *answer.Hop) []byte {
	b = append(b, `{"node":`...)
	b = jsonenc.AppendString(b, h.Node)
	b = append(b, `,"kind":`...)
	b = appendEnum(e, b, h.Kind, h.Kind.IsValid())
	b = appendOptString(b, `,"name":`, h.Name)
	if h.Route != nil {
		b = append(b, `,"route":`...)
		b = e.route(b, h.Route)
	}
	if len(h.Rules) > 0 {
		b = append(b, `,"rules":`...)
		b = appendStrings(b, h.Rules, false)
	}
	if h.Action != "" {
		b = append(b, `,"action":`...)
		b = appendEnum(e, b, h.Action, h.Action.IsValid())
	}
	if len(h.Steps) > 0 {
		b = append(b, `,"steps":[`...)
		for i := range h.Steps {
			if i > 0 {
				b = append(b, ',')
			}
			b = e.step(b, &h.Steps[i])
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func (e *jsonEncoder) step(b []byte, s *answer.Step) []byte {
	b = append(b, `{"type":`...)
	b = appendEnum(e, b, s.Type, s.Type.IsValid())
	if s.Action != "" {
		b = append(b, `,"action":`...)
		b = appendEnum(e, b, s.Action, s.Action.IsValid())
	}
	if s.Route != nil {
		b = append(b, `,"route":`...)
		b = e.route(b, s.Route)
	}
	if s.Rule != nil {
		b = append(b, `,"rule":`...)
		b = e.rule(b, s.Rule)
	}
	if s.Peering != nil {
		b = append(b, `,"peering":`...)
		b = e.peering(b, s.Peering)
	}
	if s.SNAT != nil {
		b = append(b, `,"snat":{"from":`...)
		b = jsonenc.AppendString(b, s.SNAT.From)
		b = append(b, `,"to":`...)
		b = jsonenc.AppendString(b, s.SNAT.To)
		b = append(b, '}')
	}
	if s.Egress != nil {
		b = append(b, `,"egress":`...)
		b = e.egress(b, s.Egress)
	}
	b = appendOptString(b, `,"note":`, s.Note)
	return append(b, '}')
}

// route appends a route reference, remembered by its address.
func (e *jsonEncoder) route(b []byte, r *answer.RouteRef) []byte {
	if c, ok := e.routes[r]; ok {
		return append(b, c...)
	}
	start := len(b)
	b = append(b, `{"addressPrefix":`...)
	b = jsonenc.AppendString(b, r.AddressPrefix)
	b = append(b, `,"nextHopType":`...)
	b = appendEnum(e, b, r.NextHopType, r.NextHopType.IsValid())
	b = appendOptString(b, `,"nextHopIpAddress":`, r.NextHopIPAddress)
	b = append(b, `,"source":`...)
	b = jsonenc.AppendString(b, r.Source)
	b = appendOptString(b, `,"name":`, r.Name)
	b = appendOptString(b, `,"origin":`, r.Origin)
	b = append(b, '}')
	remember(e, e.routes, r, b[start:])
	return b
}

// rule appends a rule reference, remembered by its address.
func (e *jsonEncoder) rule(b []byte, r *answer.RuleRef) []byte {
	if c, ok := e.rules[r]; ok {
		return append(b, c...)
	}
	start := len(b)
	b = append(b, '{')
	if r.ID != "" {
		b = append(b, `"id":`...)
		b = jsonenc.AppendString(b, r.ID)
		b = append(b, ',')
	}
	b = append(b, `"owner":`...)
	b = jsonenc.AppendString(b, r.Owner)
	b = appendOptString(b, `,"name":`, r.Name)
	b = append(b, `,"label":`...)
	b = jsonenc.AppendString(b, r.Label)
	b = appendOptString(b, `,"collection":`, r.Collection)
	b = append(b, `,"kind":`...)
	b = jsonenc.AppendString(b, r.Kind)
	if r.Priority != 0 {
		b = append(b, `,"priority":`...)
		b = strconv.AppendInt(b, int64(r.Priority), 10)
	}
	if r.Direction != "" {
		b = append(b, `,"direction":`...)
		b = appendEnum(e, b, r.Direction, r.Direction.IsValid())
	}
	if r.Access != "" {
		b = append(b, `,"access":`...)
		b = appendEnum(e, b, r.Access, r.Access.IsValid())
	}
	if r.Default {
		b = append(b, `,"default":true`...)
	}
	b = append(b, '}')
	remember(e, e.rules, r, b[start:])
	return b
}

func (e *jsonEncoder) peering(b []byte, p *answer.PeeringRef) []byte {
	b = append(b, `{"id":`...)
	b = jsonenc.AppendString(b, p.ID)
	b = append(b, `,"remote":`...)
	b = jsonenc.AppendString(b, p.Remote)
	if p.State != "" {
		b = append(b, `,"state":`...)
		b = appendEnum(e, b, p.State, p.State.IsValid())
	}
	b = append(b, `,"allowVirtualNetworkAccess":`...)
	b = strconv.AppendBool(b, p.AllowVirtualNetworkAccess)
	b = append(b, `,"allowForwardedTraffic":`...)
	b = strconv.AppendBool(b, p.AllowForwardedTraffic)
	b = append(b, `,"allowGatewayTransit":`...)
	b = strconv.AppendBool(b, p.AllowGatewayTransit)
	b = append(b, `,"useRemoteGateways":`...)
	b = strconv.AppendBool(b, p.UseRemoteGateways)
	return append(b, '}')
}

func (e *jsonEncoder) egress(b []byte, g *answer.Egress) []byte {
	b = append(b, '{')
	if g.PublicIP != "" {
		b = append(b, `"publicIP":`...)
		b = jsonenc.AppendString(b, g.PublicIP)
		b = append(b, ',')
	}
	b = append(b, `"via":`...)
	b = jsonenc.AppendString(b, g.Via)
	b = append(b, `,"method":`...)
	b = appendEnum(e, b, g.Method, g.Method.IsValid())
	return append(b, '}')
}

func (e *jsonEncoder) blocker(b []byte, x *answer.Blocker) []byte {
	b = append(b, `{"verdict":`...)
	b = appendEnum(e, b, x.Verdict, x.Verdict.IsValid())
	b = append(b, `,"cause":`...)
	b = appendEnum(e, b, x.Cause, x.Cause.IsValid())
	b = append(b, `,"hop":`...)
	b = strconv.AppendInt(b, int64(x.Hop), 10)
	b = appendOptString(b, `,"resource":`, x.Resource)
	if x.Rule != nil {
		b = append(b, `,"rule":`...)
		b = e.rule(b, x.Rule)
	}
	if x.Route != nil {
		b = append(b, `,"route":`...)
		b = e.route(b, x.Route)
	}
	if x.Peering != nil {
		b = append(b, `,"peering":`...)
		b = e.peering(b, x.Peering)
	}
	b = appendOptString(b, `,"source":`, x.Source)
	b = appendOptString(b, `,"destination":`, x.Destination)
	b = appendOptString(b, `,"protocol":`, x.Protocol)
	if x.Port != 0 {
		b = append(b, `,"port":`...)
		b = strconv.AppendInt(b, int64(x.Port), 10)
	}
	if len(x.Missing) > 0 {
		b = append(b, `,"missing":`...)
		b = appendStrings(b, x.Missing, false)
	}
	if x.Egress != nil {
		b = append(b, `,"egress":`...)
		b = e.egress(b, x.Egress)
	}
	if len(x.Data) > 0 {
		b = append(b, `,"data":`...)
		b = appendStringMap(b, x.Data)
	}
	if x.Fix != nil {
		b = append(b, `,"fix":`...)
		b = e.fix(b, x.Fix)
	}
	return append(b, '}')
}

// fixes appends a list of fixes; a nil list is [] when empty is set.
func (e *jsonEncoder) fixes(b []byte, fs []answer.Fix, empty bool) []byte {
	if fs == nil && !empty {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range fs {
		if i > 0 {
			b = append(b, ',')
		}
		b = e.fix(b, &fs[i])
	}
	return append(b, ']')
}

// fix appends a fix as its MarshalJSON writes it: patch is never null.
func (e *jsonEncoder) fix(b []byte, f *answer.Fix) []byte {
	b = append(b, `{"resource":`...)
	b = jsonenc.AppendString(b, f.Resource)
	b = append(b, `,"change":`...)
	b = jsonenc.AppendString(b, f.Change)
	b = append(b, `,"text":`...)
	b = jsonenc.AppendString(b, f.Text)
	b = appendOptString(b, `,"az":`, f.Az)
	b = append(b, `,"kind":`...)
	b = appendEnum(e, b, f.Kind, f.Kind.IsValid())
	b = append(b, `,"patch":[`...)
	for i := range f.Patch {
		if i > 0 {
			b = append(b, ',')
		}
		b = e.patch(b, &f.Patch[i])
	}
	b = append(b, ']')
	if len(f.Data) > 0 {
		b = append(b, `,"data":`...)
		b = appendStringMap(b, f.Data)
	}
	return append(b, '}')
}

func (e *jsonEncoder) patch(b []byte, p *answer.Patch) []byte {
	b = append(b, `{"op":`...)
	b = jsonenc.AppendString(b, p.Op)
	b = append(b, `,"id":`...)
	b = jsonenc.AppendString(b, p.ID)
	b = appendOptString(b, `,"type":`, p.Type)
	b = appendOptString(b, `,"property":`, p.Property)
	if len(p.Value) > 0 {
		b = append(b, `,"value":`...)
		b = e.raw(b, p.Value)
	}
	return append(b, '}')
}

// raw appends a raw JSON value as encoding/json does: validated,
// compacted, with <, >, &, U+2028 and U+2029 escaped. The engine hands out
// the value of a fix for every answer that has the fix: it is remembered
// by the address of its bytes when met again. v is not empty: patches
// leave out an empty value (omitempty).
func (e *jsonEncoder) raw(b []byte, v json.RawMessage) []byte {
	k := rawKey{&v[0], len(v)}
	c, met := e.raws[k]
	if c != nil {
		return append(b, c...)
	}
	e.compact.Reset()
	if err := json.Compact(&e.compact, v); err != nil {
		e.fail(err)
		return append(b, "null"...)
	}
	e.escaped.Reset()
	json.HTMLEscape(&e.escaped, e.compact.Bytes())
	rememberMet(e, e.raws, k, e.escaped.Bytes(), met)
	return append(b, e.escaped.Bytes()...)
}

// resolution appends a name resolution, remembered by its address when
// it is met again.
func (e *jsonEncoder) resolution(b []byte, r *answer.Resolution) []byte {
	c, met := e.dns[r]
	if c != nil {
		return append(b, c...)
	}
	start := len(b)
	b = append(b, `{"name":`...)
	b = jsonenc.AppendString(b, r.Name)
	b = appendOptString(b, `,"type":`, r.Type)
	b = appendOptString(b, `,"address":`, r.Address)
	if len(r.Names) > 0 {
		b = append(b, `,"names":`...)
		b = appendStrings(b, r.Names, false)
	}
	b = append(b, `,"from":`...)
	b = jsonenc.AppendString(b, r.From)
	b = append(b, `,"resolver":`...)
	b = jsonenc.AppendString(b, r.Resolver)
	b = append(b, `,"chain":`...)
	if r.Chain == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, s := range r.Chain {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"name":`...)
			b = jsonenc.AppendString(b, s.Name)
			b = append(b, `,"type":`...)
			b = jsonenc.AppendString(b, s.Type)
			b = append(b, `,"value":`...)
			b = jsonenc.AppendString(b, s.Value)
			b = append(b, `,"source":`...)
			b = jsonenc.AppendString(b, s.Source)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"addresses":`...)
	b = appendStrings(b, r.Addresses, false)
	b = appendOptString(b, `,"zone":`, r.Zone)
	b = append(b, `,"rcode":`...)
	b = jsonenc.AppendString(b, r.Rcode)
	if r.Public {
		b = append(b, `,"public":true`...)
	}
	b = appendOptString(b, `,"publicTag":`, r.PublicTag)
	if len(r.Expected) > 0 {
		b = append(b, `,"expected":`...)
		b = appendStrings(b, r.Expected, false)
	}
	b = appendOptString(b, `,"privateEndpoint":`, r.Endpoint)
	b = appendOptString(b, `,"reason":`, r.Reason)
	if r.Blocker != nil {
		b = append(b, `,"blocker":`...)
		b = e.blocker(b, r.Blocker)
	}
	if len(r.Fixes) > 0 {
		b = append(b, `,"fixes":`...)
		b = e.fixes(b, r.Fixes, false)
	}
	if len(r.Assumptions) > 0 {
		b = append(b, `,"assumptions":`...)
		b = appendStrings(b, r.Assumptions, false)
	}
	if len(r.Warnings) > 0 {
		b = append(b, `,"warnings":`...)
		b = appendStrings(b, r.Warnings, false)
	}
	b = append(b, '}')
	rememberMet(e, e.dns, r, b[start:], met)
	return b
}

// snapshot appends the snapshot summary; skipped is {} when nil, as
// [answer.Report]'s MarshalJSON writes it.
func (e *jsonEncoder) snapshot(b []byte, s *answer.SnapshotSummary) []byte {
	b = append(b, `{"resources":`...)
	b = strconv.AppendInt(b, int64(s.Resources), 10)
	if len(s.Types) > 0 {
		b = append(b, `,"types":`...)
		b = appendIntMap(b, s.Types)
	}
	b = append(b, `,"skipped":`...)
	if s.Skipped == nil {
		b = append(b, "{}"...)
	} else {
		b = appendIntMap(b, s.Skipped)
	}
	if len(s.Missing) > 0 {
		b = append(b, `,"missing":[`...)
		for i, m := range s.Missing {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"id":`...)
			b = jsonenc.AppendString(b, m.ID)
			b = appendOptString(b, `,"type":`, m.Type)
			if len(m.ReferencedBy) > 0 {
				b = append(b, `,"referencedBy":`...)
				b = appendStrings(b, m.ReferencedBy, false)
			}
			b = appendOptString(b, `,"export":`, m.Export)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func (e *jsonEncoder) catalog(b []byte, c *answer.CatalogSummary) []byte {
	b = append(b, `{"cloud":`...)
	b = jsonenc.AppendString(b, c.Cloud)
	b = append(b, `,"changeNumber":`...)
	b = strconv.AppendInt(b, c.ChangeNumber, 10)
	b = append(b, `,"tags":`...)
	b = strconv.AppendInt(b, int64(c.Tags), 10)
	return append(b, '}')
}

// textEnum is an enumeration whose MarshalText rejects undeclared values.
type textEnum interface {
	~string
	MarshalText() ([]byte, error)
}

// appendEnum appends a declared enumeration value as a string; an
// undeclared one is the error its MarshalText gives, as with encoding/json.
func appendEnum[T textEnum](e *jsonEncoder, b []byte, v T, valid bool) []byte {
	if !valid {
		_, err := v.MarshalText()
		if err == nil {
			err = &json.UnsupportedValueError{Str: string(v)}
		}
		e.fail(err)
		return append(b, `""`...)
	}
	return jsonenc.AppendString(b, string(v))
}

// appendStrings appends a list of strings; nil is [] when empty is set,
// else null.
func appendStrings(b []byte, ss []string, empty bool) []byte {
	if ss == nil && !empty {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonenc.AppendString(b, s)
	}
	return append(b, ']')
}

// appendStringMap appends a map with its keys sorted, as encoding/json
// does.
func appendStringMap(b []byte, m map[string]string) []byte {
	return jsonenc.AppendMap(b, m, jsonenc.AppendString)
}

func appendIntMap(b []byte, m map[string]int) []byte {
	return jsonenc.AppendMap(b, m, func(b []byte, v int) []byte { return strconv.AppendInt(b, int64(v), 10) })
}

// appendOptString appends key (`,"name":`) and v, unless v is empty
// (omitempty).
func appendOptString(b []byte, key, v string) []byte {
	if v == "" {
		return b
	}
	b = append(b, key...)
	return jsonenc.AppendString(b, v)
}
