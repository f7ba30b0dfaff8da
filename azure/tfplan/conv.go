package tfplan

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// conv converts one resource instance. Accessors read attributes by path
// (keys and list indexes); an attribute the plan leaves unknown records the
// first such attribute in missing, and a value of the wrong type records an
// error with its JSON path.
type conv struct {
	ev      *evaluator
	in      *inst
	missing string
	err     error
	notes   []string // assumptions
}

// attr renders an attribute path: ip_configuration[0].subnet_id.
func attr(p []any) string {
	var b strings.Builder
	for _, s := range p {
		switch s := s.(type) {
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s)
		case int:
			b.WriteString("[" + strconv.Itoa(s) + "]")
		}
	}
	return b.String()
}

// jsonPath renders the JSON path of an attribute in the file.
func (c *conv) jsonPath(p []any) string {
	var b strings.Builder
	b.WriteString(c.in.path)
	for _, s := range p {
		switch s := s.(type) {
		case string:
			b.WriteString("." + s)
		case int:
			b.WriteString("[" + strconv.Itoa(s) + "]")
		}
	}
	return b.String()
}

// lookup walks values by path; ok is false when a step is absent or null.
func lookup(v any, p []any) (any, bool) {
	for _, s := range p {
		switch s := s.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil, false
			}
			v, ok = m[s]
			if !ok || v == nil {
				return nil, false
			}
		case int:
			arr, ok := v.([]any)
			if !ok || s >= len(arr) {
				return nil, false
			}
			v = arr[s]
			if v == nil {
				return nil, false
			}
		}
	}
	return v, true
}

// unknownAt reports whether after_unknown marks the value at p, or one of
// its parents, as unknown.
func unknownAt(unk any, p []any) bool {
	for _, s := range p {
		if b, ok := unk.(bool); ok {
			return b
		}
		switch s := s.(type) {
		case string:
			m, ok := unk.(map[string]any)
			if !ok {
				return false
			}
			unk = m[s]
		case int:
			arr, ok := unk.([]any)
			if !ok || s >= len(arr) {
				return false
			}
			unk = arr[s]
		}
	}
	b, _ := unk.(bool)
	return b
}

// get returns the value at p: (v, true) when known and not null, (nil,
// false) when null or absent. A value the plan leaves unknown is recorded
// as missing when the configuration sets it; one it does not set is a
// value the provider computes by default (dns_servers, the subnets of a
// VNet that azurerm_subnet resources manage) and reads as absent.
// Attributes Azure assigns and the model needs are read with computed.
func (c *conv) get(p ...any) (any, bool) {
	if v, ok := lookup(c.in.vals, p); ok {
		return v, true
	}
	if unknownAt(c.in.unk, p) && c.ev.configuredAt(c.in, p) {
		c.unknown(p, "")
	}
	return nil, false
}

// computed reads a string attribute Azure assigns (a private IP address,
// a workspace ID): unknown before apply, it makes the resource missing.
func (c *conv) computed(p ...any) string {
	if c.isUnknown(p...) {
		c.unknown(p, "Azure assigns it when it creates the resource")
		return ""
	}
	return c.str(p...)
}

// isUnknown reports whether the value at p is unknown, without recording.
func (c *conv) isUnknown(p ...any) bool {
	if _, ok := lookup(c.in.vals, p); ok {
		return false
	}
	return unknownAt(c.in.unk, p)
}

func (c *conv) unknown(p []any, why string) {
	if c.missing != "" {
		return
	}
	c.missing = attr(p) + " is not known before apply"
	if why != "" {
		c.missing += ": " + why
	}
}

func (c *conv) bad(p []any, want string, v any) {
	if c.err == nil {
		c.err = &PlanError{File: c.ev.file, Path: c.jsonPath(p), Msg: fmt.Sprintf("%s: %s must be %s, not %s", c.in.addr, attr(p), want, kind(v))}
	}
}

func (c *conv) str(p ...any) string {
	v, ok := c.get(p...)
	if !ok {
		return ""
	}
	s, isStr := v.(string)
	if !isStr {
		c.bad(p, "a string", v)
	}
	return s
}

func (c *conv) boolean(p ...any) (bool, bool) {
	v, ok := c.get(p...)
	if !ok {
		return false, false
	}
	b, isBool := v.(bool)
	if !isBool {
		c.bad(p, "a boolean", v)
		return false, false
	}
	return b, true
}

func (c *conv) num(p ...any) (int64, bool) {
	v, ok := c.get(p...)
	if !ok {
		return 0, false
	}
	switch n := v.(type) {
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return i, true
		}
	case float64:
		return int64(n), true
	case string:
		if i, err := strconv.ParseInt(n, 10, 64); err == nil {
			return i, true
		}
	}
	c.bad(p, "an integer", v)
	return 0, false
}

// strs reads a list (or set) of strings.
func (c *conv) strs(p ...any) []string {
	v, ok := c.get(p...)
	if !ok {
		return nil
	}
	arr, isArr := v.([]any)
	if !isArr {
		c.bad(p, "a list of strings", v)
		return nil
	}
	out := make([]string, 0, len(arr))
	for i, x := range arr {
		if x == nil && unknownAt(c.in.unk, append(append([]any{}, p...), i)) {
			c.unknown(append(append([]any{}, p...), i), "")
			continue
		}
		s, isStr := x.(string)
		if !isStr {
			c.bad(append(append([]any{}, p...), i), "a string", x)
			continue
		}
		out = append(out, s)
	}
	return out
}

// blocks returns the number of elements of a nested block list.
func (c *conv) blocks(p ...any) int {
	v, ok := c.get(p...)
	if !ok {
		return 0
	}
	arr, isArr := v.([]any)
	if !isArr {
		c.bad(p, "a list of blocks", v)
		return 0
	}
	return len(arr)
}

// has reports whether the attribute is set (known and not null).
func (c *conv) has(p ...any) bool {
	_, ok := lookup(c.in.vals, p)
	return ok
}

// ref reads an attribute that holds a resource ID. When the plan leaves it
// unknown, the configuration says which resource it refers to, and that
// resource's ID is built from its name and resource group.
func (c *conv) ref(p ...any) string {
	if v, ok := lookup(c.in.vals, p); ok {
		s, isStr := v.(string)
		if !isStr {
			c.bad(p, "a resource ID", v)
		}
		return s
	}
	if !unknownAt(c.in.unk, p) {
		return ""
	}
	id, why := c.ev.resolve(c.in, p)
	if id == "" {
		c.unknown(p, why)
	}
	return id
}

// refs reads a list of resource IDs, resolving unknown ones.
func (c *conv) refs(p ...any) []string {
	v, ok := lookup(c.in.vals, p)
	if !ok {
		if unknownAt(c.in.unk, p) {
			if id, _ := c.ev.resolve(c.in, p); id != "" {
				return []string{id}
			}
			c.unknown(p, "")
		}
		return nil
	}
	arr, isArr := v.([]any)
	if !isArr {
		c.bad(p, "a list of resource IDs", v)
		return nil
	}
	var out []string
	for i := range arr {
		if id := c.ref(append(append([]any{}, p...), i)...); id != "" {
			out = append(out, id)
		}
	}
	return out
}

// sub returns {"id": id}, or nil for an empty ID.
func sub(id string) map[string]any {
	if id == "" {
		return nil
	}
	return map[string]any{"id": id}
}

// subs returns [{"id": id}, ...].
func subs(ids []string) []any {
	out := make([]any, 0, len(ids))
	for _, id := range ids {
		out = append(out, map[string]any{"id": id})
	}
	return out
}

// set puts v into m under k unless v is nil or an empty string.
func set(m map[string]any, k string, v any) {
	switch x := v.(type) {
	case nil:
		return
	case string:
		if x == "" {
			return
		}
	case map[string]any:
		if x == nil {
			return
		}
	}
	m[k] = v
}

func strList(xs []string) []any {
	out := make([]any, 0, len(xs))
	for _, x := range xs {
		out = append(out, x)
	}
	return out
}

// optBool sets m[k] from a boolean attribute when it is set.
func (c *conv) optBool(m map[string]any, k string, p ...any) {
	if b, ok := c.boolean(p...); ok {
		m[k] = b
	}
}

// optNum sets m[k] from an integer attribute when it is set.
func (c *conv) optNum(m map[string]any, k string, p ...any) {
	if n, ok := c.num(p...); ok {
		m[k] = n
	}
}
