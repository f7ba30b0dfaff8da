package azure

import (
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v8"
	"github.com/vnetpath/vnetpath/internal/jsonscan"
)

// The decoder fills the Azure SDK model types (and the local mirrors of the
// REST schemas the SDK modules available here do not cover) in one pass over
// the JSON, with the field names the SDK's own UnmarshalJSON methods use. It
// exists for two reasons: the SDK's methods unmarshal each nesting level into
// a map of raw messages and then again into the field, which costs several
// passes per level (about eight times what encoding/json needs for the same
// bytes), and their errors name the Go type but not where in the file the bad
// field is. This decoder reports the JSON path of the offending value.

// kind is how a Go type is decoded.
type kind uint8

const (
	kSkip   kind = iota // a type the models never need (interface{}): the value is skipped
	kString             // string and the SDK's string enums
	kBool
	kInt
	kFloat
	kTime
	kPtr
	kStruct
	kSlice
	kMap
	kUnion // an SDK polymorphic interface, resolved by a discriminator
)

// plan says how to decode one Go type. Plans are built once, before any
// decoding, and are read-only afterwards.
type plan struct {
	kind   kind
	typ    reflect.Type
	elem   *plan            // kPtr, kSlice, kMap
	fields map[string]field // kStruct: lower-case JSON key -> field
	props  *field           // kStruct: the "properties" field, when it points to a struct
	union  *union           // kUnion
}

type field struct {
	index int
	plan  *plan
}

// union is an SDK polymorphic interface: the value of the discriminator key
// selects the concrete type; unknown values decode into the base type, as
// the SDK does.
type union struct {
	key   string
	types map[string]*plan // discriminator value -> plan of a pointer type
	base  *plan
}

// jsonNames lists the SDK fields whose JSON name is not their Go name in
// another letter case (see TestFieldNamesMatchSDK).
var jsonNames = map[reflect.Type]map[string]string{
	reflect.TypeFor[armnetwork.VirtualNetworkGatewayPropertiesFormat](): {"Active": "activeActive"},
}

// unions lists the SDK's polymorphic interfaces that the supported resource
// types reach.
var unions = map[reflect.Type]struct {
	key   string
	types map[string]reflect.Type
	base  reflect.Type
}{
	reflect.TypeFor[armnetwork.FirewallPolicyRuleCollectionClassification](): {
		key: "ruleCollectionType",
		types: map[string]reflect.Type{
			string(armnetwork.FirewallPolicyRuleCollectionTypeFirewallPolicyFilterRuleCollection): reflect.TypeFor[*armnetwork.FirewallPolicyFilterRuleCollection](),
			string(armnetwork.FirewallPolicyRuleCollectionTypeFirewallPolicyNatRuleCollection):    reflect.TypeFor[*armnetwork.FirewallPolicyNatRuleCollection](),
		},
		base: reflect.TypeFor[*armnetwork.FirewallPolicyRuleCollection](),
	},
	reflect.TypeFor[armnetwork.FirewallPolicyRuleClassification](): {
		key: "ruleType",
		types: map[string]reflect.Type{
			string(armnetwork.FirewallPolicyRuleTypeApplicationRule): reflect.TypeFor[*armnetwork.ApplicationRule](),
			string(armnetwork.FirewallPolicyRuleTypeNatRule):         reflect.TypeFor[*armnetwork.NatRule](),
			string(armnetwork.FirewallPolicyRuleTypeNetworkRule):     reflect.TypeFor[*armnetwork.Rule](),
		},
		base: reflect.TypeFor[*armnetwork.FirewallPolicyRule](),
	},
	reflect.TypeFor[outboundRule](): {
		key: "type",
		types: map[string]reflect.Type{
			"FQDN":            reflect.TypeFor[*fqdnOutboundRule](),
			"ServiceTag":      reflect.TypeFor[*serviceTagOutboundRule](),
			"PrivateEndpoint": reflect.TypeFor[*peOutboundRule](),
		},
		base: reflect.TypeFor[*baseOutboundRule](),
	},
}

var (
	plansMu sync.Mutex
	plans   = map[reflect.Type]*plan{}
)

// planFor returns the plan of t, building it (and the plans of the types it
// reaches) on first use.
func planFor(t reflect.Type) *plan {
	plansMu.Lock()
	defer plansMu.Unlock()
	return buildPlan(t)
}

func buildPlan(t reflect.Type) *plan {
	if p, ok := plans[t]; ok {
		return p
	}
	p := &plan{typ: t}
	plans[t] = p // before recursing: the models are recursive (Subnet -> RouteTable -> Subnet)
	switch {
	case t == reflect.TypeFor[time.Time]():
		p.kind = kTime
		return p
	}
	switch t.Kind() {
	case reflect.String:
		p.kind = kString
	case reflect.Bool:
		p.kind = kBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		p.kind = kInt
	case reflect.Float32, reflect.Float64:
		p.kind = kFloat
	case reflect.Pointer:
		p.kind = kPtr
		p.elem = buildPlan(t.Elem())
	case reflect.Slice:
		p.kind = kSlice
		p.elem = buildPlan(t.Elem())
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			p.kind = kSkip
			break
		}
		p.kind = kMap
		p.elem = buildPlan(t.Elem())
	case reflect.Struct:
		p.kind = kStruct
		p.fields = map[string]field{}
		rename := jsonNames[t]
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name := f.Name
			if r, ok := rename[name]; ok {
				name = r
			}
			if tag, ok := f.Tag.Lookup("json"); ok {
				if n, _, _ := strings.Cut(tag, ","); n != "" && n != "-" {
					name = n
				}
			}
			p.fields[strings.ToLower(name)] = field{i, buildPlan(f.Type)}
		}
		if f, ok := p.fields["properties"]; ok && f.plan.kind == kPtr && f.plan.elem.kind == kStruct {
			p.props = &f
		}
	case reflect.Interface:
		u, ok := unions[t]
		if !ok {
			p.kind = kSkip
			break
		}
		p.kind = kUnion
		p.union = &union{key: u.key, types: map[string]*plan{}, base: buildPlan(u.base)}
		for k, ct := range u.types {
			p.union.types[k] = buildPlan(ct)
		}
	default:
		p.kind = kSkip
	}
	return p
}

// seg is one step of a JSON path: an object key (as byte offsets into the
// input, so that no string is made unless an error needs it) or an array
// index.
type seg struct {
	start, end int32 // key bytes; end < 0 for an index
	index      int32
}

// decodeError is a value that does not fit the model type: a wrong JSON
// type or a number out of range.
type decodeError struct {
	path string // JSON path relative to the decoded value: "" or starting with "." or "["
	msg  string
}

// decoder decodes one resource with a plan. A value that does not fit its
// field is recorded in errs and skipped, and decoding goes on, so that the
// caller can tell which part of a resource is at fault. Set scanner.data
// and scanner.pos before use.
//
// The Azure CLI prints resources flattened: the members of "properties"
// appear beside "id" and "name" (`az network vnet list` gives
// {"addressSpace": ..., "subnets": [{"addressPrefix": ...}]}). A key that is
// not a field of a struct with a properties field is looked up among the
// properties, and the paths of the objects read this way are recorded in
// flat, so that messages can name the path as written.
type decoder struct {
	scanner
	stack []seg
	errs  []decodeError
	flat  []string // paths (relative to the resource) of flattened objects
	lower [64]byte
	lists listCache
}

// release drops the decoder's hold on the input, so that a decoder kept
// for reuse does not keep a file's bytes alive.
func (d *decoder) release() {
	d.data, d.pos, d.depth = nil, 0, 0
	clear(d.errs)
	d.errs = d.errs[:0]
	clear(d.flat)
	d.flat = d.flat[:0]
}

// decode decodes the value at the scanner's position into v (addressable).
// It reports false only for malformed JSON, with the error in d.errs.
func (d *decoder) decode(v reflect.Value, p *plan) bool {
	c := d.peek()
	switch p.kind {
	case kSkip:
		return d.syntax(d.skip())
	case kPtr:
		if c == 'n' {
			return d.syntax(d.literal())
		}
		if !v.IsNil() {
			// A resource's properties object may be filled partly from
			// flattened keys (see object) before "properties" comes.
			return d.decode(v.Elem(), p.elem)
		}
		if p.elem.kind == kString && c == '"' {
			s, err := d.str()
			if err != nil {
				return d.syntax(err)
			}
			nv := reflect.New(p.elem.typ)
			nv.Elem().SetString(s)
			v.Set(nv)
			return true
		}
		nv := reflect.New(p.elem.typ)
		if !d.decode(nv.Elem(), p.elem) {
			return false
		}
		v.Set(nv)
		return true
	case kString:
		if c != '"' {
			return d.wrongType(c, "a string")
		}
		s, err := d.str()
		if err != nil {
			return d.syntax(err)
		}
		v.SetString(s)
		return true
	case kBool:
		switch c {
		case 't':
			v.SetBool(true)
			return d.syntax(d.literal())
		case 'f':
			v.SetBool(false)
			return d.syntax(d.literal())
		}
		return d.wrongType(c, "a boolean")
	case kInt:
		if c == '"' || c == '{' || c == '[' || c == 't' || c == 'f' || c == 'n' {
			return d.wrongType(c, "a number")
		}
		num, err := d.number()
		if err != nil {
			return d.syntax(err)
		}
		n, ok := parseInt(num)
		if !ok || v.OverflowInt(n) {
			d.mismatch("number " + string(num) + " is not an integer that fits " + p.typ.String())
			return true
		}
		v.SetInt(n)
		return true
	case kFloat:
		if c == '"' || c == '{' || c == '[' || c == 't' || c == 'f' || c == 'n' {
			return d.wrongType(c, "a number")
		}
		num, err := d.number()
		if err != nil {
			return d.syntax(err)
		}
		f, perr := strconv.ParseFloat(string(num), 64)
		if perr != nil {
			d.mismatch("number " + string(num) + " is out of range")
			return true
		}
		v.SetFloat(f)
		return true
	case kTime:
		if c != '"' {
			return d.wrongType(c, "a date-time string")
		}
		s, err := d.str()
		if err != nil {
			return d.syntax(err)
		}
		// The SDK accepts several RFC 3339 variants; a time that does not
		// parse is left zero: no model field vnetpath reads is a time.
		if t, perr := time.Parse(time.RFC3339Nano, s); perr == nil {
			v.Set(reflect.ValueOf(t))
		}
		return true
	case kSlice:
		if c == 'n' {
			return d.syntax(d.literal())
		}
		if c != '[' {
			return d.wrongType(c, "an array")
		}
		return d.array(v, p)
	case kMap:
		if c == 'n' {
			return d.syntax(d.literal())
		}
		if c != '{' {
			return d.wrongType(c, "an object")
		}
		return d.object(v, p)
	case kStruct:
		if c == 'n' {
			return d.syntax(d.literal())
		}
		if c != '{' {
			return d.wrongType(c, "an object")
		}
		return d.object(v, p)
	case kUnion:
		if c == 'n' {
			return d.syntax(d.literal())
		}
		if c != '{' {
			return d.wrongType(c, "an object")
		}
		cp := p.union.base
		if disc, ok := d.discriminator(p.union.key); ok {
			if t, ok := p.union.types[disc]; ok {
				cp = t
			}
		}
		nv := reflect.New(cp.elem.typ)
		if !d.decode(nv.Elem(), cp.elem) {
			return false
		}
		v.Set(nv)
		return true
	}
	return d.syntax(d.skip())
}

func (d *decoder) array(v reflect.Value, p *plan) bool {
	i, done, err := jsonscan.ArrayOpen(d.data, d.pos, maxDepth-d.depth)
	if err != nil {
		return d.syntax(err)
	}
	if done {
		d.pos = i
		v.Set(reflect.MakeSlice(p.typ, 0, 0))
		return true
	}
	d.depth++
	// Count elements on the fly: grow a slice of the element type.
	s := reflect.MakeSlice(p.typ, 0, 4)
	for n := 0; !done; n++ {
		if n == s.Len() {
			if n == s.Cap() {
				ns := reflect.MakeSlice(p.typ, n, 2*n)
				reflect.Copy(ns, s)
				s = ns
			}
			s = s.Slice(0, n+1)
		}
		d.pos = i
		d.stack = append(d.stack, seg{end: -1, index: int32(n)})
		if !d.decode(s.Index(n), p.elem) {
			return false
		}
		d.stack = d.stack[:len(d.stack)-1]
		if i, done, err = jsonscan.ArrayNext(d.data, d.pos); err != nil {
			return d.syntax(err)
		}
	}
	d.pos = i
	d.depth--
	v.Set(s)
	return true
}

func (d *decoder) object(v reflect.Value, p *plan) bool {
	i, done, err := jsonscan.ObjectOpen(d.data, d.pos, maxDepth-d.depth)
	if err != nil {
		return d.syntax(err)
	}
	if p.kind == kMap && v.IsNil() {
		v.Set(reflect.MakeMap(p.typ))
	}
	d.depth++
	flattened := false
	for !done {
		keyStart := i + 1
		key, esc, value, err := jsonscan.Key(d.data, i)
		if err != nil {
			return d.syntax(err)
		}
		d.pos = value
		d.stack = append(d.stack, seg{start: int32(keyStart), end: int32(keyStart + len(key))})
		if p.kind == kMap {
			k := string(key)
			if esc {
				k = unescape(key)
			}
			ev := reflect.New(p.elem.typ).Elem()
			if !d.decode(ev, p.elem) {
				return false
			}
			v.SetMapIndex(reflect.ValueOf(k).Convert(p.typ.Key()), ev)
		} else if f, ok := d.field(p.fields, key, esc); ok {
			if !d.decode(v.Field(f.index), f.plan) {
				return false
			}
		} else if f, ok := d.flattened(p, key, esc); ok {
			pv := v.Field(p.props.index)
			if pv.IsNil() {
				pv.Set(reflect.New(p.props.plan.elem.typ))
			}
			if !flattened {
				flattened = true
				d.flat = append(d.flat, d.pathOf(d.stack[:len(d.stack)-1]))
			}
			if !d.decode(pv.Elem().Field(f.index), f.plan) {
				return false
			}
		} else if err := d.skip(); err != nil {
			return d.syntax(err)
		}
		d.stack = d.stack[:len(d.stack)-1]
		if i, done, err = jsonscan.ObjectNext(d.data, d.pos); err != nil {
			return d.syntax(err)
		}
	}
	d.pos = i
	d.depth--
	return true
}

// flattened looks up a key among the properties of a resource struct.
func (d *decoder) flattened(p *plan, key []byte, esc bool) (field, bool) {
	if p.props == nil {
		return field{}, false
	}
	return d.field(p.props.plan.elem.fields, key, esc)
}

// field looks up a key case-insensitively, without allocating for keys up
// to 64 bytes.
func (d *decoder) field(fields map[string]field, key []byte, esc bool) (field, bool) {
	if esc {
		f, ok := fields[strings.ToLower(unescape(key))]
		return f, ok
	}
	var b []byte
	if len(key) <= len(d.lower) {
		b = d.lower[:len(key)]
	} else {
		b = make([]byte, len(key))
	}
	for i, c := range key {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	f, ok := fields[string(b)]
	return f, ok
}

// discriminator finds the string value of key in the object at the
// scanner's position without consuming it.
func (d *decoder) discriminator(key string) (string, bool) {
	save, depth := d.pos, d.depth
	defer func() { d.pos, d.depth = save, depth }()
	var out string
	found := false
	err := d.objectKeys(func(k []byte, esc bool) *jsonscan.Error {
		if !found && string(k) == key && d.peek() == '"' {
			s, err := d.str()
			out, found = s, err == nil
			return err
		}
		return d.skip()
	})
	return out, found && err == nil
}

// parseInt parses a JSON number that must be an integer.
func parseInt(b []byte) (int64, bool) {
	neg := false
	i := 0
	if len(b) > 0 && b[0] == '-' {
		neg, i = true, 1
	}
	if i == len(b) || len(b)-i > 18 {
		f, err := strconv.ParseFloat(string(b), 64)
		if err != nil || f != float64(int64(f)) {
			return 0, false
		}
		return int64(f), true
	}
	var n int64
	for ; i < len(b); i++ {
		c := b[i]
		if c < '0' || c > '9' {
			// A fraction or an exponent: accept only integral values (1e3, 2.0).
			f, err := strconv.ParseFloat(string(b), 64)
			if err != nil || f != float64(int64(f)) {
				return 0, false
			}
			return int64(f), true
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// wrongType records a value of the wrong JSON kind and skips it.
func (d *decoder) wrongType(c byte, want string) bool {
	d.mismatch("wrong JSON type: " + jsonscan.Kind(c) + " where " + want + " is expected")
	return d.syntax(d.skip())
}

func (d *decoder) mismatch(msg string) {
	d.errs = append(d.errs, decodeError{path: d.path(), msg: msg})
}

func (d *decoder) syntax(err *jsonscan.Error) bool {
	if err == nil {
		return true
	}
	d.mismatch("malformed JSON at " + position(d.data, err.Off) + ": " + syntaxMsg(err))
	return false
}

// path renders the decoder's stack as a JSON path suffix such as
// ".properties.subnets[1].properties.addressPrefix".
func (d *decoder) path() string { return d.pathOf(d.stack) }

func (d *decoder) pathOf(stack []seg) string {
	var b strings.Builder
	for _, s := range stack {
		if s.end < 0 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(int(s.index)))
			b.WriteByte(']')
			continue
		}
		writeKey(&b, unescape(d.data[s.start:s.end]))
	}
	return b.String()
}

// writeKey appends ".key", or `["key"]` when key is not a plain identifier.
func writeKey(b *strings.Builder, key string) {
	plain := key != ""
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !(c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			plain = false
			break
		}
	}
	if plain {
		b.WriteByte('.')
		b.WriteString(key)
		return
	}
	b.WriteString("[")
	b.WriteString(strconv.Quote(key))
	b.WriteString("]")
}
