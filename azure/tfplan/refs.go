package tfplan

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
)

// An attribute whose value the plan leaves unknown is often the ID of
// another resource the plan creates (subnet_id = azurerm_subnet.web.id).
// The plan's configuration section records which resources an expression
// refers to; vnetpath follows the first reference that leads to a managed
// resource instance, through module outputs and module input variables,
// and builds that instance's ID from its name and resource group, as Azure
// will.

// maxDepth bounds reference chains.
const maxDepth = 16

// step is one module step of a module instance address:
// module.name[key].
type step struct {
	name string
	key  string // "" or the instance key as written: [0], ["a"]
}

// parseModule splits a module instance address
// (module.a["x"].module.b) into steps.
func parseModule(addr string) []step {
	var out []step
	for addr != "" {
		rest, ok := strings.CutPrefix(addr, "module.")
		if !ok {
			return out
		}
		i := 0
		for i < len(rest) && rest[i] != '.' && rest[i] != '[' {
			i++
		}
		s := step{name: rest[:i]}
		rest = rest[i:]
		if strings.HasPrefix(rest, "[") {
			j := closeBracket(rest)
			s.key = rest[:j+1]
			rest = rest[j+1:]
		}
		out = append(out, s)
		addr = strings.TrimPrefix(rest, ".")
	}
	return out
}

// closeBracket returns the index of the "]" that closes rest[0] == '[',
// skipping quoted strings.
func closeBracket(rest string) int {
	inStr := false
	for i := 1; i < len(rest); i++ {
		switch {
		case inStr && rest[i] == '\\':
			i++
		case rest[i] == '"':
			inStr = !inStr
		case !inStr && rest[i] == ']':
			return i
		}
	}
	return len(rest) - 1
}

func moduleAddr(steps []step) string {
	var b strings.Builder
	for i, s := range steps {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString("module." + s.name + s.key)
	}
	return b.String()
}

// configModule returns the configuration of the module that steps name.
func (ev *evaluator) configModule(steps []step) *tfjson.ConfigModule {
	if ev.plan.Config == nil {
		return nil
	}
	m := ev.plan.Config.RootModule
	for _, s := range steps {
		if m == nil {
			return nil
		}
		call, ok := m.ModuleCalls[s.name]
		if !ok || call == nil {
			return nil
		}
		m = call.Module
	}
	return m
}

// configResource returns the configuration of an instance's resource.
func (ev *evaluator) configResource(in *inst) *tfjson.ConfigResource {
	m := ev.configModule(parseModule(in.module))
	if m == nil {
		return nil
	}
	for _, r := range m.Resources {
		if r != nil && r.Mode == tfjson.ManagedResourceMode && r.Type == in.typ && r.Name == in.name {
			return r
		}
	}
	return nil
}

// expressionAt finds the expression of an attribute path in a resource's
// configuration; list indexes pick nested blocks.
func expressionAt(exprs map[string]*tfjson.Expression, p []any) *tfjson.Expression {
	var e *tfjson.Expression
	for i := 0; i < len(p); i++ {
		key, ok := p[i].(string)
		if !ok || exprs == nil {
			return e
		}
		e = exprs[key]
		if e == nil || e.ExpressionData == nil {
			return nil
		}
		exprs = nil
		if len(e.NestedBlocks) > 0 {
			idx := 0
			if i+1 < len(p) {
				if n, ok := p[i+1].(int); ok {
					idx = n
					i++
				}
			}
			if idx >= len(e.NestedBlocks) {
				if len(e.NestedBlocks) == 1 {
					idx = 0 // a dynamic block expands to several
				} else {
					return nil
				}
			}
			exprs = e.NestedBlocks[idx]
		}
	}
	return e
}

// configuredAt reports whether the configuration of an instance sets the
// attribute at p (inside nested blocks too). An attribute it does not set
// is one the provider computes. It reports true when the plan has no
// configuration for the resource: vnetpath then cannot tell.
func (ev *evaluator) configuredAt(in *inst, p []any) bool {
	r := ev.configResource(in)
	if r == nil {
		return true
	}
	return expressionAt(r.Expressions, p) != nil
}

// resolve returns the ID an unknown attribute of in will hold, following
// the configuration's references, or "" and why it cannot.
func (ev *evaluator) resolve(in *inst, p []any) (string, string) {
	r := ev.configResource(in)
	if r == nil {
		return "", "the plan's configuration does not describe " + in.addr
	}
	e := expressionAt(r.Expressions, p)
	if e == nil || e.ExpressionData == nil || len(e.References) == 0 {
		return "", "the configuration gives no reference for it"
	}
	return ev.follow(parseModule(in.module), in.key, e.References, 0)
}

// follow tries each reference in turn (Terraform lists the most specific
// first: azurerm_subnet.a.id, then azurerm_subnet.a).
func (ev *evaluator) follow(mod []step, key any, refs []string, depth int) (string, string) {
	if depth > maxDepth {
		return "", "the references go too deep"
	}
	why := ""
	for _, ref := range refs {
		id, w := ev.followOne(mod, key, ref, depth)
		if id != "" {
			return id, ""
		}
		if why == "" && w != "" {
			why = w
		}
	}
	if why == "" {
		why = "it refers to " + strings.Join(refs, ", ")
	}
	return "", why
}

func (ev *evaluator) followOne(mod []step, key any, ref string, depth int) (string, string) {
	parts := splitRef(ref)
	if len(parts) == 0 {
		return "", ""
	}
	switch parts[0] {
	case "count", "each", "self", "path", "terraform", "local":
		if parts[0] == "local" {
			return "", "it refers to " + ref + "; locals are not in the plan"
		}
		return "", ""
	case "var":
		if len(parts) < 2 || len(mod) == 0 {
			return "", "it refers to " + ref + ", an input variable of the root module"
		}
		parent := mod[:len(mod)-1]
		pm := ev.configModule(parent)
		if pm == nil {
			return "", ""
		}
		call := pm.ModuleCalls[mod[len(mod)-1].name]
		if call == nil {
			return "", ""
		}
		e := call.Expressions[parts[1]]
		if e == nil || e.ExpressionData == nil || len(e.References) == 0 {
			return "", "it refers to " + ref + ", which the module call does not set from a resource"
		}
		return ev.follow(parent, moduleKey(mod[len(mod)-1].key), e.References, depth+1)
	case "module":
		if len(parts) < 3 {
			return "", ""
		}
		name, out := parts[1], parts[2]
		child := step{name: name}
		if strings.HasPrefix(out, "[") {
			child.key = out
			if len(parts) < 4 {
				return "", ""
			}
			out = parts[3]
		}
		cm := ev.configModule(append(append([]step{}, mod...), child))
		if cm == nil {
			return "", ""
		}
		o := cm.Outputs[out]
		if o == nil || o.Expression == nil || o.Expression.ExpressionData == nil {
			return "", "it refers to " + ref + ", an output the configuration does not describe"
		}
		if child.key == "" {
			child.key = ev.onlyModuleInstance(mod, name)
		}
		return ev.follow(append(append([]step{}, mod...), child), nil, o.Expression.References, depth+1)
	case "data":
		if len(parts) < 3 {
			return "", ""
		}
		addr := strings.Join(parts[:3], ".")
		if m := moduleAddr(mod); m != "" {
			addr = m + "." + addr
		}
		if vals, ok := ev.data[addr]; ok {
			if id, ok := vals["id"].(string); ok && strings.HasPrefix(strings.ToLower(id), "/subscriptions/") {
				return id, ""
			}
		}
		return "", "it refers to " + ref + ", a data source the plan reads during apply"
	}
	// A managed resource: TYPE.NAME[KEY].ATTR
	if len(parts) < 2 {
		return "", ""
	}
	typ, name := parts[0], parts[1]
	var idx string
	attrName := "id"
	for _, p := range parts[2:] {
		if strings.HasPrefix(p, "[") {
			idx = p
			continue
		}
		attrName = p
		break
	}
	if attrName != "id" {
		return "", "it refers to " + ref + ", not to an ID"
	}
	target := ev.pickInstance(moduleAddr(mod), typ, name, idx, key)
	if target == nil {
		return "", "it refers to " + ref + ", which has no single instance in the plan"
	}
	c := &conv{ev: ev, in: target}
	t, ok := types[typ]
	if !ok {
		if id, ok := target.vals["id"].(string); ok {
			return id, ""
		}
		return "", "it refers to " + target.addr + ", whose ID vnetpath cannot build"
	}
	id := c.resourceID(t)
	if id == "" {
		return "", "it refers to " + target.addr + ", whose " + c.missing
	}
	return id, ""
}

// splitRef splits a reference into its dot-separated parts, keeping index
// brackets as parts of their own: module.a["x"].out -> module, a, ["x"], out.
func splitRef(ref string) []string {
	var out []string
	for ref != "" {
		if ref[0] == '[' {
			j := closeBracket(ref)
			out = append(out, ref[:j+1])
			ref = strings.TrimPrefix(ref[j+1:], ".")
			continue
		}
		i := strings.IndexAny(ref, ".[")
		if i < 0 {
			out = append(out, ref)
			break
		}
		out = append(out, ref[:i])
		ref = ref[i:]
		ref = strings.TrimPrefix(ref, ".")
	}
	return out
}

// moduleKey turns a module instance key as written ([0], ["a"]) into the
// key of a resource instance index (json.Number or string).
func moduleKey(k string) any {
	if k == "" {
		return nil
	}
	inner := k[1 : len(k)-1]
	if s, err := strconv.Unquote(inner); err == nil {
		return s
	}
	return json.Number(inner)
}

// onlyModuleInstance returns the key of the single instance of module call
// name under mod, or "".
func (ev *evaluator) onlyModuleInstance(mod []step, name string) string {
	prefix := moduleAddr(mod)
	if prefix != "" {
		prefix += "."
	}
	prefix += "module." + name
	keys := map[string]bool{}
	for _, in := range ev.after {
		if in.module == prefix || strings.HasPrefix(in.module, prefix+"[") || strings.HasPrefix(in.module, prefix+".") {
			rest := in.module[len(prefix):]
			k := ""
			if strings.HasPrefix(rest, "[") {
				k = rest[:closeBracket(rest)+1]
			}
			keys[k] = true
		}
	}
	if len(keys) == 1 {
		for k := range keys {
			return k
		}
	}
	return ""
}

// pickInstance finds the instance a reference names: the literal index
// when the reference has one, the same index as the referring instance
// (count.index, each.key) when the target has one, or the only instance.
func (ev *evaluator) pickInstance(module, typ, name, idx string, key any) *inst {
	var cands []*inst
	for _, in := range ev.after {
		if in.module == module && in.typ == typ && in.name == name {
			cands = append(cands, in)
		}
	}
	if idx != "" {
		want := moduleKey(idx)
		for _, in := range cands {
			if sameKey(in.key, want) {
				return in
			}
		}
		return nil
	}
	if len(cands) == 1 {
		return cands[0]
	}
	if key != nil {
		for _, in := range cands {
			if sameKey(in.key, key) {
				return in
			}
		}
	}
	return nil
}

func sameKey(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return fmt.Sprint(a) == fmt.Sprint(b)
}
