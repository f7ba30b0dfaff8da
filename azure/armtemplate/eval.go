package armtemplate

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// maxSteps bounds the work of one evaluation (values and expression nodes
// evaluated), so that nested copy loops cannot run away.
const maxSteps = 1_000_000

func (ev *evaluator) step() error {
	ev.steps++
	if ev.steps > maxSteps {
		return fnErrorf("the template needs more than %d evaluation steps; vnetpath stops there", maxSteps)
	}
	return nil
}

// loop is one copy loop the evaluation is inside: its name and the current
// index.
type loop struct {
	name     string
	index    int
	resource bool // the copy loop of a resource (copyIndex() without a name)
}

// ctx is where an expression is evaluated: the template scope (parameters,
// variables, resource group), the copy loops around it and the JSON path of
// the value, for messages.
type ctx struct {
	s     *scope
	loops []loop
	path  string
}

func (c ctx) at(path string) ctx { c.path = path; return c }

func (c ctx) with(l loop) ctx {
	c.loops = append(append([]loop(nil), c.loops...), l)
	return c
}

// ExprError is an error evaluating a template value: the JSON path of the
// value in the template file, the expression when there is one, and what
// went wrong.
type ExprError struct {
	File string
	Path string // JSON path in the file, "$.resources[3].properties.routes[0]..."
	Expr string // the JSON string holding the expression, or ""
	Msg  string
	// Function names the template function vnetpath does not support, when
	// that is the error.
	Function string
}

func (e *ExprError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	b.WriteString(e.Path)
	b.WriteString(": ")
	if e.Expr != "" {
		b.WriteString(strconv.Quote(e.Expr))
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// errorf builds an ExprError at the context's path.
func (c ctx) errorf(expr, format string, args ...any) *ExprError {
	return &ExprError{File: c.s.ev.name, Path: c.path, Expr: expr, Msg: fmt.Sprintf(format, args...)}
}

// fnError is an error raised by a template function; eval wraps it with
// the path and the expression.
type fnError struct {
	msg         string
	unsupported string // the function name when it is not supported
}

func (e *fnError) Error() string { return e.msg }

func fnErrorf(format string, args ...any) error { return &fnError{msg: fmt.Sprintf(format, args...)} }

// cycleError is a resource reached again through reference() while it is
// being evaluated. It is not cached: the resource evaluates once the
// evaluation that reached it is over.
type cycleError struct{ label string }

func (e *cycleError) Error() string { return e.label + " refers to itself through reference()" }

func isCycle(err error) bool {
	var c *cycleError
	return errors.As(err, &c)
}

// evalJSON evaluates a template JSON value: expressions in strings
// (including object keys), and copy elements in objects.
func (c ctx) evalJSON(v any) (any, error) {
	if err := c.s.ev.step(); err != nil {
		return nil, c.errorf("", "%v", err)
	}
	switch v := v.(type) {
	case string:
		return c.evalString(v)
	case []any:
		out := make([]any, 0, len(v))
		for i, x := range v {
			y, err := c.at(c.path + pathIndex(i)).evalJSON(x)
			if err != nil {
				return nil, err
			}
			out = append(out, y)
		}
		return out, nil
	case *object:
		return c.evalObject(v)
	}
	return v, nil
}

// evalString evaluates a JSON string: an expression, or a literal.
func (c ctx) evalString(s string) (any, error) {
	isExpr, lit := isExpression(s)
	if !isExpr {
		return lit, nil
	}
	n, err := c.s.ev.parse(s)
	if err != nil {
		var se *SyntaxError
		if errors.As(err, &se) {
			return nil, &ExprError{File: c.s.ev.name, Path: c.path, Expr: s, Msg: fmt.Sprintf("syntax error at offset %d: %s", se.Offset, se.Msg)}
		}
		return nil, c.errorf(s, "%v", err)
	}
	v, err := c.eval(n)
	if err != nil {
		if isCycle(err) {
			return nil, err
		}
		var fe *fnError
		if errors.As(err, &fe) {
			e := c.errorf(s, "%s", fe.msg)
			e.Function = fe.unsupported
			return nil, e
		}
		var ee *ExprError
		if errors.As(err, &ee) {
			return nil, ee
		}
		return nil, c.errorf(s, "%v", err)
	}
	if u, ok := v.(*unknown); ok && u.expr == "" {
		u.expr = s
	}
	return v, nil
}

// evalObject evaluates an object's keys and values. A "copy" member that
// is an array of {name, count, input} loops creates one array property per
// loop (property and variable iteration).
func (c ctx) evalObject(o *object) (any, error) {
	out := newObject()
	for i, k := range o.keys {
		v := o.vals[i]
		if strings.EqualFold(k, "copy") {
			if loops, ok := copyLoops(v); ok {
				for j, l := range loops {
					lc := c.at(c.path + pathKey(k) + pathIndex(j))
					name, arr, err := lc.expandCopy(l)
					if err != nil {
						return nil, err
					}
					out.set(name, arr)
				}
				continue
			}
		}
		key := k
		if isExpr, lit := isExpression(k); isExpr {
			kv, err := c.at(c.path + pathKey(k)).evalString(k)
			if err != nil {
				return nil, err
			}
			switch kv := kv.(type) {
			case string:
				key = kv
			case *unknown:
				return kv, nil
			default:
				return nil, c.at(c.path+pathKey(k)).errorf(k, "a property name must be a string, not %s", typeName(kv))
			}
		} else {
			key = lit
		}
		val, err := c.at(c.path + pathKey(k)).evalJSON(v)
		if err != nil {
			return nil, err
		}
		out.set(key, val)
	}
	return out, nil
}

// copyLoops reports whether v is a property-iteration "copy" array: objects
// each with a name and an input.
func copyLoops(v any) ([]*object, bool) {
	arr, ok := v.([]any)
	if !ok || len(arr) == 0 {
		return nil, false
	}
	out := make([]*object, 0, len(arr))
	for _, x := range arr {
		o, ok := x.(*object)
		if !ok {
			return nil, false
		}
		if _, ok := o.get("name"); !ok {
			return nil, false
		}
		if _, ok := o.get("input"); !ok {
			return nil, false
		}
		out = append(out, o)
	}
	return out, true
}

// maxCopy is the largest copy count ARM accepts.
const maxCopy = 800

// expandCopy evaluates one property or variable copy loop and returns its
// name and the array it makes.
func (c ctx) expandCopy(l *object) (string, any, error) {
	nv, _ := l.get("name")
	nameV, err := c.at(c.path + ".name").evalJSON(nv)
	if err != nil {
		return "", nil, err
	}
	name, ok := nameV.(string)
	if !ok {
		return "", nil, c.at(c.path+".name").errorf("", "copy name must be a string, not %s", typeName(nameV))
	}
	count, err := c.copyCount(l)
	if err != nil {
		return "", nil, err
	}
	if u, ok := count.(*unknown); ok {
		return name, u, nil
	}
	in, _ := l.get("input")
	arr := make([]any, 0, count.(int))
	for i := range count.(int) {
		v, err := c.with(loop{name: name, index: i}).at(c.path + ".input").evalJSON(in)
		if err != nil {
			return "", nil, err
		}
		arr = append(arr, v)
	}
	return name, arr, nil
}

// copyCount evaluates the count of a copy element: an int, or an unknown.
func (c ctx) copyCount(l *object) (any, error) {
	cv, ok := l.get("count")
	if !ok {
		return nil, c.errorf("", "copy has no count")
	}
	v, err := c.at(c.path + ".count").evalJSON(cv)
	if err != nil {
		return nil, err
	}
	switch v := v.(type) {
	case *unknown:
		return v, nil
	case int64:
		if v < 0 || v > maxCopy {
			return nil, c.at(c.path+".count").errorf(exprText(cv), "copy count %d is outside 0-%d", v, maxCopy)
		}
		return int(v), nil
	case string:
		if n, err := strconv.Atoi(v); err == nil && n >= 0 && n <= maxCopy {
			return n, nil
		}
	}
	return nil, c.at(c.path+".count").errorf(exprText(cv), "copy count must be an integer, not %s", typeName(v))
}

// exprText returns v when it is a string (the expression) or "".
func exprText(v any) string {
	s, _ := v.(string)
	return s
}

// eval evaluates a parsed expression.
func (c ctx) eval(n node) (any, error) {
	if err := c.s.ev.step(); err != nil {
		return nil, err
	}
	switch n := n.(type) {
	case *litNode:
		return n.v, nil
	case *callNode:
		return c.call(n)
	case *propNode:
		x, err := c.eval(n.x)
		if err != nil {
			return nil, err
		}
		return property(x, n.name)
	case *indexNode:
		x, err := c.eval(n.x)
		if err != nil {
			return nil, err
		}
		ix, err := c.eval(n.index)
		if err != nil {
			return nil, err
		}
		return index(x, ix)
	}
	return nil, fnErrorf("empty expression")
}

// property reads x.name.
func property(x any, name string) (any, error) {
	switch x := x.(type) {
	case *unknown:
		return x, nil
	case *object:
		if v, ok := x.get(name); ok {
			return v, nil
		}
		if x.open {
			return unknownf("%s.%s is set by Azure during deployment", x.openDesc, name), nil
		}
		return nil, fnErrorf("the object has no property %q (it has %s)", name, keyList(x))
	case nil:
		return nil, fnErrorf("cannot read property %q of null", name)
	}
	return nil, fnErrorf("cannot read property %q of %s", name, typeName(x))
}

func keyList(o *object) string {
	if len(o.keys) == 0 {
		return "no properties"
	}
	q := make([]string, len(o.keys))
	for i, k := range o.keys {
		q[i] = strconv.Quote(k)
	}
	return strings.Join(q, ", ")
}

// index reads x[ix].
func index(x, ix any) (any, error) {
	if u := firstUnknown(x, ix); u != nil {
		if o, ok := x.(*object); ok && ix != nil {
			if s, ok := ix.(string); ok {
				return property(o, s)
			}
		}
		return u, nil
	}
	switch x := x.(type) {
	case []any:
		i, ok := ix.(int64)
		if !ok {
			return nil, fnErrorf("an array index must be an integer, not %s", typeName(ix))
		}
		if i < 0 || i >= int64(len(x)) {
			return nil, fnErrorf("index %d is outside the array of length %d", i, len(x))
		}
		return x[i], nil
	case *object:
		s, ok := ix.(string)
		if !ok {
			return nil, fnErrorf("an object index must be a string, not %s", typeName(ix))
		}
		return property(x, s)
	case string:
		i, ok := ix.(int64)
		if !ok || i < 0 || i >= int64(len(x)) {
			return nil, fnErrorf("bad index %s into a string of length %d", toJSONText(ix), len(x))
		}
		return string(x[i]), nil
	}
	return nil, fnErrorf("cannot index %s", typeName(x))
}

// call evaluates a function call. if, and, or and coalesce evaluate their
// arguments lazily; every other function gets them evaluated.
func (c ctx) call(n *callNode) (any, error) {
	name := strings.ToLower(n.name)
	switch name {
	case "if":
		if len(n.args) != 3 {
			return nil, fnErrorf("if() takes 3 arguments, not %d", len(n.args))
		}
		cond, err := c.eval(n.args[0])
		if err != nil {
			return nil, err
		}
		switch cond := cond.(type) {
		case *unknown:
			return cond, nil
		case bool:
			if cond {
				return c.eval(n.args[1])
			}
			return c.eval(n.args[2])
		}
		return nil, fnErrorf("if() needs a boolean condition, not %s", typeName(cond))
	case "and", "or":
		if len(n.args) < 2 {
			return nil, fnErrorf("%s() takes at least 2 arguments", name)
		}
		var unk *unknown
		for _, a := range n.args {
			v, err := c.eval(a)
			if err != nil {
				return nil, err
			}
			switch v := v.(type) {
			case *unknown:
				if unk == nil {
					unk = v
				}
			case bool:
				if name == "and" && !v {
					return false, nil
				}
				if name == "or" && v {
					return true, nil
				}
			default:
				return nil, fnErrorf("%s() needs booleans, not %s", name, typeName(v))
			}
		}
		if unk != nil {
			return unk, nil
		}
		return name == "and", nil
	case "coalesce":
		for _, a := range n.args {
			v, err := c.eval(a)
			if err != nil {
				return nil, err
			}
			if v != nil {
				return v, nil
			}
		}
		return nil, nil
	}
	args := make([]any, len(n.args))
	for i, a := range n.args {
		v, err := c.eval(a)
		if err != nil {
			return nil, err
		}
		args[i] = v
	}
	f, ok := functions[name]
	if !ok {
		if strings.HasPrefix(name, "list") {
			return unknownf("%s() reads secrets or runtime values", n.name), nil
		}
		return nil, &fnError{msg: fmt.Sprintf("the template function %s() is not supported by vnetpath", n.name), unsupported: n.name}
	}
	if f.structural || firstUnknown(args...) == nil {
		return f.fn(c, args)
	}
	return firstUnknown(args...), nil
}
