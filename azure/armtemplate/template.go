package armtemplate

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/vnetpath/vnetpath/azure/deploy"
)

// evaluator holds one evaluation of a template file.
type evaluator struct {
	name   string // file name for messages
	opts   Options
	exprs  map[string]node // parsed expressions
	top    *scope
	insts  []*instance          // every resource instance, in deployment order
	byID   map[string]*instance // lower-case ID -> instance (deployed)
	off    map[string]*instance // lower-case ID -> instance whose condition is false
	allocs map[string]*subnetAlloc
	errs   []error
	steps  int
}

func (ev *evaluator) parse(s string) (node, error) {
	if n, ok := ev.exprs[s]; ok {
		return n, nil
	}
	n, err := parseExpression(s)
	if err != nil {
		return nil, err
	}
	if ev.exprs == nil {
		ev.exprs = map[string]node{}
	}
	ev.exprs[s] = n
	return n, nil
}

// scope is one template being evaluated: the file's template or the inline
// template of a nested deployment.
type scope struct {
	ev   *evaluator
	path string // JSON path of the template object in the file
	tmpl *object
	// exprScope is the scope whose parameters and variables expressions in
	// this template read: itself, or for a nested deployment evaluated in
	// the outer scope, the parent's.
	exprScope      *scope
	params         map[string]*param // lower-case name
	vars           map[string]*variable
	sub, rg        string // where the template's resources are deployed
	rgLocation     string
	deploymentName string
	deployment     *instance // the Microsoft.Resources/deployments instance, nil for the file
	outputs        *object   // evaluated outputs, once asked for
	outputsState   int
}

type param struct {
	name  string
	decl  *object
	path  string
	given bool // a value was given (parameters file, override, nested deployment)
	raw   any  // the given value, still to evaluate for nested deployments
	rawC  ctx  // where a nested deployment's parameter value is evaluated
	value any
	state int // 0 unevaluated, 1 evaluating, 2 done
	err   error
}

type variable struct {
	name  string
	raw   any
	loop  *object // a variable made by a loop of the variables' "copy" array
	path  string
	value any
	state int
	err   error
}

// parameter returns the value of a parameter of the scope.
func (s *scope) parameter(name string) (any, error) {
	p, ok := s.params[strings.ToLower(name)]
	if !ok {
		return nil, fnErrorf("the template has no parameter %q (it has %s)", name, names(s.params))
	}
	switch p.state {
	case 1:
		return nil, fnErrorf("parameter %q refers to itself", name)
	case 2:
		return p.value, p.err
	}
	p.state = 1
	p.value, p.err = s.evalParameter(p)
	p.state = 2
	return p.value, p.err
}

func names[T any](m map[string]T) string {
	if len(m) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		switch v := any(m[k]).(type) {
		case *param:
			b.WriteString(strconv.Quote(v.name))
		case *variable:
			b.WriteString(strconv.Quote(v.name))
		}
	}
	return b.String()
}

func (s *scope) evalParameter(p *param) (any, error) {
	typ := ""
	if t, ok := p.decl.get("type"); ok {
		typ, _ = t.(string)
	}
	var v any
	switch {
	case p.given && p.rawC.s != nil:
		c := p.rawC
		val, err := c.evalJSON(p.raw)
		if err != nil {
			return nil, err
		}
		v = val
	case p.given:
		v = p.raw
	default:
		def, ok := p.decl.get("defaultValue")
		if !ok {
			if strings.HasPrefix(strings.ToLower(typ), "secure") {
				return &unknown{reason: fmt.Sprintf("secure parameter %q was not given", p.name)}, nil
			}
			return nil, &ExprError{File: s.ev.name, Path: p.path, Msg: fmt.Sprintf("parameter %q has no default value and was not given (use a parameters file or %s=VALUE)", p.name, p.name)}
		}
		// A default value is evaluated in the template's own scope.
		val, err := ctx{s: s}.at(p.path + ".defaultValue").evalJSON(def)
		if err != nil {
			return nil, err
		}
		v = val
	}
	if err := checkParameter(s.ev.name, p, typ, v); err != nil {
		return nil, err
	}
	return v, nil
}

// checkParameter checks a parameter value against its declared type and
// allowedValues.
func checkParameter(file string, p *param, typ string, v any) error {
	if _, ok := v.(*unknown); ok {
		return nil
	}
	bad := func(msg string) error {
		return &ExprError{File: file, Path: p.path, Msg: fmt.Sprintf("parameter %q: %s", p.name, msg)}
	}
	switch strings.ToLower(typ) {
	case "string", "securestring":
		if _, ok := v.(string); !ok {
			return bad("value " + describe(v) + " is not a string")
		}
	case "int":
		if _, ok := v.(int64); !ok {
			return bad("value " + describe(v) + " is not an integer")
		}
	case "bool":
		if _, ok := v.(bool); !ok {
			return bad("value " + describe(v) + " is not a boolean")
		}
	case "array":
		if _, ok := v.([]any); !ok {
			return bad("value " + describe(v) + " is not an array")
		}
	case "object", "secureobject":
		if _, ok := v.(*object); !ok {
			return bad("value " + describe(v) + " is not an object")
		}
	}
	if av, ok := p.decl.get("allowedValues"); ok {
		if allowed, ok := av.([]any); ok && len(allowed) > 0 {
			fits := func(x any) bool {
				return slices.ContainsFunc(allowed, func(a any) bool {
					as, aok := a.(string)
					xs, xok := x.(string)
					if aok && xok {
						return strings.EqualFold(as, xs)
					}
					return equal(a, x)
				})
			}
			if arr, isArr := v.([]any); isArr && strings.EqualFold(typ, "array") {
				for _, x := range arr {
					if !fits(x) {
						return bad("value " + describe(x) + " is not one of the allowed values " + describe(allowed))
					}
				}
			} else if !fits(v) {
				return bad("value " + describe(v) + " is not one of the allowed values " + describe(allowed))
			}
		}
	}
	return nil
}

// variable returns the value of a variable of the scope.
func (s *scope) variable(name string) (any, error) {
	v, ok := s.vars[strings.ToLower(name)]
	if !ok {
		return nil, fnErrorf("the template has no variable %q (it has %s)", name, names(s.vars))
	}
	switch v.state {
	case 1:
		return nil, fnErrorf("variable %q refers to itself", name)
	case 2:
		return v.value, v.err
	}
	v.state = 1
	c := ctx{s: s}.at(v.path)
	if v.loop != nil {
		_, v.value, v.err = c.expandCopy(v.loop)
	} else {
		v.value, v.err = c.evalJSON(v.raw)
	}
	v.state = 2
	return v.value, v.err
}

// newScope reads a template's parameters and variables.
func (ev *evaluator) newScope(tmpl *object, path string) (*scope, error) {
	s := &scope{ev: ev, path: path, tmpl: tmpl, params: map[string]*param{}, vars: map[string]*variable{}}
	s.exprScope = s
	if pv, ok := tmpl.get("parameters"); ok {
		po, ok := pv.(*object)
		if !ok {
			return nil, &ExprError{File: ev.name, Path: path + ".parameters", Msg: "parameters must be an object, not " + typeName(pv)}
		}
		for i, k := range po.keys {
			d, ok := po.vals[i].(*object)
			if !ok {
				return nil, &ExprError{File: ev.name, Path: path + ".parameters" + pathKey(k), Msg: "a parameter declaration must be an object, not " + typeName(po.vals[i])}
			}
			s.params[strings.ToLower(k)] = &param{name: k, decl: d, path: path + ".parameters" + pathKey(k)}
		}
	}
	if vv, ok := tmpl.get("variables"); ok {
		vo, ok := vv.(*object)
		if !ok {
			return nil, &ExprError{File: ev.name, Path: path + ".variables", Msg: "variables must be an object, not " + typeName(vv)}
		}
		for i, k := range vo.keys {
			vp := path + ".variables" + pathKey(k)
			if strings.EqualFold(k, "copy") {
				if loops, ok := copyLoops(vo.vals[i]); ok {
					for j, l := range loops {
						nv, _ := l.get("name")
						n, _ := nv.(string)
						if n == "" {
							return nil, &ExprError{File: ev.name, Path: vp + pathIndex(j) + ".name", Msg: "a variable copy loop needs a literal name"}
						}
						s.vars[strings.ToLower(n)] = &variable{name: n, loop: l, path: vp + pathIndex(j)}
					}
					continue
				}
			}
			s.vars[strings.ToLower(k)] = &variable{name: k, raw: vo.vals[i], path: vp}
		}
	}
	return s, nil
}

// instance is one resource the deployment creates: a resource declaration
// at one copy index, with its name, type and ID evaluated.
type instance struct {
	ev      *evaluator
	s       *scope // the template that declares it
	decl    *object
	path    string // JSON path of the declaration
	loops   []loop
	typ     string
	name    string // full name, "vnet/subnet" for a child
	id      string
	sub, rg string
	nested  *scope // the template of a Microsoft.Resources/deployments
	scopeID string // the resource an extension resource is attached to
	off     bool   // its condition is false

	state int // 0 unevaluated, 1 evaluating, 2 evaluated
	body  *object
	err   error
	// final is body with the values Azure will assign that vnetpath
	// predicts; see (*evaluator).finalize.
	final       *object
	finalErr    error
	finalState  int
	assumptions []string
	endpoint    *endpointInfo // for private endpoints, once predicted
}

func (in *instance) ctx() ctx {
	return ctx{s: in.s.exprScope, loops: in.loops, path: in.path}
}

// label names an instance for messages: its type and name.
func (in *instance) label() string {
	return in.typ + " " + strconv.Quote(in.name)
}

// evaluate evaluates the declaration's members other than those that
// drive deployment (copy, condition, dependsOn, resources): the resource
// object Azure is asked to create.
func (in *instance) evaluate() (*object, error) {
	switch in.state {
	case 1:
		return nil, &cycleError{label: in.label()}
	case 2:
		return in.body, in.err
	}
	in.state = 1
	body := newObject()
	c := in.ctx()
	var err error
	for i, k := range in.decl.keys {
		switch strings.ToLower(k) {
		case "copy", "condition", "dependson", "resources", "name", "type", "comments", "apiversion", "scope", "existing", "metadata":
			continue
		}
		var v any
		v, err = c.at(in.path + pathKey(k)).evalJSON(in.decl.vals[i])
		if err != nil {
			break
		}
		body.set(k, v)
	}
	if isCycle(err) {
		in.state = 0
		return nil, err
	}
	in.body, in.err = body, err
	in.state = 2
	return in.body, in.err
}

// expand walks a template's resources and appends their instances to the
// evaluator's list, nested deployments in place.
func (ev *evaluator) expand(s *scope, parentLoops []loop) {
	rv, ok := s.tmpl.get("resources")
	if !ok {
		return
	}
	if _, isObj := rv.(*object); isObj {
		ev.errs = append(ev.errs, &ExprError{File: ev.name, Path: s.path + ".resources", Msg: "resources declared as an object (languageVersion 2.0 symbolic names) are not supported; compile the Bicep file with a languageVersion 1 target"})
		return
	}
	arr, ok := rv.([]any)
	if !ok {
		ev.errs = append(ev.errs, &ExprError{File: ev.name, Path: s.path + ".resources", Msg: "resources must be an array, not " + typeName(rv)})
		return
	}
	for i, r := range arr {
		ev.expandDecl(s, r, s.path+".resources"+pathIndex(i), parentLoops, nil)
	}
}

// expandDecl expands one resource declaration: its copy loop, condition,
// name and type, and its child resources.
func (ev *evaluator) expandDecl(s *scope, r any, path string, loops []loop, parent *instance) {
	decl, ok := r.(*object)
	if !ok {
		ev.errs = append(ev.errs, &ExprError{File: ev.name, Path: path, Msg: "a resource must be an object, not " + typeName(r)})
		return
	}
	base := ctx{s: s.exprScope, loops: loops, path: path}
	counts := []int{-1} // -1: no copy loop
	var copyName string
	if cv, ok := decl.get("copy"); ok {
		co, ok := cv.(*object)
		if !ok {
			ev.errs = append(ev.errs, base.at(path+".copy").errorf("", "a resource copy must be an object, not %s", typeName(cv)))
			return
		}
		nv, _ := co.get("name")
		copyName, _ = nv.(string)
		n, err := base.at(path + ".copy").copyCount(co)
		if err != nil {
			ev.errs = append(ev.errs, err)
			return
		}
		if u, ok := n.(*unknown); ok {
			ev.errs = append(ev.errs, base.at(path+".copy.count").errorf(exprText(mustGet(co, "count")), "the number of copies is not known before deployment: %s", u.reason))
			return
		}
		counts = nil
		for i := range n.(int) {
			counts = append(counts, i)
		}
	}
	for _, i := range counts {
		c := base
		p := path
		if i >= 0 {
			c = c.with(loop{name: copyName, index: i, resource: true})
			p = path + " (copy " + strconv.Itoa(i) + ")"
		}
		ev.expandInstance(s, decl, c, p, parent)
	}
}

func mustGet(o *object, k string) any {
	v, _ := o.get(k)
	return v
}

func (ev *evaluator) expandInstance(s *scope, decl *object, c ctx, path string, parent *instance) {
	in := &instance{ev: ev, s: s, decl: decl, path: c.path, loops: c.loops, sub: s.sub, rg: s.rg}
	str := func(key string) (string, bool) {
		v, ok := decl.get(key)
		if !ok {
			ev.errs = append(ev.errs, c.errorf("", "resource has no %s", key))
			return "", false
		}
		x, err := c.at(c.path + "." + key).evalJSON(v)
		if err != nil {
			ev.errs = append(ev.errs, err)
			return "", false
		}
		switch x := x.(type) {
		case string:
			return x, true
		case *unknown:
			ev.errs = append(ev.errs, c.at(c.path+"."+key).errorf(exprText(v), "the resource %s is not known before deployment: %s", key, x.reason))
		default:
			ev.errs = append(ev.errs, c.at(c.path+"."+key).errorf(exprText(v), "the resource %s must be a string, not %s", key, typeName(x)))
		}
		return "", false
	}
	typ, ok1 := str("type")
	name, ok2 := str("name")
	if !ok1 || !ok2 {
		return
	}
	// Where a nested deployment puts its resources.
	if strings.EqualFold(typ, typeDeployment) {
		for _, k := range []string{"subscriptionId", "resourceGroup"} {
			if v, ok := decl.get(k); ok {
				x, err := c.at(c.path + "." + k).evalJSON(v)
				if err != nil {
					ev.errs = append(ev.errs, err)
					return
				}
				xs, ok := x.(string)
				if !ok {
					ev.errs = append(ev.errs, c.at(c.path+"."+k).errorf(exprText(v), "%s must be a string, not %s", k, typeName(x)))
					return
				}
				if k == "subscriptionId" {
					in.sub = xs
				} else {
					in.rg = xs
				}
			}
		}
	}
	in.typ, in.name = typ, name
	if parent != nil {
		in.typ, in.name, in.scopeID = childTypeName(parent, typ, name)
	}
	id, err := ev.instanceID(in, c)
	if err != nil {
		ev.errs = append(ev.errs, err)
		return
	}
	in.id = id
	if cv, ok := decl.get("condition"); ok {
		x, err := c.at(c.path + ".condition").evalJSON(cv)
		if err != nil {
			ev.errs = append(ev.errs, err)
			return
		}
		switch x := x.(type) {
		case bool:
			in.off = !x
		case *unknown:
			ev.errs = append(ev.errs, c.at(c.path+".condition").errorf(exprText(cv), "whether %s is deployed is not known before deployment: %s", in.label(), x.reason))
			return
		default:
			ev.errs = append(ev.errs, c.at(c.path+".condition").errorf(exprText(cv), "condition must be a boolean, not %s", typeName(x)))
			return
		}
	}
	if parent != nil && parent.off {
		in.off = true
	}
	key := strings.ToLower(in.id)
	if in.off {
		if _, ok := ev.off[key]; !ok {
			ev.off[key] = in
		}
		return
	}
	if prev, ok := ev.byID[key]; ok && prev.s == in.s && !strings.EqualFold(in.typ, typeDeployment) {
		ev.errs = append(ev.errs, c.errorf("", "%s is declared twice (also at %s)", in.label(), prev.path))
		return
	}
	ev.byID[key] = in
	ev.insts = append(ev.insts, in)
	if strings.EqualFold(in.typ, typeDeployment) {
		ev.expandDeployment(in, c)
	}
	if rv, ok := decl.get("resources"); ok {
		arr, ok := rv.([]any)
		if !ok {
			ev.errs = append(ev.errs, c.at(c.path+".resources").errorf("", "child resources must be an array, not %s", typeName(rv)))
			return
		}
		for i, r := range arr {
			ev.expandDecl(s, r, c.path+".resources"+pathIndex(i), c.loops, in)
		}
	}
}

const typeDeployment = "Microsoft.Resources/deployments"

// childTypeName returns the full type and name of a resource declared in
// its parent's "resources": a relative type ("subnets") and name are joined
// to the parent's.
func childTypeName(parent *instance, typ, name string) (string, string, string) {
	if strings.HasPrefix(strings.ToLower(typ), "providers/") {
		// An extension resource, such as a diagnostic setting:
		// "providers/diagnosticSettings" named "Microsoft.Insights/default".
		ns, short, _ := strings.Cut(name, "/")
		return ns + "/" + strings.TrimPrefix(typ[len("providers/"):], "/"), short, parent.id
	}
	segs := strings.Split(strings.Trim(typ, "/"), "/")
	if strings.Contains(segs[0], ".") {
		// A full type: a child of the parent when it extends the parent's
		// type, else a resource of its own.
		if strings.HasPrefix(strings.ToLower(typ), strings.ToLower(parent.typ)+"/") && strings.Count(name, "/") < len(segs)-1 {
			return typ, parent.name + "/" + name, ""
		}
		return typ, name, ""
	}
	return parent.typ + "/" + strings.Trim(typ, "/"), parent.name + "/" + name, ""
}

// instanceID builds the ID of a resource instance.
func (ev *evaluator) instanceID(in *instance, c ctx) (string, error) {
	segs := strings.Split(strings.Trim(in.typ, "/"), "/")
	names := strings.Split(in.name, "/")
	if len(segs) < 2 {
		return "", c.at(c.path+".type").errorf("", "resource type %q has no namespace", in.typ)
	}
	if len(names) != len(segs)-1 {
		return "", c.at(c.path+".name").errorf("", "resource name %q has %d segment%s, but type %q needs %d", in.name, len(names), plural(len(names)), in.typ, len(segs)-1)
	}
	id := typedPath(strings.Join(segs, "/"), names)
	if in.scopeID != "" {
		return in.scopeID + "/providers/" + id, nil
	}
	if sv, ok := in.decl.get("scope"); ok {
		x, err := c.at(c.path + ".scope").evalJSON(sv)
		if err != nil {
			return "", err
		}
		if xs, ok := x.(string); ok {
			return strings.TrimRight(xs, "/") + "/providers/" + id, nil
		}
	}
	if strings.EqualFold(in.typ, typeDeployment) {
		return "/subscriptions/" + in.s.sub + "/resourceGroups/" + in.s.rg + "/providers/" + id, nil
	}
	return "/subscriptions/" + in.sub + "/resourceGroups/" + in.rg + "/providers/" + id, nil
}

// expandDeployment reads the inline template of a nested deployment and
// expands its resources in place.
func (ev *evaluator) expandDeployment(in *instance, c ctx) {
	pv, _ := in.decl.get("properties")
	props, ok := pv.(*object)
	if !ok {
		ev.errs = append(ev.errs, c.at(c.path+".properties").errorf("", "deployment %q has no properties", in.name))
		return
	}
	if _, ok := props.get("templateLink"); ok {
		ev.errs = append(ev.errs, c.at(c.path+".properties.templateLink").errorf("", "deployment %q links to a template vnetpath cannot read offline; inline it (properties.template)", in.name))
		return
	}
	tv, ok := props.get("template")
	tmpl, isObj := tv.(*object)
	if !ok || !isObj {
		ev.errs = append(ev.errs, c.at(c.path+".properties.template").errorf("", "deployment %q has no inline template", in.name))
		return
	}
	tpath := c.path + ".properties.template"
	inner := false
	if eo, ok := props.get("expressionEvaluationOptions"); ok {
		if eoo, ok := eo.(*object); ok {
			if sv, ok := eoo.get("scope"); ok {
				if ss, ok := sv.(string); ok && strings.EqualFold(ss, "inner") {
					inner = true
				}
			}
		}
	}
	ns, err := ev.newScope(tmpl, tpath)
	if err != nil {
		ev.errs = append(ev.errs, err)
		return
	}
	ns.sub, ns.rg = in.sub, in.rg
	ns.rgLocation = in.s.rgLocation
	ns.deploymentName = in.name
	ns.deployment = in
	if !inner {
		ns.exprScope = in.s.exprScope
	} else {
		if pv, ok := props.get("parameters"); ok {
			po, ok := pv.(*object)
			if !ok {
				ev.errs = append(ev.errs, c.at(c.path+".properties.parameters").errorf("", "parameters must be an object, not %s", typeName(pv)))
				return
			}
			for i, k := range po.keys {
				p, ok := ns.params[strings.ToLower(k)]
				kpath := c.path + ".properties.parameters" + pathKey(k)
				if !ok {
					ev.errs = append(ev.errs, c.at(kpath).errorf("", "deployment %q passes parameter %q, which its template does not declare", in.name, k))
					return
				}
				vo, ok := po.vals[i].(*object)
				if !ok {
					ev.errs = append(ev.errs, c.at(kpath).errorf("", "a parameter value must be an object with \"value\", not %s", typeName(po.vals[i])))
					return
				}
				val, ok := vo.get("value")
				if !ok {
					if _, isRef := vo.get("reference"); isRef {
						p.given, p.raw = true, &unknown{reason: fmt.Sprintf("parameter %q of deployment %q is a Key Vault reference", k, in.name)}
						continue
					}
					ev.errs = append(ev.errs, c.at(kpath).errorf("", "parameter %q has no \"value\"", k))
					return
				}
				p.given, p.raw, p.rawC = true, val, c.at(kpath+".value")
			}
		}
	}
	in.nested = ns
	ev.expand(ns, nil)
}

// outputs evaluates the outputs of a nested deployment's template.
func (s *scope) evalOutputs() (*object, error) {
	switch s.outputsState {
	case 1:
		return nil, fnErrorf("the outputs of deployment %q refer to themselves", s.deploymentName)
	case 2:
		return s.outputs, nil
	}
	s.outputsState = 1
	out := newObject()
	defer func() { s.outputsState = 2; s.outputs = out }()
	ov, ok := s.tmpl.get("outputs")
	if !ok {
		return out, nil
	}
	oo, ok := ov.(*object)
	if !ok {
		return out, nil
	}
	c := ctx{s: s.exprScope}
	for i, k := range oo.keys {
		d, ok := oo.vals[i].(*object)
		if !ok {
			continue
		}
		path := s.path + ".outputs" + pathKey(k)
		var val any
		if cv, ok := d.get("copy"); ok {
			co, _ := cv.(*object)
			if co == nil {
				continue
			}
			n, err := c.at(path + ".copy").copyCount(co)
			if err != nil {
				return nil, err
			}
			if u, ok := n.(*unknown); ok {
				val = u
			} else {
				in, _ := co.get("input")
				arr := make([]any, 0, n.(int))
				for j := range n.(int) {
					x, err := c.with(loop{index: j, resource: true}).at(path + ".copy.input").evalJSON(in)
					if err != nil {
						return nil, err
					}
					arr = append(arr, x)
				}
				val = arr
			}
		} else {
			v, _ := d.get("value")
			x, err := c.at(path + ".value").evalJSON(v)
			if err != nil {
				return nil, err
			}
			val = x
		}
		e := newObject()
		if t, ok := d.get("type"); ok {
			e.set("type", t)
		}
		e.set("value", val)
		out.set(k, e)
	}
	return out, nil
}

// reference implements reference(): a resource this deployment creates
// gives its declared properties with the values Azure will assign that
// vnetpath predicts; a nested deployment gives its outputs; anything else is
// unknown before deployment.
func (ev *evaluator) reference(c ctx, target string, full bool) (any, error) {
	in := ev.lookup(c, target)
	if in == nil {
		if off := ev.lookupOff(c, target); off != nil {
			return unknownf("reference('%s'): %s is not deployed (its condition is false)", target, off.label()), nil
		}
		child, err := ev.embeddedChild(target)
		if err != nil || child != nil {
			return child, err
		}
		return unknownf("reference('%s') reads a resource outside the template", target), nil
	}
	if in.nested != nil {
		outs, err := in.nested.evalOutputs()
		if err != nil {
			return nil, err
		}
		o := newObject()
		o.set("outputs", outs)
		o.set("provisioningState", "Succeeded")
		return o, nil
	}
	body, err := ev.finalize(in)
	if isCycle(err) {
		return nil, err
	}
	if err != nil {
		return unknownf("reference('%s'): %v", target, err), nil
	}
	if full {
		o := body.clone()
		o.set("id", in.id)
		o.set("name", in.name)
		o.set("type", in.typ)
		o.open = true
		o.openDesc = fmt.Sprintf("reference('%s', 'Full')", target)
		return o, nil
	}
	pv, _ := body.get("properties")
	props, ok := pv.(*object)
	if !ok {
		props = newObject()
	} else {
		props = props.clone()
	}
	props.open = true
	props.openDesc = fmt.Sprintf("reference(%s)", in.label())
	return props, nil
}

// lookup finds the instance a reference() names: a full ID, or a name
// declared in the same template.
func (ev *evaluator) lookup(c ctx, target string) *instance {
	if in, ok := ev.byID[strings.ToLower(strings.TrimRight(target, "/"))]; ok {
		return in
	}
	if !strings.HasPrefix(target, "/") {
		var found *instance
		for _, in := range ev.insts {
			if strings.EqualFold(in.name, target) && in.s.exprScope == c.s {
				if found != nil {
					return nil
				}
				found = in
			}
		}
		return found
	}
	return nil
}

func (ev *evaluator) lookupOff(_ ctx, target string) *instance {
	return ev.off[strings.ToLower(strings.TrimRight(target, "/"))]
}

// embeddedChild returns the properties of a child resource declared inside
// its parent's properties (a subnet in a VNet's properties.subnets), or nil.
func (ev *evaluator) embeddedChild(target string) (any, error) {
	id := strings.TrimRight(target, "/")
	pid := parentID(id)
	if pid == "" {
		return nil, nil
	}
	in, ok := ev.byID[strings.ToLower(pid)]
	if !ok || in.nested != nil {
		return nil, nil
	}
	body, err := ev.finalize(in)
	if isCycle(err) {
		return nil, err
	}
	if err != nil {
		return unknownf("reference('%s'): %v", target, err), nil
	}
	rest := id[len(pid)+1:]
	seg, name, _ := strings.Cut(rest, "/")
	child := embedded(body, seg, name)
	if child == nil {
		return nil, nil
	}
	pv, _ := child.get("properties")
	props, ok := pv.(*object)
	if !ok {
		props = newObject()
	} else {
		props = props.clone()
	}
	props.open = true
	props.openDesc = fmt.Sprintf("reference('%s')", target)
	return props, nil
}

// embedded finds the child named name in body.properties.<seg>.
func embedded(body *object, seg, name string) *object {
	pv, _ := body.get("properties")
	props, ok := pv.(*object)
	if !ok {
		return nil
	}
	lv, _ := props.get(seg)
	list, ok := lv.([]any)
	if !ok {
		return nil
	}
	for _, x := range list {
		o, ok := x.(*object)
		if !ok {
			continue
		}
		if n, _ := o.get("name"); n != nil {
			if ns, ok := n.(string); ok && strings.EqualFold(ns, name) {
				return o
			}
		}
	}
	return nil
}

// Options control evaluation. The zero value evaluates a template with
// only its default parameter values, in the default scope below.
type Options struct {
	// Name is the template's file name, used in messages ("template"
	// when empty); DeploymentName defaults to it without its extension.
	Name string
	// Parameters is the content of a parameters file,
	// {"parameters": {"name": {"value": ...}}}; ParametersName is its file
	// name for messages.
	Parameters     []byte
	ParametersName string
	// Overrides are NAME=VALUE parameter values, applied after the
	// parameters file. VALUE is taken as the parameter's declared type:
	// an integer, true or false, JSON for arrays and objects, else a
	// string.
	Overrides []string
	// The scope of the deployment: subscription().subscriptionId,
	// resourceGroup().name, resourceGroup().location, deployment().name
	// and subscription().tenantId. Defaults: DefaultSubscriptionID,
	// DefaultResourceGroup, DefaultLocation, the template's file name
	// without extension, DefaultTenantID.
	SubscriptionID string
	ResourceGroup  string
	Location       string
	DeploymentName string
	TenantID       string
}

// The default deployment scope, used when Options leaves it empty.
const (
	DefaultSubscriptionID = "00000000-0000-0000-0000-000000000000"
	DefaultResourceGroup  = "vnetpath"
	DefaultLocation       = "westeurope"
	DefaultTenantID       = "00000000-0000-0000-0000-000000000000"
)

func (o Options) tenantID() string {
	if o.TenantID != "" {
		return o.TenantID
	}
	return DefaultTenantID
}

func (o Options) fileName() string {
	if o.Name != "" {
		return o.Name
	}
	return "template"
}

// Evaluate evaluates an ARM deployment template (the content of
// azuredeploy.json) and returns the resources the deployment will create,
// in the shape the snapshot loader reads.
//
// The template's JSON must be well formed and its parameters given (a
// parameter without a default and without a value is an error, except
// secure ones, which become unknown values); such errors return a nil
// Result. Errors evaluating a resource (an unsupported template function,
// a malformed expression, a name or condition not known before deployment)
// are joined in the returned error while the Result holds everything else:
// a resource whose content could not be evaluated is listed in
// Result.Missing with the error as reason.
func Evaluate(template []byte, opts Options) (*deploy.Result, error) {
	ev := &evaluator{name: opts.fileName(), opts: opts, byID: map[string]*instance{}, off: map[string]*instance{}, allocs: map[string]*subnetAlloc{}}
	doc, err := parseJSON(template)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ev.name, err)
	}
	tmpl, ok := doc.(*object)
	if !ok {
		return nil, fmt.Errorf("%s: a deployment template is a JSON object, not %s", ev.name, typeName(doc))
	}
	if _, ok := tmpl.get("resources"); !ok {
		return nil, fmt.Errorf("%s: not a deployment template: it has no \"resources\"", ev.name)
	}
	top, err := ev.newScope(tmpl, "$")
	if err != nil {
		return nil, err
	}
	top.sub = firstOf(opts.SubscriptionID, DefaultSubscriptionID)
	top.rg = firstOf(opts.ResourceGroup, DefaultResourceGroup)
	top.rgLocation = firstOf(opts.Location, DefaultLocation)
	top.deploymentName = opts.DeploymentName
	if top.deploymentName == "" {
		base := ev.name
		if i := strings.LastIndexAny(base, `/\`); i >= 0 {
			base = base[i+1:]
		}
		if i := strings.LastIndex(base, "."); i > 0 {
			base = base[:i]
		}
		top.deploymentName = base
	}
	ev.top = top
	if err := ev.applyParameters(top); err != nil {
		return nil, err
	}
	ev.expand(top, nil)
	res := ev.build()
	if len(ev.errs) > 0 {
		return res, joinErrors(ev.errs)
	}
	return res, nil
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// applyParameters reads the parameters file and the overrides into the
// top-level scope.
func (ev *evaluator) applyParameters(s *scope) error {
	if len(ev.opts.Parameters) > 0 {
		pname := firstOf(ev.opts.ParametersName, "parameters file")
		doc, err := parseJSON(ev.opts.Parameters)
		if err != nil {
			return fmt.Errorf("%s: %w", pname, err)
		}
		root, ok := doc.(*object)
		if !ok {
			return fmt.Errorf("%s: a parameters file is a JSON object, not %s", pname, typeName(doc))
		}
		path := "$"
		if pv, ok := root.get("parameters"); ok {
			if po, ok := pv.(*object); ok {
				root, path = po, "$.parameters"
			} else {
				return fmt.Errorf("%s: $.parameters: must be an object, not %s", pname, typeName(pv))
			}
		}
		for i, k := range root.keys {
			if strings.HasPrefix(k, "$") || strings.EqualFold(k, "contentVersion") {
				continue
			}
			kp := path + pathKey(k)
			p, ok := s.params[strings.ToLower(k)]
			if !ok {
				return fmt.Errorf("%s: %s: the template has no parameter %q (it has %s)", pname, kp, k, names(s.params))
			}
			vo, ok := root.vals[i].(*object)
			if !ok {
				return fmt.Errorf("%s: %s: a parameter value is an object with \"value\", not %s", pname, kp, typeName(root.vals[i]))
			}
			if val, ok := vo.get("value"); ok {
				p.given, p.raw = true, val
				continue
			}
			if _, ok := vo.get("reference"); ok {
				p.given, p.raw = true, &unknown{reason: fmt.Sprintf("parameter %q is a Key Vault reference", k)}
				continue
			}
			return fmt.Errorf("%s: %s: parameter %q has no \"value\"", pname, kp, k)
		}
	}
	for _, o := range ev.opts.Overrides {
		name, val, ok := strings.Cut(o, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return fmt.Errorf("parameter override %q is not NAME=VALUE", o)
		}
		name = strings.TrimSpace(name)
		p, ok := s.params[strings.ToLower(name)]
		if !ok {
			return fmt.Errorf("parameter override %q: the template has no parameter %q (it has %s)", o, name, names(s.params))
		}
		t, _ := p.decl.get("type")
		ts, _ := t.(string)
		v, err := overrideValue(ts, val)
		if err != nil {
			return fmt.Errorf("parameter override %q: %v", o, err)
		}
		p.given, p.raw, p.rawC = true, v, ctx{}
	}
	var need []string
	for _, p := range s.params {
		if p.given {
			continue
		}
		if _, ok := p.decl.get("defaultValue"); ok {
			continue
		}
		if t, _ := p.decl.get("type"); t != nil {
			if ts, _ := t.(string); strings.HasPrefix(strings.ToLower(ts), "secure") {
				continue
			}
		}
		need = append(need, p.name)
	}
	if len(need) > 0 {
		slices.Sort(need)
		return fmt.Errorf("%s: parameter%s %s %s no default value and no value was given (use a parameters file or NAME=VALUE)",
			ev.name, plural(len(need)), strings.Join(need, ", "), map[bool]string{true: "has", false: "have"}[len(need) == 1])
	}
	return nil
}

// overrideValue converts a NAME=VALUE override to the parameter's type.
func overrideValue(typ, val string) (any, error) {
	switch strings.ToLower(typ) {
	case "int":
		n, err := strconv.ParseInt(strings.TrimSpace(val), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not an integer", val)
		}
		return n, nil
	case "bool":
		switch strings.ToLower(strings.TrimSpace(val)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, fmt.Errorf("%q is neither true nor false", val)
	case "array", "object", "secureobject":
		v, err := parseJSON([]byte(val))
		if err != nil {
			return nil, fmt.Errorf("%q is not JSON: %v", val, err)
		}
		return v, nil
	}
	return val, nil
}

// joinErrors joins errors like errors.Join, keeping each one visible to
// errors.As.
func joinErrors(errs []error) error {
	return &multiError{errs: errs}
}

type multiError struct{ errs []error }

func (m *multiError) Error() string {
	var b strings.Builder
	for i, e := range m.errs {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

func (m *multiError) Unwrap() []error { return m.errs }
